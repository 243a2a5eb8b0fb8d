//! Removing aggregates older than what is kept, a bounded amount per idle block.

use crate::{pallet::*, WeightInfo};
use frame_support::{pallet_prelude::*, weights::WeightMeter};

/// Most steps (removed items or emptied prefixes) per kind of aggregate in one block, so a chain
/// that was down for months catches up over many blocks instead of one heavy one.
pub(crate) const MAX_STEPS: u32 = 512;

impl<T: Config> Pallet<T> {
	/// Removes old periods' aggregates, then old days' totals, within `limit`; returns the
	/// weight used.
	pub(crate) fn prune(limit: Weight) -> Weight {
		let mut meter = WeightMeter::with_limit(limit);
		let base = T::WeightInfo::prune(0);
		let per_item = T::WeightInfo::prune(1).saturating_sub(base);
		if !meter.can_consume(base.saturating_add(per_item)) {
			return Weight::zero();
		}
		meter.consume(base);
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
		cursor.period = Self::prune_prefixes(
			&mut meter,
			per_item,
			cursor.period,
			period_horizon,
			|period, limit| PeriodAggregates::<T>::clear_prefix(period, limit, None),
		);
		cursor.day =
			Self::prune_prefixes(&mut meter, per_item, cursor.day, day_horizon, |day, limit| {
				DayTotals::<T>::clear_prefix(day, limit, None)
			});
		if cursor != stored {
			Pruning::<T>::put(cursor);
		}
		meter.consumed()
	}

	/// Clears prefixes from `from` up to (not including) `horizon` within the meter's weight and
	/// `MAX_STEPS`; returns the first prefix that may still hold items.
	fn prune_prefixes(
		meter: &mut WeightMeter,
		per_item: Weight,
		from: u32,
		horizon: u32,
		mut clear: impl FnMut(u32, u32) -> sp_io::MultiRemovalResults,
	) -> u32 {
		let mut cursor = from;
		let mut steps = 0u32;
		while cursor < horizon && steps < MAX_STEPS {
			// Each step (a removed item or an emptied prefix) costs `per_item`.
			let remaining = meter.remaining();
			let by_time = remaining.ref_time() / per_item.ref_time().max(1);
			let by_proof = remaining.proof_size() / per_item.proof_size().max(1);
			let allowed =
				u32::try_from(by_time.min(by_proof)).unwrap_or(u32::MAX).min(MAX_STEPS - steps);
			if allowed == 0 {
				break;
			}
			let removal = clear(cursor, allowed);
			let used = removal.loops.max(1);
			meter.consume(per_item.saturating_mul(used.into()));
			steps = steps.saturating_add(used);
			if removal.maybe_cursor.is_some() {
				// More of this prefix remains; the next block goes on with it.
				break;
			}
			cursor = cursor.saturating_add(1);
		}
		cursor
	}
}
