//! The outdoor temperature forecast the chain's oracle holds for a site's region, as the
//! bridge's forecasts take it.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use smartblocks_client::{
	oracle::{feed, FeedKind, FeedSeries, FeedUnit},
	Client, ClientError,
};

/// Hours before and after a UTC day that some time zone's day reaches (UTC−12 to UTC+14).
const ZONE_REACH_HOURS: i64 = 14;
/// The temperatures the oracle takes, in tenths of a °C: anything else the node served is not
/// the chain's.
const PLAUSIBLE_TENTHS: std::ops::RangeInclusive<i64> = -900..=600;

/// The chain's temperature forecast for `region` over every period that some time zone's
/// `day` covers: °C by period start. Periods without a forecast are left out.
pub async fn temperature_forecast(
	client: &Client,
	region: &str,
	day: NaiveDate,
) -> Result<Vec<(DateTime<FixedOffset>, f64)>, ClientError> {
	let period_ms = client.period_ms().await?.max(1);
	let from = day.and_time(NaiveTime::MIN).and_utc() - TimeDelta::hours(ZONE_REACH_HOURS);
	let span_ms = TimeDelta::hours(24 + 2 * ZONE_REACH_HOURS).num_milliseconds().unsigned_abs();
	let first = u64::try_from(from.timestamp_millis()).unwrap_or(0) / period_ms;
	let (Ok(first), Ok(count)) = (u32::try_from(first), u32::try_from(span_ms / period_ms)) else {
		return Ok(Vec::new());
	};
	let forecast = feed(FeedKind::TemperatureForecast, region);
	Ok(celsius_by_period(&client.oracle_values(forecast, first, count).await?))
}

/// A forecast series' values in °C by period start; nothing if it is no temperature forecast,
/// and no value the oracle would not take.
pub fn celsius_by_period(series: &FeedSeries) -> Vec<(DateTime<FixedOffset>, f64)> {
	if series.kind != FeedKind::TemperatureForecast || series.unit != FeedUnit::DeciCelsius {
		return Vec::new();
	}
	series
		.periods
		.iter()
		.filter_map(|entry| {
			let entry = entry.as_ref()?;
			let tenths = entry.value.filter(|tenths| PLAUSIBLE_TENTHS.contains(tenths))?;
			let start = u64::from(entry.period).checked_mul(series.period_ms)?;
			let start_ms = i64::try_from(start).ok()?;
			let start = DateTime::<Utc>::from_timestamp_millis(start_ms)?.fixed_offset();
			Some((start, tenths as f64 / 10.0))
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use smartblocks_client::oracle::PeriodValue;

	fn value(period: u32, value: Option<i64>) -> Option<PeriodValue> {
		Some(PeriodValue { period, value, providers: 1, outliers: Vec::new() })
	}

	#[test]
	fn a_forecast_series_becomes_degrees_by_period_start() {
		// 2026-12-04T12:00Z is period 1 995 984 of 15 minutes.
		let first = 1_995_984;
		let series = FeedSeries {
			kind: FeedKind::TemperatureForecast,
			unit: FeedUnit::DeciCelsius,
			first_period: first,
			period_ms: 900_000,
			periods: vec![
				value(first, Some(-35)),
				None,
				value(first + 2, None),
				value(first + 3, Some(72)),
			],
		};
		let noon = "2026-12-04T12:00:00Z".parse::<DateTime<Utc>>().unwrap().fixed_offset();
		assert_eq!(
			celsius_by_period(&series),
			vec![(noon, -3.5), (noon + TimeDelta::minutes(45), 7.2)]
		);
		// From a node that is not telling the truth: a value the oracle would never take is
		// left out; a period at the end of time is harmless (no forecast hour matches it).
		let mut hostile = series.clone();
		hostile.periods[0] = value(first, Some(i64::MAX));
		hostile.periods[1] = value(u32::MAX, Some(10));
		let kept = celsius_by_period(&hostile);
		assert_eq!(kept.len(), 2, "{kept:?}");
		assert_eq!(kept[1], (noon + TimeDelta::minutes(45), 7.2));
		let observed = FeedSeries { kind: FeedKind::OutdoorTemperature, ..series.clone() };
		assert!(celsius_by_period(&observed).is_empty());
		let prices = FeedSeries { unit: FeedUnit::MilliPerMegawattHour, ..series };
		assert!(celsius_by_period(&prices).is_empty());
	}
}
