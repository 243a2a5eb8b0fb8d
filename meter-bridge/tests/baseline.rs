//! Baselines and forecasts: synthetic series with known coefficients are recovered by the
//! daily and hourly fits, CSV input is read or refused with its line, data sufficiency is
//! checked, contracts get the daily model in their units, and the bridge's own readings become
//! a site's hours.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, TimeZone};
use common::{offset, synthetic_days, synthetic_hours, Noise};
use meter_bridge::{
	baseline::{
		chain_baseline,
		daily::{self, DailyForm, DailySettings},
		forecast::{self, TemperatureSource},
		history,
		hourly::{self, DayTypes, Segmentation},
		series::{self, DailyObservation, Series},
		sufficiency, FitError,
	},
	config::Config,
	measure::MeterState,
	outbox::{Identity, Outbox},
};
use smartblocks_client::{
	meters::{Reading, SignedReading},
	subxt::ext::codec::Encode,
};

fn no_progress() -> impl FnMut(usize, usize) {
	|_, _| {}
}

#[test]
fn the_daily_fit_recovers_known_coefficients_and_balance_points() {
	let days = synthetic_days(365);
	assert!(sufficiency::daily(&days).is_empty());
	let mut reported = Vec::new();
	let model = daily::fit(&days, &DailySettings::default(), &mut |done, total| {
		reported.push((done, total))
	})
	.unwrap();
	assert_eq!(model.form, DailyForm::HeatingCooling);
	assert!((model.intercept - 50_000.0).abs() < 1_000.0, "{model:?}");
	assert!((model.heating_slope - 3_000.0).abs() < 150.0, "{model:?}");
	assert!((model.cooling_slope - 5_000.0).abs() < 500.0, "{model:?}");
	assert!((model.heating_balance.unwrap() - 15.0).abs() <= 0.5, "{model:?}");
	assert!((model.cooling_balance.unwrap() - 21.0).abs() <= 1.0, "{model:?}");
	assert!(model.statistics.r_squared > 0.9, "{model:?}");
	assert!(model.statistics.nmbe.abs() < 1e-9, "least squares with an intercept has no bias");
	assert_eq!(model.statistics.parameters, 3);
	assert_eq!(model.statistics.observations, 365);
	// The progress line ends with every candidate fitted.
	let (done, total) = *reported.last().unwrap();
	assert_eq!(done, total);
	assert!(reported.len() > 2);
	// Predictions follow the formula.
	assert!(
		(model.predict(0.0)
			- (model.intercept + model.heating_slope * (model.heating_balance.unwrap())))
		.abs() < 1e-6
	);
}

#[test]
fn the_daily_fit_keeps_only_terms_the_weather_supports() {
	// Never colder than 16 °C: no heating term qualifies; use rises with cooling only.
	let mut noise = Noise(3);
	let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
	let warm: Vec<DailyObservation> = (0..365)
		.map(|day| {
			let t = 24.0 + 6.0 * noise.next();
			let energy = 20_000.0 + 4_000.0 * (t - 22.0).max(0.0) + 500.0 * noise.next();
			DailyObservation { day: first + TimeDelta::days(day), energy, temperature: t }
		})
		.collect();
	let model = daily::fit(&warm, &DailySettings::default(), &mut no_progress()).unwrap();
	assert_eq!(model.form, DailyForm::Cooling, "{model:?}");
	assert_eq!(model.heating_slope, 0.0);
	assert_eq!(model.heating_balance, None);

	// Heated, never cooled: the heating term only.
	let heated: Vec<DailyObservation> = synthetic_days(365)
		.into_iter()
		.map(|d| DailyObservation {
			energy: 30_000.0 + 2_000.0 * (16.0 - d.temperature).max(0.0) + 1_000.0 * noise.next(),
			..d
		})
		.collect();
	let model = daily::fit(&heated, &DailySettings::default(), &mut no_progress()).unwrap();
	assert_eq!(model.form, DailyForm::Heating, "{model:?}");
	assert_eq!(model.cooling_balance, None);
	assert!((model.heating_balance.unwrap() - 16.0).abs() <= 0.5, "{model:?}");

	// Use that does not change: the intercept, its value.
	let flat: Vec<DailyObservation> = synthetic_days(365)
		.into_iter()
		.map(|d| DailyObservation { energy: 30_000.0, ..d })
		.collect();
	let model = daily::fit(&flat, &DailySettings::default(), &mut no_progress()).unwrap();
	assert_eq!(model.form, DailyForm::InterceptOnly, "{model:?}");
	assert!((model.intercept - 30_000.0).abs() < 1e-6);
}

