//! The contract wizard's server half: what each approved template lets a draft set, and a draft
//! checked as the energy contracts pallet checks a proposal — template bounds, party roles, the
//! sites' owners and the meters' kinds — so that what reaches a wallet is a contract the chain
//! takes, and every problem is named on the page first.

use std::{collections::BTreeMap, fmt};

use smartblocks_client::{
	chain::runtime_types::bounded_collections::bounded_vec::BoundedVec,
	contracts::{
		Agreement, ApprovedTemplate, Bounds, ChainBaseline, CommonBounds, Currency, DailyBaseline,
		DailyWindow, DemandResponseTerms, EnergyPerformanceTerms, EventBaseline, PeerTradeTerms,
		Permill, Pricing, RenewableShareTerms, SavingsConfidence, Schedule, SupplyTariffTerms,
		TemplateBounds, TemplateKind, TemplateRef, Terms,
	},
	meters::{MeterKind, MeterStatus},
	registry::{MemberStatus, Role},
};

use super::{
	campus::{day_text, Campus},
	contracts::{kind_name, terms_in_words},
};
use crate::{
	status::NodeStatus,
	wizard::{
		Draft, Field, Input, MeterChoice, PartyChoice, Review, SiteChoice, TemplateChoice,
		WizardOptions,
	},
};

/// Most decimals a contract currency may have (the pallet's `MAX_DECIMALS`).
const MAX_DECIMALS: u8 = 6;
/// What a draft's coverage field starts with, within the template's bounds.
const USUAL_COVERAGE: i128 = 900_000;

/// Why a draft cannot be proposed: every problem found, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftError(pub Vec<String>);

impl fmt::Display for DraftError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "The draft cannot be proposed: {}.", self.0.join("; "))
	}
}

/// How a parameter's text becomes the chain's integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
	/// Percent typed, millionths on chain.
	Percent,
	/// Currency per MWh typed, thousandths on chain.
	Price,
	Days,
	Count,
	/// kWh a day typed, Wh on chain.
	KwhPerDay,
}

impl Unit {
	fn decimals(self) -> u32 {
		match self {
			Unit::Percent => 4,
			Unit::Price | Unit::KwhPerDay => 3,
			Unit::Days | Unit::Count => 0,
		}
	}

	fn suffix(self) -> &'static str {
		match self {
			Unit::Percent => " %",
			Unit::Price => " per MWh",
			Unit::Days => " days",
			Unit::Count => "",
			Unit::KwhPerDay => " kWh a day",
		}
	}
}

/// A parameter a template bounds, in the chain's units.
struct Spec {
	key: &'static str,
	label: &'static str,
	unit: Unit,
	min: i128,
	max: i128,
	default: i128,
	/// A supply tariff's price applies to one kind of pricing.
	when: Option<&'static str>,
}

impl Spec {
	fn new(key: &'static str, label: &'static str, unit: Unit, min: i128, max: i128) -> Self {
		Spec { key, label, unit, min, max, default: min, when: None }
	}

	fn starting(self, default: i128) -> Self {
		Spec { default: default.clamp(self.min, self.max), ..self }
	}

	fn with_pricing(self, pricing: &'static str) -> Self {
		Spec { when: Some(pricing), ..self }
	}

	fn allowed(&self) -> String {
		let decimals = self.unit.decimals();
		format!(
			"{} to {}{}",
			scaled_text(self.min, decimals),
			scaled_text(self.max, decimals),
			self.unit.suffix()
		)
	}

	fn field(&self) -> Field {
		Field {
			key: self.key.into(),
			label: self.label.into(),
			input: Input::Number,
			allowed: self.allowed(),
			default: scaled_text(self.default, self.unit.decimals()),
			when: self.when.map(|pricing| ("pricing".into(), pricing.into())),
		}
	}
}

fn permill(bounds: &Bounds<Permill>) -> (i128, i128) {
	(i128::from(bounds.min.0), i128::from(bounds.max.0))
}

