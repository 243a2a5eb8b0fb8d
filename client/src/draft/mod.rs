//! Contract drafts: a template the council approved, the parties, their sites and meters, and
//! the template's parameters as people write them (percent, currency per MWh, kWh a day, ISO
//! dates), checked as the energy contracts pallet checks a proposal — template bounds, party
//! roles, the sites' owners and the meters' kinds — and turned into the agreement to propose.
//! BlockPortal's wizard and the `smartblocks` command line both draft through here, so a draft
//! means the same wherever it is written, and every problem is named before anything is signed.

mod parameters;
mod parties;
mod rules;
mod terms;

use std::{collections::BTreeMap, fmt};

use serde::{Deserialize, Serialize};

pub use parameters::{common_specs, parse_scaled, scaled_text, term_specs, Spec, Unit};
pub use rules::{
	kind_name, model_problem, parse_baseline, parties_in_words, readable_kinds, roles_fit,
};

use crate::{
	chain::runtime_types::bounded_collections::bounded_vec::BoundedVec,
	contracts::{
		Agreement, AgreementLimits, ApprovedTemplate, Currency, Schedule, TemplateKind, TemplateRef,
	},
	meters::SiteInfo,
	registry::Member,
};
use parameters::{fit_u16, Reader};

/// Most decimals a contract currency may have (the pallet's `MAX_DECIMALS`).
pub const MAX_DECIMALS: u8 = 6;

const DAY_SECONDS: i64 = 86_400;

/// A contract as people write it: the wizard's form, the JSON its API takes, and the file
/// `smartblocks contract propose` reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
	/// [`template_key`], e.g. `SupplyTariff/1`.
	pub template: String,
	/// The provider's member number.
	pub provider: Option<u32>,
	/// The client's member number.
	pub client: Option<u32>,
	pub sites: Vec<u32>,
	pub meters: Vec<u32>,
	/// Every parameter's value by key, as text in its unit ([`Spec`], plus `first_day`,
	/// `currency`, `decimals`, and `baseline`, `pricing` and `market` where the template has
	/// them).
	pub values: BTreeMap<String, String>,
}

/// Why a draft cannot be proposed: every problem found, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftError(pub Vec<String>);

impl fmt::Display for DraftError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "The draft cannot be proposed: {}.", self.0.join("; "))
	}
}

impl std::error::Error for DraftError {}

/// What a draft is checked against: the chain as it stands.
#[derive(Clone, Copy, Debug)]
pub struct DraftContext<'a> {
	/// Every template version the council approved.
	pub templates: &'a [ApprovedTemplate],
	pub members: &'a [Member],
	pub sites: &'a [SiteInfo],
	pub limits: AgreementLimits,
	/// The current UTC day (days since 1970-01-01).
	pub today: u32,
	/// Settlement periods in a day.
	pub periods_per_day: u32,
}

/// A template's key in drafts, e.g. `SupplyTariff/1`.
pub fn template_key(kind: &TemplateKind, version: u16) -> String {
	format!("{kind:?}/{version}")
}

/// A day index as an ISO date.
pub fn day_text(day: u32) -> String {
	let date =
		chrono::DateTime::from_timestamp(i64::from(day) * DAY_SECONDS, 0).unwrap_or_default();
	date.format("%Y-%m-%d").to_string()
}

/// A day index from an ISO date.
pub fn parse_day(text: &str) -> Result<u32, String> {
	let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
		.map_err(|_| format!("`{}` is not a date (YYYY-MM-DD)", text.trim()))?;
	let days = date.signed_duration_since(chrono::NaiveDate::default()).num_days();
	u32::try_from(days).map_err(|_| format!("{date} is before 1970"))
}

