use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, types::*, Event, WeightInfo};
use frame_support::{
	assert_noop, assert_ok,
	traits::{Get, Hooks},
	weights::Weight,
};
use pallet_registry::ReputationCause::DataCompleteness;

const MINUTES_PER_DAY: u64 = 24 * 60;

/// Meter 0 (device 1) reads every 15 minutes from the start of day `from` after DAY0 to the
/// start of day `to`, closing each of those days complete; readings are numbered on from
/// `first_sequence`. Returns the next sequence.
fn deliver_days(from: u64, to: u64, first_sequence: u64) -> u64 {
	deliver_slots(from * 96, to * 96, first_sequence)
}

/// Meter 0 reads at the quarter hours `first..=last` after DAY0, numbered from
/// `first_sequence`; the clock moves to a minute after the last. Returns the next sequence.
fn deliver_slots(first: u64, last: u64, first_sequence: u64) -> u64 {
	let slots: Vec<u64> = (first..=last).collect();
	let mut sequence = first_sequence;
	set_now(DAY0 + last * PERIOD + 60_000);
	for chunk in slots.chunks(12) {
		let readings = chunk
			.iter()
			.map(|slot| {
				let reading = energy(0, sequence, slot * 15, slot * 100);
				sequence += 1;
				signed(1, reading)
			})
			.collect();
		assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), readings));
		next_block();
	}
	sequence
}

/// Moves the clock to `minutes` after DAY0.
fn at(minutes: u64) {
	set_now(DAY0 + minutes * 60_000);
}

fn report(member: u32) -> frame_support::dispatch::DispatchResult {
	Meters::report_completeness(RuntimeOrigin::signed(9), member)
}

/// Reports member 0's next `days` days and returns the completeness the registry was told, in
/// order.
fn report_days(days: usize) -> Vec<u16> {
	for _ in 0..days {
		assert_ok!(report(0));
	}
	TestReputation::reports()
		.into_iter()
		.map(|(member, cause)| match (member, cause) {
			(0, DataCompleteness { per_mille }) => per_mille,
			other => panic!("an unexpected report {other:?}"),
		})
		.collect()
}

fn reported(member: u32, day: DayIndex, per_mille: Option<u16>) {
	System::assert_last_event(Event::CompletenessReported { member, day, per_mille }.into());
}

#[test]
fn a_silent_meter_owes_its_periods() {
	run(|| {
		campus();
		deliver_days(1, 2, 1);
		assert_eq!(DayTotals::<Test>::get(day0() + 1, 0).unwrap().complete_periods, 96);
		at(3 * MINUTES_PER_DAY + 60);

		// DAY0 owed nothing: both meters were registered during it.
		assert_ok!(report(0));
		reported(0, day0(), None);
		// Day 1: the grid meter's 96 periods of the 192 that both owed; the sensor sent nothing.
		assert_ok!(report(0));
		reported(0, day0() + 1, Some(500));
		assert_eq!(TestReputation::reports(), vec![(0, DataCompleteness { per_mille: 500 })]);
		assert_eq!(MemberDays::<Test>::get(day0() + 1, 0).reported, Some(500));
		// Day 2 has been over for less than a day.
		assert_noop!(report(0), Error::<Test>::CompletenessNotDue);
		let ledger = Completeness::<Test>::get(0).unwrap();
		assert_eq!(
			ledger,
			CompletenessLedger { active_meters: 2, next_day: day0() + 2, expected_meters: 2 }
		);
	});
}

