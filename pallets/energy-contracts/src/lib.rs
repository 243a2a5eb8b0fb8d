//! # Energy contracts
//!
//! Contracts between consortium members that settle themselves from metered evidence and oracle
//! values, so an energy performance guarantee needs no spreadsheet and no trust in one party's
//! numbers.
//!
//! - **Templates** are versioned and approved by the council ([`Config::TemplateOrigin`]): each
//!   version fixes the bounds of every parameter its contracts may set. Genesis approves the
//!   built-in templates' first versions.
//! - **Contracts** instantiate a template between a provider and a client over their sites and
//!   meters. Lifecycle: draft (proposed by a party, whose signature it carries) → active once the
//!   other party signs → each period settled → completed; or terminated by agreement, for breach
//!   or by an auditor's ruling; or disputed by a party until an `Auditor` member rules.
//! - **Settlement**: once a period's days have closed and its data is complete (or the grace
//!   days have passed), any party settles it. The statement records the evidence (aggregates,
//!   oracle values, completeness) and the obligation: who owes whom how much. Payment happens off
//!   chain; the creditor confirms receiving it before the deadline, or reports the breach.
//!   Both move the debtor's reputation in the registry. A period with too little complete data
//!   never settles as zero: it goes to an auditor.
//! - **Peer ratings**: once a contract has completed or been terminated, after at least one
//!   of its periods closed into a statement (settled, or sent to an auditor who then ruled),
//!   each party rates the other once, 1 to 5 stars, which moves the rated member's reputation
//!   in the registry as its rule scores a peer rating. So that no pair of members can farm (or
//!   ruin) each other's score by ratings over many short contracts, a member rates the same
//!   member at most once per [`Config::RatingIntervalDays`]; a rating within that time is
//!   refused, not recorded. A rating may come at any time after the contract ended.
//!
//! ## Energy performance (IPMVP option C)
//!
//! The parties agree a daily baseline model fitted off chain ([`DailyBaseline`]) with its fit
//! statistics; a baseline whose CV(RMSE) or |NMBE| exceeds the contract's thresholds cannot be
//! agreed. The thresholds default (see [`ashrae14`]) to ASHRAE Guideline 14's criteria for
//! whole-building regression baselines. Each day of a period counts if every contract meter
//! has complete data for it and the oracle has a daily mean temperature for the site's region.
//! Each statement states the savings' uncertainty at the confidence the parties agreed, as the
//! Guideline computes it from the baseline's CV(RMSE), its days and their autocorrelation, and
//! the days reported (see [`ashrae14::savings_uncertainty`]). It informs the parties and an
//! auditor and moves no money; it covers the model's uncertainty, not the meters'; and it is
//! as good as the CV(RMSE) and autocorrelation the proposer declares, which the chain cannot
//! check: the other party refits the baseline on the same data before it signs (claiming
//! independent residuals narrows the band by √((1 + ρ) / (1 − ρ))).
//!
//! ## Renewable share
//!
//! The provider (who installed the generation) guarantees that the sites' own generation meets
//! a target share of their use; it pays a penalty per MWh short of the target and earns a bonus
//! per MWh beyond it (see [`RenewableShareTerms`]).
//!
//! ## Supply tariff
//!
//! A utility supplies the sites at a fixed price, or at the day's mean market price plus a
//! margin, capped (see [`Pricing`]); the client owes the energy its meters measured.
//!
//! ## Peer trade
//!
//! A trader sells a buyer the energy its export meters deliver in a daily window: period by
//! period the smaller of the seller's export and the buyer's import, up to a daily quantity, at
//! a price (see [`PeerTradeTerms`]). Its periods are read one by one, so a trade has at most
//! [`Config::MaxIntervalMeters`] meters and periods of at most [`Config::MaxIntervalDays`].
//!
//! ## Demand response
//!
//! A utility calls events: windows of a coming day in which the client reduces its use. The
//! reduction below a baseline — the agreed daily model's prediction for the window, or the mean
//! of the same window on the previous non-event days with complete data, computed from the
//! meters' aggregates when the event is called — is rewarded per MWh. Like a peer trade it reads
//! 15-minute aggregates and has the same limits.
//!
//! ## Arithmetic and rounding
//!
//! Energy is in watt-hours (integers), prices in thousandths of the currency per MWh, shares in
//! parts per million, all combined in checked `FixedI128` arithmetic; an overflow is an error,
//! never a wrapped amount. An obligation is rounded once, to the currency's minor unit, half
//! away from zero: the rounding error of a statement is at most half a minor unit.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

