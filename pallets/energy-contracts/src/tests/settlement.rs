use super::*;
use frame_support::{assert_noop, assert_ok};
use pallet_meters::MeterStatus;
use sp_arithmetic::Permill;

fn settle(id: ContractId) {
	assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
}

fn obligation(id: ContractId, period: SettlementIndex) -> Option<Obligation> {
	match Statements::<Test>::get(id, period).unwrap().outcome {
		Outcome::Settled { obligation } => obligation,
		Outcome::InsufficientData => panic!("period {period} went to an auditor"),
	}
}

fn evidence(id: ContractId, period: SettlementIndex) -> PerformanceEvidence {
	let Evidence::EnergyPerformance(evidence) =
		Statements::<Test>::get(id, period).unwrap().evidence
	else {
		panic!("not energy performance")
	};
	evidence
}

#[test]
fn a_week_beyond_the_guarantee_pays_the_esco_its_share_of_the_excess() {
	run(|| {
		let id = active_contract();
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 7, 1);
		settle(id);
		// Worked by hand. Heating degree-days below 15.0 °C for 5.0, 7.0, 10.0, 15.0, 17.0,
		// 3.0 and 8.0 °C: 10 + 8 + 5 + 0 + 0 + 12 + 7 = 42 K·d. Baseline: 7 × 1 000 000 Wh +
		// 120 000 Wh × 42 = 12 040 000 Wh. Metered: 10 450 000 Wh. Savings: 1 590 000 Wh.
		// Guaranteed: 10 % × 12 040 000 = 1 204 000 Wh. Excess: 386 000 Wh = 0.386 MWh; the
		// owner pays the ESCO 50 % × 0.386 MWh × 150 EUR/MWh = 28.95 EUR = 2 895 cents, due 14
		// days after settlement (1 am on 8 November).
		// Savings uncertainty at 90 %: t(363 degrees of freedom, the 300 row) = 1.650; n / n′ =
		// 1.3 / 0.7; 1.26 × 1.650 × 0.12 × √((1.3 / 0.7) × (1 + 2 × (1.3 / 0.7) / 365) / 7) ×
		// 12 040 000 Wh = 1 555 014.4 Wh, rounded up: ±1.56 MWh on 1.59 MWh of savings, as
		// uncertain as one week against a year's baseline is.
		assert_eq!(
			evidence(id, 0),
			PerformanceEvidence {
				days_used: 7,
				days_missing: 0,
				baseline: 12_040_000,
				metered: 10_450_000,
				savings: 1_590_000,
				guaranteed: 1_204_000,
				heating_degree_days: 420,
				cooling_degree_days: 0,
				savings_uncertainty: Some(1_555_015),
			}
		);
		let settled_at = u64::from(NOV1 + 7) * DAY + 3_600_000;
		let expected = Obligation {
			debtor: OWNER,
			creditor: ESCO,
			amount: 2_895,
			due: settled_at + 14 * DAY,
			status: PaymentStatus::Pending,
		};
		assert_eq!(obligation(id, 0), Some(expected));
		let statement = Statements::<Test>::get(id, 0).unwrap();
		assert_eq!(
			(statement.first_day, statement.days, statement.settled_at),
			(NOV1, 7, settled_at)
		);
		System::assert_last_event(
			Event::PeriodSettled { contract: id, period: 0, obligation: Some(expected) }.into(),
		);
		assert_eq!(Contracts::<Test>::get(id).unwrap().settled, 1);
	});
}

