//! The contract wizard's server half: what each approved template lets a draft set, and a draft
//! checked as the energy contracts pallet checks a proposal — template bounds, party roles, the
//! sites' owners and the meters' kinds — so that what reaches a wallet is a contract the chain
//! takes, and every problem is named on the page first.

use smartblocks_client::{
	contracts::{Agreement, ApprovedTemplate, TemplateKind},
	draft::{
		self, common_specs, kind_name, parties_in_words, readable_kinds, template_key, term_specs,
		DraftContext, Spec,
	},
	meters::MeterStatus,
	registry::MemberStatus,
};

pub use smartblocks_client::draft::DraftError;

use super::{
	campus::{day_text, CampusSnapshot},
	contracts::terms_in_words,
};
use crate::{
	status::NodeStatus,
	wizard::{
		Draft, Field, Input, MeterChoice, PartyChoice, Review, SiteChoice, TemplateChoice,
		WizardOptions,
	},
};

/// A parameter as the wizard's form asks for it.
fn field(spec: &Spec) -> Field {
	Field {
		key: spec.key.into(),
		label: spec.label.into(),
		input: Input::Number,
		allowed: spec.allowed(),
		default: spec.default_text(),
		when: spec.when.map(|pricing| ("pricing".into(), pricing.into())),
	}
}