#[test]
fn too_few_days_are_refused() {
	let err =
		daily::fit(&synthetic_days(1), &DailySettings::default(), &mut no_progress()).unwrap_err();
	assert!(matches!(err, FitError::TooFewObservations { observations: 1, .. }), "{err}");
}

#[test]
fn contracts_take_the_daily_model_in_their_units() {
	let model =
		daily::fit(&synthetic_days(365), &DailySettings::default(), &mut no_progress()).unwrap();
	let baseline = chain_baseline(&model).unwrap();
	assert_eq!(baseline.intercept, model.intercept.round() as i64);
	assert_eq!(baseline.heating_slope, model.heating_slope.round() as u64);
	assert_eq!(baseline.heating_balance, (model.heating_balance.unwrap() * 10.0).round() as i16);
	assert_eq!(baseline.cooling_balance, (model.cooling_balance.unwrap() * 10.0).round() as i16);
	assert_eq!(baseline.cv_rmse, (model.statistics.cv_rmse * 1e6).round() as u32);
	assert_eq!(baseline.observations, 365);
	assert_eq!(baseline.parameters, 3);
	let rho = model.statistics.autocorrelation.max(0.0);
	assert_eq!(baseline.autocorrelation, (rho * 1e6).round() as u32);
	let chain: smartblocks_client::contracts::DailyBaseline = baseline.clone().into();
	assert_eq!(chain.cv_rmse.0, baseline.cv_rmse);
	assert_eq!(chain.autocorrelation.0, baseline.autocorrelation);
	// Residuals that alternate are recorded as independent ones: ρ = 0, never below.
	let alternating = daily::DailyModel {
		statistics: meter_bridge::baseline::stats::FitStatistics {
			autocorrelation: -0.3,
			..model.statistics
		},
		..model.clone()
	};
	assert_eq!(chain_baseline(&alternating).unwrap().autocorrelation, 0);

	let negative = daily::DailyModel { intercept: -1.0, ..model.clone() };
	assert!(matches!(chain_baseline(&negative), Err(FitError::NotForContracts(_))));
	// The spread in tenths of a kelvin, within what the chain takes.
	let spread = daily::DailyModel { temperature_spread: 2.5, ..model.clone() };
	assert_eq!(chain_baseline(&spread).unwrap().temperature_spread, 25);
	let wide = daily::DailyModel { temperature_spread: 10.5, ..model };
	assert!(matches!(chain_baseline(&wide), Err(FitError::NotForContracts(_))));
}

