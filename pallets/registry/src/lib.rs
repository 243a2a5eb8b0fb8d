//! # Member registry
//!
//! Who belongs to the SmartBlocks consortium, in which roles, acting through which accounts, with
//! which validators, and how far the others can trust them.
//!
//! - **Applications.** [`Pallet::apply`] is the one call open to non-members: an organisation
//!   names itself, asks for roles and leaves the hash of its contact details; a deposit is held
//!   from the applicant. The council (see [`Config::CouncilOrigin`]) admits it (with the roles it
//!   grants) or rejects it with a stated reason, returning or slashing the deposit. At most
//!   [`Config::MaxApplications`] wait at once: the deposit makes each place in that queue cost
//!   its holder, and a council that sees the queue filled by one party rejects those applications
//!   with their deposits slashed, so no one can keep genuine applicants out for free.
//! - **Members** act through up to [`Config::MaxAccounts`] accounts (the applicant's first, then
//!   operator accounts for bridges and staff that the member adds and removes itself). The council
//!   suspends, reinstates and retires members and grants or revokes roles. A suspended member's
//!   accounts cannot act; a retired member has no accounts and gets its deposit back.
//! - **Validators.** The council approves accounts of members with the `ValidatorOperator` role.
//!   The pallet is the session manager: each new session's validators are the approved accounts
//!   of active validator operators that have registered session keys. No council action may leave
//!   fewer than [`Config::MinValidators`] of them.
//! - **Council seats.** The registry decides who sits on the council and tells the council's
//!   collective ([`Config::Council`]) of every change in the same call. A seat goes to one
//!   account of an active member, at most one per member, by [`Config::SeatOrigin`] (two thirds
//!   of the council in the runtime). Suspending or retiring a member takes its seat in the same
//!   call, and since a seat is power over the council, taking it that way needs `SeatOrigin`
//!   too: a bare majority could otherwise suspend its opponents until it held two thirds. No
//!   change may leave fewer than [`Config::MinCouncilSeats`] seats. A reinstated member does not
//!   get its seat back; a member cannot remove the account that holds its seat.
//! - **Member nodes.** A member registers the network identities (libp2p peer ids) of its nodes,
//!   up to [`Config::MaxNodes`]. Once the council turns the allowlist on, every node's off-chain
//!   worker keeps its peers to the nodes of active members (reserved-only networking), so a
//!   suspended or retired member's nodes are dropped. Until then the network is open, which lets
//!   a new chain's members register their nodes first.
//! - **Members-only transactions**: [`CheckMember`] is a transaction extension that refuses, at
//!   pool validation, signed transactions from accounts that do not act for an active member,
//!   except applying. Refusals carry [`extension::NOT_A_MEMBER`] or
//!   [`extension::MEMBER_SUSPENDED`] as the custom `InvalidTransaction` code.
//!
//! ## Reputation
//!
//! Each member has a score from 0 to 1000, starting at 500 on admission. It moves only when
//! another pallet reports an objective on-chain event through [`ReputationReporter`]:
//!
//! | cause | points |
//! |---|---|
//! | settlement honoured before its deadline | +10 |
//! | settlement breached | −50 |
//! | meter data completeness of a UTC day ≥ 990 ‰ | +2 |
//! | completeness 950–989 ‰ | 0 |
//! | completeness 800–949 ‰ | −5 |
//! | completeness below 800 ‰ | −15 |
//! | dispute won | +5 |
//! | dispute lost | −40 |
//! | peer rating after a contract ends, 1–5 stars | (stars − 3) × 5 |
//!
//! The energy contracts pallet reports settlements, disputes and peer ratings (and bounds the
//! ratings one member gives another to one per rating interval). The meters pallet reports each
//! member's data completeness once per UTC day, in order, from the periods all its active
//! meters owed (silent ones included), so no member can report its good days only.
//!
//! The new score is the old one plus the points, clamped to 0–1000, so the rule depends on
//! nothing but the score and the cause, except that gains are capped: in each
//! [`Config::GainWindow`] (a day in the runtime) a member gains at most
//! [`Config::MaxGainPerWindow`] points (20), whatever causes them, so no series of honoured
//! settlements, ratings or complete days between colluding members raises a score faster. A
//! cause beyond the cap is recorded with the score it left as it was (its points are lost, not
//! carried over, so a busy member's gains may lag its losses); losses are never capped. Windows
//! are fixed runs of blocks: across a boundary a member may gain twice the cap in a few blocks,
//! never more than the cap per window on average.
//! Every change is kept in a history of the last [`Config::MaxHistory`] entries (block, new
//! score, cause); the oldest entry gives way first.
//!
//! Worked example: a member admitted at 500 honours a settlement (510), delivers 970 ‰ of its
//! readings (510), then 900 ‰ (505), breaches a settlement (455), loses the dispute that follows
//! (415) and is rated 5 stars by the counterparty when the contract ends (425). A member at 995
//! that honours a settlement reaches 1000, not 1005.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod council;
pub mod extension;
mod functions;
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
mod nodes;
mod reputation;
pub mod runtime_api;
mod session;
#[cfg(test)]
mod tests;
mod traits;
pub mod types;
pub mod weights;

