//! What the portal knows of the campus at one finalized block, and the KPIs computed from it.

use std::collections::{BTreeMap, HashMap};

pub use smartblocks_client::draft::day_text;
use smartblocks_client::{
	contracts::{AgreementLimits, ApprovedTemplate, ContractInfo},
	meters::{
		day_of, day_start, periods_per_day, DayTotal, MeterKind, PeriodAggregate, SiteInfo,
		UseType, DAY_MS,
	},
	oracle::FeedKind,
	registry::{Application, Member, OpenMotion},
	subxt::utils::AccountId32,
};

use crate::{
	kpi::{BuildingKpis, CampusTotals, Overview, OverviewQuery, Window},
	status::NodeStatus,
};

/// The oracle feeds KPIs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feed {
	/// Thousandths of a euro per MWh.
	Price,
	/// Grams of CO₂ per kWh.
	Carbon,
	/// Tenths of a degree Celsius: the outdoor temperature baselines predict use from.
	Temperature,
}

impl Feed {
	pub const ALL: [Feed; 3] = [Feed::Price, Feed::Carbon, Feed::Temperature];

	pub fn kind(self) -> FeedKind {
		match self {
			Feed::Price => FeedKind::MarketPrice,
			Feed::Carbon => FeedKind::CarbonIntensity,
			Feed::Temperature => FeedKind::OutdoorTemperature,
		}
	}
}

/// The chain's data behind the overview, as of `block`.
#[derive(Clone, Debug, Default)]
pub struct CampusSnapshot {
	pub block: u64,
	/// When the snapshot was taken, milliseconds since the Unix epoch.
	pub now_ms: u64,
	/// Length of a settlement period in milliseconds.
	pub period_ms: u64,
	pub sites: Vec<SiteInfo>,
	/// Day totals of every energy meter, by meter then day index.
	pub days: HashMap<u32, BTreeMap<u32, DayTotal>>,
	/// Settlement periods of every energy meter within the chain's retention, by meter then
	/// period index.
	pub periods: HashMap<u32, BTreeMap<u32, PeriodAggregate>>,
	/// Oracle values by region and feed, then period index.
	pub feeds: HashMap<(String, Feed), BTreeMap<u32, i64>>,
	/// Members, applications and the council.
	pub registry: Registry,
	/// Every contract with its statements.
	pub contracts: Vec<ContractInfo>,
	/// Every template version the council approved.
	pub templates: Vec<ApprovedTemplate>,
	pub limits: AgreementLimits,
}

/// The consortium as the registry and the council hold it.
#[derive(Clone, Debug, Default)]
pub struct Registry {
	pub members: Vec<Member>,
	pub applications: Vec<(AccountId32, Application)>,
	pub council: Vec<AccountId32>,
	pub motions: Vec<OpenMotion>,
}

/// The meters whose energy makes up a building's use.
pub fn counts_for_use(kind: &MeterKind) -> bool {
	matches!(kind, MeterKind::GridImport | MeterKind::GridExport | MeterKind::Generation)
}

/// The name of a use type as pages show it.
pub fn use_type_name(use_type: &UseType) -> String {
	format!("{use_type:?}")
}

impl CampusSnapshot {
	/// Settlement periods in a day.
	pub(crate) fn periods_per_day(&self) -> u64 {
		periods_per_day(self.period_ms)
	}

	/// The current UTC day.
	pub fn today(&self) -> u32 {
		day_of(self.now_ms)
	}

	/// The share of a year that days `first..=last` have had by now: what annualises a
	/// window's use.
	pub fn years_so_far(&self, first: u32, last: u32) -> f64 {
		let start = day_start(first);
		let end = self.now_ms.min(day_start(last) + DAY_MS);
		end.saturating_sub(start) as f64 / (365.0 * DAY_MS as f64)
	}

	/// The first and last day of `window`.
	pub fn days_of(&self, window: Window) -> (u32, u32) {
		let today = self.today();
		(today.saturating_sub(window.days() - 1), today)
	}

