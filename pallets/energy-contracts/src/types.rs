//! Templates, contracts, their terms and settlement statements.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use pallet_energy_oracle::MaxRegionLen;
use pallet_meters::{DayIndex, MeterId, SiteId};
use pallet_registry::MemberId;
use scale_info::TypeInfo;
use sp_arithmetic::Permill;

/// A contract's number.
pub type ContractId = u32;
/// A template's version within its kind, from 1.
pub type TemplateVersion = u16;
/// A settlement period of a contract, from 0.
pub type SettlementIndex = u16;
/// Milliseconds since the Unix epoch.
pub type Moment = u64;

/// Declares a plain value type with the derives every stored and passed value needs; `owned`
/// leaves out `Copy` for types that hold a bounded vector.
macro_rules! value_type {
	(owned $item:item) => {
		#[derive(
			Clone,
			PartialEq,
			Eq,
			Debug,
			Encode,
			Decode,
			DecodeWithMemTracking,
			MaxEncodedLen,
			TypeInfo,
			serde::Serialize,
			serde::Deserialize,
		)]
		$item
	};
	($item:item) => {
		#[derive(
			Clone,
			Copy,
			PartialEq,
			Eq,
			Debug,
			Encode,
			Decode,
			DecodeWithMemTracking,
			MaxEncodedLen,
			TypeInfo,
			serde::Serialize,
			serde::Deserialize,
		)]
		$item
	};
}

value_type! {
	/// The settlement rules a template's contracts follow.
	pub enum TemplateKind {
		/// Guaranteed or shared savings against an agreed baseline model (IPMVP option C).
		EnergyPerformance,
		/// A share of the sites' use met by their own generation, against a target.
		RenewableShare,
		/// Energy supplied at a fixed or market-indexed price with a cap.
		SupplyTariff,
		/// A seller's exported energy matched to a buyer's use in a daily window, at a price.
		PeerTrade,
		/// Reductions below a baseline in event windows, rewarded per MWh.
		DemandResponse,
	}
}

value_type! {
	/// An inclusive range a parameter must lie in.
	pub struct Bounds<T> {
		pub min: T,
		pub max: T,
	}
}

impl<T: PartialOrd> Bounds<T> {
	pub fn contains(&self, value: &T) -> bool {
		self.min <= *value && *value <= self.max
	}

	/// Whether the range holds at least one value.
	pub fn is_valid(&self) -> bool {
		self.min <= self.max
	}
}

value_type! {
	/// What every contract of a template may set, whatever its kind.
	pub struct CommonBounds {
		/// Days in one settlement period.
		pub period_days: Bounds<u16>,
		/// Settlement periods in the contract's term.
		pub periods: Bounds<u16>,
		/// Days the debtor has to pay after a statement.
		pub payment_days: Bounds<u16>,
		/// Days after a period's end that settlement waits for complete data.
		pub data_grace_days: Bounds<u16>,
	}
}

value_type! {
	/// The parameter bounds of an energy performance template.
	pub struct EnergyPerformanceBounds {
		/// The loosest CV(RMSE) acceptance threshold a contract may set.
		pub max_cv_rmse: Permill,
		/// The loosest |NMBE| acceptance threshold a contract may set.
		pub max_nmbe: Permill,
		/// Share of the baseline the provider guarantees to save.
		pub guaranteed_share: Bounds<Permill>,
		/// Provider's share of savings beyond the guarantee.
		pub provider_share: Bounds<Permill>,
		/// Price savings are valued at, in thousandths of the currency per MWh.
		pub price: Bounds<u64>,
		/// Share of a period's days that must have complete data for it to settle by itself.
		pub min_coverage: Bounds<Permill>,
	}
}

value_type! {
	/// The parameter bounds of a renewable share template.
	pub struct RenewableShareBounds {
		/// Share of the sites' use their generation must meet.
		pub target: Bounds<Permill>,
		/// What the provider pays per MWh short of the target (thousandths of the currency).
		pub penalty: Bounds<u64>,
		/// What the client pays per MWh beyond the target (thousandths of the currency).
		pub bonus: Bounds<u64>,
		pub min_coverage: Bounds<Permill>,
	}
}

