//! The CalTRACK daily model: a day's use against its mean outdoor temperature, as an intercept
//! plus heating and/or cooling degree-days whose balance points are searched on a grid.
//!
//! Every form is fitted (intercept only, heating, cooling, both) at every balance point of the
//! grid; a form qualifies when its degree-days are not too few (days with degree-days and their
//! total) and each slope is positive and significant (p < 0.1); the qualifying fit with the
//! highest adjusted R² is the model. This is CalTRACK 2.0's daily method, in °C.

use super::{lstsq, series::DailyObservation, stats::FitStatistics, FitError};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
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
	/// A term needs this many days with degree-days...
	pub min_days_with_degree_days: usize,
	/// ...and this many degree-days in all (K·day).
	pub min_total_degree_days: f64,
	/// A slope's two-sided p-value must be below this.
	pub max_p_value: f64,
}

impl Default for DailySettings {
	/// CalTRACK's: balance points from 30 °F to 90 °F (−1 °C to 32 °C) in about 1 °F steps,
	/// at least 10 days and 20 °F-days (11.1 K·days) per term, p < 0.1.
	fn default() -> Self {
		DailySettings {
			heating_balances: (-1.0, 32.0),
			cooling_balances: (-1.0, 32.0),
			step: 0.5,
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
/// `intercept + heating_slope · max(0, heating_balance − t) + cooling_slope · max(0, t −
/// cooling_balance)`, in the unit of the data (Wh here) per day.
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
	pub statistics: FitStatistics,
}

impl DailyModel {
	/// Predicted use on a day of mean temperature `temperature` (°C).
	pub fn predict(&self, temperature: f64) -> f64 {
		let heating = self.heating_balance.map_or(0.0, |b| (b - temperature).max(0.0));
		let cooling = self.cooling_balance.map_or(0.0, |b| (temperature - b).max(0.0));
		self.intercept + self.heating_slope * heating + self.cooling_slope * cooling
	}
}

/// A candidate fit: its terms' balance points, coefficients and statistics.
struct Candidate {
	heating: Option<f64>,
	cooling: Option<f64>,
	coefficients: Array1<f64>,
	statistics: FitStatistics,
}

/// Fits the daily model to `days` (use in Wh, mean temperature in °C), telling `progress`
/// the candidates fitted of all.
pub fn fit(
	days: &[DailyObservation],
	settings: &DailySettings,
	progress: &mut dyn FnMut(usize, usize),
) -> Result<DailyModel, FitError> {
	if days.len() < 2 {
		return Err(FitError::TooFewObservations { observations: days.len(), parameters: 1 });
	}
	let temperatures = Array1::from_iter(days.iter().map(|d| d.temperature));
	let energy = Array1::from_iter(days.iter().map(|d| d.energy));
	let heating_grid = grid(settings.heating_balances, settings.step);
	let cooling_grid = grid(settings.cooling_balances, settings.step);

	let mut balances: Vec<(Option<f64>, Option<f64>)> = vec![(None, None)];
	balances.extend(heating_grid.iter().map(|h| (Some(*h), None)));
	balances.extend(cooling_grid.iter().map(|c| (None, Some(*c))));
	for &heating in &heating_grid {
		balances.extend(
			cooling_grid.iter().filter(|c| **c >= heating).map(|c| (Some(heating), Some(*c))),
		);
	}
	let mut best: Option<Candidate> = None;
	for (index, &(heating, cooling)) in balances.iter().enumerate() {
		if index % 256 == 0 {
			progress(index, balances.len());
		}
		let Some(found) = candidate(&temperatures, &energy, heating, cooling, settings)? else {
			continue;
		};
		let better = best.as_ref().is_none_or(|best| {
			found.statistics.adjusted_r_squared() > best.statistics.adjusted_r_squared()
		});
		if better {
			best = Some(found);
		}
	}
	progress(balances.len(), balances.len());
	let best = best.ok_or(FitError::Singular)?;

	let mut terms = best.coefficients.iter().copied();
	let intercept = terms.next().unwrap_or_default();
	let heating_slope = if best.heating.is_some() { terms.next().unwrap_or_default() } else { 0.0 };
	let cooling_slope = if best.cooling.is_some() { terms.next().unwrap_or_default() } else { 0.0 };
	let form = match (best.heating, best.cooling) {
		(None, None) => DailyForm::InterceptOnly,
		(Some(_), None) => DailyForm::Heating,
		(None, Some(_)) => DailyForm::Cooling,
		(Some(_), Some(_)) => DailyForm::HeatingCooling,
	};
	Ok(DailyModel {
		form,
		intercept,
		heating_slope,
		heating_balance: best.heating,
		cooling_slope,
		cooling_balance: best.cooling,
		statistics: best.statistics,
	})
}

fn grid((from, to): (f64, f64), step: f64) -> Vec<f64> {
	let steps = ((to - from) / step).floor().max(0.0) as usize;
	(0..=steps).map(|i| from + step * i as f64).collect()
}

/// The fit with these balance points, or `None` if a term has too few degree-days or a slope
/// that is not positive and significant.
fn candidate(
	temperatures: &Array1<f64>,
	energy: &Array1<f64>,
	heating: Option<f64>,
	cooling: Option<f64>,
	settings: &DailySettings,
) -> Result<Option<Candidate>, FitError> {
	let mut columns = vec![Array1::ones(temperatures.len())];
	for degree_days in [
		heating.map(|b| temperatures.mapv(|t| (b - t).max(0.0))),
		cooling.map(|b| temperatures.mapv(|t| (t - b).max(0.0))),
	]
	.into_iter()
	.flatten()
	{
		let days_with = degree_days.iter().filter(|d| **d > 0.0).count();
		if days_with < settings.min_days_with_degree_days
			|| degree_days.sum() < settings.min_total_degree_days
		{
			return Ok(None);
		}
		columns.push(degree_days);
	}
	let parameters = columns.len();
	let design = Array2::from_shape_fn((temperatures.len(), parameters), |(row, column)| {
		columns[column][row]
	});
	let solution = lstsq::solve(design.view(), energy.view())?;
	let Some(statistics) = FitStatistics::of(energy.view(), solution.fitted.view(), parameters)
	else {
		return Ok(None);
	};
	if parameters > 1 {
		let freedom = (temperatures.len() - parameters) as f64;
		let residual_variance = (energy - &solution.fitted).mapv(|r| r * r).sum() / freedom;
		let Ok(inverse) = lstsq::inverse_gram(design.view()) else { return Ok(None) };
		let Ok(t) = StudentsT::new(0.0, 1.0, freedom) else { return Ok(None) };
		for term in 1..parameters {
			let slope = solution.coefficients[term];
			let error = (residual_variance * inverse[(term, term)]).sqrt();
			let p_value =
				if error > 0.0 { 2.0 * (1.0 - t.cdf((slope / error).abs())) } else { 0.0 };
			if slope <= 0.0 || p_value >= settings.max_p_value {
				return Ok(None);
			}
		}
	}
	Ok(Some(Candidate { heating, cooling, coefficients: solution.coefficients, statistics }))
}