	/// The overview: each building's KPIs over the window, filtered and sorted as asked.
	pub fn overview(&self, query: &OverviewQuery, node: NodeStatus) -> Overview {
		let (first, last) = self.days_of(query.window);
		let mut buildings: Vec<_> =
			self.sites.iter().map(|site| self.building(site, first, last)).collect();
		query.apply(&mut buildings);
		Overview {
			window: query.window,
			block: self.block,
			node,
			from: day_text(first),
			to: day_text(last),
			totals: CampusTotals::of(&buildings),
			buildings,
		}
	}

	/// One building's KPIs over days `first..=last`.
	pub fn building(&self, site: &SiteInfo, first: u32, last: u32) -> BuildingKpis {
		let mut flows = Flows::default();
		let mut completeness = (0u64, 0u64);
		let mut energy_meters = 0u32;
		let mut heat_wh: Option<u64> = None;
		let region = String::from_utf8_lossy(&site.region).into_owned();
		for meter in &site.meters {
			if matches!(meter.kind, MeterKind::Temperature) {
				continue;
			}
			energy_meters += 1;
			let heat = matches!(meter.kind, MeterKind::Heat);
			if !heat && !counts_for_use(&meter.kind) {
				continue;
			}
			let energy = self.meter_energy(meter.id, first, last);
			let (complete, expected) = self.meter_completeness(meter.id, first, last);
			completeness.0 += complete;
			completeness.1 += expected;
			if heat {
				heat_wh = Some(heat_wh.unwrap_or(0).saturating_add(energy));
				continue;
			}
			let carbon = self.priced(meter.id, &region, Feed::Carbon, first, last);
			let price = self.priced(meter.id, &region, Feed::Price, first, last);
			match meter.kind {
				MeterKind::GridImport => {
					flows.import += energy;
					flows.carbon = add(flows.carbon, carbon);
					flows.cost = add(flows.cost, price);
				}
				MeterKind::GridExport => {
					flows.export += energy;
					flows.cost = add(flows.cost, price.map(|credit| -credit));
				}
				_ => {
					flows.generation += energy;
					flows.has_generation = true;
				}
			}
		}
		let use_wh = (flows.import + flows.generation).saturating_sub(flows.export);
		let savings = self.savings(site.id, first, last);
		let energy_kwh = use_wh as f64 / 1000.0;
		let floor_area = site.floor_area;
		let intensity = (floor_area > 0).then(|| energy_kwh / f64::from(floor_area));
		let years = self.years_so_far(first, last);
		BuildingKpis {
			site: site.id,
			name: String::from_utf8_lossy(&site.name).into_owned(),
			owner: site.owner,
			use_type: use_type_name(&site.use_type),
			floor_area_m2: floor_area,
			latitude: f64::from(site.latitude) / 1e6,
			longitude: f64::from(site.longitude) / 1e6,
			energy_meters,
			energy_kwh,
			intensity_kwh_per_m2: intensity,
			intensity_kwh_per_m2_year: intensity.filter(|_| years > 0.0).map(|kwh| kwh / years),
			baseline_kwh: savings.map(|savings| savings.baseline_wh / 1000.0),
			savings_kwh: savings.map(|savings| savings.saved_wh() / 1000.0),
			savings_percent: savings
				.filter(|savings| savings.baseline_wh > 0.0)
				.map(|savings| savings.saved_wh() / savings.baseline_wh * 100.0),
			renewable_percent: (energy_meters > 0 && use_wh > 0).then(|| {
				if flows.has_generation {
					(flows.generation as f64 / use_wh as f64 * 100.0).min(100.0)
				} else {
					0.0
				}
			}),
			// Wh × g/kWh = mg; to kg.
			carbon_kg: flows.carbon.map(|mg| mg / 1e6),
			// Wh × thousandths of € per MWh = 10⁻⁹ €.
			cost_eur: flows.cost.map(|nano| nano / 1e9),
			completeness_percent: match completeness {
				(_, 0) => None,
				(complete, expected) => {
					Some((complete as f64 / expected as f64 * 100.0).min(100.0))
				}
			},
			heat_kwh: heat_wh.map(|wh| wh as f64 / 1000.0),
		}
	}

