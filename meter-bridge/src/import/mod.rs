//! Interval data from before the bridge read a site's meters: the year of a utility's or an
//! energy management system's exports an ESCO fits a baseline on. Read from CSV ([`csv`]) or
//! Green Button, the ESPI XML North American utilities export ([`green_button`]), checked as a
//! whole (every mistake named with its file and line, and a file with one records nothing),
//! summed into the site's hours and kept in the bridge's history store ([`store`]), where
//! baselines and forecasts take the hours the bridge's own readings do not cover. Nothing
//! imported goes on chain: the chain holds only readings a meter's device signed.

pub mod csv;
pub mod green_button;
pub mod store;

use std::collections::BTreeMap;

pub use smartblocks_rules::time::HOUR_MS;
/// 2000-01-01 00:00 UTC, ms: interval data from before is taken for a mistake (seconds read as
/// milliseconds, a wrong column).
const EARLIEST_MS: u64 = 946_684_800_000;
/// How far past now an interval may end: a clock a little ahead.
const FUTURE_MS: u64 = 15 * 60_000;

/// What a value of a file measures of a site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
	/// The site's use itself, Wh (what `baseline fit` and the bridge's `/history` write).
	Use,
	/// Energy from the grid, Wh.
	GridImport,
	/// Energy to the grid, Wh.
	GridExport,
	/// On-site generation, Wh.
	Generation,
	/// Mean outdoor temperature, °C.
	Temperature,
}

impl Channel {
	pub const ALL: [Channel; 5] = [
		Channel::Use,
		Channel::GridImport,
		Channel::GridExport,
		Channel::Generation,
		Channel::Temperature,
	];

	/// Energy is summed over an hour; a temperature averaged.
	pub fn is_energy(self) -> bool {
		self != Channel::Temperature
	}

	/// Its number in the history store.
	pub fn code(self) -> u8 {
		self as u8
	}

	pub fn from_code(code: u8) -> Option<Channel> {
		Channel::ALL.get(usize::from(code)).copied()
	}

	pub fn describe(self) -> &'static str {
		match self {
			Channel::Use => "use",
			Channel::GridImport => "grid import",
			Channel::GridExport => "grid export",
			Channel::Generation => "generation",
			Channel::Temperature => "temperature",
		}
	}
}

/// One value of a file: what `channel` measured over `start_ms..end_ms` (ms since the epoch),
/// from line `line`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
	pub channel: Channel,
	pub start_ms: u64,
	pub end_ms: u64,
	/// Wh for energy, °C for a temperature.
	pub value: f64,
	pub line: usize,
}

/// Why a file cannot be imported; nothing of it is.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
	#[error("{file}: {text}")]
	File { file: String, text: String },
	#[error("{file}: line {line}: {text}")]
	Line { file: String, line: usize, text: String },
}

impl ImportError {
	pub fn line(file: &str, line: usize, text: impl Into<String>) -> ImportError {
		ImportError::Line { file: file.to_string(), line, text: text.into() }
	}

	pub fn file(file: &str, text: impl Into<String>) -> ImportError {
		ImportError::File { file: file.to_string(), text: text.into() }
	}
}

/// A file's values summed into hours (by channel and the hour's start, ms since the epoch).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hours {
	/// Energy of every hour the file covers wholly; the mean temperature of every hour it
	/// gives one for.
	pub values: BTreeMap<(Channel, u64), f64>,
	/// Hours an energy channel covers only in part (a gap in the file): left out, not guessed.
	pub incomplete: Vec<(Channel, u64)>,
	/// Intervals the file gives twice with the same value, taken once.
	pub duplicates: usize,
}

impl Hours {
	/// How many hours each channel has.
	pub fn counts(&self) -> BTreeMap<Channel, usize> {
		let mut counts = BTreeMap::new();
		for (channel, _) in self.values.keys() {
			*counts.entry(*channel).or_default() += 1;
		}
		counts
	}
}

/// What a file's values must keep to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Limits {
	/// Ms since the epoch: no interval may end later (but for a clock a little ahead).
	pub now_ms: u64,
	/// The most power each energy channel's meters can carry, W (the site's meters' summed
	/// `max_power`); a channel left out is not checked.
	pub max_power_w: BTreeMap<Channel, f64>,
}

