use super::*;
use frame_support::{assert_noop, assert_ok};

#[test]
fn suspend_bars_the_member_and_keeps_its_record() {
	run(|| {
		let member = admit(5, esco());
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), member));
		assert_eq!(Members::<Test>::get(member).unwrap().status, MemberStatus::Suspended);
		assert_eq!(AccountOf::<Test>::get(5), Some(member));
		System::assert_last_event(Event::Suspended { member }.into());
		assert_noop!(
			Registry::suspend(RuntimeOrigin::root(), member),
			Error::<Test>::MemberNotActive
		);
	});
}

#[test]
fn suspend_refuses_an_unknown_member() {
	run(|| {
		assert_noop!(Registry::suspend(RuntimeOrigin::root(), 42), Error::<Test>::UnknownMember);
	});
}

#[test]
fn suspend_never_leaves_fewer_than_the_minimum_validators() {
	run(|| {
		// Three validators, minimum two: one may go, the second may not.
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), 0));
		assert_noop!(Registry::suspend(RuntimeOrigin::root(), 1), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn reinstate_lets_a_suspended_member_act_again() {
	run(|| {
		let member = admit(5, esco());
		assert_noop!(
			Registry::reinstate(RuntimeOrigin::root(), member),
			Error::<Test>::NotSuspended
		);
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), member));
		assert_ok!(Registry::reinstate(RuntimeOrigin::root(), member));
		assert_eq!(Members::<Test>::get(member).unwrap().status, MemberStatus::Active);
		System::assert_last_event(Event::Reinstated { member }.into());
		assert_noop!(Registry::reinstate(RuntimeOrigin::root(), 42), Error::<Test>::UnknownMember);
	});
}

#[test]
fn retire_removes_accounts_and_returns_the_deposit() {
	run(|| {
		let member = admit(5, esco());
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(5), 6));
		assert_ok!(Registry::retire(RuntimeOrigin::root(), member));
		let info = Members::<Test>::get(member).unwrap();
		assert_eq!((info.status, info.deposit), (MemberStatus::Retired, 0));
		assert!(Accounts::<Test>::get(member).is_empty());
		assert_eq!((AccountOf::<Test>::get(5), AccountOf::<Test>::get(6)), (None, None));
		assert_eq!(hold_of(5), 0);
		assert_eq!(MemberCount::<Test>::get(), 3);
		System::assert_last_event(Event::Retired { member, deposit_returned: DEPOSIT }.into());
	});
}

#[test]
fn retire_drops_the_members_validators() {
	run(|| {
		assert_ok!(Registry::retire(RuntimeOrigin::root(), 0));
		assert_eq!(Validators::<Test>::get().to_vec(), vec![(2, 1), (3, 2)]);
	});
}

#[test]
fn retire_errors_change_nothing() {
	run(|| {
		assert_noop!(Registry::retire(RuntimeOrigin::root(), 42), Error::<Test>::UnknownMember);
		assert_ok!(Registry::retire(RuntimeOrigin::root(), 0));
		assert_noop!(Registry::retire(RuntimeOrigin::root(), 0), Error::<Test>::MemberRetired);
		assert_noop!(Registry::retire(RuntimeOrigin::root(), 1), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn grant_roles_adds_to_the_set() {
	run(|| {
		let granted = RoleSet::of(&[Role::Trader, Role::Utility]);
		assert_ok!(Registry::grant_roles(RuntimeOrigin::root(), 1, granted));
		let roles = RoleSet::of(&[Role::ValidatorOperator, Role::Trader, Role::Utility]);
		assert_eq!(Members::<Test>::get(1).unwrap().roles, roles);
		System::assert_last_event(Event::RolesGranted { member: 1, granted, roles }.into());
	});
}

#[test]
fn grant_roles_errors_change_nothing() {
	run(|| {
		assert_noop!(
			Registry::grant_roles(RuntimeOrigin::root(), 42, esco()),
			Error::<Test>::UnknownMember
		);
		assert_noop!(
			Registry::grant_roles(RuntimeOrigin::root(), 1, RoleSet(0)),
			Error::<Test>::NoRoles
		);
		assert_noop!(
			Registry::grant_roles(RuntimeOrigin::root(), 1, RoleSet(0xff)),
			Error::<Test>::UnknownRole
		);
		let member = admit(5, esco());
		assert_ok!(Registry::retire(RuntimeOrigin::root(), member));
		assert_noop!(
			Registry::grant_roles(RuntimeOrigin::root(), member, esco()),
			Error::<Test>::MemberRetired
		);
	});
}

#[test]
fn revoke_roles_removes_from_the_set() {
	run(|| {
		assert_ok!(Registry::revoke_roles(RuntimeOrigin::root(), 0, esco()));
		let roles = RoleSet::of(&[Role::ValidatorOperator]);
		assert_eq!(Members::<Test>::get(0).unwrap().roles, roles);
		System::assert_last_event(Event::RolesRevoked { member: 0, revoked: esco(), roles }.into());
	});
}

#[test]
fn revoke_roles_errors_change_nothing() {
	run(|| {
		let operator = RoleSet::of(&[Role::ValidatorOperator]);
		assert_noop!(
			Registry::revoke_roles(RuntimeOrigin::root(), 42, esco()),
			Error::<Test>::UnknownMember
		);
		assert_noop!(
			Registry::revoke_roles(RuntimeOrigin::root(), 0, RoleSet(0)),
			Error::<Test>::NoRoles
		);
		assert_noop!(
			Registry::revoke_roles(RuntimeOrigin::root(), 0, RoleSet(0x80)),
			Error::<Test>::UnknownRole
		);
		assert_ok!(Registry::revoke_roles(RuntimeOrigin::root(), 0, operator));
		assert_noop!(
			Registry::revoke_roles(RuntimeOrigin::root(), 1, operator),
			Error::<Test>::TooFewValidators
		);
		let member = admit(5, esco());
		assert_ok!(Registry::retire(RuntimeOrigin::root(), member));
		assert_noop!(
			Registry::revoke_roles(RuntimeOrigin::root(), member, esco()),
			Error::<Test>::MemberRetired
		);
	});
}

#[test]
fn council_calls_refuse_other_origins() {
	run(|| {
		let member = RuntimeOrigin::signed(1);
		assert_noop!(Registry::suspend(member.clone(), 1), sp_runtime::DispatchError::BadOrigin);
		assert_noop!(Registry::retire(member.clone(), 1), sp_runtime::DispatchError::BadOrigin);
		assert_noop!(
			Registry::grant_roles(member, 1, esco()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn member_details_gather_everything_in_one_answer() {
	run(|| {
		assert_ok!(Registry::do_report(0, ReputationCause::DisputeWon));
		let details = Registry::member_details_of(&1).unwrap();
		assert_eq!(details.id, 0);
		assert_eq!(details.name, b"Alpha".to_vec());
		assert_eq!(details.roles, vec![Role::Esco, Role::ValidatorOperator]);
		assert_eq!((details.accounts, details.validators), (vec![1], vec![1]));
		assert_eq!(details.score, 505);
		assert_eq!(details.reputation_history.len(), 1);
		assert_eq!(Registry::member_details(42), None);
	});
}
