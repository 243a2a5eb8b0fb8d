//! A contract through settlement on the fuzzer's chain, by hand: what the random runs reach only
//! now and then, with every invariant checked after every block all the same. Bob's meter is
//! read hourly through a day, Charlie's supply tariff over it settles that day, the obligation is
//! Bob's to Charlie for exactly the day's energy at the tariff, and Charlie confirms the payment.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use frame_support::BoundedVec;
use pallet_energy_contracts::{
	Agreement, Call as ContractsCall, Currency, Obligation, PaymentStatus, Pricing, Schedule,
	SupplyTariffTerms, TemplateKind, TemplateRef, Terms,
};
use pallet_meters::{
	signing_payload, Call as MetersCall, Location, MeterKind, MeterSpec, Reading, SignedReading,
	SiteDetails, UseType,
};
use smartblocks_fuzz::Chain;
use smartblocks_runtime::{Runtime, RuntimeCall, RuntimeEvent, System};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring::{Bob, Charlie};
use sp_runtime::{transaction_validity::InvalidTransaction, Permill};

const HOUR_MS: u64 = 3_600_000;
/// Slots in an hour (6 s blocks).
const HOUR_SLOTS: u64 = 600;
/// What each hour's reading adds to the register (Wh, multiplier 1).
const HOURLY_WH: u64 = 1_000;
/// The tariff: 100 EUR per MWh, in thousandths.
const PRICE: u64 = 100_000;

/// `call` signed by `who`, which must succeed in the open block, or in the next if this one is
/// full (a session's rotation fills the block it happens in).
fn must(chain: &mut Chain, who: sp_keyring::Sr25519Keyring, call: RuntimeCall) {
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

#[test]
fn a_supply_tariff_settles_a_day_of_hourly_readings_with_every_invariant() {
	let mut chain = Chain::new();
	let today = chain.execute_with(|| {
		pallet_meters::Pallet::<Runtime>::day_of(pallet_timestamp::Now::<Runtime>::get())
	});
	let day_start = u64::from(today) * pallet_meters::DAY_MS;
	let device = sr25519::Pair::from_string("//fuzz/settlement", None).unwrap();

	let details = SiteDetails {
		name: BoundedVec::truncate_from(b"Bob's office".to_vec()),
		location: Location {
			latitude: 48_137_000,
			longitude: 11_575_000,
			region: BoundedVec::truncate_from(b"DE-BY".to_vec()),
		},
		floor_area: 2_400,
		use_type: UseType::Office,
		time_zone: BoundedVec::truncate_from(b"Europe/Berlin".to_vec()),
	};
	must(&mut chain, Bob, RuntimeCall::Meters(MetersCall::register_site { details }));
	let spec = MeterSpec {
		kind: MeterKind::GridImport,
		multiplier: 1,
		max_power: 100_000,
		device_key: device.public(),
	};
	must(&mut chain, Bob, RuntimeCall::Meters(MetersCall::register_meter { site: 0, spec }));

	let agreement = Agreement {
		template: TemplateRef { kind: TemplateKind::SupplyTariff, version: 1 },
		provider: 2,
		client: 1,
		sites: BoundedVec::truncate_from(vec![0]),
		meters: BoundedVec::truncate_from(vec![0]),
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule { first_day: today, period_days: 1, periods: 2 },
		payment_days: 1,
		data_grace_days: 1,
		terms: Terms::SupplyTariff(SupplyTariffTerms {
			pricing: Pricing::Fixed { price: PRICE },
			min_coverage: Permill::from_percent(50),
		}),
	};
	let propose = ContractsCall::propose_contract { agreement };
	must(&mut chain, Charlie, RuntimeCall::EnergyContracts(propose));
	let sign = ContractsCall::sign_contract { contract: 0 };
	must(&mut chain, Bob, RuntimeCall::EnergyContracts(sign));

	// A reading on the hour, from midnight to the next midnight, each in a block an hour on.
	let genesis = chain.genesis_hash();
	for hour in 0..=24u64 {
		if hour > 0 {
			chain.next_block(HOUR_SLOTS).unwrap();
		}
		let reading = Reading {
			meter: 0,
			sequence: hour + 1,
			timestamp: day_start + hour * HOUR_MS,
			register: hour * HOURLY_WH,
			demand: None,
			temperature: None,
		};
		let signature = device.sign(&signing_payload(&genesis, &reading));
		let batch = vec![SignedReading { reading, signature }];
		let call = RuntimeCall::Meters(MetersCall::submit_readings { readings: batch });
		// Relayed by Bob: a meter's free batches with no account are a few a day.
		must(&mut chain, Bob, call);
	}
	chain.next_block(1).unwrap();

	let settle = ContractsCall::settle_period { contract: 0 };
	must(&mut chain, Bob, RuntimeCall::EnergyContracts(settle));
	let obligation = contract_events(&mut chain).into_iter().find_map(|event| match event {
		pallet_energy_contracts::Event::PeriodSettled { contract: 0, period: 0, obligation } => {
			obligation
		}
		_ => None,
	});
	// 24 kWh at 100 EUR/MWh: 2.40 EUR, Bob's to Charlie.
	let Some(Obligation {
		debtor: 1,
		creditor: 2,
		amount: 240,
		status: PaymentStatus::Pending,
		..
	}) = obligation
	else {
		panic!("the day settled as {obligation:?}");
	};
	let confirm = ContractsCall::confirm_payment { contract: 0, period: 0 };
	must(&mut chain, Charlie, RuntimeCall::EnergyContracts(confirm));
	assert!(contract_events(&mut chain)
		.iter()
		.any(|event| matches!(event, pallet_energy_contracts::Event::PaymentHonoured { .. })));
	// The invariants once more, over the settled statement.
	chain.next_block(1).unwrap();
}
