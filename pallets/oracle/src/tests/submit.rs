use crate::{mock::*, pallet::*, types::*, Event, FeedValues};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use pallet_registry::MemberId;
use FeedKind::*;

fn submit(account: u64, values: &[(Feed, PeriodIndex, i64)]) {
	assert_ok!(Oracle::submit_values(RuntimeOrigin::signed(account), batch(values)));
}

fn stored(kind: FeedKind, period: PeriodIndex) -> Option<FeedPeriodOf<Test>> {
	Values::<Test>::get(period, feed(kind))
}

#[test]
fn records_submissions_until_a_quorum_fixes_the_median() {
	run(|| {
		let hour_ago = NOON - 4;
		submit(1, &[(feed(OutdoorTemperature), hour_ago, 52)]);
		submit(2, &[(feed(OutdoorTemperature), hour_ago, 48)]);
		let pending = stored(OutdoorTemperature, hour_ago).unwrap();
		assert_eq!(pending.submissions.to_vec(), vec![(1, 52), (2, 48)]);
		assert_eq!(pending.value, None);
		System::assert_last_event(Event::ValuesSubmitted { provider: 2, count: 1 }.into());

		submit(3, &[(feed(OutdoorTemperature), hour_ago, 50)]);
		assert_eq!(stored(OutdoorTemperature, hour_ago).unwrap().value, Some(50));
		System::assert_has_event(
			Event::ValueFinalized {
				feed: feed(OutdoorTemperature),
				period: hour_ago,
				value: 50,
				providers: 3,
			}
			.into(),
		);
		assert_eq!(Oracle::value(OutdoorTemperature, b"DE-BE", hour_ago), Some(50));
		assert_eq!(Oracle::value(OutdoorTemperature, b"DE-BY", hour_ago), None);
	});
}

#[test]
fn records_outliers_at_the_quorum_and_after_it() {
	run(|| {
		let period = NOON - 1;
		submit(1, &[(feed(OutdoorTemperature), period, 100)]);
		submit(2, &[(feed(OutdoorTemperature), period, 350)]);
		submit(3, &[(feed(OutdoorTemperature), period, 110)]);
		// Median 110; 350 is 24.0 °C away, beyond the 2.0 °C tolerance.
		System::assert_has_event(
			Event::OutlierRecorded {
				feed: feed(OutdoorTemperature),
				period,
				provider: 2,
				submitted: 350,
				value: 110,
			}
			.into(),
		);
		// A late submission is kept and compared with the fixed value, which does not move.
		submit(4, &[(feed(OutdoorTemperature), period, 80)]);
		System::assert_has_event(
			Event::OutlierRecorded {
				feed: feed(OutdoorTemperature),
				period,
				provider: 4,
				submitted: 80,
				value: 110,
			}
			.into(),
		);
		submit(5, &[(feed(OutdoorTemperature), period, 120)]);
		let entry = stored(OutdoorTemperature, period).unwrap();
		assert_eq!(entry.value, Some(110));
		assert_eq!(entry.submissions.len(), 5);
		let outliers: Vec<MemberId> = System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::Oracle(Event::OutlierRecorded { provider, .. }) => Some(provider),
				_ => None,
			})
			.collect();
		assert_eq!(outliers, vec![2, 4]);
	});
}

#[test]
fn takes_prices_ahead_and_negative() {
	run(|| {
		let tomorrow = NOON + 48;
		for provider in 1..=3 {
			submit(provider, &[(feed(MarketPrice), tomorrow, -12_500 - provider as i64)]);
		}
		assert_eq!(stored(MarketPrice, tomorrow).unwrap().value, Some(-12_502));
	});
}

#[test]
fn records_a_batch_across_feeds() {
	run(|| {
		let values = [
			(feed(OutdoorTemperature), NOON - 2, 41),
			(feed(CarbonIntensity), NOON - 2, 380),
			(feed(MarketPrice), NOON, 95_000),
		];
		submit(1, &values);
		System::assert_last_event(Event::ValuesSubmitted { provider: 1, count: 3 }.into());
		assert_eq!(Values::<Test>::iter().count(), 3);
	});
}

#[test]
fn refuses_a_non_member() {
	run(|| {
		assert_noop!(
			Oracle::submit_values(
				RuntimeOrigin::signed(99),
				batch(&[(feed(MarketPrice), NOON, 1)])
			),
			Error::<Test>::NotAMember
		);
		TestMembers::suspend(1);
		assert_noop!(
			Oracle::submit_values(RuntimeOrigin::signed(1), batch(&[(feed(MarketPrice), NOON, 1)])),
			Error::<Test>::NotAMember
		);
	});
}

#[test]
fn refuses_a_member_without_the_provider_role() {
	run(|| {
		assert_noop!(
			Oracle::submit_values(RuntimeOrigin::signed(7), batch(&[(feed(MarketPrice), NOON, 1)])),
			Error::<Test>::NotAnOracleProvider
		);
	});
}