/// Sums `intervals` of `file` into hours: energy spread over the hours an interval spans in
/// proportion to time (an hour counts only when its intervals cover all of it), temperatures
/// averaged weighted by time. An interval given twice with the same value is taken once;
/// with another value, or overlapping another, it is refused with both lines named; one before
/// 2000, ending after `limits.now_ms`, or implying more power than the channel's meters carry,
/// as a mistake.
pub fn into_hours(
	mut intervals: Vec<Interval>,
	file: &str,
	limits: &Limits,
) -> Result<Hours, ImportError> {
	intervals.sort_by_key(|interval| (interval.channel, interval.start_ms, interval.line));
	let mut hours = Hours::default();
	// Per (channel, hour): the sum of value × covered ms and the covered ms.
	let mut sums: BTreeMap<(Channel, u64), (f64, u64)> = BTreeMap::new();
	let mut previous: Option<Interval> = None;
	for interval in intervals {
		let Interval { channel, start_ms, end_ms, value, line } = interval;
		if end_ms <= start_ms || end_ms - start_ms > HOUR_MS {
			return Err(ImportError::line(
				file,
				line,
				format!(
					"an interval of {} s: the history keeps hours, from intervals of an hour or \
					 less",
					(i128::from(end_ms) - i128::from(start_ms)) / 1000
				),
			));
		}
		if start_ms < EARLIEST_MS || end_ms > limits.now_ms.saturating_add(FUTURE_MS) {
			return Err(ImportError::line(
				file,
				line,
				format!(
					"the interval from {} is {}: are its times in the unit the format says?",
					shown(start_ms),
					if start_ms < EARLIEST_MS { "before 2000" } else { "in the future" }
				),
			));
		}
		if let Some(before) = previous.filter(|before| before.channel == channel) {
			if before.start_ms == start_ms {
				let same = before.end_ms == end_ms
					&& (before.value - value).abs() <= 1e-9 * value.abs().max(1.0);
				if same {
					hours.duplicates += 1;
					continue;
				}
				return Err(ImportError::line(
					file,
					line,
					format!(
						"the {} from {} is given again, as {value}: line {} gave {}",
						channel.describe(),
						shown(start_ms),
						before.line,
						before.value
					),
				));
			}
			if start_ms < before.end_ms {
				return Err(ImportError::line(
					file,
					line,
					format!(
						"the {} from {} overlaps line {}'s, which runs to {}",
						channel.describe(),
						shown(start_ms),
						before.line,
						shown(before.end_ms)
					),
				));
			}
		}
		let length = (end_ms - start_ms) as f64;
		if let Some(max) = limits.max_power_w.get(&channel).filter(|_| channel.is_energy()) {
			let watts = value / (length / HOUR_MS as f64);
			if watts > *max {
				return Err(ImportError::line(
					file,
					line,
					format!(
						"{value} Wh in {} s is {watts:.0} W on average, more than the {} meters \
						 carry ({max:.0} W): is it in the unit the column or ReadingType says?",
						length / 1000.0,
						channel.describe()
					),
				));
			}
		}
		let mut from = start_ms;
		while from < end_ms {
			let hour = from / HOUR_MS * HOUR_MS;
			let to = (hour + HOUR_MS).min(end_ms);
			let part = (to - from) as f64;
			let sum = sums.entry((channel, hour)).or_default();
			if channel.is_energy() {
				sum.0 += value * part / length;
			} else {
				sum.0 += value * part;
			}
			sum.1 += to - from;
			from = to;
		}
		previous = Some(interval);
	}
	for ((channel, hour), (sum, covered)) in sums {
		if !channel.is_energy() {
			hours.values.insert((channel, hour), sum / covered as f64);
		} else if covered == HOUR_MS {
			hours.values.insert((channel, hour), sum);
		} else {
			hours.incomplete.push((channel, hour));
		}
	}
	Ok(hours)
}

/// `ms` since the epoch as an RFC 3339 time (UTC) for messages.
pub fn shown(ms: u64) -> String {
	i64::try_from(ms)
		.ok()
		.and_then(chrono::DateTime::from_timestamp_millis)
		.map_or_else(|| format!("{ms} ms"), |time| time.to_rfc3339())
}

/// The largest file imported: a year of 15-minute Green Button data in both directions is
/// about 30 MB.
pub const MAX_FILE_BYTES: u64 = 128 << 20;

/// The hours of the file at `path`: Green Button if it is XML (by its name, or its first
/// character), CSV otherwise, with times as `times` says, its values within `limits`.
pub fn read_file(
	path: &std::path::Path,
	times: csv::Times,
	limits: &Limits,
) -> Result<Hours, ImportError> {
	use std::io::Read as _;
	let file = path.display().to_string();
	let cannot = |e: std::io::Error| ImportError::file(&file, format!("cannot read the file: {e}"));
	let mut text = String::new();
	// Read through a cap: a pipe or a device says nothing of its size beforehand.
	std::fs::File::open(path)
		.and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
		.map_err(cannot)?;
	if text.len() as u64 > MAX_FILE_BYTES {
		return Err(ImportError::file(
			&file,
			format!("more than the {MAX_FILE_BYTES} bytes a file may have: split it"),
		));
	}
	let xml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
		|| text.trim_start().starts_with('<');
	let intervals = if xml {
		green_button::read(&text, &file)?
	} else {
		csv::read(text.as_bytes(), &file, times)?
	};
	into_hours(intervals, &file, limits)
}

