//! The CalTRACK hourly model: time of week and temperature ("TOWT"). Each hour's use is the
//! coefficient of its hour of the week plus a piecewise-linear function of the outdoor
//! temperature, with separate temperature slopes for the hours of the week the building is
//! occupied and those it is not.
//!
//! As CalTRACK 2.0 does it: occupancy is learnt per hour of the week (occupied when at least
//! 65 % of its hours lie above a simple heating/cooling fit); temperature bins start at 30, 45,
//! 55, 65, 75 and 90 °F and are merged until each holds at least 20 hours, separately for
//! occupied and unoccupied hours; and a baseline year can be fitted as twelve models, each
//! month's with its neighbours at half weight ("three-month weighted").
//!
//! Two refinements, both for use the model has not seen (`scripts/compare-eemeter` measures
//! them against eemeter's hourly models on its samples):
//! - **Day types.** CalTRACK's 168 hour-of-week coefficients overfit a building whose weekdays
//!   look alike. Each segment tries every day alike (24 coefficients), weekdays and weekend
//!   (48) and each day its own (168), and keeps the one with the lowest Bayesian information
//!   criterion: an office whose Mondays differ keeps 168, a home gets 24.
//! - **Temperature by hour of day.** Cooling and heating do not weigh the same at 3 a.m. as
//!   at 3 p.m. (sun, schedules, set-backs). Beyond the bins, each hour of the day has its own
//!   slope above 18.3 °C and below 10 °C (CalTRACK's 65 °F and 50 °F degree-hour balance
//!   points), relative to the first hour of the day that has one, for the hours of the day with
//!   at least 20 hours past the balance point.
//!
//! Least squares come from the normal equations ([`lstsq::NormalEquations`]): each hour's row
//! has a dozen non-zero entries among a few hundred columns.

use super::{
	lstsq::{self, NormalEquations},
	series::HourlyObservation,
	stats::FitStatistics,
	FitError,
};
use chrono::Datelike;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

const HOURS_OF_WEEK: usize = 168;
const HOURS_OF_DAY: usize = 24;
/// CalTRACK's bin edges, 30, 45, 55, 65, 75 and 90 °F, in °C.
const DEFAULT_EDGES: [f64; 6] = [-1.111, 7.222, 12.778, 18.333, 23.889, 32.222];
const MIN_HOURS_PER_BIN: usize = 20;
/// An hour of the week is occupied when at least this share of its residuals is positive.
const OCCUPIED_SHARE: f64 = 0.65;
/// CalTRACK's degree-hour balance points, 50 °F and 65 °F: of the simple fit occupancy is
/// learnt against, and of the hour-of-day temperature slopes.
const HEATING_BALANCE: f64 = 10.0;
const COOLING_BALANCE: f64 = 18.333;

/// How the fitting hours are split into models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Segmentation {
	/// One model on every hour.
	Single,
	/// A model per calendar month, fitted on the month and, at half weight, its neighbours.
	ThreeMonthWeighted,
}

/// Which days of the week share their hours' coefficients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayTypes {
	/// Every day alike: 24 coefficients.
	AllDays,
	/// Monday to Friday, and the weekend: 48.
	WeekdaysAndWeekend,
	/// Each day of the week its own (CalTRACK's hour of week): 168.
	EachDay,
}

impl DayTypes {
	const ALL: [DayTypes; 3] = [DayTypes::AllDays, DayTypes::WeekdaysAndWeekend, DayTypes::EachDay];

	fn columns(self) -> usize {
		match self {
			DayTypes::AllDays => HOURS_OF_DAY,
			DayTypes::WeekdaysAndWeekend => 2 * HOURS_OF_DAY,
			DayTypes::EachDay => HOURS_OF_WEEK,
		}
	}

	/// The coefficient an hour of the week (Monday 00:00 = 0) takes.
	fn column(self, hour_of_week: usize) -> usize {
		match self {
			DayTypes::AllDays => hour_of_week % HOURS_OF_DAY,
			DayTypes::WeekdaysAndWeekend if hour_of_week >= 5 * HOURS_OF_DAY => {
				HOURS_OF_DAY + hour_of_week % HOURS_OF_DAY
			}
			DayTypes::WeekdaysAndWeekend => hour_of_week % HOURS_OF_DAY,
			DayTypes::EachDay => hour_of_week,
		}
	}
}