value_type! {
	/// The parameter bounds of a supply tariff template (prices in thousandths of the currency
	/// per MWh).
	pub struct SupplyTariffBounds {
		pub fixed_price: Bounds<u64>,
		/// The margin added to the market index (negative: a discount).
		pub adder: Bounds<i64>,
		pub cap: Bounds<u64>,
		pub min_coverage: Bounds<Permill>,
	}
}

value_type! {
	/// The parameter bounds of a peer trade template.
	pub struct PeerTradeBounds {
		/// Energy traded per day at most, Wh.
		pub quantity: Bounds<u64>,
		/// Thousandths of the currency per MWh.
		pub price: Bounds<u64>,
		pub min_coverage: Bounds<Permill>,
	}
}

value_type! {
	/// The parameter bounds of a demand response template.
	pub struct DemandResponseBounds {
		/// Thousandths of the currency per MWh of reduction.
		pub reward: Bounds<u64>,
		/// Previous non-event days a baseline averages.
		pub baseline_days: Bounds<u8>,
		pub min_coverage: Bounds<Permill>,
	}
}

value_type! {
	/// A template's parameter bounds, by kind.
	pub enum TemplateBounds {
		EnergyPerformance(EnergyPerformanceBounds),
		RenewableShare(RenewableShareBounds),
		SupplyTariff(SupplyTariffBounds),
		PeerTrade(PeerTradeBounds),
		DemandResponse(DemandResponseBounds),
	}
}

impl TemplateBounds {
	pub fn kind(&self) -> TemplateKind {
		match self {
			TemplateBounds::EnergyPerformance(_) => TemplateKind::EnergyPerformance,
			TemplateBounds::RenewableShare(_) => TemplateKind::RenewableShare,
			TemplateBounds::SupplyTariff(_) => TemplateKind::SupplyTariff,
			TemplateBounds::PeerTrade(_) => TemplateKind::PeerTrade,
			TemplateBounds::DemandResponse(_) => TemplateKind::DemandResponse,
		}
	}
}

value_type! {
	/// A version of a template, as the council approved it.
	pub struct Template {
		pub common: CommonBounds,
		pub bounds: TemplateBounds,
		/// Retired templates take no new contracts; their contracts run on.
		pub retired: bool,
	}
}

value_type! {
	/// Which template a contract follows.
	pub struct TemplateRef {
		pub kind: TemplateKind,
		pub version: TemplateVersion,
	}
}

value_type! {
	/// The currency a contract's amounts are in.
	pub struct Currency {
		/// ISO 4217 code, such as `EUR`.
		pub code: [u8; 3],
		/// Decimal places of its minor unit (2 for EUR): amounts are in minor units.
		pub decimals: u8,
	}
}

value_type! {
	/// When a contract's settlement periods fall: whole UTC days.
	pub struct Schedule {
		/// The first day of the first period (days since the Unix epoch).
		pub first_day: DayIndex,
		pub period_days: u16,
		pub periods: u16,
	}
}

impl Schedule {
	/// The first day of settlement period `index`.
	pub fn period_start(&self, index: SettlementIndex) -> DayIndex {
		self.first_day.saturating_add(u32::from(index).saturating_mul(u32::from(self.period_days)))
	}

	/// The day after the contract's last period.
	pub fn end(&self) -> DayIndex {
		self.period_start(self.periods)
	}
}

