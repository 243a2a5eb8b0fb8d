//! Energy contracts: proposing, signing and settling them, acknowledging payments, and reading
//! contracts with their statements.

use serde::{Deserialize, Serialize};
use subxt_signer::sr25519::Keypair;

use crate::{chain, BlockHash, Client, ClientError};

pub use chain::runtime_types::{
	pallet_energy_contracts::{
		runtime_api::ContractInfo,
		types::{
			Agreement, Award, Bounds, CommonBounds, ContractState, Currency, DailyBaseline,
			DailyWindow, DemandResponseBounds, DemandResponseTerms, EnergyPerformanceBounds,
			EnergyPerformanceTerms, EventBaseline, Evidence, Obligation, Outcome, PaymentStatus,
			PeerTradeBounds, PeerTradeTerms, PerformanceEvidence, Pricing, RenewableEvidence,
			RenewableShareBounds, RenewableShareTerms, ResponseEvent, ResponseEvidence, Ruling,
			SavingsConfidence, Schedule, Statement, SupplyTariffBounds, SupplyTariffTerms,
			TariffEvidence, Template, TemplateBounds, TemplateKind, TemplateRef, Termination,
			Terms, TradeEvidence,
		},
	},
	sp_arithmetic::per_things::Permill,
};

/// The daily model as energy performance contracts take it (the chain's `DailyBaseline`):
/// watt-hours, tenths of a degree, and fit statistics in millionths: what the bridge's
/// `baseline fit --json` exports and the portal's contract wizard reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBaseline {
	/// Wh per day.
	pub intercept: i64,
	/// Wh per heating K·day.
	pub heating_slope: u64,
	/// 0.1 °C.
	pub heating_balance: i16,
	/// Wh per cooling K·day.
	pub cooling_slope: u64,
	/// 0.1 °C.
	pub cooling_balance: i16,
	/// Millionths.
	pub cv_rmse: u32,
	/// Millionths, signed.
	pub nmbe: i32,
	/// Millionths.
	pub r_squared: u32,
	pub observations: u16,
	pub parameters: u8,
	/// The lag-1 autocorrelation of the fit's residuals, millionths (negative recorded as 0).
	pub autocorrelation: u32,
	/// The spread of a day's temperatures around its mean its degree-days assume, 0.1 K (0, as
	/// in fits exported before it existed: degree-days from the mean alone).
	#[serde(default)]
	pub temperature_spread: u16,
}

impl From<ChainBaseline> for DailyBaseline {
	fn from(b: ChainBaseline) -> Self {
		DailyBaseline {
			intercept: b.intercept,
			heating_slope: b.heating_slope,
			heating_balance: b.heating_balance,
			cooling_slope: b.cooling_slope,
			cooling_balance: b.cooling_balance,
			cv_rmse: Permill(b.cv_rmse.min(1_000_000)),
			nmbe: b.nmbe,
			r_squared: Permill(b.r_squared),
			observations: b.observations,
			parameters: b.parameters,
			autocorrelation: Permill(b.autocorrelation.min(1_000_000)),
			temperature_spread: b.temperature_spread,
		}
	}
}

/// A template version the council approved.
#[derive(Debug, Clone)]
pub struct ApprovedTemplate {
	pub kind: TemplateKind,
	pub version: u16,
	pub template: Template,
}

/// What the runtime allows every agreement, whatever its template.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgreementLimits {
	pub max_sites: u32,
	pub max_meters: u32,
	/// How many days before today a contract's first day may lie.
	pub max_backdate_days: u32,
}

/// The days of a contract's schedule, as the pallet's `Schedule` counts them.
impl Schedule {
	/// The first day of period `index`.
	pub fn period_start(&self, index: u16) -> u32 {
		self.first_day.saturating_add(u32::from(index).saturating_mul(u32::from(self.period_days)))
	}

