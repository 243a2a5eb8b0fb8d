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
		meters.iter().try_fold(0u64, |sum, meter| sum.checked_add(Self::meter_day(*meter, day)?))
	}

	/// One meter's energy on `day`, if all of the day's periods are complete.
	pub(crate) fn meter_day(meter: MeterId, day: DayIndex) -> Option<u64> {
		let total = T::Meters::day_total(meter, day)?;
		(u32::from(total.complete_periods) >= T::Meters::periods_per_day()).then_some(total.energy)
	}

	/// The meters' energy in `period`, if every one has it complete.
	pub(crate) fn period_energy(meters: &[MeterId], period: u32) -> Option<u64> {
		meters.iter().try_fold(0u64, |sum, meter| {
			let aggregate = T::Meters::period_aggregate(*meter, period)?;
			aggregate.complete.then_some(())?;
			sum.checked_add(aggregate.energy)
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
		(first..first.checked_add(window.periods.into())?)
			.try_fold(0u64, |sum, period| sum.checked_add(Self::period_energy(meters, period)?))
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