/// The fitted hourly model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HourlyModel {
	pub segmentation: Segmentation,
	/// One segment, or one per month (January first) for months that had data.
	pub segments: Vec<Segment>,
	pub statistics: FitStatistics,
}

/// The model of one segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
	/// The month (1–12) it predicts, or `None` for every month.
	pub month: Option<u32>,
	/// Per hour of the week (Monday 00:00 first): whether the building is occupied.
	pub occupied: Vec<bool>,
	/// Which days share their hours' coefficients in `hour_of_week`.
	pub day_types: DayTypes,
	/// Per hour of the week: its use before temperature, `None` if the segment had no data
	/// for it (or for the hours of the other days of its type).
	pub hour_of_week: Vec<Option<f64>>,
	pub occupied_temperature: TemperatureTerms,
	pub unoccupied_temperature: TemperatureTerms,
	/// Per hour of the day: its use per K above 18.3 °C beyond what the bins give (Wh/K).
	pub cooling_by_hour: Vec<f64>,
	/// Per hour of the day: its use per K below 10 °C beyond what the bins give (Wh/K).
	pub heating_by_hour: Vec<f64>,
}

/// A piecewise-linear function of temperature: bin edges (°C) and one slope per bin (Wh per
/// K, 0 for bins the segment had no data in).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemperatureTerms {
	pub edges: Vec<f64>,
	pub slopes: Vec<f64>,
}

impl TemperatureTerms {
	/// The bins' components of `temperature`, zero at the lowest edge: below it, the first
	/// component is negative; above it, each bin adds how far into it the temperature is.
	fn components(edges: &[f64], temperature: f64) -> Vec<f64> {
		let Some((&first, _)) = edges.split_first() else { return vec![temperature] };
		let mut components = vec![(temperature - first).min(0.0)];
		for (index, &lower) in edges.iter().enumerate() {
			let above = (temperature - lower).max(0.0);
			components.push(match edges.get(index + 1) {
				Some(&upper) => above.min(upper - lower),
				None => above,
			});
		}
		components
	}

	fn value(&self, temperature: f64) -> f64 {
		Self::components(&self.edges, temperature)
			.iter()
			.zip(&self.slopes)
			.map(|(component, slope)| component * slope)
			.sum()
	}
}

/// Degrees above the cooling and below the heating balance point.
fn degree_hours(temperature: f64) -> (f64, f64) {
	((temperature - COOLING_BALANCE).max(0.0), (HEATING_BALANCE - temperature).max(0.0))
}

impl Segment {
	/// Predicted use in `hour` at `temperature` (°C), if the segment knows its hour of week.
	pub fn predict(&self, hour_of_week: usize, temperature: f64) -> Option<f64> {
		let base = (*self.hour_of_week.get(hour_of_week)?)?;
		let terms = if self.occupied[hour_of_week] {
			&self.occupied_temperature
		} else {
			&self.unoccupied_temperature
		};
		let hour = hour_of_week % HOURS_OF_DAY;
		let (cooling, heating) = degree_hours(temperature);
		Some(
			base + terms.value(temperature)
				+ self.cooling_by_hour[hour] * cooling
				+ self.heating_by_hour[hour] * heating,
		)
	}
}

impl HourlyModel {
	/// Predicted use in the hour starting at `hour.start` at `temperature` (°C), if the model
	/// covers the hour's month and hour of week.
	pub fn predict(&self, hour: &HourlyObservation, temperature: f64) -> Option<f64> {
		segment_of(&self.segments, hour.local().month())?.predict(hour.hour_of_week(), temperature)
	}
}

/// An hour usable for fitting.
struct Point {
	hour_of_week: usize,
	month: u32,
	energy: f64,
	temperature: f64,
}

