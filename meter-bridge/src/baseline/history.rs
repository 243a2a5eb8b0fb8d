//! A site's hours from the bridge's own readings: its use (grid import plus generation less
//! grid export) spread over the hours between consecutive register readings, and the mean of
//! its temperature sensor's readings in each hour, on the site's wall clock; before them, and
//! in hours they leave unknown, the hours imported into the history store ([`crate::import`]).

use super::series::HourlyObservation;
use crate::{
	config::{Config, Kind},
	import::{
		store::{history_path, ChannelValues, HistoryStore, StoreError},
		Channel, HOUR_MS,
	},
	outbox::{signed_reading, Outbox, OutboxError},
};
use chrono::{DateTime, Utc};

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
	#[error(transparent)]
	Outbox(#[from] OutboxError),
	#[error(transparent)]
	Imported(#[from] StoreError),
}

/// One meter's readings: (timestamp ms, register Wh after the multiplier, temperature °C).
type Readings = Vec<(u64, u64, Option<f64>)>;

/// The hours of `site` from the bridge's readings of its meters and the hours imported for it,
/// from the first hour either has to the last.
pub fn site_hours(
	config: &Config,
	outbox: &Outbox,
	site: &str,
) -> Result<Vec<HourlyObservation>, HistoryError> {
	let zone = config.time_zone(site).ok_or_else(|| HistoryError::UnknownSite(site.to_string()))?;
	let mut energy_meters = Vec::new();
	let mut sensors = Vec::new();
	let mut unregistered = None;
	for meter in config.identities().into_iter().filter(|m| m.site == site) {
		let sign = match meter.kind {
			Kind::GridImport | Kind::Generation => 1.0,
			Kind::GridExport => -1.0,
			Kind::Temperature => 0.0,
			Kind::SubMeter | Kind::Heat => continue,
		};
		// A meter not registered yet has no readings; the site may have imported hours.
		let readings = readings(outbox, meter.name)?.unwrap_or_else(|| {
			unregistered.get_or_insert(meter.name);
			Vec::new()
		});
		if meter.kind == Kind::Temperature {
			sensors.push(readings);
		} else {
			energy_meters.push((sign, meter.kind == Kind::GridImport, readings));
		}
	}
	if !energy_meters.iter().any(|(_, has_use, _)| *has_use) {
		return Err(HistoryError::NoUse(site.to_string()));
	}
	if sensors.is_empty() {
		return Err(HistoryError::NoTemperature(site.to_string()));
	}

	let imported = HistoryStore::site_hours_at(&history_path(&config.bridge.data_dir), site)?;
	let all = energy_meters.iter().map(|(_, _, r)| r).chain(&sensors).flatten();
	let first = all.clone().map(|r| r.0 / HOUR_MS).min();
	let last = all.map(|r| r.0 / HOUR_MS).max();
	let first = first.into_iter().chain(imported.keys().map(|ms| ms / HOUR_MS)).min();
	let last = last.into_iter().chain(imported.keys().map(|ms| ms / HOUR_MS)).max();
	let (Some(first_hour), Some(last_hour)) = (first, last) else {
		return match unregistered {
			Some(name) => Err(HistoryError::Unregistered(name.to_string())),
			None => Ok(Vec::new()),
		};
	};
	let hours = (last_hour - first_hour + 1) as usize;

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
	let kinds: Vec<Kind> =
		config.identities().into_iter().filter(|m| m.site == site).map(|m| m.kind).collect();

	Ok((0..hours)
		.filter_map(|index| {
			let start_ms = (first_hour + index as u64) * HOUR_MS;
			let start: DateTime<Utc> = DateTime::from_timestamp_millis(start_ms as i64)?;
			let (sum, count) = temperatures[index];
			let imported = imported.get(&start_ms);
			// The bridge's own readings first; imported hours where they have none.
			Some(HourlyObservation {
				start: start.with_timezone(&zone).fixed_offset(),
				energy: energy[index].or_else(|| imported.and_then(|i| imported_use(i, &kinds))),
				temperature: (count > 0)
					.then(|| sum / count as f64)
					.or_else(|| imported?.get(&Channel::Temperature).copied()),
			})
		})
		.collect())
}

/// A site's use in an imported hour: as imported, or grid import less export plus generation,
/// each of which the site has a meter of required (the rest, if imported, counted too).
fn imported_use(values: &ChannelValues, kinds: &[Kind]) -> Option<f64> {
	if let Some(using) = values.get(&Channel::Use) {
		return Some(*using);
	}
	let part = |channel: Channel, kind: Kind| match values.get(&channel) {
		Some(value) => Some(*value),
		None if kinds.contains(&kind) => None,
		None => Some(0.0),
	};
	let import = values.get(&Channel::GridImport)?;
	Some(
		import - part(Channel::GridExport, Kind::GridExport)?
			+ part(Channel::Generation, Kind::Generation)?,
	)
}

/// `name`'s readings the chain has not refused, in sequence order, registers in Wh by the
/// chain's multiplier; `None` if the meter is not registered yet.
fn readings(outbox: &Outbox, name: &str) -> Result<Option<Readings>, HistoryError> {
	let Some(identity) = outbox.identity(name)? else {
		return Ok(None);
	};
	outbox
		.measured_payloads(identity.chain_meter)?
		.iter()
		.map(|(&sequence, payload)| {
			let reading = signed_reading(identity.chain_meter, sequence, payload)?.reading;
			Ok((
				reading.timestamp,
				reading.register.saturating_mul(u64::from(identity.multiplier)),
				reading.temperature.map(|t| f64::from(t) / 10.0),
			))
		})
		.collect::<Result<_, _>>()
		.map(Some)
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
