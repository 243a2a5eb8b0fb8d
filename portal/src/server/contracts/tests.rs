use smartblocks_client::contracts::{DailyBaseline, PaymentStatus, PerformanceEvidence};

use super::*;
use crate::server::sample;

const EUR: Currency = Currency { code: *b"EUR", decimals: 2 };

fn baseline() -> DailyBaseline {
	DailyBaseline {
		intercept: 1_200_000,
		heating_slope: 45_000,
		heating_balance: 155,
		cooling_slope: 0,
		cooling_balance: 220,
		cv_rmse: Permill(84_000),
		nmbe: -1_500,
		r_squared: Permill(912_000),
		observations: 365,
		parameters: 2,
		autocorrelation: Permill(310_000),
		temperature_spread: 0,
	}
}

fn performance_contract(state: ContractState, statements: Vec<Statement>) -> ContractInfo {
	let mut contract =
		sample::performance_contract(3, vec![1], vec![4, 5], 20_000, baseline(), state);
	contract.settled = u16::try_from(statements.len()).unwrap();
	contract.statements = statements;
	contract
}

fn statement(outcome: Outcome) -> Statement {
	Statement {
		first_day: 20_000,
		days: 30,
		evidence: Evidence::EnergyPerformance(PerformanceEvidence {
			days_used: 29,
			days_missing: 1,
			baseline: 40_000_000,
			metered: 35_500_000,
			savings: 4_500_000,
			guaranteed: 4_000_000,
			heating_degree_days: 2_345,
			cooling_degree_days: 0,
			savings_uncertainty: Some(1_234_567),
		}),
		outcome,
		settled_at: 20_031 * 86_400_000,
	}
}

fn campus_with(contract: ContractInfo) -> CampusSnapshot {
	let mut campus = sample::campus(2, 2, 1, 20_000);
	campus.registry.members = vec![
		sample::member(0, "Campus Estates", vec![], &[(1, 500)]),
		sample::member(1, "Helio ESCO", vec![], &[(1, 500)]),
	];
	campus.contracts = vec![contract];
	campus
}

#[test]
fn a_contract_lists_with_parties_sites_and_schedule_by_name() {
	let campus = campus_with(performance_contract(ContractState::Active, vec![]));
	let list = campus.contract_list(NodeStatus::Connecting);
	let row = &list.contracts[0];
	assert_eq!((row.id, row.kind.as_str()), (3, "Energy performance"));
	assert_eq!((row.provider.1.as_str(), row.client.1.as_str()), ("Helio ESCO", "Campus Estates"));
	assert_eq!(row.sites, vec![(1, String::from_utf8_lossy(&campus.sites[1].name).into_owned())]);
	assert_eq!((row.from.as_str(), row.to.as_str()), ("2024-10-04", "2025-09-29"));
	assert_eq!((row.state.as_str(), row.settled, row.periods), ("Active", 0, 12));
}

#[test]
fn the_terms_read_as_sentences_with_units() {
	let page = campus_with(performance_contract(ContractState::Draft, vec![]))
		.contract_page(3, NodeStatus::Connecting)
		.unwrap();
	assert_eq!(
		page.terms[0],
		"Baseline use: 1200.0 kWh a day, plus 45.0 kWh per heating degree-day below 15.5 °C \
		 (fitted on 365 days: CV(RMSE) 8.4%, NMBE -0.15%, R² 0.912, residuals' \
		 autocorrelation 31%)."
	);
	assert_eq!(
		page.terms[1],
		"The provider guarantees savings of 10% of the baseline and pays the client 120.500 \
		 EUR/MWh for any shortfall; the client pays the provider 50% of savings beyond the \
		 guarantee at that price."
	);
	assert_eq!(
		page.terms[3],
		"Each statement states the savings' uncertainty at 90% confidence, as ASHRAE Guideline \
		 14 computes it."
	);
	assert!(page.terms.last().unwrap().contains("less than 80% of its days"));
	assert_eq!(page.contract.state, "Draft: waiting for signatures");
	assert!(campus_with(performance_contract(ContractState::Active, vec![]))
		.contract_page(4, NodeStatus::Connecting)
		.is_none());
}

#[test]
fn a_statement_says_who_owes_whom_and_shows_its_evidence() {
	let obligation = Obligation {
		debtor: 0,
		creditor: 1,
		amount: 54_205,
		due: 20_045 * 86_400_000,
		status: PaymentStatus::Pending,
	};
	let statements = vec![
		statement(Outcome::Settled { obligation: Some(obligation) }),
		statement(Outcome::InsufficientData),
	];
	let page = campus_with(performance_contract(ContractState::Active, statements))
		.contract_page(3, NodeStatus::Connecting)
		.unwrap();
	let settled = &page.statements[0];
	assert_eq!(
		settled.outcome,
		"Campus Estates owes Helio ESCO 542.05 EUR by 2024-11-18 00:00 UTC."
	);
	assert_eq!(settled.payment.as_deref(), Some("Pending"));
	assert!(settled.evidence.contains(&("Savings".into(), "4500.0 kWh".into())));
	assert!(settled.evidence.contains(&("Savings uncertainty".into(), "± 1234.6 kWh".into())));
	assert!(settled.evidence.contains(&("Heating degree-days".into(), "234.5".into())));
	assert!(page.statements[1].outcome.contains("an auditor decides"));
	assert_eq!(page.statements[1].payment, None);
}

#[test]
fn amounts_keep_the_currencys_minor_unit() {
	assert_eq!(amount(5, &EUR), "0.05 EUR");
	assert_eq!(amount(123_400, &Currency { code: *b"JPY", decimals: 0 }), "123400 JPY");
}
