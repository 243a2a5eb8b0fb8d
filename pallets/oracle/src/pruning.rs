//! Removing periods older than what is kept, a bounded amount per idle block.

use crate::{pallet::*, WeightInfo};
use frame_support::pallet_prelude::*;
use smartblocks_primitives::{clear_old_prefixes, pruning_budget};

/// Most steps (removed items or emptied periods) in one block, so a chain that was down for
/// months catches up over many blocks instead of one heavy one.
pub(crate) const MAX_STEPS: u32 = 512;

impl<T: Config> Pallet<T> {
	/// The oldest period whose values are kept in `current`.
	pub fn oldest_kept_period(current: u32) -> u32 {
		current.saturating_sub(T::Retention::get())
	}

	/// Removes old periods within `limit`; returns the weight used.
	pub(crate) fn prune(limit: Weight) -> Weight {
		let Some((mut meter, per_item)) =
			pruning_budget(limit, T::WeightInfo::prune(0), T::WeightInfo::prune(1))
		else {
			return Weight::zero();
		};
		let Ok(current) = Self::current_period() else { return meter.consumed() };
		let horizon = Self::oldest_kept_period(current);
		let mut cursor = Pruning::<T>::get();
		if !cursor.started {
			// Nothing was ever written below the horizon of the first idle block with a clock.
			cursor.period = horizon;
			cursor.started = true;
			Pruning::<T>::put(cursor);
			return meter.consumed();
		}
		let start = cursor.period;
		cursor.period = clear_old_prefixes(
			&mut meter,
			per_item,
			cursor.period,
			horizon,
			MAX_STEPS,
			|period, limit| Values::<T>::clear_prefix(period, limit, None),
		);
		if cursor.period != start {
			Pruning::<T>::put(cursor);
		}
		meter.consumed()
	}
}
