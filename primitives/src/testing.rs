//! A clock for pallets' test runtimes, set by the tests.

use core::{cell::RefCell, time::Duration};
use frame_support::traits::UnixTime;

std::thread_local! {
	static NOW: RefCell<u64> = const { RefCell::new(0) };
}

/// The chain's clock in a test runtime: reads what [`TestClock::set`] last set, per thread.
pub struct TestClock;

impl TestClock {
	/// Sets the clock to `ms` since the Unix epoch.
	pub fn set(ms: u64) {
		NOW.with(|now| *now.borrow_mut() = ms);
	}
}

impl UnixTime for TestClock {
	fn now() -> Duration {
		Duration::from_millis(NOW.with(|now| *now.borrow()))
	}
}
