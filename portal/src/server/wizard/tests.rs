use smartblocks_client::{
	chain::runtime_types::bounded_collections::bounded_vec::BoundedVec,
	contracts::{
		AgreementLimits, Bounds, CommonBounds, ContractInfo, ContractState, Currency,
		EnergyPerformanceBounds, Permill, Pricing, RenewableShareBounds, RenewableShareTerms,
		SavingsConfidence, Schedule, SupplyTariffBounds, Template, TemplateBounds, TemplateRef,
		Terms,
	},
	registry::Role,
};

use super::*;
use crate::server::sample;

const TODAY: u32 = 20_000;

fn bounds<T>(min: T, max: T) -> Bounds<T> {
	Bounds { min, max }
}

fn common() -> CommonBounds {
	CommonBounds {
		period_days: bounds(1, 31),
		periods: bounds(1, 120),
		payment_days: bounds(1, 90),
		data_grace_days: bounds(0, 30),
	}
}

fn approved(
	kind: TemplateKind,
	version: u16,
	bounds: TemplateBounds,
	retired: bool,
) -> ApprovedTemplate {
	ApprovedTemplate { kind, version, template: Template { common: common(), bounds, retired } }
}

/// The chain's built-in templates' bounds (pallet_energy_contracts::default_*), the supply
/// tariff's first version retired for a second.
fn templates() -> Vec<ApprovedTemplate> {
	let coverage = bounds(Permill(500_000), Permill(1_000_000));
	let tariff = |cap: u64| {
		TemplateBounds::SupplyTariff(SupplyTariffBounds {
			fixed_price: bounds(0, 1_000_000),
			adder: bounds(-100_000, 200_000),
			cap: bounds(0, cap),
			min_coverage: coverage.clone(),
		})
	};
	vec![
		approved(
			TemplateKind::EnergyPerformance,
			1,
			TemplateBounds::EnergyPerformance(EnergyPerformanceBounds {
				max_cv_rmse: Permill(250_000),
				max_nmbe: Permill(5_000),
				guaranteed_share: bounds(Permill(0), Permill(500_000)),
				provider_share: bounds(Permill(0), Permill(1_000_000)),
				price: bounds(1, 5_000_000),
				min_coverage: coverage.clone(),
			}),
			false,
		),
		approved(
			TemplateKind::RenewableShare,
			1,
			TemplateBounds::RenewableShare(RenewableShareBounds {
				target: bounds(Permill(0), Permill(1_000_000)),
				penalty: bounds(0, 1_000_000),
				bonus: bounds(0, 1_000_000),
				min_coverage: coverage.clone(),
			}),
			false,
		),
		approved(TemplateKind::SupplyTariff, 1, tariff(2_000_000), true),
		approved(TemplateKind::SupplyTariff, 2, tariff(1_000_000), false),
	]
}

/// Two buildings: site 0 of Campus Estates (member 0), site 1 of Helio Energy (member 1), each
/// with grid import, export, generation and a temperature sensor (meters 0–3 and 4–7).
fn campus() -> CampusSnapshot {
	let mut campus = sample::campus(2, 4, 1, TODAY);
	let member = |id: u32, name: &str, roles: Vec<Role>| {
		let mut member = sample::member(id, name, vec![], &[(1, 500)]);
		member.roles = roles;
		member
	};
	campus.registry.members = vec![
		member(0, "Campus Estates", vec![Role::BuildingOwner]),
		member(1, "Helio Energy", vec![Role::Esco, Role::Utility]),
		member(2, "Grid Traders", vec![Role::Trader]),
	];
	campus.templates = templates();
	campus.limits = AgreementLimits { max_sites: 16, max_meters: 64, max_backdate_days: 31 };
	campus
}

