use super::*;
use frame_support::{assert_noop, assert_ok};
use pallet_session::SessionManager;

#[test]
fn approve_validator_adds_an_operator_account() {
	run(|| {
		let member = admit(5, RoleSet::of(&[Role::ValidatorOperator]));
		assert_ok!(Registry::approve_validator(RuntimeOrigin::root(), 5));
		assert_eq!(Validators::<Test>::get().last(), Some(&(5, member)));
		System::assert_last_event(Event::ValidatorApproved { member, account: 5 }.into());
		assert_eq!(Registry::new_session(1), Some(vec![1, 2, 3, 5]));
	});
}

#[test]
fn approve_validator_errors_change_nothing() {
	run(|| {
		assert_noop!(
			Registry::approve_validator(RuntimeOrigin::root(), 9),
			Error::<Test>::NotAMember
		);
		assert_noop!(
			Registry::approve_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadyValidator
		);
		let member = admit(5, esco());
		assert_noop!(
			Registry::approve_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::NotValidatorOperator
		);
		assert_ok!(Registry::grant_roles(
			RuntimeOrigin::root(),
			member,
			RoleSet::of(&[Role::ValidatorOperator])
		));
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(5), 6));
		assert_ok!(Registry::approve_validator(RuntimeOrigin::root(), 5));
		assert_noop!(
			Registry::approve_validator(RuntimeOrigin::root(), 6),
			Error::<Test>::TooManyValidators
		);
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), member));
		assert_noop!(
			Registry::approve_validator(RuntimeOrigin::root(), 6),
			Error::<Test>::MemberNotActive
		);
	});
}

#[test]
fn remove_validator_takes_it_out_of_the_next_session() {
	run(|| {
		assert_ok!(Registry::remove_validator(RuntimeOrigin::root(), 2));
		assert_eq!(Validators::<Test>::get().to_vec(), vec![(1, 0), (3, 2)]);
		System::assert_last_event(Event::ValidatorRemoved { member: 1, account: 2 }.into());
		assert_eq!(Registry::new_session(1), Some(vec![1, 3]));
	});
}

#[test]
fn remove_validator_errors_change_nothing() {
	run(|| {
		assert_noop!(
			Registry::remove_validator(RuntimeOrigin::root(), 9),
			Error::<Test>::NotAValidator
		);
		assert_ok!(Registry::remove_validator(RuntimeOrigin::root(), 1));
		assert_noop!(
			Registry::remove_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
fn sessions_leave_out_suspended_members_keyless_accounts_and_revoked_operators() {
	run(|| {
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), 0));
		assert_eq!(Registry::new_session(1), Some(vec![2, 3]));
		assert_ok!(Registry::reinstate(RuntimeOrigin::root(), 0));
		drop_session_keys(2);
		assert_eq!(Registry::new_session(2), Some(vec![1, 3]));
		assert_ok!(Registry::revoke_roles(
			RuntimeOrigin::root(),
			2,
			RoleSet::of(&[Role::ValidatorOperator])
		));
		assert_eq!(Registry::new_session(3), Some(vec![1]));
	});
}

#[test]
fn a_session_without_eligible_validators_keeps_the_current_set() {
	run(|| {
		for account in [1, 2, 3] {
			drop_session_keys(account);
		}
		assert_eq!(Registry::new_session(1), None);
	});
}
