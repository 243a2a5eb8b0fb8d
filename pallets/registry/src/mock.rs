//! A test runtime: System, Balances and the registry with three founding validator operators.

use crate as pallet_registry;
use crate::types::Role;
use core::cell::RefCell;
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{
		ChangeMembers, ConstU16, ConstU32, ConstU64, Contains, EitherOfDiverse, InitializeMembers,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Registry = pallet_registry;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

thread_local! {
	static WITHOUT_KEYS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Every account has session keys unless a test said otherwise with [`drop_session_keys`].
pub struct SessionKeysSet;
impl Contains<u64> for SessionKeysSet {
	fn contains(account: &u64) -> bool {
		WITHOUT_KEYS.with(|accounts| !accounts.borrow().contains(account))
	}
}

/// Makes `account` look as if it had no session keys.
pub fn drop_session_keys(account: u64) {
	WITHOUT_KEYS.with(|accounts| accounts.borrow_mut().push(account));
}

thread_local! {
	static COUNCIL: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// The council's collective as the registry tells it: its members, sorted.
pub struct CouncilMembers;
impl ChangeMembers<u64> for CouncilMembers {
	fn change_members_sorted(_incoming: &[u64], _outgoing: &[u64], sorted_new: &[u64]) {
		COUNCIL.with(|council| *council.borrow_mut() = sorted_new.to_vec());
	}
}
impl InitializeMembers<u64> for CouncilMembers {
	fn initialize_members(members: &[u64]) {
		COUNCIL.with(|council| *council.borrow_mut() = members.to_vec());
	}
}
impl frame_support::traits::Get<Vec<u64>> for CouncilMembers {
	fn get() -> Vec<u64> {
		COUNCIL.with(|council| council.borrow().clone())
	}
}

/// The council's collective as a test (or a migration) sets it, bypassing the registry.
pub fn set_council(members: Vec<u64>) {
	COUNCIL.with(|council| *council.borrow_mut() = members);
}

parameter_types! {
	pub const MaxNameLen: u32 = 16;
}

ord_parameter_types! {
	/// Stands for a motion of a bare council majority: `CouncilOrigin`, not `SeatOrigin`.
	pub const Majority: u64 = 99;
}

pub const DEPOSIT: u64 = 100;
/// Blocks of a gain window.
pub const GAIN_WINDOW: u64 = 10;
/// Pending applications the mock admits at once.
pub const MAX_APPLICATIONS: u32 = 3;

parameter_types! {
	pub CouncilChangeWeight: Weight = Weight::from_parts(1_000, 0);
}

impl pallet_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Root stands for two thirds of the council, account 99 for a bare majority.
	type CouncilOrigin = EitherOfDiverse<EnsureRoot<u64>, EnsureSignedBy<Majority, u64>>;
	type SeatOrigin = EnsureRoot<u64>;
	type Council = CouncilMembers;
	type CouncilChangeWeight = CouncilChangeWeight;
	type MaxCouncilSeats = ConstU32<4>;
	type MinCouncilSeats = ConstU32<2>;
	type ApplicationDeposit = ConstU64<DEPOSIT>;
	type MaxApplications = ConstU32<MAX_APPLICATIONS>;
	type MaxNameLen = MaxNameLen;
	type MaxAccounts = ConstU32<3>;
	type MaxValidators = ConstU32<4>;
	type MinValidators = ConstU32<2>;
	type MaxHistory = ConstU32<5>;
	type GainWindow = ConstU64<GAIN_WINDOW>;
	type MaxGainPerWindow = ConstU16<20>;
	type MaxNodes = ConstU32<2>;
	type MaxPeerIdLen = ConstU32<8>;
	type HasSessionKeys = SessionKeysSet;
	type WeightInfo = ();
}

/// Founding members 0 (account 1), 1 (account 2) and 2 (account 3), validator operators whose
/// first accounts are validators and hold the three council seats (at least two must stay);
/// member 0 is also an ESCO and has the node `node-1`. Accounts 1–10 hold 1000 each.
pub fn new_test_ext() -> sp_io::TestExternalities {
	set_council(Vec::new());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=10).map(|account| (account, 1000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_registry::GenesisConfig::<Test> {
		members: vec![
			("Alpha".into(), 1, vec![Role::ValidatorOperator, Role::Esco]),
			("Beta".into(), 2, vec![Role::ValidatorOperator]),
			("Gamma".into(), 3, vec![Role::ValidatorOperator]),
		],
		validators: vec![1, 2, 3],
		nodes: vec![(1, b"node-1".to_vec())],
		enforce_node_allowlist: false,
		council: vec![3, 1, 2],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on a fresh chain, then checks the pallet's invariants and that the council's
/// collective has the seats' accounts as members.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		if let Err(broken) = Registry::do_try_state() {
			panic!("try_state after the test: {broken:?}");
		}
		let seats = crate::CouncilSeats::<Test>::get();
		assert_eq!(
			<CouncilMembers as frame_support::traits::Get<Vec<u64>>>::get(),
			Registry::seated_accounts(&seats),
			"the council's members are not the registry's seats"
		);
	})
}
