//! Campus snapshots built in memory, for the overview's benchmark and the KPI tests: sites and
//! meters as the chain's runtime API returns them, with day totals, settlement periods and oracle
//! values.

use smartblocks_client::subxt::utils::H256;
use smartblocks_client::{
	chain::runtime_types::pallet_meters::types::Unit,
	contracts::{
		ContractInfo, ContractState, Currency, DailyBaseline, EnergyPerformanceTerms, Permill,
		SavingsConfidence, Schedule, TemplateKind, TemplateRef, Terms,
	},
	meters::{
		day_start, DayTotal, HashChain, MeterInfo, MeterKind, MeterStatus, PeriodAggregate,
		SiteInfo, UseType, DAY_MS,
	},
	registry::{Member, MemberStatus, ReputationCause, ReputationEntry, Role},
	subxt::utils::AccountId32,
};

use super::campus::{CampusSnapshot, Feed};

/// Settlement periods of 15 minutes, as the runtime has them.
pub const PERIOD_MS: u64 = 900_000;
const PER_DAY: u32 = 96;

/// A meter of `kind` on `site`, with no readings yet.
pub fn meter(id: u32, site: u32, kind: MeterKind) -> MeterInfo {
	let unit = match kind {
		MeterKind::Temperature => Unit::DeciCelsius,
		_ => Unit::WattHour,
	};
	MeterInfo {
		id,
		site,
		owner: 0,
		kind,
		unit,
		multiplier: 1,
		max_power: 1_000_000,
		device_key: [0; 32],
		status: MeterStatus::Active,
		last_sequence: None,
		last_timestamp: None,
		last_register: None,
		chain: HashChain { head: H256::zero(), length: 0 },
		refused: 0,
		exchanges: 0,
	}
}

/// A day's total with `complete_periods` of its periods complete.
pub fn day(energy: u64, complete_periods: u16) -> DayTotal {
	DayTotal {
		energy,
		unallocated: 0,
		complete_periods,
		readings: 0,
		chain: HashChain { head: H256::zero(), length: 0 },
	}
}

/// A complete period of `energy` watt-hours.
pub fn period(energy: u64) -> PeriodAggregate {
	PeriodAggregate {
		energy,
		complete: true,
		readings: 60,
		peak_demand: 0,
		temperature_sum: 0,
		temperature_count: 0,
	}
}

/// A campus of `buildings` with `meters_per_building` meters each (grid import, export,
/// generation, a temperature sensor, the rest sub-meters) and `days` of complete data up to noon
/// of `today`: day totals and settlement periods (for the last 14 days) of every energy meter,
/// and price and carbon values for every period.
pub fn campus(buildings: u32, meters_per_building: u32, days: u32, today: u32) -> CampusSnapshot {
	let kinds = [MeterKind::GridImport, MeterKind::GridExport, MeterKind::Generation];
	let first_day = today + 1 - days;
	let mut campus = CampusSnapshot {
		block: 1000,
		now_ms: day_start(today) + DAY_MS / 2,
		period_ms: PERIOD_MS,
		..Default::default()
	};
	let now_period = today * PER_DAY + PER_DAY / 2;
	let period_from = (today + 1).saturating_sub(days.min(14)) * PER_DAY;
	for site in 0..buildings {
		let meters: Vec<MeterInfo> = (0..meters_per_building)
			.map(|index| {
				let kind = match index {
					0..=2 => kinds[index as usize].clone(),
					3 => MeterKind::Temperature,
					_ => MeterKind::SubMeter,
				};
				meter(site * meters_per_building + index, site, kind)
			})
			.collect();
		for meter in &meters {
			// Watt-hours per period: offices, labs and export vary by site.
			let per_period = match meter.kind {
				MeterKind::GridImport => 2_000 + 50 * u64::from(site),
				MeterKind::GridExport => 100,
				MeterKind::Generation => 300 + 10 * u64::from(site),
				MeterKind::Temperature => continue,
				_ => 400,
			};
			let days = (first_day..=today).map(|day| {
				let periods = if day == today { PER_DAY / 2 } else { PER_DAY };
				(day, self::day(per_period * u64::from(periods), periods as u16))
			});
			campus.days.insert(meter.id, days.collect());
			let periods = (period_from..now_period).map(|index| (index, period(per_period)));
			campus.periods.insert(meter.id, periods.collect());
		}
		campus.sites.push(SiteInfo {
			id: site,
			owner: site % 5,
			name: format!("Building {site:02}").into_bytes(),
			latitude: 48_150_000 + (site / 10) as i32 * 1_000,
			longitude: 11_560_000 + (site % 10) as i32 * 1_000,
			region: b"DE-BY".to_vec(),
			floor_area: 2_000 + 100 * site,
			use_type: if site % 3 == 0 { UseType::Laboratory } else { UseType::Office },
			time_zone: b"Europe/Berlin".to_vec(),
			meters,
		});
	}
	let all_periods = first_day * PER_DAY..(today + 1) * PER_DAY;
	let price = all_periods.clone().map(|index| (index, 80_000 + i64::from(index % 96) * 500));
	let carbon = all_periods.map(|index| (index, 350 + i64::from(index % 96)));
	campus.feeds.insert(("DE-BY".into(), Feed::Price), price.collect());
	campus.feeds.insert(("DE-BY".into(), Feed::Carbon), carbon.collect());
	campus
}

/// A member with `accounts` and a reputation history of `(block, score)` changes.
pub fn member(id: u32, name: &str, accounts: Vec<AccountId32>, history: &[(u32, u16)]) -> Member {
	Member {
		id,
		name: name.as_bytes().to_vec(),
		roles: vec![Role::Esco, Role::BuildingOwner],
		status: MemberStatus::Active,
		contact: H256::zero(),
		deposit: 100 * 1_000_000_000_000,
		admitted: history.first().map_or(0, |(block, _)| *block),
		score: history.last().map_or(500, |(_, score)| *score),
		accounts,
		validators: Vec::new(),
		nodes: Vec::new(),
		reputation_history: history
			.iter()
			.map(|&(block, score)| ReputationEntry {
				block,
				score,
				cause: ReputationCause::DataCompleteness { per_mille: 990 },
			})
			.collect(),
	}
}

/// An energy performance contract of Helio ESCO (member 1, the proposer) for Campus Estates
/// (member 0) on `sites` and `meters` with `baseline`, in EUR, twelve 30-day periods from
/// `first_day`, signed by both, none settled: a 10 % guarantee, half the savings beyond it to
/// the provider at 120.500 EUR/MWh, 80 % coverage.
pub fn performance_contract(
	id: u32,
	sites: Vec<u32>,
	meters: Vec<u32>,
	first_day: u32,
	baseline: DailyBaseline,
	state: ContractState,
) -> ContractInfo {
	ContractInfo {
		id,
		template: TemplateRef { kind: TemplateKind::EnergyPerformance, version: 1 },
		provider: 1,
		client: 0,
		proposer: 1,
		sites,
		meters,
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule { first_day, period_days: 30, periods: 12 },
		payment_days: 14,
		data_grace_days: 3,
		terms: Terms::EnergyPerformance(EnergyPerformanceTerms {
			baseline,
			max_cv_rmse: Permill(150_000),
			max_nmbe: Permill(5_000),
			guaranteed_share: Permill(100_000),
			provider_share: Permill(500_000),
			price: 120_500,
			min_coverage: Permill(800_000),
			confidence: Some(SavingsConfidence::Percent90),
		}),
		provider_signed: true,
		client_signed: true,
		state,
		settled: 0,
		termination_requested: None,
		statements: Vec::new(),
	}
}
