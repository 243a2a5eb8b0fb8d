use super::*;
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn apply_holds_the_deposit_and_records_the_application() {
	run(|| {
		apply(5);
		assert_eq!(hold_of(5), DEPOSIT);
		let application = Applications::<Test>::get(5).unwrap();
		assert_eq!(application.name.to_vec(), b"Delta".to_vec());
		assert_eq!(
			(application.roles, application.contact, application.deposit),
			(esco(), CONTACT, DEPOSIT)
		);
		System::assert_last_event(
			Event::Applied { applicant: 5, roles: esco(), deposit: DEPOSIT }.into(),
		);
	});
}

#[test]
fn apply_rejects_bad_input_and_changes_nothing() {
	run(|| {
		let origin = || RuntimeOrigin::signed(5);
		assert_noop!(
			Registry::apply(origin(), vec![b'x'; 17], esco(), CONTACT),
			Error::<Test>::NameTooLong
		);
		assert_noop!(Registry::apply(origin(), vec![], esco(), CONTACT), Error::<Test>::EmptyName);
		assert_noop!(
			Registry::apply(origin(), b"Delta".to_vec(), RoleSet(0), CONTACT),
			Error::<Test>::NoRoles
		);
		assert_noop!(
			Registry::apply(origin(), b"Delta".to_vec(), RoleSet(0b1000_0001), CONTACT),
			Error::<Test>::UnknownRole
		);
		assert_noop!(
			Registry::apply(RuntimeOrigin::signed(1), b"Delta".to_vec(), esco(), CONTACT),
			Error::<Test>::AlreadyMember
		);
		assert_noop!(
			Registry::apply(RuntimeOrigin::signed(99), b"Delta".to_vec(), esco(), CONTACT),
			Error::<Test>::CannotAffordDeposit
		);
		assert_noop!(
			Registry::apply(RuntimeOrigin::none(), b"Delta".to_vec(), esco(), CONTACT),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn apply_refuses_a_second_pending_application() {
	run(|| {
		apply(5);
		assert_noop!(
			Registry::apply(RuntimeOrigin::signed(5), b"Delta".to_vec(), esco(), CONTACT),
			Error::<Test>::ApplicationPending
		);
	});
}

#[test]
fn withdraw_returns_the_deposit() {
	run(|| {
		apply(5);
		assert_ok!(Registry::withdraw_application(RuntimeOrigin::signed(5)));
		assert_eq!(hold_of(5), 0);
		assert!(!Applications::<Test>::contains_key(5));
		System::assert_last_event(
			Event::ApplicationWithdrawn { applicant: 5, deposit: DEPOSIT }.into(),
		);
		assert_noop!(
			Registry::withdraw_application(RuntimeOrigin::signed(5)),
			Error::<Test>::NoApplication
		);
	});
}

#[test]
fn admit_makes_the_applicant_a_member_with_the_granted_roles() {
	run(|| {
		apply(5);
		let roles = RoleSet::of(&[Role::Esco, Role::Auditor]);
		assert_ok!(Registry::admit(RuntimeOrigin::root(), 5, roles));
		let info = Members::<Test>::get(3).unwrap();
		assert_eq!(
			(info.roles, info.status, info.score),
			(roles, MemberStatus::Active, INITIAL_SCORE)
		);
		assert_eq!((info.depositor, info.deposit, info.admitted), (5, DEPOSIT, 1));
		assert_eq!(Accounts::<Test>::get(3).to_vec(), vec![5]);
		assert_eq!(AccountOf::<Test>::get(5), Some(3));
		assert_eq!((MemberCount::<Test>::get(), NextMemberId::<Test>::get()), (4, 4));
		assert!(!Applications::<Test>::contains_key(5));
		assert_eq!(hold_of(5), DEPOSIT, "the deposit stays held as the bond");
		System::assert_last_event(Event::Admitted { member: 3, account: 5, roles }.into());
	});
}

#[test]
fn admit_errors_change_nothing() {
	run(|| {
		assert_noop!(
			Registry::admit(RuntimeOrigin::root(), 5, esco()),
			Error::<Test>::NoApplication
		);
		apply(5);
		assert_noop!(Registry::admit(RuntimeOrigin::root(), 5, RoleSet(0)), Error::<Test>::NoRoles);
		assert_noop!(
			Registry::admit(RuntimeOrigin::root(), 5, RoleSet(0x80)),
			Error::<Test>::UnknownRole
		);
		assert_noop!(
			Registry::admit(RuntimeOrigin::signed(1), 5, esco()),
			DispatchError::BadOrigin
		);
		NextMemberId::<Test>::put(MemberId::MAX);
		assert_noop!(
			Registry::admit(RuntimeOrigin::root(), 5, esco()),
			Error::<Test>::TooManyMembers
		);
		NextMemberId::<Test>::put(3);
	});
}

#[test]
fn reject_slashes_what_the_council_says_and_returns_the_rest() {
	run(|| {
		apply(5);
		let issuance = Balances::total_issuance();
		assert_ok!(Registry::reject(RuntimeOrigin::root(), 5, 30, b"no site".to_vec()));
		assert_eq!(hold_of(5), 0);
		assert_eq!(Balances::free_balance(5), 1000 - 30);
		assert_eq!(Balances::total_issuance(), issuance - 30);
		assert!(!Applications::<Test>::contains_key(5));
		System::assert_last_event(
			Event::Rejected {
				applicant: 5,
				slashed: 30,
				reason: b"no site".to_vec().try_into().unwrap(),
			}
			.into(),
		);
	});
}

#[test]
fn reject_slashes_at_most_the_deposit() {
	run(|| {
		apply(5);
		assert_ok!(Registry::reject(RuntimeOrigin::root(), 5, 10 * DEPOSIT, vec![]));
		assert_eq!(Balances::free_balance(5), 1000 - DEPOSIT);
	});
}

#[test]
fn reject_errors_change_nothing() {
	run(|| {
		assert_noop!(
			Registry::reject(RuntimeOrigin::root(), 5, 0, vec![]),
			Error::<Test>::NoApplication
		);
		apply(5);
		assert_noop!(
			Registry::reject(RuntimeOrigin::root(), 5, 0, vec![b'r'; 257]),
			Error::<Test>::ReasonTooLong
		);
	});
}

#[test]
fn pending_applications_are_bounded_and_each_decision_frees_a_place() {
	run(|| {
		let applicants = 4..4 + u64::from(MAX_APPLICATIONS);
		applicants.clone().for_each(apply);
		assert_eq!(Applications::<Test>::count(), MAX_APPLICATIONS);
		let late = 4 + u64::from(MAX_APPLICATIONS);
		assert_noop!(
			Registry::apply(RuntimeOrigin::signed(late), b"Late".to_vec(), esco(), CONTACT),
			Error::<Test>::TooManyApplications
		);
		assert_eq!(hold_of(late), 0, "a refused applicant keeps its deposit");

		// Rejecting, withdrawing and admitting each give a place back.
		assert_ok!(Registry::reject(RuntimeOrigin::root(), 4, DEPOSIT, b"spam".to_vec()));
		apply(late);
		assert_noop!(
			Registry::apply(RuntimeOrigin::signed(9), b"Late".to_vec(), esco(), CONTACT),
			Error::<Test>::TooManyApplications
		);
		assert_ok!(Registry::withdraw_application(RuntimeOrigin::signed(5)));
		assert_ok!(Registry::admit(RuntimeOrigin::root(), 6, esco()));
		assert_eq!(Applications::<Test>::count(), MAX_APPLICATIONS - 2);
		apply(9);
		apply(10);
		assert_eq!(Applications::<Test>::count(), MAX_APPLICATIONS);
	});
}

#[test]
fn version_2_counts_the_applications_pending_before_it() {
	use frame_support::{
		storage::{storage_prefix, unhashed},
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};
	run(|| {
		apply(5);
		apply(6);
		// Version 1 kept no count.
		unhashed::kill(&storage_prefix(b"Registry", b"CounterForApplications"));
		StorageVersion::new(1).put::<Registry>();
		assert_eq!(Applications::<Test>::count(), 0);

		crate::migrations::V1ToV2::<Test>::on_runtime_upgrade();

		assert_eq!(Applications::<Test>::count(), 2);
		assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(2));
		assert_ok!(Registry::withdraw_application(RuntimeOrigin::signed(5)));
		assert_eq!(Applications::<Test>::count(), 1);
	});
}