impl CampusSnapshot {
	/// What drafts are checked against: the chain as this snapshot holds it.
	fn draft_context(&self) -> DraftContext<'_> {
		DraftContext {
			templates: &self.templates,
			members: &self.registry.members,
			sites: &self.sites,
			limits: self.limits,
			today: self.today(),
			periods_per_day: u32::try_from(self.periods_per_day()).unwrap_or(u32::MAX),
		}
	}

	fn fields_of(&self, approved: &ApprovedTemplate) -> Vec<Field> {
		let text = |key: &str, label: &str, input: Input, allowed: &str, default: String| Field {
			key: key.into(),
			label: label.into(),
			input,
			allowed: allowed.into(),
			default,
			when: None,
		};
		let earliest = self.draft_context().earliest_day();
		let mut fields = vec![
			text(
				"first_day",
				"First day (UTC)",
				Input::Date,
				&format!("from {}", day_text(earliest)),
				day_text(self.today()),
			),
			text(
				"currency",
				"Currency (ISO 4217)",
				Input::Text,
				"three capital letters",
				"EUR".into(),
			),
			text(
				"decimals",
				"Decimals of its minor unit",
				Input::Number,
				&format!("0 to {}", draft::MAX_DECIMALS),
				"2".into(),
			),
		];
		fields.extend(common_specs(&approved.template.common).iter().map(field));
		match approved.kind {
			TemplateKind::EnergyPerformance => fields.push(text(
				"baseline",
				"Baseline: the JSON of `meter-bridge baseline fit --model daily --json` on the \
				 sites' use before the works",
				Input::Baseline,
				"",
				String::new(),
			)),
			TemplateKind::SupplyTariff => {
				let choices = vec![
					("fixed".to_string(), "A fixed price".to_string()),
					("indexed".to_string(), "The market price with a margin and a cap".to_string()),
				];
				fields.push(text(
					"pricing",
					"Pricing",
					Input::Choice(choices),
					"",
					"indexed".into(),
				));
				fields.push(Field {
					when: Some(("pricing".into(), "indexed".into())),
					..text(
						"market",
						"Market (bidding zone)",
						Input::Text,
						"the oracle's region code",
						String::new(),
					)
				});
			}
			_ => {}
		}
		fields.extend(
			term_specs(&approved.template.bounds, i128::from(self.periods_per_day()))
				.iter()
				.map(field),
		);
		fields
	}

	/// What the wizard offers `proposer`.
	pub fn wizard_options(
		&self,
		proposer: Option<(u32, String)>,
		node: NodeStatus,
	) -> WizardOptions {
		let templates = self
			.draft_context()
			.templates_in_use()
			.into_iter()
			.map(|approved| TemplateChoice {
				key: template_key(&approved.kind, approved.version),
				name: kind_name(&approved.kind).into(),
				version: approved.version,
				parties: parties_in_words(&approved.kind).into(),
				meter_kinds: readable_kinds(&approved.kind)
					.iter()
					.map(|kind| format!("{kind:?}"))
					.collect(),
				fields: self.fields_of(approved),
			})
			.collect();
		let members = self
			.registry
			.members
			.iter()
			.filter(|member| matches!(member.status, MemberStatus::Active))
			.map(|member| PartyChoice {
				id: member.id,
				name: String::from_utf8_lossy(&member.name).into_owned(),
				roles: member.roles.iter().map(|role| format!("{role:?}")).collect(),
			})
			.collect();
		let sites = self
			.sites
			.iter()
			.map(|site| SiteChoice {
				id: site.id,
				name: String::from_utf8_lossy(&site.name).into_owned(),
				owner: site.owner,
				region: String::from_utf8_lossy(&site.region).into_owned(),
				meters: site
					.meters
					.iter()
					.filter(|meter| !matches!(meter.status, MeterStatus::Retired))
					.map(|meter| MeterChoice { id: meter.id, kind: format!("{:?}", meter.kind) })
					.collect(),
			})
			.collect();
		WizardOptions {
			block: self.block,
			node,
			proposer,
			templates,
			members,
			sites,
			max_sites: self.limits.max_sites,
			max_meters: self.limits.max_meters,
		}
	}

	/// `draft` as the agreement `proposer` would propose, with what it agrees in words; or every
	/// problem the pallet would refuse it for.
	pub fn check_draft(
		&self,
		draft: &Draft,
		proposer: u32,
	) -> Result<(Agreement, Review), DraftError> {
		let draft = draft::Draft {
			template: draft.template.clone(),
			provider: draft.provider,
			client: draft.client,
			sites: draft.sites.clone(),
			meters: draft.meters.clone(),
			values: draft.values.clone(),
		};
		let agreement = self.draft_context().check(&draft, proposer)?;
		let review = self.review(&agreement);
		Ok((agreement, review))
	}

	/// What `agreement` agrees, sentence by sentence.
	fn review(&self, agreement: &Agreement) -> Review {
		let name = |id: u32| {
			self.registry
				.members
				.iter()
				.find(|member| member.id == id)
				.map(|member| String::from_utf8_lossy(&member.name).into_owned())
				.unwrap_or_else(|| format!("member #{id}"))
		};
		let sites: Vec<String> = agreement
			.sites
			.0
			.iter()
			.filter_map(|id| self.sites.iter().find(|site| site.id == *id))
			.map(|site| String::from_utf8_lossy(&site.name).into_owned())
			.collect();
		let meters: Vec<String> = agreement.meters.0.iter().map(|id| format!("#{id}")).collect();
		let schedule = &agreement.schedule;
		let end = schedule.end();
		let currency = String::from_utf8_lossy(&agreement.currency.code).into_owned();
		let mut sentences = vec![
			format!(
				"A {} contract (template version {}): {} provides, {} is the client.",
				kind_name(&agreement.template.kind).to_lowercase(),
				agreement.template.version,
				name(agreement.provider),
				name(agreement.client)
			),
			format!("It covers {} and reads meters {}.", sites.join(", "), meters.join(", ")),
			format!(
				"From {} to {}: {} settlement periods of {} days; each settles {} days after it \
				 ends at the earliest, and the debtor pays within {} days. Amounts are in {currency}.",
				day_text(schedule.first_day),
				day_text(end),
				schedule.periods,
				schedule.period_days,
				agreement.data_grace_days,
				agreement.payment_days
			),
		];
		sentences.extend(terms_in_words(&agreement.terms, &agreement.currency));
		Review { sentences }
	}
}

#[cfg(test)]
mod tests;
