//! CalTRACK's data sufficiency for a baseline: a year of data, and at least 90 % of its days
//! (daily model) or of each month's hours (hourly model) with both use and temperature.

use super::series::{DailyObservation, HourlyObservation};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;

/// Days a baseline spans.
pub const BASELINE_DAYS: i64 = 365;
/// The share of days or hours that must have data.
pub const MIN_COVERAGE: f64 = 0.9;

/// What keeps `days` from being a daily baseline; empty if nothing does.
pub fn daily(days: &[DailyObservation]) -> Vec<String> {
	let (Some(first), Some(last)) = (days.first(), days.last()) else {
		return vec!["there are no days with both use and temperature".into()];
	};
	let span = (last.day - first.day).num_days() + 1;
	let mut problems = Vec::new();
	if span < BASELINE_DAYS {
		problems.push(format!(
			"the days span {span} days ({} to {}), a baseline needs {BASELINE_DAYS}",
			first.day, last.day
		));
	}
	let coverage = days.len() as f64 / span as f64;
	if coverage < MIN_COVERAGE {
		problems.push(format!(
			"{} of {span} days have use and temperature ({:.0} %), a baseline needs {:.0} %",
			days.len(),
			coverage * 100.0,
			MIN_COVERAGE * 100.0
		));
	}
	problems
}

/// What keeps `hours` from being an hourly baseline; empty if nothing does.
pub fn hourly(hours: &[HourlyObservation]) -> Vec<String> {
	let (Some(first), Some(last)) = (hours.first(), hours.last()) else {
		return vec!["there are no hours".into()];
	};
	let mut problems = Vec::new();
	let span = (last.local().date() - first.local().date()).num_days() + 1;
	if span < BASELINE_DAYS {
		problems.push(format!(
			"the hours span {span} days ({} to {}), a baseline needs {BASELINE_DAYS}",
			first.local().date(),
			last.local().date()
		));
	}
	let mut months: BTreeMap<(i32, u32), usize> = BTreeMap::new();
	for hour in hours.iter().filter(|h| h.energy.is_some() && h.temperature.is_some()) {
		*months.entry((hour.local().year(), hour.local().month())).or_default() += 1;
	}
	let mut month = (first.local().year(), first.local().month());
	let end = (last.local().year(), last.local().month());
	while month <= end {
		let next = if month.1 == 12 { (month.0 + 1, 1) } else { (month.0, month.1 + 1) };
		// The first and last month count only the hours the series spans.
		let from = month_start(month).max(first.local());
		let to = month_start(next).min(last.local() + chrono::TimeDelta::hours(1));
		let covered = (to - from).num_hours().max(1) as f64;
		let with_data = months.get(&month).copied().unwrap_or(0);
		if (with_data as f64) < MIN_COVERAGE * covered {
			problems.push(format!(
				"{}-{:02}: {with_data} of {covered} hours have use and temperature, a baseline \
				 needs {:.0} %",
				month.0,
				month.1,
				MIN_COVERAGE * 100.0
			));
		}
		month = next;
	}
	problems
}

fn month_start((year, month): (i32, u32)) -> NaiveDateTime {
	NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default().and_time(NaiveTime::MIN)
}