#[test]
fn the_daily_fit_finds_the_spread_of_days_heated_hour_by_hour() {
	// A building heated by the hour below 15 °C (3 kWh per K·day), on days whose hours swing
	// ±4 K around their mean: some hours of a day with a mean of 16 °C are heated. A straight
	// hinge on the mean cannot see that; degree-days with the swing's spread (4 / √2 ≈ 2.8 K)
	// do.
	let mut noise = Noise(41);
	let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
	let days: Vec<DailyObservation> = (0..365)
		.map(|day| {
			let mean = common::seasonal_temperature(day, &mut noise);
			let heating: f64 = (0..24)
				.map(|hour| {
					let t = mean + 4.0 * (f64::from(hour) / 24.0 * std::f64::consts::TAU).cos();
					(15.0 - t).max(0.0) / 24.0
				})
				.sum();
			DailyObservation {
				day: first + TimeDelta::days(day as i64),
				energy: 40_000.0 + 3_000.0 * heating + 1_000.0 * noise.next(),
				temperature: mean,
			}
		})
		.collect();
	let model = daily::fit(&days, &DailySettings::default(), &mut no_progress()).unwrap();
	assert_eq!(model.form, DailyForm::Heating, "{model:?}");
	assert!((2.0..=3.0).contains(&model.temperature_spread), "{model:?}");
	assert!((model.heating_balance.unwrap() - 15.0).abs() <= 0.5, "{model:?}");
	assert!((model.heating_slope - 3_000.0).abs() < 150.0, "{model:?}");
	// A day at its balance point still heats: 3 kWh × σ φ(0).
	let at_balance = model.predict(model.heating_balance.unwrap()) - model.intercept;
	assert!((at_balance - model.heating_slope * model.temperature_spread * 0.3989).abs() < 1.0);
	// CalTRACK's straight hinge alone fits these days worse.
	let straight = DailySettings { spreads: vec![0.0], ..DailySettings::default() };
	let hinge = daily::fit(&days, &straight, &mut no_progress()).unwrap();
	assert_eq!(hinge.temperature_spread, 0.0);
	assert!(hinge.statistics.cv_rmse > 1.5 * model.statistics.cv_rmse, "{hinge:?} {model:?}");
}

#[test]
fn sufficiency_names_a_short_or_gappy_baseline() {
	let short = synthetic_days(200);
	let problems = sufficiency::daily(&short);
	assert_eq!(problems.len(), 1, "{problems:?}");
	assert!(problems[0].contains("span 200 days"), "{problems:?}");

	let gappy: Vec<DailyObservation> = synthetic_days(365)
		.into_iter()
		.enumerate()
		.filter(|(i, _)| i % 5 != 1)
		.map(|(_, d)| d)
		.collect();
	let problems = sufficiency::daily(&gappy);
	assert!(problems.iter().any(|p| p.contains("292 of 365 days")), "{problems:?}");
}

#[test]
fn the_hourly_fit_learns_occupancy_and_reproduces_a_year() {
	let hours = synthetic_hours(365);
	assert!(sufficiency::hourly(&hours).is_empty(), "{:?}", sufficiency::hourly(&hours));
	let mut segments_reported = 0;
	let model = hourly::fit(&hours, Segmentation::ThreeMonthWeighted, &mut |done, total| {
		assert_eq!(total, 12);
		segments_reported = done;
	})
	.unwrap();
	assert_eq!(segments_reported, 12);
	assert_eq!(model.segments.len(), 12);
	let january = &model.segments[0];
	assert_eq!(january.month, Some(1));
	// Tuesday 10:00 is occupied, Sunday 03:00 and Wednesday 22:00 are not.
	assert!(january.occupied[24 + 10]);
	assert!(!january.occupied[6 * 24 + 3]);
	assert!(!january.occupied[2 * 24 + 22]);
	// Noise of ±0.5 kWh (σ ≈ 0.29 kWh) on a mean near 12 kWh: CV(RMSE) near 2.5 %.
	assert!(model.statistics.cv_rmse < 0.04, "{:?}", model.statistics);
	assert!(model.statistics.r_squared > 0.98, "{:?}", model.statistics);
	// A cold occupied hour is predicted from the occupied slope.
	let hour = &hours[24 + 10];
	let predicted = model.predict(hour, 0.0).unwrap();
	assert!((predicted - (20_000.0 + 1_500.0 * 12.0)).abs() < 1_500.0, "{predicted}");
	let predicted = model.predict(&hours[6 * 24 + 3], 0.0).unwrap();
	assert!((predicted - (8_000.0 + 500.0 * 12.0)).abs() < 1_000.0, "{predicted}");
}

