use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_ok, traits::Hooks, weights::Weight};

fn idle(limit: Weight) -> Weight {
	<Meters as Hooks<u64>>::on_idle(1, limit)
}

/// Readings every 15 minutes over the first two hours of DAY0, closing eight periods.
fn two_hours_of_readings() {
	campus();
	set_now(DAY0 + 3 * 3_600_000);
	let readings = (0..=8).map(|n| signed(1, energy(0, n + 1, n * 15, n * 100))).collect();
	assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), readings));
}

#[test]
fn first_idle_block_places_the_cursor_at_the_horizon() {
	run(|| {
		idle(Weight::MAX);
		let cursor = Pruning::<Test>::get();
		assert!(cursor.started);
		assert_eq!(cursor.period, Meters::oldest_kept_period(DAY0 + 12 * 3_600_000));
		assert_eq!(cursor.day, Meters::oldest_kept_day(DAY0 + 12 * 3_600_000));
	});
}

#[test]
fn removes_periods_and_days_older_than_kept() {
	run(|| {
		set_now(DAY0);
		idle(Weight::MAX);
		two_hours_of_readings();
		assert_eq!(PeriodAggregates::<Test>::iter().count(), 8);
		// Three days on, the periods are past the two days kept; the day total is not.
		set_now(DAY0 + 3 * DAY_MS);
		let readings = vec![signed(1, energy(0, 10, 3 * 24 * 60, 2_000))];
		assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), readings));
		assert!(DayTotals::<Test>::get(day0(), 0).is_some());
		idle(Weight::MAX);
		assert_eq!(PeriodAggregates::<Test>::iter().count(), 0);
		assert!(DayTotals::<Test>::get(day0(), 0).is_some());
		assert!(MemberDays::<Test>::contains_key(day0(), 0));
		// Eleven days on, the day goes too, and its member's day with it.
		set_now(DAY0 + 11 * DAY_MS);
		idle(Weight::MAX);
		assert!(DayTotals::<Test>::get(day0(), 0).is_none());
		assert!(!MemberDays::<Test>::contains_key(day0(), 0));
		assert_eq!(Pruning::<Test>::get().day, day0() + 1);
	});
}

#[test]
fn pruning_stays_within_the_weight_it_is_given() {
	run(|| {
		// The cursor starts at DAY0's first period.
		set_now(DAY0 + 2 * DAY_MS);
		idle(Weight::MAX);
		two_hours_of_readings();
		set_now(DAY0 + 3 * DAY_MS);
		let base = <() as crate::WeightInfo>::prune(0);
		let per_item = <() as crate::WeightInfo>::prune(1) - base;
		// Room for the base and three steps: three of the eight periods go.
		let limit = base + per_item * 3;
		let used = idle(limit);
		assert!(used.all_lte(limit));
		assert_eq!(PeriodAggregates::<Test>::iter().count(), 5);
		assert_eq!(idle(Weight::zero()), Weight::zero());
		idle(Weight::MAX);
		assert_eq!(PeriodAggregates::<Test>::iter().count(), 0);
	});
}
