use smartblocks_client::contracts::Permill;

use super::*;
use crate::{kpi::Window, server::sample, status::NodeStatus};

const TODAY: u32 = 20_000;
const PER_DAY: u32 = 96;

/// 200 kWh a day, plus 1 kWh per heating degree-day below 15.5 °C.
fn baseline() -> DailyBaseline {
	DailyBaseline {
		intercept: 200_000,
		heating_slope: 1_000,
		heating_balance: 155,
		cooling_slope: 0,
		cooling_balance: 0,
		cv_rmse: Permill(84_000),
		nmbe: 0,
		r_squared: Permill(900_000),
		observations: 365,
		parameters: 2,
		autocorrelation: Permill(310_000),
		temperature_spread: 0,
	}
}

fn performance(id: u32, sites: Vec<u32>, meters: Vec<u32>, state: ContractState) -> ContractInfo {
	sample::performance_contract(id, sites, meters, TODAY - 10, baseline(), state)
}

/// Two buildings with 7 days of data (today's half complete) and a temperature of 5.5 °C in
/// every period of the last `temperature_days` days.
fn campus(temperature_days: u32) -> CampusSnapshot {
	let mut campus = sample::campus(2, 4, 7, TODAY);
	let from = (TODAY + 1 - temperature_days) * PER_DAY;
	let temperatures = (from..(TODAY + 1) * PER_DAY).map(|period| (period, 55));
	campus.feeds.insert(("DE-BY".into(), Feed::Temperature), temperatures.collect());
	campus
}

#[test]
fn savings_are_the_baseline_prediction_less_the_contract_meters_use_on_complete_days() {
	let mut campus = campus(7);
	campus.contracts = vec![performance(3, vec![0], vec![0], ContractState::Active)];
	// Meter 0 (grid import of building 0) uses 2 kWh a period, 192 kWh a day; the baseline
	// predicts 200 + 1 × 10 degree-days = 210 kWh. Today is incomplete: six days count.
	let savings = campus.savings(0, TODAY - 6, TODAY).unwrap();
	assert_eq!(savings.baseline_wh, 6.0 * 210_000.0);
	assert_eq!(savings.metered_wh, 6.0 * 192_000.0);
	let kpis = campus.building(&campus.sites[0], TODAY - 6, TODAY);
	assert_eq!(kpis.savings_kwh, Some(6.0 * 18.0));
	let percent = kpis.savings_percent.unwrap();
	assert!((percent - 18.0 / 210.0 * 100.0).abs() < 1e-9, "{percent}");
	// A building no contract covers has no baseline.
	assert_eq!(campus.building(&campus.sites[1], TODAY - 6, TODAY).savings_percent, None);
}

#[test]
fn a_baselines_temperature_spread_counts_as_the_chain_counts_it() {
	// 5.5 °C is 10 K below the balance point: with temperatures spread by 4 K (2.5 σ), the
	// degree-days are 4 K × g(2.5) = 10.008 016 K·d, as the pallet's table gives them.
	let mut campus = campus(7);
	let mut contract = performance(3, vec![0], vec![0], ContractState::Active);
	let Terms::EnergyPerformance(terms) = &mut contract.terms else { unreachable!() };
	terms.baseline.temperature_spread = 40;
	campus.contracts = vec![contract];
	let savings = campus.savings(0, TODAY - 6, TODAY).unwrap();
	assert!((savings.baseline_wh - 6.0 * (200_000.0 + 10_008.016)).abs() < 1e-6, "{savings:?}");
}

#[test]
fn the_daily_chart_shows_the_baseline_on_the_days_savings_count() {
	let mut campus = campus(7);
	campus.contracts = vec![performance(3, vec![0], vec![0], ContractState::Active)];
	let detail = campus.building_detail(0, Window::default(), NodeStatus::Connecting).unwrap();
	assert_eq!(detail.baseline_contract, Some(3));
	let baseline: Vec<_> = detail.days.iter().map(|day| day.baseline_kwh).collect();
	let expected: Vec<_> = (TODAY - 29..=TODAY)
		.map(|day| (TODAY - 6..TODAY).contains(&day).then_some(210.0))
		.collect();
	assert_eq!(baseline, expected);
	// Beside it, what the contract's meters measured on those days, which it is measured against.
	let metered: Vec<_> = detail.days.iter().map(|day| day.contract_kwh).collect();
	let expected: Vec<_> = expected.iter().map(|day| day.map(|_| 192.0)).collect();
	assert_eq!(metered, expected);
	assert!(detail.periods.iter().all(|period| period.baseline_kwh.is_none()));

	let other = campus.building_detail(1, Window::default(), NodeStatus::Connecting).unwrap();
	assert_eq!(other.baseline_contract, None);
	assert!(other.days.iter().all(|day| day.baseline_kwh.is_none()));
}

