//! Storage migrations of the energy contracts pallet.

use crate::{pallet::*, types::*};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 1 to 2: a daily baseline gains its residuals' autocorrelation, energy performance
/// terms the confidence of their statements' savings uncertainty, and energy performance
/// evidence that uncertainty. Contracts agreed before agreed no confidence (`None`), so their
/// statements, old and new, state no uncertainty, and their baselines' autocorrelation, which
/// nothing then reads, is recorded as 0. It rewrites every contract and statement in one
/// block: about 100 µs each on this chain's reference machine, so up to some thousands.
pub type V1ToV2<T> =
	VersionedMigration<1, 2, v1::Upgrade<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// Version 2 to 3: a daily baseline gains the spread of a day's temperatures its degree-days
/// assume. Baselines agreed before took degree-days from the day's mean alone, which a spread
/// of 0 states, so every contract settles as it did. It rewrites every contract in one block,
/// as version 2 did.
pub type V2ToV3<T> =
	VersionedMigration<2, 3, v2::Upgrade<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// The layout of version 1.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_support::{traits::Get, BoundedVec};
	use pallet_meters::{DayIndex, MeterId, SiteId};
	use pallet_registry::MemberId;
	use sp_arithmetic::Permill;

	/// A daily baseline as version 1 kept it: without its residuals' autocorrelation.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct DailyBaseline {
		pub intercept: i64,
		pub heating_slope: u64,
		pub heating_balance: i16,
		pub cooling_slope: u64,
		pub cooling_balance: i16,
		pub cv_rmse: Permill,
		pub nmbe: i32,
		pub r_squared: Permill,
		pub observations: u16,
		pub parameters: u8,
	}

	impl DailyBaseline {
		fn upgrade(self) -> super::v2::DailyBaseline {
			super::v2::DailyBaseline {
				intercept: self.intercept,
				heating_slope: self.heating_slope,
				heating_balance: self.heating_balance,
				cooling_slope: self.cooling_slope,
				cooling_balance: self.cooling_balance,
				cv_rmse: self.cv_rmse,
				nmbe: self.nmbe,
				r_squared: self.r_squared,
				observations: self.observations,
				parameters: self.parameters,
				autocorrelation: Permill::zero(),
			}
		}
	}

	/// Energy performance terms as version 1 kept them: without a confidence.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct EnergyPerformanceTerms {
		pub baseline: DailyBaseline,
		pub max_cv_rmse: Permill,
		pub max_nmbe: Permill,
		pub guaranteed_share: Permill,
		pub provider_share: Permill,
		pub price: u64,
		pub min_coverage: Permill,
	}

	/// A demand response baseline as version 1 kept it.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub enum EventBaseline {
		Model(DailyBaseline),
		PreviousDays { days: u8 },
	}

	/// Demand response terms as version 1 kept them.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct DemandResponseTerms {
		pub baseline: EventBaseline,
		pub reward: u64,
		pub min_coverage: Permill,
	}

	/// A contract's terms as version 1 kept them.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub enum Terms {
		EnergyPerformance(EnergyPerformanceTerms),
		RenewableShare(RenewableShareTerms),
		SupplyTariff(SupplyTariffTerms),
		PeerTrade(PeerTradeTerms),
		DemandResponse(DemandResponseTerms),
	}

	impl Terms {
		fn upgrade(self) -> super::v2::Terms {
			match self {
				Terms::EnergyPerformance(terms) => {
					super::v2::Terms::EnergyPerformance(super::v2::EnergyPerformanceTerms {
						baseline: terms.baseline.upgrade(),
						max_cv_rmse: terms.max_cv_rmse,
						max_nmbe: terms.max_nmbe,
						guaranteed_share: terms.guaranteed_share,
						provider_share: terms.provider_share,
						price: terms.price,
						min_coverage: terms.min_coverage,
						confidence: None,
					})
				}
				Terms::RenewableShare(terms) => super::v2::Terms::RenewableShare(terms),
				Terms::SupplyTariff(terms) => super::v2::Terms::SupplyTariff(terms),
				Terms::PeerTrade(terms) => super::v2::Terms::PeerTrade(terms),
				Terms::DemandResponse(terms) => {
					super::v2::Terms::DemandResponse(super::v2::DemandResponseTerms {
						baseline: match terms.baseline {
							EventBaseline::Model(model) => {
								super::v2::EventBaseline::Model(model.upgrade())
							}
							EventBaseline::PreviousDays { days } => {
								super::v2::EventBaseline::PreviousDays { days }
							}
						},
						reward: terms.reward,
						min_coverage: terms.min_coverage,
					})
				}
			}
		}
	}

	/// A contract as version 1 kept it: its agreement's terms in version 1's layout.
	#[derive(Encode, Decode)]
	pub struct Contract<MaxSites: Get<u32>, MaxMeters: Get<u32>> {
		pub template: TemplateRef,
		pub provider: MemberId,
		pub client: MemberId,
		pub sites: BoundedVec<SiteId, MaxSites>,
		pub meters: BoundedVec<MeterId, MaxMeters>,
		pub currency: Currency,
		pub schedule: Schedule,
		pub payment_days: u16,
		pub data_grace_days: u16,
		pub terms: Terms,
		pub proposer: MemberId,
		pub provider_signed: bool,
		pub client_signed: bool,
		pub state: ContractState,
		pub settled: SettlementIndex,
		pub termination_requested: Option<MemberId>,
	}

	/// A contract of version 1 as a runtime bounds it.
	pub type ContractOf<T> = Contract<<T as Config>::MaxSites, <T as Config>::MaxMeters>;

	impl<MaxSites: Get<u32>, MaxMeters: Get<u32>> Contract<MaxSites, MaxMeters> {
		/// The contract in version 2's layout.
		pub fn upgrade(self) -> super::v2::Contract<MaxSites, MaxMeters> {
			super::v2::Contract {
				agreement: super::v2::Agreement {
					template: self.template,
					provider: self.provider,
					client: self.client,
					sites: self.sites,
					meters: self.meters,
					currency: self.currency,
					schedule: self.schedule,
					payment_days: self.payment_days,
					data_grace_days: self.data_grace_days,
					terms: self.terms.upgrade(),
				},
				proposer: self.proposer,
				provider_signed: self.provider_signed,
				client_signed: self.client_signed,
				state: self.state,
				settled: self.settled,
				termination_requested: self.termination_requested,
			}
		}
	}

	/// Energy performance evidence as version 1 kept it: without the savings' uncertainty.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct PerformanceEvidence {
		pub days_used: u16,
		pub days_missing: u16,
		pub baseline: i64,
		pub metered: u64,
		pub savings: i64,
		pub guaranteed: i64,
		pub heating_degree_days: u32,
		pub cooling_degree_days: u32,
	}

	/// A period's evidence as version 1 kept it.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub enum Evidence {
		EnergyPerformance(PerformanceEvidence),
		RenewableShare(RenewableEvidence),
		SupplyTariff(TariffEvidence),
		PeerTrade(TradeEvidence),
		DemandResponse(ResponseEvidence),
	}

	/// A statement as version 1 kept it.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct Statement {
		pub first_day: DayIndex,
		pub days: u16,
		pub evidence: Evidence,
		pub outcome: Outcome,
		pub settled_at: Moment,
	}

	impl Statement {
		/// The statement in version 2's layout: an energy performance statement of version 1
		/// stated no uncertainty.
		pub fn upgrade(self) -> crate::types::Statement {
			let evidence = match self.evidence {
				Evidence::EnergyPerformance(old) => {
					crate::types::Evidence::EnergyPerformance(crate::types::PerformanceEvidence {
						days_used: old.days_used,
						days_missing: old.days_missing,
						baseline: old.baseline,
						metered: old.metered,
						savings: old.savings,
						guaranteed: old.guaranteed,
						heating_degree_days: old.heating_degree_days,
						cooling_degree_days: old.cooling_degree_days,
						savings_uncertainty: None,
					})
				}
				Evidence::RenewableShare(evidence) => {
					crate::types::Evidence::RenewableShare(evidence)
				}
				Evidence::SupplyTariff(evidence) => crate::types::Evidence::SupplyTariff(evidence),
				Evidence::PeerTrade(evidence) => crate::types::Evidence::PeerTrade(evidence),
				Evidence::DemandResponse(evidence) => {
					crate::types::Evidence::DemandResponse(evidence)
				}
			};
			crate::types::Statement {
				first_day: self.first_day,
				days: self.days,
				evidence,
				outcome: self.outcome,
				settled_at: self.settled_at,
			}
		}
	}

	/// Rewrites every contract and statement; the runtime's migration runs it once, at
	/// version 1.
	pub struct Upgrade<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for Upgrade<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut items = 0u64;
			super::v2::Contracts::<T>::translate::<ContractOf<T>, _>(|_, old| {
				items = items.saturating_add(1);
				Some(old.upgrade())
			});
			Statements::<T>::translate::<Statement, _>(|_, _, old| {
				items = items.saturating_add(1);
				Some(old.upgrade())
			});
			T::DbWeight::get().reads_writes(items, items)
		}
	}
}

