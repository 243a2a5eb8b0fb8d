//! A site's hours from the bridge's own readings: its use (grid import plus generation less
//! grid export) spread over the hours between consecutive register readings, and the mean of
//! its temperature sensor's readings in each hour, on the site's wall clock.

use super::series::HourlyObservation;
use crate::{
	config::{Config, Kind},
	outbox::{Outbox, OutboxError},
	run::identity_of,
};
use chrono::{DateTime, Utc};
use smartblocks_client::{meters::SignedReading, subxt::ext::codec::Decode};

const HOUR_MS: u64 = 3_600_000;
/// Readings further apart than this leave the hours between them unknown rather than spread
/// evenly.
const MAX_SPREAD_MS: u64 = HOUR_MS;

/// Why a site's history could not be built.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
	#[error("no site `{0}` in the configuration")]
	UnknownSite(String),
	#[error("site `{0}` has no grid import meter, so its use is not measured")]
	NoUse(String),
	#[error("site `{0}` has no temperature sensor (a meter of kind `temperature`)")]
	NoTemperature(String),
	#[error("meter `{0}` is not registered yet, so the bridge has no readings of it")]
	Unregistered(String),
	#[error("meter `{meter}`: reading {index} in the outbox cannot be decoded: {reason}")]
	Corrupt { meter: String, index: usize, reason: String },
	#[error(transparent)]
	Outbox(#[from] OutboxError),
}

/// One meter's readings: (timestamp ms, register Wh after the multiplier, temperature °C).
type Readings = Vec<(u64, u64, Option<f64>)>;

/// The hours of `site` from the bridge's readings of its meters, from the hour of the first
/// reading to that of the last.
pub fn site_hours(
	config: &Config,
	outbox: &Outbox,
	site: &str,
) -> Result<Vec<HourlyObservation>, HistoryError> {
	let zone = config.time_zone(site).ok_or_else(|| HistoryError::UnknownSite(site.to_string()))?;
	let mut energy_meters = Vec::new();
	let mut sensors = Vec::new();
	for meter in config.identities().into_iter().filter(|m| m.site == site) {
		let sign = match meter.kind {
			Kind::GridImport | Kind::Generation => 1.0,
			Kind::GridExport => -1.0,
			Kind::Temperature => {
				sensors.push(readings(outbox, meter.name)?);
				continue;
			}
			Kind::SubMeter | Kind::Heat => continue,
		};
		let has_use = meter.kind == Kind::GridImport;
		energy_meters.push((sign, has_use, readings(outbox, meter.name)?));
	}
	if !energy_meters.iter().any(|(_, has_use, _)| *has_use) {
		return Err(HistoryError::NoUse(site.to_string()));
	}
	if sensors.is_empty() {
		return Err(HistoryError::NoTemperature(site.to_string()));
	}

	let all = energy_meters.iter().map(|(_, _, r)| r).chain(&sensors).flatten();
	let (Some(first), Some(last)) = (all.clone().map(|r| r.0).min(), all.map(|r| r.0).max()) else {
		return Ok(Vec::new());
	};
	let first_hour = first / HOUR_MS;
	let hours = (last / HOUR_MS - first_hour + 1) as usize;

	let mut energy = vec![Some(0.0); hours];
	for (sign, _, readings) in &energy_meters {
		for (hour, value) in hourly_energy(readings, first_hour, hours).into_iter().enumerate() {
			energy[hour] = match (energy[hour], value) {
				(Some(sum), Some(value)) => Some(sum + sign * value),
				_ => None,
			};
		}
	}
	let mut temperatures: Vec<(f64, usize)> = vec![(0.0, 0); hours];
	for (timestamp, _, temperature) in sensors.iter().flatten() {
		if let Some(temperature) = temperature {
			let slot = &mut temperatures[(timestamp / HOUR_MS - first_hour) as usize];
			slot.0 += temperature;
			slot.1 += 1;
		}
	}

	Ok((0..hours)
		.filter_map(|index| {
			let start_ms = (first_hour + index as u64) * HOUR_MS;
			let start: DateTime<Utc> = DateTime::from_timestamp_millis(start_ms as i64)?;
			let (sum, count) = temperatures[index];
			Some(HourlyObservation {
				start: start.with_timezone(&zone).fixed_offset(),
				energy: energy[index],
				temperature: (count > 0).then(|| sum / count as f64),
			})
		})
		.collect())
}

/// `name`'s readings the chain has not refused, in sequence order, registers in Wh by the
/// chain's multiplier.
fn readings(outbox: &Outbox, name: &str) -> Result<Readings, HistoryError> {
	let identity =
		identity_of(outbox, name)?.ok_or_else(|| HistoryError::Unregistered(name.to_string()))?;
	outbox
		.measured_payloads(identity.chain_meter)?
		.iter()
		.enumerate()
		.map(|(index, payload)| {
			let signed = SignedReading::decode(&mut payload.as_slice()).map_err(|e| {
				HistoryError::Corrupt { meter: name.to_string(), index, reason: e.to_string() }
			})?;
			let reading = signed.reading;
			Ok((
				reading.timestamp,
				reading.register.saturating_mul(u64::from(identity.multiplier)),
				reading.temperature.map(|t| f64::from(t) / 10.0),
			))
		})
		.collect()
}

/// Each hour's energy from consecutive register readings, spread in proportion to time; an
/// hour not wholly covered by readings at most [`MAX_SPREAD_MS`] apart (or spanning a fallen
/// register, a meter exchange) is unknown.
fn hourly_energy(readings: &Readings, first_hour: u64, hours: usize) -> Vec<Option<f64>> {
	let mut energy = vec![0.0; hours];
	let mut covered = vec![0u64; hours];
	for pair in readings.windows(2) {
		let ((t0, r0, _), (t1, r1, _)) = (pair[0], pair[1]);
		if t1 <= t0 || t1 - t0 > MAX_SPREAD_MS || r1 < r0 {
			continue;
		}
		let rate = (r1 - r0) as f64 / (t1 - t0) as f64;
		let mut from = t0;
		while from < t1 {
			let hour = from / HOUR_MS;
			let to = ((hour + 1) * HOUR_MS).min(t1);
			if let Some(index) = hour.checked_sub(first_hour).map(|h| h as usize) {
				if index < hours {
					energy[index] += rate * (to - from) as f64;
					covered[index] += to - from;
				}
			}
			from = to;
		}
	}
	energy
		.into_iter()
		.zip(covered)
		.map(|(energy, covered)| (covered >= HOUR_MS).then_some(energy))
		.collect()
}
