//! Temperature forecasts: taken for periods to come only, revised by their providers, their
//! value the median of the latest forecasts, and never a value contracts settle on.

use crate::{mock::*, pallet::*, types::*, Event, FeedValues};
use frame_support::{assert_noop, assert_ok};
use FeedKind::*;

fn forecast(account: u64, period: PeriodIndex, value: i64) {
	assert_ok!(Oracle::submit_values(
		RuntimeOrigin::signed(account),
		batch(&[(feed(TemperatureForecast), period, value)])
	));
}

fn revised(period: PeriodIndex, value: i64, providers: u32) -> RuntimeEvent {
	Event::ForecastRevised { feed: feed(TemperatureForecast), period, value, providers }.into()
}

fn revisions() -> usize {
	System::events()
		.iter()
		.filter(|record| {
			matches!(record.event, RuntimeEvent::Oracle(Event::ForecastRevised { .. }))
		})
		.count()
}

#[test]
fn a_forecast_is_taken_for_periods_yet_to_begin_up_to_the_lead() {
	run(|| {
		let submit = |period| {
			Oracle::submit_values(
				RuntimeOrigin::signed(1),
				batch(&[(feed(TemperatureForecast), period, 50)]),
			)
		};
		// The period that has begun and every one before it are past forecasting.
		assert_noop!(submit(NOON), Error::<Test>::PeriodTooOld);
		assert_noop!(submit(NOON - 1), Error::<Test>::PeriodTooOld);
		assert_noop!(submit(NOON + 97), Error::<Test>::PeriodNotEnded);
		assert_ok!(submit(NOON + 1));
		assert_ok!(submit(NOON + 96));
		assert_noop!(
			Oracle::submit_values(
				RuntimeOrigin::signed(1),
				batch(&[(feed(TemperatureForecast), NOON + 4, 601)])
			),
			Error::<Test>::ImplausibleValue
		);
	});
}

#[test]
fn providers_revise_their_forecasts_and_the_value_follows_the_median() {
	run(|| {
		let period = NOON + 8;
		forecast(1, period, 50);
		forecast(2, period, 60);
		assert_eq!(Values::<Test>::get(period, feed(TemperatureForecast)).unwrap().value, None);
		forecast(3, period, 70);
		System::assert_has_event(revised(period, 60, 3));

		// Provider 3 revises: its forecast is replaced, not added, and the median moves.
		forecast(3, period, 40);
		let entry = Values::<Test>::get(period, feed(TemperatureForecast)).unwrap();
		assert_eq!(entry.submissions.to_vec(), vec![(1, 50), (2, 60), (3, 40)]);
		assert_eq!(entry.value, Some(50));
		System::assert_last_event(Event::ValuesSubmitted { provider: 3, count: 1 }.into());
		System::assert_has_event(revised(period, 50, 3));
		assert_eq!(revisions(), 2);

		// A revision that leaves the median where it was reports nothing.
		forecast(2, period, 65);
		assert_eq!(revisions(), 2);
		assert_eq!(Values::<Test>::get(period, feed(TemperatureForecast)).unwrap().value, Some(50));
	});
}

#[test]
fn a_forecast_keeps_following_the_median_after_the_quorum_is_raised() {
	run(|| {
		let period = NOON + 2;
		for (provider, value) in [(1, 10), (2, 20), (3, 30)] {
			forecast(provider, period, value);
		}
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 5));
		forecast(2, period, 35);
		let entry = Values::<Test>::get(period, feed(TemperatureForecast)).unwrap();
		assert_eq!(entry.value, Some(30));
		System::assert_has_event(revised(period, 30, 3));
	});
}

