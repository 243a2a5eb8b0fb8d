//! Contracts from the snapshot as pages show them: the agreed terms in plain words, and each
//! settled period's outcome and evidence with units.

use smartblocks_client::contracts::{
	ContractInfo, ContractState, Currency, DailyBaseline, EventBaseline, Evidence, Obligation,
	Outcome, PaymentStatus, Permill, Pricing, SavingsConfidence, Statement, Termination, Terms,
};
pub use smartblocks_client::draft::kind_name;

use super::{
	building::time_text,
	campus::{day_text, CampusSnapshot},
};
use crate::{
	contracts::{ContractList, ContractPage, ContractRow, Party, StatementRow},
	status::NodeStatus,
};

impl CampusSnapshot {
	/// Every contract, newest first.
	pub fn contract_list(&self, node: NodeStatus) -> ContractList {
		let mut contracts: Vec<_> =
			self.contracts.iter().map(|contract| self.contract_row(contract)).collect();
		contracts.sort_by_key(|contract| std::cmp::Reverse(contract.id));
		ContractList { block: self.block, node, contracts }
	}

	/// Contract `id`'s page, `None` if there is no such contract.
	pub fn contract_page(&self, id: u32, node: NodeStatus) -> Option<ContractPage> {
		let contract = self.contracts.iter().find(|contract| contract.id == id)?;
		let statements = contract
			.statements
			.iter()
			.enumerate()
			.map(|(period, statement)| {
				self.statement_row(u16::try_from(period).unwrap_or(u16::MAX), statement, contract)
			})
			.collect();
		Some(ContractPage {
			block: self.block,
			node,
			contract: self.contract_row(contract),
			terms: terms_in_words(&contract.terms, &contract.currency),
			meters: contract.meters.clone(),
			currency: currency_code(&contract.currency),
			payment_days: contract.payment_days,
			statements,
		})
	}

	/// Why `member` cannot sign draft `id` now, if it cannot: only a party that has not signed
	/// signs a draft.
	pub fn signature_refusal(&self, id: u32, member: u32) -> Option<String> {
		let Some(contract) = self.contracts.iter().find(|contract| contract.id == id) else {
			return Some(format!("There is no contract #{id}."));
		};
		let signed = if member == contract.provider {
			contract.provider_signed
		} else if member == contract.client {
			contract.client_signed
		} else {
			return Some(format!(
				"You act for {}, which is not a party to it.",
				self.party(member).1
			));
		};
		if !matches!(contract.state, ContractState::Draft) {
			Some(format!("Contract #{id} is no longer a draft."))
		} else if signed {
			Some(format!("{} has signed it already.", self.party(member).1))
		} else {
			None
		}
	}

	fn contract_row(&self, contract: &ContractInfo) -> ContractRow {
		let schedule = &contract.schedule;
		let end = schedule.end();
		ContractRow {
			id: contract.id,
			kind: kind_name(&contract.template.kind).into(),
			provider: self.party(contract.provider),
			client: self.party(contract.client),
			sites: contract.sites.iter().map(|&site| (site, self.site_name(site))).collect(),
			state: self.state_in_words(&contract.state),
			from: day_text(schedule.first_day),
			to: day_text(end),
			periods: schedule.periods,
			settled: contract.settled,
			provider_signed: contract.provider_signed,
			client_signed: contract.client_signed,
		}
	}

	fn statement_row(
		&self,
		period: u16,
		statement: &Statement,
		contract: &ContractInfo,
	) -> StatementRow {
		let (outcome, payment) = match &statement.outcome {
			Outcome::Settled { obligation: Some(obligation) } => (
				self.obligation_in_words(obligation, &contract.currency),
				Some(payment_name(&obligation.status).to_string()),
			),
			Outcome::Settled { obligation: None } => ("Nobody owes anything.".to_string(), None),
			Outcome::InsufficientData => (
				"Too few days had complete data: an auditor decides this period.".to_string(),
				None,
			),
		};
		StatementRow {
			period,
			from: day_text(statement.first_day),
			days: statement.days,
			outcome,
			payment,
			evidence: evidence_figures(&statement.evidence),
			settled_at: time_text(statement.settled_at, "%Y-%m-%dT%H:%M:%SZ"),
		}
	}

