//! Contracts through settlement on the fuzzer's chain, by hand: what the random runs reach only
//! now and then, with every invariant checked after every block all the same. Meters are read
//! hourly through a day, a contract over them settles that day, and the obligation is exactly
//! the day's energy at the contract's price, between its two parties: a supply tariff (Bob's
//! import, Charlie's tariff), a peer trade (Charlie's export sold to Bob, once the council made
//! Charlie a building owner too), an energy performance contract (Alice's savings on Bob's
//! office against its model at the day's temperature, which the oracle's three providers report),
//! demand response (Charlie pays Bob for the use below the model in an event it called) and a
//! renewable share (Bob pays Alice a bonus for the solar power used beyond the target).

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codec::Encode;
use frame_support::{dispatch::GetDispatchInfo, BoundedVec};
use pallet_energy_contracts::{
	Agreement, Call as ContractsCall, Currency, DailyBaseline, DailyWindow, DemandResponseTerms,
	EnergyPerformanceTerms, EventBaseline, Obligation, PaymentStatus, PeerTradeTerms, Pricing,
	RenewableShareTerms, SavingsConfidence, Schedule, SupplyTariffTerms, TemplateRef, Terms,
};
use pallet_energy_oracle::{Call as OracleCall, Feed, FeedKind, Submission};
use pallet_meters::{
	signing_payload, Call as MetersCall, Location, MeterKind, MeterSpec, Reading, SignedReading,
	SiteDetails, UseType,
};
use pallet_registry::{Call as RegistryCall, Role, RoleSet};
use smartblocks_fuzz::Chain;
use smartblocks_runtime::{
	configs::governance::CouncilCollective, Runtime, RuntimeCall, RuntimeEvent, System,
};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	transaction_validity::InvalidTransaction,
	Permill,
};

const HOUR_MS: u64 = 3_600_000;
/// Slots in an hour (6 s blocks).
const HOUR_SLOTS: u64 = 600;
/// The price of both contracts: 100 EUR per MWh, in thousandths.
const PRICE: u64 = 100_000;

/// `call` signed by `who`, which must succeed in the open block, or in the next if this one is
/// full (a session's rotation fills the block it happens in).
fn must(chain: &mut Chain, who: Sr25519Keyring, call: RuntimeCall) {
	let send = |chain: &mut Chain| {
		let extrinsic = chain.signed(who, call.clone());
		chain.submit(extrinsic).unwrap()
	};
	let mut applied = send(chain);
	if applied == Err(InvalidTransaction::ExhaustsResources.into()) {
		chain.next_block(1).unwrap();
		applied = send(chain);
	}
	assert!(matches!(applied, Ok(Ok(()))), "{call:?}: {applied:?}");
}

/// The open block's events of the energy contracts pallet.
fn contract_events(chain: &mut Chain) -> Vec<pallet_energy_contracts::Event<Runtime>> {
	chain.execute_with(|| {
		System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::EnergyContracts(event) => Some(event),
				_ => None,
			})
			.collect()
	})
}

/// The chain's day.
fn today(chain: &mut Chain) -> u32 {
	chain.execute_with(|| {
		pallet_meters::Pallet::<Runtime>::day_of(pallet_timestamp::Now::<Runtime>::get())
	})
}

/// A site of `owner`'s in Munich; its number.
fn site(chain: &mut Chain, owner: Sr25519Keyring) -> u32 {
	let site = chain.execute_with(pallet_meters::NextSiteId::<Runtime>::get);
	let details = SiteDetails {
		name: BoundedVec::truncate_from(b"Munich office".to_vec()),
		location: Location {
			latitude: 48_137_000,
			longitude: 11_575_000,
			region: BoundedVec::truncate_from(b"DE-BY".to_vec()),
		},
		floor_area: 2_400,
		use_type: UseType::Office,
		time_zone: BoundedVec::truncate_from(b"Europe/Berlin".to_vec()),
	};
	must(chain, owner, RuntimeCall::Meters(MetersCall::register_site { details }));
	site
}

/// A meter, its owner, device key and hourly advance.
struct Device {
	meter: u32,
	owner: Sr25519Keyring,
	key: sr25519::Pair,
	/// Wh the register advances each hour.
	hourly: u64,
}

