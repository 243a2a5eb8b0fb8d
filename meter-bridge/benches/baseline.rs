//! Fitting time of the baseline models on one meter-year of a simulated campus building
//! (`cargo bench -p meter-bridge --features bench --bench baseline`). Goal: the hourly model fitted on one
//! meter-year in under a second.

use chrono::{DateTime, FixedOffset};
use criterion::{criterion_group, criterion_main, Criterion};
use meter_bridge::{
	baseline::{
		daily::{self, DailySettings},
		hourly::{self, Segmentation},
		series::{days_of, HourlyObservation},
	},
	simulator::Campus,
};
use std::hint::black_box;

/// 2025-01-06T00:00:00Z, a Monday.
const START_MS: u64 = 1_736_121_600_000;
const HOURS_IN_YEAR: u64 = 8_760;

/// Building 0 of a seeded campus, hour by hour for a year: its use integrated minute by
/// minute and its outdoor temperature averaged.
fn meter_year() -> Vec<HourlyObservation> {
	let campus = Campus::new(1, 1, START_MS);
	let first_hour = START_MS / 3_600_000;
	(first_hour..first_hour + HOURS_IN_YEAR)
		.map(|hour| {
			let past = campus.past_hour(0, hour);
			let start: DateTime<FixedOffset> = DateTime::from_timestamp((hour * 3600) as i64, 0)
				.unwrap_or_default()
				.fixed_offset();
			HourlyObservation {
				start,
				energy: Some(past.imported - past.exported + past.generated),
				temperature: Some(past.temperature),
			}
		})
		.collect()
}

fn fits(c: &mut Criterion) {
	let hours = meter_year();
	let days = days_of(&hours);
	let mut group = c.benchmark_group("baseline fit, one meter-year");
	group.sample_size(10);
	group.bench_function("hourly model (8760 hours, one segment, as `baseline fit` does)", |b| {
		b.iter(|| hourly::fit(black_box(&hours), Segmentation::Single, &mut |_, _| {}))
	});
	group.bench_function("hourly model (8760 hours, twelve three-month weighted segments)", |b| {
		b.iter(|| hourly::fit(black_box(&hours), Segmentation::ThreeMonthWeighted, &mut |_, _| {}))
	});
	group.bench_function("daily model (365 days, balance point and spread grid search)", |b| {
		b.iter(|| daily::fit(black_box(&days), &DailySettings::default(), &mut |_, _| {}))
	});
	group.finish();
}

criterion_group!(benches, fits);
criterion_main!(benches);