fn range<T: Copy + Into<i128>>(bounds: &Bounds<T>) -> (i128, i128) {
	(bounds.min.into(), bounds.max.into())
}

fn spec(key: &'static str, label: &'static str, unit: Unit, (min, max): (i128, i128)) -> Spec {
	Spec::new(key, label, unit, min, max)
}

fn common_specs(common: &CommonBounds) -> Vec<Spec> {
	vec![
		spec("period_days", "Days in a settlement period", Unit::Days, range(&common.period_days))
			.starting(30),
		spec("periods", "Settlement periods", Unit::Count, range(&common.periods)).starting(12),
		spec("payment_days", "Days to pay a statement", Unit::Days, range(&common.payment_days))
			.starting(30),
		spec(
			"data_grace_days",
			"Days settlement waits for late data",
			Unit::Days,
			range(&common.data_grace_days),
		)
		.starting(3),
	]
}

fn coverage(bounds: &Bounds<Permill>) -> Spec {
	spec("min_coverage", "Days with complete data a period needs", Unit::Percent, permill(bounds))
		.starting(USUAL_COVERAGE)
}

/// The parameters of `bounds`' terms, in the chain's units.
fn term_specs(bounds: &TemplateBounds, periods_per_day: i128) -> Vec<Spec> {
	match bounds {
		TemplateBounds::EnergyPerformance(b) => vec![
			spec(
				"guaranteed_share",
				"Guaranteed saving",
				Unit::Percent,
				permill(&b.guaranteed_share),
			),
			spec(
				"provider_share",
				"Provider's share of savings beyond it",
				Unit::Percent,
				permill(&b.provider_share),
			),
			spec("price", "Savings valued at", Unit::Price, range(&b.price)),
			spec(
				"max_cv_rmse",
				"Baseline CV(RMSE) at most",
				Unit::Percent,
				(0, b.max_cv_rmse.0.into()),
			)
			.starting(b.max_cv_rmse.0.into()),
			spec("max_nmbe", "Baseline |NMBE| at most", Unit::Percent, (0, b.max_nmbe.0.into()))
				.starting(b.max_nmbe.0.into()),
			coverage(&b.min_coverage),
			spec(
				"confidence",
				"Confidence of the savings uncertainty statements state (68, 80, 90 or 95)",
				Unit::Percent,
				(680_000, 950_000),
			)
			.starting(900_000),
		],
		TemplateBounds::RenewableShare(b) => vec![
			spec("target", "Renewable share target", Unit::Percent, permill(&b.target)),
			spec("penalty", "Provider pays short of the target", Unit::Price, range(&b.penalty)),
			spec("bonus", "Client pays beyond the target", Unit::Price, range(&b.bonus)),
			coverage(&b.min_coverage),
		],
		TemplateBounds::SupplyTariff(b) => vec![
			spec("fixed_price", "Fixed price", Unit::Price, range(&b.fixed_price))
				.with_pricing("fixed"),
			spec("adder", "Margin on the market price", Unit::Price, range(&b.adder))
				.starting(0)
				.with_pricing("indexed"),
			spec("cap", "Price cap", Unit::Price, range(&b.cap)).with_pricing("indexed"),
			coverage(&b.min_coverage),
		],
		TemplateBounds::PeerTrade(b) => vec![
			spec(
				"first_period",
				"Daily window's first settlement period (UTC, from 0)",
				Unit::Count,
				(0, periods_per_day - 1),
			),
			spec(
				"window_periods",
				"Settlement periods in the window",
				Unit::Count,
				(1, periods_per_day),
			)
			.starting(periods_per_day),
			spec("quantity", "Energy traded a day at most", Unit::KwhPerDay, range(&b.quantity)),
			spec("price", "Price", Unit::Price, range(&b.price)),
			coverage(&b.min_coverage),
		],
		TemplateBounds::DemandResponse(b) => vec![
			spec("reward", "Reward for reduced use", Unit::Price, range(&b.reward)),
			spec(
				"baseline_days",
				"Previous days the baseline averages",
				Unit::Days,
				range(&b.baseline_days),
			)
			.starting(5),
			coverage(&b.min_coverage),
		],
	}
}