#[test]
fn refuses_an_empty_batch() {
	run(|| {
		assert_noop!(
			Oracle::submit_values(RuntimeOrigin::signed(1), batch(&[])),
			Error::<Test>::EmptyBatch
		);
	});
}

#[test]
fn refuses_an_invalid_region() {
	run(|| {
		for region in [&b""[..], b"DE BE", b"D\xc3\xa9"] {
			let odd =
				Feed { kind: MarketPrice, region: BoundedVec::truncate_from(region.to_vec()) };
			assert_noop!(
				Oracle::submit_values(RuntimeOrigin::signed(1), batch(&[(odd, NOON, 1)])),
				Error::<Test>::InvalidRegion
			);
		}
	});
}

#[test]
fn refuses_an_implausible_value() {
	run(|| {
		for (kind, value) in
			[(OutdoorTemperature, 601), (CarbonIntensity, -1), (MarketPrice, 20_000_001)]
		{
			assert_noop!(
				Oracle::submit_values(
					RuntimeOrigin::signed(1),
					batch(&[(feed(kind), NOON - 1, value)])
				),
				Error::<Test>::ImplausibleValue
			);
		}
	});
}

#[test]
fn refuses_a_period_older_than_the_window() {
	run(|| {
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(1),
			batch(&[(feed(OutdoorTemperature), NOON - 96, 10)])
		));
		assert_noop!(
			Oracle::submit_values(
				RuntimeOrigin::signed(1),
				batch(&[(feed(OutdoorTemperature), NOON - 97, 10)])
			),
			Error::<Test>::PeriodTooOld
		);
	});
}

#[test]
fn refuses_observations_of_periods_that_have_not_ended() {
	run(|| {
		for (kind, period) in
			[(OutdoorTemperature, NOON), (CarbonIntensity, NOON + 1), (MarketPrice, NOON + 97)]
		{
			assert_noop!(
				Oracle::submit_values(RuntimeOrigin::signed(1), batch(&[(feed(kind), period, 10)])),
				Error::<Test>::PeriodNotEnded
			);
		}
	});
}

#[test]
fn refuses_a_second_submission_and_keeps_the_batch_whole() {
	run(|| {
		submit(1, &[(feed(OutdoorTemperature), NOON - 1, 10)]);
		assert_noop!(
			Oracle::submit_values(
				RuntimeOrigin::signed(1),
				batch(&[
					(feed(CarbonIntensity), NOON - 1, 300),
					(feed(OutdoorTemperature), NOON - 1, 11)
				])
			),
			Error::<Test>::AlreadySubmitted
		);
	});
}

#[test]
fn refuses_more_providers_than_a_period_keeps() {
	run(|| {
		for provider in 1..=5 {
			submit(provider, &[(feed(CarbonIntensity), NOON - 1, 300)]);
		}
		assert_noop!(
			Oracle::submit_values(
				RuntimeOrigin::signed(6),
				batch(&[(feed(CarbonIntensity), NOON - 1, 300)])
			),
			Error::<Test>::TooManySubmissions
		);
	});
}

#[test]
fn refuses_values_before_the_clock_starts() {
	run(|| {
		set_now(0);
		assert_noop!(
			Oracle::submit_values(RuntimeOrigin::signed(1), batch(&[(feed(MarketPrice), 0, 1)])),
			Error::<Test>::NoClock
		);
	});
}

#[test]
fn the_mean_over_periods_counts_only_final_values() {
	run(|| {
		let first = NOON - 8;
		// Periods first..first+3 get final values 10, 11, −4 (three providers each); first+3
		// has one submission only, so no value.
		for (offset, value) in [(0, 10), (1, 11), (2, -4)] {
			for provider in 1..=3 {
				submit(provider, &[(feed(OutdoorTemperature), first + offset, value)]);
			}
		}
		submit(1, &[(feed(OutdoorTemperature), first + 3, 90)]);
		// (10 + 11 − 4) / 3 = 5.67 → 6.
		assert_eq!(Oracle::mean(OutdoorTemperature, b"DE-BE", first, 4), Some((6, 3)));
		// (11 − 4) / 2 = 3.5 → 4 and (−4 − 11) / 2 = −7.5 → −8 (half away from zero).
		assert_eq!(Oracle::mean(OutdoorTemperature, b"DE-BE", first + 1, 2), Some((4, 2)));
		submit_all(first + 4, -11);
		assert_eq!(Oracle::mean(OutdoorTemperature, b"DE-BE", first + 2, 3), Some((-8, 2)));
		assert_eq!(Oracle::mean(OutdoorTemperature, b"DE-BE", first + 3, 1), None);
		assert_eq!(Oracle::mean(OutdoorTemperature, b"DE-BY", first, 4), None);
	});
}

fn submit_all(period: PeriodIndex, value: i64) {
	for provider in 1..=3 {
		submit(provider, &[(feed(OutdoorTemperature), period, value)]);
	}
}
