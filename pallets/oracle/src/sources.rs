//! Feed sources for the off-chain worker: where a node operator's HTTP endpoints are, and how a
//! JSON response becomes values per settlement period.
//!
//! The sources are a JSON list kept in the node's offchain storage (persistent kind) under
//! [`SOURCES_KEY`]: the node writes it from `--oracle-sources FILE`, and an operator can replace
//! it while the node runs with the `offchain_localStorageSet` RPC. For example, day-ahead prices
//! from Energy-Charts, and hourly temperatures from Open-Meteo, whose list holds the past day's
//! hours and the forecast ones: an observation source takes those that have ended, a forecast
//! source those yet to begin.
//!
//! ```json
//! [
//!   { "kind": "MarketPrice", "region": "DE-LU",
//!     "url": "https://api.energy-charts.info/price?bzn=DE-LU",
//!     "times": "/unix_seconds", "values": "/price", "scale": 1000 },
//!   { "kind": "OutdoorTemperature", "region": "DE-BE",
//!     "url": "https://api.open-meteo.com/v1/forecast?latitude=52.52&longitude=13.41&hourly=temperature_2m&past_days=1&timeformat=unixtime",
//!     "times": "/hourly/time", "values": "/hourly/temperature_2m", "scale": 10,
//!     "interval_secs": 3600 },
//!   { "kind": "TemperatureForecast", "region": "DE-BE",
//!     "url": "https://api.open-meteo.com/v1/forecast?latitude=52.52&longitude=13.41&hourly=temperature_2m&forecast_days=2&timeformat=unixtime",
//!     "times": "/hourly/time", "values": "/hourly/temperature_2m", "scale": 10,
//!     "interval_secs": 3600, "every_blocks": 600 }
//! ]
//! ```
//!
//! `values` and `times` are JSON pointers (RFC 6901). With `times`, both point at arrays of the
//! same length: Unix seconds at which each value's interval starts, and the values (`null`
//! entries are skipped). Without `times`, `values` points at one number: for prices the current
//! period's, for forecasts the next period's, for observations the period that just ended. Each number is multiplied by `scale`
//! into the feed's unit (see [`FeedKind::unit`]) and rounded half away from zero. A value covers
//! `interval_secs` (default: one period), so an hourly temperature fills four 15-minute periods.

use crate::types::{FeedKind, MaxRegionLen, PeriodIndex};
use alloc::{format, string::String, vec::Vec};
use core::ops::RangeInclusive;
use frame_support::traits::Get;
use serde_json::Value;

/// The offchain-storage key (persistent kind) of the node's feed sources.
pub const SOURCES_KEY: &[u8] = b"smartblocks::oracle::sources";

/// Blocks between two fetches of a source unless it says otherwise: a minute at 6 s blocks.
pub const DEFAULT_EVERY_BLOCKS: u32 = 10;

/// Longest interval one value may cover: a day.
pub const MAX_INTERVAL_SECS: u32 = 86_400;

/// One HTTP endpoint serving one feed.
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeedSource {
	pub kind: FeedKind,
	/// The feed's region code.
	pub region: String,
	/// `http://` or `https://` URL fetched with a GET request.
	pub url: String,
	/// JSON pointer to the value, or with `times` to the array of values.
	pub values: String,
	/// JSON pointer to the array of interval starts in Unix seconds.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub times: Option<String>,
	/// Factor from the source's numbers to the feed's unit (1000 for EUR/MWh, 10 for °C).
	pub scale: f64,
	/// Seconds one value covers; one period if absent.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub interval_secs: Option<u32>,
	/// Blocks between fetches.
	#[serde(default = "default_every_blocks")]
	pub every_blocks: u32,
}

fn default_every_blocks() -> u32 {
	DEFAULT_EVERY_BLOCKS
}

/// Why a list of sources cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceError {
	/// The text is not a JSON list of sources (serde's message: line, column and cause).
	Syntax(String),
	/// Source number `source` (from 1) has a `field` that cannot work.
	Field { source: usize, field: &'static str, problem: &'static str },
}

impl core::fmt::Display for SourceError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			SourceError::Syntax(cause) => write!(f, "not a JSON list of feed sources: {cause}"),
			SourceError::Field { source, field, problem } => {
				write!(f, "feed source {source}, field `{field}`: {problem}")
			}
		}
	}
}

/// Parses and checks a JSON list of sources.
pub fn parse_sources(json: &[u8]) -> Result<Vec<FeedSource>, SourceError> {
	let sources: Vec<FeedSource> =
		serde_json::from_slice(json).map_err(|e| SourceError::Syntax(format!("{e}")))?;
	for (index, source) in sources.iter().enumerate() {
		source.check().map_err(|(field, problem)| SourceError::Field {
			source: index + 1,
			field,
			problem,
		})?;
	}
	Ok(sources)
}

