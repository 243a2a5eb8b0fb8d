use super::*;
use frame_support::{assert_noop, assert_ok};

/// 17:00 to 19:00: periods 68 to 75.
const EVENING: DailyWindow = DailyWindow { first_period: 68, periods: 8 };

/// Meter 11 uses `wh` in each evening period of `day`.
fn evening(day: pallet_meters::DayIndex, wh: u64) {
	for period in day * PERIODS_PER_DAY + 68..day * PERIODS_PER_DAY + 76 {
		TestMeters::set_period(11, period, wh, true);
	}
}

/// The utility proposes `agreement`, the owner signs; returns the contract.
fn active(agreement: AgreementOf<Test>) -> ContractId {
	let id = NextContractId::<Test>::get();
	assert_ok!(EnergyContracts::propose_contract(origin(UTILITY), agreement));
	assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
	id
}

/// Settles the first week at the start of `day`.
fn settled(id: ContractId, day: pallet_meters::DayIndex) -> (ResponseEvidence, Option<Obligation>) {
	set_time(day, 0);
	assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
	let statement = Statements::<Test>::get(id, 0).unwrap();
	let Evidence::DemandResponse(evidence) = statement.evidence else { panic!("not a response") };
	let Outcome::Settled { obligation } = statement.outcome else { panic!("went to an auditor") };
	(evidence, obligation)
}

#[test]
fn a_reduction_below_the_previous_days_baseline_earns_the_reward() {
	run(|| {
		// The three evenings before today (noon on 1 November): 30, 33 and 36 kWh a period,
		// so 240, 264 and 288 kWh; their mean is the baseline: 264 kWh.
		evening(NOV1 - 1, 30_000);
		evening(NOV1 - 2, 33_000);
		evening(NOV1 - 3, 36_000);
		let id = active(response_agreement(EventBaseline::PreviousDays { days: 3 }));
		assert_ok!(EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 2, EVENING));
		System::assert_last_event(
			Event::EventCalled {
				contract: id,
				day: NOV1 + 2,
				window: EVENING,
				baseline: Some(264_000),
			}
			.into(),
		);
		// On the event evening the owner uses 20 kWh a period: 160 kWh, 104 kWh below the
		// baseline: 0.104 MWh × 500 EUR/MWh = 52.00 EUR from the utility.
		evening(NOV1 + 2, 20_000);
		let (evidence, obligation) = settled(id, NOV1 + 7);
		assert_eq!(
			evidence,
			ResponseEvidence {
				events: 1,
				events_missing: 0,
				baseline: 264_000,
				metered: 160_000,
				reduction: 104_000
			}
		);
		let obligation = obligation.unwrap();
		assert_eq!(
			(obligation.debtor, obligation.creditor, obligation.amount),
			(UTILITY, OWNER, 5_200)
		);
	});
}

#[test]
fn a_model_baseline_predicts_the_window_from_the_days_temperature() {
	run(|| {
		let id = active(response_agreement(EventBaseline::Model(baseline())));
		assert_ok!(EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 3, EVENING));
		// 8.0 °C: the day's prediction is 1 840 000 Wh; the evening is 8 of 96 periods:
		// 153 333.3 → 153 333 Wh. Metered 8 × 15 kWh = 120 kWh: 33 333 Wh less, at 500 EUR/MWh
		// 16.6665 EUR → 1 667 cents.
		TestFeeds::set_temperature(b"DE-BE", NOV1 + 3, 80, PERIODS_PER_DAY);
		evening(NOV1 + 3, 15_000);
		let (evidence, obligation) = settled(id, NOV1 + 7);
		assert_eq!((evidence.baseline, evidence.reduction), (153_333, 33_333));
		assert_eq!(obligation.unwrap().amount, 1_667);
	});
}

#[test]
fn an_event_without_data_is_missing_and_use_above_the_baseline_earns_nothing() {
	run(|| {
		for day in NOV1 - 3..NOV1 {
			evening(day, 30_000);
		}
		let id = active(response_agreement(EventBaseline::PreviousDays { days: 3 }));
		assert_ok!(EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 1, EVENING));
		assert_ok!(EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 4, EVENING));
		// The first evening uses more than the 240 kWh baseline; the second lacks a period.
		evening(NOV1 + 1, 35_000);
		evening(NOV1 + 4, 10_000);
		TestMeters::set_period(11, (NOV1 + 4) * PERIODS_PER_DAY + 70, 10_000, false);
		// After the grace days: one event of two has its data, the half the contract needs.
		let (evidence, obligation) = settled(id, NOV1 + 10);
		assert_eq!((evidence.events, evidence.events_missing, evidence.reduction), (2, 1, 0));
		assert_eq!(obligation, None);
	});
}

#[test]
fn the_previous_days_baseline_skips_event_days_and_needs_enough_complete_days() {
	run(|| {
		let id = active(response_agreement(EventBaseline::PreviousDays { days: 2 }));
		assert_noop!(
			EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 1, EVENING),
			Error::<Test>::BaselineDataMissing
		);
		evening(NOV1 - 1, 30_000);
		evening(NOV1 - 2, 20_000);
		assert_ok!(EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 1, EVENING));
		// On 3 November the event day before (2 November, 40 kWh) is skipped: the baseline
		// averages the two most recent evenings without an event.
		evening(NOV1, 25_000);
		evening(NOV1 + 1, 40_000);
		set_time(NOV1 + 2, 12);
		assert_ok!(EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 3, EVENING));
		// 1 November (200 kWh) and 31 October (240 kWh): 220 kWh.
		assert_eq!(Events::<Test>::get(id, NOV1 + 3).unwrap().baseline, Some(220_000));
	});
}

#[test]
fn events_are_called_by_the_provider_ahead_of_their_window_once() {
	run(|| {
		let id = active(response_agreement(EventBaseline::Model(baseline())));
		assert_ok!(EnergyContracts::call_event(origin(UTILITY), id, NOV1, EVENING));
		assert_noop!(
			EnergyContracts::call_event(origin(UTILITY), id, NOV1, EVENING),
			Error::<Test>::EventAlreadyCalled
		);
		assert_noop!(
			EnergyContracts::call_event(origin(OWNER), id, NOV1 + 1, EVENING),
			Error::<Test>::NotAParty
		);
		// This morning has started; the day after the contract's four weeks is not in it.
		let morning = DailyWindow { first_period: 32, periods: 4 };
		assert_noop!(
			EnergyContracts::call_event(origin(UTILITY), id, NOV1, morning),
			Error::<Test>::EventNotAhead
		);
		assert_noop!(
			EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 28, EVENING),
			Error::<Test>::EventNotAhead
		);
		let midnight = DailyWindow { first_period: 90, periods: 7 };
		assert_noop!(
			EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 1, midnight),
			Error::<Test>::ParameterOutOfBounds
		);
		let performance = active_contract();
		assert_noop!(
			EnergyContracts::call_event(origin(ESCO), performance, NOV1 + 1, EVENING),
			Error::<Test>::NotDemandResponse
		);
		assert_ok!(EnergyContracts::request_termination(origin(OWNER), id));
		assert_ok!(EnergyContracts::request_termination(origin(UTILITY), id));
		assert_noop!(
			EnergyContracts::call_event(origin(UTILITY), id, NOV1 + 1, EVENING),
			Error::<Test>::NotActive
		);
	});
}