/// A year of hours from 2025-01-06 (a Monday): `use_of(hour of week, °C)` plus Gaussian noise of
/// 1 kWh, at a seasonal temperature that swings 4 K over the day (warmest at 15:00).
fn hours_of(use_of: impl Fn(usize, f64) -> f64) -> Vec<series::HourlyObservation> {
	let mut noise = Noise(31);
	let start = offset().with_ymd_and_hms(2025, 1, 6, 0, 0, 0).unwrap();
	(0..365 * 24)
		.map(|hour| {
			let at = start + TimeDelta::hours(hour);
			let day = (hour / 24) as usize;
			let hour_of_day = (hour % 24) as f64;
			let t = common::seasonal_temperature(day, &mut noise)
				+ 4.0 * ((hour_of_day - 15.0) / 24.0 * std::f64::consts::TAU).cos();
			let energy = use_of((hour % 168) as usize, t) + 1_000.0 * noise.gaussian();
			series::HourlyObservation { start: at, energy: Some(energy), temperature: Some(t) }
		})
		.collect()
}

#[test]
fn the_hourly_fit_keeps_as_many_day_types_as_the_data_show() {
	let single = |hours: &[series::HourlyObservation]| {
		let model = hourly::fit(hours, Segmentation::Single, &mut no_progress()).unwrap();
		assert_eq!(model.segments.len(), 1);
		model.segments[0].clone()
	};
	// A home: every day alike, more in the evening.
	let evening = |how: usize| if (17..23).contains(&(how % 24)) { 9_000.0 } else { 5_000.0 };
	let home = single(&hours_of(|how, _| evening(how)));
	assert_eq!(home.day_types, DayTypes::AllDays);
	assert_eq!(home.hour_of_week[18], home.hour_of_week[5 * 24 + 18]);
	// An office: weekdays alike, weekends quiet (synthetic_hours).
	let office = single(&synthetic_hours(365));
	assert_eq!(office.day_types, DayTypes::WeekdaysAndWeekend);
	// A shop that opens late on Mondays: each day its own.
	let shop = single(&hours_of(|how, _| {
		let open = how < 5 * 24 && (9..18).contains(&(how % 24)) && !(0..12).contains(&how);
		if open {
			15_000.0
		} else {
			6_000.0
		}
	}));
	assert_eq!(shop.day_types, DayTypes::EachDay);
	let (monday, tuesday) = (shop.hour_of_week[10].unwrap(), shop.hour_of_week[24 + 10].unwrap());
	assert!((monday - 6_000.0).abs() < 500.0 && (tuesday - 15_000.0).abs() < 500.0);
}

#[test]
fn the_hourly_fit_learns_cooling_that_differs_by_hour_of_day() {
	// Cooling above 18 °C from noon to 18:00 only (sun on the façade), 2 kWh per K.
	let afternoon = |how: usize| (12..18).contains(&(how % 24));
	let hours = hours_of(|how, t| {
		5_000.0 + if afternoon(how) { 2_000.0 * (t - 18.0).max(0.0) } else { 0.0 }
	});
	let model = hourly::fit(&hours, Segmentation::Single, &mut no_progress()).unwrap();
	let at = |hour: usize| &hours[hour];
	// A Wednesday at 30 °C: 29 kWh at 15:00, 5 kWh at 03:00.
	let three_pm = model.predict(at(2 * 24 + 15), 30.0).unwrap();
	let three_am = model.predict(at(2 * 24 + 3), 30.0).unwrap();
	assert!((three_pm - 29_000.0).abs() < 2_000.0, "{three_pm}");
	assert!((three_am - 5_000.0).abs() < 2_000.0, "{three_am}");
	let segment = &model.segments[0];
	assert!(segment.cooling_by_hour[15] > segment.cooling_by_hour[3] + 1_500.0, "{segment:?}");
}

