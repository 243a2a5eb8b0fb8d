use super::*;
use crate::kpi::Kpi;
use crate::server::sample::{day, meter, period};

const TODAY: u32 = 20_000;
const PER_DAY: u32 = 96;

/// A 1000 m² office at noon of day TODAY: 1 kWh imported per period since midnight, 250 Wh
/// generated per period, 1 kWh exported in two periods; the day before, 24 kWh imported.
fn campus() -> CampusSnapshot {
	let site = SiteInfo {
		id: 7,
		owner: 3,
		name: b"Library".to_vec(),
		latitude: 52_500_000,
		longitude: 13_400_000,
		region: b"DE-BE".to_vec(),
		floor_area: 1000,
		use_type: UseType::Office,
		time_zone: b"Europe/Berlin".to_vec(),
		meters: vec![
			meter(0, 0, MeterKind::GridImport),
			meter(1, 0, MeterKind::Generation),
			meter(2, 0, MeterKind::GridExport),
			meter(3, 0, MeterKind::Temperature),
		],
	};
	let first = TODAY * PER_DAY;
	let mut campus = CampusSnapshot {
		block: 42,
		now_ms: u64::from(TODAY) * DAY_MS + DAY_MS / 2,
		period_ms: DAY_MS / u64::from(PER_DAY),
		sites: vec![site],
		..Default::default()
	};
	campus.days.insert(0, [(TODAY - 1, day(24_000, 96)), (TODAY, day(48_000, 48))].into());
	campus.days.insert(1, [(TODAY, day(12_000, 48))].into());
	campus.days.insert(2, [(TODAY, day(2_000, 2))].into());
	campus.periods.insert(0, (first..first + 48).map(|p| (p, period(1000))).collect());
	campus.periods.insert(1, (first..first + 48).map(|p| (p, period(250))).collect());
	campus.periods.insert(2, (first + 10..first + 12).map(|p| (p, period(1000))).collect());
	let yesterday = (TODAY - 1) * PER_DAY;
	let carbon = (yesterday..yesterday + 96)
		.map(|p| (p, 500))
		.chain((first..first + 96).map(|p| (p, 400)))
		.collect();
	campus.feeds.insert(("DE-BE".into(), Feed::Carbon), carbon);
	campus
		.feeds
		.insert(("DE-BE".into(), Feed::Price), (first..first + 96).map(|p| (p, 100_000)).collect());
	campus
}

fn assert_close(actual: Option<f64>, expected: f64) {
	let actual = actual.expect("a value");
	assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
}

#[test]
fn todays_kpis_follow_the_periods_and_the_oracle() {
	let campus = campus();
	let overview = campus.overview(&OverviewQuery::default(), NodeStatus::Live { block: 42 });
	assert_eq!((overview.from.as_str(), overview.to.as_str()), ("2024-10-04", "2024-10-04"));
	let b = &overview.buildings[0];
	assert_eq!(
		(b.site, b.name.as_str(), b.use_type.as_str(), b.energy_meters),
		(7, "Library", "Office", 3)
	);
	// 48 kWh imported + 12 kWh generated − 2 kWh exported.
	assert_eq!(b.energy_kwh, 58.0);
	assert_close(b.intensity_kwh_per_m2, 0.058);
	// Half a day so far: a year holds 730 of them.
	assert_close(b.intensity_kwh_per_m2_year, 0.058 * 730.0);
	assert_close(b.renewable_percent, 12.0 / 58.0 * 100.0);
	// 48 kWh at 400 g/kWh.
	assert_close(b.carbon_kg, 19.2);
	// (48 − 2) kWh at 100 €/MWh.
	assert_close(b.cost_eur, 4.6);
	// Import and generation have all 48 periods since midnight; export its 2 of the 38 periods
	// since its first reading.
	assert_close(b.completeness_percent, 98.0 / 134.0 * 100.0);
	assert_eq!(b.savings_percent, None);
	assert_eq!(b.heat_kwh, None, "no heat meter");
	assert_eq!(overview.totals.energy_kwh, 58.0);
}

#[test]
fn a_heat_meter_counts_as_district_heat_beside_the_electricity() {
	let mut campus = campus();
	campus.sites[0].meters.push(meter(4, 0, MeterKind::Heat));
	campus.days.insert(4, [(TODAY - 1, day(300_000, 96)), (TODAY, day(120_000, 48))].into());
	let overview = campus.overview(&OverviewQuery::default(), NodeStatus::Live { block: 42 });
	let b = &overview.buildings[0];
	assert_eq!(b.heat_kwh, Some(120.0));
	// Heat is no part of the electricity use, its intensity or its renewable share.
	assert_eq!(b.energy_kwh, 58.0);
	assert_close(b.renewable_percent, 12.0 / 58.0 * 100.0);
	assert_eq!(b.energy_meters, 4);
	assert_eq!(overview.totals.heat_kwh, Some(120.0));
	let query = OverviewQuery { window: Window::Week, ..Default::default() };
	assert_eq!(
		campus.overview(&query, NodeStatus::Live { block: 42 }).buildings[0].heat_kwh,
		Some(420.0)
	);
}

#[test]
fn days_beyond_the_kept_periods_use_the_days_mean_oracle_value() {
	let campus = campus();
	let query = OverviewQuery { window: Window::Week, ..Default::default() };
	let overview = campus.overview(&query, NodeStatus::Live { block: 42 });
	let b = &overview.buildings[0];
	assert_eq!(b.energy_kwh, 82.0);
	// Yesterday's 24 kWh at its mean 500 g/kWh, today's 48 kWh period by period at 400 g/kWh.
	assert_close(b.carbon_kg, 12.0 + 19.2);
	// Yesterday has no prices: only today's counts.
	assert_close(b.cost_eur, 4.6);
	// Yesterday's 96 complete periods come from its day total.
	assert_close(b.completeness_percent, (96.0 + 98.0) / (96.0 + 134.0) * 100.0);
}

#[test]
fn a_site_without_oracle_values_or_data_shows_unknowns_not_zeros() {
	let mut campus = campus();
	campus.feeds.clear();
	campus.days.clear();
	campus.periods.clear();
	let overview = campus.overview(&OverviewQuery::default(), NodeStatus::Connecting);
	let b = &overview.buildings[0];
	assert_eq!(b.energy_kwh, 0.0);
	assert_eq!((b.carbon_kg, b.cost_eur, b.renewable_percent), (None, None, None));
	// Nothing delivered since midnight: 0 of 48 periods on each of three meters.
	assert_eq!(b.completeness_percent, Some(0.0));
	assert_eq!(Kpi::Carbon.value(b), None);
}

#[test]
fn completeness_is_unknown_until_a_period_has_ended_since_data_began() {
	let mut campus = campus();
	let now = u32::try_from(campus.now_ms / campus.period_ms).unwrap();
	for meter in 0..3 {
		campus.days.insert(meter, [(TODAY, day(100, 0))].into());
		campus.periods.insert(meter, [(now, period(100))].into());
	}
	let overview = campus.overview(&OverviewQuery::default(), NodeStatus::Live { block: 42 });
	assert_eq!(overview.buildings[0].completeness_percent, None);
	assert_eq!(overview.totals.completeness_percent, None);
}