/// An indexed supply tariff from Helio Energy to Campus Estates on site 0's grid import.
fn tariff_draft() -> Draft {
	let values = [
		("first_day", "2024-10-04"),
		("currency", "EUR"),
		("decimals", "2"),
		("period_days", "30"),
		("periods", "12"),
		("payment_days", "14"),
		("data_grace_days", "3"),
		("pricing", "indexed"),
		("market", "DE-LU"),
		("fixed_price", "0"),
		("adder", "-2.5"),
		("cap", "250"),
		("min_coverage", "90"),
	];
	Draft {
		template: "SupplyTariff/2".into(),
		provider: Some(1),
		client: Some(0),
		sites: vec![0],
		meters: vec![0],
		values: values.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect(),
	}
}

fn problems(campus: &CampusSnapshot, draft: &Draft, proposer: u32) -> String {
	campus.check_draft(draft, proposer).unwrap_err().to_string()
}

#[test]
fn a_supply_tariff_draft_becomes_the_agreement_the_chain_takes() {
	let (agreement, review) = campus().check_draft(&tariff_draft(), 0).unwrap();
	assert_eq!(agreement.template, TemplateRef { kind: TemplateKind::SupplyTariff, version: 2 });
	assert_eq!((agreement.provider, agreement.client), (1, 0));
	assert_eq!((agreement.sites.0.clone(), agreement.meters.0.clone()), (vec![0], vec![0]));
	assert_eq!(agreement.currency, Currency { code: *b"EUR", decimals: 2 });
	// 2024-10-04 is day 20 000.
	assert_eq!(agreement.schedule, Schedule { first_day: TODAY, period_days: 30, periods: 12 });
	assert_eq!((agreement.payment_days, agreement.data_grace_days), (14, 3));
	let Terms::SupplyTariff(terms) = &agreement.terms else { panic!("{:?}", agreement.terms) };
	assert_eq!(
		terms.pricing,
		Pricing::Indexed { market: BoundedVec(b"DE-LU".to_vec()), adder: -2_500, cap: 250_000 }
	);
	assert_eq!(terms.min_coverage, Permill(900_000));

	let text = review.sentences.join("\n");
	assert!(text.contains("Helio Energy provides, Campus Estates is the client"), "{text}");
	assert!(text.contains("It covers Building 00 and reads meters #0."), "{text}");
	assert!(
		text.contains("From 2024-10-04 to 2025-09-29: 12 settlement periods of 30 days"),
		"{text}"
	);
	assert!(text.contains("at most 250.000 EUR/MWh"), "{text}");
	assert!(text.contains("less than 90%"), "{text}");

	// A fixed price reads its own field and leaves the index's alone.
	let mut fixed = tariff_draft();
	fixed.values.insert("pricing".into(), "fixed".into());
	fixed.values.insert("fixed_price".into(), "95.125".into());
	fixed.values.insert("cap".into(), "not read".into());
	let (agreement, _) = campus().check_draft(&fixed, 1).unwrap();
	let Terms::SupplyTariff(terms) = agreement.terms else { panic!() };
	assert_eq!(terms.pricing, Pricing::Fixed { price: 95_125 });
}

#[test]
fn parameters_outside_the_template_are_named_with_its_bounds() {
	let campus = campus();
	let mut draft = tariff_draft();
	draft.values.insert("cap".into(), "5000".into());
	draft.values.insert("adder".into(), "1.2345".into());
	draft.values.insert("periods".into(), "".into());
	draft.values.insert("min_coverage".into(), "40".into());
	draft.values.insert("market".into(), "DE LU".into());
	let text = problems(&campus, &draft, 0);
	assert!(text.starts_with("The draft cannot be proposed: "), "{text}");
	for problem in [
		"Price cap: 5000 per MWh is outside the template's 0 to 1000 per MWh",
		"Margin on the market price: `1.2345` has more than 3 decimals",
		"Settlement periods: is empty",
		"Days with complete data a period needs: 40 % is outside the template's 50 to 100 %",
		"Market: `DE LU` is not a region code",
	] {
		assert!(text.contains(problem), "{problem} missing from: {text}");
	}

	// The retired version's looser cap is no longer on offer.
	let mut retired = tariff_draft();
	retired.template = "SupplyTariff/1".into();
	assert!(problems(&campus, &retired, 0)
		.contains("a template the council approved and has not retired"));
}