value_type! {
	/// A daily baseline model fitted off chain on the site's pre-retrofit data: predicted use on
	/// a day with mean outdoor temperature `t` is
	/// `intercept + heating_slope × HDD + cooling_slope × CDD`, with the degree-days in
	/// kelvin-days `HDD = D(heating_balance − t)` and `CDD = D(t − cooling_balance)`. With no
	/// `temperature_spread`, `D(d) = max(0, d)`, CalTRACK's straight hinge; with a spread `σ`,
	/// the degree-days of a day whose temperatures spread around its mean `t` with standard
	/// deviation `σ`, a smooth hinge (`smartblocks_rules::degree_days`, the function the bridge
	/// fits with).
	///
	/// The fit statistics follow ASHRAE Guideline 14 with `n − p` degrees of freedom:
	/// CV(RMSE) = √(Σ(yᵢ − ŷᵢ)² / (n − p)) / ȳ and NMBE = Σ(yᵢ − ŷᵢ) / ((n − p) · ȳ), where
	/// `n` is `observations` (days) and `p` is `parameters` (the intercept and each slope in
	/// use; balance points found by grid search are not counted).
	pub struct DailyBaseline {
		/// Watt-hours per day independent of the weather.
		pub intercept: i64,
		/// Watt-hours per heating degree-day (0 if the model has no heating term).
		pub heating_slope: u64,
		/// Heating balance point in tenths of a degree Celsius.
		pub heating_balance: i16,
		/// Watt-hours per cooling degree-day (0 if the model has no cooling term).
		pub cooling_slope: u64,
		/// Cooling balance point in tenths of a degree Celsius.
		pub cooling_balance: i16,
		pub cv_rmse: Permill,
		/// Normalized mean bias error in millionths, signed.
		pub nmbe: i32,
		pub r_squared: Permill,
		/// Days the model was fitted on.
		pub observations: u16,
		/// Model parameters counted in the degrees of freedom.
		pub parameters: u8,
		/// The lag-1 autocorrelation ρ of the fit's residuals in day order (a negative ρ
		/// recorded as 0): the days count as `n (1 − ρ) / (1 + ρ)` independent ones in the
		/// savings uncertainty (see [`crate::ashrae14`]).
		pub autocorrelation: Permill,
		/// The spread `σ` of a day's temperatures around its mean the degree-days assume, in
		/// tenths of a kelvin (0: degree-days from the mean alone; at most
		/// `smartblocks_rules::degree_days::MAX_SPREAD`).
		pub temperature_spread: u16,
	}
}

value_type! {
	/// The confidence at which an energy performance statement states its savings' uncertainty:
	/// the levels ASHRAE Guideline 14 reports at (68 % is its criterion's).
	pub enum SavingsConfidence {
		Percent68,
		Percent80,
		Percent90,
		Percent95,
	}
}

value_type! {
	/// What an energy performance contract agrees.
	///
	/// Each period, savings = baseline prediction (from the oracle's daily mean temperatures) −
	/// metered use, over the days with complete data. The provider guarantees
	/// `guaranteed_share` of the baseline: it pays the client any shortfall at `price`, and the
	/// client pays it `provider_share` of savings beyond the guarantee. Savings below zero count
	/// as zero, so the provider's liability is at most the guarantee. A guarantee of 0 makes it
	/// a shared-savings contract.
	pub struct EnergyPerformanceTerms {
		pub baseline: DailyBaseline,
		/// The baseline's CV(RMSE) must not exceed this.
		pub max_cv_rmse: Permill,
		/// The baseline's |NMBE| must not exceed this.
		pub max_nmbe: Permill,
		pub guaranteed_share: Permill,
		pub provider_share: Permill,
		/// Thousandths of the currency per MWh.
		pub price: u64,
		/// A period with a smaller share of days with complete data goes to an auditor.
		pub min_coverage: Permill,
		/// The confidence at which each statement states the savings' uncertainty. A new
		/// contract must agree one; `None` only for contracts agreed before statements stated
		/// it (storage version 1).
		pub confidence: Option<SavingsConfidence>,
	}
}

value_type! {
	/// What a renewable share contract agrees.
	///
	/// Each period, over the days with complete data: generation used on site = generation −
	/// export (at least 0), site use = grid import + generation used on site, and the target
	/// energy = `target` × site use. The provider pays `penalty` per MWh short of the target;
	/// the client pays `bonus` per MWh beyond it.
	pub struct RenewableShareTerms {
		pub target: Permill,
		/// Thousandths of the currency per MWh short of the target.
		pub penalty: u64,
		/// Thousandths of the currency per MWh beyond the target.
		pub bonus: u64,
		/// A period with a smaller share of days with complete data goes to an auditor.
		pub min_coverage: Permill,
	}
}

