//! A test runtime: System and the oracle pallet, with a member table and a clock the tests set.

use crate as pallet_energy_oracle;
use crate::types::*;
use core::{cell::RefCell, time::Duration};
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64, UnixTime},
	BoundedVec,
};
use frame_system::EnsureRoot;
use pallet_registry::{MemberId, MemberRegistry, Role};
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

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

/// An account's member, its roles and whether it is active.
type MemberEntry = (MemberId, Vec<Role>, bool);

thread_local! {
	static MEMBERS: RefCell<BTreeMap<u64, MemberEntry>> = const { RefCell::new(BTreeMap::new()) };
	static NOW: RefCell<u64> = const { RefCell::new(0) };
}

/// Members: accounts 1 to 6 are providers 1 to 6; account 7 is member 7, a building owner.
pub struct MockMembers;
impl MemberRegistry<u64> for MockMembers {
	fn active_member_of(who: &u64) -> Option<MemberId> {
		MEMBERS.with(|members| {
			members.borrow().get(who).filter(|(_, _, active)| *active).map(|(id, _, _)| *id)
		})
	}

	fn has_role(member: MemberId, role: Role) -> bool {
		MEMBERS.with(|members| {
			members.borrow().values().any(|(id, roles, _)| *id == member && roles.contains(&role))
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn enrol_for_benchmark(who: &u64, role: Role) -> MemberId {
		MEMBERS.with(|members| {
			let mut members = members.borrow_mut();
			let id = members.get(who).map(|(id, _, _)| *id).unwrap_or(100 + *who as MemberId);
			members.insert(*who, (id, vec![role], true));
			id
		})
	}
}

/// Suspends the member `account` acts for.
pub fn suspend(account: u64) {
	MEMBERS.with(|members| {
		if let Some(entry) = members.borrow_mut().get_mut(&account) {
			entry.2 = false;
		}
	});
}

/// The chain clock the pallet reads.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_millis(NOW.with(|now| *now.borrow()))
	}
}

/// Sets the chain clock (ms since the Unix epoch).
pub fn set_now(ms: u64) {
	NOW.with(|now| *now.borrow_mut() = ms);
}

/// 2026-11-26T00:00:00Z.
pub const DAY0: u64 = 1_795_651_200_000;
/// 15 minutes.
pub const PERIOD: u64 = 900_000;
/// The period the tests' clock starts in: 12:00 on the test day.
pub const NOON: PeriodIndex = ((DAY0 + 12 * 3_600_000) / PERIOD) as PeriodIndex;

impl pallet_energy_oracle::Config for Test {
	type Members = MockMembers;
	type UnixTime = MockTime;
	type PeriodLength = ConstU64<PERIOD>;
	// A day back, a day ahead, two days kept: pruning shows within a test.
	type SubmissionWindow = ConstU32<96>;
	type MaxLead = ConstU32<96>;
	type Retention = ConstU32<192>;
	type MaxProviders = ConstU32<5>;
	type MaxBatch = ConstU32<8>;
	type QuorumOrigin = EnsureRoot<u64>;
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
	MEMBERS.with(|members| {
		let mut members = members.borrow_mut();
		members.clear();
		for account in 1..=6u64 {
			members.insert(account, (account as MemberId, vec![Role::OracleProvider], true));
		}
		members.insert(7, (7, vec![Role::BuildingOwner], true));
	});
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
