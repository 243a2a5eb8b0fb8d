//! What models are fitted on: hours or days of a site's use with the outdoor temperature, read
//! from a CSV file (`start,energy_wh|energy_kwh,temperature_c|temperature_f`, one row per hour
//! or per day) or built from the bridge's history, and days summed from hours.

use super::FitError;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike};
use std::{collections::BTreeMap, io::Read};

/// One hour of a site.
#[derive(Clone, Debug, PartialEq)]
pub struct HourlyObservation {
	/// The hour's start with the offset of the site's wall clock: its day, time of week and
	/// month are the wall clock's.
	pub start: DateTime<FixedOffset>,
	/// Use in the hour, Wh; `None` if not measured.
	pub energy: Option<f64>,
	/// Mean outdoor temperature, °C; `None` if not measured.
	pub temperature: Option<f64>,
}

impl HourlyObservation {
	/// The hour's start on the site's wall clock.
	pub fn local(&self) -> NaiveDateTime {
		self.start.naive_local()
	}

	/// The chain's day (UTC) the hour falls in: the day energy performance contracts settle,
	/// so the daily baseline they take is fitted on the same days.
	pub fn chain_day(&self) -> NaiveDate {
		self.start.naive_utc().date()
	}

	/// Hours since Monday 00:00, 0..168.
	pub fn hour_of_week(&self) -> usize {
		let local = self.local();
		local.weekday().num_days_from_monday() as usize * 24 + local.hour() as usize
	}
}

/// One day of a site with its use and mean outdoor temperature.
#[derive(Clone, Debug, PartialEq)]
pub struct DailyObservation {
	/// The chain's day (UTC) when summed from hours; a file's days are taken as they are.
	pub day: NaiveDate,
	/// Use in the day, Wh.
	pub energy: f64,
	/// Mean outdoor temperature, °C.
	pub temperature: f64,
}

/// A series as read from a file: by the hour or by the day.
#[derive(Clone, Debug, PartialEq)]
pub enum Series {
	Hourly(Vec<HourlyObservation>),
	Daily(Vec<DailyObservation>),
}

impl Series {
	/// The series as days, summing hours into complete days.
	pub fn days(&self) -> Vec<DailyObservation> {
		match self {
			Series::Hourly(hours) => days_of(hours),
			Series::Daily(days) => days.clone(),
		}
	}
}

impl Series {
	/// The part of the series from day `from` through day `to` (either open): the chain's days
	/// (UTC) for hours, as [`days_of`] sums them.
	pub fn between(self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Series {
		let within = |day: NaiveDate| from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t);
		match self {
			Series::Hourly(hours) => {
				Series::Hourly(hours.into_iter().filter(|h| within(h.chain_day())).collect())
			}
			Series::Daily(days) => {
				Series::Daily(days.into_iter().filter(|d| within(d.day)).collect())
			}
		}
	}
}

/// The chain's days (UTC, the days contracts settle: one definition of a day for the fit and
/// the settlement) with every hour's use and a temperature for at least half of their hours,
/// the CalTRACK rule for a day's mean temperature.
pub fn days_of(hours: &[HourlyObservation]) -> Vec<DailyObservation> {
	#[derive(Default)]
	struct Day {
		hours: usize,
		energy: Vec<f64>,
		temperatures: Vec<f64>,
	}
	let mut days: BTreeMap<NaiveDate, Day> = BTreeMap::new();
	for hour in hours {
		let day = days.entry(hour.chain_day()).or_default();
		day.hours += 1;
		day.energy.extend(hour.energy);
		day.temperatures.extend(hour.temperature);
	}
	days.into_iter()
		.filter(|(_, d)| {
			d.hours == 24 && d.energy.len() == d.hours && d.temperatures.len() * 2 >= d.hours
		})
		.map(|(day, d)| DailyObservation {
			day,
			energy: d.energy.iter().sum(),
			temperature: d.temperatures.iter().sum::<f64>() / d.temperatures.len() as f64,
		})
		.collect()
}

