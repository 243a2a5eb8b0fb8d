//! Building the portal's router: several routers built at once in one process (as the tests here
//! do, on several threads) each come up.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use smartblocks_portal::server::router;

/// Threads building routers at once, and how many each builds.
const THREADS: usize = 4;
const ROUTERS_PER_THREAD: usize = 25;

#[test]
fn routers_built_at_once_on_several_threads_all_come_up() {
	let runtime = tokio::runtime::Runtime::new().unwrap();
	std::thread::scope(|scope| {
		for _ in 0..THREADS {
			scope.spawn(|| {
				let _runtime = runtime.enter();
				for _ in 0..ROUTERS_PER_THREAD {
					let _portal = router(common::state());
				}
			});
		}
	});
}