/// Fits the hourly model to the hours with both use and temperature, telling `progress` the
/// segments fitted of all.
pub fn fit(
	hours: &[HourlyObservation],
	segmentation: Segmentation,
	progress: &mut dyn FnMut(usize, usize),
) -> Result<HourlyModel, FitError> {
	let points: Vec<Point> = hours
		.iter()
		.filter_map(|hour| {
			Some(Point {
				hour_of_week: hour.hour_of_week(),
				month: hour.local().month(),
				energy: hour.energy?,
				temperature: hour.temperature?,
			})
		})
		.collect();
	let months: Vec<Option<u32>> = match segmentation {
		Segmentation::Single => vec![None],
		Segmentation::ThreeMonthWeighted => {
			(1..=12).filter(|month| points.iter().any(|p| p.month == *month)).map(Some).collect()
		}
	};
	let mut segments = Vec::with_capacity(months.len());
	// Per segment, the leverage of an hour of its own month, approximately: its parameters over
	// the weight of the hours it was fitted on, of which its own month's count fully.
	let mut leverages = Vec::with_capacity(months.len());
	let mut parameters = 0;
	let total = months.len();
	for (index, month) in months.into_iter().enumerate() {
		progress(index, total);
		let weighted: Vec<(&Point, f64)> =
			points.iter().filter_map(|point| Some((point, weight(month, point.month)?))).collect();
		let (segment, columns) = fit_segment(month, &weighted)?;
		let total_weight: f64 = weighted.iter().map(|(_, weight)| weight).sum();
		parameters = parameters.max(columns);
		segments.push(segment);
		leverages.push(columns as f64 / total_weight);
	}
	progress(total, total);
	let mut leverage = 0.0;
	let (observed, fitted): (Vec<f64>, Vec<f64>) = points
		.iter()
		.filter_map(|p| {
			let index = segment_index(&segments, p.month)?;
			let predicted = segments[index].predict(p.hour_of_week, p.temperature)?;
			leverage += leverages[index];
			Some((p.energy, predicted))
		})
		.unzip();
	let mut statistics =
		FitStatistics::of(Array1::from(observed).view(), Array1::from(fitted).view(), parameters)
			.ok_or(FitError::TooFewObservations { observations: points.len(), parameters })?;
	statistics.leverage = leverage / statistics.observations as f64;
	Ok(HourlyModel { segmentation, segments, statistics })
}

/// The segment that predicts `month`.
fn segment_of(segments: &[Segment], month: u32) -> Option<&Segment> {
	segments.get(segment_index(segments, month)?)
}

/// Where in `segments` the one that predicts `month` is.
fn segment_index(segments: &[Segment], month: u32) -> Option<usize> {
	segments.iter().position(|s| s.month.is_none_or(|m| m == month))
}

/// The weight of an hour in `point_month` for the segment of `month`.
fn weight(month: Option<u32>, point_month: u32) -> Option<f64> {
	let Some(month) = month else { return Some(1.0) };
	let distance = (month + 12 - point_month) % 12;
	match distance {
		0 => Some(1.0),
		1 | 11 => Some(0.5),
		_ => None,
	}
}

/// What a segment's design is made of, whatever its day types: occupancy, bins and which
/// hours of the day have their own degree-hour slopes.
struct Terms {
	occupied: [bool; HOURS_OF_WEEK],
	occupied_edges: Vec<f64>,
	unoccupied_edges: Vec<f64>,
	/// The hours of the day with a cooling (heating) slope of their own.
	cooling_hours: Vec<usize>,
	heating_hours: Vec<usize>,
}

impl Terms {
	fn learn(points: &[(&Point, f64)]) -> Result<Terms, FitError> {
		let occupied = occupancy(points)?;
		let hours_past = |past: fn(f64) -> bool| -> Vec<usize> {
			let mut counts = [0; HOURS_OF_DAY];
			for (point, _) in points.iter().filter(|(p, _)| past(p.temperature)) {
				counts[point.hour_of_week % HOURS_OF_DAY] += 1;
			}
			// The first hour with enough is the reference the bins' slopes describe.
			(0..HOURS_OF_DAY).filter(|h| counts[*h] >= MIN_HOURS_PER_BIN).skip(1).collect()
		};
		Ok(Terms {
			occupied_edges: bin_edges(points.iter().filter(|(p, _)| occupied[p.hour_of_week])),
			unoccupied_edges: bin_edges(points.iter().filter(|(p, _)| !occupied[p.hour_of_week])),
			occupied,
			cooling_hours: hours_past(|t| t > COOLING_BALANCE),
			heating_hours: hours_past(|t| t < HEATING_BALANCE),
		})
	}
}

