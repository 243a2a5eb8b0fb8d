//! The CalTRACK hourly model: time of week and temperature ("TOWT"). Each hour's use is the
//! coefficient of its hour of the week plus a piecewise-linear function of the outdoor
//! temperature, with separate temperature slopes for the hours of the week the building is
//! occupied and those it is not.
//!
//! As CalTRACK 2.0 does it: occupancy is learnt per hour of the week (occupied when at least
//! 65 % of its hours lie above a simple heating/cooling fit); temperature bins start at 30, 45,
//! 55, 65, 75 and 90 °F and are merged until each holds at least 20 hours, separately for
//! occupied and unoccupied hours; and a baseline year is fitted as twelve models, each month's
//! with its neighbours at half weight ("three-month weighted"). A forecast fits one model on
//! the recent weeks instead.

use super::{lstsq, series::HourlyObservation, stats::FitStatistics, FitError};
use chrono::Datelike;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

const HOURS_OF_WEEK: usize = 168;
/// CalTRACK's bin edges, 30, 45, 55, 65, 75 and 90 °F, in °C.
const DEFAULT_EDGES: [f64; 6] = [-1.111, 7.222, 12.778, 18.333, 23.889, 32.222];
const MIN_HOURS_PER_BIN: usize = 20;
/// An hour of the week is occupied when at least this share of its residuals is positive.
const OCCUPIED_SHARE: f64 = 0.65;
/// The simple fit that occupancy is learnt against: degree-hours from 50 °F and 65 °F.
const OCCUPANCY_HEATING_BALANCE: f64 = 10.0;
const OCCUPANCY_COOLING_BALANCE: f64 = 18.333;

/// How the fitting hours are split into models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segmentation {
	/// One model on every hour.
	Single,
	/// A model per calendar month, fitted on the month and, at half weight, its neighbours.
	ThreeMonthWeighted,
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
	/// Per hour of the week: its use before temperature, `None` if the segment had no data
	/// for it.
	pub hour_of_week: Vec<Option<f64>>,
	pub occupied_temperature: TemperatureTerms,
	pub unoccupied_temperature: TemperatureTerms,
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

impl Segment {
	/// Predicted use in `hour` at `temperature` (°C), if the segment knows its hour of week.
	pub fn predict(&self, hour_of_week: usize, temperature: f64) -> Option<f64> {
		let base = (*self.hour_of_week.get(hour_of_week)?)?;
		let terms = if self.occupied[hour_of_week] {
			&self.occupied_temperature
		} else {
			&self.unoccupied_temperature
		};
		Some(base + terms.value(temperature))
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

/// Fits one segment on weighted points; returns it and the parameters it used.
fn fit_segment(month: Option<u32>, points: &[(&Point, f64)]) -> Result<(Segment, usize), FitError> {
	let occupied = occupancy(points)?;
	let occupied_edges = bin_edges(points.iter().filter(|(p, _)| occupied[p.hour_of_week]));
	let unoccupied_edges = bin_edges(points.iter().filter(|(p, _)| !occupied[p.hour_of_week]));

	let occupied_width = occupied_edges.len() + 1;
	let unoccupied_width = unoccupied_edges.len() + 1;
	let width = HOURS_OF_WEEK + occupied_width + unoccupied_width;
	let mut design = Array2::<f64>::zeros((points.len(), width));
	let mut target = Array1::<f64>::zeros(points.len());
	for (row, (point, weight)) in points.iter().enumerate() {
		let scale = weight.sqrt();
		design[(row, point.hour_of_week)] = scale;
		let (offset, edges) = if occupied[point.hour_of_week] {
			(HOURS_OF_WEEK, &occupied_edges)
		} else {
			(HOURS_OF_WEEK + occupied_width, &unoccupied_edges)
		};
		for (column, component) in
			TemperatureTerms::components(edges, point.temperature).into_iter().enumerate()
		{
			design[(row, offset + column)] = component * scale;
		}
		target[row] = point.energy * scale;
	}
	// Columns without data (hours of the week never seen, empty bins) have no coefficient.
	let solution = lstsq::solve_present(design.view(), target.view())?;
	let coefficients = solution.coefficients;
	let slopes = |from: usize, count: usize| -> Vec<f64> {
		coefficients[from..from + count].iter().map(|c| c.unwrap_or(0.0)).collect()
	};
	let segment = Segment {
		month,
		occupied: occupied.to_vec(),
		hour_of_week: coefficients[..HOURS_OF_WEEK].to_vec(),
		occupied_temperature: TemperatureTerms {
			slopes: slopes(HOURS_OF_WEEK, occupied_width),
			edges: occupied_edges,
		},
		unoccupied_temperature: TemperatureTerms {
			slopes: slopes(HOURS_OF_WEEK + occupied_width, unoccupied_width),
			edges: unoccupied_edges,
		},
	};
	Ok((segment, solution.used))
}

/// Which hours of the week are occupied: those whose use lies above a simple weighted
/// heating/cooling fit in at least 65 % of their hours.
fn occupancy(points: &[(&Point, f64)]) -> Result<[bool; HOURS_OF_WEEK], FitError> {
	let design = Array2::from_shape_fn((points.len(), 3), |(row, column)| {
		let (point, weight) = points[row];
		weight.sqrt()
			* match column {
				0 => 1.0,
				1 => (OCCUPANCY_HEATING_BALANCE - point.temperature).max(0.0),
				_ => (point.temperature - OCCUPANCY_COOLING_BALANCE).max(0.0),
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