pub mod ashrae14;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod evidence;
mod invariants;
mod lifecycle;
pub mod migrations;
#[cfg(test)]
mod mock;
mod performance;
mod ratings;
mod renewable;
mod response;
pub mod runtime_api;
mod settlement;
mod tariff;
mod templates;
#[cfg(test)]
mod tests;
mod trade;
pub mod types;
pub mod weights;

pub use performance::{daily_prediction, value_of_energy};
pub use templates::{
	default_demand_response, default_energy_performance, default_peer_trade,
	default_renewable_share, default_supply_tariff,
};
pub use types::*;
pub use weights::WeightInfo;

/// What benchmarks need from the runtime beyond the pallet: a clock and the evidence that
/// settlement reads.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes the chain's clock read `now` (ms since the Unix epoch).
	fn set_time(now: Moment);
	/// A site of the member `owner` acts for, in `region`, with a meter of each of `kinds`.
	fn site(
		owner: &AccountId,
		region: &[u8],
		kinds: &[pallet_meters::MeterKind],
	) -> Result<
		(pallet_meters::SiteId, alloc::vec::Vec<pallet_meters::MeterId>),
		sp_runtime::DispatchError,
	>;
	/// Complete closed days for `meters`, from `first` for `days` days.
	fn complete_days(meters: &[pallet_meters::MeterId], first: pallet_meters::DayIndex, days: u32);
	/// A final oracle value of `kind` in `region` for every period of `days` days from `first`.
	fn feed_days(
		kind: pallet_energy_oracle::FeedKind,
		region: &[u8],
		first: pallet_meters::DayIndex,
		days: u32,
	);
	/// A closed period of `energy` Wh for `meter`, complete or not.
	fn period(meter: pallet_meters::MeterId, period: u32, energy: u64, complete: bool);
}