/// A segment fitted with some day types: the segment, its parameters and its Bayesian
/// information criterion.
struct Candidate {
	segment: Segment,
	parameters: usize,
	criterion: f64,
}

/// Fits one segment on weighted points, with the day types of the lowest information
/// criterion; returns it and the parameters it used.
fn fit_segment(month: Option<u32>, points: &[(&Point, f64)]) -> Result<(Segment, usize), FitError> {
	let terms = Terms::learn(points)?;
	let mut best: Option<Candidate> = None;
	let mut failure = None;
	// Day types too many for the data (a week of hours and 168 coefficients) give way to fewer.
	for day_types in DayTypes::ALL {
		match fit_day_types(month, points, &terms, day_types) {
			Ok(candidate) => {
				if best.as_ref().is_none_or(|best| candidate.criterion < best.criterion) {
					best = Some(candidate);
				}
			}
			Err(error) => failure = Some(error),
		}
	}
	let best = best.ok_or(failure.unwrap_or(FitError::Singular))?;
	Ok((best.segment, best.parameters))
}

fn fit_day_types(
	month: Option<u32>,
	points: &[(&Point, f64)],
	terms: &Terms,
	day_types: DayTypes,
) -> Result<Candidate, FitError> {
	let occupied_width = terms.occupied_edges.len() + 1;
	let unoccupied_width = terms.unoccupied_edges.len() + 1;
	let occupied_from = day_types.columns();
	let unoccupied_from = occupied_from + occupied_width;
	let cooling_from = unoccupied_from + unoccupied_width;
	let heating_from = cooling_from + terms.cooling_hours.len();
	let width = heating_from + terms.heating_hours.len();
	let row = |point: &Point| -> Vec<(usize, f64)> {
		let mut row = vec![(day_types.column(point.hour_of_week), 1.0)];
		let (from, edges) = if terms.occupied[point.hour_of_week] {
			(occupied_from, &terms.occupied_edges)
		} else {
			(unoccupied_from, &terms.unoccupied_edges)
		};
		let components = TemperatureTerms::components(edges, point.temperature);
		row.extend(components.into_iter().enumerate().map(|(i, c)| (from + i, c)));
		let hour = point.hour_of_week % HOURS_OF_DAY;
		let (cooling, heating) = degree_hours(point.temperature);
		for (from, hours, degrees) in [
			(cooling_from, &terms.cooling_hours, cooling),
			(heating_from, &terms.heating_hours, heating),
		] {
			if let Some(index) = hours.iter().position(|h| *h == hour) {
				row.push((from + index, degrees));
			}
		}
		row.retain(|(_, value)| *value != 0.0);
		row
	};
	let rows: Vec<Vec<(usize, f64)>> = points.iter().map(|(point, _)| row(point)).collect();
	let mut equations = NormalEquations::new(width);
	for (row, (point, weight)) in rows.iter().zip(points) {
		equations.add(row, point.energy, *weight);
	}
	// Columns without data (hours never seen, empty bins) have no coefficient.
	let coefficients = equations.solve()?;
	let parameters = coefficients.iter().filter(|c| c.is_some()).count();
	let (mut residual_squares, mut total_weight) = (0.0, 0.0);
	for (row, (point, weight)) in rows.iter().zip(points) {
		let fitted: f64 = row.iter().map(|(c, v)| coefficients[*c].unwrap_or(0.0) * v).sum();
		residual_squares += weight * (point.energy - fitted).powi(2);
		total_weight += weight;
	}
	if total_weight <= parameters as f64 {
		return Err(FitError::TooFewObservations { observations: points.len(), parameters });
	}
	// Residuals at rounding level (use without noise) compare as equal, not by their rounding.
	let scale: f64 = points.iter().map(|(p, w)| w * p.energy * p.energy).sum();
	let residual_squares = residual_squares.max(scale * 1e-12);
	let criterion = total_weight * (residual_squares / total_weight).ln()
		+ parameters as f64 * total_weight.ln();

	let slopes = |from: usize, count: usize| -> Vec<f64> {
		coefficients[from..from + count].iter().map(|c| c.unwrap_or(0.0)).collect()
	};
	let by_hour = |from: usize, hours: &[usize]| -> Vec<f64> {
		let mut slopes = vec![0.0; HOURS_OF_DAY];
		for (index, hour) in hours.iter().enumerate() {
			slopes[*hour] = coefficients[from + index].unwrap_or(0.0);
		}
		slopes
	};
	let segment = Segment {
		month,
		occupied: terms.occupied.to_vec(),
		day_types,
		hour_of_week: (0..HOURS_OF_WEEK).map(|h| coefficients[day_types.column(h)]).collect(),
		occupied_temperature: TemperatureTerms {
			slopes: slopes(occupied_from, occupied_width),
			edges: terms.occupied_edges.clone(),
		},
		unoccupied_temperature: TemperatureTerms {
			slopes: slopes(unoccupied_from, unoccupied_width),
			edges: terms.unoccupied_edges.clone(),
		},
		cooling_by_hour: by_hour(cooling_from, &terms.cooling_hours),
		heating_by_hour: by_hour(heating_from, &terms.heating_hours),
	};
	Ok(Candidate { segment, parameters, criterion })
}

