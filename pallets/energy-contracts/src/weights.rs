//! Weights of the energy contracts pallet's calls.
//!
//! The pallet is not in the runtime until `scripts/bench-weights energy-contracts` has generated
//! this file's `SubstrateWeight` from its benchmarks; test runtimes use `()`, which weighs
//! nothing.

use frame_support::weights::Weight;

/// Weight functions of the pallet's calls.
pub trait WeightInfo {
	fn approve_template() -> Weight;
	fn retire_template() -> Weight;
	/// `s` sites, `m` meters.
	fn propose_contract(s: u32, m: u32) -> Weight;
	fn sign_contract() -> Weight;
	fn withdraw_contract() -> Weight;
	/// `m` meters over `d` days.
	fn settle_period(m: u32, d: u32) -> Weight;
	fn acknowledge_payment() -> Weight;
	fn report_breach() -> Weight;
	fn open_dispute() -> Weight;
	fn resolve_dispute() -> Weight;
	fn request_termination() -> Weight;
	fn terminate_for_breach() -> Weight;
}

impl WeightInfo for () {
	fn approve_template() -> Weight {
		Weight::zero()
	}
	fn retire_template() -> Weight {
		Weight::zero()
	}
	fn propose_contract(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
	fn sign_contract() -> Weight {
		Weight::zero()
	}
	fn withdraw_contract() -> Weight {
		Weight::zero()
	}
	fn settle_period(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
	fn acknowledge_payment() -> Weight {
		Weight::zero()
	}
	fn report_breach() -> Weight {
		Weight::zero()
	}
	fn open_dispute() -> Weight {
		Weight::zero()
	}
	fn resolve_dispute() -> Weight {
		Weight::zero()
	}
	fn request_termination() -> Weight {
		Weight::zero()
	}
	fn terminate_for_breach() -> Weight {
		Weight::zero()
	}
}