	fn party(&self, member: u32) -> Party {
		let name = self
			.registry
			.members
			.iter()
			.find(|candidate| candidate.id == member)
			.map(|found| String::from_utf8_lossy(&found.name).into_owned())
			.unwrap_or_else(|| format!("member #{member}"));
		(member, name)
	}

	fn site_name(&self, site: u32) -> String {
		self.sites
			.iter()
			.find(|candidate| candidate.id == site)
			.map(|found| String::from_utf8_lossy(&found.name).into_owned())
			.unwrap_or_else(|| format!("site #{site}"))
	}

	fn state_in_words(&self, state: &ContractState) -> String {
		match state {
			ContractState::Draft => "Draft: waiting for signatures".into(),
			ContractState::Active => "Active".into(),
			ContractState::Disputed { by, period } => {
				let what = match period {
					Some(period) => format!("the statement of period {period}"),
					None => "the contract".into(),
				};
				format!("Disputed by {}: {what} waits for an auditor", self.party(*by).1)
			}
			ContractState::Completed => "Completed".into(),
			ContractState::Terminated(Termination::ByAgreement) => "Terminated by agreement".into(),
			ContractState::Terminated(Termination::Breach { debtor }) => {
				format!("Terminated: {} left a payment unpaid", self.party(*debtor).1)
			}
			ContractState::Terminated(Termination::Ruling) => {
				"Terminated by an auditor's ruling".into()
			}
		}
	}

	fn obligation_in_words(&self, obligation: &Obligation, currency: &Currency) -> String {
		format!(
			"{} owes {} {} by {}.",
			self.party(obligation.debtor).1,
			self.party(obligation.creditor).1,
			amount(obligation.amount, currency),
			time_text(obligation.due, "%Y-%m-%d %H:%M UTC"),
		)
	}
}

fn payment_name(status: &PaymentStatus) -> &'static str {
	match status {
		PaymentStatus::Pending => "Pending",
		PaymentStatus::Honoured => "Honoured",
		PaymentStatus::Breached => "Breached",
	}
}

fn currency_code(currency: &Currency) -> String {
	String::from_utf8_lossy(&currency.code).into_owned()
}

/// `minor` units of `currency` as text, e.g. `1234.50 EUR`.
pub fn amount(minor: u128, currency: &Currency) -> String {
	let decimals = u32::from(currency.decimals.min(18));
	let unit = 10u128.pow(decimals);
	let code = currency_code(currency);
	if decimals == 0 {
		return format!("{minor} {code}");
	}
	let fraction = minor % unit;
	format!("{}.{fraction:0width$} {code}", minor / unit, width = decimals as usize)
}

/// A price in thousandths of the currency per MWh as text, e.g. `85.000 EUR/MWh`.
fn price(thousandths: u64, currency: &Currency) -> String {
	format!("{}.{:03} {}/MWh", thousandths / 1000, thousandths % 1000, currency_code(currency))
}

fn percent(share: &Permill) -> String {
	let text = format!("{:.2}", f64::from(share.0) / 10_000.0);
	let text = text.trim_end_matches('0').trim_end_matches('.');
	format!("{text}%")
}

fn kwh(wh: impl Into<i128>) -> String {
	format!("{:.1} kWh", wh.into() as f64 / 1000.0)
}

/// Tenths of a degree Celsius as text.
fn celsius(tenths: i16) -> String {
	format!("{:.1} °C", f64::from(tenths) / 10.0)
}

/// The percentage a savings uncertainty is stated at.
pub fn confidence_percent(confidence: &SavingsConfidence) -> u8 {
	match confidence {
		SavingsConfidence::Percent68 => 68,
		SavingsConfidence::Percent80 => 80,
		SavingsConfidence::Percent90 => 90,
		SavingsConfidence::Percent95 => 95,
	}
}

