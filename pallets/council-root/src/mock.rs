//! A test runtime: System and the pallet, whose supermajority is the account 1 (a stand-in for
//! a council motion; the runtime's tests pass real motions).

use crate as pallet_council_root;
use frame_support::{derive_impl, traits::EnsureOrigin};
use frame_system::RawOrigin;
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
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type CouncilRoot = pallet_council_root;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The account that stands for a supermajority of the council.
pub const SUPERMAJORITY: u64 = 1;

/// Accepts only `SUPERMAJORITY`'s signed origin.
pub struct EnsureSupermajority;

impl EnsureOrigin<RuntimeOrigin> for EnsureSupermajority {
	type Success = ();

	fn try_origin(origin: RuntimeOrigin) -> Result<(), RuntimeOrigin> {
		match origin.clone().into() {
			Ok(RawOrigin::Signed(SUPERMAJORITY)) => Ok(()),
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RawOrigin::Signed(SUPERMAJORITY).into())
	}
}

impl pallet_council_root::Config for Test {
	type RuntimeCall = RuntimeCall;
	type SupermajorityOrigin = EnsureSupermajority;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage();
	let mut ext = sp_io::TestExternalities::new(storage.unwrap_or_default());
	// Events are recorded from block 1 on.
	ext.execute_with(|| System::set_block_number(1));
	ext
}
