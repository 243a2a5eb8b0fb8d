//! The CalTRACK daily model: a day's use against its mean outdoor temperature, as an intercept
//! plus heating and/or cooling degree-days whose balance points are searched on a grid.
//!
//! Every form is fitted (intercept only, heating, cooling, both) at every balance point of the
//! grid and every temperature spread; a form qualifies when its degree-days are not too few
//! (days past the balance point and their total) and each slope is positive and significant
//! (p < 0.1); the qualifying fit with the highest adjusted R² is the model. This is CalTRACK
//! 2.0's daily method, in °C, with one addition: the degree-days may assume that a day's
//! temperatures spread around its mean (`smartblocks_rules::degree_days`), a smooth hinge
//! where CalTRACK's is straight, which the chain settles with alike. A spread of 0 is
//! CalTRACK's model; the search keeps a wider one only where it fits better. Like the balance
//! points, the spread is searched, not counted among the parameters of Guideline 14's `n − p`
//! (CalTRACK's convention for what a grid search finds).
//!
//! Each candidate is an ordinary least-squares fit with an intercept, solved on centred sums:
//! a degree-day column's mean, variance and covariance with use are computed once per balance
//! point and spread, and a pair's covariance once per pair, so the grid costs a few dot
//! products per candidate rather than a decomposition.

use super::{
	series::DailyObservation,
	stats::{adjusted_r_squared, FitStatistics},
	FitError,
};
use ndarray::Array1;
use serde::{Deserialize, Serialize};
use smartblocks_rules::degree_days::degree_days;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The search and qualification rules of the daily model.
#[derive(Clone, Debug, PartialEq)]
pub struct DailySettings {
	/// Heating balance points tried, °C (inclusive range).
	pub heating_balances: (f64, f64),
	/// Cooling balance points tried, °C (inclusive range).
	pub cooling_balances: (f64, f64),
	/// Grid step, °C.
	pub step: f64,
	/// Spreads of a day's temperatures tried, K (0: degree-days from the mean alone).
	pub spreads: Vec<f64>,
	/// A term needs this many days past its balance point...
	pub min_days_with_degree_days: usize,
	/// ...and this many degree-days in all (K·day).
	pub min_total_degree_days: f64,
	/// A slope's two-sided p-value must be below this.
	pub max_p_value: f64,
}

impl Default for DailySettings {
	/// CalTRACK's: balance points from 30 °F to 90 °F (−1 °C to 32 °C) in about 1 °F steps,
	/// at least 10 days and 20 °F-days (11.1 K·days) per term, p < 0.1; and spreads of 0 to
	/// 4 K, about what a day's hourly temperatures spread around their mean.
	fn default() -> Self {
		DailySettings {
			heating_balances: (-1.0, 32.0),
			cooling_balances: (-1.0, 32.0),
			step: 0.5,
			spreads: vec![0.0, 1.0, 2.0, 3.0, 4.0],
			min_days_with_degree_days: 10,
			min_total_degree_days: 20.0 * 5.0 / 9.0,
			max_p_value: 0.1,
		}
	}
}

/// Which terms a daily model has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DailyForm {
	InterceptOnly,
	Heating,
	Cooling,
	HeatingCooling,
}

/// A fitted daily model: use on a day of mean temperature `t` (°C) is
/// `intercept + heating_slope · D(heating_balance − t) + cooling_slope · D(t −
/// cooling_balance)`, in the unit of the data (Wh here) per day, where `D` is the degree-days
/// of a day with temperatures spread by `temperature_spread` (`max(0, ·)` for 0).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DailyModel {
	pub form: DailyForm,
	pub intercept: f64,
	/// Per K·day below the heating balance point; 0 without a heating term.
	pub heating_slope: f64,
	pub heating_balance: Option<f64>,
	/// Per K·day above the cooling balance point; 0 without a cooling term.
	pub cooling_slope: f64,
	pub cooling_balance: Option<f64>,
	/// K; 0 for CalTRACK's straight hinges.
	#[serde(default)]
	pub temperature_spread: f64,
	pub statistics: FitStatistics,
}

impl DailyModel {
	/// Predicted use on a day of mean temperature `temperature` (°C).
	pub fn predict(&self, temperature: f64) -> f64 {
		let spread = self.temperature_spread;
		let heating = self.heating_balance.map_or(0.0, |b| degree_days(b - temperature, spread));
		let cooling = self.cooling_balance.map_or(0.0, |b| degree_days(temperature - b, spread));
		self.intercept + self.heating_slope * heating + self.cooling_slope * cooling
	}
}

