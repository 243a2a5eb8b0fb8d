//! What several SmartBlocks pallets share: region codes, the bounded removal of old periods, and
//! the HTTP requests of their off-chain workers.

#![cfg_attr(not(feature = "std"), no_std)]

use frame_support::weights::{Weight, WeightMeter};

pub mod offchain;

/// Whether `code` is a region code: 1 or more ASCII letters, digits, `-` or `_` (the bound on
/// its length is the storage type's).
pub fn is_region_code(code: &[u8]) -> bool {
	!code.is_empty() && code.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
}

/// The budget of one idle block's pruning from the pruning weight of no items (`none`) and of
/// one (`one`): a meter for `limit` with the fixed cost spent, and the cost of a step; `None`
/// when `limit` does not cover the fixed cost and one step.
pub fn pruning_budget(limit: Weight, none: Weight, one: Weight) -> Option<(WeightMeter, Weight)> {
	let per_item = one.saturating_sub(none);
	let mut meter = WeightMeter::with_limit(limit);
	if !meter.can_consume(none.saturating_add(per_item)) {
		return None;
	}
	meter.consume(none);
	Some((meter, per_item))
}

/// Clears storage prefixes `from`, `from + 1`, … up to (not including) `horizon`, each step (a
/// removed item or an emptied prefix) costing `per_item` of `meter`, at most `max_steps` steps.
/// `clear(prefix, limit)` removes up to `limit` items under `prefix`. Returns the first prefix
/// that may still hold items.
pub fn clear_old_prefixes(
	meter: &mut WeightMeter,
	per_item: Weight,
	from: u32,
	horizon: u32,
	max_steps: u32,
	mut clear: impl FnMut(u32, u32) -> sp_io::MultiRemovalResults,
) -> u32 {
	let mut cursor = from;
	let mut steps = 0u32;
	while cursor < horizon && steps < max_steps {
		let remaining = meter.remaining();
		let by_time = remaining.ref_time() / per_item.ref_time().max(1);
		let by_proof = remaining.proof_size() / per_item.proof_size().max(1);
		let allowed = u32::try_from(by_time.min(by_proof))
			.unwrap_or(u32::MAX)
			.min(max_steps.saturating_sub(steps));
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn region_codes() {
		assert!(is_region_code(b"DE-BE"));
		assert!(is_region_code(b"EDDB_2"));
		assert!(!is_region_code(b""));
		assert!(!is_region_code(b"DE BE"));
		assert!(!is_region_code("Zürich".as_bytes()));
	}

	fn removal(loops: u32, more: bool) -> sp_io::MultiRemovalResults {
		sp_io::MultiRemovalResults {
			maybe_cursor: more.then(Vec::new),
			backend: loops,
			unique: loops,
			loops,
		}
	}

	#[test]
	fn budget_needs_the_fixed_cost_and_one_step() {
		let (none, one) = (Weight::from_parts(10, 1), Weight::from_parts(13, 2));
		assert!(pruning_budget(Weight::from_parts(12, 10), none, one).is_none());
		let (meter, per_item) = pruning_budget(Weight::from_parts(13, 10), none, one).unwrap();
		assert_eq!((meter.consumed(), per_item), (none, Weight::from_parts(3, 1)));
	}

	#[test]
	fn stops_at_the_horizon_and_counts_empty_prefixes() {
		let mut meter = WeightMeter::new();
		let mut cleared = Vec::new();
		let next = clear_old_prefixes(&mut meter, Weight::from_parts(10, 1), 5, 8, 100, |p, _| {
			cleared.push(p);
			removal(if p == 6 { 3 } else { 0 }, false)
		});
		assert_eq!((next, cleared), (8, vec![5, 6, 7]));
		// 1 + 3 + 1 steps.
		assert_eq!(meter.consumed(), Weight::from_parts(50, 5));
	}

	#[test]
	fn stops_within_a_prefix_when_weight_or_steps_run_out() {
		let mut meter = WeightMeter::with_limit(Weight::from_parts(35, 100));
		let next =
			clear_old_prefixes(&mut meter, Weight::from_parts(10, 1), 0, 9, 100, |_, limit| {
				assert_eq!(limit, 3);
				removal(3, true)
			});
		assert_eq!(next, 0);
		let mut meter = WeightMeter::new();
		let next = clear_old_prefixes(&mut meter, Weight::from_parts(10, 1), 0, 9, 2, |_, _| {
			removal(0, false)
		});
		assert_eq!(next, 2);
	}
}
