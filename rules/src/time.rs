//! The chain's clock as every part reads it: moments in milliseconds since the Unix epoch (as
//! `pallet_timestamp` keeps them), UTC days numbered from 1970-01-01 (day 0), each cut into
//! equal settlement periods. A meter's day totals and checkpoints, a contract's schedule and the
//! portal's daily charts are kept under these day numbers.

/// Milliseconds in an hour.
pub const HOUR_MS: u64 = 3_600_000;
/// Milliseconds in a UTC day.
pub const DAY_MS: u64 = 86_400_000;

/// The UTC day `ms` falls in; `u32::MAX` for moments past it (11 million years from now), so
/// a moment never wraps to an early day.
pub fn day_of(ms: u64) -> u32 {
	u32::try_from(ms / DAY_MS).unwrap_or(u32::MAX)
}

/// The first millisecond of UTC day `day` (no day overflows: `u32::MAX` days are 3.7 · 10¹⁷ ms).
pub fn day_start(day: u32) -> u64 {
	u64::from(day) * DAY_MS
}

/// Settlement periods of `period_ms` in a day (96 for 15 minutes): at least one, a period of
/// 0 ms counting as 1 ms, so a caller may divide by it.
pub fn periods_per_day(period_ms: u64) -> u64 {
	(DAY_MS / period_ms.max(1)).max(1)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_day_runs_from_its_first_millisecond_to_the_next_days() {
		assert_eq!(day_of(0), 0);
		assert_eq!(day_of(DAY_MS - 1), 0);
		assert_eq!(day_of(DAY_MS), 1);
		// 2026-12-07T12:00:00Z.
		assert_eq!(day_of(1_796_644_800_000), 20_794);
		assert_eq!(day_start(20_794), 1_796_601_600_000);
		assert_eq!(day_of(day_start(20_794)), 20_794);
	}

	#[test]
	fn the_far_future_saturates_and_never_wraps() {
		assert_eq!(day_of(u64::MAX), u32::MAX);
		assert_eq!(day_start(u32::MAX), 4_294_967_295 * DAY_MS);
	}

	#[test]
	fn a_day_holds_at_least_one_period() {
		assert_eq!(periods_per_day(900_000), 96);
		assert_eq!(periods_per_day(HOUR_MS), 24);
		assert_eq!(periods_per_day(2 * DAY_MS), 1);
		assert_eq!(periods_per_day(0), DAY_MS);
	}
}