/// The meter kinds contracts of `kind` read.
fn readable_kinds(kind: &TemplateKind) -> &'static [MeterKind] {
	match kind {
		TemplateKind::EnergyPerformance
		| TemplateKind::SupplyTariff
		| TemplateKind::DemandResponse => &[MeterKind::GridImport, MeterKind::SubMeter, MeterKind::Heat],
		TemplateKind::RenewableShare => {
			&[MeterKind::GridImport, MeterKind::GridExport, MeterKind::Generation]
		}
		TemplateKind::PeerTrade => {
			&[MeterKind::GridImport, MeterKind::GridExport, MeterKind::Generation]
		}
	}
}

/// Whether a provider and a client with these roles may agree a contract of `kind`.
fn roles_fit(kind: &TemplateKind, provider: &[Role], client: &[Role]) -> bool {
	let owner = client.contains(&Role::BuildingOwner);
	match kind {
		TemplateKind::EnergyPerformance => provider.contains(&Role::Esco) && owner,
		TemplateKind::RenewableShare => {
			(provider.contains(&Role::Esco) || provider.contains(&Role::Utility)) && owner
		}
		TemplateKind::SupplyTariff | TemplateKind::DemandResponse => {
			provider.contains(&Role::Utility) && owner
		}
		TemplateKind::PeerTrade => {
			provider.contains(&Role::Trader) && (owner || client.contains(&Role::Trader))
		}
	}
}

fn parties_in_words(kind: &TemplateKind) -> &'static str {
	match kind {
		TemplateKind::EnergyPerformance => "An ESCO provides; a building owner is the client.",
		TemplateKind::RenewableShare => {
			"An ESCO or a utility provides; a building owner is the client."
		}
		TemplateKind::SupplyTariff | TemplateKind::DemandResponse => {
			"A utility provides; a building owner is the client."
		}
		TemplateKind::PeerTrade => "A trader sells; a building owner or another trader buys.",
	}
}

/// A template's key in drafts, e.g. `SupplyTariff/1`.
fn template_key(kind: &TemplateKind, version: u16) -> String {
	format!("{kind:?}/{version}")
}

/// `value` with `decimals` implied decimals as text, trailing zeros dropped.
fn scaled_text(value: i128, decimals: u32) -> String {
	let unit = 10i128.pow(decimals);
	let sign = if value < 0 { "-" } else { "" };
	let (whole, fraction) = (value.abs() / unit, value.abs() % unit);
	if fraction == 0 {
		return format!("{sign}{whole}");
	}
	let fraction = format!("{fraction:0width$}", width = decimals as usize);
	format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
}

/// Decimal text as an integer with `decimals` implied decimals, exactly.
fn parse_scaled(text: &str, decimals: u32) -> Result<i128, String> {
	let text = text.trim();
	let (negative, digits) = match text.strip_prefix('-') {
		Some(rest) => (true, rest),
		None => (false, text.strip_prefix('+').unwrap_or(text)),
	};
	let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
	let is_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
	if whole.is_empty() && fraction.is_empty() || !is_digits(whole) || !is_digits(fraction) {
		return Err(if text.is_empty() {
			"is empty".into()
		} else {
			format!("`{text}` is not a number")
		});
	}
	if fraction.len() > decimals as usize {
		return Err(match decimals {
			0 => format!("`{text}` is not a whole number"),
			_ => format!("`{text}` has more than {decimals} decimals"),
		});
	}
	let too_large = || format!("`{text}` is too large");
	let mut value: i128 = 0;
	for byte in whole.bytes().chain(fraction.bytes()) {
		value = value
			.checked_mul(10)
			.and_then(|value| value.checked_add(i128::from(byte - b'0')))
			.ok_or_else(too_large)?;
	}
	value =
		value.checked_mul(10i128.pow(decimals - fraction.len() as u32)).ok_or_else(too_large)?;
	Ok(if negative { -value } else { value })
}