#[test]
fn a_forecast_uses_given_temperatures_and_persistence_for_the_rest() {
	let hours = synthetic_hours(70);
	let last = hours.last().unwrap().start;
	let tomorrow = (last + TimeDelta::hours(1)).date_naive();
	let ten = offset().from_local_datetime(&tomorrow.and_hms_opt(10, 0, 0).unwrap()).unwrap();
	let forecast = forecast::next_day(&hours, &[(ten, -5.0)], None).unwrap();
	assert_eq!(forecast.day, tomorrow);
	assert_eq!(forecast.hours.len(), 24);
	let at_ten = &forecast.hours[10];
	assert_eq!(at_ten.start, ten);
	assert_eq!(at_ten.temperature, -5.0);
	assert_eq!(at_ten.temperature_source, TemperatureSource::Forecast);
	assert_eq!(forecast.hours[3].temperature_source, TemperatureSource::Persistence);
	assert_eq!(Some(forecast.hours[3].temperature), hours[hours.len() - 21].temperature);
	let weekday = tomorrow.weekday().num_days_from_monday() < 5;
	let expected = if weekday { 20_000.0 + 1_500.0 * 17.0 } else { 8_000.0 + 500.0 * 17.0 };
	let energy = at_ten.energy.unwrap();
	assert!((energy - expected).abs() < 2_000.0, "{energy} vs {expected}");
	let total: f64 = forecast.hours.iter().filter_map(|h| h.energy).sum();
	assert_eq!(forecast.total, total);

	// The oracle's forecast comes in 15-minute periods at UTC: an hour's is their mean, and
	// an hour with some of them has one.
	let quarters: Vec<_> = [(0, -4.0), (15, -5.0), (30, -6.0), (45, -7.0), (60, 3.0)]
		.into_iter()
		.map(|(minutes, t)| ((ten + TimeDelta::minutes(minutes)).to_utc().fixed_offset(), t))
		.collect();
	let forecast = forecast::next_day(&hours, &quarters, None).unwrap();
	assert_eq!(forecast.hours[10].temperature, -5.5);
	assert_eq!(forecast.hours[11].temperature, 3.0);
	assert_eq!(forecast.hours[11].temperature_source, TemperatureSource::Forecast);
	assert_eq!(forecast.hours[12].temperature_source, TemperatureSource::Persistence);

	let err = forecast::next_day(&hours[..100], &[], None).unwrap_err();
	assert!(matches!(err, FitError::Insufficient(_)), "{err}");
}

#[test]
fn a_days_forecast_is_made_from_the_hours_before_it_only() {
	let hours = synthetic_hours(40);
	// 2025-02-04, a Tuesday: the 30th day of the series, with ten days of history after it.
	let day = NaiveDate::from_ymd_opt(2025, 2, 4).unwrap();
	let before = hours.iter().filter(|h| h.start.date_naive() < day).count();
	assert_eq!(before, 29 * 24);
	let forecast = forecast::day_ahead(&hours, day, &[], None).unwrap();
	assert_eq!(forecast.day, day);
	assert_eq!(forecast.hours[0].start, offset().from_local_datetime(&day.into()).unwrap());
	// What happened on the day and after it changes nothing: the forecast is the one made at
	// the day's start.
	let mut later_changed = hours.clone();
	for hour in &mut later_changed[before..] {
		hour.energy = hour.energy.map(|e| e * 3.0);
		hour.temperature = Some(40.0);
	}
	assert_eq!(forecast::day_ahead(&later_changed, day, &[], None).unwrap(), forecast);
	assert_eq!(forecast::day_ahead(&hours[..before], day, &[], None).unwrap(), forecast);
	assert_eq!(forecast::next_day(&hours[..before], &[], None).unwrap(), forecast);
	// Persistence takes the day before's temperatures.
	assert_eq!(Some(forecast.hours[7].temperature), hours[before - 24 + 7].temperature);

	// The first day has nothing before it; the second too little.
	let first = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
	let err = forecast::day_ahead(&hours, first, &[], None).unwrap_err().to_string();
	assert!(err.contains("there is no history before 2025-01-06"), "{err}");
	let err = forecast::day_ahead(&hours, first.succ_opt().unwrap(), &[], None).unwrap_err();
	assert!(err.to_string().contains("24 hours with use and temperature"), "{err}");
}

