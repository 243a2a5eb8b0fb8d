//! What clients read in one call: a feed's values over a range of periods and the quorum.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::traits::Get;

/// Most periods one call returns: 31 days of 15-minute periods.
pub const MAX_SERIES: u32 = 31 * 96;

sp_api::decl_runtime_apis! {
	/// Oracle feeds.
	pub trait OracleApi {
		/// `feed`'s periods from `first`, at most `count` (and at most `MAX_SERIES`).
		fn values(feed: Feed, first: PeriodIndex, count: u32) -> FeedSeries;
		/// Submissions a period needs for its value.
		fn quorum() -> u32;
	}
}

impl<T: Config> Pallet<T> {
	/// `feed`'s periods from `first`, at most `count` and `MAX_SERIES`.
	pub fn series(feed: Feed, first: PeriodIndex, count: u32) -> FeedSeries {
		let periods = (0..count.min(MAX_SERIES))
			.filter_map(|offset| first.checked_add(offset))
			.map(|period| Self::period_value(&feed, period))
			.collect();
		FeedSeries {
			kind: feed.kind,
			unit: feed.kind.unit(),
			first_period: first,
			period_ms: T::PeriodLength::get(),
			periods,
		}
	}

	/// A feed's period with its outliers, if anybody submitted.
	pub fn period_value(feed: &Feed, period: PeriodIndex) -> Option<PeriodValue> {
		let entry = Values::<T>::get(period, feed)?;
		let outliers: Vec<_> = match entry.value {
			Some(value) => entry
				.submissions
				.iter()
				.filter(|(_, submitted)| Self::is_outlier(feed.kind, *submitted, value))
				.copied()
				.collect(),
			None => Vec::new(),
		};
		Some(PeriodValue {
			period,
			value: entry.value,
			providers: entry.submissions.len() as u32,
			outliers,
		})
	}
}
