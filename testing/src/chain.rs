//! For pallets' test runtimes: a clock the tests set, and the offchain storage, HTTP and
//! transaction pool their off-chain workers use.

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

/// Shared state of a test offchain extension, as `sp_core` hands it out.
pub type Shared<S> = std::sync::Arc<parking_lot::RwLock<S>>;

/// Gives `ext` offchain storage (with `key` set to `value` in its persistent kind), HTTP and a
/// transaction pool; returns the HTTP state to expect requests on and the pool to read.
pub fn with_offchain(
	ext: &mut sp_io::TestExternalities,
	key: &[u8],
	value: &[u8],
) -> (
	Shared<sp_core::offchain::testing::OffchainState>,
	Shared<sp_core::offchain::testing::PoolState>,
) {
	use sp_core::offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, StorageKind, TransactionPoolExt,
	};
	let (offchain, state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.execute_with(|| sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, key, value));
	(state, pool_state)
}
