//! The runtime API clients read contracts through: a contract with its statements, a member's
//! contracts, and a preview of the next settlement.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use pallet_meters::{MeterId, SiteId};
use pallet_registry::MemberId;

sp_api::decl_runtime_apis! {
	/// Contracts, their statements and settlement previews, one call each.
	pub trait EnergyContractsApi {
		/// A contract with every statement so far.
		fn contract(id: ContractId) -> Option<ContractInfo>;
		/// The contracts a member is a party to, by number.
		fn contracts_of(member: MemberId) -> Vec<ContractId>;
		/// The statement settling the contract's next period would record now, from the data on
		/// chain so far (the period may still be running). `None` unless the contract is active.
		fn preview(id: ContractId) -> Option<Statement>;
	}
}

/// A contract as the runtime API returns it.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	scale_info::TypeInfo,
	serde::Serialize,
)]
pub struct ContractInfo {
	pub id: ContractId,
	pub template: TemplateRef,
	pub provider: MemberId,
	pub client: MemberId,
	pub proposer: MemberId,
	pub sites: Vec<SiteId>,
	pub meters: Vec<MeterId>,
	pub currency: Currency,
	pub schedule: Schedule,
	pub payment_days: u16,
	pub data_grace_days: u16,
	pub terms: Terms,
	pub provider_signed: bool,
	pub client_signed: bool,
	pub state: ContractState,
	pub settled: SettlementIndex,
	pub termination_requested: Option<MemberId>,
	/// Statements of periods `0..settled`, in order.
	pub statements: Vec<Statement>,
}

impl<T: Config> Pallet<T> {
	/// A contract with its statements, for the runtime API.
	pub fn contract_info(id: ContractId) -> Option<ContractInfo> {
		let contract = Contracts::<T>::get(id)?;
		let statements =
			(0..contract.settled).filter_map(|period| Statements::<T>::get(id, period)).collect();
		let agreement = contract.agreement;
		Some(ContractInfo {
			id,
			template: agreement.template,
			provider: agreement.provider,
			client: agreement.client,
			proposer: contract.proposer,
			sites: agreement.sites.into_inner(),
			meters: agreement.meters.into_inner(),
			currency: agreement.currency,
			schedule: agreement.schedule,
			payment_days: agreement.payment_days,
			data_grace_days: agreement.data_grace_days,
			terms: agreement.terms,
			provider_signed: contract.provider_signed,
			client_signed: contract.client_signed,
			state: contract.state,
			settled: contract.settled,
			termination_requested: contract.termination_requested,
			statements,
		})
	}

	/// The contracts `member` is a party to, for the runtime API.
	pub fn contracts_of(member: MemberId) -> Vec<ContractId> {
		MemberContracts::<T>::iter_key_prefix(member).collect()
	}

	/// The next period's statement as it would be settled now, for the runtime API.
	pub fn preview(id: ContractId) -> Option<Statement> {
		let contract = Contracts::<T>::get(id)?;
		let now = Self::now().ok()?;
		let period = contract.settled;
		let active =
			contract.state == ContractState::Active && period < contract.agreement.schedule.periods;
		active.then(|| Self::statement(id, &contract, period, now).ok()).flatten().map(|(s, _)| s)
	}
}