/// A degree-day column at one balance point and spread, over the days in order of their
/// temperature.
struct Column {
	balance: f64,
	mean: f64,
	/// Degree-days per day.
	values: Vec<f64>,
	/// The days with degree-days, a range since they rise or fall with the temperature.
	counted: std::ops::Range<usize>,
	/// `Σ (h − h̄)²`.
	variance: f64,
	/// `Σ (h − h̄)(y − ȳ)`.
	covariance: f64,
	/// Whether it has enough days and degree-days to be a term.
	qualifies: bool,
}

impl Column {
	fn new(
		balance: f64,
		degree_days: impl Iterator<Item = (f64, bool)>,
		centred_use: &[f64],
		settings: &DailySettings,
	) -> Column {
		let (values, past): (Vec<f64>, Vec<bool>) = degree_days.unzip();
		let total: f64 = values.iter().sum();
		let mean = total / values.len() as f64;
		let days_past = past.iter().filter(|p| **p).count();
		let first = values.iter().position(|v| *v != 0.0).unwrap_or(values.len());
		let end = values.iter().rposition(|v| *v != 0.0).map_or(first, |last| last + 1);
		Column {
			balance,
			mean,
			variance: values.iter().map(|v| (v - mean) * (v - mean)).sum(),
			covariance: values.iter().zip(centred_use).map(|(v, y)| (v - mean) * y).sum(),
			qualifies: days_past >= settings.min_days_with_degree_days
				&& total >= settings.min_total_degree_days,
			counted: first..end,
			values,
		}
	}

	/// `Σ (h − h̄)(c − c̄) = Σ h c − n h̄ c̄`, the sum over the days both count.
	fn covariance_with(&self, other: &Column) -> f64 {
		let both =
			self.counted.start.max(other.counted.start)..self.counted.end.min(other.counted.end);
		let products: f64 = match (self.values.get(both.clone()), other.values.get(both)) {
			(Some(these), Some(those)) => these.iter().zip(those).map(|(a, b)| a * b).sum(),
			_ => 0.0,
		};
		products - self.values.len() as f64 * self.mean * other.mean
	}
}

/// The best candidate so far: its terms and its slopes.
#[derive(Clone, Copy)]
struct Best {
	adjusted_r_squared: f64,
	heating: Option<(f64, f64)>,
	cooling: Option<(f64, f64)>,
	spread: f64,
}

