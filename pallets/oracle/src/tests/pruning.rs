use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_ok, traits::Hooks, weights::Weight};

#[test]
fn removes_periods_older_than_kept_in_idle_blocks() {
	run(|| {
		// The first idle block places the cursor at the horizon.
		Oracle::on_idle(1, Weight::MAX);
		assert_eq!(Pruning::<Test>::get(), PruneCursor { period: NOON - 192, started: true });
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(1),
			batch(&[
				(feed(FeedKind::OutdoorTemperature), NOON - 10, 10),
				(feed(FeedKind::CarbonIntensity), NOON - 10, 300),
				(feed(FeedKind::MarketPrice), NOON + 4, 80_000),
			])
		));
		// Two days and a bit later NOON − 10 is past the horizon; NOON + 4 is not.
		set_now(DAY0 + 12 * 3_600_000 + 192 * PERIOD - 5 * PERIOD);
		Oracle::on_idle(2, Weight::MAX);
		assert_eq!(Values::<Test>::iter_prefix(NOON - 10).count(), 0);
		assert!(Values::<Test>::contains_key(NOON + 4, feed(FeedKind::MarketPrice)));
		assert_eq!(Pruning::<Test>::get().period, NOON - 5);
	});
}

#[test]
fn prunes_nothing_without_the_weight_for_it() {
	run(|| {
		assert_eq!(Oracle::on_idle(1, Weight::zero()), Weight::zero());
		assert!(!Pruning::<Test>::get().started);
	});
}
