//! Interval data from energy management systems: a CSV export read into rows of a virtual
//! meter, checked as a whole first, so a file with a mistake records nothing and is reported
//! with its line, column and problem.

use crate::{
	config::{CsvMeterConfig, EnergyValues},
	measure::{Measured, MeterState},
};
use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use std::path::Path;

/// One row: when, and the values as scaled (Wh of the interval or cumulative, °C).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
	/// Milliseconds since the epoch.
	pub timestamp: u64,
	pub energy: Option<f64>,
	pub temperature: Option<f64>,
}

/// Why a file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
	#[error("{file}: {reason}")]
	Read { file: String, reason: String },
	#[error("{file}: no column `{column}` in the header")]
	MissingColumn { file: String, column: String },
	#[error("{file}: line {line}: {column}: {problem}")]
	Value { file: String, line: u64, column: String, problem: String },
	#[error("{file}: line {line}: the time is not after the row before's")]
	NotIncreasing { file: String, line: u64 },
}

/// The rows of `path` for `meter`; naive timestamps are in `zone`.
pub fn read_rows(path: &Path, meter: &CsvMeterConfig, zone: Tz) -> Result<Vec<Row>, CsvError> {
	let file = path.display().to_string();
	let read = |e: csv::Error| CsvError::Read { file: file.clone(), reason: e.to_string() };
	let mut reader = csv::ReaderBuilder::new()
		.delimiter(meter.delimiter as u8)
		.trim(csv::Trim::All)
		.from_path(path)
		.map_err(read)?;
	let headers = reader.headers().map_err(read)?.clone();
	let column = |name: &str| {
		headers
			.iter()
			.position(|header| header == name)
			.ok_or(CsvError::MissingColumn { file: file.clone(), column: name.to_string() })
	};
	let time_column = column(&meter.timestamp.column)?;
	let energy_column = meter.energy.as_ref().map(|e| column(&e.column)).transpose()?;
	let temperature_column = meter.temperature.as_ref().map(|t| column(&t.column)).transpose()?;
	let mut rows: Vec<Row> = Vec::new();
	for record in reader.records() {
		let record = record.map_err(read)?;
		let line = record.position().map_or(0, |p| p.line());
		let problem = |column: &str, problem: String| CsvError::Value {
			file: file.clone(),
			line,
			column: column.to_string(),
			problem,
		};
		let field = |index: usize| record.get(index).unwrap_or_default();
		let (earliest, latest) =
			parse_time(field(time_column), meter.timestamp.format.as_deref(), zone)
				.map_err(|p| problem(&meter.timestamp.column, p))?;
		let timestamp = pass_of(earliest, latest, rows.last().map(|row| row.timestamp));
		let number = |index: usize, name: &str, scale: f64| {
			let text = field(index);
			// Decimal commas, as many European exports write them.
			let value: f64 = text
				.replace(',', ".")
				.parse()
				.map_err(|_| problem(name, format!("`{text}` is no number")))?;
			let scaled = value * scale;
			if !scaled.is_finite() {
				return Err(problem(name, format!("`{text}` is out of range")));
			}
			Ok(scaled)
		};
		let energy = match (energy_column, &meter.energy) {
			(Some(index), Some(energy)) => {
				let wh = number(index, &energy.column, energy.scale)?;
				if wh < 0.0 {
					let what = match energy.values {
						EnergyValues::Interval => "an interval's energy",
						EnergyValues::Cumulative => "a cumulative register",
					};
					return Err(problem(&energy.column, format!("{what} cannot be negative")));
				}
				Some(wh)
			}
			_ => None,
		};
		let temperature = match (temperature_column, &meter.temperature) {
			(Some(index), Some(column)) => Some(number(index, &column.column, column.scale)?),
			_ => None,
		};
		if rows.last().is_some_and(|last| last.timestamp >= timestamp) {
			return Err(CsvError::NotIncreasing { file: file.clone(), line });
		}
		rows.push(Row { timestamp, energy, temperature });
	}
	Ok(rows)
}

