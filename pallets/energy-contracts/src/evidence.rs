//! What settlement reads, shared by the templates: complete meter days, a day's mean of an
//! oracle feed, a window's metered energy, and the region a contract's sites are in.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use pallet_energy_oracle::{FeedKind, FeedValues};
use pallet_meters::{DayIndex, MeterData, MeterId};

/// A day's mean of a feed needs final values for nine tenths of its periods.
const MIN_FEED_SHARE: (u32, u32) = (9, 10);

impl<T: Config> Pallet<T> {
	/// The meters' energy on `day`, if every one has all of the day's periods complete.
	pub(crate) fn day_energy(meters: &[MeterId], day: DayIndex) -> Option<u64> {
		let periods_per_day = T::Meters::periods_per_day();
		meters.iter().try_fold(0u64, |sum, meter| {
			let total = T::Meters::day_total(*meter, day)?;
			(u32::from(total.complete_periods) >= periods_per_day)
				.then_some(())
				.and_then(|()| sum.checked_add(total.energy))
		})
	}

	/// The mean of `kind` in `region` over `day`, if the oracle has final values for nine
	/// tenths of the day's periods.
	pub(crate) fn daily_mean(kind: FeedKind, region: &[u8], day: DayIndex) -> Option<i64> {
		let periods_per_day = T::Meters::periods_per_day();
		let first = day.checked_mul(periods_per_day)?;
		let (mean, count) = T::Feeds::mean(kind, region, first, periods_per_day)?;
		let (needed, of) = MIN_FEED_SHARE;
		(count.saturating_mul(of) >= periods_per_day.saturating_mul(needed)).then_some(mean)
	}

	/// The meters' use in `window` on `day`, if every period of it is complete.
	pub(crate) fn window_energy(
		meters: &[MeterId],
		window: DailyWindow,
		day: DayIndex,
	) -> Option<u64> {
		let first = day
			.checked_mul(T::Meters::periods_per_day())?
			.checked_add(window.first_period.into())?;
		let mut sum = 0u64;
		for period in first..first.checked_add(window.periods.into())? {
			for meter in meters {
				let aggregate = T::Meters::period_aggregate(*meter, period)?;
				aggregate.complete.then_some(())?;
				sum = sum.checked_add(aggregate.energy)?;
			}
		}
		Some(sum)
	}

	/// The weather region of the contract's sites (one region where the template needs one).
	pub(crate) fn contract_region(agreement: &AgreementOf<T>) -> Vec<u8> {
		agreement
			.sites
			.first()
			.and_then(|site| T::Meters::site(*site))
			.map(|site| site.region)
			.unwrap_or_default()
	}
}
