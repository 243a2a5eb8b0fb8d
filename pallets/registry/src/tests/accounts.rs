use super::*;
use frame_support::{assert_noop, assert_ok};

#[test]
fn a_member_adds_an_operator_account() {
	run(|| {
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(1), 6));
		assert_eq!(Accounts::<Test>::get(0).to_vec(), vec![1, 6]);
		assert_eq!(AccountOf::<Test>::get(6), Some(0));
		System::assert_last_event(Event::AccountAdded { member: 0, account: 6 }.into());
		// The new account acts for the member too.
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(6), 7));
	});
}

#[test]
fn add_account_errors_change_nothing() {
	run(|| {
		assert_noop!(Registry::add_account(RuntimeOrigin::signed(9), 6), Error::<Test>::NotAMember);
		assert_noop!(
			Registry::add_account(RuntimeOrigin::signed(1), 2),
			Error::<Test>::AlreadyMember
		);
		apply(5);
		assert_noop!(
			Registry::add_account(RuntimeOrigin::signed(1), 5),
			Error::<Test>::ApplicationPending
		);
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(1), 6));
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(1), 7));
		assert_noop!(
			Registry::add_account(RuntimeOrigin::signed(1), 8),
			Error::<Test>::TooManyAccounts
		);
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), 0));
		assert_noop!(
			Registry::add_account(RuntimeOrigin::signed(6), 8),
			Error::<Test>::MemberNotActive
		);
	});
}

#[test]
fn a_member_removes_an_account() {
	run(|| {
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(1), 6));
		assert_ok!(Registry::remove_account(RuntimeOrigin::signed(6), 6));
		assert_eq!(Accounts::<Test>::get(0).to_vec(), vec![1]);
		assert_eq!(AccountOf::<Test>::get(6), None);
		System::assert_last_event(Event::AccountRemoved { member: 0, account: 6 }.into());
	});
}

#[test]
fn remove_account_errors_change_nothing() {
	run(|| {
		let member = admit(5, esco());
		assert_noop!(
			Registry::remove_account(RuntimeOrigin::signed(5), 5),
			Error::<Test>::LastAccount
		);
		assert_noop!(
			Registry::remove_account(RuntimeOrigin::signed(5), 1),
			Error::<Test>::NotMemberAccount
		);
		assert_noop!(
			Registry::remove_account(RuntimeOrigin::signed(9), 5),
			Error::<Test>::NotAMember
		);
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(1), 6));
		assert_noop!(
			Registry::remove_account(RuntimeOrigin::signed(6), 1),
			Error::<Test>::AccountIsValidator
		);
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), member));
		assert_noop!(
			Registry::remove_account(RuntimeOrigin::signed(5), 5),
			Error::<Test>::MemberNotActive
		);
	});
}
