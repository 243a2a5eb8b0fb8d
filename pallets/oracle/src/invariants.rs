//! What must always hold: a quorum within bounds, one submission per provider, every value
//! the median of submissions that made a quorum, and every forecast's value the median of the
//! latest forecasts.

use crate::{functions::median, pallet::*, types::Timing};
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants; the `try_state` hook and every unit test call it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let quorum = Quorum::<T>::get();
		ensure!(
			(1..=T::MaxProviders::get()).contains(&quorum),
			"the quorum is outside 1..=MaxProviders"
		);
		let cursor = Pruning::<T>::get();
		for (period, feed, entry) in Values::<T>::iter() {
			ensure!(!entry.submissions.is_empty(), "a feed period is stored without submissions");
			ensure!(
				!cursor.started || period >= cursor.period,
				"a period below the pruning cursor is still stored"
			);
			let mut providers: alloc::vec::Vec<_> =
				entry.submissions.iter().map(|(member, _)| *member).collect();
			providers.sort_unstable();
			providers.dedup();
			ensure!(
				providers.len() == entry.submissions.len(),
				"a provider submitted twice for one feed period"
			);
			if let (Some(value), Timing::Forecast) = (entry.value, feed.kind.timing()) {
				let mut latest: alloc::vec::Vec<i64> =
					entry.submissions.iter().map(|(_, v)| *v).collect();
				ensure!(
					median(&mut latest) == Some(value),
					"a forecast's value is not the median of the providers' latest forecasts"
				);
			} else if let Some(value) = entry.value {
				// The value is the median of some leading run of submissions, at least one.
				let matches = (1..=entry.submissions.len()).any(|count| {
					let mut first: alloc::vec::Vec<i64> =
						entry.submissions.iter().take(count).map(|(_, v)| *v).collect();
					median(&mut first) == Some(value)
				});
				ensure!(matches, "a feed value is not the median of its first submissions");
				ensure!(
					feed.kind.plausible().contains(&value),
					"a feed value is outside its kind's plausible range"
				);
			}
		}
		Ok(())
	}
}