/// The layout of version 2.
pub mod v2 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_support::{traits::Get, BoundedVec};
	use pallet_meters::{MeterId, SiteId};
	use pallet_registry::MemberId;
	use sp_arithmetic::Permill;

	/// A daily baseline as version 2 kept it: degree-days from the day's mean alone.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct DailyBaseline {
		pub intercept: i64,
		pub heating_slope: u64,
		pub heating_balance: i16,
		pub cooling_slope: u64,
		pub cooling_balance: i16,
		pub cv_rmse: Permill,
		pub nmbe: i32,
		pub r_squared: Permill,
		pub observations: u16,
		pub parameters: u8,
		pub autocorrelation: Permill,
	}

	impl DailyBaseline {
		fn upgrade(self) -> crate::types::DailyBaseline {
			crate::types::DailyBaseline {
				intercept: self.intercept,
				heating_slope: self.heating_slope,
				heating_balance: self.heating_balance,
				cooling_slope: self.cooling_slope,
				cooling_balance: self.cooling_balance,
				cv_rmse: self.cv_rmse,
				nmbe: self.nmbe,
				r_squared: self.r_squared,
				observations: self.observations,
				parameters: self.parameters,
				autocorrelation: self.autocorrelation,
				temperature_spread: 0,
			}
		}
	}

	/// Energy performance terms as version 2 kept them.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct EnergyPerformanceTerms {
		pub baseline: DailyBaseline,
		pub max_cv_rmse: Permill,
		pub max_nmbe: Permill,
		pub guaranteed_share: Permill,
		pub provider_share: Permill,
		pub price: u64,
		pub min_coverage: Permill,
		pub confidence: Option<SavingsConfidence>,
	}

	/// A demand response baseline as version 2 kept it.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub enum EventBaseline {
		Model(DailyBaseline),
		PreviousDays { days: u8 },
	}

	/// Demand response terms as version 2 kept them.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
	pub struct DemandResponseTerms {
		pub baseline: EventBaseline,
		pub reward: u64,
		pub min_coverage: Permill,
	}

	/// A contract's terms as version 2 kept them.
	#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
	pub enum Terms {
		EnergyPerformance(EnergyPerformanceTerms),
		RenewableShare(RenewableShareTerms),
		SupplyTariff(SupplyTariffTerms),
		PeerTrade(PeerTradeTerms),
		DemandResponse(DemandResponseTerms),
	}

	impl Terms {
		fn upgrade(self) -> crate::types::Terms {
			match self {
				Terms::EnergyPerformance(terms) => {
					crate::types::Terms::EnergyPerformance(crate::types::EnergyPerformanceTerms {
						baseline: terms.baseline.upgrade(),
						max_cv_rmse: terms.max_cv_rmse,
						max_nmbe: terms.max_nmbe,
						guaranteed_share: terms.guaranteed_share,
						provider_share: terms.provider_share,
						price: terms.price,
						min_coverage: terms.min_coverage,
						confidence: terms.confidence,
					})
				}
				Terms::RenewableShare(terms) => crate::types::Terms::RenewableShare(terms),
				Terms::SupplyTariff(terms) => crate::types::Terms::SupplyTariff(terms),
				Terms::PeerTrade(terms) => crate::types::Terms::PeerTrade(terms),
				Terms::DemandResponse(terms) => {
					crate::types::Terms::DemandResponse(crate::types::DemandResponseTerms {
						baseline: match terms.baseline {
							EventBaseline::Model(model) => {
								crate::types::EventBaseline::Model(model.upgrade())
							}
							EventBaseline::PreviousDays { days } => {
								crate::types::EventBaseline::PreviousDays { days }
							}
						},
						reward: terms.reward,
						min_coverage: terms.min_coverage,
					})
				}
			}
		}
	}

	/// An agreement as version 2 kept it: its terms in version 2's layout.
	#[derive(Encode, Decode)]
	pub struct Agreement<MaxSites: Get<u32>, MaxMeters: Get<u32>> {
		pub template: TemplateRef,
		pub provider: MemberId,
		pub client: MemberId,
		pub sites: BoundedVec<SiteId, MaxSites>,
		pub meters: BoundedVec<MeterId, MaxMeters>,
		pub currency: Currency,
		pub schedule: Schedule,
		pub payment_days: u16,
		pub data_grace_days: u16,
		pub terms: Terms,
	}

	/// A contract as version 2 kept it.
	#[derive(Encode, Decode)]
	pub struct Contract<MaxSites: Get<u32>, MaxMeters: Get<u32>> {
		pub agreement: Agreement<MaxSites, MaxMeters>,
		pub proposer: MemberId,
		pub provider_signed: bool,
		pub client_signed: bool,
		pub state: ContractState,
		pub settled: SettlementIndex,
		pub termination_requested: Option<MemberId>,
	}

	/// A contract of version 2 as a runtime bounds it.
	pub type ContractOf<T> = Contract<<T as Config>::MaxSites, <T as Config>::MaxMeters>;

	/// The contracts in version 2's layout, which version 1's migration writes.
	#[frame_support::storage_alias]
	pub type Contracts<T: Config> = StorageMap<Pallet<T>, Twox64Concat, ContractId, ContractOf<T>>;

	impl<MaxSites: Get<u32>, MaxMeters: Get<u32>> Contract<MaxSites, MaxMeters> {
		/// The contract in version 3's layout.
		pub fn upgrade(self) -> crate::types::Contract<MaxSites, MaxMeters> {
			let a = self.agreement;
			crate::types::Contract {
				agreement: crate::types::Agreement {
					template: a.template,
					provider: a.provider,
					client: a.client,
					sites: a.sites,
					meters: a.meters,
					currency: a.currency,
					schedule: a.schedule,
					payment_days: a.payment_days,
					data_grace_days: a.data_grace_days,
					terms: a.terms.upgrade(),
				},
				proposer: self.proposer,
				provider_signed: self.provider_signed,
				client_signed: self.client_signed,
				state: self.state,
				settled: self.settled,
				termination_requested: self.termination_requested,
			}
		}
	}

	/// Rewrites every contract; the runtime's migration runs it once, at version 2.
	pub struct Upgrade<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for Upgrade<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut items = 0u64;
			crate::pallet::Contracts::<T>::translate::<ContractOf<T>, _>(|_, old| {
				items = items.saturating_add(1);
				Some(old.upgrade())
			});
			T::DbWeight::get().reads_writes(items, items)
		}
	}
}