/// `baseline` in words; with its residuals' autocorrelation where it was recorded (contracts
/// that state savings uncertainty).
fn baseline_in_words(baseline: &DailyBaseline, autocorrelation: bool) -> String {
	let mut model = format!("{} a day", kwh(baseline.intercept));
	if baseline.heating_slope > 0 {
		model.push_str(&format!(
			", plus {} per heating degree-day below {}",
			kwh(baseline.heating_slope),
			celsius(baseline.heating_balance)
		));
	}
	if baseline.cooling_slope > 0 {
		model.push_str(&format!(
			", plus {} per cooling degree-day above {}",
			kwh(baseline.cooling_slope),
			celsius(baseline.cooling_balance)
		));
	}
	if baseline.temperature_spread > 0 {
		model.push_str(&format!(
			", degree-days of days whose temperatures spread {:.1} K around their mean",
			f64::from(baseline.temperature_spread) / 10.0
		));
	}
	let autocorrelation = if autocorrelation {
		format!(", residuals' autocorrelation {}", percent(&baseline.autocorrelation))
	} else {
		String::new()
	};
	format!(
		"{model} (fitted on {} days: CV(RMSE) {}, NMBE {:.2}%, R² {:.3}{autocorrelation})",
		baseline.observations,
		percent(&baseline.cv_rmse),
		f64::from(baseline.nmbe) / 10_000.0,
		f64::from(baseline.r_squared.0) / 1_000_000.0,
	)
}

/// What `terms` agree, sentence by sentence, amounts in `currency`.
pub fn terms_in_words(terms: &Terms, currency: &Currency) -> Vec<String> {
	let mut sentences = match terms {
		Terms::EnergyPerformance(terms) => vec![
			format!(
				"Baseline use: {}.",
				baseline_in_words(&terms.baseline, terms.confidence.is_some())
			),
			if terms.guaranteed_share.0 == 0 {
				format!(
					"Shared savings: the client pays the provider {} of the savings, at {}.",
					percent(&terms.provider_share),
					price(terms.price, currency)
				)
			} else {
				format!(
					"The provider guarantees savings of {} of the baseline and pays the client \
					 {} for any shortfall; the client pays the provider {} of savings beyond the \
					 guarantee at that price.",
					percent(&terms.guaranteed_share),
					price(terms.price, currency),
					percent(&terms.provider_share)
				)
			},
			format!(
				"The baseline must fit with CV(RMSE) at most {} and |NMBE| at most {}.",
				percent(&terms.max_cv_rmse),
				percent(&terms.max_nmbe)
			),
			match &terms.confidence {
				Some(confidence) => format!(
					"Each statement states the savings' uncertainty at {}% confidence, as ASHRAE \
					 Guideline 14 computes it.",
					confidence_percent(confidence)
				),
				None => "Statements state no savings uncertainty.".to_string(),
			},
		],
		Terms::RenewableShare(terms) => vec![format!(
			"At least {} of the sites' use comes from their own generation: the provider pays {} \
			 short of the target, the client pays {} beyond it.",
			percent(&terms.target),
			price(terms.penalty, currency),
			price(terms.bonus, currency)
		)],
		Terms::SupplyTariff(terms) => vec![match &terms.pricing {
			Pricing::Fixed { price: fixed } => format!(
				"The client pays the provider {} for the energy its meters measure.",
				price(*fixed, currency)
			),
			Pricing::Indexed { market, adder, cap } => format!(
				"The client pays the provider each day's mean market price in {} plus {}.{:03} \
				 {}/MWh, at most {} and never below zero.",
				String::from_utf8_lossy(&market.0),
				adder / 1000,
				(adder % 1000).abs(),
				currency_code(currency),
				price(*cap, currency)
			),
		}],
		Terms::PeerTrade(terms) => vec![format!(
			"Each day in settlement periods {} to {} (UTC), the seller's export is matched to the \
			 buyer's import, up to {} a day, at {}.",
			terms.window.first_period,
			terms.window.first_period.saturating_add(terms.window.periods).saturating_sub(1),
			kwh(terms.quantity),
			price(terms.price, currency)
		)],
		Terms::DemandResponse(terms) => vec![format!(
			"For each event the provider calls, it pays the client {} of use below the baseline: \
			 {}.",
			price(terms.reward, currency),
			match &terms.baseline {
				EventBaseline::Model(baseline) => baseline_in_words(baseline, false),
				EventBaseline::PreviousDays { days } => {
					format!("the mean use in the window on the {days} previous days without events")
				}
			}
		)],
	};
	sentences.push(format!(
		"A period with complete data on less than {} of its days goes to an auditor.",
		percent(&min_coverage(terms))
	));
	sentences
}

