//! An energy performance contract on a real `--dev` node: the council admits Bob's campus
//! company, Bob registers a building and its meter, the meter's signed readings cover yesterday,
//! Alice (ESCO and the oracle provider) submits yesterday's temperatures, both parties sign a
//! one-day contract over yesterday, and settling it gives the statement worked out by hand.

use crate::common::{
	meters::{device, grid_meter, now_ms},
	within, Node, FINALITY, STARTUP,
};
use smartblocks_client::{
	contracts::{
		Agreement, ContractState, Currency, DailyBaseline, EnergyPerformanceTerms, Evidence,
		Obligation, Outcome, PaymentStatus, PerformanceEvidence, Permill, SavingsConfidence,
		Schedule, TemplateKind, TemplateRef, Terms,
	},
	meters::{sign_reading, NewSite, Reading, UseType, DAY_MS},
	oracle::{feed, FeedKind, Submission},
	registry::{role_set, Proposal, RegistryCall, Role, RuntimeCall},
	subxt::{
		rpcs::rpc_params,
		utils::{AccountId32, H256},
	},
	subxt_signer::sr25519::dev,
	Client,
};
use std::time::Duration;

const PERIOD_MS: u64 = 900_000;

async fn member_id(client: &Client, account: AccountId32) -> u32 {
	client.member_of(account).await.unwrap().expect("a member").id
}