	/// Watt-hours a meter delivered over the days, unallocated gap energy included.
	fn meter_energy(&self, meter: u32, first: u32, last: u32) -> u64 {
		self.days.get(&meter).map_or(0, |days| {
			days.range(first..=last)
				.map(|(_, day)| day.energy.saturating_add(day.unallocated))
				.sum()
		})
	}

	/// Complete periods and the periods the meter should have delivered over the days, counted
	/// from its first data so a meter registered in the window is not blamed for the time before.
	/// Periods come from the periods kept on chain, older days from their day totals.
	pub(crate) fn meter_completeness(&self, meter: u32, first: u32, last: u32) -> (u64, u64) {
		let per_day = self.periods_per_day();
		let now_period = self.now_ms / self.period_ms.max(1);
		let window_start = u64::from(first) * per_day;
		let window_end = (u64::from(last) + 1).saturating_mul(per_day).min(now_period);
		let periods = self.periods.get(&meter);
		let days = self.days.get(&meter);
		let first_period = periods.and_then(|p| p.keys().next()).map(|&p| u64::from(p));
		let first_day = days.and_then(|d| d.keys().next()).map(|&d| u64::from(d) * per_day);
		// The first period with data; a day total only says which day, so it counts from the
		// day's start unless the periods show more precisely when data began.
		let first_data = match (first_period, first_day) {
			(Some(period), Some(day)) if period < day + per_day => period,
			(_, Some(day)) => day,
			(Some(period), None) => period,
			(None, None) => return (0, window_end.saturating_sub(window_start)),
		};
		let start = window_start.max(first_data);
		// Periods the chain still keeps, from the earliest one fetched.
		let kept_from = first_period.unwrap_or(window_end).max(start);
		let mut complete = periods.map_or(0, |periods| {
			periods
				.range(to_index(kept_from)..to_index(window_end))
				.filter(|(_, period)| period.complete)
				.count() as u64
		});
		if let Some(days) = days {
			let before = to_index(kept_from / per_day);
			complete += days
				.range(to_index(start / per_day)..before.max(to_index(start / per_day)))
				.map(|(_, day)| u64::from(day.complete_periods))
				.sum::<u64>();
		}
		(complete, window_end.saturating_sub(start))
	}

	/// Σ energy × feed value for a meter over the days: period by period where the chain keeps
	/// periods, else each day's energy times the day's mean value. `None` without any value.
	fn priced(&self, meter: u32, region: &str, feed: Feed, first: u32, last: u32) -> Option<f64> {
		let values = self.feeds.get(&(region.to_string(), feed))?;
		let per_day = self.periods_per_day();
		let mut total = None;
		let periods = self.periods.get(&meter);
		let first_kept = periods.and_then(|p| p.keys().next().copied());
		for day in first..=last {
			let day_start = u64::from(day) * per_day;
			let day_range = to_index(day_start)..to_index(day_start + per_day);
			if let (Some(periods), Some(kept)) = (periods, first_kept) {
				if u64::from(kept) <= day_start {
					for (index, period) in periods.range(day_range.clone()) {
						if let Some(value) = values.get(index) {
							total = add(total, Some(period.energy as f64 * *value as f64));
						}
					}
					continue;
				}
			}
			let energy = self.days.get(&meter).and_then(|days| days.get(&day)).map(|d| d.energy);
			let day_values: Vec<f64> = values.range(day_range).map(|(_, v)| *v as f64).collect();
			if let (Some(energy), false) = (energy, day_values.is_empty()) {
				let mean = day_values.iter().sum::<f64>() / day_values.len() as f64;
				total = add(total, Some(energy as f64 * mean));
			}
		}
		total
	}
}

#[derive(Default)]
struct Flows {
	import: u64,
	export: u64,
	generation: u64,
	has_generation: bool,
	carbon: Option<f64>,
	cost: Option<f64>,
}

fn add(total: Option<f64>, value: Option<f64>) -> Option<f64> {
	match (total, value) {
		(None, None) => None,
		(total, value) => Some(total.unwrap_or(0.0) + value.unwrap_or(0.0)),
	}
}

fn to_index(value: u64) -> u32 {
	u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