#[test]
fn a_week_short_of_the_guarantee_makes_the_esco_pay_the_shortfall() {
	run(|| {
		let id = active_contract();
		feed_days(NOV1, &FIRST_WEEK);
		feed_days(NOV1 + 7, &[(110, 1_400_000); 7]);
		set_time(NOV1 + 14, 0);
		settle(id);
		settle(id);
		// Worked by hand. 11.0 °C is 4 heating degree-days below 15.0 °C: the baseline is
		// 1 000 000 + 120 000 × 4 = 1 480 000 Wh a day, 10 360 000 Wh for the week. Metered
		// 9 800 000 Wh: savings 560 000 Wh against 1 036 000 Wh guaranteed. The ESCO pays the
		// owner the shortfall of 476 000 Wh = 0.476 MWh × 150 EUR/MWh = 71.40 EUR.
		let evidence = evidence(id, 1);
		assert_eq!(
			(evidence.baseline, evidence.savings, evidence.guaranteed),
			(10_360_000, 560_000, 1_036_000)
		);
		let obligation = obligation(id, 1).unwrap();
		assert_eq!(
			(obligation.debtor, obligation.creditor, obligation.amount),
			(ESCO, OWNER, 7_140)
		);
	});
}

#[test]
fn shared_savings_pay_the_esco_its_share_of_all_savings_and_nothing_when_there_are_none() {
	run(|| {
		let mut shared = agreement();
		let Terms::EnergyPerformance(terms) = &mut shared.terms else {
			panic!("not energy performance")
		};
		terms.guaranteed_share = Permill::zero();
		terms.provider_share = Permill::from_percent(30);
		let id = propose(shared);
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		// Week 1: savings 1 590 000 Wh (see above) → 30 % × 1.59 MWh × 150 EUR = 71.55 EUR.
		feed_days(NOV1, &FIRST_WEEK);
		// Week 2: 1 480 000 Wh predicted a day and 1 500 000 Wh metered: negative savings, no
		// guarantee, nobody owes anything.
		feed_days(NOV1 + 7, &[(110, 1_500_000); 7]);
		set_time(NOV1 + 14, 0);
		settle(id);
		settle(id);
		assert_eq!(obligation(id, 0).unwrap().amount, 7_155);
		assert_eq!(evidence(id, 1).savings, -140_000);
		assert_eq!(obligation(id, 1), None);
		System::assert_last_event(
			Event::PeriodSettled { contract: id, period: 1, obligation: None }.into(),
		);
	});
}

#[test]
fn cooling_degree_days_and_several_meters_add_up() {
	run(|| {
		let mut cooled = agreement();
		cooled.meters = frame_support::BoundedVec::truncate_from(vec![11, 12]);
		let Terms::EnergyPerformance(terms) = &mut cooled.terms else {
			panic!("not energy performance")
		};
		terms.baseline.cooling_slope = 200_000;
		terms.baseline.parameters = 3;
		let id = propose(cooled);
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		// One warm week: 27.0 °C is 3 cooling degree-days above 24.0 °C. Baseline per day
		// 1 000 000 + 200 000 × 3 = 1 600 000 Wh, 11 200 000 Wh a week. Meters 11 and 12 use
		// 1 000 000 and 300 000 Wh a day: 9 100 000 Wh. Savings 2 100 000 Wh, guaranteed
		// 1 120 000 Wh, excess 980 000 Wh → 50 % × 0.98 MWh × 150 EUR = 73.50 EUR.
		for day in NOV1..NOV1 + 7 {
			TestFeeds::set_temperature(b"DE-BE", day, 270, PERIODS_PER_DAY);
			TestMeters::set_day(11, day, 1_000_000, 96);
			TestMeters::set_day(12, day, 300_000, 96);
		}
		set_time(NOV1 + 7, 0);
		settle(id);
		let evidence = evidence(id, 0);
		assert_eq!(
			(evidence.baseline, evidence.metered, evidence.cooling_degree_days),
			(11_200_000, 9_100_000, 210)
		);
		assert_eq!(obligation(id, 0).unwrap().amount, 7_350);
	});
}

#[test]
fn refuses_a_period_that_has_not_closed() {
	run(|| {
		let id = active_contract();
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 6, 23);
		assert_noop!(
			EnergyContracts::settle_period(origin(OWNER), id),
			Error::<Test>::PeriodNotClosed
		);
	});
}

