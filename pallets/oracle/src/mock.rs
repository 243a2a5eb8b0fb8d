//! A test runtime: System and the oracle pallet, with a member table and a clock the tests set.

use crate as pallet_energy_oracle;
use crate::types::*;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
	BoundedVec,
};
use frame_system::{
	offchain::{AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes},
	EnsureRoot,
};
use pallet_registry::Role;
use smartblocks_testing::TestClock;
pub use smartblocks_testing::TestMembers;
use sp_runtime::{
	testing::{TestSignature, TestXt, UintAuthorityId},
	BuildStorage,
};

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
	pub type Oracle = pallet_energy_oracle;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// What the off-chain worker sends: the call, signed by the account (signatures are not checked).
pub type Extrinsic = TestXt<RuntimeCall, ()>;

impl SigningTypes for Test {
	type Public = UintAuthorityId;
	type Signature = TestSignature;
}

impl<C> CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> CreateSignedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_signed_transaction<A: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		_: UintAuthorityId,
		account: u64,
		_: Self::Nonce,
	) -> Option<Extrinsic> {
		Some(Extrinsic::new_signed(call, account, (), ()))
	}
}

/// Local keys are `UintAuthorityId`s whose number is their account (set with `set_all_keys`).
pub struct TestProviderKey;

impl AppCrypto<UintAuthorityId, TestSignature> for TestProviderKey {
	type RuntimeAppPublic = UintAuthorityId;
	type GenericPublic = UintAuthorityId;
	type GenericSignature = TestSignature;
}

/// Sets the chain clock (ms since the Unix epoch).
pub fn set_now(ms: u64) {
	TestClock::set(ms);
}

/// 2026-11-26T00:00:00Z.
pub const DAY0: u64 = 1_795_651_200_000;
/// 15 minutes.
pub const PERIOD: u64 = 900_000;
/// The period the tests' clock starts in: 12:00 on the test day.
pub const NOON: PeriodIndex = ((DAY0 + 12 * 3_600_000) / PERIOD) as PeriodIndex;

impl pallet_energy_oracle::Config for Test {
	type Members = TestMembers;
	type UnixTime = TestClock;
	type PeriodLength = ConstU64<PERIOD>;
	// A day back, a day ahead, two days kept: pruning shows within a test.
	type SubmissionWindow = ConstU32<96>;
	type MaxLead = ConstU32<96>;
	type Retention = ConstU32<192>;
	type MaxProviders = ConstU32<5>;
	type MaxBatch = ConstU32<8>;
	type QuorumOrigin = EnsureRoot<u64>;
	type AuthorityId = TestProviderKey;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchClock;
}

/// The benchmarks' clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchClock;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchClock {
	fn set_time(now: Moment) {
		set_now(now);
	}
}

/// A feed of `kind` for the region `DE-BE`.
pub fn feed(kind: FeedKind) -> Feed {
	Feed { kind, region: BoundedVec::truncate_from(b"DE-BE".to_vec()) }
}

/// A batch of submissions.
pub fn batch(values: &[(Feed, PeriodIndex, i64)]) -> BoundedVec<Submission, ConstU32<8>> {
	BoundedVec::truncate_from(
		values
			.iter()
			.map(|(feed, period, value)| Submission {
				feed: feed.clone(),
				period: *period,
				value: *value,
			})
			.collect(),
	)
}

/// A chain at genesis with quorum 3, the clock at noon of the test day, and the members.
pub fn new_test_ext() -> sp_io::TestExternalities {
	// Accounts 1 to 6 are providers 1 to 6; account 7 is member 7, a building owner.
	let provider: &[Role] = &[Role::OracleProvider];
	TestMembers::set(&[
		(1, 1, provider),
		(2, 2, provider),
		(3, 3, provider),
		(4, 4, provider),
		(5, 5, provider),
		(6, 6, provider),
		(7, 7, &[Role::BuildingOwner]),
	]);
	set_now(DAY0 + 12 * 3_600_000);
	let storage = RuntimeGenesisConfig {
		oracle: pallet_energy_oracle::GenesisConfig { quorum: 3, ..Default::default() },
		..Default::default()
	}
	.build_storage()
	.unwrap_or_default();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test and checks the pallet's invariants after it.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().unwrap_or_else(|e| panic!("invariant broken: {e:?}"));
	});
}