/// Reads a series from CSV: a `start` column in RFC 3339 (with the offset of the site's wall
/// clock), energy as `energy_wh` or `energy_kwh` (may be left out for temperatures only),
/// temperature as `temperature_c` or
/// `temperature_f` (empty where not measured). Rows all starting at midnight, one per date,
/// are days; rows starting on the hour are hours.
pub fn read_csv(reader: impl Read, file: &str) -> Result<Series, FitError> {
	let rows = read_rows(reader, file)?;
	let daily = rows.iter().all(|row| row.start.time() == chrono::NaiveTime::MIN)
		&& rows.windows(2).all(|pair| pair[0].start.date_naive() < pair[1].start.date_naive());
	if !daily {
		return Ok(Series::Hourly(hours_of(rows, file)?));
	}
	Ok(Series::Daily(
		rows.into_iter()
			.filter_map(|row| {
				Some(DailyObservation {
					day: row.start.date_naive(),
					energy: row.energy?,
					temperature: row.temperature?,
				})
			})
			.collect(),
	))
}

/// Reads hours from CSV as [`read_csv`] does, for a source known to give hours (the bridge's
/// `/history`): there, a few rows that all happen to start at midnight are still hours.
pub fn read_hours_csv(reader: impl Read, file: &str) -> Result<Vec<HourlyObservation>, FitError> {
	hours_of(read_rows(reader, file)?, file)
}

/// A CSV row before it is known to be an hour or a day.
struct Row {
	line: usize,
	start: DateTime<FixedOffset>,
	energy: Option<f64>,
	temperature: Option<f64>,
}

fn problem(file: &str, line: usize, text: String) -> FitError {
	FitError::Input { file: file.to_string(), line, text }
}

fn read_rows(reader: impl Read, file: &str) -> Result<Vec<Row>, FitError> {
	let problem = |line: usize, text: String| problem(file, line, text);
	let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
	let headers = csv.headers().map_err(|e| problem(1, e.to_string()))?.clone();
	let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h));
	let start = column(&["start"]).ok_or_else(|| problem(1, "no `start` column".into()))?;
	// Without an energy column the file gives temperatures only (a forecast's).
	let (energy, energy_scale) = match (column(&["energy_wh"]), column(&["energy_kwh"])) {
		(Some(i), _) => (Some(i), 1.0),
		(None, Some(i)) => (Some(i), 1000.0),
		(None, None) => (None, 1.0),
	};
	let (temperature, fahrenheit) = match (column(&["temperature_c"]), column(&["temperature_f"])) {
		(Some(i), _) => (i, false),
		(None, Some(i)) => (i, true),
		(None, None) => {
			return Err(problem(1, "no `temperature_c` or `temperature_f` column".into()))
		}
	};

	let mut rows = Vec::new();
	for (index, record) in csv.records().enumerate() {
		let line = index + 2;
		let record = record.map_err(|e| problem(line, e.to_string()))?;
		let field = |i: usize| record.get(i).unwrap_or_default();
		let start = DateTime::<FixedOffset>::parse_from_rfc3339(field(start))
			.map_err(|e| problem(line, format!("start `{}`: {e}", field(start))))?;
		let number = |i: usize, what: &str| -> Result<Option<f64>, FitError> {
			let text = field(i);
			if text.is_empty() {
				return Ok(None);
			}
			match text.parse::<f64>() {
				Ok(value) if value.is_finite() => Ok(Some(value)),
				_ => Err(problem(line, format!("{what} `{text}` is not a number"))),
			}
		};
		let energy = match energy {
			Some(column) => number(column, "energy")?.map(|e| e * energy_scale),
			None => None,
		};
		let temperature = number(temperature, "temperature")?.map(|t| {
			if fahrenheit {
				(t - 32.0) * 5.0 / 9.0
			} else {
				t
			}
		});
		rows.push(Row { line, start, energy, temperature });
	}
	if rows.is_empty() {
		return Err(problem(1, "no rows".into()));
	}
	Ok(rows)
}

fn hours_of(rows: Vec<Row>, file: &str) -> Result<Vec<HourlyObservation>, FitError> {
	rows.into_iter()
		.map(|Row { line, start, energy, temperature }| {
			if start.minute() != 0 || start.second() != 0 || start.nanosecond() != 0 {
				return Err(problem(
					file,
					line,
					format!("start {start} is not on the hour (rows are hours or whole days)"),
				));
			}
			Ok(HourlyObservation { start, energy, temperature })
		})
		.collect()
}

/// Writes hours as the CSV [`read_csv`] reads.
pub fn write_csv(hours: &[HourlyObservation]) -> String {
	let mut text = String::from("start,energy_wh,temperature_c\n");
	let show = |value: Option<f64>| value.map(|v| format!("{v:.3}")).unwrap_or_default();
	for hour in hours {
		text.push_str(&format!(
			"{},{},{}\n",
			hour.start.to_rfc3339(),
			show(hour.energy),
			show(hour.temperature)
		));
	}
	text
}