value_type! {
	owned
	/// How a supply tariff prices a day's energy (thousandths of the currency per MWh).
	pub enum Pricing {
		/// One price for every MWh.
		Fixed { price: u64 },
		/// The day's mean market price of the bidding zone `market` (the oracle's price feed,
		/// at least nine tenths of the day's periods) plus `adder`, at most `cap` and never
		/// below zero.
		Indexed { market: BoundedVec<u8, MaxRegionLen>, adder: i64, cap: u64 },
	}
}

value_type! {
	owned
	/// What a supply tariff agrees: the client pays the provider (a utility) for the energy its
	/// meters measured on the days with complete data, each day at the day's price.
	pub struct SupplyTariffTerms {
		pub pricing: Pricing,
		/// A period with a smaller share of days with complete data goes to an auditor.
		pub min_coverage: Permill,
	}
}

value_type! {
	/// The settlement periods of each day a trade covers (UTC): `periods` from `first_period`.
	pub struct DailyWindow {
		pub first_period: u16,
		pub periods: u16,
	}
}

value_type! {
	/// What a peer trade agrees: in each day's window, the seller's (provider's) export is
	/// matched period by period to the buyer's (client's) import — the smaller of the two —
	/// up to `quantity` Wh a day, and the buyer pays `price` for it.
	pub struct PeerTradeTerms {
		pub window: DailyWindow,
		/// Energy traded per day at most, Wh.
		pub quantity: u64,
		/// Thousandths of the currency per MWh.
		pub price: u64,
		/// A period with a smaller share of days with complete data goes to an auditor.
		pub min_coverage: Permill,
	}
}

value_type! {
	/// What an event's reduction is measured against.
	pub enum EventBaseline {
		/// The agreed daily model's prediction for the event day (from the oracle's mean
		/// temperature), times the window's share of the day.
		Model(DailyBaseline),
		/// The mean use in the same window on the `days` most recent days before the event
		/// was called that had no event and complete data (within the meters' two weeks).
		PreviousDays { days: u8 },
	}
}

value_type! {
	/// What a demand response contract agrees: for each event the provider (a utility) calls,
	/// it pays the client `reward` per MWh of use below the baseline in the event's window.
	pub struct DemandResponseTerms {
		pub baseline: EventBaseline,
		/// Thousandths of the currency per MWh of reduction.
		pub reward: u64,
		/// A period with a smaller share of its events with complete data goes to an auditor.
		pub min_coverage: Permill,
	}
}

value_type! {
	/// A demand response event: the window of a day in which the client reduces its use.
	pub struct ResponseEvent {
		pub window: DailyWindow,
		/// With a previous-days baseline: the window's baseline use, Wh, computed when the event
		/// was called.
		pub baseline: Option<u64>,
	}
}

value_type! {
	owned
	/// A contract's terms, by template kind.
	pub enum Terms {
		EnergyPerformance(EnergyPerformanceTerms),
		RenewableShare(RenewableShareTerms),
		SupplyTariff(SupplyTariffTerms),
		PeerTrade(PeerTradeTerms),
		DemandResponse(DemandResponseTerms),
	}
}

impl Terms {
	pub fn kind(&self) -> TemplateKind {
		match self {
			Terms::EnergyPerformance(_) => TemplateKind::EnergyPerformance,
			Terms::RenewableShare(_) => TemplateKind::RenewableShare,
			Terms::SupplyTariff(_) => TemplateKind::SupplyTariff,
			Terms::PeerTrade(_) => TemplateKind::PeerTrade,
			Terms::DemandResponse(_) => TemplateKind::DemandResponse,
		}
	}

