use super::*;
use crate::mock::{set_council, CouncilMembers, Majority};
use frame_support::{assert_noop, assert_ok, traits::Get};
use sp_runtime::{BuildStorage, DispatchError};

fn seats() -> Vec<(u64, MemberId)> {
	CouncilSeats::<Test>::get().into_inner()
}

fn council() -> Vec<u64> {
	<CouncilMembers as Get<Vec<u64>>>::get()
}

fn majority() -> RuntimeOrigin {
	RuntimeOrigin::signed(Majority::get())
}

#[test]
fn the_founding_council_sits_in_account_order() {
	run(|| {
		assert_eq!(seats(), vec![(1, 0), (2, 1), (3, 2)]);
		assert_eq!(council(), vec![1, 2, 3]);
	});
}

#[test]
fn grant_council_seat_seats_an_account_of_an_active_member() {
	run(|| {
		let member = admit(5, esco());
		assert_ok!(Registry::grant_council_seat(RuntimeOrigin::root(), 5));
		assert_eq!(seats(), vec![(1, 0), (2, 1), (3, 2), (5, member)]);
		assert_eq!(council(), vec![1, 2, 3, 5]);
		System::assert_last_event(Event::CouncilSeatGranted { member, account: 5 }.into());
	});
}

#[test]
fn grant_council_seat_errors_change_nothing() {
	run(|| {
		let member = admit(5, esco());
		assert_noop!(Registry::grant_council_seat(majority(), 5), DispatchError::BadOrigin);
		assert_noop!(
			Registry::grant_council_seat(RuntimeOrigin::root(), 9),
			Error::<Test>::NotAMember
		);
		// One seat a member, whichever of its accounts asks.
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(1), 6));
		assert_noop!(
			Registry::grant_council_seat(RuntimeOrigin::root(), 6),
			Error::<Test>::MemberHasSeat
		);
		assert_noop!(
			Registry::grant_council_seat(RuntimeOrigin::root(), 1),
			Error::<Test>::MemberHasSeat
		);
		assert_ok!(Registry::suspend(majority(), member));
		assert_noop!(
			Registry::grant_council_seat(RuntimeOrigin::root(), 5),
			Error::<Test>::MemberNotActive
		);
		// Four seats at most.
		admit(7, esco());
		admit(8, esco());
		assert_ok!(Registry::grant_council_seat(RuntimeOrigin::root(), 7));
		assert_noop!(
			Registry::grant_council_seat(RuntimeOrigin::root(), 8),
			Error::<Test>::TooManySeats
		);
	});
}

#[test]
fn revoke_council_seat_keeps_the_member_and_withdraws_the_seat() {
	run(|| {
		assert_ok!(Registry::revoke_council_seat(RuntimeOrigin::root(), 3));
		assert_eq!(seats(), vec![(1, 0), (2, 1)]);
		assert_eq!(council(), vec![1, 2]);
		assert_eq!(Members::<Test>::get(2).unwrap().status, MemberStatus::Active);
		System::assert_last_event(Event::CouncilSeatRevoked { member: 2, account: 3 }.into());
	});
}

#[test]
fn revoke_council_seat_errors_change_nothing() {
	run(|| {
		assert_noop!(Registry::revoke_council_seat(majority(), 3), DispatchError::BadOrigin);
		assert_noop!(
			Registry::revoke_council_seat(RuntimeOrigin::root(), 9),
			Error::<Test>::NoCouncilSeat
		);
		assert_ok!(Registry::revoke_council_seat(RuntimeOrigin::root(), 3));
		// Two seats is the minimum.
		assert_noop!(
			Registry::revoke_council_seat(RuntimeOrigin::root(), 2),
			Error::<Test>::CouncilTooSmall
		);
	});
}