/// What importing one file did, as `meter-bridge import` prints it.
pub fn describe(hours: &Hours, stored: &store::Stored) -> String {
	let counts = hours.counts();
	let mut text = counts
		.iter()
		.map(|(channel, count)| format!("{count} hours of {}", channel.describe()))
		.collect::<Vec<_>>()
		.join(", ");
	let (Some(first), Some(last)) =
		(hours.values.keys().map(|k| k.1).min(), hours.values.keys().map(|k| k.1).max())
	else {
		return "no whole hour".to_string();
	};
	text.push_str(&format!(" from {} to {}", shown(first), shown(last + HOUR_MS)));
	if let Some((channel, hour)) = hours.incomplete.first() {
		text.push_str(&format!(
			"; {} hours covered only in part, left out (the first: {} from {})",
			hours.incomplete.len(),
			channel.describe(),
			shown(*hour)
		));
	}
	if hours.duplicates > 0 {
		text.push_str(&format!("; {} intervals given twice, taken once", hours.duplicates));
	}
	text.push_str(&format!(
		": {} new, {} held already, {} replaced",
		stored.added, stored.same, stored.replaced
	));
	text
}

/// Imports `files` for `site` of `config` (CSV times in `time_format` on the site's clock, or
/// RFC 3339): every file is read and checked before the store is opened, so a running bridge
/// waits for nothing but the writes; each file is stored in a transaction of its own. Returns
/// a line per file, and one per energy channel the site's meters need that imported hours
/// lack (those hours give the site no use).
pub fn import_files(
	config: &crate::config::Config,
	site: &str,
	files: &[std::path::PathBuf],
	time_format: Option<&str>,
	replace: bool,
	now_ms: u64,
) -> anyhow::Result<Vec<String>> {
	use crate::config::Kind;
	let zone = config
		.time_zone(site)
		.ok_or_else(|| anyhow::anyhow!("no site `{site}` in the configuration"))?;
	let meters: Vec<_> = config.identities().into_iter().filter(|m| m.site == site).collect();
	let carried = |kinds: &[Kind]| {
		let watts = meters
			.iter()
			.filter(|m| kinds.contains(&m.kind))
			.map(|m| f64::from(m.max_power.unwrap_or(0)))
			.sum::<f64>();
		(watts > 0.0).then_some(watts)
	};
	let max_power_w = [
		(Channel::GridImport, carried(&[Kind::GridImport])),
		(Channel::GridExport, carried(&[Kind::GridExport])),
		(Channel::Generation, carried(&[Kind::Generation])),
		(Channel::Use, carried(&[Kind::GridImport, Kind::Generation])),
	]
	.into_iter()
	.filter_map(|(channel, watts)| Some((channel, watts?)))
	.collect();
	let limits = Limits { now_ms, max_power_w };
	let times = csv::Times { format: time_format, zone };
	let read = files
		.iter()
		.map(|file| Ok((file.display().to_string(), read_file(file, times, &limits)?)))
		.collect::<Result<Vec<_>, ImportError>>()?;

	let store = store::HistoryStore::open(&store::history_path(&config.bridge.data_dir))?;
	let mut lines = Vec::new();
	for (source, hours) in &read {
		let stored = store.import(site, hours, replace, source, now_ms)?;
		lines.push(format!("{source}: {}", describe(hours, &stored)));
	}
	let held = store.site_hours(site)?;
	for (channel, kind) in
		[(Channel::GridExport, Kind::GridExport), (Channel::Generation, Kind::Generation)]
	{
		if !meters.iter().any(|m| m.kind == kind) {
			continue;
		}
		let lacking = held
			.values()
			.filter(|values| {
				values.contains_key(&Channel::GridImport)
					&& !values.contains_key(&Channel::Use)
					&& !values.contains_key(&channel)
			})
			.count();
		if lacking > 0 {
			lines.push(format!(
				"warning: {lacking} imported hours of grid import have no {}, which the site's \
				 meters say it has: they give no use until it is imported too",
				channel.describe()
			));
		}
	}
	Ok(lines)
}
