//! The campus's key performance indicators as pages and the API show them; the server computes
//! them (`server::kpis`) and the browser only displays and sorts them.

use serde::{Deserialize, Serialize};

/// The stretch of time KPIs cover, ending with the current (UTC) day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Window {
	/// The current UTC day so far.
	#[default]
	Today,
	/// The last seven days, today included.
	Week,
	/// The last thirty days, today included.
	Month,
}

impl Window {
	pub const ALL: [Window; 3] = [Window::Today, Window::Week, Window::Month];

	/// Days covered, today included.
	pub fn days(self) -> u32 {
		match self {
			Window::Today => 1,
			Window::Week => 7,
			Window::Month => 30,
		}
	}

	/// The name in URLs and the API.
	pub fn key(self) -> &'static str {
		match self {
			Window::Today => "today",
			Window::Week => "week",
			Window::Month => "month",
		}
	}

	pub fn label(self) -> &'static str {
		match self {
			Window::Today => "Today",
			Window::Week => "Last 7 days",
			Window::Month => "Last 30 days",
		}
	}

	/// The window named `key`, or `None` for an unknown name.
	pub fn parse(key: &str) -> Option<Window> {
		Window::ALL.into_iter().find(|window| window.key() == key)
	}
}

/// One KPI column: what the overview sorts by and colours buildings by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kpi {
	Name,
	#[default]
	Energy,
	Intensity,
	Savings,
	RenewableShare,
	Carbon,
	Cost,
	Completeness,
}

impl Kpi {
	pub const ALL: [Kpi; 8] = [
		Kpi::Name,
		Kpi::Energy,
		Kpi::Intensity,
		Kpi::Savings,
		Kpi::RenewableShare,
		Kpi::Carbon,
		Kpi::Cost,
		Kpi::Completeness,
	];

	pub fn key(self) -> &'static str {
		match self {
			Kpi::Name => "name",
			Kpi::Energy => "energy",
			Kpi::Intensity => "intensity",
			Kpi::Savings => "savings",
			Kpi::RenewableShare => "renewable_share",
			Kpi::Carbon => "carbon",
			Kpi::Cost => "cost",
			Kpi::Completeness => "completeness",
		}
	}

	/// The column heading, with its unit.
	pub fn label(self) -> &'static str {
		match self {
			Kpi::Name => "Building",
			Kpi::Energy => "Energy use (kWh)",
			Kpi::Intensity => "Intensity (kWh/m²·a)",
			Kpi::Savings => "Savings vs baseline (%)",
			Kpi::RenewableShare => "Renewable share (%)",
			Kpi::Carbon => "Carbon (kg CO₂)",
			Kpi::Cost => "Cost (€)",
			Kpi::Completeness => "Data completeness (%)",
		}
	}

	pub fn parse(key: &str) -> Option<Kpi> {
		Kpi::ALL.into_iter().find(|kpi| kpi.key() == key)
	}

	/// Whether a higher value is better, for colours: greener is better.
	pub fn higher_is_better(self) -> bool {
		matches!(self, Kpi::Savings | Kpi::RenewableShare | Kpi::Completeness)
	}

	/// This KPI's value for `building`, `None` where it is unknown.
	pub fn value(self, building: &BuildingKpis) -> Option<f64> {
		match self {
			Kpi::Name => None,
			Kpi::Energy => Some(building.energy_kwh),
			Kpi::Intensity => building.intensity_kwh_per_m2_year,
			Kpi::Savings => building.savings_percent,
			Kpi::RenewableShare => building.renewable_percent,
			Kpi::Carbon => building.carbon_kg,
			Kpi::Cost => building.cost_eur,
			Kpi::Completeness => building.completeness_percent,
		}
	}
}

/// A building's KPIs over a window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildingKpis {
	/// The site's number on chain.
	pub site: u32,
	pub name: String,
	/// The member that owns the site.
	pub owner: u32,
	/// The building's use, e.g. `Office`.
	pub use_type: String,
	pub floor_area_m2: u32,
	/// Degrees north and east.
	pub latitude: f64,
	pub longitude: f64,
	/// Meters that measure energy (all but temperature sensors).
	pub energy_meters: u32,
	/// Grid import plus on-site generation minus export.
	pub energy_kwh: f64,
	/// Use over floor area in the window.
	pub intensity_kwh_per_m2: Option<f64>,
	/// The same annualised: over the window's time so far, scaled to a year (the kWh/m²·a
	/// energy managers benchmark buildings with).
	pub intensity_kwh_per_m2_year: Option<f64>,
	/// What the baseline of the energy performance contract covering the site predicts for the
	/// days with complete data and the oracle's temperature.
	pub baseline_kwh: Option<f64>,
	/// The baseline minus the contract meters' use over those days.
	pub savings_kwh: Option<f64>,
	/// Savings as a share of the baseline.
	pub savings_percent: Option<f64>,
	/// On-site generation as a share of use.
	pub renewable_percent: Option<f64>,
	/// Grid import times the oracle's carbon intensity, period by period.
	pub carbon_kg: Option<f64>,
	/// Net grid import times the oracle's market price, period by period.
	pub cost_eur: Option<f64>,
	/// Settlement periods with complete data, as a share of the periods the window has had so
	/// far, over the site's energy meters; `None` until a period has ended since data began.
	pub completeness_percent: Option<f64>,
	/// Heat the site's heat meters counted (district heating): final energy beside the
	/// electricity of `energy_kwh`; `None` for a site without a heat meter.
	pub heat_kwh: Option<f64>,
}

