//! The member registry: who belongs to the consortium, and which of them validate.

use frame_support::traits::{ConstU128, ConstU16, ConstU32, Contains};

use super::{
	governance::{CouncilChangeWeight, CouncilMajority, CouncilTwoThirds, COUNCIL_MAX_MEMBERS},
	MAX_AUTHORITIES,
};
use crate::{currency::UNIT, time::DAYS, AccountId, Balances, Council, Runtime, RuntimeHoldReason};

/// Held from an applicant, kept as the bond while it is a member.
pub const APPLICATION_DEPOSIT: crate::Balance = 100 * UNIT;

/// Whether an account has registered session keys, so it can validate.
pub struct HasSessionKeys;
impl Contains<AccountId> for HasSessionKeys {
	fn contains(account: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(account)
	}
}

impl pallet_registry::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CouncilOrigin = CouncilMajority;
	// A seat is a vote on Root's motions: giving or taking one, also by suspending or retiring
	// its member, needs the two thirds that Root needs.
	type SeatOrigin = CouncilTwoThirds;
	type Council = Council;
	type CouncilChangeWeight = CouncilChangeWeight;
	type MaxCouncilSeats = ConstU32<COUNCIL_MAX_MEMBERS>;
	// Two thirds of three is two: a council smaller than that is one or two parties' chain.
	type MinCouncilSeats = ConstU32<3>;
	type ApplicationDeposit = ConstU128<APPLICATION_DEPOSIT>;
	// Far more organisations than a consortium admits in a season; filling the queue holds
	// 6,400 SBT of deposits that the council can reject and slash.
	type MaxApplications = ConstU32<64>;
	type MaxNameLen = ConstU32<64>;
	type MaxAccounts = ConstU32<16>;
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	// GRANDPA needs two thirds of the validators online; with three, none may fail, so
	// suspensions stop there and the council must approve replacements first.
	type MinValidators = ConstU32<3>;
	// A year of weekly settlements, completeness reports and ratings.
	type MaxHistory = ConstU32<256>;
	// At most 20 points a day (two honoured settlements, say): a score takes weeks to climb,
	// however many contracts colluding members settle between them.
	type GainWindow = ConstU32<DAYS>;
	type MaxGainPerWindow = ConstU16<20>;
	// A validator, a sentry or two, and the full nodes that serve bridges and the portal.
	type MaxNodes = ConstU32<8>;
	// libp2p peer ids are multihashes: 38 bytes for ed25519 keys, up to 42 for secp256k1.
	type MaxPeerIdLen = ConstU32<128>;
	type HasSessionKeys = HasSessionKeys;
	type WeightInfo = pallet_registry::weights::SubstrateWeight<Runtime>;
}
