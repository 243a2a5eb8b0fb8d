//! A test runtime: System, Balances and the registry with three founding validator operators.

use crate as pallet_registry;
use crate::types::Role;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU16, ConstU32, ConstU64, Contains},
};
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

parameter_types! {
	pub const MaxNameLen: u32 = 16;
}

pub const DEPOSIT: u64 = 100;
/// Blocks of a gain window.
pub const GAIN_WINDOW: u64 = 10;
/// Pending applications the mock admits at once.
pub const MAX_APPLICATIONS: u32 = 3;

impl pallet_registry::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CouncilOrigin = frame_system::EnsureRoot<u64>;
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
/// first accounts are validators; member 0 is also an ESCO and has the node `node-1`. Accounts
/// 1–10 hold 1000 each.
pub fn new_test_ext() -> sp_io::TestExternalities {
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
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on a fresh chain, then checks the pallet's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		if let Err(broken) = Registry::do_try_state() {
			panic!("try_state after the test: {broken:?}");
		}
	})
}
