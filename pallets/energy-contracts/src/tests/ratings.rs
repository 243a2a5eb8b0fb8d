use super::*;
use frame_support::{assert_noop, assert_ok};
use pallet_registry::ReputationCause;

/// An energy performance contract between the ESCO and the owner whose first week settled;
/// with one period it is completed, with more still active.
fn settled_contract(periods: u16) -> ContractId {
	let schedule = Schedule { first_day: NOV1, period_days: 7, periods };
	let id = propose(Agreement { schedule, ..agreement() });
	assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
	feed_days(NOV1, &FIRST_WEEK);
	set_time(NOV1 + 7, 1);
	assert_ok!(EnergyContracts::settle_period(origin(ESCO), id));
	id
}

fn terminate(id: ContractId) {
	assert_ok!(EnergyContracts::request_termination(origin(ESCO), id));
	assert_ok!(EnergyContracts::request_termination(origin(OWNER), id));
}

#[test]
fn each_party_rates_the_other_once_when_the_contract_has_ended() {
	run(|| {
		let id = settled_contract(4);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(OWNER), id, 5),
			Error::<Test>::NotEnded
		);
		terminate(id);

		assert_noop!(
			EnergyContracts::rate_counterparty(RuntimeOrigin::signed(999), id, 5),
			Error::<Test>::NotAMember
		);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(OWNER), id + 1, 5),
			Error::<Test>::UnknownContract
		);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(OTHER_OWNER), id, 5),
			Error::<Test>::NotAParty
		);
		for stars in [0, 6, u8::MAX] {
			assert_noop!(
				EnergyContracts::rate_counterparty(origin(OWNER), id, stars),
				Error::<Test>::InvalidRating
			);
		}

		assert_ok!(EnergyContracts::rate_counterparty(origin(OWNER), id, 5));
		System::assert_last_event(
			Event::CounterpartyRated { contract: id, by: OWNER, member: ESCO, stars: 5 }.into(),
		);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(OWNER), id, 4),
			Error::<Test>::AlreadyRated
		);
		assert_ok!(EnergyContracts::rate_counterparty(origin(ESCO), id, 1));
		System::assert_last_event(
			Event::CounterpartyRated { contract: id, by: ESCO, member: OWNER, stars: 1 }.into(),
		);

		assert_eq!(
			(Ratings::<Test>::get(id, OWNER), Ratings::<Test>::get(id, ESCO)),
			(Some(5), Some(1))
		);
		let ratings: Vec<_> = TestReputation::reports()
			.into_iter()
			.filter(|(_, cause)| matches!(cause, ReputationCause::PeerRating { .. }))
			.collect();
		assert_eq!(
			ratings,
			vec![
				(ESCO, ReputationCause::PeerRating { stars: 5 }),
				(OWNER, ReputationCause::PeerRating { stars: 1 })
			]
		);
	});
}

#[test]
fn a_disputed_contract_is_not_rated_and_nothing_is_before_the_clock_starts() {
	run(|| {
		let id = settled_contract(4);
		assert_ok!(EnergyContracts::open_dispute(origin(OWNER), id, Some(0)));
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(ESCO), id, 3),
			Error::<Test>::NotEnded
		);
		smartblocks_testing::TestClock::set(0);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(ESCO), id, 3),
			Error::<Test>::NoClock
		);
	});
}

/// A period without data goes to an auditor; once the auditor has ended the contract, the
/// parties rate each other: the relationship ran, and an independent member ruled on it.
#[test]
fn a_contract_an_auditor_ended_over_missing_data_is_rated() {
	run(|| {
		let id = active_contract();
		set_time(NOV1 + 10, 0);
		assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
		assert_eq!(Statements::<Test>::get(id, 0).unwrap().outcome, Outcome::InsufficientData);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(ESCO), id, 2),
			Error::<Test>::NotEnded
		);
		let ruling = Ruling { in_favour_of: OWNER, award: None, terminate: true };
		assert_ok!(EnergyContracts::resolve_dispute(origin(AUDITOR), id, ruling));
		assert_ok!(EnergyContracts::rate_counterparty(origin(ESCO), id, 2));
		System::assert_last_event(
			Event::CounterpartyRated { contract: id, by: ESCO, member: OWNER, stars: 2 }.into(),
		);
	});
}

#[test]
fn a_contract_that_never_settled_a_period_is_not_rated() {
	run(|| {
		let id = active_contract();
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(ESCO), id, 2),
			Error::<Test>::NotEnded
		);
		terminate(id);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(ESCO), id, 2),
			Error::<Test>::NeverSettled
		);
	});
}

/// Two members cannot farm each other's reputation with many short contracts: one member's
/// ratings of another move it once per `RatingIntervalDays` (30 in the mock).
#[test]
fn a_member_rates_the_same_member_once_per_interval() {
	run(|| {
		let completed = settled_contract(1);
		assert_eq!(Contracts::<Test>::get(completed).unwrap().state, ContractState::Completed);
		let terminated = settled_contract(4);
		terminate(terminated);

		assert_ok!(EnergyContracts::rate_counterparty(origin(OWNER), completed, 5));
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(OWNER), terminated, 5),
			Error::<Test>::RatedRecently
		);
		// The other direction is another pair.
		assert_ok!(EnergyContracts::rate_counterparty(origin(ESCO), terminated, 4));
		System::assert_last_event(
			Event::CounterpartyRated { contract: terminated, by: ESCO, member: OWNER, stars: 4 }
				.into(),
		);

		set_time(NOV1 + 7 + 29, 23);
		assert_noop!(
			EnergyContracts::rate_counterparty(origin(OWNER), terminated, 5),
			Error::<Test>::RatedRecently
		);
		set_time(NOV1 + 7 + 30, 0);
		assert_ok!(EnergyContracts::rate_counterparty(origin(OWNER), terminated, 5));
		System::assert_last_event(
			Event::CounterpartyRated { contract: terminated, by: OWNER, member: ESCO, stars: 5 }
				.into(),
		);
		assert_eq!(LastRatings::<Test>::get(OWNER, ESCO), Some(NOV1 + 7 + 30));
	});
}