	/// The day after the contract's last period.
	pub fn end(&self) -> u32 {
		self.period_start(self.periods)
	}
}

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

	/// Asks, as the party `party` acts for, to end an active contract by agreement; returns
	/// whether it ended (the other party had asked already).
	pub async fn request_termination(
		&self,
		party: &Keypair,
		contract: u32,
	) -> Result<bool, ClientError> {
		let call = chain::transactions().energy_contracts().request_termination(contract);
		let (_, events) = self.submit_finalized(&call, party).await?;
		Ok(events.has::<chain::energy_contracts::events::ContractTerminated>())
	}

	/// Rates, as the party `rater` acts for, the other party of a contract that has ended.
	pub async fn rate_counterparty(
		&self,
		rater: &Keypair,
		contract: u32,
		stars: u8,
	) -> Result<(), ClientError> {
		let call = chain::transactions().energy_contracts().rate_counterparty(contract, stars);
		self.submit_finalized(&call, rater).await.map(|_| ())
	}

	/// The stars `rater` gave the other party of `contract`, if it rated it.
	pub async fn rating(&self, contract: u32, rater: u32) -> Result<Option<u8>, ClientError> {
		let at = self.reading().await?;
		let entry = at
			.storage()
			.entry(chain::storage().energy_contracts().ratings())
			.map_err(ClientError::chain("find EnergyContracts.Ratings"))?;
		match entry
			.try_fetch((contract, rater))
			.await
			.map_err(ClientError::chain("read EnergyContracts.Ratings"))?
		{
			Some(stars) => Ok(Some(stars.decode().map_err(ClientError::chain("decode a rating"))?)),
			None => Ok(None),
		}
	}

	/// Confirms, as the creditor `creditor` acts for, having received a period's payment.
	pub async fn confirm_payment(
		&self,
		creditor: &Keypair,
		contract: u32,
		period: u16,
	) -> Result<(), ClientError> {
		let call = chain::transactions().energy_contracts().confirm_payment(contract, period);
		self.submit_finalized(&call, creditor).await.map(|_| ())
	}

	/// A contract with its statements, or `None`.
	pub async fn contract(&self, id: u32) -> Result<Option<ContractInfo>, ClientError> {
		let call = chain::runtime_apis().energy_contracts_api().contract(id);
		self.runtime_call(call, "query EnergyContractsApi.contract").await
	}

	/// How many contracts were ever proposed: contracts are numbered from 0 below this.
	pub async fn contract_count(&self) -> Result<u32, ClientError> {
		let at = self.reading().await?;
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

	/// Every template version the council approved, retired ones included, by kind and
	/// version.
	pub async fn templates(&self) -> Result<Vec<ApprovedTemplate>, ClientError> {
		let at = self.reading().await?;
		let entry = at
			.storage()
			.entry(chain::storage().energy_contracts().templates())
			.map_err(ClientError::chain("find EnergyContracts.Templates"))?;
		let mut entries =
			entry.iter(()).await.map_err(ClientError::chain("read EnergyContracts.Templates"))?;
		let mut templates = Vec::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(ClientError::chain("read EnergyContracts.Templates"))?;
			let (kind, version) = entry
				.key()
				.and_then(|key| key.decode())
				.map_err(ClientError::chain("decode a template's kind and version"))?;
			let template =
				entry.value().decode().map_err(ClientError::chain("decode a template"))?;
			templates.push(ApprovedTemplate { kind, version, template });
		}
		templates.sort_by_key(|approved| (approved.kind.clone() as u8, approved.version));
		Ok(templates)
	}

	/// The runtime's limits on every agreement.
	pub async fn agreement_limits(&self) -> Result<AgreementLimits, ClientError> {
		let at = self.reading().await?;
		let names = chain::constants().energy_contracts();
		let constants = at.constants();
		Ok(AgreementLimits {
			max_sites: constants
				.entry(names.max_sites())
				.map_err(ClientError::chain("read EnergyContracts.MaxSites"))?,
			max_meters: constants
				.entry(names.max_meters())
				.map_err(ClientError::chain("read EnergyContracts.MaxMeters"))?,
			max_backdate_days: constants
				.entry(names.max_backdate_days())
				.map_err(ClientError::chain("read EnergyContracts.MaxBackdateDays"))?,
		})
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
