//! Energy contracts: proposing, signing and settling them, acknowledging payments, and reading
//! contracts with their statements.

use subxt_signer::sr25519::Keypair;

use crate::{chain, BlockHash, Client, ClientError};

pub use chain::runtime_types::{
	pallet_energy_contracts::{
		runtime_api::ContractInfo,
		types::{
			Agreement, Award, ContractState, Currency, DailyBaseline, DailyWindow,
			DemandResponseTerms, EnergyPerformanceTerms, EventBaseline, Evidence, Obligation,
			Outcome, PaymentStatus, PeerTradeTerms, PerformanceEvidence, Pricing,
			RenewableEvidence, RenewableShareTerms, ResponseEvent, ResponseEvidence, Ruling,
			Schedule, Statement, SupplyTariffTerms, TariffEvidence, TemplateKind, TemplateRef,
			Termination, Terms, TradeEvidence,
		},
	},
	sp_arithmetic::per_things::Permill,
};

/// A period settled.
pub type PeriodSettled = chain::energy_contracts::events::PeriodSettled;

/// What settling a period did, from the finalized block's events.
#[derive(Debug, Clone)]
pub struct Settlement {
	pub block_hash: BlockHash,
	pub period: u16,
	/// Who owes whom; `None` when nobody owes anything or the period went to an auditor.
	pub obligation: Option<Obligation>,
	/// The period had too little complete data and went to an auditor.
	pub needs_ruling: bool,
}

impl Client {
	/// Proposes a contract as the party `proposer` acts for (its signature is on it) and returns
	/// the contract's number once the block is finalized.
	pub async fn propose_contract(
		&self,
		proposer: &Keypair,
		agreement: Agreement,
	) -> Result<u32, ClientError> {
		let call = chain::transactions().energy_contracts().propose_contract(agreement);
		let (_, events) = self.submit_finalized(&call, proposer).await?;
		let proposed = events
			.find_first::<chain::energy_contracts::events::ContractProposed>()
			.transpose()
			.map_err(ClientError::chain("decode EnergyContracts.ContractProposed"))?
			.ok_or(ClientError::MissingEvent("EnergyContracts.ContractProposed"))?;
		Ok(proposed.contract)
	}

	/// Signs a draft as the party `signer` acts for; returns whether it is now active.
	pub async fn sign_contract(
		&self,
		signer: &Keypair,
		contract: u32,
	) -> Result<bool, ClientError> {
		let call = chain::transactions().energy_contracts().sign_contract(contract);
		let (_, events) = self.submit_finalized(&call, signer).await?;
		Ok(events.has::<chain::energy_contracts::events::ContractActivated>())
	}

	/// Settles the contract's next period as the party `signer` acts for.
	pub async fn settle_period(
		&self,
		signer: &Keypair,
		contract: u32,
	) -> Result<Settlement, ClientError> {
		let call = chain::transactions().energy_contracts().settle_period(contract);
		let (block_hash, events) = self.submit_finalized(&call, signer).await?;
		if let Some(settled) = events
			.find_first::<PeriodSettled>()
			.transpose()
			.map_err(ClientError::chain("decode EnergyContracts.PeriodSettled"))?
		{
			let (period, obligation) = (settled.period, settled.obligation);
			return Ok(Settlement { block_hash, period, obligation, needs_ruling: false });
		}
		let ruling = events
			.find_first::<chain::energy_contracts::events::SettlementNeedsRuling>()
			.transpose()
			.map_err(ClientError::chain("decode EnergyContracts.SettlementNeedsRuling"))?
			.ok_or(ClientError::MissingEvent("EnergyContracts.PeriodSettled"))?;
		Ok(Settlement { block_hash, period: ruling.period, obligation: None, needs_ruling: true })
	}

	/// Acknowledges, as the debtor `debtor` acts for, having paid a period's obligation.
	pub async fn acknowledge_payment(
		&self,
		debtor: &Keypair,
		contract: u32,
		period: u16,
	) -> Result<(), ClientError> {
		let call = chain::transactions().energy_contracts().acknowledge_payment(contract, period);
		self.submit_finalized(&call, debtor).await.map(|_| ())
	}

	/// A contract with its statements, or `None`.
	pub async fn contract(&self, id: u32) -> Result<Option<ContractInfo>, ClientError> {
		let call = chain::runtime_apis().energy_contracts_api().contract(id);
		self.runtime_call(call, "query EnergyContractsApi.contract").await
	}

	/// How many contracts were ever proposed: contracts are numbered from 0 below this.
	pub async fn contract_count(&self) -> Result<u32, ClientError> {
		let at = self.api.at_current_block().await.map_err(ClientError::chain("read block"))?;
		let entry = at
			.storage()
			.entry(chain::storage().energy_contracts().next_contract_id())
			.map_err(ClientError::chain("find EnergyContracts.NextContractId"))?;
		entry
			.fetch(())
			.await
			.map_err(ClientError::chain("read EnergyContracts.NextContractId"))?
			.decode()
			.map_err(ClientError::chain("decode EnergyContracts.NextContractId"))
	}

	/// Every contract with its statements, `parallel` queries at a time.
	pub async fn contracts(&self, parallel: usize) -> Result<Vec<ContractInfo>, ClientError> {
		crate::numbered(self.contract_count().await?, parallel, |id| self.contract(id)).await
	}

	/// The numbers of the contracts `member` is a party to.
	pub async fn contracts_of(&self, member: u32) -> Result<Vec<u32>, ClientError> {
		let call = chain::runtime_apis().energy_contracts_api().contracts_of(member);
		self.runtime_call(call, "query EnergyContractsApi.contracts_of").await
	}

	/// The statement settling the contract's next period would record now, if it is active.
	pub async fn settlement_preview(&self, id: u32) -> Result<Option<Statement>, ClientError> {
		let call = chain::runtime_apis().energy_contracts_api().preview(id);
		self.runtime_call(call, "query EnergyContractsApi.preview").await
	}
}