/// A day index from an ISO date.
fn parse_day(text: &str) -> Result<u32, String> {
	let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
		.map_err(|_| format!("`{}` is not a date (YYYY-MM-DD)", text.trim()))?;
	let days = date.signed_duration_since(chrono::NaiveDate::default()).num_days();
	u32::try_from(days).map_err(|_| format!("{date} is before 1970"))
}

/// Problems found so far, and the values read.
struct Reader<'a> {
	values: &'a BTreeMap<String, String>,
	problems: Vec<String>,
}

impl Reader<'_> {
	fn text(&self, key: &str) -> &str {
		self.values.get(key).map_or("", |text| text.trim())
	}

	/// The value of `spec` in the chain's units, if it is a number within its bounds.
	fn number(&mut self, spec: &Spec) -> Option<i128> {
		let decimals = spec.unit.decimals();
		match parse_scaled(self.text(spec.key), decimals) {
			Ok(value) if (spec.min..=spec.max).contains(&value) => Some(value),
			Ok(value) => {
				self.problems.push(format!(
					"{}: {}{} is outside the template's {}",
					spec.label,
					scaled_text(value, decimals),
					spec.unit.suffix(),
					spec.allowed()
				));
				None
			}
			Err(problem) => {
				self.problems.push(format!("{}: {problem}", spec.label));
				None
			}
		}
	}

	fn problem(&mut self, problem: impl Into<String>) {
		self.problems.push(problem.into());
	}
}

/// The values of specs by key; a spec whose value is wrong is left out.
fn read_specs(reader: &mut Reader, specs: &[Spec], pricing: &str) -> BTreeMap<&'static str, i128> {
	specs
		.iter()
		.filter(|spec| spec.when.is_none_or(|when| when == pricing))
		.filter_map(|spec| Some((spec.key, reader.number(spec)?)))
		.collect()
}

fn fit_permill(value: i128) -> Permill {
	Permill(u32::try_from(value).unwrap_or(u32::MAX))
}

fn fit_u64(value: i128) -> u64 {
	u64::try_from(value).unwrap_or(u64::MAX)
}

fn fit_u16(value: i128) -> u16 {
	u16::try_from(value).unwrap_or(u16::MAX)
}

/// A baseline from the JSON of `meter-bridge baseline fit --model daily --json`, or from its
/// `chain_baseline` object alone.
fn parse_baseline(text: &str) -> Result<DailyBaseline, String> {
	let value: serde_json::Value = serde_json::from_str(text.trim())
		.map_err(|error| format!("the baseline is not the JSON of a fit ({error})"))?;
	let baseline = match value.get("model").and_then(|model| model.as_str()) {
		Some("daily") => match value.get("chain_baseline") {
			Some(serde_json::Value::Null) | None => {
				let why = value.get("not_for_contracts").and_then(|why| why.as_str());
				return Err(format!(
					"the fit cannot be a contract's baseline: {}",
					why.unwrap_or("it has no chain baseline")
				));
			}
			Some(baseline) => baseline.clone(),
		},
		Some(other) => {
			return Err(format!("the fit is an {other} model; contracts take the daily one"))
		}
		None => value,
	};
	let baseline: ChainBaseline = serde_json::from_value(baseline)
		.map_err(|error| format!("the baseline is incomplete ({error})"))?;
	Ok(baseline.into())
}

/// `n (1 − ρ) / (1 + ρ) > p`: the baseline's days that are independent given its residuals'
/// autocorrelation are more than its parameters (the pallet's `check_model`).
fn independent_days_exceed_parameters(baseline: &DailyBaseline) -> bool {
	let rho = u64::from(baseline.autocorrelation.0);
	u64::from(baseline.observations) * 1_000_000u64.saturating_sub(rho)
		> u64::from(baseline.parameters) * (1_000_000 + rho)
}

