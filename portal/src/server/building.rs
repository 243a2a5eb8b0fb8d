//! A building's detail from the campus snapshot: use per period and per day, and each meter's
//! health and hash-chain continuity.

use smartblocks_client::meters::{day_of, day_start, MeterInfo, MeterKind};

use super::campus::{counts_for_use, CampusSnapshot};
use crate::{
	building::{BuildingDetail, ForecastStatus, MeterHealth, UsePoint},
	kpi::Window,
	meter::Checkpoint,
	status::NodeStatus,
};

/// Days the daily chart shows.
const CHART_DAYS: u32 = 30;

/// How a meter's energy counts towards a chart's total.
pub(crate) type Sign = fn(&MeterKind) -> i64;

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
	sign: Sign,
	interval: impl Fn(&MeterInfo) -> Option<(u64, bool)>,
) -> (Option<i64>, bool) {
	let mut total: Option<i64> = None;
	let mut complete = !meters.is_empty();
	for meter in meters {
		match interval(meter) {
			Some((energy, whole)) => {
				let energy = i64::try_from(energy).unwrap_or(i64::MAX);
				total = Some(total.unwrap_or(0) + sign(&meter.kind) * energy);
				complete &= whole;
			}
			None => complete = false,
		}
	}
	(total, complete)
}

impl CampusSnapshot {
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
		let today = self.today();
		let baseline = self.daily_savings(site.id, today.saturating_sub(CHART_DAYS - 1), today);
		let meters: Vec<&MeterInfo> =
			site.meters.iter().filter(|m| counts_for_use(&m.kind)).collect();
		let mut days = self.day_use(&meters, use_sign);
		if let Some((_, savings)) = &baseline {
			for point in &mut days {
				let day = day_of(point.start_ms);
				let saved = savings.get(&day);
				point.baseline_kwh = saved.map(|day| day.baseline_wh / 1000.0);
				point.contract_kwh = saved.map(|day| day.metered_wh / 1000.0);
			}
		}
		Some(BuildingDetail {
			block: self.block,
			node,
			kpis: self.building(site, first, last),
			region: text(&site.region),
			time_zone: text(&site.time_zone),
			periods: self.period_use(&meters, use_sign),
			days,
			forecast: ForecastStatus::NoBridge,
			baseline_contract: baseline.map(|(contract, _)| contract),
			meters: site
				.meters
				.iter()
				.map(|meter| self.meter_health(meter, &self.checkpoints(meter)))
				.collect(),
		})
	}

	/// The use of `meters` (each signed by `sign`) in each of the last 96 settlement periods up
	/// to the current one.
	pub(crate) fn period_use(&self, meters: &[&MeterInfo], sign: Sign) -> Vec<UsePoint> {
		let period_ms = self.period_ms.max(1);
		let per_day = u32::try_from(self.periods_per_day()).unwrap_or(96);
		let now = u32::try_from(self.now_ms / period_ms).unwrap_or(u32::MAX);
		(now.saturating_sub(per_day - 1)..=now)
			.map(|index| {
				let (total, complete) = site_use(meters, sign, |meter| {
					let period = self.periods.get(&meter.id)?.get(&index)?;
					Some((period.energy, period.complete))
				});
				let start_ms = u64::from(index) * period_ms;
				UsePoint {
					start_ms,
					label: time_text(start_ms, "%H:%M"),
					actual_kwh: total.map(|wh| wh.max(0) as f64 / 1000.0),
					complete,
					forecast_kwh: None,
					baseline_kwh: None,
					contract_kwh: None,
				}
			})
			.collect()
	}

	/// The use of `meters` (each signed by `sign`) on each of the last 30 days, today included.
	pub(crate) fn day_use(&self, meters: &[&MeterInfo], sign: Sign) -> Vec<UsePoint> {
		let today = self.today();
		let per_day = self.periods_per_day();
		(today.saturating_sub(CHART_DAYS - 1)..=today)
			.map(|day| {
				let (total, complete) = site_use(meters, sign, |meter| {
					let total = self.days.get(&meter.id)?.get(&day)?;
					let energy = total.energy.saturating_add(total.unallocated);
					Some((energy, u64::from(total.complete_periods) >= per_day))
				});
				let complete = complete && day < today;
				let start_ms = day_start(day);
				UsePoint {
					start_ms,
					label: time_text(start_ms, "%m-%d"),
					actual_kwh: total.map(|wh| wh.max(0) as f64 / 1000.0),
					complete,
					forecast_kwh: None,
					baseline_kwh: None,
					contract_kwh: None,
				}
			})
			.collect()
	}

	/// `meter`'s health, its chain status checked on its day `checkpoints`.
	pub(crate) fn meter_health(
		&self,
		meter: &MeterInfo,
		checkpoints: &[Checkpoint],
	) -> MeterHealth {
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
			chain: self.chain_status(meter, checkpoints),
		}
	}
}

pub(crate) fn hex_prefix(bytes: &[u8]) -> String {
	bytes.iter().take(8).map(|byte| format!("{byte:02x}")).collect::<String>() + "…"
}

/// Milliseconds since the Unix epoch as UTC text in `format`.
pub fn time_text(ms: u64, format: &str) -> String {
	let at = chrono::DateTime::from_timestamp_millis(i64::try_from(ms).unwrap_or(i64::MAX));
	at.unwrap_or_default().format(format).to_string()
}

#[cfg(test)]
mod tests;