pub use extension::CheckMember;
pub use traits::{MemberRegistry, ReputationReporter};
pub use types::*;
pub use weights::WeightInfo;

// The pallet macros expand to `expect` on metadata lookups that cannot fail.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{string::String, vec::Vec};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, ChangeMembers, Contains, InitializeMembers},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	/// The balance type of the currency deposits are held in.
	pub type BalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;

	/// An application as stored.
	pub type ApplicationOf<T> =
		Application<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxNameLen>;

	/// A member as stored.
	pub type MemberInfoOf<T> = MemberInfo<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxNameLen,
	>;

	/// A node's network identity: the bytes of its libp2p peer id.
	pub type PeerIdOf<T> = BoundedVec<u8, <T as Config>::MaxPeerIdLen>;

	/// A member as the runtime API returns it.
	pub type MemberDetailsOf<T> =
		MemberDetails<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

	/// The storage layout version; migrations bump it.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Holds deposits.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// The runtime's hold reasons, of which [`HoldReason`] is a part.
		type RuntimeHoldReason: From<HoldReason>;

		/// Admits, rejects, suspends, reinstates and retires members, changes their roles and
		/// approves validators: the council's majority in the SmartBlocks runtime.
		type CouncilOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Held from an applicant; kept as the member's bond once admitted.
		#[pallet::constant]
		type ApplicationDeposit: Get<BalanceOf<Self>>;

		/// Most applications pending at once; more wait until the council decides some.
		#[pallet::constant]
		type MaxApplications: Get<u32>;

		/// Longest organisation name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Most accounts a member may act through.
		#[pallet::constant]
		type MaxAccounts: Get<u32>;

		/// Most approved validator accounts across all members.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Fewest validators the council may leave when it suspends, retires, revokes or removes.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Reputation changes kept per member.
		#[pallet::constant]
		type MaxHistory: Get<u32>;

		/// Blocks of a gain window: a member's reputation rises by at most
		/// `MaxGainPerWindow` in each.
		#[pallet::constant]
		type GainWindow: Get<BlockNumberFor<Self>>;

		/// Most points a member's reputation may gain in one `GainWindow`, whatever causes
		/// them. Losses are never capped.
		#[pallet::constant]
		type MaxGainPerWindow: Get<u16>;

		/// Most nodes a member may register.
		#[pallet::constant]
		type MaxNodes: Get<u32>;

		/// Longest peer id, in bytes (an ed25519 libp2p peer id has 38).
		#[pallet::constant]
		type MaxPeerIdLen: Get<u32>;

		/// Grants and revokes council seats, and must also consent when suspending or retiring a
		/// member takes its seat: two thirds of the council in the SmartBlocks runtime. Every
		/// origin it admits must also pass `CouncilOrigin`.
		type SeatOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The council's collective, told of every change to the seats (and so of the votes of
		/// outgoing members on open motions).
		type Council: ChangeMembers<Self::AccountId> + InitializeMembers<Self::AccountId>;

		/// The most a change of seats costs `Council` (its open motions are rewritten).
		type CouncilChangeWeight: Get<Weight>;

		/// Most council seats.
		#[pallet::constant]
		type MaxCouncilSeats: Get<u32>;

		/// Fewest council seats a change may leave.
		#[pallet::constant]
		type MinCouncilSeats: Get<u32>;

		/// Whether an account has registered session keys (`pallet_session::NextKeys`); only
		/// those can validate.
		type HasSessionKeys: Contains<Self::AccountId>;

		/// Weights measured by this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why the registry holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An application's deposit, kept as the bond while the organisation is a member.
		MembershipDeposit,
	}

	/// Pending applications by applicant account: one per account, at most `MaxApplications`.
	#[pallet::storage]
	pub type Applications<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, ApplicationOf<T>>;

	/// Members by number, including retired ones (kept for history).
	#[pallet::storage]
	pub type Members<T: Config> = StorageMap<_, Twox64Concat, MemberId, MemberInfoOf<T>>;

	/// The number the next admitted member gets.
	#[pallet::storage]
	pub type NextMemberId<T: Config> = StorageValue<_, MemberId, ValueQuery>;

	/// Members that are not retired.
	#[pallet::storage]
	pub type MemberCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The accounts acting for each member; the reverse of [`AccountOf`].
	#[pallet::storage]
	pub type Accounts<T: Config> =
		StorageMap<_, Twox64Concat, MemberId, BoundedVec<T::AccountId, T::MaxAccounts>, ValueQuery>;

	/// The member each account acts for.
	#[pallet::storage]
	pub type AccountOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, MemberId>;

	/// Council-approved validator accounts with their members, in approval order.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<(T::AccountId, MemberId), T::MaxValidators>, ValueQuery>;

	/// Council seats: each an account of an active member with that member, one per member,
	/// sorted by account (the order the collective keeps its members in).
	#[pallet::storage]
	pub type CouncilSeats<T: Config> =
		StorageValue<_, BoundedVec<(T::AccountId, MemberId), T::MaxCouncilSeats>, ValueQuery>;

	/// The points each member gained in its latest gain window.
	#[pallet::storage]
	pub type Gains<T: Config> =
		StorageMap<_, Twox64Concat, MemberId, Gain<BlockNumberFor<T>>, ValueQuery>;

	/// Each member's latest reputation changes, oldest first.
	#[pallet::storage]
	pub type ReputationHistory<T: Config> = StorageMap<
		_,
		Twox64Concat,
		MemberId,
		BoundedVec<ReputationEntry<BlockNumberFor<T>>, T::MaxHistory>,
		ValueQuery,
	>;

	/// Each member's registered nodes.
	#[pallet::storage]
	pub type Nodes<T: Config> =
		StorageMap<_, Twox64Concat, MemberId, BoundedVec<PeerIdOf<T>, T::MaxNodes>, ValueQuery>;

	/// The member each registered node belongs to.
	#[pallet::storage]
	pub type NodeOwner<T: Config> = StorageMap<_, Blake2_128Concat, PeerIdOf<T>, MemberId>;

	/// Whether nodes talk only to the registered nodes of active members.
	#[pallet::storage]
	pub type NodeAllowlistEnforced<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Founding members: name, first account and roles. They hold no deposit.
		pub members: Vec<(String, T::AccountId, Vec<Role>)>,
		/// Approved validator accounts; each must be an account of a founding member with the
		/// `ValidatorOperator` role.
		pub validators: Vec<T::AccountId>,
		/// Founding members' nodes: an account of the member and the node's peer id bytes.
		pub nodes: Vec<(T::AccountId, Vec<u8>)>,
		/// Whether the node allowlist holds from the first block (it needs `nodes`).
		pub enforce_node_allowlist: bool,
		/// The founding council: one account of each seated founding member.
		pub council: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(problem) = Pallet::<T>::build_genesis(self) {
				// Genesis cannot return an error; a broken preset must stop the chain being built.
				panic!("registry genesis: {problem}");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An organisation applied for membership.
		Applied { applicant: T::AccountId, roles: RoleSet, deposit: BalanceOf<T> },
		/// An applicant withdrew its application and got its deposit back.
		ApplicationWithdrawn { applicant: T::AccountId, deposit: BalanceOf<T> },
		/// The council admitted an applicant as a member.
		Admitted { member: MemberId, account: T::AccountId, roles: RoleSet },
		/// The council rejected an application; `slashed` of the deposit was burned, the rest
		/// returned.
		Rejected {
			applicant: T::AccountId,
			slashed: BalanceOf<T>,
			reason: BoundedVec<u8, MaxReasonLen>,
		},
		/// The council suspended a member.
		Suspended { member: MemberId },
		/// The council reinstated a suspended member.
		Reinstated { member: MemberId },
		/// The council retired a member; its accounts and validators are gone, its deposit
		/// returned.
		Retired { member: MemberId, deposit_returned: BalanceOf<T> },
		/// The council granted roles; `roles` is the member's whole set afterwards.
		RolesGranted { member: MemberId, granted: RoleSet, roles: RoleSet },
		/// The council revoked roles; `roles` is the member's whole set afterwards.
		RolesRevoked { member: MemberId, revoked: RoleSet, roles: RoleSet },
		/// A member added an account that acts for it.
		AccountAdded { member: MemberId, account: T::AccountId },
		/// A member removed one of its accounts.
		AccountRemoved { member: MemberId, account: T::AccountId },
		/// The council approved a validator account; it validates from a coming session once its
		/// session keys are set.
		ValidatorApproved { member: MemberId, account: T::AccountId },
		/// The council removed a validator account; it leaves the set at a coming session.
		ValidatorRemoved { member: MemberId, account: T::AccountId },
		/// A member registered a node.
		NodeAdded { member: MemberId, peer_id: PeerIdOf<T> },
		/// A member removed one of its nodes.
		NodeRemoved { member: MemberId, peer_id: PeerIdOf<T> },
		/// The council turned the node allowlist on or off.
		NodeAllowlistSet { enforced: bool },
		/// A member's account took a seat on the council.
		CouncilSeatGranted { member: MemberId, account: T::AccountId },
		/// A member's account left the council: revoked, or its member suspended or retired.
		CouncilSeatRevoked { member: MemberId, account: T::AccountId },
		/// A reported event moved a member's reputation.
		ReputationChanged { member: MemberId, score: Score, cause: ReputationCause },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account already acts for a member.
		AlreadyMember,
		/// The account already has a pending application.
		ApplicationPending,
		/// The account has no pending application.
		NoApplication,
		/// The name is empty.
		EmptyName,
		/// The name is longer than `MaxNameLen` bytes.
		NameTooLong,
		/// The reason is longer than 256 bytes.
		ReasonTooLong,
		/// No role was given.
		NoRoles,
		/// A bit of the role set names no role.
		UnknownRole,
		/// The applicant cannot afford the deposit.
		CannotAffordDeposit,
		/// Member numbers are exhausted.
		TooManyMembers,
		/// No member has this number.
		UnknownMember,
		/// The member is suspended or retired, so it cannot act or be changed this way.
		MemberNotActive,
		/// The member is not suspended.
		NotSuspended,
		/// The member has retired.
		MemberRetired,
		/// The signer does not act for any member.
		NotAMember,
		/// The account does not act for this member.
		NotMemberAccount,
		/// The member already has `MaxAccounts` accounts.
		TooManyAccounts,
		/// A member must keep at least one account.
		LastAccount,
		/// The account is an approved validator; remove the validator first.
		AccountIsValidator,
		/// The member lacks the `ValidatorOperator` role.
		NotValidatorOperator,
		/// The account is already an approved validator.
		AlreadyValidator,
		/// The account is not an approved validator.
		NotAValidator,
		/// `MaxValidators` accounts are already approved.
		TooManyValidators,
		/// The change would leave fewer than `MinValidators` validators.
		TooFewValidators,
		/// The peer id is empty.
		EmptyPeerId,
		/// The peer id is longer than `MaxPeerIdLen` bytes.
		PeerIdTooLong,
		/// Another node registration already holds this peer id.
		NodeTaken,
		/// The member already has `MaxNodes` nodes.
		TooManyNodes,
		/// The node is not one of this member's.
		NotMemberNode,
		/// Turning the allowlist on with no node registered would cut every node off.
		NoNodesRegistered,
		/// Completeness is reported in per mille and cannot exceed 1000.
		InvalidCompleteness,
		/// Peer ratings are 1 to 5 stars.
		InvalidRating,
		/// `MaxApplications` applications are pending; apply again once the council has decided.
		/// (Errors are appended: clients may know them by index.)
		TooManyApplications,
		/// The member already holds a council seat (one per member).
		MemberHasSeat,
		/// All `MaxCouncilSeats` seats are taken.
		TooManySeats,
		/// The account holds no council seat.
		NoCouncilSeat,
		/// The change would leave fewer than `MinCouncilSeats` council seats.
		CouncilTooSmall,
		/// The account holds its member's council seat; the council revokes the seat first.
		AccountHoldsSeat,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxNameLen::get() > 0, "MaxNameLen must allow a name");
			assert!(T::MaxApplications::get() > 0, "MaxApplications must let someone apply");
			assert!(T::MaxAccounts::get() > 0, "MaxAccounts must allow the first account");
			assert!(T::MaxHistory::get() > 0, "MaxHistory must keep at least one change");
			assert!(!T::GainWindow::get().is_zero(), "GainWindow must hold a block");
			assert!(T::MinValidators::get() > 0, "MinValidators must keep a validator");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators cannot exceed MaxValidators"
			);
			assert!(T::MinCouncilSeats::get() > 0, "MinCouncilSeats must keep a seat");
			assert!(
				T::MinCouncilSeats::get() <= T::MaxCouncilSeats::get(),
				"MinCouncilSeats cannot exceed MaxCouncilSeats"
			);
		}

		fn offchain_worker(_: BlockNumberFor<T>) {
			Self::apply_node_allowlist();
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Apply for membership.
		///
		/// Origin: any signed account that neither acts for a member nor has an application
		/// pending, while fewer than `MaxApplications` are pending. Holds `ApplicationDeposit`
		/// from it until the council decides.
		///
		/// Emits `Applied`. Errors: `AlreadyMember`, `ApplicationPending`,
		/// `TooManyApplications`, `EmptyName`, `NameTooLong`, `NoRoles`, `UnknownRole`,
		/// `CannotAffordDeposit`.
		// The name arrives unbounded so that an oversized one gets `NameTooLong`, not a decode
		// failure; the transaction's length fee and the block length bound it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply())]
		pub fn apply(
			origin: OriginFor<T>,
			name: Vec<u8>,
			roles: RoleSet,
			contact: sp_core::H256,
		) -> DispatchResult {
			let applicant = ensure_signed(origin)?;
			Self::do_apply(applicant, name, roles, contact)
		}

		/// Withdraw the caller's pending application.
		///
		/// Origin: the applicant. Releases its deposit.
		///
		/// Emits `ApplicationWithdrawn`. Errors: `NoApplication`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw_application())]
		pub fn withdraw_application(origin: OriginFor<T>) -> DispatchResult {
			let applicant = ensure_signed(origin)?;
			Self::do_withdraw_application(applicant)
		}

		/// Admit an applicant with the roles the council grants (which may differ from those
		/// requested).
		///
		/// Origin: `CouncilOrigin`. The applicant's account becomes the new member's first
		/// account; its deposit stays held as the membership bond. The member starts with a
		/// reputation of 500.
		///
		/// Emits `Admitted`. Errors: `NoApplication`, `NoRoles`, `UnknownRole`,
		/// `TooManyMembers`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::admit())]
		pub fn admit(
			origin: OriginFor<T>,
			applicant: T::AccountId,
			roles: RoleSet,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_admit(applicant, roles)
		}

		/// Reject an application with a stated reason.
		///
		/// Origin: `CouncilOrigin`. Burns `slash` of the deposit (at most all of it) and
		/// returns the rest.
		///
		/// Emits `Rejected`. Errors: `NoApplication`, `ReasonTooLong`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(
			origin: OriginFor<T>,
			applicant: T::AccountId,
			slash: BalanceOf<T>,
			reason: Vec<u8>,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_reject(applicant, slash, reason)
		}

		/// Suspend a member: its accounts can no longer act, its council seat is taken and its
		/// validators leave the set at a coming session.
		///
		/// Origin: `CouncilOrigin`, and `SeatOrigin` as well when the member holds a seat.
		///
		/// Emits `CouncilSeatRevoked` (if it held a seat), `Suspended`. Errors: `BadOrigin`,
		/// `UnknownMember`, `MemberNotActive`, `TooFewValidators`, `CouncilTooSmall`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::suspend().saturating_add(T::CouncilChangeWeight::get()))]
		pub fn suspend(origin: OriginFor<T>, member: MemberId) -> DispatchResultWithPostInfo {
			let seated = Self::ensure_may_unseat(origin, member)?;
			Self::do_suspend(member)?;
			// Without a seat the council did not change: its share of the weight is refunded.
			Ok((!seated).then(T::WeightInfo::suspend).into())
		}

		/// Reinstate a suspended member.
		///
		/// Origin: `CouncilOrigin`.
		///
		/// Emits `Reinstated`. Errors: `UnknownMember`, `NotSuspended`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::reinstate())]
		pub fn reinstate(origin: OriginFor<T>, member: MemberId) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_reinstate(member)
		}

		/// Retire a member: removes its accounts, council seat and validators and returns its
		/// deposit. The member's record and reputation history stay for the record.
		///
		/// Origin: `CouncilOrigin`, and `SeatOrigin` as well when the member holds a seat.
		///
		/// Emits `CouncilSeatRevoked` (if it held a seat), `Retired`. Errors: `BadOrigin`,
		/// `UnknownMember`, `MemberRetired`, `TooFewValidators`, `CouncilTooSmall`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::retire().saturating_add(T::CouncilChangeWeight::get()))]
		pub fn retire(origin: OriginFor<T>, member: MemberId) -> DispatchResultWithPostInfo {
			let seated = Self::ensure_may_unseat(origin, member)?;
			Self::do_retire(member)?;
			Ok((!seated).then(T::WeightInfo::retire).into())
		}

		/// Grant roles to a member.
		///
		/// Origin: `CouncilOrigin`.
		///
		/// Emits `RolesGranted`. Errors: `UnknownMember`, `MemberRetired`, `NoRoles`,
		/// `UnknownRole`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::grant_roles())]
		pub fn grant_roles(
			origin: OriginFor<T>,
			member: MemberId,
			roles: RoleSet,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_grant_roles(member, roles)
		}

		/// Revoke roles from a member. Revoking `ValidatorOperator` takes its validators out
		/// of the set at a coming session (they stay approved should the role come back).
		///
		/// Origin: `CouncilOrigin`.
		///
		/// Emits `RolesRevoked`. Errors: `UnknownMember`, `MemberRetired`, `NoRoles`,
		/// `UnknownRole`, `TooFewValidators`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::revoke_roles())]
		pub fn revoke_roles(
			origin: OriginFor<T>,
			member: MemberId,
			roles: RoleSet,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_revoke_roles(member, roles)
		}

		/// Add an account that acts for the caller's member (an operator, a bridge).
		///
		/// Origin: an account of an active member.
		///
		/// Emits `AccountAdded`. Errors: `NotAMember`, `MemberNotActive`, `AlreadyMember`
		/// (the account acts for a member already), `ApplicationPending`, `TooManyAccounts`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::add_account())]
		pub fn add_account(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_account(who, account)
		}

		/// Remove an account of the caller's member; the caller may remove itself.
		///
		/// Origin: an account of an active member.
		///
		/// Emits `AccountRemoved`. Errors: `NotAMember`, `MemberNotActive`,
		/// `NotMemberAccount`, `LastAccount`, `AccountIsValidator`, `AccountHoldsSeat`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::remove_account())]
		pub fn remove_account(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_account(who, account)
		}

		/// Approve an account of a validator operator as a validator. It joins the set at a
		/// coming session once it has set its session keys.
		///
		/// Origin: `CouncilOrigin`.
		///
		/// Emits `ValidatorApproved`. Errors: `NotAMember`, `MemberNotActive`,
		/// `NotValidatorOperator`, `AlreadyValidator`, `TooManyValidators`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::approve_validator())]
		pub fn approve_validator(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_approve_validator(account)
		}

		/// Withdraw a validator's approval; it leaves the set at a coming session.
		///
		/// Origin: `CouncilOrigin`.
		///
		/// Emits `ValidatorRemoved`. Errors: `NotAValidator`, `TooFewValidators`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::remove_validator())]
		pub fn remove_validator(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(account)
		}

		/// Register a node of the caller's member by its libp2p peer id (the bytes, not the
		/// base58 text).
		///
		/// Origin: an account of an active member.
		///
		/// Emits `NodeAdded`. Errors: `NotAMember`, `MemberNotActive`, `EmptyPeerId`,
		/// `PeerIdTooLong`, `NodeTaken`, `TooManyNodes`.
		// The peer id arrives unbounded so that an oversized one gets `PeerIdTooLong`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::add_node())]
		pub fn add_node(origin: OriginFor<T>, peer_id: Vec<u8>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_node(who, peer_id)
		}

		/// Remove a node of the caller's member.
		///
		/// Origin: an account of an active member.
		///
		/// Emits `NodeRemoved`. Errors: `NotAMember`, `MemberNotActive`, `EmptyPeerId`,
		/// `PeerIdTooLong`, `NotMemberNode`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::remove_node())]
		pub fn remove_node(origin: OriginFor<T>, peer_id: Vec<u8>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_node(who, peer_id)
		}

		/// Turn the node allowlist on (nodes talk only to active members' registered nodes) or
		/// off (any node may connect).
		///
		/// Origin: `CouncilOrigin`.
		///
		/// Emits `NodeAllowlistSet`. Errors: `NoNodesRegistered` (when turning it on).
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::enforce_node_allowlist())]
		pub fn enforce_node_allowlist(origin: OriginFor<T>, enforce: bool) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_enforce_node_allowlist(enforce)
		}

		/// Give an account of an active member a seat on the council.
		///
		/// Origin: `SeatOrigin`. The council's collective takes the account as a member.
		///
		/// Emits `CouncilSeatGranted`. Errors: `NotAMember`, `MemberNotActive`, `MemberHasSeat`,
		/// `TooManySeats`.
		#[pallet::call_index(16)]
		#[pallet::weight(
			T::WeightInfo::grant_council_seat().saturating_add(T::CouncilChangeWeight::get())
		)]
		pub fn grant_council_seat(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::SeatOrigin::ensure_origin(origin)?;
			Self::do_grant_council_seat(account)
		}

		/// Take a council seat from the account holding it; the member stays a member.
		///
		/// Origin: `SeatOrigin`. The account's votes on open motions are withdrawn.
		///
		/// Emits `CouncilSeatRevoked`. Errors: `NoCouncilSeat`, `CouncilTooSmall`.
		#[pallet::call_index(17)]
		#[pallet::weight(
			T::WeightInfo::revoke_council_seat().saturating_add(T::CouncilChangeWeight::get())
		)]
		pub fn revoke_council_seat(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			T::SeatOrigin::ensure_origin(origin)?;
			Self::do_revoke_council_seat(account)
		}
	}
}