/// Whether settlement can use `baseline` (the pallet's `check_model`).
fn model_problem(baseline: &DailyBaseline) -> Option<String> {
	let both_slopes = baseline.heating_slope > 0 && baseline.cooling_slope > 0;
	if baseline.intercept < 0 {
		Some("the baseline's intercept is negative".into())
	} else if baseline.parameters < 1 || baseline.observations <= u16::from(baseline.parameters) {
		Some("the baseline was fitted on too few days for its parameters".into())
	} else if both_slopes && baseline.heating_balance > baseline.cooling_balance {
		Some("the baseline's heating balance point is above its cooling one".into())
	} else if !independent_days_exceed_parameters(baseline) {
		Some(
			"the baseline's residuals are so autocorrelated that its independent days are no \
			 more than its parameters"
				.into(),
		)
	} else {
		None
	}
}

impl Campus {
	/// Templates in use, newest version of each kind first.
	fn templates_in_use(&self) -> Vec<&ApprovedTemplate> {
		let mut templates: Vec<_> =
			self.templates.iter().filter(|approved| !approved.template.retired).collect();
		templates.sort_by_key(|approved| {
			(approved.kind.clone() as u8, std::cmp::Reverse(approved.version))
		});
		templates
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
		let earliest = self.today().saturating_sub(self.limits.max_backdate_days);
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
				&format!("0 to {MAX_DECIMALS}"),
				"2".into(),
			),
		];
		fields.extend(common_specs(&approved.template.common).iter().map(Spec::field));
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
				.map(Spec::field),
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

		let common = read_specs(&mut reader, &common_specs(&approved.template.common), "");
		let earliest = self.today().saturating_sub(self.limits.max_backdate_days);
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
		let currency = self.read_currency(&mut reader);
		let pricing = reader.text("pricing").to_string();
		let specs = term_specs(&approved.template.bounds, i128::from(self.periods_per_day()));
		let values = read_specs(&mut reader, &specs, &pricing);
		let terms = self.read_terms(&approved.template.bounds, &values, &mut reader);
		let (sites, meters) = self.check_coverage(kind, draft, provider, client, &mut reader);

		let (Some(first_day), Some(currency), Some(terms), [period_days, periods, payment, grace]) = (
			first_day,
			currency,
			terms,
			["period_days", "periods", "payment_days", "data_grace_days"]
				.map(|key| common.get(key).copied()),
		) else {
			return Err(DraftError(reader.problems));
		};
		let (
			Some(period_days),
			Some(periods),
			Some(payment),
			Some(grace),
			Some(provider),
			Some(client),
			true,
		) = (period_days, periods, payment, grace, provider, client, reader.problems.is_empty())
		else {
			return Err(DraftError(reader.problems));
		};
		let schedule =
			Schedule { first_day, period_days: fit_u16(period_days), periods: fit_u16(periods) };
		let agreement = Agreement {
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
		};
		let review = self.review(&agreement);
		Ok((agreement, review))
	}

	fn check_parties(
		&self,
		kind: &TemplateKind,
		draft: &Draft,
		proposer: u32,
		reader: &mut Reader,
	) -> (Option<u32>, Option<u32>) {
		let member = |id: Option<u32>, role: &str, reader: &mut Reader| {
			let Some(id) = id else {
				reader.problem(format!("choose the {role}"));
				return None;
			};
			match self.registry.members.iter().find(|member| member.id == id) {
				Some(member) if matches!(member.status, MemberStatus::Active) => Some(member),
				_ => {
					reader.problem(format!("the {role}, member #{id}, is not an active member"));
					None
				}
			}
		};
		let provider = member(draft.provider, "provider", reader);
		let client = member(draft.client, "client", reader);
		let (Some(provider), Some(client)) = (provider, client) else {
			return (provider.map(|member| member.id), client.map(|member| member.id));
		};
		if provider.id == client.id {
			reader.problem("the provider and the client must be different members");
		} else if !roles_fit(kind, &provider.roles, &client.roles) {
			reader.problem(format!(
				"wrong roles for a {} contract: {}",
				kind_name(kind).to_lowercase(),
				parties_in_words(kind)
			));
		}
		if proposer != provider.id && proposer != client.id {
			reader.problem("you propose for your member, so it must be the provider or the client");
		}
		(Some(provider.id), Some(client.id))
	}

	fn read_currency(&self, reader: &mut Reader) -> Option<Currency> {
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

	fn read_terms(
		&self,
		bounds: &TemplateBounds,
		values: &BTreeMap<&'static str, i128>,
		reader: &mut Reader,
	) -> Option<Terms> {
		let share = |key: &str| values.get(key).copied().map(fit_permill);
		let amount = |key: &str| values.get(key).copied().map(fit_u64);
		let coverage = share("min_coverage");
		match bounds {
			TemplateBounds::EnergyPerformance(_) => {
				let baseline = match parse_baseline(reader.text("baseline")) {
					Ok(baseline) => model_problem(&baseline).map_or(Some(baseline), |problem| {
						reader.problem(format!("Baseline: {problem}"));
						None
					}),
					Err(problem) => {
						reader.problem(format!("Baseline: {problem}"));
						None
					}
				};
				let terms = EnergyPerformanceTerms {
					baseline: baseline?,
					max_cv_rmse: share("max_cv_rmse")?,
					max_nmbe: share("max_nmbe")?,
					guaranteed_share: share("guaranteed_share")?,
					provider_share: share("provider_share")?,
					price: amount("price")?,
					min_coverage: coverage?,
					confidence: Some(match values.get("confidence").copied()? {
						680_000 => SavingsConfidence::Percent68,
						800_000 => SavingsConfidence::Percent80,
						900_000 => SavingsConfidence::Percent90,
						950_000 => SavingsConfidence::Percent95,
						_ => {
							reader.problem(
								"Confidence: Guideline 14 states savings uncertainty at 68, 80, 90 \
								 or 95 %"
									.to_string(),
							);
							return None;
						}
					}),
				};
				let fits = terms.baseline.cv_rmse.0 <= terms.max_cv_rmse.0
					&& terms.baseline.nmbe.unsigned_abs() <= terms.max_nmbe.0;
				if !fits {
					reader.problem(format!(
						"Baseline: its CV(RMSE) {} % or |NMBE| {} % is above the limits agreed",
						scaled_text(terms.baseline.cv_rmse.0.into(), 4),
						scaled_text(terms.baseline.nmbe.unsigned_abs().into(), 4)
					));
				}
				Some(Terms::EnergyPerformance(terms))
			}
			TemplateBounds::RenewableShare(_) => Some(Terms::RenewableShare(RenewableShareTerms {
				target: share("target")?,
				penalty: amount("penalty")?,
				bonus: amount("bonus")?,
				min_coverage: coverage?,
			})),
			TemplateBounds::SupplyTariff(_) => {
				let pricing = match reader.text("pricing") {
					"fixed" => Pricing::Fixed { price: amount("fixed_price")? },
					"indexed" => {
						let market = reader.text("market").to_string();
						let region = market.as_bytes();
						let valid = region.len() <= 16
							&& !region.is_empty() && region
							.iter()
							.all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_');
						if !valid {
							reader.problem(format!(
								"Market: `{market}` is not a region code such as DE-LU"
							));
							return None;
						}
						Pricing::Indexed {
							market: BoundedVec(region.to_vec()),
							adder: i64::try_from(*values.get("adder")?).ok()?,
							cap: amount("cap")?,
						}
					}
					other => {
						reader.problem(format!("Pricing: `{other}` is neither fixed nor indexed"));
						return None;
					}
				};
				Some(Terms::SupplyTariff(SupplyTariffTerms { pricing, min_coverage: coverage? }))
			}
			TemplateBounds::PeerTrade(_) => {
				let first = values.get("first_period").copied();
				let periods = values.get("window_periods").copied();
				let (first, periods) = (first?, periods?);
				if first + periods > i128::from(self.periods_per_day()) {
					reader.problem(format!(
						"the daily window ends after the day's last settlement period ({})",
						i128::from(self.periods_per_day()) - 1
					));
					return None;
				}
				Some(Terms::PeerTrade(PeerTradeTerms {
					window: DailyWindow { first_period: fit_u16(first), periods: fit_u16(periods) },
					quantity: amount("quantity")?,
					price: amount("price")?,
					min_coverage: coverage?,
				}))
			}
			TemplateBounds::DemandResponse(_) => Some(Terms::DemandResponse(DemandResponseTerms {
				baseline: EventBaseline::PreviousDays {
					days: u8::try_from(*values.get("baseline_days")?).ok()?,
				},
				reward: amount("reward")?,
				min_coverage: coverage?,
			})),
		}
	}

	/// The sites and meters of `draft` if the pallet takes them (its `check_coverage`).
	fn check_coverage(
		&self,
		kind: &TemplateKind,
		draft: &Draft,
		provider: Option<u32>,
		client: Option<u32>,
		reader: &mut Reader,
	) -> (Vec<u32>, Vec<u32>) {
		let limits = self.limits;
		if draft.sites.is_empty() || draft.meters.is_empty() {
			reader.problem("choose at least one site and one of its meters");
		}
		if draft.sites.len() > limits.max_sites as usize {
			reader.problem(format!("a contract covers at most {} sites", limits.max_sites));
		}
		if draft.meters.len() > limits.max_meters as usize {
			reader.problem(format!("a contract reads at most {} meters", limits.max_meters));
		}
		let one_region = matches!(kind, TemplateKind::EnergyPerformance);
		let mut region = None;
		let mut chosen = Vec::new();
		for (index, id) in draft.sites.iter().enumerate() {
			let Some(site) = self.sites.iter().find(|site| site.id == *id) else {
				reader.problem(format!("there is no site #{id}"));
				continue;
			};
			let name = String::from_utf8_lossy(&site.name).into_owned();
			if draft.sites[..index].contains(id) {
				reader.problem(format!("{name} is chosen twice"));
			}
			if Some(site.owner) != provider && Some(site.owner) != client {
				reader.problem(format!("{name} belongs to neither party"));
			}
			let first_region = region.get_or_insert_with(|| site.region.clone());
			if one_region && *first_region != site.region {
				reader.problem("an energy performance contract's sites share one weather region");
			}
			chosen.push(site);
		}
		let readable = readable_kinds(kind);
		let (mut generation, mut sold, mut bought) = (false, false, false);
		for (index, id) in draft.meters.iter().enumerate() {
			let Some((site, meter)) = chosen
				.iter()
				.find_map(|site| Some((*site, site.meters.iter().find(|meter| meter.id == *id)?)))
			else {
				reader.problem(format!("meter #{id} is not on a chosen site"));
				continue;
			};
			if draft.meters[..index].contains(id) {
				reader.problem(format!("meter #{id} is chosen twice"));
			}
			if matches!(meter.status, MeterStatus::Retired) {
				reader.problem(format!("meter #{id} is retired"));
			}
			if !readable.contains(&meter.kind) {
				reader.problem(format!(
					"meter #{id} measures {:?}, which a {} contract does not read",
					meter.kind,
					kind_name(kind).to_lowercase()
				));
			}
			generation |= meter.kind == MeterKind::Generation;
			let exporting = matches!(meter.kind, MeterKind::GridExport | MeterKind::Generation);
			sold |= exporting && Some(site.owner) == provider;
			bought |= meter.kind == MeterKind::GridImport && Some(site.owner) == client;
		}
		match kind {
			TemplateKind::RenewableShare if !generation => {
				reader.problem("a renewable share contract reads at least one generation meter")
			}
			TemplateKind::PeerTrade if !(sold && bought) => reader.problem(
				"a peer trade reads the seller's export or generation and the buyer's grid import",
			),
			_ => {}
		}
		(draft.sites.clone(), draft.meters.clone())
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
		let end = schedule
			.first_day
			.saturating_add(u32::from(schedule.periods) * u32::from(schedule.period_days));
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
