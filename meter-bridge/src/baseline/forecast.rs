//! The next day's use of a site, hour by hour on its clock (23 or 25 hours on the days the
//! clocks change), from the hourly model fitted on its recent weeks and the day's temperatures:
//! a forecast series if one is given, else each hour's temperature on the latest day that had
//! it (persistence). Each hour comes with the bounds its use lies within at 90 % confidence
//! if its temperature is as taken ([`super::uncertainty`]): a persisted temperature's own
//! error is not in them.

use super::{
	hourly::{self, HourlyModel, Segmentation},
	series::HourlyObservation,
	uncertainty::REPORTED_CONFIDENCE,
	FitError,
};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// Weeks of history the forecasting model is fitted on: recent enough to be this season,
/// long enough for every hour of the week to be seen several times.
pub const TRAINING_DAYS: i64 = 56;
/// The least history a forecast is made from: a week of hours with use and temperature.
pub const MIN_TRAINING_HOURS: usize = 7 * 24;

/// Where a forecast hour's temperature came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemperatureSource {
	Forecast,
	/// The same hour on the latest day that had it.
	Persistence,
}

/// One forecast hour.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForecastHour {
	pub start: DateTime<FixedOffset>,
	/// °C.
	pub temperature: f64,
	pub temperature_source: TemperatureSource,
	/// Wh; `None` if the model never saw this hour of the week.
	pub energy: Option<f64>,
	/// The bounds (Wh) within which the hour's use lies at the forecast's confidence, at
	/// `temperature`.
	pub low: Option<f64>,
	pub high: Option<f64>,
}

/// A site's forecast for one day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Forecast {
	pub day: NaiveDate,
	pub hours: Vec<ForecastHour>,
	/// Wh over the hours with a forecast.
	pub total: f64,
	/// The confidence of each hour's `low` and `high`, 0–1.
	pub confidence: f64,
	/// The forecasting model, with its fit on the training weeks.
	pub model: HourlyModel,
}

/// Forecasts the day after the last hour of `history`, on the clock of `zone` (the site's time
/// zone; without one, the offset of the last hour of history all day). `temperatures` (°C by
/// the start of the interval they forecast, an hour or shorter) take precedence over
/// persistence where given: an hour's is the mean of those that start within it.
pub fn next_day(
	history: &[HourlyObservation],
	temperatures: &[(DateTime<FixedOffset>, f64)],
	zone: Option<Tz>,
) -> Result<Forecast, FitError> {
	let last = history.last().ok_or(FitError::Insufficient(vec!["there is no history".into()]))?;
	day_ahead(history, last.local().date() + TimeDelta::days(1), temperatures, zone)
}

/// Forecasts `day` (on the site's wall clock) from the hours of `history` before it, as it
/// would have been forecast at the day's start, so that it can be set against the day's use;
/// `temperatures` as for [`next_day`].
/// The day runs from midnight to midnight in `zone`, the site's time zone: 23 or 25 hours on
/// the days its clocks change. Without a zone it has 24 hours at the offset of the last hour
/// before it.
pub fn day_ahead(
	history: &[HourlyObservation],
	day: NaiveDate,
	temperatures: &[(DateTime<FixedOffset>, f64)],
	zone: Option<Tz>,
) -> Result<Forecast, FitError> {
	let history = &history[..history.partition_point(|h| h.local().date() < day)];
	let last = history
		.last()
		.ok_or_else(|| FitError::Insufficient(vec![format!("there is no history before {day}")]))?;
	let starts = day_hours(day, zone, *last.start.offset())?;
	let midnight = starts[0];
	let training_from = midnight - TimeDelta::days(TRAINING_DAYS);
	let training: Vec<HourlyObservation> =
		history.iter().filter(|h| h.start >= training_from).cloned().collect();
	let usable = training.iter().filter(|h| h.energy.is_some() && h.temperature.is_some()).count();
	if usable < MIN_TRAINING_HOURS {
		return Err(FitError::Insufficient(vec![format!(
			"{usable} hours with use and temperature in the {TRAINING_DAYS} days before {day}, \
			 a forecast needs {MIN_TRAINING_HOURS}"
		)]));
	}
	let model = hourly::fit(&training, Segmentation::Single, &mut |_, _| {})?;
	let interval = model.statistics.prediction_interval(REPORTED_CONFIDENCE);

	let mut hours = Vec::with_capacity(starts.len());
	for start in starts {
		let (temperature, temperature_source) = match forecast_temperature(temperatures, start) {
			Some(t) => (t, TemperatureSource::Forecast),
			None => (
				persisted(history, start).ok_or(FitError::Insufficient(vec![format!(
					"no temperature for {start}: no forecast given and none measured at \
						 that hour in the history"
				)]))?,
				TemperatureSource::Persistence,
			),
		};
		let observation = HourlyObservation { start, energy: None, temperature: None };
		let energy = model.predict(&observation, temperature);
		let bound = |sign: f64| Some(energy? + sign * interval?);
		let (low, high) = (bound(-1.0), bound(1.0));
		hours.push(ForecastHour { start, temperature, temperature_source, energy, low, high });
	}
	let total = hours.iter().filter_map(|h| h.energy).sum();
	Ok(Forecast { day, hours, total, confidence: REPORTED_CONFIDENCE, model })
}

/// The mean of the forecast `temperatures` whose intervals start within the hour from `start`.
fn forecast_temperature(
	temperatures: &[(DateTime<FixedOffset>, f64)],
	start: DateTime<FixedOffset>,
) -> Option<f64> {
	let end = start + TimeDelta::hours(1);
	let (sum, count) = temperatures
		.iter()
		.filter(|(at, _)| (start..end).contains(at))
		.fold((0.0, 0u32), |(sum, count), (_, t)| (sum + t, count + 1));
	(count > 0).then(|| sum / f64::from(count))
}

/// The starts of `day`'s hours on the site's clock, from its midnight to the next in `zone`; a
/// zone whose clocks skip midnight begins the day when they resume. Without a zone, 24 hours
/// from midnight at `offset`.
fn day_hours(
	day: NaiveDate,
	zone: Option<Tz>,
	offset: FixedOffset,
) -> Result<Vec<DateTime<FixedOffset>>, FitError> {
	let no_midnight = || FitError::Insufficient(vec![format!("{day} has no midnight")]);
	let Some(zone) = zone else {
		let midnight = day
			.and_time(NaiveTime::MIN)
			.and_local_timezone(offset)
			.single()
			.ok_or_else(no_midnight)?;
		return Ok((0..24).map(|hour| midnight + TimeDelta::hours(hour)).collect());
	};
	let start_of = |date: NaiveDate| -> Option<DateTime<Utc>> {
		let midnight = date.and_time(NaiveTime::MIN);
		(0..=2)
			.find_map(|hour| {
				zone.from_local_datetime(&(midnight + TimeDelta::hours(hour))).earliest()
			})
			.map(|start| start.with_timezone(&Utc))
	};
	let from = start_of(day).ok_or_else(no_midnight)?;
	let to = day.succ_opt().and_then(start_of).ok_or_else(no_midnight)?;
	Ok((0..(to - from).num_hours())
		.map(|hour| (from + TimeDelta::hours(hour)).with_timezone(&zone).fixed_offset())
		.collect())
}

/// The temperature at `start`'s hour of day on the latest day of `history` that measured it.
fn persisted(history: &[HourlyObservation], start: DateTime<FixedOffset>) -> Option<f64> {
	history
		.iter()
		.rev()
		.find(|h| h.local().hour() == start.hour() && h.temperature.is_some())
		.and_then(|h| h.temperature)
}
