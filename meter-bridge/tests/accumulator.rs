//! Unwrapping SunSpec acc32 energy accumulators into a register that only grows.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::accumulator::{Advance, Unwrapper};

#[test]
fn counts_up_through_a_wrap() {
	let mut unwrapper = Unwrapper::default();
	assert_eq!(unwrapper.observe(4_294_967_000), Advance::Counted { register: 4_294_967_000 });
	assert_eq!(unwrapper.observe(4_294_967_295), Advance::Counted { register: 4_294_967_295 });
	// 2^32 − 1 → 500 is 501 steps forward: a wrap.
	assert_eq!(unwrapper.observe(500), Advance::Counted { register: (1 << 32) + 500 });
	assert_eq!(unwrapper.observe(500), Advance::Counted { register: (1 << 32) + 500 });
}

#[test]
fn a_fall_that_is_no_wrap_is_a_reset_held_until_an_exchange() {
	let mut unwrapper = Unwrapper::default();
	unwrapper.observe(1_000_000);
	// Back to 12: forward from 1 000 000 that is almost 2^32 steps, so the counter was reset.
	assert_eq!(unwrapper.observe(12), Advance::Reset { last: 1_000_000, now: 12 });
	// Nothing moved: the next value is still judged against 1 000 000.
	assert_eq!(unwrapper.observe(20), Advance::Reset { last: 1_000_000, now: 20 });
	assert_eq!(unwrapper.observe(1_000_100), Advance::Counted { register: 1_000_100 });
	// The owner declares an exchange: the register restarts from the new counter.
	unwrapper.rebase(12);
	assert_eq!(unwrapper.observe(40), Advance::Counted { register: 40 });
}