#[test]
fn waits_for_missing_data_until_the_grace_days_then_settles_on_the_complete_days() {
	run(|| {
		let id = active_contract();
		feed_days(NOV1, &FIRST_WEEK);
		// The meter was suspended on 4 November: that day has 60 complete periods.
		TestMeters::set_status(11, MeterStatus::Suspended);
		TestMeters::set_day(11, NOV1 + 3, 500_000, 60);
		set_time(NOV1 + 9, 23);
		assert_noop!(
			EnergyContracts::settle_period(origin(OWNER), id),
			Error::<Test>::DataIncomplete
		);
		// Three grace days after the period's end (8 November) the six complete days count:
		// baseline 12 040 000 − 1 000 000 = 11 040 000 Wh, metered 10 450 000 − 900 000 =
		// 9 550 000 Wh, savings 1 490 000, guaranteed 1 104 000, excess 386 000 Wh → 28.95 EUR.
		set_time(NOV1 + 10, 0);
		settle(id);
		let evidence = evidence(id, 0);
		assert_eq!((evidence.days_used, evidence.days_missing), (6, 1));
		assert_eq!((evidence.baseline, evidence.metered), (11_040_000, 9_550_000));
		assert_eq!(obligation(id, 0).unwrap().amount, 2_895);
	});
}

#[test]
fn a_period_with_too_few_complete_days_goes_to_an_auditor_not_to_zero() {
	run(|| {
		let id = active_contract();
		feed_days(NOV1, &FIRST_WEEK);
		// Two days without temperatures (one from too few periods): 5 of 7 days is 71 %,
		// below the 75 % the contract needs.
		TestFeeds::set_temperature(b"DE-BE", NOV1 + 1, 70, 86);
		TestFeeds::set_temperature(b"DE-BE", NOV1 + 2, 100, 0);
		set_time(NOV1 + 10, 0);
		settle(id);
		let statement = Statements::<Test>::get(id, 0).unwrap();
		assert_eq!(statement.outcome, Outcome::InsufficientData);
		assert_eq!(evidence(id, 0).days_used, 5);
		let contract = Contracts::<Test>::get(id).unwrap();
		assert_eq!(contract.state, ContractState::Disputed { by: OWNER, period: Some(0) });
		System::assert_last_event(Event::SettlementNeedsRuling { contract: id, period: 0 }.into());
		assert_noop!(EnergyContracts::settle_period(origin(OWNER), id), Error::<Test>::NotActive);
	});
}

#[test]
fn the_last_period_completes_the_contract() {
	run(|| {
		let id = active_contract();
		for week in 0..4 {
			feed_days(NOV1 + 7 * week, &FIRST_WEEK);
		}
		set_time(NOV1 + 28, 0);
		for _ in 0..4 {
			settle(id);
		}
		assert_eq!(Contracts::<Test>::get(id).unwrap().state, ContractState::Completed);
		System::assert_last_event(Event::ContractCompleted { contract: id }.into());
		assert_noop!(EnergyContracts::settle_period(origin(OWNER), id), Error::<Test>::NotActive);
	});
}

#[test]
fn settling_takes_a_party_of_an_active_contract() {
	run(|| {
		let id = propose(agreement());
		set_time(NOV1 + 7, 0);
		assert_noop!(EnergyContracts::settle_period(origin(OWNER), id), Error::<Test>::NotActive);
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		assert_noop!(
			EnergyContracts::settle_period(origin(OTHER_OWNER), id),
			Error::<Test>::NotAParty
		);
		assert_noop!(
			EnergyContracts::settle_period(origin(OWNER), 9),
			Error::<Test>::UnknownContract
		);
		assert_noop!(
			EnergyContracts::settle_period(RuntimeOrigin::signed(99), id),
			Error::<Test>::NotAMember
		);
	});
}

#[test]
fn an_overflowing_baseline_is_an_error_not_a_wrapped_amount() {
	run(|| {
		let mut huge = agreement();
		let Terms::EnergyPerformance(terms) = &mut huge.terms else {
			panic!("not energy performance")
		};
		terms.baseline.intercept = i64::MAX;
		let id = propose(huge);
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 7, 0);
		assert_noop!(
			EnergyContracts::settle_period(origin(OWNER), id),
			Error::<Test>::ArithmeticOverflow
		);
	});
}
