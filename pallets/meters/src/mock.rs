//! A test runtime: System and the meters pallet, with a member table and a clock the tests set.

use crate as pallet_meters;
use crate::types::*;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use pallet_registry::Role;
use smartblocks_testing::TestClock;
pub use smartblocks_testing::{TestMembers, TestReputation};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeHoldReason,
		RuntimeFreezeReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Meters = pallet_meters;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// What the off-chain worker submits: general transactions without extension data.
pub type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = ();

	fn create_transaction(call: RuntimeCall, extension: ()) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() {}
}

/// Sets the chain clock (ms since the Unix epoch).
pub fn set_now(ms: u64) {
	TestClock::set(ms);
}

/// 2026-11-26T00:00:00Z: a day boundary, so period 0 of the test day is `DAY0 / PERIOD`.
pub const DAY0: u64 = 1_795_651_200_000;
/// 12:00 on DAY0: the chain's time when a test starts.
pub const NOON: u64 = DAY0 + 12 * 3_600_000;
/// 15 minutes.
pub const PERIOD: u64 = 900_000;
/// The genesis hash readings are signed over in tests.
pub const GENESIS: H256 = H256::repeat_byte(0x42);

parameter_types! {
	pub const MinTemperature: i16 = -600;
	pub const MaxTemperature: i16 = 1500;
}

impl pallet_meters::Config for Test {
	type Members = TestMembers;
	type Reputation = TestReputation;
	type UnixTime = TestClock;
	type PeriodLength = ConstU64<PERIOD>;
	// Two days of periods and ten days of totals, so pruning shows within a test.
	type PeriodRetention = ConstU32<192>;
	type DayRetention = ConstU32<10>;
	type MaxSpreadPeriods = ConstU32<4>;
	type MaxClockDrift = ConstU64<300_000>;
	type MinReadingInterval = ConstU64<30_000>;
	type MaxIngestPerBlock = ConstU32<12>;
	type MaxIngestPerOwnerPerBlock = ConstU32<20>;
	type MinTemperature = MinTemperature;
	type MaxTemperature = MaxTemperature;
	type MaxBatch = ConstU32<16>;
	type MaxMetersPerSite = ConstU32<3>;
	type MaxNameLen = ConstU32<16>;
	type AuthorizedPriority = ConstU64<100>;
	type AuthorizedLongevity = ConstU64<64>;
	type ForceOrigin = frame_system::EnsureRoot<u64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchClock;
}

/// The benchmarks' clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchClock;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchClock {
	fn set_time(now: u64) {
		set_now(now);
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	// Account 1 is member 0 (a building owner), account 2 member 1 (a building owner), account 3
	// member 2 (an ESCO, no buildings), account 4 a second account of member 0.
	TestMembers::set(&[
		(1, 0, &[Role::BuildingOwner]),
		(2, 1, &[Role::BuildingOwner]),
		(3, 2, &[Role::Esco]),
		(4, 0, &[Role::BuildingOwner]),
	]);
	TestReputation::clear();
	set_now(NOON);
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		System::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
	});
	ext
}

/// Runs `test` on a fresh chain, then checks the pallet's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		if let Err(broken) = Meters::do_try_state() {
			panic!("invariant broken: {broken:?}");
		}
	});
}

/// The device key of test meter number `n`.
pub fn device(n: u8) -> sr25519::Pair {
	sr25519::Pair::from_seed(&[n; 32])
}

/// Site details that pass every check.
pub fn site_details(name: &str) -> SiteDetailsOf<Test> {
	SiteDetails {
		name: name.as_bytes().to_vec().try_into().unwrap(),
		location: Location {
			latitude: 52_520_000,
			longitude: 13_405_000,
			region: b"DE-BE".to_vec().try_into().unwrap(),
		},
		floor_area: 12_000,
		use_type: UseType::Education,
		time_zone: b"Europe/Berlin".to_vec().try_into().unwrap(),
	}
}

/// An energy meter spec signed by test device `n`: 1 Wh per step, up to 100 kW.
pub fn energy_spec(kind: MeterKind, n: u8) -> MeterSpec {
	MeterSpec { kind, multiplier: 1, max_power: 100_000, device_key: device(n).public() }
}

/// Registers site 0 for member 0 with a grid-import meter (0) signed by device 1 and a
/// temperature sensor (1) signed by device 2.
pub fn campus() {
	use frame_support::assert_ok;
	assert_ok!(Meters::register_site(RuntimeOrigin::signed(1), site_details("Main hall")));
	assert_ok!(Meters::register_meter(
		RuntimeOrigin::signed(1),
		0,
		energy_spec(MeterKind::GridImport, 1)
	));
	assert_ok!(Meters::register_meter(
		RuntimeOrigin::signed(1),
		0,
		MeterSpec {
			kind: MeterKind::Temperature,
			multiplier: 0,
			max_power: 0,
			device_key: device(2).public()
		}
	));
}

/// Registers site 1 for member 1 with a grid-import meter (2) signed by device 3.
pub fn annex() {
	use frame_support::assert_ok;
	assert_ok!(Meters::register_site(RuntimeOrigin::signed(2), site_details("Annex")));
	assert_ok!(Meters::register_meter(
		RuntimeOrigin::signed(2),
		1,
		energy_spec(MeterKind::GridImport, 3)
	));
}

/// A reading of `meter` signed by test device `device_seed`.
pub fn signed(device_seed: u8, reading: Reading) -> SignedReading {
	let signature = device(device_seed).sign(&crate::signing_payload(&GENESIS, &reading));
	SignedReading { reading, signature }
}

/// A skip of `meter`'s numbers `first..=last` signed by test device `device_seed`.
pub fn signed_skip(device_seed: u8, meter: MeterId, first: u64, last: u64) -> SignedSkip {
	let skip = SequenceSkip { meter, first, last };
	let signature = device(device_seed).sign(&crate::skip_payload(&GENESIS, &skip));
	SignedSkip { skip, signature }
}

/// Moves to the next block, where every meter has its full allowance again.
pub fn next_block() {
	System::set_block_number(System::block_number() + 1);
}

/// An energy reading at `minutes` after DAY0.
pub fn energy(meter: MeterId, sequence: u64, minutes: u64, register: u64) -> Reading {
	Reading {
		meter,
		sequence,
		timestamp: DAY0 + minutes * 60_000,
		register,
		demand: None,
		temperature: None,
	}
}

/// The period `minutes` after DAY0 falls in.
pub fn period_at(minutes: u64) -> PeriodIndex {
	((DAY0 + minutes * 60_000) / PERIOD) as PeriodIndex
}

/// DAY0's day number.
pub fn day0() -> DayIndex {
	(DAY0 / DAY_MS) as DayIndex
}