#[test]
fn parties_sites_and_meters_are_checked_as_the_pallet_checks_them() {
	let campus = campus();
	let refused = |change: &dyn Fn(&mut Draft), proposer: u32, expected: &str| {
		let mut draft = tariff_draft();
		change(&mut draft);
		let text = problems(&campus, &draft, proposer);
		assert!(text.contains(expected), "{expected} missing from: {text}");
	};
	refused(&|draft| draft.client = Some(1), 1, "the provider and the client must be different");
	refused(&|draft| draft.provider = None, 0, "choose the provider");
	refused(&|draft| draft.client = Some(9), 1, "the client, member #9, is not an active member");
	// A supply tariff's provider is a utility; a trader is not.
	refused(&|draft| draft.provider = Some(2), 0, "wrong roles for a supply tariff contract");
	refused(&|_| {}, 2, "it must be the provider or the client");
	refused(&|draft| draft.sites = vec![], 0, "choose at least one site and one of its meters");
	refused(&|draft| draft.sites = vec![0, 0], 0, "Building 00 is chosen twice");
	refused(&|draft| draft.meters = vec![4], 0, "meter #4 is not on a chosen site");
	refused(
		&|draft| draft.meters = vec![2],
		0,
		"meter #2 measures Generation, which a supply tariff contract does not read",
	);
	refused(&|draft| draft.meters = (0..65).collect(), 0, "a contract reads at most 64 meters");
	refused(
		&|draft| {
			draft.values.insert("first_day".into(), "2024-09-01".into());
		},
		0,
		"First day: 2024-09-01 is before 2024-09-03, the earliest a contract may start now",
	);
	refused(
		&|draft| {
			draft.values.insert("first_day".into(), "4 October".into());
		},
		0,
		"is not a date",
	);
	refused(
		&|draft| {
			draft.values.insert("currency".into(), "eur".into());
		},
		0,
		"Currency: `eur` is not an ISO 4217 code",
	);
	refused(
		&|draft| {
			draft.values.insert("decimals".into(), "7".into());
		},
		0,
		"Decimals: `7` is not a whole number from 0 to 6",
	);

	// A site of a member that is no party: the sites of the third member.
	let mut third = campus.clone();
	third.sites[1].owner = 2;
	let mut draft = tariff_draft();
	draft.sites = vec![0, 1];
	draft.meters = vec![0, 4];
	assert!(problems(&third, &draft, 0).contains("Building 01 belongs to neither party"));
}

/// What `meter-bridge baseline fit --model daily --json` prints, with `chain_baseline` as given.
fn fit_json(chain_baseline: &str) -> String {
	format!(
		r#"{{"model":"daily","fit":{{"intercept":1200000.4}},"chain_baseline":{chain_baseline},
		"not_for_contracts":null,"insufficient":[]}}"#
	)
}

const CHAIN_BASELINE: &str = r#"{"intercept":1200000,"heating_slope":45000,"heating_balance":155,
	"cooling_slope":0,"cooling_balance":0,"cv_rmse":84000,"nmbe":-1500,"r_squared":912000,
	"observations":365,"parameters":2,"autocorrelation":310000}"#;

fn performance_draft(baseline: &str) -> Draft {
	let mut draft = tariff_draft();
	draft.template = "EnergyPerformance/1".into();
	for (key, value) in [
		("baseline", baseline),
		("guaranteed_share", "10"),
		("provider_share", "50"),
		("price", "120.5"),
		("max_cv_rmse", "15"),
		("max_nmbe", "0.5"),
		("confidence", "90"),
	] {
		draft.values.insert(key.into(), value.into());
	}
	draft
}