/// Campus totals over the buildings shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CampusTotals {
	pub buildings: u32,
	pub floor_area_m2: u64,
	pub energy_kwh: f64,
	/// Total use over total floor area.
	pub intensity_kwh_per_m2: Option<f64>,
	/// The buildings' annualised intensities weighted by floor area.
	pub intensity_kwh_per_m2_year: Option<f64>,
	pub renewable_percent: Option<f64>,
	/// Savings of the buildings with a baseline, and their share of those buildings' baselines.
	pub savings_kwh: Option<f64>,
	pub savings_percent: Option<f64>,
	pub carbon_kg: Option<f64>,
	pub cost_eur: Option<f64>,
	/// Mean completeness, weighted by each building's energy meters.
	pub completeness_percent: Option<f64>,
	/// Heat of the buildings with heat meters.
	pub heat_kwh: Option<f64>,
}

impl CampusTotals {
	/// The totals of `buildings`, with renewable share from the sums of use and generation.
	pub fn of(buildings: &[BuildingKpis]) -> CampusTotals {
		let sum = |values: &mut dyn Iterator<Item = Option<f64>>| {
			values
				.flatten()
				.fold(None, |total: Option<f64>, value| Some(total.unwrap_or(0.0) + value))
		};
		let floor_area_m2 = buildings.iter().map(|b| u64::from(b.floor_area_m2)).sum::<u64>();
		// A fold from +0.0: an empty f64 sum is −0.0.
		let energy_kwh = buildings.iter().fold(0.0, |total, b| total + b.energy_kwh);
		let generation = sum(&mut buildings
			.iter()
			.map(|b| b.renewable_percent.map(|share| share / 100.0 * b.energy_kwh)));
		let known =
			|| buildings.iter().filter_map(|b| Some((b.completeness_percent?, b.energy_meters)));
		let meters = known().map(|(_, meters)| f64::from(meters)).sum::<f64>();
		let weighted_completeness =
			known().map(|(percent, meters)| percent * f64::from(meters)).sum::<f64>();
		let annualised = buildings.iter().filter_map(|b| {
			let area = f64::from(b.floor_area_m2);
			Some((b.intensity_kwh_per_m2_year? * area, area))
		});
		let (annual_kwh, annual_area) = annualised
			.fold((0.0, 0.0), |(kwh, area), (b_kwh, b_area)| (kwh + b_kwh, area + b_area));
		let savings_kwh = sum(&mut buildings.iter().map(|b| b.savings_kwh));
		let baseline_kwh = sum(&mut buildings.iter().map(|b| b.baseline_kwh));
		CampusTotals {
			buildings: u32::try_from(buildings.len()).unwrap_or(u32::MAX),
			floor_area_m2,
			energy_kwh,
			intensity_kwh_per_m2: (floor_area_m2 > 0).then(|| energy_kwh / floor_area_m2 as f64),
			intensity_kwh_per_m2_year: (annual_area > 0.0).then(|| annual_kwh / annual_area),
			renewable_percent: generation
				.filter(|_| energy_kwh > 0.0)
				.map(|generation| generation / energy_kwh * 100.0),
			savings_kwh,
			savings_percent: savings_kwh
				.zip(baseline_kwh.filter(|baseline| *baseline > 0.0))
				.map(|(saved, baseline)| saved / baseline * 100.0),
			carbon_kg: sum(&mut buildings.iter().map(|b| b.carbon_kg)),
			cost_eur: sum(&mut buildings.iter().map(|b| b.cost_eur)),
			completeness_percent: (meters > 0.0).then(|| weighted_completeness / meters),
			heat_kwh: sum(&mut buildings.iter().map(|b| b.heat_kwh)),
		}
	}
}

/// The campus overview: every building's KPIs over a window, as of a finalized block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
	pub window: Window,
	/// The finalized block the figures are read at.
	pub block: u64,
	/// Whether the figures are live or the node is down.
	pub node: crate::status::NodeStatus,
	/// First and last UTC day of the window, `YYYY-MM-DD`.
	pub from: String,
	pub to: String,
	pub buildings: Vec<BuildingKpis>,
	/// Totals over `buildings`.
	pub totals: CampusTotals,
}