#[test]
fn suspending_a_seated_member_takes_its_seat_in_the_same_call() {
	run(|| {
		assert_ok!(Registry::suspend(RuntimeOrigin::root(), 0));
		assert_eq!(seats(), vec![(2, 1), (3, 2)]);
		assert_eq!(council(), vec![2, 3]);
		System::assert_has_event(Event::CouncilSeatRevoked { member: 0, account: 1 }.into());
		System::assert_last_event(Event::Suspended { member: 0 }.into());
		// Reinstatement gives the member back its accounts, not its seat.
		assert_ok!(Registry::reinstate(RuntimeOrigin::root(), 0));
		assert_eq!(council(), vec![2, 3]);
	});
}

#[test]
fn retiring_a_seated_member_takes_its_seat_in_the_same_call() {
	run(|| {
		assert_ok!(Registry::retire(RuntimeOrigin::root(), 2));
		assert_eq!(council(), vec![1, 2]);
		System::assert_has_event(Event::CouncilSeatRevoked { member: 2, account: 3 }.into());
	});
}

#[test]
fn a_bare_majority_cannot_unseat_a_member_by_suspending_or_retiring_it() {
	run(|| {
		assert_noop!(Registry::suspend(majority(), 0), DispatchError::BadOrigin);
		assert_noop!(Registry::retire(majority(), 0), DispatchError::BadOrigin);
		// A member without a seat is the majority's to suspend and retire.
		let member = admit(5, esco());
		assert_ok!(Registry::suspend(majority(), member));
		assert_ok!(Registry::retire(majority(), member));
	});
}

#[test]
fn suspending_or_retiring_never_leaves_the_council_below_its_minimum() {
	run(|| {
		assert_ok!(Registry::revoke_council_seat(RuntimeOrigin::root(), 3));
		assert_noop!(Registry::suspend(RuntimeOrigin::root(), 0), Error::<Test>::CouncilTooSmall);
		assert_noop!(Registry::retire(RuntimeOrigin::root(), 1), Error::<Test>::CouncilTooSmall);
	});
}

#[test]
fn a_member_cannot_remove_the_account_that_holds_its_seat() {
	run(|| {
		admit(5, esco());
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(5), 6));
		assert_ok!(Registry::grant_council_seat(RuntimeOrigin::root(), 5));
		assert_noop!(
			Registry::remove_account(RuntimeOrigin::signed(6), 5),
			Error::<Test>::AccountHoldsSeat
		);
	});
}

fn genesis_with_council(council: Vec<u64>) {
	let _ = crate::GenesisConfig::<Test> {
		members: vec![("Alpha".into(), 1, vec![Role::Esco]), ("Beta".into(), 2, vec![Role::Esco])],
		council,
		..Default::default()
	}
	.build_storage();
}

#[test]
#[should_panic(
	expected = "registry genesis: a council seat is not an account of a founding member"
)]
fn genesis_refuses_a_seat_for_a_non_member() {
	genesis_with_council(vec![1, 9]);
}

#[test]
#[should_panic(expected = "registry genesis: a founding member holds two council seats")]
fn genesis_refuses_two_seats_for_one_member() {
	genesis_with_council(vec![1, 2, 1]);
}

#[test]
fn version_3_seats_the_council_members_that_act_for_active_members() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	run(|| {
		let suspended = admit(5, esco());
		assert_ok!(Registry::suspend(majority(), suspended));
		assert_ok!(Registry::add_account(RuntimeOrigin::signed(1), 6));
		// Version 2 kept no seats; `pallet_membership` gave the collective its members, among
		// them a non-member (9), a suspended member's account (5) and a seated member's second
		// account (6).
		CouncilSeats::<Test>::kill();
		set_council(vec![1, 2, 3, 5, 6, 9]);
		StorageVersion::new(2).put::<Registry>();

		crate::migrations::V2ToV3::<Test, CouncilMembers>::on_runtime_upgrade();

		assert_eq!(seats(), vec![(1, 0), (2, 1), (3, 2)]);
		assert_eq!(council(), vec![1, 2, 3]);
		assert_eq!(Registry::on_chain_storage_version(), StorageVersion::new(3));
	});
}