#[test]
fn only_members_with_meters_have_completeness() {
	run(|| {
		campus();
		at(3 * MINUTES_PER_DAY);
		assert_noop!(report(1), Error::<Test>::NoMeters);
		assert_noop!(report(2), Error::<Test>::NoMeters);
		assert_noop!(
			Meters::report_completeness(RuntimeOrigin::none(), 0),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_meter_suspended_during_a_day_owes_it_and_owes_again_from_the_day_after_reinstatement() {
	run(|| {
		campus();
		// Day 1, 10:00: the owner suspends the silent sensor.
		at(MINUTES_PER_DAY + 600);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 1, MeterStatus::Suspended));
		// Day 3, 10:00: and reinstates it.
		at(3 * MINUTES_PER_DAY + 600);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 1, MeterStatus::Active));
		assert_eq!(
			MemberDays::<Test>::get(day0() + 3, 0).meter_count,
			Some(MeterCountChange { owed: 2, at_end: 2 })
		);
		deliver_days(1, 4, 1);
		at(5 * MINUTES_PER_DAY + 60);
		assert_eq!(
			report_days(4),
			vec![
				// Day 1: both owed it, the suspension notwithstanding.
				500,
				// Day 2 the sensor was suspended all day: only the grid meter owed it.
				1000, // Day 3 the sensor was reinstated: it owes the day it came back.
				500,
			]
		);
	});
}

#[test]
fn a_meter_registered_during_a_day_owes_from_the_next_and_is_credited_only_for_days_it_owes() {
	run(|| {
		campus();
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 1, MeterStatus::Retired));
		// The grid meter alone owes day 1; a generation meter registered at 06:00 does not.
		at(MINUTES_PER_DAY + 360);
		assert_ok!(Meters::register_meter(
			RuntimeOrigin::signed(1),
			0,
			energy_spec(MeterKind::Generation, 3)
		));
		let next = deliver_days(1, 2, 1);
		// The new meter reads hourly through day 1, from before it was registered: its day
		// closes complete, but it owed nothing that day, so it masks nothing.
		for hours in [24..=35, 36..=47, 48..=48] {
			let readings = hours.map(|n| signed(3, energy(2, n - 23, n * 60, n))).collect();
			assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), readings));
			next_block();
		}
		assert_eq!(DayTotals::<Test>::get(day0() + 1, 2).unwrap().complete_periods, 96);
		assert_eq!(MemberDays::<Test>::get(day0() + 1, 0).complete_periods, 96);
		// Day 2 both owe, and the new meter sent nothing.
		deliver_days(2, 3, next);
		at(4 * MINUTES_PER_DAY);
		assert_eq!(report_days(3), vec![1000, 500]);
	});
}

#[test]
fn a_meter_suspended_at_midnight_and_back_at_once_still_owes_the_day() {
	run(|| {
		campus();
		at(2 * MINUTES_PER_DAY - 1);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 1, MeterStatus::Suspended));
		at(2 * MINUTES_PER_DAY + 1);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 1, MeterStatus::Active));
		deliver_days(1, 3, 1);
		at(4 * MINUTES_PER_DAY);
		// Day 2: the silent sensor, back a minute after midnight, owed it all the same.
		assert_eq!(report_days(3), vec![500, 500]);
		reported(0, day0() + 2, Some(500));
	});
}

#[test]
fn a_meter_leaving_service_is_credited_with_its_day_so_far_and_never_twice() {
	run(|| {
		campus();
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 1, MeterStatus::Retired));
		// Day 1 until 18:00 (72 periods), then suspended and reinstated at once.
		let next = deliver_slots(96, 96 + 72, 1);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Suspended));
		assert_eq!(MemberDays::<Test>::get(day0() + 1, 0).complete_periods, 72);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Active));
		// The rest of day 1, then until 18:00 of day 2, and retired.
		let next = deliver_slots(96 + 73, 2 * 96, next);
		assert_eq!(MemberDays::<Test>::get(day0() + 1, 0).complete_periods, 96);
		deliver_slots(2 * 96 + 1, 2 * 96 + 72, next);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Retired));
		at(4 * MINUTES_PER_DAY);
		assert_eq!(report_days(3), vec![1000, 750]);
	});
}

