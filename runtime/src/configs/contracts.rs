//! Energy contracts: templates, contracts between members and their settlement.

use frame_support::traits::ConstU32;

use super::governance::CouncilMajority;
use crate::{Meters, Oracle, Registry, Runtime, Timestamp};

impl pallet_energy_contracts::Config for Runtime {
	type Members = Registry;
	type Reputation = Registry;
	type Meters = Meters;
	type Feeds = Oracle;
	type UnixTime = Timestamp;
	type TemplateOrigin = CouncilMajority;
	// A campus contract: its buildings and their main meters.
	type MaxSites = ConstU32<16>;
	type MaxMeters = ConstU32<64>;
	// Monthly settlement at most: a period's work stays a fraction of a block.
	type MaxPeriodDays = ConstU32<31>;
	// A month back: parties agree on data already on chain (a reporting period that began at
	// commissioning).
	type MaxBackdateDays = ConstU32<31>;
	// Trades and demand response read each of their meters' window periods, 96 a day: 4 meters
	// for a week is 2,688 period aggregates, each kind benchmarked on its own and the costliest
	// charged before the contract is read.
	type MaxIntervalMeters = ConstU32<4>;
	// A week's period and a week's grace: the meters keep periods for two weeks.
	type MaxIntervalDays = ConstU32<7>;
	// A month: a member moves another's reputation by rating at most ±10 points a month.
	type RatingIntervalDays = ConstU32<30>;
	type WeightInfo = pallet_energy_contracts::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = EvidenceForBenchmarks;
}

/// Sets up clock, sites, meter days and temperatures for the contracts pallet's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct EvidenceForBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_energy_contracts::BenchmarkHelper<crate::AccountId> for EvidenceForBenchmarks {
	fn set_time(now: u64) {
		pallet_timestamp::Now::<Runtime>::put(now);
	}

	fn site(
		owner: &crate::AccountId,
		region: &[u8],
		kinds: &[pallet_meters::MeterKind],
	) -> Result<
		(pallet_meters::SiteId, alloc::vec::Vec<pallet_meters::MeterId>),
		sp_runtime::DispatchError,
	> {
		Meters::site_for_benchmark(owner, region, kinds)
	}

	fn period(meter: pallet_meters::MeterId, period: u32, energy: u64, complete: bool) {
		Meters::period_for_benchmark(meter, period, energy, complete);
	}

	fn complete_days(meters: &[pallet_meters::MeterId], first: pallet_meters::DayIndex, days: u32) {
		for day in first..first + days {
			for meter in meters {
				Meters::day_for_benchmark(*meter, day, 500_000);
			}
		}
	}

	fn feed_days(
		kind: pallet_energy_oracle::FeedKind,
		region: &[u8],
		first: pallet_meters::DayIndex,
		days: u32,
	) {
		let periods_per_day = Meters::periods_per_day() as u32;
		for period in first * periods_per_day..(first + days) * periods_per_day {
			Oracle::value_for_benchmark(kind, region, period, 80);
		}
	}
}