impl FeedSource {
	/// The first field that cannot work, with the reason.
	fn check(&self) -> Result<(), (&'static str, &'static str)> {
		let region_fits = self.region.len() <= <MaxRegionLen as Get<u32>>::get() as usize;
		if !region_fits || !smartblocks_primitives::is_region_code(self.region.as_bytes()) {
			return Err(("region", "must be 1-16 ASCII letters, digits, `-` or `_`"));
		}
		if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
			return Err(("url", "must start with http:// or https://"));
		}
		if !is_pointer(&self.values) {
			return Err(("values", "must be a JSON pointer: empty or starting with `/`"));
		}
		if self.times.as_deref().is_some_and(|times| !is_pointer(times)) {
			return Err(("times", "must be a JSON pointer: empty or starting with `/`"));
		}
		if !self.scale.is_finite() || self.scale == 0.0 {
			return Err(("scale", "must be a finite number other than 0"));
		}
		if self.interval_secs.is_some_and(|secs| secs == 0 || secs > MAX_INTERVAL_SECS) {
			return Err(("interval_secs", "must be 1 to 86400 seconds"));
		}
		if self.every_blocks == 0 {
			return Err(("every_blocks", "must be at least 1"));
		}
		Ok(())
	}

	/// The (period, value) pairs a response holds for `periods`, in the feed's unit.
	///
	/// `now_period` is the period the chain's clock is in; `period_ms` the period length.
	pub fn read_response(
		&self,
		body: &[u8],
		period_ms: u64,
		now_period: PeriodIndex,
		periods: RangeInclusive<PeriodIndex>,
	) -> Result<Vec<(PeriodIndex, i64)>, ResponseError> {
		let document: Value =
			serde_json::from_slice(body).map_err(|e| ResponseError::NotJson(format!("{e}")))?;
		let at = |pointer: &str| {
			document.pointer(pointer).ok_or_else(|| ResponseError::Missing(pointer.into()))
		};
		let Some(times) = &self.times else {
			let value = self.to_unit(at(&self.values)?, &self.values)?;
			let period = self.kind.period_of_current_value(now_period);
			return Ok(periods.contains(&period).then_some((period, value)).into_iter().collect());
		};
		let (Value::Array(starts), Value::Array(values)) = (at(times)?, at(&self.values)?) else {
			return Err(ResponseError::NotArrays);
		};
		if starts.len() != values.len() {
			return Err(ResponseError::LengthMismatch {
				times: starts.len(),
				values: values.len(),
			});
		}
		let interval_ms = self.interval_secs.map_or(period_ms, |secs| u64::from(secs) * 1_000);
		let mut pairs = Vec::new();
		for (start, value) in starts.iter().zip(values) {
			if value.is_null() {
				continue;
			}
			let start_ms = start
				.as_u64()
				.and_then(|secs| secs.checked_mul(1_000))
				.ok_or(ResponseError::BadTime)?;
			let value = self.to_unit(value, &self.values)?;
			// Every period that starts inside the value's interval.
			let first = start_ms.div_ceil(period_ms);
			let end = start_ms.saturating_add(interval_ms).div_ceil(period_ms);
			for period in first..end {
				let Ok(period) = PeriodIndex::try_from(period) else { break };
				if periods.contains(&period) {
					pairs.push((period, value));
				}
			}
		}
		Ok(pairs)
	}

	/// `number × scale` rounded half away from zero.
	fn to_unit(&self, number: &Value, pointer: &str) -> Result<i64, ResponseError> {
		let scaled =
			number.as_f64().ok_or_else(|| ResponseError::NotNumber(pointer.into()))? * self.scale;
		// The largest f64 below 2^63 and its negation: beyond them the cast would saturate.
		if !scaled.is_finite() || scaled.abs() >= 9.2e18 {
			return Err(ResponseError::OutOfRange(pointer.into()));
		}
		let half = if scaled < 0.0 { -0.5 } else { 0.5 };
		// Truncation after adding ±0.5 rounds half away from zero; the range is checked above.
		Ok((scaled + half) as i64)
	}
}

/// Why a response gave no values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseError {
	/// The body is not JSON.
	NotJson(String),
	/// Nothing at this pointer.
	Missing(String),
	/// The `times` and `values` pointers do not both lead to arrays.
	NotArrays,
	/// The arrays differ in length.
	LengthMismatch { times: usize, values: usize },
	/// An interval start is not a whole number of Unix seconds.
	BadTime,
	/// A value (at this pointer) is not a number.
	NotNumber(String),
	/// A scaled value does not fit the feed's integers.
	OutOfRange(String),
}

impl core::fmt::Display for ResponseError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			ResponseError::NotJson(cause) => write!(f, "the response is not JSON: {cause}"),
			ResponseError::Missing(pointer) => write!(f, "nothing at `{pointer}`"),
			ResponseError::NotArrays => f.write_str("`times` and `values` must both be arrays"),
			ResponseError::LengthMismatch { times, values } => {
				write!(f, "{times} times but {values} values")
			}
			ResponseError::BadTime => f.write_str("a time is not whole Unix seconds"),
			ResponseError::NotNumber(pointer) => write!(f, "a value at `{pointer}` is no number"),
			ResponseError::OutOfRange(pointer) => {
				write!(f, "a value at `{pointer}` times the scale is out of range")
			}
		}
	}
}

fn is_pointer(pointer: &str) -> bool {
	pointer.is_empty() || pointer.starts_with('/')
}