fn min_coverage(terms: &Terms) -> Permill {
	match terms {
		Terms::EnergyPerformance(terms) => terms.min_coverage.clone(),
		Terms::RenewableShare(terms) => terms.min_coverage.clone(),
		Terms::SupplyTariff(terms) => terms.min_coverage.clone(),
		Terms::PeerTrade(terms) => terms.min_coverage.clone(),
		Terms::DemandResponse(terms) => terms.min_coverage.clone(),
	}
}

/// A statement's evidence as labelled figures with units.
pub fn evidence_figures(evidence: &Evidence) -> Vec<(String, String)> {
	let figures: Vec<(&str, String)> = match evidence {
		Evidence::EnergyPerformance(e) => vec![
			("Days used", e.days_used.to_string()),
			("Days missing", e.days_missing.to_string()),
			("Baseline", kwh(e.baseline)),
			("Metered", kwh(e.metered)),
			("Savings", kwh(e.savings)),
			(
				"Savings uncertainty",
				e.savings_uncertainty
					.map_or("not stated".to_string(), |wh| format!("± {}", kwh(wh))),
			),
			("Guaranteed", kwh(e.guaranteed)),
			("Heating degree-days", format!("{:.1}", f64::from(e.heating_degree_days) / 10.0)),
			("Cooling degree-days", format!("{:.1}", f64::from(e.cooling_degree_days) / 10.0)),
		],
		Evidence::RenewableShare(e) => vec![
			("Days used", e.days_used.to_string()),
			("Days missing", e.days_missing.to_string()),
			("Imported", kwh(e.imported)),
			("Generated", kwh(e.generated)),
			("Exported", kwh(e.exported)),
			("Renewable used", kwh(e.renewable_used)),
			("Site use", kwh(e.site_use)),
			("Renewable share", percent(&e.share)),
			("Target", kwh(e.target_energy)),
		],
		Evidence::SupplyTariff(e) => vec![
			("Days used", e.days_used.to_string()),
			("Days missing", e.days_missing.to_string()),
			("Energy", kwh(e.energy)),
			("Mean price (per MWh)", format!("{}.{:03}", e.mean_price / 1000, e.mean_price % 1000)),
			("Days capped", e.capped_days.to_string()),
		],
		Evidence::PeerTrade(e) => vec![
			("Days used", e.days_used.to_string()),
			("Days missing", e.days_missing.to_string()),
			("Exported", kwh(e.exported)),
			("Imported", kwh(e.imported)),
			("Matched", kwh(e.matched)),
			("Delivered", kwh(e.delivered)),
		],
		Evidence::DemandResponse(e) => vec![
			("Events", e.events.to_string()),
			("Events missing data", e.events_missing.to_string()),
			("Baseline", kwh(e.baseline)),
			("Metered", kwh(e.metered)),
			("Reduction", kwh(e.reduction)),
		],
	};
	figures.into_iter().map(|(label, value)| (label.to_string(), value)).collect()
}

#[cfg(test)]
mod tests;
