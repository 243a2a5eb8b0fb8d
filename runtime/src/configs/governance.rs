//! The consortium council: a collective whose majority motions admit members, approve
//! validators and templates, and whose motions of two thirds give and take its seats (through
//! the registry, which keeps them) and act as Root (runtime upgrades, parameters).
//!
//! A motion passes only with the ayes actually cast: a member who has not voted when it closes
//! counts as a nay ([`AbstentionIsNay`]), whoever the prime is.

use frame_support::{
	parameter_types,
	traits::{ConstU32, EitherOfDiverse, Get, NeverEnsureOrigin},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use super::RuntimeBlockWeights;
use crate::{time::DAYS, AccountId, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin};

/// The council's instance of `pallet_collective`.
pub type CouncilCollective = pallet_collective::Instance1;

/// More than half of the council, or root (only the development chain has a sudo key).
pub type CouncilMajority = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>,
>;

/// A motion of at least two thirds of the council, and nothing else: what may act as Root on a
/// chain without a sudo key (`pallet_council_root`).
pub type CouncilSupermajority =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;

/// At least two thirds of the council, or root: changes to the council itself.
pub type CouncilTwoThirds = EitherOfDiverse<EnsureRoot<AccountId>, CouncilSupermajority>;

/// How a member who did not vote on a motion by its end counts: as a nay, always.
///
/// polkadot-sdk's `PrimeDefaultVote` counts every abstention as the prime voted, and a prime is
/// appointed by a bare majority: one member (the prime) voting aye on a motion nobody else
/// voted on would close it after its duration as the whole council's, which is two thirds and
/// so Root. Abstentions as nays keep every threshold a count of ayes cast.
pub struct AbstentionIsNay;

impl pallet_collective::DefaultVote for AbstentionIsNay {
	fn default_vote(_prime: Option<bool>, _ayes: u32, _nays: u32, _seats: u32) -> bool {
		false
	}
}

/// Seats on the council; far above a consortium's founding members.
pub const COUNCIL_MAX_MEMBERS: u32 = 100;

/// Most motions open at once.
pub const COUNCIL_MAX_PROPOSALS: u32 = 100;

parameter_types! {
	/// A motion may use half a block: admissions and approvals are light.
	pub CouncilMaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
	/// The most a change of seats costs the collective (it rewrites every open motion's votes):
	/// what replacing a full council with open motions at their bound costs.
	pub CouncilChangeWeight: Weight =
		<pallet_collective::weights::SubstrateWeight<Runtime> as pallet_collective::WeightInfo>::set_members(
			COUNCIL_MAX_MEMBERS,
			COUNCIL_MAX_MEMBERS,
			COUNCIL_MAX_PROPOSALS,
		);
}

/// The council's members as the collective keeps them: what the registry's seats were taken
/// from when it began keeping them (`pallet_registry::migrations::V2ToV3`).
pub struct CouncilMembers;
impl Get<alloc::vec::Vec<AccountId>> for CouncilMembers {
	fn get() -> alloc::vec::Vec<AccountId> {
		pallet_collective::Members::<Runtime, CouncilCollective>::get()
	}
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	// A motion closes early once its threshold of ayes is reached, or its nays make that
	// impossible; a week gives every member time to vote.
	type MotionDuration = ConstU32<{ 7 * DAYS }>;
	type MaxProposals = ConstU32<COUNCIL_MAX_PROPOSALS>;
	type MaxMembers = ConstU32<COUNCIL_MAX_MEMBERS>;
	type DefaultVote = AbstentionIsNay;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Seats change through the registry, which tells the collective; not even Root (two
	// thirds, through `CouncilRoot`) sets the collective's members past it, which would leave
	// the two lists apart.
	type SetMembersOrigin = NeverEnsureOrigin<()>;
	type MaxProposalWeight = CouncilMaxProposalWeight;
	type DisapproveOrigin = CouncilTwoThirds;
	type KillOrigin = CouncilTwoThirds;
	// Proposing is limited to council members; no deposit needed.
	type Consideration = ();
}

impl pallet_council_root::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type SupermajorityOrigin = CouncilSupermajority;
	type WeightInfo = pallet_council_root::weights::SubstrateWeight<Runtime>;
}