#[test]
fn a_member_not_active_is_passed_over_without_a_report() {
	run(|| {
		campus();
		at(3 * MINUTES_PER_DAY);
		smartblocks_testing::TestMembers::suspend(0);
		assert_ok!(report(0));
		assert_ok!(report(0));
		reported(0, day0() + 1, None);
		assert!(TestReputation::reports().is_empty());
		assert_eq!(Completeness::<Test>::get(0).unwrap().next_day, day0() + 2);
	});
}

#[test]
fn what_arrives_after_the_report_leaves_it_as_it_was() {
	run(|| {
		campus();
		at(3 * MINUTES_PER_DAY);
		assert_ok!(report(0));
		assert_ok!(report(0));
		reported(0, day0() + 1, Some(0));
		deliver_days(1, 2, 1);
		let day = MemberDays::<Test>::get(day0() + 1, 0);
		assert_eq!((day.complete_periods, day.reported), (96, Some(0)));
	});
}

#[test]
fn days_no_longer_kept_lapse_and_reports_go_on_from_today() {
	run(|| {
		campus();
		let retention: u32 = <Test as Config>::DayRetention::get();
		at(u64::from(retention + 5) * MINUTES_PER_DAY);
		let today = day0() + retention + 5;
		assert_ok!(report(0));
		System::assert_last_event(
			Event::CompletenessLapsed { member: 0, from: day0(), to: today }.into(),
		);
		assert_eq!(
			Completeness::<Test>::get(0).unwrap(),
			CompletenessLedger { active_meters: 2, next_day: today, expected_meters: 2 }
		);
		assert_noop!(report(0), Error::<Test>::CompletenessNotDue);
	});
}

#[test]
fn idle_blocks_report_for_every_member_in_turn_within_their_weight() {
	run(|| {
		campus();
		annex();
		at(3 * MINUTES_PER_DAY);
		let db: frame_support::weights::RuntimeDbWeight =
			<Test as frame_system::Config>::DbWeight::get();
		let one_visit =
			db.reads_writes(1, 1).saturating_add(<() as WeightInfo>::report_completeness());
		// Pruning has nothing to remove and takes its fixed cost.
		Meters::prune(Weight::MAX);
		let limit = <() as WeightInfo>::prune(0).saturating_add(one_visit);
		// Room for one member: the first is reported and the cursor waits after it.
		let idle = |limit| <Meters as Hooks<u64>>::on_idle(1, limit);
		assert!(idle(limit).all_lte(limit));
		let first = CompletenessCursor::<Test>::get().unwrap();
		assert_eq!(Completeness::<Test>::get(first).unwrap().next_day, day0() + 1);
		let second = 1 - first;
		assert_eq!(Completeness::<Test>::get(second).unwrap().next_day, day0());
		// Ample room: the round goes on with the second, and ends.
		idle(Weight::MAX);
		assert_eq!(Completeness::<Test>::get(second).unwrap().next_day, day0() + 1);
		assert_eq!(CompletenessCursor::<Test>::get(), None);
		// The next round reports day 1 of both: nothing arrived, both owe it all.
		idle(Weight::MAX);
		assert_eq!(
			TestReputation::reports(),
			vec![
				(first, DataCompleteness { per_mille: 0 }),
				(second, DataCompleteness { per_mille: 0 })
			]
		);
		// Too little room for a visit: only pruning's fixed cost.
		let short = limit.saturating_sub(Weight::from_parts(1, 0));
		assert_eq!(idle(short), <() as WeightInfo>::prune(0));
	});
}

#[test]
fn per_mille_is_at_most_1000_and_never_divides_by_zero() {
	assert_eq!(crate::completeness::per_mille(96, 192), 500);
	assert_eq!(crate::completeness::per_mille(95, 96), 989);
	assert_eq!(crate::completeness::per_mille(300, 96), 1000);
	assert_eq!(crate::completeness::per_mille(5, 0), 1000);
	assert_eq!(crate::completeness::per_mille(u32::MAX, 1), 1000);
}