/// Which hours of the week are occupied: those whose use lies above a simple weighted
/// heating/cooling fit in at least 65 % of their hours.
fn occupancy(points: &[(&Point, f64)]) -> Result<[bool; HOURS_OF_WEEK], FitError> {
	let design = Array2::from_shape_fn((points.len(), 3), |(row, column)| {
		let (point, weight) = points[row];
		let (cooling, heating) = degree_hours(point.temperature);
		weight.sqrt()
			* match column {
				0 => 1.0,
				1 => heating,
				_ => cooling,
			}
	});
	let target = Array1::from_iter(points.iter().map(|(p, w)| p.energy * w.sqrt()));
	let solution = lstsq::solve_present(design.view(), target.view())?;
	let mut above = [0.0; HOURS_OF_WEEK];
	let mut total = [0.0; HOURS_OF_WEEK];
	for (row, (point, weight)) in points.iter().enumerate() {
		total[point.hour_of_week] += weight;
		if target[row] > solution.fitted[row] {
			above[point.hour_of_week] += weight;
		}
	}
	let mut occupied = [false; HOURS_OF_WEEK];
	for hour in 0..HOURS_OF_WEEK {
		occupied[hour] = total[hour] > 0.0 && above[hour] / total[hour] >= OCCUPIED_SHARE;
	}
	Ok(occupied)
}

/// CalTRACK's bin edges merged until every bin holds at least 20 of these hours: a bin too
/// small loses its upper edge (joins the bin above); the top bin, its lower edge.
fn bin_edges<'a>(points: impl Iterator<Item = &'a (&'a Point, f64)>) -> Vec<f64> {
	let temperatures: Vec<f64> = points.map(|(p, _)| p.temperature).collect();
	let mut edges = DEFAULT_EDGES.to_vec();
	loop {
		let count = |lower: f64, upper: f64| {
			temperatures.iter().filter(|t| **t > lower && **t <= upper).count()
		};
		let bounds: Vec<f64> = std::iter::once(f64::NEG_INFINITY)
			.chain(edges.iter().copied())
			.chain(std::iter::once(f64::INFINITY))
			.collect();
		let small = bounds.windows(2).position(|bin| count(bin[0], bin[1]) < MIN_HOURS_PER_BIN);
		match small {
			None => return edges,
			Some(_) if edges.is_empty() => return edges,
			Some(bin) if bin < edges.len() => {
				edges.remove(bin);
			}
			Some(_) => {
				edges.pop();
			}
		}
	}
}
