//! Removing aggregates (and members' days) older than what is kept, a bounded amount per idle
//! block.

use crate::{pallet::*, WeightInfo};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use smartblocks_primitives::{clear_old_prefixes, pruning_budget};
use sp_io::MultiRemovalResults;

/// Most steps (removed items or emptied prefixes) per kind of aggregate in one block, so a chain
/// that was down for months catches up over many blocks instead of one heavy one.
pub(crate) const MAX_STEPS: u32 = 512;

impl<T: Config> Pallet<T> {
	/// Removes old periods' aggregates, then old days' totals and members' days, within `limit`;
	/// returns the weight used.
	pub(crate) fn prune(limit: Weight) -> Weight {
		let Some((mut meter, per_item)) =
			pruning_budget(limit, T::WeightInfo::prune(0), T::WeightInfo::prune(1))
		else {
			return Weight::zero();
		};
		let now = Self::now();
		let stored = Pruning::<T>::get();
		let mut cursor = stored.clone();
		let (period_horizon, day_horizon) =
			(Self::oldest_kept_period(now), Self::oldest_kept_day(now));
		if !cursor.started {
			// Nothing was ever written below the horizons of the first idle block.
			cursor.period = period_horizon;
			cursor.day = day_horizon;
			cursor.started = true;
			Pruning::<T>::put(cursor);
			return meter.consumed();
		}
		cursor.period = clear_old_prefixes(
			&mut meter,
			per_item,
			cursor.period,
			period_horizon,
			MAX_STEPS,
			|period, limit| PeriodAggregates::<T>::clear_prefix(period, limit, None),
		);
		cursor.day = clear_old_prefixes(
			&mut meter,
			per_item,
			cursor.day,
			day_horizon,
			MAX_STEPS,
			|day, limit| {
				let totals = DayTotals::<T>::clear_prefix(day, limit, None);
				let rest = limit.saturating_sub(totals.loops);
				if totals.maybe_cursor.is_some() || rest == 0 {
					// The members' days of this day wait for the next block.
					return MultiRemovalResults { maybe_cursor: Some(Vec::new()), ..totals };
				}
				let members = MemberDays::<T>::clear_prefix(day, rest, None);
				MultiRemovalResults {
					maybe_cursor: members.maybe_cursor,
					backend: totals.backend.saturating_add(members.backend),
					unique: totals.unique.saturating_add(members.unique),
					loops: totals.loops.saturating_add(members.loops),
				}
			},
		);
		if cursor != stored {
			Pruning::<T>::put(cursor);
		}
		meter.consumed()
	}
}