	/// The share of a period's days that must have complete data.
	pub fn min_coverage(&self) -> Permill {
		match self {
			Terms::EnergyPerformance(terms) => terms.min_coverage,
			Terms::RenewableShare(terms) => terms.min_coverage,
			Terms::SupplyTariff(terms) => terms.min_coverage,
			Terms::PeerTrade(terms) => terms.min_coverage,
			Terms::DemandResponse(terms) => terms.min_coverage,
		}
	}
}

/// What a member proposes: everything a contract agrees.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxSites, MaxMeters))]
pub struct Agreement<MaxSites: Get<u32>, MaxMeters: Get<u32>> {
	pub template: TemplateRef,
	/// Who delivers (the ESCO of an energy performance contract).
	pub provider: MemberId,
	/// Who is served (the building owner).
	pub client: MemberId,
	/// The sites the contract covers, owned by a party.
	pub sites: BoundedVec<SiteId, MaxSites>,
	/// The meters whose energy is the sites' use, on those sites.
	pub meters: BoundedVec<MeterId, MaxMeters>,
	pub currency: Currency,
	pub schedule: Schedule,
	/// Days the debtor has to pay after a statement.
	pub payment_days: u16,
	/// Days after a period's end that settlement waits for complete data.
	pub data_grace_days: u16,
	pub terms: Terms,
}

value_type! {
	/// Why a contract ended early.
	pub enum Termination {
		/// Both parties asked for it.
		ByAgreement,
		/// `debtor` left a payment unpaid past its deadline and the creditor ended the contract.
		Breach { debtor: MemberId },
		/// An auditor's ruling ended it.
		Ruling,
	}
}

value_type! {
	/// Where a contract is in its life.
	pub enum ContractState {
		/// Proposed; waiting for every party's signature.
		Draft,
		/// Signed by every party; periods settle as they close.
		Active,
		/// A party disputes it (`period`: the statement in question); settlement waits for an
		/// auditor's ruling.
		Disputed { by: MemberId, period: Option<SettlementIndex> },
		/// Every period settled.
		Completed,
		Terminated(Termination),
	}
}

/// A contract: the agreement and where it stands.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxSites, MaxMeters))]
pub struct Contract<MaxSites: Get<u32>, MaxMeters: Get<u32>> {
	pub agreement: Agreement<MaxSites, MaxMeters>,
	pub proposer: MemberId,
	pub provider_signed: bool,
	pub client_signed: bool,
	pub state: ContractState,
	/// Periods settled so far: statements 0 to `settled − 1` exist.
	pub settled: SettlementIndex,
	/// The party that asked to end the contract by agreement, until the other agrees.
	pub termination_requested: Option<MemberId>,
}

value_type! {
	/// Whether an obligation was paid.
	pub enum PaymentStatus {
		/// Waiting for the debtor before the deadline.
		Pending,
		/// The creditor confirmed receiving payment in time.
		Honoured,
		/// The deadline passed unpaid.
		Breached,
	}
}

value_type! {
	/// Who owes whom how much for a period.
	pub struct Obligation {
		pub debtor: MemberId,
		pub creditor: MemberId,
		/// In minor units of the contract's currency.
		pub amount: u128,
		/// Payment is due by this time (ms since the Unix epoch).
		pub due: Moment,
		pub status: PaymentStatus,
	}
}

value_type! {
	/// The evidence an energy performance period settled on.
	pub struct PerformanceEvidence {
		/// Days of the period with complete meter data and a daily mean temperature.
		pub days_used: u16,
		/// Days without: excluded from both sides.
		pub days_missing: u16,
		/// Baseline prediction over the days used, Wh.
		pub baseline: i64,
		/// Metered use over the days used, Wh.
		pub metered: u64,
		/// `baseline − metered`, Wh.
		pub savings: i64,
		/// The guaranteed savings over the days used, Wh.
		pub guaranteed: i64,
		/// Heating and cooling degree-days over the days used, in tenths of a kelvin-day.
		pub heating_degree_days: u32,
		pub cooling_degree_days: u32,
		/// ± Wh around `savings` at the contract's confidence: ASHRAE Guideline 14's savings
		/// uncertainty over the days used ([`crate::ashrae14::savings_uncertainty`]); `None`
		/// when the contract agreed no confidence or no day was used.
		pub savings_uncertainty: Option<u64>,
	}
}

