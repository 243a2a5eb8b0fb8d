//! Savings against the baselines energy performance contracts agreed, as settlement computes
//! them: each day's prediction from the oracle's mean outdoor temperature against the contract
//! meters' metered use, on the days both are complete, shared among the contract's sites by
//! their metered use.

use std::collections::BTreeMap;

use smartblocks_client::contracts::{ContractInfo, ContractState, DailyBaseline, Terms};
use smartblocks_rules::degree_days::micro_degree_days;

use super::campus::{CampusSnapshot, Feed};

/// The share of a day's periods the oracle must have values for to give the day's mean (the
/// energy contracts pallet's rule).
const MIN_FEED_SHARE: (u64, u64) = (9, 10);

/// A building's baseline and metered use over the days its contract's data covers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Savings {
	/// What the baseline predicts for the building, Wh.
	pub baseline_wh: f64,
	pub metered_wh: f64,
}

impl Savings {
	pub fn saved_wh(&self) -> f64 {
		self.baseline_wh - self.metered_wh
	}
}

/// An energy performance contract both parties signed that has not been terminated.
fn agreed_baseline(contract: &ContractInfo) -> Option<&DailyBaseline> {
	let in_force = matches!(
		contract.state,
		ContractState::Active | ContractState::Disputed { .. } | ContractState::Completed
	);
	match &contract.terms {
		Terms::EnergyPerformance(terms) if in_force => Some(&terms.baseline),
		_ => None,
	}
}

/// The baseline's use on a day with mean outdoor temperature `temperature` (0.1 °C), Wh: its
/// degree-days as the chain counts them (millionths of a K·day, from the same rule).
fn prediction(baseline: &DailyBaseline, temperature: i64) -> f64 {
	let degree_days = |difference: i64| {
		micro_degree_days(difference, baseline.temperature_spread).unwrap_or(0) as f64 / 1e6
	};
	let heating = degree_days(i64::from(baseline.heating_balance) - temperature);
	let cooling = degree_days(temperature - i64::from(baseline.cooling_balance));
	baseline.intercept as f64
		+ baseline.heating_slope as f64 * heating
		+ baseline.cooling_slope as f64 * cooling
}

impl CampusSnapshot {
	/// The mean outdoor temperature in `region` on `day` (0.1 °C, rounded half away from zero
	/// as the oracle rounds it), if the oracle has values for nine tenths of the day's periods.
	pub fn daily_mean_temperature(&self, region: &str, day: u32) -> Option<i64> {
		let values = self.feeds.get(&(region.to_string(), Feed::Temperature))?;
		let per_day = self.periods_per_day();
		let first = u32::try_from(u64::from(day).checked_mul(per_day)?).ok()?;
		let end = first.checked_add(u32::try_from(per_day).ok()?)?;
		let (sum, count) = values
			.range(first..end)
			.fold((0i128, 0u64), |(sum, count), (_, value)| (sum + i128::from(*value), count + 1));
		let (needed, of) = MIN_FEED_SHARE;
		if count == 0 || count * of < per_day * needed {
			return None;
		}
		let count = i128::from(count);
		i64::try_from((sum + sum.signum() * count / 2) / count).ok()
	}

	/// `site`'s savings over days `first..=last` against the newest energy performance
	/// contract in force that covers it; `None` if none does or no day has its data yet.
	pub fn savings(&self, site: u32, first: u32, last: u32) -> Option<Savings> {
		let (_, days) = self.daily_savings(site, first, last)?;
		days.into_values().reduce(|sum, day| Savings {
			baseline_wh: sum.baseline_wh + day.baseline_wh,
			metered_wh: sum.metered_wh + day.metered_wh,
		})
	}

	/// The contract `savings` counts against, and the site's savings on each of days
	/// `first..=last` that has the data.
	pub fn daily_savings(
		&self,
		site: u32,
		first: u32,
		last: u32,
	) -> Option<(u32, BTreeMap<u32, Savings>)> {
		let (contract, baseline) = self
			.contracts
			.iter()
			.filter(|contract| contract.sites.contains(&site))
			.filter_map(|contract| Some((contract, agreed_baseline(contract)?)))
			.max_by_key(|(contract, _)| contract.id)?;
		// The contract's sites share one weather region, its first site's.
		let region = contract
			.sites
			.first()
			.and_then(|first| self.sites.iter().find(|candidate| candidate.id == *first))
			.map(|found| String::from_utf8_lossy(&found.region).into_owned())?;
		let site_meters = &self.sites.iter().find(|candidate| candidate.id == site)?.meters;
		let on_site: Vec<u32> = contract
			.meters
			.iter()
			.copied()
			.filter(|meter| site_meters.iter().any(|candidate| candidate.id == *meter))
			.collect();
		let schedule = &contract.schedule;
		let end = schedule.end();
		let mut savings = BTreeMap::new();
		for day in first.max(schedule.first_day)..=last.min(end.saturating_sub(1)) {
			let (Some(metered), Some(temperature)) = (
				self.complete_day_energy(&contract.meters, day),
				self.daily_mean_temperature(&region, day),
			) else {
				continue;
			};
			let here = self.complete_day_energy(&on_site, day).unwrap_or(0);
			let share = match (contract.sites.len(), metered) {
				(1, _) => 1.0,
				// A day without use shows no site's share of the prediction.
				(_, 0) => continue,
				(_, metered) => here as f64 / metered as f64,
			};
			savings.insert(
				day,
				Savings {
					baseline_wh: prediction(baseline, temperature) * share,
					metered_wh: here as f64,
				},
			);
		}
		Some((contract.id, savings))
	}

	/// The meters' energy on `day`, if every one has all of the day's periods complete.
	fn complete_day_energy(&self, meters: &[u32], day: u32) -> Option<u64> {
		let per_day = self.periods_per_day();
		meters.iter().try_fold(0u64, |sum, meter| {
			let total = self.days.get(meter)?.get(&day)?;
			(u64::from(total.complete_periods) >= per_day).then_some(())?;
			sum.checked_add(total.energy)
		})
	}
}

#[cfg(test)]
mod tests;
