use crate::{mock::*, pallet::*, types::*, Event};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;
use FeedKind::*;

fn submit(account: u64, period: PeriodIndex, value: i64) {
	assert_ok!(Oracle::submit_values(
		RuntimeOrigin::signed(account),
		batch(&[(feed(OutdoorTemperature), period, value)])
	));
}

#[test]
fn council_sets_the_quorum() {
	run(|| {
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 4));
		assert_eq!(Quorum::<Test>::get(), 4);
		System::assert_last_event(Event::QuorumSet { quorum: 4 }.into());
		assert_noop!(Oracle::set_quorum(RuntimeOrigin::signed(1), 3), DispatchError::BadOrigin);
	});
}

#[test]
fn refuses_a_quorum_below_three_or_above_the_providers_kept() {
	run(|| {
		// Of one or two submissions, a dishonest one sets the value.
		for quorum in [0, 1, 2, 6] {
			assert_noop!(
				Oracle::set_quorum(RuntimeOrigin::root(), quorum),
				Error::<Test>::InvalidQuorum
			);
		}
	});
}

#[test]
fn a_lowered_quorum_fixes_a_waiting_period_on_request() {
	run(|| {
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 4));
		submit(1, NOON - 1, 40);
		submit(2, NOON - 1, 45);
		submit(3, NOON - 1, 42);
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 3));
		// Any member may ask; the median of three is the middle one.
		assert_ok!(Oracle::finalize_value(
			RuntimeOrigin::signed(7),
			feed(OutdoorTemperature),
			NOON - 1
		));
		assert_eq!(
			Values::<Test>::get(NOON - 1, feed(OutdoorTemperature)).unwrap().value,
			Some(42)
		);
		System::assert_last_event(
			Event::ValueFinalized {
				feed: feed(OutdoorTemperature),
				period: NOON - 1,
				value: 42,
				providers: 3,
			}
			.into(),
		);
	});
}

#[test]
fn refuses_to_finalize_below_the_quorum() {
	run(|| {
		assert_noop!(
			Oracle::finalize_value(RuntimeOrigin::signed(1), feed(OutdoorTemperature), NOON - 1),
			Error::<Test>::QuorumNotReached
		);
		submit(1, NOON - 1, 40);
		assert_noop!(
			Oracle::finalize_value(RuntimeOrigin::signed(1), feed(OutdoorTemperature), NOON - 1),
			Error::<Test>::QuorumNotReached
		);
	});
}

#[test]
fn refuses_to_finalize_twice() {
	run(|| {
		for provider in 1..=3 {
			submit(provider, NOON - 1, 40);
		}
		assert_noop!(
			Oracle::finalize_value(RuntimeOrigin::signed(1), feed(OutdoorTemperature), NOON - 1),
			Error::<Test>::AlreadyFinal
		);
	});
}

#[test]
fn refuses_to_finalize_for_a_non_member() {
	run(|| {
		assert_noop!(
			Oracle::finalize_value(RuntimeOrigin::signed(99), feed(OutdoorTemperature), NOON - 1),
			Error::<Test>::NotAMember
		);
	});
}