#[test]
fn a_forecast_short_of_the_quorum_gets_its_value_when_the_quorum_is_lowered() {
	run(|| {
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 4));
		let period = NOON + 3;
		for (provider, value) in [(1, 10), (2, 20), (3, 30)] {
			forecast(provider, period, value);
		}
		assert_noop!(
			Oracle::finalize_value(RuntimeOrigin::signed(7), feed(TemperatureForecast), period),
			Error::<Test>::QuorumNotReached
		);
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 3));
		assert_ok!(Oracle::finalize_value(
			RuntimeOrigin::signed(7),
			feed(TemperatureForecast),
			period
		));
		System::assert_last_event(revised(period, 20, 3));

		// A forecast's period that has begun keeps what it had: none, here.
		let late = NOON + 5;
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 4));
		for provider in 1..=3 {
			forecast(provider, late, 40);
		}
		assert_ok!(Oracle::set_quorum(RuntimeOrigin::root(), 3));
		set_now(DAY0 + 12 * 3_600_000 + 5 * PERIOD);
		assert_noop!(
			Oracle::finalize_value(RuntimeOrigin::signed(7), feed(TemperatureForecast), late),
			Error::<Test>::PeriodTooOld
		);
	});
}

#[test]
fn a_batch_holds_one_value_per_feed_and_period() {
	run(|| {
		let twice = [
			(feed(TemperatureForecast), NOON + 4, -900),
			(feed(TemperatureForecast), NOON + 4, 600),
		];
		assert_noop!(
			Oracle::submit_values(RuntimeOrigin::signed(1), batch(&twice)),
			Error::<Test>::DuplicateValue
		);
		let observed_twice =
			[(feed(OutdoorTemperature), NOON - 1, 50), (feed(OutdoorTemperature), NOON - 1, 50)];
		assert_noop!(
			Oracle::submit_values(RuntimeOrigin::signed(1), batch(&observed_twice)),
			Error::<Test>::DuplicateValue
		);
		// The same period of two feeds is two values.
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(1),
			batch(&[(feed(TemperatureForecast), NOON + 4, 50), (feed(MarketPrice), NOON + 4, 50)])
		));
	});
}

#[test]
fn a_forecast_stands_as_it_was_when_its_period_began_and_settles_nothing() {
	run(|| {
		let period = NOON + 1;
		for provider in 1..=3 {
			forecast(provider, period, 70 + provider as i64);
		}
		assert_eq!(Values::<Test>::get(period, feed(TemperatureForecast)).unwrap().value, Some(72));
		// Contracts read final values only: never a forecast, alone or in a mean.
		assert_eq!(Oracle::value(TemperatureForecast, b"DE-BE", period), None);
		assert_eq!(Oracle::mean(TemperatureForecast, b"DE-BE", period, 1), None);

		// The period begins: no provider can move its forecast any more.
		set_now(DAY0 + 12 * 3_600_000 + PERIOD);
		assert_noop!(
			Oracle::submit_values(
				RuntimeOrigin::signed(1),
				batch(&[(feed(TemperatureForecast), period, 10)])
			),
			Error::<Test>::PeriodTooOld
		);
		// The observed temperature of the same period is a feed of its own, taken once it ends.
		set_now(DAY0 + 12 * 3_600_000 + 2 * PERIOD);
		for provider in 1..=3 {
			assert_ok!(Oracle::submit_values(
				RuntimeOrigin::signed(provider),
				batch(&[(feed(OutdoorTemperature), period, 60)])
			));
		}
		assert_eq!(Oracle::value(OutdoorTemperature, b"DE-BE", period), Some(60));
		let series = Oracle::series(feed(TemperatureForecast), period, 1);
		assert_eq!(series.unit, FeedUnit::DeciCelsius);
		assert_eq!(series.periods[0].as_ref().and_then(|p| p.value), Some(72));
	});
}

#[test]
fn an_observation_is_still_submitted_once() {
	run(|| {
		let submit = || {
			Oracle::submit_values(
				RuntimeOrigin::signed(1),
				batch(&[(feed(OutdoorTemperature), NOON - 1, 50)]),
			)
		};
		assert_ok!(submit());
		assert_noop!(submit(), Error::<Test>::AlreadySubmitted);
	});
}