value_type! {
	/// The evidence a renewable share period settled on (energy in Wh, over the days used).
	pub struct RenewableEvidence {
		pub days_used: u16,
		pub days_missing: u16,
		pub imported: u64,
		pub generated: u64,
		pub exported: u64,
		/// Generation used on site: generated − exported, at least 0.
		pub renewable_used: u64,
		/// Imported + renewable used.
		pub site_use: u64,
		/// Renewable used over site use.
		pub share: Permill,
		/// The target share of the site use.
		pub target_energy: u64,
	}
}

value_type! {
	/// The evidence a supply tariff period settled on.
	pub struct TariffEvidence {
		pub days_used: u16,
		pub days_missing: u16,
		/// Energy over the days used, Wh.
		pub energy: u64,
		/// The energy-weighted mean price paid, thousandths of the currency per MWh.
		pub mean_price: u64,
		/// Days whose indexed price the cap limited.
		pub capped_days: u16,
	}
}

value_type! {
	/// The evidence a peer trade period settled on (Wh in the windows of the days used).
	pub struct TradeEvidence {
		pub days_used: u16,
		pub days_missing: u16,
		/// The seller's export.
		pub exported: u64,
		/// The buyer's import.
		pub imported: u64,
		/// Σ over periods of the smaller of the two.
		pub matched: u64,
		/// Matched energy within each day's quantity: what the buyer pays for.
		pub delivered: u64,
	}
}

value_type! {
	/// The evidence a demand response period settled on (Wh over the events with data).
	pub struct ResponseEvidence {
		/// Events called in the period.
		pub events: u16,
		/// Events without complete data (or, for a model baseline, a mean temperature).
		pub events_missing: u16,
		pub baseline: u64,
		pub metered: u64,
		/// Σ per event of the baseline less the metered use, at least 0.
		pub reduction: u64,
	}
}

value_type! {
	/// The evidence a period settled on, by template kind.
	pub enum Evidence {
		EnergyPerformance(PerformanceEvidence),
		RenewableShare(RenewableEvidence),
		SupplyTariff(TariffEvidence),
		PeerTrade(TradeEvidence),
		DemandResponse(ResponseEvidence),
	}
}

value_type! {
	/// How a period settled.
	pub enum Outcome {
		/// The evidence sufficed: `obligation` is `None` when nobody owes anything.
		Settled { obligation: Option<Obligation> },
		/// Too few days had complete data: the contract went to an auditor.
		InsufficientData,
	}
}

value_type! {
	/// A settlement statement: what a period's evidence was and who owes whom.
	pub struct Statement {
		pub first_day: DayIndex,
		pub days: u16,
		pub evidence: Evidence,
		pub outcome: Outcome,
		/// When it was settled (ms since the Unix epoch).
		pub settled_at: Moment,
	}
}

value_type! {
	/// An auditor's decision on a disputed contract.
	pub struct Ruling {
		/// The party the dispute is decided for; the other loses it.
		pub in_favour_of: MemberId,
		/// For a disputed statement: the obligation it now carries, replacing its outcome.
		pub award: Option<Award>,
		/// Whether the contract ends; otherwise it is active again.
		pub terminate: bool,
	}
}

value_type! {
	/// An amount an auditor awards: `debtor` owes the other party `amount` minor units.
	pub struct Award {
		pub debtor: MemberId,
		pub amount: u128,
	}
}

/// A contract as stored.
pub type ContractOf<T> = Contract<<T as crate::Config>::MaxSites, <T as crate::Config>::MaxMeters>;
/// An agreement as proposed.
pub type AgreementOf<T> =
	Agreement<<T as crate::Config>::MaxSites, <T as crate::Config>::MaxMeters>;
