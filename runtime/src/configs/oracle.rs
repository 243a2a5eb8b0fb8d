//! Oracle feeds: market price, outdoor temperature, carbon intensity and the temperature forecast
//! per region and period.

use frame_support::traits::{ConstU32, ConstU64};

use super::{governance::CouncilMajority, meters::PERIOD_MS};
use crate::{Registry, Runtime, Timestamp};

/// Periods in a day.
const PERIODS_PER_DAY: u32 = 96;

impl pallet_energy_oracle::Config for Runtime {
	type Members = Registry;
	type UnixTime = Timestamp;
	// The meters' settlement periods, so a contract pairs a period's energy with its price.
	type PeriodLength = ConstU64<PERIOD_MS>;
	// A week back: providers that were offline catch up, and revised market data gets in.
	type SubmissionWindow = ConstU32<{ 7 * PERIODS_PER_DAY }>;
	// Day-ahead prices are published by early afternoon for the whole next day; forecasts for
	// the next day are what bridges need.
	type MaxLead = ConstU32<{ 2 * PERIODS_PER_DAY }>;
	// As long as the meters keep day totals: a year's baseline and the same month a year ago.
	type Retention = ConstU32<{ 400 * PERIODS_PER_DAY }>;
	type MaxProviders = ConstU32<16>;
	// A day of one feed, or fifteen minutes of many regions.
	type MaxBatch = ConstU32<128>;
	type QuorumOrigin = CouncilMajority;
	type AuthorityId = pallet_energy_oracle::crypto::ProviderKey;
	type WeightInfo = pallet_energy_oracle::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::meters::BenchmarkClock;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_energy_oracle::BenchmarkHelper for super::meters::BenchmarkClock {
	fn set_time(now: u64) {
		pallet_timestamp::Now::<Runtime>::put(now);
	}
}
