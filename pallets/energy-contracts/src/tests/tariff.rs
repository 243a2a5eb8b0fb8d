use super::*;
use frame_support::{assert_noop, assert_ok, BoundedVec};

fn indexed(adder: i64, cap: u64) -> Pricing {
	Pricing::Indexed { market: BoundedVec::truncate_from(b"DE-LU".to_vec()), adder, cap }
}

/// Proposes and signs `agreement` (the utility proposes), settles its first week on 8 November.
fn settle_week(agreement: AgreementOf<Test>) -> (TariffEvidence, Option<Obligation>) {
	let id = NextContractId::<Test>::get();
	assert_ok!(EnergyContracts::propose_contract(origin(UTILITY), agreement));
	assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
	set_time(NOV1 + 7, 0);
	assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
	let statement = Statements::<Test>::get(id, 0).unwrap();
	let Evidence::SupplyTariff(evidence) = statement.evidence else { panic!("not a tariff") };
	let Outcome::Settled { obligation } = statement.outcome else { panic!("went to an auditor") };
	(evidence, obligation)
}

fn feed_energy(wh: u64) {
	for day in NOV1..NOV1 + 7 {
		TestMeters::set_day(11, day, wh, 96);
	}
}

#[test]
fn a_fixed_price_bills_every_metered_megawatt_hour() {
	run(|| {
		feed_energy(1_000_000);
		// 7 days × 1 000 kWh = 7 MWh at 250 EUR/MWh: 1 750.00 EUR.
		let (evidence, obligation) =
			settle_week(tariff_agreement(Pricing::Fixed { price: 250_000 }));
		assert_eq!(
			(evidence.energy, evidence.mean_price, evidence.days_used),
			(7_000_000, 250_000, 7)
		);
		let obligation = obligation.unwrap();
		assert_eq!((obligation.debtor, obligation.creditor), (OWNER, UTILITY));
		assert_eq!(obligation.amount, 175_000);
	});
}

#[test]
fn an_indexed_price_follows_the_daily_market_price_within_the_cap_and_never_below_zero() {
	run(|| {
		feed_energy(1_000_000);
		// Daily mean prices 80, 120, 300, 50, −20, 90, 100 EUR/MWh plus a 15 EUR margin, capped
		// at 200: 95, 135, 200 (capped), 65, 0 (not −5), 105, 115 → 715 EUR for 7 MWh, a mean
		// of 102.142857… EUR/MWh.
		for (offset, price) in [80, 120, 300, 50, -20, 90, 100].iter().enumerate() {
			TestFeeds::set_price(b"DE-LU", NOV1 + offset as u32, price * 1_000, PERIODS_PER_DAY);
		}
		let (evidence, obligation) = settle_week(tariff_agreement(indexed(15_000, 200_000)));
		assert_eq!((evidence.mean_price, evidence.capped_days), (102_143, 1));
		assert_eq!(obligation.unwrap().amount, 71_500);
	});
}

#[test]
fn a_day_without_enough_market_prices_is_left_out() {
	run(|| {
		feed_energy(1_000_000);
		for day in NOV1..NOV1 + 7 {
			TestFeeds::set_price(b"DE-LU", day, 100_000, PERIODS_PER_DAY);
		}
		// 86 of 96 periods is under nine tenths: that day has no price.
		TestFeeds::set_price(b"DE-LU", NOV1 + 2, 100_000, 86);
		set_time(NOV1 + 10, 0);
		let id = NextContractId::<Test>::get();
		assert_ok!(EnergyContracts::propose_contract(
			origin(UTILITY),
			tariff_agreement(indexed(0, 500_000))
		));
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
		let statement = Statements::<Test>::get(id, 0).unwrap();
		let Evidence::SupplyTariff(evidence) = statement.evidence else { panic!("not a tariff") };
		assert_eq!((evidence.days_used, evidence.days_missing, evidence.energy), (6, 1, 6_000_000));
	});
}

#[test]
fn a_tariff_takes_a_utility_and_prices_within_the_templates_bounds() {
	run(|| {
		// The ESCO is no utility.
		let mut esco = tariff_agreement(Pricing::Fixed { price: 250_000 });
		esco.provider = ESCO;
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), esco),
			Error::<Test>::WrongPartyRole
		);
		for pricing in [
			Pricing::Fixed { price: 1_000_001 },
			indexed(-100_001, 200_000),
			indexed(0, 1_000_001),
			Pricing::Indexed {
				market: BoundedVec::truncate_from(b"DE LU".to_vec()),
				adder: 0,
				cap: 1,
			},
		] {
			assert_noop!(
				EnergyContracts::propose_contract(origin(UTILITY), tariff_agreement(pricing)),
				Error::<Test>::ParameterOutOfBounds
			);
		}
	});
}