#[test]
fn a_forecast_day_has_the_hours_of_the_sites_clock_also_when_the_clocks_change() {
	let hours = synthetic_hours(300);
	let berlin = Some(chrono_tz::Europe::Berlin);
	let hour_starts = |day: NaiveDate| -> Vec<String> {
		let forecast = forecast::day_ahead(&hours, day, &[], berlin).unwrap();
		let starts: Vec<_> = forecast.hours.iter().map(|hour| hour.start).collect();
		assert!(starts.windows(2).all(|pair| pair[1] - pair[0] == TimeDelta::hours(1)));
		assert!(forecast.hours.iter().all(|hour| hour.energy.is_some()), "{day}");
		starts.iter().map(DateTime::to_rfc3339).collect()
	};
	// Spring forward: 02:00 never comes, the day has 23 hours.
	let spring = hour_starts(NaiveDate::from_ymd_opt(2025, 3, 30).unwrap());
	assert_eq!(spring.len(), 23);
	assert_eq!(
		spring[..3],
		["2025-03-30T00:00:00+01:00", "2025-03-30T01:00:00+01:00", "2025-03-30T03:00:00+02:00"]
	);
	assert_eq!(spring[22], "2025-03-30T23:00:00+02:00");
	// Fall back: 02:00 comes twice, the day has 25 hours.
	let autumn = hour_starts(NaiveDate::from_ymd_opt(2025, 10, 26).unwrap());
	assert_eq!(autumn.len(), 25);
	assert_eq!(autumn[2..4], ["2025-10-26T02:00:00+02:00", "2025-10-26T02:00:00+01:00"]);
	assert_eq!(autumn[24], "2025-10-26T23:00:00+01:00");
	// A summer day keeps summer time all day, whatever offset the hours before it carried.
	let summer = hour_starts(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
	assert_eq!((summer.len(), summer[0].as_str()), (24, "2025-07-01T00:00:00+02:00"));
	// A winter day in the zone is the day at the offset of the hours before it.
	let day = NaiveDate::from_ymd_opt(2025, 2, 4).unwrap();
	assert_eq!(
		forecast::day_ahead(&hours, day, &[], berlin).unwrap(),
		forecast::day_ahead(&hours, day, &[], None).unwrap()
	);
}

#[test]
fn csv_series_are_read_as_days_or_hours_in_our_units() {
	let days = "start,energy_kwh,temperature_f\n\
		2025-03-01T00:00:00+01:00,12.5,50\n\
		2025-03-02T00:00:00+01:00,13,\n\
		2025-03-03T00:00:00+01:00,14,32\n";
	let Series::Daily(read) = series::read_csv(days.as_bytes(), "days.csv").unwrap() else {
		panic!("days expected")
	};
	// The day without a temperature is left out.
	assert_eq!(read.len(), 2);
	assert_eq!(read[0].energy, 12_500.0);
	assert!((read[0].temperature - 10.0).abs() < 1e-9);
	assert_eq!(read[1].temperature, 0.0);

	let hours = synthetic_hours(3);
	let text = series::write_csv(&hours);
	let Series::Hourly(back) = series::read_csv(text.as_bytes(), "hours.csv").unwrap() else {
		panic!("hours expected")
	};
	assert_eq!(back.len(), hours.len());
	assert_eq!(back[5].start, hours[5].start);
	assert!((back[5].energy.unwrap() - hours[5].energy.unwrap()).abs() < 1e-3);
	// Whole days from hours: the chain's days (UTC), each the sum of its 24 hours. The hours
	// start at midnight at +01:00, 23:00 UTC the day before: two whole UTC days.
	let summed = Series::Hourly(back).days();
	assert_eq!(summed.len(), 2);
	assert_eq!(summed[0].day, NaiveDate::from_ymd_opt(2025, 1, 6).unwrap());
	let first: f64 = hours[1..25].iter().map(|h| h.energy.unwrap()).sum();
	assert!((summed[0].energy - first).abs() < 0.1);
}

#[test]
fn a_bridge_history_of_one_midnight_hour_is_an_hour() {
	// Just after midnight on the site's clock the bridge's history holds one hour starting at
	// 00:00, which alone would look like a day.
	let text = "start,energy_wh,temperature_c\n2026-11-27T00:00:00+01:00,1554,4.5\n";
	let Series::Daily(_) = series::read_csv(text.as_bytes(), "file.csv").unwrap() else {
		panic!("a file of one midnight row reads as a day")
	};
	let hours = series::read_hours_csv(text.as_bytes(), "/history").unwrap();
	assert_eq!(hours.len(), 1);
	assert_eq!(hours[0].energy, Some(1554.0));
	let late = "start,energy_wh,temperature_c\n2026-11-27T00:30:00+01:00,1554,4.5\n";
	let err = series::read_hours_csv(late.as_bytes(), "/history").unwrap_err().to_string();
	assert!(err.contains("is not on the hour"), "{err}");
}

#[test]
fn a_day_missing_an_hour_is_no_day() {
	// Hours 1–24 are 2025-01-06 UTC, 25–48 2025-01-07.
	let mut hours = synthetic_hours(3);
	assert_eq!(series::days_of(&hours).len(), 2);
	hours[30].energy = None;
	let days = series::days_of(&hours);
	assert_eq!(days.len(), 1);
	assert_eq!(days[0].day, NaiveDate::from_ymd_opt(2025, 1, 6).unwrap());
}

#[test]
fn days_are_the_chains_utc_days_also_when_the_sites_clocks_change() {
	// Berlin's hours around 2025-03-30 (23 hours on the wall clock): the UTC days stay 24 hours
	// long, the days energy performance contracts settle.
	let berlin = chrono_tz::Europe::Berlin;
	let first = berlin.with_ymd_and_hms(2025, 3, 29, 0, 0, 0).unwrap();
	let hours: Vec<_> = (0..96)
		.map(|hour| series::HourlyObservation {
			start: (first + TimeDelta::hours(hour)).fixed_offset(),
			energy: Some(1_000.0),
			temperature: Some(5.0),
		})
		.collect();
	let days = series::days_of(&hours);
	let dates: Vec<String> = days.iter().map(|day| day.day.to_string()).collect();
	assert_eq!(dates, ["2025-03-29", "2025-03-30", "2025-03-31"]);
	assert!(days.iter().all(|day| day.energy == 24_000.0));
}

#[test]
fn bad_csv_is_refused_with_file_line_and_problem() {
	let cases = [
		("energy_wh,temperature_c\n1,2\n", "data.csv: line 1: no `start` column"),
		("start,energy_wh\n2025-01-01T00:00:00Z,1\n", "no `temperature_c` or `temperature_f`"),
		(
			"start,energy_wh,temperature_c\n2025-01-01T00:00:00Z,1,2\nyesterday,1,2\n",
			"line 3: start `yesterday`",
		),
		(
			"start,energy_wh,temperature_c\n2025-01-01T00:00:00Z,lots,2\n",
			"line 2: energy `lots` is not a number",
		),
		(
			"start,energy_wh,temperature_c\n2025-01-01T00:00:00Z,1,2\n2025-01-01T00:30:00Z,1,2\n",
			"line 3: start 2025-01-01 00:30:00 +00:00 is not on the hour",
		),
		("start,energy_wh,temperature_c\n", "no rows"),
	];
	for (text, expected) in cases {
		let err = series::read_csv(text.as_bytes(), "data.csv").unwrap_err().to_string();
		assert!(err.contains(expected), "{err:?} should say {expected:?}");
		assert!(err.starts_with("data.csv: line"), "{err}");
	}
}

#[test]
fn the_bridges_readings_become_the_sites_hours() {
	let dir = tempfile::tempdir().unwrap();
	let text = "[bridge]\nnode = \"ws://127.0.0.1:9944\"\n\
		[[sites]]\nname = \"hall\"\nlatitude = 48.1\nlongitude = 11.6\nregion = \"DE-BY\"\n\
		floor_area = 1000\nuse_type = \"office\"\ntime_zone = \"Europe/Berlin\"\n\
		[[meters]]\nname = \"grid\"\nsite = \"hall\"\nkind = \"grid_import\"\nmax_power = 100000\n\
		connection = { tcp = \"127.0.0.1:502\" }\nunit = 1\nmap = \"sunspec\"\n\
		[[meters]]\nname = \"pv\"\nsite = \"hall\"\nkind = \"grid_export\"\nmax_power = 100000\n\
		connection = { tcp = \"127.0.0.1:502\" }\nunit = 2\nmap = \"sunspec\"\n\
		[[meters]]\nname = \"outdoor\"\nsite = \"hall\"\nkind = \"temperature\"\n\
		connection = { tcp = \"127.0.0.1:502\" }\nunit = 3\nmap = \"sensor\"\n\
		[[maps]]\nname = \"sensor\"\n\
		temperature = { address = 0, register = \"input\", type = \"i16\", scale = 0.1 }\n";
	let config = Config::parse(text, "bridge.toml").unwrap();
	let outbox = Outbox::open(&dir.path().join("outbox.redb")).unwrap();
	for (name, chain_meter, multiplier) in [("grid", 1, 10), ("pv", 2, 1), ("outdoor", 3, 1)] {
		outbox.keep_identity(name, &Identity { chain_meter, multiplier }).unwrap();
	}
	let record = |meter: u32, timestamp: u64, register: u64, temperature: Option<i16>| {
		outbox
			.record(meter, &MeterState::default(), |sequence| {
				let reading =
					Reading { meter, sequence, timestamp, register, demand: None, temperature };
				SignedReading { reading, signature: [0; 64] }.encode()
			})
			.unwrap();
	};
	// 2025-01-06 00:00 UTC, 01:00 in Berlin: readings every 15 minutes for three hours.
	let start = 1_736_121_600_000u64;
	let quarter = 900_000u64;
	for step in 0..=12u64 {
		// The grid meter counts 10 Wh per step: 100 steps (1 kWh) a quarter hour.
		record(1, start + step * quarter, 1_000 + step * 100, None);
		// Export: 200 Wh a quarter hour in the second hour only.
		let exported = (step.clamp(4, 8) - 4) * 200;
		record(2, start + step * quarter, exported, None);
		record(3, start + step * quarter + 1, 0, Some(50 + step as i16));
	}
	// A reading the chain refused is no part of the history.
	record(1, start + 13 * quarter, 999_999, None);
	outbox.reject(1, 14, "implausible").unwrap();
	outbox.accept(&[(1, 1), (1, 2)], [1; 32]).unwrap();

	let hours = history::site_hours(&config, &outbox, "hall").unwrap();
	// Hours 00:00, 01:00, 02:00 and 03:00 UTC: the last has only one reading of each.
	assert_eq!(hours.len(), 4);
	let berlin: DateTime<FixedOffset> =
		FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2025, 1, 6, 1, 0, 0).unwrap();
	assert_eq!(hours[0].start, berlin);
	assert_eq!(hours[0].energy, Some(4_000.0));
	assert_eq!(hours[1].energy, Some(4_000.0 - 800.0));
	assert_eq!(hours[2].energy, Some(4_000.0));
	assert_eq!(hours[3].energy, None, "the hour after the last reading is not covered");
	// Temperatures 5.0, 5.1, 5.2, 5.3 °C in the first hour: mean 5.15.
	assert!((hours[0].temperature.unwrap() - 5.15).abs() < 1e-9);

	let err = history::site_hours(&config, &outbox, "annex").unwrap_err();
	assert_eq!(err.to_string(), "no site `annex` in the configuration");
}