// The pallet macros expand to `expect` on metadata lookups that cannot fail.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use pallet_energy_oracle::FeedValues;
	use pallet_meters::MeterData;
	use pallet_registry::{MemberId, MemberRegistry, ReputationReporter};

	/// The storage layout version; migrations bump it.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who acts for which member, and in which roles.
		type Members: MemberRegistry<Self::AccountId>;
		/// Where honoured and breached payments and dispute rulings move reputation.
		type Reputation: ReputationReporter;
		/// Sites, meters and their closed days (the meters pallet).
		type Meters: MeterData;
		/// Oracle values (the oracle pallet).
		type Feeds: FeedValues;
		/// The chain's clock (the timestamp pallet).
		type UnixTime: UnixTime;
		/// Who approves and retires templates (the council).
		type TemplateOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Sites one contract covers.
		#[pallet::constant]
		type MaxSites: Get<u32>;
		/// Meters one contract reads.
		#[pallet::constant]
		type MaxMeters: Get<u32>;
		/// The longest settlement period in days: bounds a settlement's work.
		#[pallet::constant]
		type MaxPeriodDays: Get<u32>;
		/// How many days before its proposal a contract's first period may start (meter data
		/// already on chain).
		#[pallet::constant]
		type MaxBackdateDays: Get<u32>;
		/// Meters of a contract that reads 15-minute aggregates (peer trade, demand response).
		#[pallet::constant]
		type MaxIntervalMeters: Get<u32>;
		/// The longest period, and grace, in days of a contract that reads 15-minute aggregates:
		/// both together must stay within the meters' period retention.
		#[pallet::constant]
		type MaxIntervalDays: Get<u32>;
		/// The fewest days between two ratings of the same member by the same member.
		#[pallet::constant]
		type RatingIntervalDays: Get<u32>;
		type WeightInfo: WeightInfo;
		/// Sets up clock, sites and evidence for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Every template version, by kind and version.
	#[pallet::storage]
	pub type Templates<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		TemplateKind,
		Twox64Concat,
		TemplateVersion,
		Template,
		OptionQuery,
	>;

	/// The newest version of each template kind.
	#[pallet::storage]
	pub type LatestVersion<T> = StorageMap<_, Twox64Concat, TemplateKind, TemplateVersion>;

	/// The next contract's number.
	#[pallet::storage]
	pub type NextContractId<T> = StorageValue<_, ContractId, ValueQuery>;

	/// Contracts by number.
	#[pallet::storage]
	pub type Contracts<T: Config> = StorageMap<_, Twox64Concat, ContractId, ContractOf<T>>;

	/// Settlement statements by contract and period.
	#[pallet::storage]
	pub type Statements<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		ContractId,
		Twox64Concat,
		SettlementIndex,
		Statement,
		OptionQuery,
	>;

	/// Demand response events by contract and day.
	#[pallet::storage]
	pub type Events<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		ContractId,
		Twox64Concat,
		pallet_meters::DayIndex,
		ResponseEvent,
		OptionQuery,
	>;

	/// The contracts each member is a party to.
	#[pallet::storage]
	pub type MemberContracts<T> =
		StorageDoubleMap<_, Twox64Concat, MemberId, Twox64Concat, ContractId, (), OptionQuery>;

	/// Each party's rating of the other once the contract ended, in stars, by contract then
	/// rater: at most two per contract.
	#[pallet::storage]
	pub type Ratings<T> =
		StorageDoubleMap<_, Twox64Concat, ContractId, Twox64Concat, MemberId, u8, OptionQuery>;

	/// The day a member last rated another, by rater then rated member: at most one entry per
	/// pair of members.
	#[pallet::storage]
	pub type LastRatings<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		MemberId,
		Twox64Concat,
		MemberId,
		pallet_meters::DayIndex,
		OptionQuery,
	>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Template versions approved at genesis, in order (the first of a kind is version 1).
		pub templates: alloc::vec::Vec<(CommonBounds, TemplateBounds)>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (common, bounds) in &self.templates {
				if let Err(error) = Pallet::<T>::do_approve_template(*common, *bounds) {
					panic!("genesis template {bounds:?} is invalid: {error:?}");
				}
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The council approved a template version.
		TemplateApproved { kind: TemplateKind, version: TemplateVersion },
		/// The council retired a template version: it takes no new contracts.
		TemplateRetired { kind: TemplateKind, version: TemplateVersion },
		/// A party proposed a contract (and signed it).
		ContractProposed { contract: ContractId, proposer: MemberId },
		/// A party signed a contract.
		ContractSigned { contract: ContractId, member: MemberId },
		/// Every party signed: the contract is active.
		ContractActivated { contract: ContractId },
		/// A party withdrew a draft.
		ContractWithdrawn { contract: ContractId },
		/// A period settled; `obligation` is who owes whom, if anyone.
		PeriodSettled {
			contract: ContractId,
			period: SettlementIndex,
			obligation: Option<Obligation>,
		},
		/// A period had too little complete data and went to an auditor.
		SettlementNeedsRuling { contract: ContractId, period: SettlementIndex },
		/// Every period settled.
		ContractCompleted { contract: ContractId },
		/// The creditor confirmed receiving a period's payment in time.
		PaymentHonoured { contract: ContractId, period: SettlementIndex, debtor: MemberId },
		/// A period's obligation was not paid by its deadline.
		PaymentBreached { contract: ContractId, period: SettlementIndex, debtor: MemberId },
		/// A party disputed the contract (or one statement).
		DisputeOpened { contract: ContractId, by: MemberId, period: Option<SettlementIndex> },
		/// An auditor ruled on a dispute.
		DisputeResolved { contract: ContractId, auditor: MemberId, ruling: Ruling },
		/// The provider of a demand response contract called an event.
		EventCalled {
			contract: ContractId,
			day: pallet_meters::DayIndex,
			window: DailyWindow,
			baseline: Option<u64>,
		},
		/// A party asked to end the contract by agreement.
		TerminationRequested { contract: ContractId, by: MemberId },
		/// The contract ended early.
		ContractTerminated { contract: ContractId, reason: Termination },
		/// A party (`by`) rated the other (`member`) once the contract ended.
		CounterpartyRated { contract: ContractId, by: MemberId, member: MemberId, stars: u8 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer does not act for an active member.
		NotAMember,
		/// No such template version.
		UnknownTemplate,
		/// The template version is retired and takes no new contracts.
		TemplateRetired,
		/// A template's bounds are empty (min above max) or exceed what settlement supports.
		InvalidBounds,
		/// A template kind has as many versions as a version number holds.
		TooManyVersions,
		/// The terms are of another kind than the template.
		TermsDoNotMatchTemplate,
		/// A parameter lies outside the template's bounds.
		ParameterOutOfBounds,
		/// The baseline's CV(RMSE) or |NMBE| exceeds the contract's thresholds.
		BaselineFailsCriteria,
		/// The baseline is not a model settlement can use: negative intercept, heating balance
		/// above cooling balance, or no more observations than parameters, counting only the
		/// days that are independent given its residuals' autocorrelation.
		InvalidBaseline,
		/// The signer's member is not a party to the contract.
		NotAParty,
		/// Provider and client must be two different members.
		SamePartyTwice,
		/// The client must be a `BuildingOwner` (for a peer trade: or a `Trader`); the provider
		/// an `Esco` (energy performance), an `Esco` or `Utility` (renewable share), a `Utility`
		/// (supply tariff) or a `Trader` (peer trade).
		WrongPartyRole,
		/// A contract needs at least one site and one meter; a renewable share contract a
		/// generation meter; a peer trade an export meter of the seller and an import meter of
		/// the buyer.
		NothingCovered,
		/// A site is listed twice, unknown, or owned by neither party.
		InvalidSite,
		/// A meter is listed twice, unknown, retired, not on a contract site, or of a kind the
		/// template does not read (energy performance and supply tariff: grid import,
		/// sub-meters and heat; renewable share: grid import, grid export and generation; peer
		/// trade: the seller's grid export and generation, the buyer's grid import).
		InvalidMeter,
		/// The currency code must be three ASCII capitals with at most 18 decimals.
		InvalidCurrency,
		/// The first period starts too far back, or the schedule ends beyond day numbers.
		InvalidSchedule,
		/// No such contract.
		UnknownContract,
		/// Every contract number has been used.
		TooManyContracts,
		/// The contract is not a draft.
		NotADraft,
		/// This party already signed.
		AlreadySigned,
		/// The contract is not active (a draft, disputed, completed or terminated).
		NotActive,
		/// The period has not closed: its last day is today or later.
		PeriodNotClosed,
		/// Meter data or oracle values are incomplete and the grace days have not passed.
		DataIncomplete,
		/// A value overflowed the settlement arithmetic.
		ArithmeticOverflow,
		/// No such statement.
		UnknownStatement,
		/// The statement carries no obligation waiting for payment.
		NoPendingObligation,
		/// Only the creditor confirms receiving payment.
		NotTheCreditor,
		/// The payment deadline has passed.
		DeadlinePassed,
		/// The payment deadline has not passed yet.
		DeadlineNotPassed,
		/// Only the creditor of a breached obligation ends the contract for breach.
		NoBreachAgainstCounterparty,
		/// The contract is not disputed.
		NotDisputed,
		/// Rulings take the `Auditor` role and no part in the contract.
		NotAnAuditor,
		/// The ruling names a member that is not a party, or awards for no disputed statement.
		InvalidRuling,
		/// This party already asked to end the contract.
		AlreadyRequested,
		/// Events are called on demand response contracts only.
		NotDemandResponse,
		/// An event must fall on a day of the contract's schedule and be called before its
		/// window starts.
		EventNotAhead,
		/// That day already has an event.
		EventAlreadyCalled,
		/// Too few recent days without events have complete data for a previous-days baseline.
		BaselineDataMissing,
		/// The chain's clock has not started.
		NoClock,
		/// An energy performance contract must agree the confidence at which its statements
		/// state the savings' uncertainty.
		SavingsConfidenceMissing,
		/// Only a completed or terminated contract is rated.
		NotEnded,
		/// No period of the contract closed into a statement, so there is nothing to rate.
		NeverSettled,
		/// A rating gives 1 to 5 stars.
		InvalidRating,
		/// This party already rated the contract.
		AlreadyRated,
		/// The rater rated this member fewer than `RatingIntervalDays` days ago.
		RatedRecently,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxSites::get() > 0, "MaxSites must allow a site");
			assert!(T::MaxMeters::get() > 0, "MaxMeters must allow a meter");
			assert!(T::MaxPeriodDays::get() > 0, "MaxPeriodDays must allow a day");
			assert!(
				T::MaxIntervalMeters::get() >= 2,
				"a trade needs a seller's and a buyer's meter"
			);
			assert!(T::MaxIntervalDays::get() > 0, "MaxIntervalDays must allow a day");
			assert!(T::RatingIntervalDays::get() > 0, "RatingIntervalDays must bound ratings");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Approve a new version of a template: the bounds of every parameter its contracts set.
		///
		/// Origin: `TemplateOrigin` (the council). The version is one above the kind's newest.
		///
		/// Emits `TemplateApproved`. Errors: `InvalidBounds`, `TooManyVersions`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::approve_template())]
		pub fn approve_template(
			origin: OriginFor<T>,
			common: CommonBounds,
			bounds: TemplateBounds,
		) -> DispatchResult {
			T::TemplateOrigin::ensure_origin(origin)?;
			Self::do_approve_template(common, bounds).map(|_| ())
		}

		/// Retire a template version: it takes no new contracts; existing ones run on.
		///
		/// Origin: `TemplateOrigin` (the council).
		///
		/// Emits `TemplateRetired`. Errors: `UnknownTemplate`, `TemplateRetired`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::retire_template())]
		pub fn retire_template(
			origin: OriginFor<T>,
			kind: TemplateKind,
			version: TemplateVersion,
		) -> DispatchResult {
			T::TemplateOrigin::ensure_origin(origin)?;
			Self::do_retire_template(kind, version)
		}

		/// Propose a contract; the proposer's signature is on it.
		///
		/// Origin: an account of an active member that is the agreement's provider or client.
		/// Every parameter is checked against the template's bounds, the baseline against the
		/// contract's thresholds, the sites against their owners and the meters against the
		/// sites.
		///
		/// Emits `ContractProposed`. Errors: `NotAMember`, `NotAParty`, `SamePartyTwice`,
		/// `WrongPartyRole`, `UnknownTemplate`, `TemplateRetired`, `TermsDoNotMatchTemplate`,
		/// `ParameterOutOfBounds`, `BaselineFailsCriteria`, `InvalidBaseline`,
		/// `SavingsConfidenceMissing`, `NothingCovered`, `InvalidSite`, `InvalidMeter`,
		/// `InvalidCurrency`, `InvalidSchedule`, `TooManyContracts`, `NoClock`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::propose_contract(
			agreement.sites.len() as u32,
			agreement.meters.len() as u32,
		))]
		pub fn propose_contract(origin: OriginFor<T>, agreement: AgreementOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_propose(who, agreement)
		}

		/// Sign a draft; the last signature activates it.
		///
		/// Origin: an account of the party that has not signed yet.
		///
		/// Emits `ContractSigned`, and `ContractActivated` with the last signature. Errors:
		/// `NotAMember`, `UnknownContract`, `NotAParty`, `NotADraft`, `AlreadySigned`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::sign_contract())]
		pub fn sign_contract(origin: OriginFor<T>, contract: ContractId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_sign(who, contract)
		}

		/// Withdraw a draft: it is removed.
		///
		/// Origin: an account of either party.
		///
		/// Emits `ContractWithdrawn`. Errors: `NotAMember`, `UnknownContract`, `NotAParty`,
		/// `NotADraft`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_contract())]
		pub fn withdraw_contract(origin: OriginFor<T>, contract: ContractId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who, contract)
		}

		/// Settle the contract's next period from its meter data and oracle values.
		///
		/// Charged the costliest template kind's settlement at its largest contract, refunded to
		/// what this contract's kind costs at its meters over the longest period the kind allows.
		///
		/// Origin: an account of either party. The period must have closed, and its data must be
		/// complete unless its grace days have passed; then the days with complete data are
		/// used, and if they are fewer than the contract's minimum coverage the period goes to
		/// an auditor (the contract becomes disputed). The last period completes the contract.
		///
		/// Emits `PeriodSettled` or `SettlementNeedsRuling`, and `ContractCompleted`. Errors:
		/// `NotAMember`, `UnknownContract`, `NotAParty`, `NotActive`, `PeriodNotClosed`, `DataIncomplete`, `ArithmeticOverflow`, `NoClock`.
		#[pallet::call_index(5)]
		#[pallet::weight(Pallet::<T>::worst_settlement_weight())]
		pub fn settle_period(
			origin: OriginFor<T>,
			contract: ContractId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_settle(who, contract)
		}

		/// Confirm having received a period's payment.
		///
		/// Origin: an account of the creditor, before the deadline. Raises the debtor's
		/// reputation (`SettlementHonoured`). The party paid confirms, not the party paying:
		/// otherwise a debtor could honour itself, and block the creditor's breach report, for
		/// money it never sent. (Call index 6, the debtor's acknowledgement, is retired.)
		///
		/// Emits `PaymentHonoured`. Errors: `NotAMember`, `UnknownContract`, `UnknownStatement`,
		/// `NoPendingObligation`, `NotTheCreditor`, `DeadlinePassed`, `NoClock`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::confirm_payment())]
		pub fn confirm_payment(
			origin: OriginFor<T>,
			contract: ContractId,
			period: SettlementIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_payment(who, contract, period)
		}

		/// Record that a period's obligation was not paid by its deadline.
		///
		/// Origin: an account of either party, after the deadline. Lowers the debtor's
		/// reputation (`SettlementBreached`).
		///
		/// Emits `PaymentBreached`. Errors: `NotAMember`, `UnknownContract`, `NotAParty`,
		/// `UnknownStatement`, `NoPendingObligation`, `DeadlineNotPassed`, `NoClock`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::report_breach())]
		pub fn report_breach(
			origin: OriginFor<T>,
			contract: ContractId,
			period: SettlementIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_report_breach(who, contract, period)
		}

		/// Dispute an active contract, or one of its statements: settlement stops until an
		/// auditor rules.
		///
		/// Origin: an account of either party.
		///
		/// Emits `DisputeOpened`. Errors: `NotAMember`, `UnknownContract`, `NotAParty`,
		/// `NotActive`, `UnknownStatement`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::open_dispute())]
		pub fn open_dispute(
			origin: OriginFor<T>,
			contract: ContractId,
			period: Option<SettlementIndex>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_dispute(who, contract, period)
		}

		/// Rule on a disputed contract: who wins, an award for the disputed statement, and
		/// whether the contract ends.
		///
		/// Origin: an account of an active `Auditor` member that is not a party. The winner's
		/// reputation records `DisputeWon`, the other's `DisputeLost`.
		///
		/// Emits `DisputeResolved`, and `ContractTerminated` or `ContractCompleted`. Errors:
		/// `NotAMember`, `NotAnAuditor`, `UnknownContract`, `NotDisputed`, `InvalidRuling`,
		/// `NoClock`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::resolve_dispute())]
		pub fn resolve_dispute(
			origin: OriginFor<T>,
			contract: ContractId,
			ruling: Ruling,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_resolve_dispute(who, contract, ruling)
		}

		/// Ask to end an active contract by agreement; when the other party asks too, it ends.
		///
		/// Origin: an account of either party.
		///
		/// Emits `TerminationRequested`, or `ContractTerminated` for the second request. Errors:
		/// `NotAMember`, `UnknownContract`, `NotAParty`, `NotActive`, `AlreadyRequested`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::request_termination())]
		pub fn request_termination(origin: OriginFor<T>, contract: ContractId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_request_termination(who, contract)
		}

		/// Call a demand response event: the window of a coming day in which the client reduces
		/// its use.
		///
		/// Origin: an account of the contract's provider. The contract must be an active demand
		/// response contract, the day in its schedule and the window not yet started. With a
		/// previous-days baseline, the window's baseline is computed now from the meters'
		/// aggregates of the most recent days without events.
		///
		/// Emits `EventCalled`. Errors: `NotAMember`, `UnknownContract`, `NotAParty`,
		/// `NotActive`, `NotDemandResponse`, `ParameterOutOfBounds`, `EventNotAhead`,
		/// `EventAlreadyCalled`, `BaselineDataMissing`, `NoClock`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::call_event(T::MaxIntervalMeters::get()))]
		pub fn call_event(
			origin: OriginFor<T>,
			contract: ContractId,
			day: pallet_meters::DayIndex,
			window: DailyWindow,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_call_event(who, contract, day, window)
		}

		/// End an active contract whose counterparty left a payment breached.
		///
		/// Origin: an account of the creditor of a breached obligation of this contract.
		///
		/// Emits `ContractTerminated`. Errors: `NotAMember`, `UnknownContract`, `NotAParty`,
		/// `NotActive`, `UnknownStatement`, `NoBreachAgainstCounterparty`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::terminate_for_breach())]
		pub fn terminate_for_breach(
			origin: OriginFor<T>,
			contract: ContractId,
			period: SettlementIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_terminate_for_breach(who, contract, period)
		}

		/// Rate the other party of a contract that has ended, 1 (worst) to 5 (best) stars: its
		/// reputation moves as the registry's rule scores a peer rating.
		///
		/// Origin: an account of either party. The contract must be completed or terminated
		/// with at least one period closed into a statement, not yet rated by this party, and
		/// the rater must not have rated the same member within `RatingIntervalDays`.
		///
		/// Emits `CounterpartyRated`, and the registry's `ReputationChanged` unless the rated
		/// member has retired (a retired member keeps no score). Errors:
		/// `NotAMember`, `NoClock`, `UnknownContract`, `NotAParty`, `NotEnded`, `NeverSettled`,
		/// `InvalidRating`, `AlreadyRated`, `RatedRecently`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::rate_counterparty())]
		pub fn rate_counterparty(
			origin: OriginFor<T>,
			contract: ContractId,
			stars: u8,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rate_counterparty(who, contract, stars)
		}
	}
}
