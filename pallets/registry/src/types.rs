//! Types the registry stores and returns.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// A member's number, assigned in order of admission and never reused.
pub type MemberId = u32;

/// Reputation points; always within `0..=MAX_SCORE`.
pub type Score = u16;

/// The highest reputation a member can reach.
pub const MAX_SCORE: Score = 1000;

/// The reputation a member starts with on admission: the middle of the scale.
pub const INITIAL_SCORE: Score = 500;

/// The stars a peer rating may give: 1 (worst) to 5 (best).
pub const RATING_STARS: core::ops::RangeInclusive<u8> = 1..=5;

/// Bytes a stated rejection reason may hold.
pub type MaxReasonLen = ConstU32<256>;

/// A role a member may hold in the consortium.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum Role {
	/// An energy services company offering performance contracts.
	Esco,
	/// Owns buildings (sites) and their meters.
	BuildingOwner,
	/// Supplies energy to sites.
	Utility,
	/// Trades energy with other members.
	Trader,
	/// Resolves disputes on contracts.
	Auditor,
	/// Submits oracle values (market price, temperature, carbon intensity).
	OracleProvider,
	/// Runs a validator node once the council approves it.
	ValidatorOperator,
}

impl Role {
	/// Every role, in bit order.
	pub const ALL: [Role; 7] = [
		Role::Esco,
		Role::BuildingOwner,
		Role::Utility,
		Role::Trader,
		Role::Auditor,
		Role::OracleProvider,
		Role::ValidatorOperator,
	];

	/// This role's bit in a [`RoleSet`].
	pub const fn bit(self) -> u8 {
		1 << (self as u8)
	}
}

/// A set of roles as bits: bit `i` is the role with index `i` in [`Role`] (bit 0 `Esco` …
/// bit 6 `ValidatorOperator`). A set with bit 7 holds an unknown role and is refused by every
/// call.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct RoleSet(pub u8);

impl RoleSet {
	/// The bits that name a role.
	pub const KNOWN: u8 = (1 << Role::ALL.len()) - 1;

	/// The set with exactly these roles.
	pub fn of(roles: &[Role]) -> Self {
		Self(roles.iter().fold(0, |bits, role| bits | role.bit()))
	}

	/// Whether the set holds `role`.
	pub fn contains(self, role: Role) -> bool {
		self.0 & role.bit() != 0
	}

	/// Whether the set holds no role.
	pub fn is_empty(self) -> bool {
		self.0 == 0
	}

	/// Whether every bit names a role.
	pub fn is_known(self) -> bool {
		self.0 & !Self::KNOWN == 0
	}

	/// The roles of both sets.
	pub fn union(self, other: Self) -> Self {
		Self(self.0 | other.0)
	}

	/// The roles of `self` that are not in `other`.
	pub fn without(self, other: Self) -> Self {
		Self(self.0 & !other.0)
	}

	/// The roles in the set, in bit order.
	pub fn roles(self) -> impl Iterator<Item = Role> {
		Role::ALL.into_iter().filter(move |role| self.contains(*role))
	}
}

/// Where a member stands.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum MemberStatus {
	/// May transact and act in every role it holds.
	Active,
	/// Admitted but barred from acting until the council reinstates it.
	Suspended,
	/// Left the consortium: no accounts, no validators, deposit returned. Kept for history.
	Retired,
}

/// A pending request to join, by the account that will become the member's first account.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxName))]
pub struct Application<Balance, BlockNumber, MaxName: frame_support::traits::Get<u32>> {
	/// The organisation's name.
	pub name: BoundedVec<u8, MaxName>,
	/// The roles it asks for.
	pub roles: RoleSet,
	/// Hash of the contact details exchanged off chain.
	pub contact: H256,
	/// Held from the applicant until admission (then kept as the member's bond) or rejection.
	pub deposit: Balance,
	/// When the application was made.
	pub submitted: BlockNumber,
}

/// An admitted member.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxName))]
pub struct MemberInfo<AccountId, Balance, BlockNumber, MaxName: frame_support::traits::Get<u32>> {
	/// The organisation's name.
	pub name: BoundedVec<u8, MaxName>,
	/// The roles the council granted.
	pub roles: RoleSet,
	/// Where it stands.
	pub status: MemberStatus,
	/// Hash of the contact details exchanged off chain.
	pub contact: H256,
	/// The account whose deposit is held as the membership bond; returned on retirement even
	/// if the account no longer acts for the member.
	pub depositor: AccountId,
	/// The bond held from `depositor`.
	pub deposit: Balance,
	/// When the council admitted it.
	pub admitted: BlockNumber,
	/// Current reputation, `0..=MAX_SCORE`.
	pub score: Score,
}

/// An objective on-chain event that moves a member's reputation. Other pallets report them
/// through [`crate::ReputationReporter`]; see the pallet docs for the points each one is worth.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum ReputationCause {
	/// The member paid a settlement before its deadline.
	SettlementHonoured,
	/// The member let a settlement deadline pass unpaid.
	SettlementBreached,
	/// Share of the settlement periods a member's meters owed one UTC day that arrived complete,
	/// in per mille (0–1000).
	DataCompleteness { per_mille: u16 },
	/// An auditor resolved a dispute in the member's favour.
	DisputeWon,
	/// An auditor resolved a dispute against the member.
	DisputeLost,
	/// A counterparty's rating once a contract ended, 1 (worst) to 5 (best) stars.
	PeerRating { stars: u8 },
}

/// The points a member gained in one gain window (the block number divided by the window).
#[derive(Clone, Copy, PartialEq, Eq, Default, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Gain<BlockNumber> {
	pub window: BlockNumber,
	pub points: u16,
}

/// One change of reputation, kept for charts.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	Serialize,
	Deserialize,
)]
pub struct ReputationEntry<BlockNumber> {
	/// The block the change happened in.
	pub block: BlockNumber,
	/// The score after the change.
	pub score: Score,
	/// What caused it.
	pub cause: ReputationCause,
}

/// Everything about a member in one answer: what the runtime API returns.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberDetails<AccountId, Balance, BlockNumber> {
	/// The member's number.
	pub id: MemberId,
	/// The organisation's name (UTF-8; JSON shows it as text).
	#[serde(with = "utf8_text")]
	pub name: alloc::vec::Vec<u8>,
	/// The roles it holds, in bit order.
	pub roles: alloc::vec::Vec<Role>,
	/// Where it stands.
	pub status: MemberStatus,
	/// Hash of its contact details.
	pub contact: H256,
	/// The bond held for it.
	pub deposit: Balance,
	/// When it was admitted.
	pub admitted: BlockNumber,
	/// Current reputation.
	pub score: Score,
	/// The accounts that act for it.
	pub accounts: alloc::vec::Vec<AccountId>,
	/// Its council-approved validator accounts.
	pub validators: alloc::vec::Vec<AccountId>,
	/// The peer ids (bytes) of its registered nodes.
	pub nodes: alloc::vec::Vec<alloc::vec::Vec<u8>>,
	/// Reputation changes, oldest first.
	pub reputation_history: alloc::vec::Vec<ReputationEntry<BlockNumber>>,
}

/// Names as JSON text rather than an array of bytes; invalid UTF-8 shows replacement characters.
mod utf8_text {
	use alloc::{string::String, vec::Vec};
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&String::from_utf8_lossy(bytes))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
		String::deserialize(deserializer).map(String::into_bytes)
	}
}