#[test]
fn an_energy_performance_draft_takes_the_baseline_the_bridge_fitted() {
	let campus = campus();
	let (agreement, review) =
		campus.check_draft(&performance_draft(&fit_json(CHAIN_BASELINE)), 0).unwrap();
	let Terms::EnergyPerformance(terms) = agreement.terms else { panic!() };
	assert_eq!(terms.baseline.intercept, 1_200_000);
	assert_eq!(terms.baseline.heating_balance, 155);
	assert_eq!(terms.baseline.cv_rmse, Permill(84_000));
	assert_eq!(terms.baseline.observations, 365);
	assert_eq!((terms.guaranteed_share, terms.price), (Permill(100_000), 120_500));
	assert_eq!((terms.max_cv_rmse, terms.max_nmbe), (Permill(150_000), Permill(5_000)));
	// Statements state the savings' uncertainty at the confidence the parties chose, with the
	// residuals' autocorrelation the bridge measured.
	assert_eq!(terms.confidence, Some(SavingsConfidence::Percent90));
	assert_eq!(terms.baseline.autocorrelation, Permill(310_000));
	let text = review.sentences.join("\n");
	assert!(text.contains("Baseline use: 1200.0 kWh a day"), "{text}");
	assert!(text.contains("autocorrelation 31"), "{text}");
	assert!(text.contains("savings' uncertainty at 90% confidence"), "{text}");
	let mut sure = performance_draft(CHAIN_BASELINE);
	sure.values.insert("confidence".into(), "95".into());
	let (agreement, _) = campus.check_draft(&sure, 0).unwrap();
	let Terms::EnergyPerformance(terms) = agreement.terms else { panic!() };
	assert_eq!(terms.confidence, Some(SavingsConfidence::Percent95));
	// The bare chain baseline is taken too.
	assert!(campus.check_draft(&performance_draft(CHAIN_BASELINE), 0).is_ok());

	for (baseline, expected) in [
		("", "Baseline: the baseline is not the JSON of a fit"),
		(
			r#"{"model":"daily","chain_baseline":null,"not_for_contracts":"its intercept is negative"}"#,
			"the fit cannot be a contract's baseline: its intercept is negative",
		),
		(
			r#"{"model":"hourly","fit":{}}"#,
			"the fit is an hourly model; contracts take the daily one",
		),
		(r#"{"intercept":5}"#, "the baseline is incomplete"),
		(
			&CHAIN_BASELINE.replace(r#""observations":365"#, r#""observations":2"#),
			"the baseline was fitted on too few days for its parameters",
		),
		(
			&CHAIN_BASELINE.replace(r#""cv_rmse":84000"#, r#""cv_rmse":184000"#),
			"Baseline: its CV(RMSE) 18.4 % or |NMBE| 0.15 % is above the limits agreed",
		),
		(
			&CHAIN_BASELINE.replace(r#""autocorrelation":310000"#, r#""autocorrelation":1000000"#),
			"the baseline's residuals are so autocorrelated",
		),
		// A fit from before the bridge measured the autocorrelation is fitted again.
		(&CHAIN_BASELINE.replace(r#","autocorrelation":310000"#, ""), "the baseline is incomplete"),
	] {
		let text = problems(&campus, &performance_draft(baseline), 0);
		assert!(text.contains(expected), "{expected} missing from: {text}");
	}
	let mut odd = performance_draft(CHAIN_BASELINE);
	odd.values.insert("confidence".into(), "85".into());
	let text = problems(&campus, &odd, 0);
	assert!(text.contains("at 68, 80, 90 or 95 %"), "{text}");
	// The limits agreed may be tighter than the template's, never looser.
	let mut loose = performance_draft(CHAIN_BASELINE);
	loose.values.insert("max_cv_rmse".into(), "30".into());
	assert!(problems(&campus, &loose, 0)
		.contains("Baseline CV(RMSE) at most: 30 % is outside the template's 0 to 25 %"));
}

#[test]
fn a_renewable_share_reads_generation() {
	let campus = campus();
	let mut draft = tariff_draft();
	draft.template = "RenewableShare/1".into();
	for (key, value) in [("target", "30"), ("penalty", "40"), ("bonus", "10")] {
		draft.values.insert(key.into(), value.into());
	}
	let text = problems(&campus, &draft, 0);
	assert!(text.contains("reads at least one generation meter"), "{text}");
	draft.meters = vec![0, 1, 2];
	let (agreement, _) = campus.check_draft(&draft, 0).unwrap();
	assert_eq!(
		agreement.terms,
		Terms::RenewableShare(RenewableShareTerms {
			target: Permill(300_000),
			penalty: 40_000,
			bonus: 10_000,
			min_coverage: Permill(900_000),
		})
	);
}

#[test]
fn the_wizard_offers_templates_in_use_with_their_bounds_and_the_parties_sites() {
	let mut campus = campus();
	campus.sites[0].meters[1].status = MeterStatus::Retired;
	let options =
		campus.wizard_options(Some((0, "Campus Estates".into())), NodeStatus::Live { block: 1000 });
	let keys: Vec<_> = options.templates.iter().map(|template| template.key.as_str()).collect();
	assert_eq!(keys, ["EnergyPerformance/1", "RenewableShare/1", "SupplyTariff/2"]);
	let tariff = &options.templates[2];
	assert_eq!(tariff.name, "Supply tariff");
	assert_eq!(tariff.meter_kinds, ["GridImport", "SubMeter", "Heat"]);
	let field = |key: &str| tariff.fields.iter().find(|field| field.key == key).unwrap();
	assert_eq!(field("cap").allowed, "0 to 1000 per MWh");
	assert_eq!(field("cap").when, Some(("pricing".into(), "indexed".into())));
	assert_eq!(field("adder").allowed, "-100 to 200 per MWh");
	assert_eq!(field("min_coverage").allowed, "50 to 100 %");
	assert_eq!(field("min_coverage").default, "90");
	assert_eq!(field("first_day").default, "2024-10-04");
	assert_eq!(field("first_day").allowed, "from 2024-09-03");
	assert!(matches!(field("pricing").input, Input::Choice(_)));
	assert_eq!(options.members.len(), 3);
	assert_eq!(options.sites[0].meters.iter().map(|meter| meter.id).collect::<Vec<_>>(), [0, 2, 3]);
	assert_eq!((options.max_sites, options.max_meters), (16, 64));
}

fn draft_contract(
	provider_signed: bool,
	client_signed: bool,
	state: ContractState,
) -> ContractInfo {
	let (agreement, _) = campus().check_draft(&tariff_draft(), 0).unwrap();
	ContractInfo {
		id: 7,
		template: agreement.template,
		provider: 1,
		client: 0,
		proposer: 1,
		sites: agreement.sites.0,
		meters: agreement.meters.0,
		currency: agreement.currency,
		schedule: agreement.schedule,
		payment_days: agreement.payment_days,
		data_grace_days: agreement.data_grace_days,
		terms: agreement.terms,
		provider_signed,
		client_signed,
		state,
		settled: 0,
		termination_requested: None,
		statements: vec![],
	}
}

#[test]
fn only_a_party_that_has_not_signed_signs_a_draft() {
	let mut campus = campus();
	campus.contracts = vec![draft_contract(true, false, ContractState::Draft)];
	assert_eq!(campus.signature_refusal(7, 0), None);
	assert_eq!(campus.signature_refusal(7, 1).unwrap(), "Helio Energy has signed it already.");
	assert_eq!(
		campus.signature_refusal(7, 2).unwrap(),
		"You act for Grid Traders, which is not a party to it."
	);
	assert_eq!(campus.signature_refusal(8, 0).unwrap(), "There is no contract #8.");
	campus.contracts = vec![draft_contract(true, true, ContractState::Active)];
	assert_eq!(campus.signature_refusal(7, 0).unwrap(), "Contract #7 is no longer a draft.");
}
