use super::*;
use frame_support::{assert_noop, assert_ok};
use pallet_registry::ReputationCause;

/// An active contract with its first week settled on 8 November at 1 am: the owner owes the
/// ESCO 2 895 cents by 22 November at 1 am.
fn settled_week() -> ContractId {
	let id = active_contract();
	feed_days(NOV1, &FIRST_WEEK);
	set_time(NOV1 + 7, 1);
	assert_ok!(EnergyContracts::settle_period(origin(ESCO), id));
	id
}

fn status(id: ContractId) -> PaymentStatus {
	match Statements::<Test>::get(id, 0).unwrap().outcome {
		Outcome::Settled { obligation: Some(obligation) } => obligation.status,
		outcome => panic!("no obligation: {outcome:?}"),
	}
}

#[test]
fn the_creditor_confirms_payment_in_time_and_the_debtor_gains_reputation() {
	run(|| {
		let id = settled_week();
		// The debtor cannot vouch for its own payment (nor so stop a breach report).
		assert_noop!(
			EnergyContracts::confirm_payment(origin(OWNER), id, 0),
			Error::<Test>::NotTheCreditor
		);
		set_time(NOV1 + 21, 1);
		assert_ok!(EnergyContracts::confirm_payment(origin(ESCO), id, 0));
		System::assert_last_event(
			Event::PaymentHonoured { contract: id, period: 0, debtor: OWNER }.into(),
		);
		assert_eq!(status(id), PaymentStatus::Honoured);
		assert_eq!(TestReputation::reports(), vec![(OWNER, ReputationCause::SettlementHonoured)]);
		assert_noop!(
			EnergyContracts::confirm_payment(origin(ESCO), id, 0),
			Error::<Test>::NoPendingObligation
		);
		assert_noop!(
			EnergyContracts::report_breach(origin(ESCO), id, 0),
			Error::<Test>::NoPendingObligation
		);
	});
}

#[test]
fn a_missed_deadline_is_a_breach_that_costs_reputation_and_may_end_the_contract() {
	run(|| {
		let id = settled_week();
		assert_noop!(
			EnergyContracts::report_breach(origin(ESCO), id, 0),
			Error::<Test>::DeadlineNotPassed
		);
		set_time(NOV1 + 21, 2);
		assert_noop!(
			EnergyContracts::confirm_payment(origin(ESCO), id, 0),
			Error::<Test>::DeadlinePassed
		);
		assert_noop!(
			EnergyContracts::report_breach(origin(AUDITOR), id, 0),
			Error::<Test>::NotAParty
		);
		assert_noop!(
			EnergyContracts::terminate_for_breach(origin(ESCO), id, 0),
			Error::<Test>::NoBreachAgainstCounterparty
		);
		assert_ok!(EnergyContracts::report_breach(origin(ESCO), id, 0));
		System::assert_last_event(
			Event::PaymentBreached { contract: id, period: 0, debtor: OWNER }.into(),
		);
		assert_eq!(status(id), PaymentStatus::Breached);
		assert_eq!(TestReputation::reports(), vec![(OWNER, ReputationCause::SettlementBreached)]);

		// Only the creditor ends the contract for the breach.
		assert_noop!(
			EnergyContracts::terminate_for_breach(origin(OWNER), id, 0),
			Error::<Test>::NoBreachAgainstCounterparty
		);
		assert_noop!(
			EnergyContracts::terminate_for_breach(origin(ESCO), id, 1),
			Error::<Test>::UnknownStatement
		);
		assert_ok!(EnergyContracts::terminate_for_breach(origin(ESCO), id, 0));
		let reason = Termination::Breach { debtor: OWNER };
		System::assert_last_event(Event::ContractTerminated { contract: id, reason }.into());
		assert_noop!(
			EnergyContracts::terminate_for_breach(origin(ESCO), id, 0),
			Error::<Test>::NotActive
		);
	});
}

#[test]
fn payments_name_an_existing_statement() {
	run(|| {
		let id = settled_week();
		assert_noop!(
			EnergyContracts::confirm_payment(origin(ESCO), id, 3),
			Error::<Test>::UnknownStatement
		);
		assert_noop!(
			EnergyContracts::confirm_payment(origin(ESCO), 8, 0),
			Error::<Test>::UnknownContract
		);
	});
}
