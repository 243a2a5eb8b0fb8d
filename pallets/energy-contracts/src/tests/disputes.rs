use super::*;
use frame_support::{assert_noop, assert_ok};
use pallet_registry::ReputationCause;

fn ruling(
	in_favour_of: pallet_registry::MemberId,
	award: Option<Award>,
	terminate: bool,
) -> Ruling {
	Ruling { in_favour_of, award, terminate }
}

#[test]
fn a_party_disputes_a_statement_and_an_auditor_awards_a_new_obligation() {
	run(|| {
		let id = active_contract();
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 7, 1);
		assert_ok!(EnergyContracts::settle_period(origin(ESCO), id));
		assert_noop!(
			EnergyContracts::open_dispute(origin(OWNER), id, Some(1)),
			Error::<Test>::UnknownStatement
		);
		assert_ok!(EnergyContracts::open_dispute(origin(OWNER), id, Some(0)));
		System::assert_last_event(
			Event::DisputeOpened { contract: id, by: OWNER, period: Some(0) }.into(),
		);
		assert_noop!(EnergyContracts::settle_period(origin(ESCO), id), Error::<Test>::NotActive);
		assert_noop!(
			EnergyContracts::open_dispute(origin(ESCO), id, None),
			Error::<Test>::NotActive
		);

		// Not an auditor, or a party: refused. A ruling for a stranger: refused.
		let for_owner = ruling(OWNER, Some(Award { debtor: OWNER, amount: 1_000 }), false);
		assert_noop!(
			EnergyContracts::resolve_dispute(origin(OTHER_OWNER), id, for_owner),
			Error::<Test>::NotAnAuditor
		);
		assert_noop!(
			EnergyContracts::resolve_dispute(origin(AUDITOR), id, ruling(OTHER_OWNER, None, false)),
			Error::<Test>::InvalidRuling
		);
		assert_ok!(EnergyContracts::resolve_dispute(origin(AUDITOR), id, for_owner));
		System::assert_last_event(
			Event::DisputeResolved { contract: id, auditor: AUDITOR, ruling: for_owner }.into(),
		);
		let Outcome::Settled { obligation: Some(obligation) } =
			Statements::<Test>::get(id, 0).unwrap().outcome
		else {
			panic!("no award")
		};
		assert_eq!(
			(obligation.debtor, obligation.creditor, obligation.amount),
			(OWNER, ESCO, 1_000)
		);
		assert_eq!(
			TestReputation::reports(),
			vec![(OWNER, ReputationCause::DisputeWon), (ESCO, ReputationCause::DisputeLost)]
		);
		assert_eq!(Contracts::<Test>::get(id).unwrap().state, ContractState::Active);
		assert_noop!(
			EnergyContracts::resolve_dispute(origin(AUDITOR), id, for_owner),
			Error::<Test>::NotDisputed
		);
	});
}

#[test]
fn an_award_needs_a_disputed_statement_and_a_party_as_debtor() {
	run(|| {
		let id = active_contract();
		assert_ok!(EnergyContracts::open_dispute(origin(ESCO), id, None));
		let award = Some(Award { debtor: OWNER, amount: 5 });
		assert_noop!(
			EnergyContracts::resolve_dispute(origin(AUDITOR), id, ruling(ESCO, award, false)),
			Error::<Test>::InvalidRuling
		);
		assert_noop!(
			EnergyContracts::resolve_dispute(origin(AUDITOR), 5, ruling(ESCO, None, false)),
			Error::<Test>::UnknownContract
		);
		assert_ok!(EnergyContracts::resolve_dispute(origin(AUDITOR), id, ruling(ESCO, None, true)));
		let reason = Termination::Ruling;
		System::assert_last_event(Event::ContractTerminated { contract: id, reason }.into());
	});
}

#[test]
fn a_ruling_on_the_last_period_completes_the_contract() {
	run(|| {
		let mut one_week = agreement();
		one_week.schedule.periods = 1;
		let id = propose(one_week);
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		// No data at all: after the grace days the period goes to an auditor.
		set_time(NOV1 + 10, 0);
		assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
		let award = Some(Award { debtor: ESCO, amount: 7_140 });
		assert_ok!(EnergyContracts::resolve_dispute(
			origin(AUDITOR),
			id,
			ruling(OWNER, award, false)
		));
		System::assert_last_event(Event::ContractCompleted { contract: id }.into());
		assert_eq!(Contracts::<Test>::get(id).unwrap().state, ContractState::Completed);
	});
}

#[test]
fn disputes_take_a_party_of_an_active_contract() {
	run(|| {
		let id = propose(agreement());
		assert_noop!(
			EnergyContracts::open_dispute(origin(ESCO), id, None),
			Error::<Test>::NotActive
		);
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		assert_noop!(
			EnergyContracts::open_dispute(origin(AUDITOR), id, None),
			Error::<Test>::NotAParty
		);
	});
}