/// A meter of `kind` on `owner`'s `site` that advances `hourly` Wh each hour.
fn device(
	chain: &mut Chain,
	owner: Sr25519Keyring,
	site: u32,
	kind: MeterKind,
	hourly: u64,
) -> Device {
	let meter = chain.execute_with(pallet_meters::NextMeterId::<Runtime>::get);
	let key = sr25519::Pair::from_string(&format!("//fuzz/settlement/{meter}"), None).unwrap();
	let spec = MeterSpec { kind, multiplier: 1, max_power: 100_000, device_key: key.public() };
	must(chain, owner, RuntimeCall::Meters(MetersCall::register_meter { site, spec }));
	Device { meter, owner, key, hourly }
}

/// Each device's reading on the hour from today's midnight through `days` days, each hour's in
/// a block an hour after the last, relayed by the meter's owner (a meter's free batches with no
/// account are a few a day); then a block more.
fn read_hourly(chain: &mut Chain, devices: &[Device], days: u64) {
	let day_start = u64::from(today(chain)) * pallet_meters::DAY_MS;
	let genesis = chain.genesis_hash();
	for hour in 0..=24 * days {
		if hour > 0 {
			chain.next_block(HOUR_SLOTS).unwrap();
		}
		for device in devices {
			let reading = Reading {
				meter: device.meter,
				sequence: hour + 1,
				timestamp: day_start + hour * HOUR_MS,
				register: hour * device.hourly,
				demand: None,
				temperature: None,
			};
			let signature = device.key.sign(&signing_payload(&genesis, &reading));
			let batch = vec![SignedReading { reading, signature }];
			let call = RuntimeCall::Meters(MetersCall::submit_readings { readings: batch });
			must(chain, device.owner, call);
		}
	}
	chain.next_block(1).unwrap();
}

/// `contract`'s next period settled by `who`: its obligation.
fn settle_next_period(chain: &mut Chain, who: Sr25519Keyring, contract: u32) -> Option<Obligation> {
	let settle = ContractsCall::settle_period { contract };
	must(chain, who, RuntimeCall::EnergyContracts(settle));
	// The block's last statement of the contract: an earlier call may have settled one too.
	let mut settled = contract_events(chain).into_iter().filter_map(|event| match event {
		pallet_energy_contracts::Event::PeriodSettled { contract: c, obligation, .. }
			if c == contract =>
		{
			Some(obligation)
		}
		_ => None,
	});
	settled.next_back().expect("the period settled")
}

/// `obligation` must be pending, `debtor`'s to `creditor` of `amount` minor units.
fn owed(obligation: Option<Obligation>, debtor: u32, creditor: u32, amount: u128) {
	let expected = (debtor, creditor, amount, PaymentStatus::Pending);
	let settled = obligation.as_ref().map(|o| (o.debtor, o.creditor, o.amount, o.status));
	assert_eq!(settled, Some(expected), "the period settled as {obligation:?}");
}

/// `day`'s every quarter hour at 5.0 °C in Munich's region, from the oracle's three providers
/// (`local_testnet`'s quorum).
fn five_degrees_all_day(chain: &mut Chain, day: u32) {
	let periods = pallet_meters::Pallet::<Runtime>::periods_per_day();
	let feed = Feed {
		kind: FeedKind::OutdoorTemperature,
		region: BoundedVec::truncate_from(b"DE-BY".to_vec()),
	};
	let first = u64::from(day) * periods;
	let values: Vec<Submission> = (first..first + periods)
		.map(|period| Submission { feed: feed.clone(), period: period as u32, value: 50 })
		.collect();
	for provider in [Alice, Charlie, Dave] {
		let values = BoundedVec::truncate_from(values.clone());
		must(chain, provider, RuntimeCall::Oracle(OracleCall::submit_values { values }));
	}
	chain.next_block(1).unwrap();
}

/// A building's daily model: 10 kWh a day and 1 kWh per kelvin-day below 15 °C (20 kWh at
/// 5 °C), fitted well enough for ASHRAE Guideline 14.
fn office_model() -> DailyBaseline {
	DailyBaseline {
		intercept: 10_000,
		heating_slope: 1_000,
		heating_balance: 150,
		cooling_slope: 0,
		cooling_balance: 250,
		cv_rmse: Permill::from_percent(10),
		nmbe: 0,
		r_squared: Permill::from_percent(90),
		observations: 365,
		parameters: 2,
		autocorrelation: Permill::zero(),
		temperature_spread: 0,
	}
}

