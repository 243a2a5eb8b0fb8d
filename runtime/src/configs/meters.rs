//! Sites, meters and signed readings.

use frame_support::traits::{ConstU32, ConstU64};

use super::governance::CouncilMajority;
use crate::{Registry, Runtime, Timestamp};

/// Settlement periods of 15 minutes, as European electricity markets settle.
pub const PERIOD_MS: u64 = 15 * 60 * 1000;
/// Periods in a day.
const PERIODS_PER_DAY: u32 = 96;

impl pallet_meters::Config for Runtime {
	type Members = Registry;
	type Reputation = Registry;
	type UnixTime = Timestamp;
	type PeriodLength = ConstU64<PERIOD_MS>;
	// Two weeks of periods: settlement windows, and the ten previous working days a demand
	// response baseline averages.
	type PeriodRetention = ConstU32<{ 14 * PERIODS_PER_DAY }>;
	// Thirteen months of days: a year's baseline and the same month a year ago.
	type DayRetention = ConstU32<400>;
	// An hour: a bridge that missed a few reads still fills its periods; a longer outage is
	// energy known in total only.
	type MaxSpreadPeriods = ConstU32<4>;
	type MaxClockDrift = ConstU64<{ 5 * 60 * 1000 }>;
	// A second, the finest a bridge polls (the tests' bridges poll every 2 s, the demo's every
	// 15 s, billing meters every minute or more); a period holds at most 901 readings.
	type MinReadingInterval = ConstU64<1_000>;
	// 32 readings of a meter in a 6 s block: a 1-minute meter's day-long backlog clears in
	// 45 blocks, and one meter's share of a full block stays small.
	type MaxIngestPerBlock = ConstU32<32>;
	// 2 048 readings of one member's meters a block, about a sixth of a block's weight: a campus
	// of 500 meters read every 15 s needs 200, and catches up an hour's outage in a minute.
	type MaxIngestPerOwnerPerBlock = ConstU32<2_048>;
	// −60 °C to 150 °C: outdoor air anywhere, and the flow temperature a heat meter reports.
	type MinTemperature = MinTemperature;
	type MaxTemperature = MaxTemperature;
	type MaxBatch = ConstU32<256>;
	type MaxMetersPerSite = ConstU32<64>;
	type MaxNameLen = ConstU32<64>;
	// Below every signed transaction (whose priority is at least 1 with no tip): block authors
	// take members' calls and council motions first, and free readings fill the space left.
	type AuthorizedPriority = ConstU64<0>;
	// Ten minutes in the pool: a bridge resubmits what did not make it.
	type AuthorizedLongevity = ConstU64<100>;
	// The council suspends a single meter its owner cannot reinstate.
	type ForceOrigin = CouncilMajority;
	type WeightInfo = pallet_meters::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkClock;
}

frame_support::parameter_types! {
	pub const MinTemperature: i16 = -600;
	pub const MaxTemperature: i16 = 1500;
}

/// Sets the timestamp pallet's clock for the meters pallet's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkClock;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_meters::BenchmarkHelper for BenchmarkClock {
	fn set_time(now: u64) {
		pallet_timestamp::Now::<Runtime>::put(now);
	}
}
