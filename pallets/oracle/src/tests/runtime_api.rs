use crate::{mock::*, types::*};
use frame_support::assert_ok;

#[test]
fn series_lists_values_providers_and_outliers() {
	run(|| {
		let temperature = feed(FeedKind::OutdoorTemperature);
		for (provider, value) in [(1, 100), (2, 104), (3, 300)] {
			assert_ok!(Oracle::submit_values(
				RuntimeOrigin::signed(provider),
				batch(&[(temperature.clone(), NOON - 2, value)])
			));
		}
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(1),
			batch(&[(temperature.clone(), NOON - 1, 90)])
		));
		let series = Oracle::series(temperature, NOON - 3, 3);
		assert_eq!(series.unit, FeedUnit::DeciCelsius);
		assert_eq!(series.period_ms, PERIOD);
		assert_eq!(
			series.periods,
			vec![
				None,
				Some(PeriodValue {
					period: NOON - 2,
					value: Some(104),
					providers: 3,
					outliers: vec![(3, 300)]
				}),
				Some(PeriodValue { period: NOON - 1, value: None, providers: 1, outliers: vec![] }),
			]
		);
	});
}

#[test]
fn series_is_capped() {
	run(|| {
		let series = Oracle::series(feed(FeedKind::MarketPrice), 0, u32::MAX);
		assert_eq!(series.periods.len() as u32, crate::runtime_api::MAX_SERIES);
	});
}