/// Fits the daily model to `days` (use in Wh, mean temperature in °C), telling `progress`
/// the candidates fitted of all.
pub fn fit(
	days: &[DailyObservation],
	settings: &DailySettings,
	progress: &mut dyn FnMut(usize, usize),
) -> Result<DailyModel, FitError> {
	let n = days.len();
	if n < 2 {
		return Err(FitError::TooFewObservations { observations: n, parameters: 1 });
	}
	let mean_use = days.iter().map(|d| d.energy).sum::<f64>() / n as f64;
	// The search runs on the days in order of temperature, where a heating column's days with
	// degree-days come first and a cooling column's last.
	let mut by_temperature: Vec<&DailyObservation> = days.iter().collect();
	by_temperature.sort_by(|a, b| a.temperature.total_cmp(&b.temperature));
	let centred_use: Vec<f64> = by_temperature.iter().map(|d| d.energy - mean_use).collect();
	let total_squares: f64 = centred_use.iter().map(|y| y * y).sum();
	// Student's t beyond which a slope's p-value is below the limit, for one and two slopes.
	let critical = |parameters: usize| {
		let freedom = n.checked_sub(parameters).filter(|f| *f > 0)? as f64;
		let t = StudentsT::new(0.0, 1.0, freedom).ok()?;
		Some(t.inverse_cdf(1.0 - settings.max_p_value / 2.0))
	};
	let (one_slope, two_slopes) = (critical(2), critical(3));
	let adjusted = |residual_squares: f64, parameters: usize| {
		let r_squared =
			if total_squares > 0.0 { 1.0 - residual_squares / total_squares } else { 0.0 };
		adjusted_r_squared(r_squared, n, parameters)
	};
	let heating_grid = grid(settings.heating_balances, settings.step);
	let cooling_grid = grid(settings.cooling_balances, settings.step);
	let pairs_per_spread = heating_grid.len() * cooling_grid.len();
	let total =
		settings.spreads.len() * (heating_grid.len() + cooling_grid.len() + pairs_per_spread);

	let mut best = Best {
		adjusted_r_squared: adjusted(total_squares, 1),
		heating: None,
		cooling: None,
		spread: 0.0,
	};
	let mut consider = |candidate: Best| {
		if candidate.adjusted_r_squared > best.adjusted_r_squared {
			best = candidate;
		}
	};
	let mut done = 0;
	for &spread in &settings.spreads {
		let columns = |grid: &[f64], sign: f64| -> Vec<Column> {
			grid.iter()
				.map(|&balance| {
					let degree_days = by_temperature.iter().map(|d| {
						let past = sign * (balance - d.temperature);
						(degree_days(past, spread), past > 0.0)
					});
					Column::new(balance, degree_days, &centred_use, settings)
				})
				.collect()
		};
		let heating = columns(&heating_grid, 1.0);
		let cooling = columns(&cooling_grid, -1.0);
		// One slope: β = Sxy / Sxx, RSS = Syy − β Sxy, SE(β)² = RSS / (n − 2) / Sxx.
		for (column, is_heating) in
			heating.iter().map(|c| (c, true)).chain(cooling.iter().map(|c| (c, false)))
		{
			let Some(critical) = one_slope else { break };
			if !column.qualifies || column.variance <= 0.0 {
				continue;
			}
			let slope = column.covariance / column.variance;
			let residual_squares = total_squares - slope * column.covariance;
			let error = (residual_squares.max(0.0) / (n - 2) as f64 / column.variance).sqrt();
			// Positive and significant; a NaN (no freedom, no error) is neither.
			if !(slope > 0.0 && slope > critical * error) {
				continue;
			}
			let term = Some((column.balance, slope));
			consider(Best {
				adjusted_r_squared: adjusted(residual_squares, 2),
				heating: if is_heating { term } else { None },
				cooling: if is_heating { None } else { term },
				spread,
			});
		}
		done += heating.len() + cooling.len();
		// Two slopes: the 2 × 2 centred normal equations.
		for (index, h) in heating.iter().enumerate() {
			if index % 8 == 0 {
				progress(done + index * cooling.len(), total);
			}
			let Some(critical) = two_slopes else { break };
			if !h.qualifies || h.variance <= 0.0 {
				continue;
			}
			for c in cooling.iter().filter(|c| c.balance >= h.balance) {
				if !c.qualifies || c.variance <= 0.0 {
					continue;
				}
				let cross = h.covariance_with(c);
				let determinant = h.variance * c.variance - cross * cross;
				if determinant <= 1e-12 * h.variance * c.variance {
					continue;
				}
				let heating_slope =
					(c.variance * h.covariance - cross * c.covariance) / determinant;
				let cooling_slope =
					(h.variance * c.covariance - cross * h.covariance) / determinant;
				let residual_squares =
					total_squares - heating_slope * h.covariance - cooling_slope * c.covariance;
				let variance = residual_squares.max(0.0) / (n - 3) as f64;
				// (XᵀX)⁻¹'s diagonal: Scc / det and Shh / det.
				let heating_error = (variance * c.variance / determinant).sqrt();
				let cooling_error = (variance * h.variance / determinant).sqrt();
				let significant = heating_slope > 0.0
					&& cooling_slope > 0.0
					&& heating_slope > critical * heating_error
					&& cooling_slope > critical * cooling_error;
				if !significant {
					continue;
				}
				consider(Best {
					adjusted_r_squared: adjusted(residual_squares, 3),
					heating: Some((h.balance, heating_slope)),
					cooling: Some((c.balance, cooling_slope)),
					spread,
				});
			}
		}
		done += pairs_per_spread;
	}
	progress(total, total);

	let spread = if best.heating.is_some() || best.cooling.is_some() { best.spread } else { 0.0 };
	let mut model = DailyModel {
		form: match (best.heating, best.cooling) {
			(None, None) => DailyForm::InterceptOnly,
			(Some(_), None) => DailyForm::Heating,
			(None, Some(_)) => DailyForm::Cooling,
			(Some(_), Some(_)) => DailyForm::HeatingCooling,
		},
		intercept: 0.0,
		heating_slope: best.heating.map_or(0.0, |(_, slope)| slope),
		heating_balance: best.heating.map(|(balance, _)| balance),
		cooling_slope: best.cooling.map_or(0.0, |(_, slope)| slope),
		cooling_balance: best.cooling.map(|(balance, _)| balance),
		temperature_spread: spread,
		statistics: FitStatistics::default(),
	};
	// The intercept puts the fit through the means: ȳ − Σ β h̄ (the prediction without it).
	model.intercept =
		mean_use - days.iter().map(|d| model.predict(d.temperature)).sum::<f64>() / n as f64;
	let fitted = Array1::from_iter(days.iter().map(|d| model.predict(d.temperature)));
	let observed = Array1::from_iter(days.iter().map(|d| d.energy));
	let parameters = 1 + usize::from(best.heating.is_some()) + usize::from(best.cooling.is_some());
	// No statistics without a mean use to scale them by.
	model.statistics =
		FitStatistics::of(observed.view(), fitted.view(), parameters).ok_or(FitError::Singular)?;
	Ok(model)
}

fn grid((from, to): (f64, f64), step: f64) -> Vec<f64> {
	let steps = ((to - from) / step).floor().max(0.0) as usize;
	(0..=steps).map(|i| from + step * i as f64).collect()
}
