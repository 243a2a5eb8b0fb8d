//! A building's detail from the campus snapshot: use per period and per day, and each meter's
//! health and hash-chain continuity.

use smartblocks_client::meters::{MeterInfo, MeterKind, SiteInfo};

use super::campus::{counts_for_use, Campus, DAY_MS};
use crate::{
	building::{BuildingDetail, ChainStatus, MeterHealth, UsePoint},
	kpi::Window,
	status::NodeStatus,
};

/// Days the daily chart shows.
const CHART_DAYS: u32 = 30;

/// +1 for energy the site uses, −1 for energy it exports, 0 for meters outside its use.
fn use_sign(kind: &MeterKind) -> i64 {
	match kind {
		MeterKind::GridImport | MeterKind::Generation => 1,
		MeterKind::GridExport => -1,
		_ => 0,
	}
}

/// The site's use (Wh) from each meter's `(energy, complete)` for one interval, where any meter
/// has data, and whether all have complete data.
fn site_use(
	meters: &[&MeterInfo],
	interval: impl Fn(&MeterInfo) -> Option<(u64, bool)>,
) -> (Option<i64>, bool) {
	let mut total: Option<i64> = None;
	let mut complete = !meters.is_empty();
	for meter in meters {
		match interval(meter) {
			Some((energy, whole)) => {
				let energy = i64::try_from(energy).unwrap_or(i64::MAX);
				total = Some(total.unwrap_or(0) + use_sign(&meter.kind) * energy);
				complete &= whole;
			}
			None => complete = false,
		}
	}
	(total, complete)
}

impl Campus {
	/// Site `id`'s page over `window`, `None` if the chain has no such site.
	pub fn building_detail(
		&self,
		id: u32,
		window: Window,
		node: NodeStatus,
	) -> Option<BuildingDetail> {
		let site = self.sites.iter().find(|site| site.id == id)?;
		let (first, last) = self.days_of(window);
		let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
		Some(BuildingDetail {
			block: self.block,
			node,
			kpis: self.building(site, first, last),
			region: text(&site.region),
			time_zone: text(&site.time_zone),
			periods: self.period_use(site),
			days: self.day_use(site),
			meters: site.meters.iter().map(|meter| self.meter_health(meter)).collect(),
		})
	}

	/// The site's use in each of the last 96 settlement periods up to the current one.
	fn period_use(&self, site: &SiteInfo) -> Vec<UsePoint> {
		let period_ms = self.period_ms.max(1);
		let per_day = u32::try_from(DAY_MS / period_ms).unwrap_or(96);
		let now = u32::try_from(self.now_ms / period_ms).unwrap_or(u32::MAX);
		let meters: Vec<&MeterInfo> =
			site.meters.iter().filter(|m| counts_for_use(&m.kind)).collect();
		(now.saturating_sub(per_day - 1)..=now)
			.map(|index| {
				let (total, complete) = site_use(&meters, |meter| {
					let period = self.periods.get(&meter.id)?.get(&index)?;
					Some((period.energy, period.complete))
				});
				let start_ms = u64::from(index) * period_ms;
				UsePoint {
					start_ms,
					label: time_text(start_ms, "%H:%M"),
					actual_kwh: total.map(|wh| wh.max(0) as f64 / 1000.0),
					complete,
				}
			})
			.collect()
	}

	/// The site's use on each of the last 30 days, today included.
	fn day_use(&self, site: &SiteInfo) -> Vec<UsePoint> {
		let today = self.today();
		let per_day = DAY_MS / self.period_ms.max(1);
		let meters: Vec<&MeterInfo> =
			site.meters.iter().filter(|m| counts_for_use(&m.kind)).collect();
		(today.saturating_sub(CHART_DAYS - 1)..=today)
			.map(|day| {
				let (total, complete) = site_use(&meters, |meter| {
					let total = self.days.get(&meter.id)?.get(&day)?;
					let energy = total.energy.saturating_add(total.unallocated);
					Some((energy, u64::from(total.complete_periods) >= per_day))
				});
				let complete = complete && day < today;
				let start_ms = u64::from(day) * DAY_MS;
				UsePoint {
					start_ms,
					label: time_text(start_ms, "%m-%d"),
					actual_kwh: total.map(|wh| wh.max(0) as f64 / 1000.0),
					complete,
				}
			})
			.collect()
	}

	fn meter_health(&self, meter: &MeterInfo) -> MeterHealth {
		let today = self.today();
		let completeness_today_percent = (!matches!(meter.kind, MeterKind::Temperature))
			.then(|| self.meter_completeness(meter.id, today, today))
			.and_then(|(complete, expected)| {
				(expected > 0).then(|| (complete as f64 / expected as f64 * 100.0).min(100.0))
			});
		MeterHealth {
			id: meter.id,
			kind: format!("{:?}", meter.kind),
			status: format!("{:?}", meter.status),
			last_reading: meter.last_timestamp.map(|ms| time_text(ms, "%Y-%m-%d %H:%M:%S")),
			readings: meter.chain.length,
			refused: meter.refused,
			exchanges: meter.exchanges,
			completeness_today_percent,
			chain: self.chain_status(meter),
		}
	}

	/// Checks that the meter's day checkpoints continue one another and end at its head.
	fn chain_status(&self, meter: &MeterInfo) -> ChainStatus {
		if meter.chain.length == 0 {
			return ChainStatus::Empty;
		}
		let days = self.days.get(&meter.id);
		let mut checked = 0u32;
		let mut previous: Option<u64> = None;
		for (day, total) in days.into_iter().flatten() {
			if let Some(before) = previous {
				let expected = before.saturating_add(u64::from(total.readings));
				if total.chain.length != expected {
					return ChainStatus::Broken {
						day: time_text(u64::from(*day) * DAY_MS, "%Y-%m-%d"),
						expected_length: expected,
						found_length: total.chain.length,
					};
				}
			}
			previous = Some(total.chain.length);
			checked += 1;
		}
		// The newest day's checkpoint is the head while that day is open.
		if let Some((day, last)) = days.and_then(|days| days.last_key_value()) {
			if *day == self.today() && last.chain != meter.chain {
				return ChainStatus::Broken {
					day: time_text(u64::from(*day) * DAY_MS, "%Y-%m-%d"),
					expected_length: meter.chain.length,
					found_length: last.chain.length,
				};
			}
		}
		ChainStatus::Continuous {
			days: checked,
			length: meter.chain.length,
			head: format!("0x{}", hex_prefix(meter.chain.head.as_bytes())),
		}
	}
}

fn hex_prefix(bytes: &[u8]) -> String {
	bytes.iter().take(8).map(|byte| format!("{byte:02x}")).collect::<String>() + "…"
}

/// Milliseconds since the Unix epoch as UTC text in `format`.
pub fn time_text(ms: u64, format: &str) -> String {
	let at = chrono::DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(i64::MAX));
	at.unwrap_or_default().format(format).to_string()
}

#[cfg(test)]
mod tests;