impl DraftContext<'_> {
	/// Templates in use, newest version of each kind first.
	pub fn templates_in_use(&self) -> Vec<&ApprovedTemplate> {
		let mut templates: Vec<_> =
			self.templates.iter().filter(|approved| !approved.template.retired).collect();
		templates.sort_by_key(|approved| {
			(approved.kind.clone() as u8, std::cmp::Reverse(approved.version))
		});
		templates
	}

	/// The first day a contract may start today.
	pub fn earliest_day(&self) -> u32 {
		self.today.saturating_sub(self.limits.max_backdate_days)
	}

	/// `draft` as the agreement member `proposer` would propose; or every problem the pallet
	/// would refuse it for.
	pub fn check(&self, draft: &Draft, proposer: u32) -> Result<Agreement, DraftError> {
		let approved = self
			.templates_in_use()
			.into_iter()
			.find(|approved| template_key(&approved.kind, approved.version) == draft.template)
			.ok_or_else(|| {
				DraftError(
					vec!["choose a template the council approved and has not retired".into()],
				)
			})?;
		let kind = &approved.kind;
		let mut reader = Reader { values: &draft.values, problems: Vec::new() };
		let (provider, client) = self.check_parties(kind, draft, proposer, &mut reader);

		let common = reader.specs(&common_specs(&approved.template.common), "");
		let earliest = self.earliest_day();
		let first_day = match parse_day(reader.text("first_day")) {
			Ok(day) if day < earliest => {
				reader.problem(format!(
					"First day: {} is before {}, the earliest a contract may start now",
					day_text(day),
					day_text(earliest)
				));
				None
			}
			Ok(day) => Some(day),
			Err(problem) => {
				reader.problem(format!("First day: {problem}"));
				None
			}
		};
		let currency = read_currency(&mut reader);
		let pricing = reader.text("pricing").to_string();
		let periods_per_day = i128::from(self.periods_per_day);
		let specs = term_specs(&approved.template.bounds, periods_per_day);
		let values = reader.specs(&specs, &pricing);
		let terms =
			terms::read_terms(&approved.template.bounds, &values, &mut reader, periods_per_day);
		let (sites, meters) = self.check_coverage(kind, draft, provider, client, &mut reader);

		let [period_days, periods, payment, grace] =
			["period_days", "periods", "payment_days", "data_grace_days"]
				.map(|key| common.get(key).copied());
		let (
			Some(first_day),
			Some(currency),
			Some(terms),
			Some(period_days),
			Some(periods),
			Some(payment),
			Some(grace),
			Some(provider),
			Some(client),
			true,
		) = (
			first_day,
			currency,
			terms,
			period_days,
			periods,
			payment,
			grace,
			provider,
			client,
			reader.problems.is_empty(),
		)
		else {
			return Err(DraftError(reader.problems));
		};
		let schedule =
			Schedule { first_day, period_days: fit_u16(period_days), periods: fit_u16(periods) };
		Ok(Agreement {
			template: TemplateRef { kind: kind.clone(), version: approved.version },
			provider,
			client,
			sites: BoundedVec(sites),
			meters: BoundedVec(meters),
			currency,
			schedule,
			payment_days: fit_u16(payment),
			data_grace_days: fit_u16(grace),
			terms,
		})
	}
}

fn read_currency(reader: &mut Reader) -> Option<Currency> {
	let code = reader.text("currency").to_string();
	let code: Option<[u8; 3]> = code
		.as_bytes()
		.try_into()
		.ok()
		.filter(|code: &[u8; 3]| code.iter().all(u8::is_ascii_uppercase));
	let decimals =
		reader.text("decimals").parse::<u8>().ok().filter(|decimals| *decimals <= MAX_DECIMALS);
	if code.is_none() {
		reader.problem(format!(
			"Currency: `{}` is not an ISO 4217 code such as EUR",
			reader.text("currency")
		));
	}
	if decimals.is_none() {
		reader.problem(format!(
			"Decimals: `{}` is not a whole number from 0 to {MAX_DECIMALS}",
			reader.text("decimals")
		));
	}
	Some(Currency { code: code?, decimals: decimals? })
}