#[tokio::test(flavor = "multi_thread")]
async fn an_energy_performance_contract_settles_a_day_to_the_expected_statement() {
	// The chain's clock trails the wall clock by a block: keep clear of midnight.
	let into_day = now_ms() % DAY_MS;
	if into_day < 120_000 {
		tokio::time::sleep(Duration::from_millis(120_000 - into_day)).await;
	}
	let mut node = Node::start("contracts", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let (alice, bob) = (dev::alice(), dev::bob());

	// The council (Alice alone on the dev chain) admits Bob's company as a building owner.
	let roles = [Role::BuildingOwner];
	within(
		"Bob's application",
		FINALITY,
		client.apply(&bob, "Bob Campus Estates", &roles, H256::repeat_byte(2)),
	)
	.await
	.unwrap();
	let admit = RegistryCall::admit {
		applicant: bob.public_key().to_account_id(),
		roles: role_set(&roles),
	};
	let proposal =
		client.propose_to_council(&alice, 1, RuntimeCall::Registry(admit)).await.unwrap();
	assert!(matches!(proposal, Proposal::Executed));
	let esco = member_id(&client, alice.public_key().to_account_id()).await;
	let owner = member_id(&client, bob.public_key().to_account_id()).await;

	// Bob's building with a grid import meter.
	let building = NewSite {
		name: "Library",
		latitude: 52.52,
		longitude: 13.405,
		region: "DE-BE",
		floor_area: 6_000,
		use_type: UseType::Education,
		time_zone: "Europe/Berlin",
	};
	let device = device("//library/main-meter");
	let (site, meter) = grid_meter(&client, &bob, &building, &device).await;

	// Yesterday, every 15 minutes from midnight to midnight: 15 kWh a quarter hour, 1 440 kWh in
	// all. The reading at today's midnight closes yesterday.
	let today = now_ms() / DAY_MS;
	let yesterday = today - 1;
	let genesis = client.genesis_hash();
	let readings: Vec<_> = (0..=96u64)
		.map(|step| {
			let reading = Reading {
				meter,
				sequence: step + 1,
				timestamp: yesterday * DAY_MS + step * PERIOD_MS,
				register: step * 15_000,
				demand: None,
				temperature: None,
			};
			sign_reading(&device, genesis, reading)
		})
		.collect();
	// A block judges at most the chain's 32 readings of one meter: a batch a block.
	let mut accepted = 0;
	for batch in readings.chunks(32) {
		let outcome = within("readings", FINALITY, client.submit_readings(&bob, batch.to_vec()))
			.await
			.unwrap();
		assert!(outcome.refused.is_empty(), "refused: {:?}", outcome.refused);
		accepted += outcome.accepted_count();
	}
	assert_eq!(accepted, 97);
	let days = client.days(meter, yesterday as u32, 1).await.unwrap().unwrap();
	let day = days.days[0].as_ref().expect("yesterday closed");
	assert_eq!((day.energy, day.complete_periods), (1_440_000, 96));

	// Alice provides yesterday's outdoor temperature: 8.0 °C all day.
	let temperature = feed(FeedKind::OutdoorTemperature, "DE-BE");
	let first_period = (yesterday * DAY_MS / PERIOD_MS) as u32;
	let values = (0..96)
		.map(|i| Submission { feed: temperature.clone(), period: first_period + i, value: 80 })
		.collect();
	within("temperatures", FINALITY, client.submit_oracle_values(&alice, values)).await.unwrap();

	// A one-day guaranteed savings contract over yesterday: 1 000 kWh a day plus 120 kWh per
	// heating degree-day below 15.0 °C; 10 % guaranteed, half the excess to the ESCO, 150 EUR/MWh.
	let terms = EnergyPerformanceTerms {
		baseline: DailyBaseline {
			intercept: 1_000_000,
			heating_slope: 120_000,
			heating_balance: 150,
			cooling_slope: 0,
			cooling_balance: 240,
			cv_rmse: Permill(120_000),
			nmbe: 1_000,
			r_squared: Permill(910_000),
			observations: 365,
			parameters: 2,
			autocorrelation: Permill(0),
			temperature_spread: 0,
		},
		// ASHRAE Guideline 14 for under a year of reporting: 20 % and 0.5 %.
		max_cv_rmse: Permill(200_000),
		max_nmbe: Permill(5_000),
		guaranteed_share: Permill(100_000),
		provider_share: Permill(500_000),
		price: 150_000,
		min_coverage: Permill(1_000_000),
		confidence: Some(SavingsConfidence::Percent90),
	};
	let bounded = |ids: Vec<u32>| {
		smartblocks_client::chain::runtime_types::bounded_collections::bounded_vec::BoundedVec(ids)
	};
	let agreement = Agreement {
		template: TemplateRef { kind: TemplateKind::EnergyPerformance, version: 1 },
		provider: esco,
		client: owner,
		sites: bounded(vec![site]),
		meters: bounded(vec![meter]),
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule { first_day: yesterday as u32, period_days: 1, periods: 1 },
		payment_days: 14,
		data_grace_days: 0,
		terms: Terms::EnergyPerformance(terms),
	};
	let contract =
		within("proposal", FINALITY, client.propose_contract(&alice, agreement)).await.unwrap();
	assert!(within("Bob's signature", FINALITY, client.sign_contract(&bob, contract))
		.await
		.unwrap());

	// Worked by hand: 8.0 °C is 7 heating degree-days below 15.0 °C, so the baseline predicts
	// 1 000 000 + 120 000 × 7 = 1 840 000 Wh. Metered 1 440 000 Wh: savings 400 000 Wh against
	// 184 000 Wh guaranteed. Excess 216 000 Wh: Bob owes Alice 50 % × 0.216 MWh × 150 EUR/MWh =
	// 16.20 EUR. Savings uncertainty at 90 % (ASHRAE Guideline 14, independent residuals): 1.26 ×
	// t(363) 1.650 × 0.12 × √((1 + 2 / 365) / 1) × 1 840 000 Wh = 460 299.1, rounded up.
	let settlement =
		within("settlement", FINALITY, client.settle_period(&bob, contract)).await.unwrap();
	assert!(!settlement.needs_ruling);
	let obligation: Obligation = settlement.obligation.expect("an obligation");
	assert_eq!((obligation.debtor, obligation.creditor, obligation.amount), (owner, esco, 1_620));
	assert_eq!(obligation.status, PaymentStatus::Pending);

	let info = client.contract(contract).await.unwrap().unwrap();
	assert_eq!(info.state, ContractState::Completed);
	let statement = &info.statements[0];
	let Evidence::EnergyPerformance(evidence) = &statement.evidence else {
		panic!("not an energy performance statement: {:?}", statement.evidence)
	};
	assert_eq!(
		*evidence,
		PerformanceEvidence {
			days_used: 1,
			days_missing: 0,
			baseline: 1_840_000,
			metered: 1_440_000,
			savings: 400_000,
			guaranteed: 184_000,
			heating_degree_days: 70,
			cooling_degree_days: 0,
			savings_uncertainty: Some(460_300),
		}
	);
	assert_eq!(statement.outcome, Outcome::Settled { obligation: Some(obligation.clone()) });
	assert_eq!(client.contracts_of(owner).await.unwrap(), vec![contract]);

	// The same statement over the node's RPC, as JSON for other systems.
	let json: serde_json::Value =
		client.rpc().request("contracts_contract", rpc_params![contract]).await.unwrap();
	assert_eq!(json["statements"][0]["outcome"]["Settled"]["obligation"]["amount"], 1_620);
	assert_eq!(
		json["statements"][0]["evidence"]["EnergyPerformance"]["savings_uncertainty"],
		460_300
	);

	// Bob owes Alice's ESCO; Alice confirms receiving the payment.
	within("payment", FINALITY, client.confirm_payment(&alice, contract, 0)).await.unwrap();
	let info = client.contract(contract).await.unwrap().unwrap();
	let Outcome::Settled { obligation: Some(paid) } = &info.statements[0].outcome else {
		panic!("no obligation")
	};
	assert_eq!(paid.status, PaymentStatus::Honoured);

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}
