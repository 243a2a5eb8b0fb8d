//! Past interval data as CSV: a `start` column, an `end` column or none (then every row is an
//! hour), and any of `energy` (the site's use), `import`, `export` and `generation` in `_wh` or
//! `_kwh`, and `temperature_c` or `temperature_f`; an empty cell is a value not measured. Times
//! are RFC 3339 with their offset, or, given a format, local times on the site's clock (a time
//! the clocks pass twice is the first pass until a row was there; one they skip is refused).
//! Comma or semicolon separated, the separator read off the header; with semicolons, decimal
//! commas are read too, as European exports write them. The hours `baseline fit` reads and the
//! bridge's `/history` writes are such a file.

use super::{Channel, ImportError, Interval, HOUR_MS};
use crate::csv_source::{parse_time, pass_of};
use chrono_tz::Tz;
use std::io::Read;

/// How a file's times are written.
#[derive(Clone, Copy, Debug)]
pub struct Times<'a> {
	/// A chrono format of local times on the site's clock; RFC 3339 with offset if `None`.
	pub format: Option<&'a str>,
	/// The site's time zone.
	pub zone: Tz,
}

/// The value columns a file may have: (name, channel, factor to Wh or °C).
const ENERGY_COLUMNS: [(&str, Channel); 4] = [
	("energy", Channel::Use),
	("import", Channel::GridImport),
	("export", Channel::GridExport),
	("generation", Channel::Generation),
];

/// A value column of the header.
struct Column {
	index: usize,
	name: String,
	channel: Channel,
	/// `value × factor (+ offset)` is Wh or °C.
	convert: fn(f64) -> f64,
}

/// The intervals of the CSV `reader` (named `file` in errors), times as `times` says.
pub fn read(mut reader: impl Read, file: &str, times: Times) -> Result<Vec<Interval>, ImportError> {
	if let Some(format) =
		times.format.filter(|f| ["%z", "%:z", "%Z", "%#z"].iter().any(|z| f.contains(z)))
	{
		return Err(ImportError::file(
			file,
			format!(
				"the time format `{format}` has an offset: local times are on the site's clock, \
				 and times with offsets are read as RFC 3339 without a format"
			),
		));
	}
	let mut text = String::new();
	reader
		.read_to_string(&mut text)
		.map_err(|e| ImportError::file(file, format!("cannot read the file: {e}")))?;
	let header = text.lines().next().unwrap_or_default();
	let semicolons = header.matches(';').count() > header.matches(',').count();
	let mut csv = ::csv::ReaderBuilder::new()
		.delimiter(if semicolons { b';' } else { b',' })
		.trim(::csv::Trim::All)
		.from_reader(text.as_bytes());
	let headers = csv.headers().map_err(|e| ImportError::line(file, 1, e.to_string()))?.clone();
	let position = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
	let start = position("start").ok_or_else(|| ImportError::line(file, 1, "no `start` column"))?;
	let end = position("end");
	let mut columns = Vec::new();
	for (stem, channel) in ENERGY_COLUMNS {
		let wh = position(&format!("{stem}_wh")).map(|i| (i, "wh", (|v| v) as fn(f64) -> f64));
		let kwh = position(&format!("{stem}_kwh"))
			.map(|i| (i, "kwh", (|v: f64| v * 1000.0) as fn(f64) -> f64));
		if wh.is_some() && kwh.is_some() {
			return Err(ImportError::line(
				file,
				1,
				format!("both `{stem}_wh` and `{stem}_kwh`: give the {} once", channel.describe()),
			));
		}
		if let Some((index, unit, convert)) = wh.or(kwh) {
			columns.push(Column { index, name: format!("{stem}_{unit}"), channel, convert });
		}
	}
	match (position("temperature_c"), position("temperature_f")) {
		(Some(_), Some(_)) => {
			return Err(ImportError::line(
				file,
				1,
				"both `temperature_c` and `temperature_f`: give the temperature once",
			))
		}
		(Some(index), None) => columns.push(Column {
			index,
			name: "temperature_c".into(),
			channel: Channel::Temperature,
			convert: |c| c,
		}),
		(None, Some(index)) => columns.push(Column {
			index,
			name: "temperature_f".into(),
			channel: Channel::Temperature,
			convert: |f| (f - 32.0) * 5.0 / 9.0,
		}),
		(None, None) => {}
	}
	if columns.is_empty() {
		return Err(ImportError::line(
			file,
			1,
			"no value column: energy, import, export or generation (each `_wh` or `_kwh`), \
			 temperature_c or temperature_f",
		));
	}

	let mut intervals = Vec::new();
	let mut before = None;
	for record in csv.records() {
		let record = record.map_err(|e| {
			let line = e.position().map_or(0, |p| p.line() as usize);
			ImportError::line(file, line, e.to_string())
		})?;
		let line = record.position().map_or(0, |p| p.line() as usize);
		let problem = |column: &str, text: String| {
			ImportError::line(file, line, format!("column `{column}`: {text}"))
		};
		let field = |index: usize| record.get(index).unwrap_or_default();
		let (earliest, latest) =
			parse_time(field(start), times.format, times.zone).map_err(|p| problem("start", p))?;
		let start_ms = pass_of(earliest, latest, before);
		// Local times are told apart by their place: a time the clocks pass twice is the first
		// pass until a row was there, so the rows must run forward.
		if times.format.is_some() && before.is_some_and(|before| start_ms < before) {
			return Err(problem(
				"start",
				format!(
					"`{}` is before the row above's: local times must run forward",
					field(start)
				),
			));
		}
		before = Some(start_ms);
		let end_ms = match end {
			None => start_ms + HOUR_MS,
			Some(index) => {
				let (earliest, latest) = parse_time(field(index), times.format, times.zone)
					.map_err(|p| problem("end", p))?;
				// The end a local time names is the first instant after the start it can be;
				// on the wall clock's length where the clocks went back within the interval.
				let wall = times.format.and_then(|format| {
					let naive = |text| chrono::NaiveDateTime::parse_from_str(text, format).ok();
					let length = (naive(field(index))? - naive(field(start))?).num_milliseconds();
					u64::try_from(length).ok().filter(|ms| *ms > 0).map(|ms| start_ms + ms)
				});
				let end_ms = [Some(earliest), Some(latest), wall]
					.into_iter()
					.flatten()
					.filter(|end| *end > start_ms)
					.min()
					.unwrap_or(earliest);
				if end_ms <= start_ms {
					return Err(problem(
						"end",
						format!("`{}` is not after the start", field(index)),
					));
				}
				end_ms
			}
		};
		for column in &columns {
			let text = field(column.index);
			if text.is_empty() {
				continue;
			}
			let number = if semicolons { text.replace(',', ".") } else { text.to_string() };
			let value = number
				.parse::<f64>()
				.ok()
				.map(column.convert)
				.filter(|value| value.is_finite())
				.ok_or_else(|| problem(&column.name, format!("`{text}` is no number")))?;
			if column.channel.is_energy() && value < 0.0 {
				return Err(problem(&column.name, format!("`{text}`: energy cannot be negative")));
			}
			intervals.push(Interval { channel: column.channel, start_ms, end_ms, value, line });
		}
	}
	if intervals.is_empty() {
		return Err(ImportError::file(
			file,
			"no values: the file has no rows, or only empty cells",
		));
	}
	Ok(intervals)
}