/// How the overview's buildings are chosen and ordered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewQuery {
	pub window: Window,
	pub sort: Kpi,
	pub descending: bool,
	/// Only buildings whose name contains this (case-insensitive).
	pub search: String,
	/// Only buildings of this use, e.g. `Office`.
	pub use_type: String,
}

impl OverviewQuery {
	/// Keeps the buildings that match the search and use filters and sorts them; unknown values
	/// sort last either way.
	pub fn apply(&self, buildings: &mut Vec<BuildingKpis>) {
		let search = self.search.trim().to_lowercase();
		buildings.retain(|building| {
			(search.is_empty() || building.name.to_lowercase().contains(&search))
				&& (self.use_type.is_empty() || building.use_type == self.use_type)
		});
		let sort = self.sort;
		buildings.sort_by(|a, b| {
			let order = match sort {
				Kpi::Name => a.name.cmp(&b.name),
				kpi => match (kpi.value(a), kpi.value(b)) {
					(Some(x), Some(y)) => x.total_cmp(&y),
					(Some(_), None) => return std::cmp::Ordering::Less,
					(None, Some(_)) => return std::cmp::Ordering::Greater,
					(None, None) => std::cmp::Ordering::Equal,
				},
			};
			let order = if self.descending { order.reverse() } else { order };
			order.then(a.site.cmp(&b.site))
		});
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn building(site: u32, name: &str, energy: f64, renewable: Option<f64>) -> BuildingKpis {
		BuildingKpis {
			site,
			name: name.into(),
			owner: 0,
			use_type: if site.is_multiple_of(2) { "Office".into() } else { "Laboratory".into() },
			floor_area_m2: 1000,
			latitude: 0.0,
			longitude: 0.0,
			energy_meters: 2,
			energy_kwh: energy,
			intensity_kwh_per_m2: Some(energy / 1000.0),
			// A window of a tenth of a year.
			intensity_kwh_per_m2_year: Some(energy / 100.0),
			baseline_kwh: (site == 0).then_some(200.0),
			savings_kwh: (site == 0).then_some(30.0),
			savings_percent: (site == 0).then_some(15.0),
			renewable_percent: renewable,
			carbon_kg: renewable.map(|_| energy * 0.4),
			cost_eur: None,
			completeness_percent: (site < 2).then(|| 50.0 + f64::from(site)),
			heat_kwh: (site == 1).then_some(80.0),
		}
	}

	#[test]
	fn totals_sum_known_values_and_weigh_shares_by_use() {
		let buildings = [building(0, "A", 100.0, Some(50.0)), building(1, "B", 300.0, None)];
		let totals = CampusTotals::of(&buildings);
		assert_eq!(totals.buildings, 2);
		assert_eq!(totals.floor_area_m2, 2000);
		assert_eq!(totals.energy_kwh, 400.0);
		assert_eq!(totals.intensity_kwh_per_m2, Some(0.2));
		assert_eq!(totals.intensity_kwh_per_m2_year, Some(2.0));
		// 50 kWh generated of 400 kWh used.
		assert_eq!(totals.renewable_percent, Some(12.5));
		// Only A has a baseline: 30 kWh saved of 200 kWh.
		assert_eq!((totals.savings_kwh, totals.savings_percent), (Some(30.0), Some(15.0)));
		// Only B has a heat meter.
		assert_eq!(totals.heat_kwh, Some(80.0));
		assert_eq!(totals.carbon_kg, Some(40.0));
		assert_eq!(totals.cost_eur, None);
		assert_eq!(totals.completeness_percent, Some(50.5));
		assert!(CampusTotals::of(&[]).energy_kwh.is_sign_positive());
	}

	#[test]
	fn query_filters_by_name_and_use_and_sorts_unknowns_last() {
		let mut buildings = vec![
			building(0, "Library", 100.0, Some(10.0)),
			building(1, "Chemistry lab", 300.0, None),
			building(2, "Admin", 200.0, Some(30.0)),
			building(3, "Physics lab", 50.0, Some(5.0)),
		];
		let query =
			OverviewQuery { sort: Kpi::RenewableShare, descending: true, ..Default::default() };
		let mut sorted = buildings.clone();
		query.apply(&mut sorted);
		assert_eq!(sorted.iter().map(|b| b.site).collect::<Vec<_>>(), [2, 0, 3, 1]);

		let query =
			OverviewQuery { search: " LAB".into(), sort: Kpi::Energy, ..Default::default() };
		query.apply(&mut buildings);
		assert_eq!(
			buildings.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
			["Physics lab", "Chemistry lab"]
		);

		let query = OverviewQuery { use_type: "Office".into(), ..Default::default() };
		query.apply(&mut buildings);
		assert!(buildings.is_empty());
	}

	#[test]
	fn names_round_trip() {
		for window in Window::ALL {
			assert_eq!(Window::parse(window.key()), Some(window));
		}
		for kpi in Kpi::ALL {
			assert_eq!(Kpi::parse(kpi.key()), Some(kpi));
		}
		assert_eq!(Window::parse("year"), None);
	}
}