/// A contract of `terms` from member `provider` to member `client` over `sites` and `meters`
/// for two days from today, proposed by `proposer` and signed by `signer`.
fn agree(
	chain: &mut Chain,
	(proposer, signer): (Sr25519Keyring, Sr25519Keyring),
	(provider, client): (u32, u32),
	sites: Vec<u32>,
	meters: Vec<u32>,
	terms: Terms,
) -> u32 {
	let contract = chain.execute_with(pallet_energy_contracts::NextContractId::<Runtime>::get);
	let agreement = Agreement {
		template: TemplateRef { kind: terms.kind(), version: 1 },
		provider,
		client,
		sites: BoundedVec::truncate_from(sites),
		meters: BoundedVec::truncate_from(meters),
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule { first_day: today(chain), period_days: 1, periods: 2 },
		payment_days: 1,
		data_grace_days: 1,
		terms,
	};
	let propose = ContractsCall::propose_contract { agreement };
	must(chain, proposer, RuntimeCall::EnergyContracts(propose));
	let sign = ContractsCall::sign_contract { contract };
	must(chain, signer, RuntimeCall::EnergyContracts(sign));
	contract
}

/// The council's majority (three of four) grants `member` `role`: Alice proposes, she, Bob and
/// Charlie vote aye (a proposer's vote is not implied), Dave closes.
fn council_grants(chain: &mut Chain, member: u32, role: Role) {
	type CollectiveCall = pallet_collective::Call<Runtime, CouncilCollective>;
	let proposal =
		RuntimeCall::Registry(RegistryCall::grant_roles { member, roles: RoleSet::of(&[role]) });
	let length_bound = proposal.encoded_size() as u32;
	let proposal_weight_bound = proposal.get_dispatch_info().call_weight;
	let proposal_hash = BlakeTwo256::hash_of(&proposal);
	let index =
		chain.execute_with(pallet_collective::ProposalCount::<Runtime, CouncilCollective>::get);
	let propose =
		CollectiveCall::propose { threshold: 3, proposal: Box::new(proposal), length_bound };
	must(chain, Alice, RuntimeCall::Council(propose));
	for voter in [Alice, Bob, Charlie] {
		let vote = CollectiveCall::vote { proposal: proposal_hash, index, approve: true };
		must(chain, voter, RuntimeCall::Council(vote));
	}
	let close = CollectiveCall::close { proposal_hash, index, proposal_weight_bound, length_bound };
	must(chain, Dave, RuntimeCall::Council(close));
}

#[test]
fn a_supply_tariff_settles_a_day_of_hourly_readings_with_every_invariant() {
	let mut chain = Chain::new();
	let office = site(&mut chain, Bob);
	let import = device(&mut chain, Bob, office, MeterKind::GridImport, 1_000);
	let terms = Terms::SupplyTariff(SupplyTariffTerms {
		pricing: Pricing::Fixed { price: PRICE },
		min_coverage: Permill::from_percent(50),
	});
	let contract =
		agree(&mut chain, (Charlie, Bob), (2, 1), vec![office], vec![import.meter], terms);
	read_hourly(&mut chain, &[import], 1);

	let obligation = settle_next_period(&mut chain, Bob, contract);
	// 24 kWh at 100 EUR/MWh: 2.40 EUR, Bob's to Charlie.
	owed(obligation, 1, 2, 240);
	let confirm = ContractsCall::confirm_payment { contract, period: 0 };
	must(&mut chain, Charlie, RuntimeCall::EnergyContracts(confirm));
	assert!(contract_events(&mut chain)
		.iter()
		.any(|event| matches!(event, pallet_energy_contracts::Event::PaymentHonoured { .. })));
	// The invariants once more, over the settled statement.
	chain.next_block(1).unwrap();
}

#[test]
fn a_peer_trade_settles_the_export_matched_to_the_import_with_every_invariant() {
	let mut chain = Chain::new();
	// Charlie trades; to own the exporting building he must own buildings too.
	council_grants(&mut chain, 2, Role::BuildingOwner);
	let office = site(&mut chain, Bob);
	let import = device(&mut chain, Bob, office, MeterKind::GridImport, 1_000);
	let solar_roof = site(&mut chain, Charlie);
	let export = device(&mut chain, Charlie, solar_roof, MeterKind::GridExport, 400);
	let terms = Terms::PeerTrade(PeerTradeTerms {
		window: DailyWindow { first_period: 0, periods: 96 },
		quantity: 100_000,
		price: PRICE,
		min_coverage: Permill::from_percent(50),
	});
	let (sites, meters) = (vec![office, solar_roof], vec![import.meter, export.meter]);
	let contract = agree(&mut chain, (Charlie, Bob), (2, 1), sites, meters, terms);
	read_hourly(&mut chain, &[import, export], 1);

	let obligation = settle_next_period(&mut chain, Charlie, contract);
	// Each quarter hour 100 Wh exported and 250 Wh imported: 9.6 kWh matched over the day, at
	// 100 EUR/MWh 0.96 EUR, the buyer's (Bob's) to the seller (Charlie).
	owed(obligation, 1, 2, 96);
	chain.next_block(1).unwrap();
}