/// The instants in ms since the epoch `text` may be, earliest and latest (the same but for
/// local times the clocks pass twice): RFC 3339 without `format`, else local time in `zone`.
pub(crate) fn parse_time(text: &str, format: Option<&str>, zone: Tz) -> Result<(u64, u64), String> {
	let (earliest, latest) = match format {
		None => {
			let instant = DateTime::parse_from_rfc3339(text)
				.map_err(|e| format!("`{text}` is no RFC 3339 time with offset: {e}"))?
				.timestamp_millis();
			(instant, instant)
		}
		Some(format) => {
			let naive = NaiveDateTime::parse_from_str(text, format)
				.map_err(|e| format!("`{text}` does not match `{format}`: {e}"))?;
			let local = zone.from_local_datetime(&naive);
			let missing = || format!("`{text}` does not exist in {zone} (the clocks went forward)");
			let earliest = local.earliest().ok_or_else(missing)?.timestamp_millis();
			let latest = local.latest().ok_or_else(missing)?.timestamp_millis();
			(earliest, latest)
		}
	};
	let millis =
		|instant: i64| u64::try_from(instant).map_err(|_| format!("`{text}` is before 1970"));
	Ok((millis(earliest)?, millis(latest)?))
}

/// Which of a local time's instants a row means, given the row before's: a local time the
/// clocks pass twice is the first pass until a row was there.
pub(crate) fn pass_of(earliest: u64, latest: u64, before: Option<u64>) -> u64 {
	match before {
		Some(before) if before >= earliest => latest,
		_ => earliest,
	}
}

/// A row as a reading: when, and its values in the chain's units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowReading {
	pub timestamp: u64,
	pub measured: Measured,
}

/// The readings of `rows` the meter has not had yet (those after `state`'s last timestamp), for a
/// chain register of `multiplier` Wh steps: interval energy added up from the last register, the
/// part of a step left over carried into the next row (to the mWh), so the register's advance is
/// the rows' total; a cumulative register taken as it is (it must not fall); demand as the
/// interval's average power. `state` is moved past the last of them. The error names the row's
/// time.
pub fn row_readings(
	rows: &[Row],
	meter: &CsvMeterConfig,
	multiplier: u32,
	state: &mut MeterState,
) -> Result<Vec<RowReading>, String> {
	let step_mwh = u64::from(multiplier.max(1)) * 1000;
	let multiplier = f64::from(multiplier.max(1));
	let mut readings = Vec::new();
	for row in rows {
		if state.last_timestamp.is_some_and(|last| row.timestamp <= last) {
			continue;
		}
		let temperature = row
			.temperature
			.map(|celsius| {
				let tenths = (celsius * 10.0).round();
				if (f64::from(i16::MIN)..=f64::from(i16::MAX)).contains(&tenths) {
					Ok(tenths as i16)
				} else {
					Err(format!(
						"row at {}: temperature {celsius} °C is out of range",
						row.timestamp
					))
				}
			})
			.transpose()?;
		let (register, demand) = match (row.energy, &meter.energy) {
			(Some(wh), Some(energy)) => {
				let last = state.last_register.unwrap_or(0);
				let register = match energy.values {
					EnergyValues::Interval => {
						if wh < 0.0 {
							return Err(format!(
								"row at {}: interval energy {wh} Wh is negative",
								row.timestamp
							));
						}
						// Whole mWh: the file's own resolution is coarser in practice.
						let total = state.carried_mwh.saturating_add((wh * 1000.0).round() as u64);
						state.carried_mwh = total % step_mwh;
						last.saturating_add(total / step_mwh)
					}
					EnergyValues::Cumulative => {
						let register = (wh / multiplier).floor() as u64;
						if register < last {
							return Err(format!(
								"row at {}: the cumulative register {register} is below the last \
								 recorded, {last}",
								row.timestamp
							));
						}
						register
					}
				};
				let demand = match (energy.values, state.last_timestamp) {
					(EnergyValues::Interval, Some(before)) => {
						let hours = (row.timestamp - before) as f64 / 3_600_000.0;
						Some((wh / hours).round().min(f64::from(u32::MAX)) as u32)
					}
					_ => None,
				};
				(register, demand)
			}
			_ => (0, None),
		};
		state.last_register = Some(register).filter(|_| meter.kind.measures_energy());
		state.last_timestamp = Some(row.timestamp);
		readings.push(RowReading {
			timestamp: row.timestamp,
			measured: Measured { register, demand, temperature },
		});
	}
	Ok(readings)
}