#[test]
fn days_without_the_oracles_temperature_or_before_the_contract_do_not_count() {
	let mut campus = campus(3);
	let mut contract = performance(3, vec![0], vec![0], ContractState::Active);
	contract.schedule.first_day = TODAY - 1;
	campus.contracts = vec![contract];
	// Only yesterday: temperatures for 3 days, the contract from yesterday, today incomplete.
	assert_eq!(campus.savings(0, TODAY - 6, TODAY).unwrap().metered_wh, 192_000.0);

	// Nine tenths of a day's periods give its mean; fewer do not.
	let mut sparse = campus.clone();
	let values = sparse.feeds.get_mut(&("DE-BY".to_string(), Feed::Temperature)).unwrap();
	let yesterday = (TODAY - 1) * PER_DAY;
	values.retain(|period, _| *period < yesterday || *period >= yesterday + 10);
	assert_eq!(sparse.daily_mean_temperature("DE-BY", TODAY - 1), None);
	assert_eq!(sparse.savings(0, TODAY - 6, TODAY), None);
	values_with_gap(&mut sparse, yesterday, 9);
	assert_eq!(sparse.daily_mean_temperature("DE-BY", TODAY - 1), Some(55));
}

/// Gives day `first`'s periods their temperatures back but for the first `missing`.
fn values_with_gap(campus: &mut CampusSnapshot, first: u32, missing: u32) {
	let values = campus.feeds.get_mut(&("DE-BY".to_string(), Feed::Temperature)).unwrap();
	for period in first + missing..first + PER_DAY {
		values.insert(period, 55);
	}
}

#[test]
fn the_mean_temperature_rounds_as_the_oracle_rounds() {
	let mut campus = campus(1);
	let values = campus.feeds.get_mut(&("DE-BY".to_string(), Feed::Temperature)).unwrap();
	// 48 periods at −1 and 48 at −2: −1.5 rounds away from zero to −2.
	for (offset, value) in values.values_mut().enumerate() {
		*value = if offset % 2 == 0 { -1 } else { -2 };
	}
	assert_eq!(campus.daily_mean_temperature("DE-BY", TODAY), Some(-2));
	assert_eq!(campus.daily_mean_temperature("DE-BY", TODAY - 1), None);
	assert_eq!(campus.daily_mean_temperature("FR", TODAY), None);
}

#[test]
fn drafts_and_terminated_contracts_give_no_baseline_and_shared_ones_split_by_use() {
	let mut campus = campus(7);
	campus.contracts = vec![performance(3, vec![0], vec![0], ContractState::Draft)];
	assert_eq!(campus.savings(0, TODAY - 6, TODAY), None);
	let ended = ContractState::Terminated(smartblocks_client::contracts::Termination::ByAgreement);
	campus.contracts = vec![performance(3, vec![0], vec![0], ended)];
	assert_eq!(campus.savings(0, TODAY - 6, TODAY), None);

	// One contract over both buildings' grid imports (192 and 196.8 kWh a day): each building
	// gets the prediction in proportion to its use, so both show the contract's savings share.
	campus.contracts = vec![performance(4, vec![0, 1], vec![0, 4], ContractState::Active)];
	let first = campus.savings(0, TODAY - 6, TODAY).unwrap();
	let second = campus.savings(1, TODAY - 6, TODAY).unwrap();
	assert!((first.baseline_wh + second.baseline_wh - 6.0 * 210_000.0).abs() < 1e-6);
	assert_eq!(second.metered_wh, 6.0 * 196_800.0);
	let share = |savings: Savings| savings.saved_wh() / savings.baseline_wh;
	assert!((share(first) - share(second)).abs() < 1e-12);
	let totals = crate::kpi::CampusTotals::of(&[
		campus.building(&campus.sites[0], TODAY - 6, TODAY),
		campus.building(&campus.sites[1], TODAY - 6, TODAY),
	]);
	let expected = (210.0 - 192.0 - 196.8) / 210.0 * 100.0;
	assert!((totals.savings_percent.unwrap() - expected).abs() < 1e-9);
}