#[test]
fn an_energy_performance_contract_settles_the_savings_at_the_days_temperature() {
	let mut chain = Chain::new();
	let office = site(&mut chain, Bob);
	let import = device(&mut chain, Bob, office, MeterKind::GridImport, 500);
	let terms = Terms::EnergyPerformance(EnergyPerformanceTerms {
		baseline: office_model(),
		max_cv_rmse: Permill::from_percent(20),
		max_nmbe: Permill::from_parts(5_000),
		guaranteed_share: Permill::from_percent(20),
		provider_share: Permill::from_percent(50),
		price: PRICE,
		min_coverage: Permill::from_percent(50),
		confidence: Some(SavingsConfidence::Percent68),
	});
	let day = today(&mut chain);
	let contract = agree(&mut chain, (Alice, Bob), (0, 1), vec![office], vec![import.meter], terms);
	read_hourly(&mut chain, &[import], 1);
	five_degrees_all_day(&mut chain, day);

	let obligation = settle_next_period(&mut chain, Bob, contract);
	// The baseline at 5 °C: 10 + 10 = 20 kWh; metered 12 kWh; savings 8 kWh, of which 4 kWh
	// (20 % of the baseline) guaranteed and half the other 4 kWh the ESCO's: 2 kWh at
	// 100 EUR/MWh, 0.20 EUR, Bob's to Alice.
	owed(obligation, 1, 0, 20);
	chain.next_block(1).unwrap();
}

#[test]
fn demand_response_pays_for_the_use_below_the_model_in_the_called_window() {
	let mut chain = Chain::new();
	let office = site(&mut chain, Bob);
	let import = device(&mut chain, Bob, office, MeterKind::GridImport, 500);
	let terms = Terms::DemandResponse(DemandResponseTerms {
		baseline: EventBaseline::Model(office_model()),
		// 1 000 EUR per MWh of reduction.
		reward: 1_000_000,
		min_coverage: Permill::from_percent(50),
	});
	let today = today(&mut chain);
	let contract =
		agree(&mut chain, (Charlie, Bob), (2, 1), vec![office], vec![import.meter], terms);
	// Tomorrow 16:00 to 19:00.
	let window = DailyWindow { first_period: 64, periods: 12 };
	let call = ContractsCall::call_event { contract, day: today + 1, window };
	must(&mut chain, Charlie, RuntimeCall::EnergyContracts(call));
	read_hourly(&mut chain, &[import], 2);
	five_degrees_all_day(&mut chain, today + 1);

	// Today had no event: nothing owed.
	assert_eq!(settle_next_period(&mut chain, Bob, contract), None);
	let obligation = settle_next_period(&mut chain, Bob, contract);
	// The model at 5 °C: 20 kWh a day, 2.5 kWh in the window's 3 hours; metered 1.5 kWh: 1 kWh
	// less, at 1 000 EUR/MWh 1.00 EUR, Charlie's to Bob.
	owed(obligation, 2, 1, 100);
	chain.next_block(1).unwrap();
}

#[test]
fn a_renewable_share_pays_a_bonus_for_the_generation_used_beyond_the_target() {
	let mut chain = Chain::new();
	let office = site(&mut chain, Bob);
	let import = device(&mut chain, Bob, office, MeterKind::GridImport, 1_000);
	let solar = device(&mut chain, Bob, office, MeterKind::Generation, 500);
	let export = device(&mut chain, Bob, office, MeterKind::GridExport, 100);
	let terms = Terms::RenewableShare(RenewableShareTerms {
		target: Permill::from_percent(25),
		penalty: PRICE,
		bonus: PRICE,
		min_coverage: Permill::from_percent(50),
	});
	let meters = vec![import.meter, solar.meter, export.meter];
	let contract = agree(&mut chain, (Alice, Bob), (0, 1), vec![office], meters, terms);
	read_hourly(&mut chain, &[import, solar, export], 1);

	let obligation = settle_next_period(&mut chain, Bob, contract);
	// Solar used on site 12 − 2.4 = 9.6 kWh; the site's use 24 + 9.6 = 33.6 kWh, of which the
	// target is a quarter, 8.4 kWh: 1.2 kWh beyond it, at 100 EUR/MWh 0.12 EUR, Bob's to Alice.
	owed(obligation, 1, 0, 12);
	chain.next_block(1).unwrap();
}
