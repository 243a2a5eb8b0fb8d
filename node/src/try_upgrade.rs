//! `smartblocks-node try-upgrade`: a runtime upgrade tried on a copy of a live chain's state
//! before the council votes it through. The tool reads the whole state of a block from a node
//! over RPC, checks it against the block's state root, puts the new code in place and runs the
//! new runtime's `TryRuntime_on_runtime_upgrade` with the chosen checks: every migration's
//! `pre_upgrade` and `post_upgrade`, every pallet's storage version, the decoding of every
//! storage item and every pallet's `try_state`. It then runs the migrations once more and
//! requires that the second run changes nothing (a migration must not run twice), and that the
//! migrations fit in one block's weight.
//!
//! The new runtime must be built with `try-runtime` (never put such a build on a chain):
//! `scripts/try-upgrade` builds the next runtime that way. The state is held in memory; a
//! chain with gigabytes of state needs that much memory here.

mod snapshot;
#[cfg(test)]
mod tests;

pub use snapshot::Snapshot;

use codec::Decode;
use sc_executor::{HeapAllocStrategy, RuntimeVersion, WasmExecutor, DEFAULT_HEAP_ALLOC_STRATEGY};
use sp_core::{
	storage::{well_known_keys, Storage},
	traits::{CallContext, ReadRuntimeVersion},
};
use sp_runtime::{traits::BlakeTwo256, Weight};
use sp_state_machine::{
	backend::{BackendRuntimeCode, TryPendingCode},
	Backend as _, BasicExternalities, InMemoryBackend, OverlayedChanges, StateMachine,
	TestExternalities,
};
use std::path::PathBuf;

type Executor = WasmExecutor<sp_io::SubstrateHostFunctions>;

fn executor(heap: HeapAllocStrategy) -> Executor {
	Executor::builder()
		.with_onchain_heap_alloc_strategy(heap)
		.with_offchain_heap_alloc_strategy(heap)
		.build()
}

/// The runtime API a runtime built with `try-runtime` declares (`frame_try_runtime::TryRuntime`;
/// an API's id is the BLAKE2-64 hash of its trait name).
const TRY_RUNTIME_API: &[u8] = b"TryRuntime";

/// Try a runtime upgrade, with every check, on the state of a live chain.
#[derive(Debug, clap::Args)]
pub struct TryUpgradeCmd {
	/// The new runtime, built with `try-runtime` (`scripts/try-upgrade` builds the next one).
	#[arg(long, value_name = "FILE")]
	pub runtime: PathBuf,

	/// The RPC endpoint of a node of the chain.
	#[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	pub uri: String,

	/// The block whose state to upgrade (hex hash); the newest finalized block when not given.
	#[arg(long, value_name = "HASH")]
	pub at: Option<String>,

	/// The checks to run with the migrations.
	#[arg(long, value_enum, default_value_t = Checks::All)]
	pub checks: Checks,
}

/// Which checks run with the migrations, in the order of frame-support's `UpgradeCheckSelect`,
/// whose SCALE index the runtime API takes. Every choice but `none` also decodes every storage
/// item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Checks {
	/// The migrations only.
	None,
	/// `pre_upgrade`/`post_upgrade`, storage versions and every pallet's `try_state`.
	All,
	/// `pre_upgrade`/`post_upgrade` and storage versions.
	PreAndPost,
	/// Every pallet's `try_state`.
	TryState,
}

impl Checks {
	fn encoded(self) -> [u8; 1] {
		[self as u8]
	}
}

/// What an upgrade that passed did.
#[derive(Debug)]
pub struct Outcome {
	/// The chain's runtime and the new one.
	pub from: RuntimeVersion,
	pub to: RuntimeVersion,
	/// The migrations' weight and the most a block may hold.
	pub weight: Weight,
	pub max_block: Weight,
	/// Storage keys whose value the migrations changed or removed.
	pub changed_keys: usize,
}

impl TryUpgradeCmd {
	pub fn run(&self) -> Result<(), String> {
		let path = self.runtime.display();
		let code = std::fs::read(&self.runtime).map_err(|e| format!("{path}: {e}"))?;
		let tokio = tokio::runtime::Builder::new_current_thread()
			.enable_all()
			.build()
			.map_err(|e| format!("cannot start an async runtime: {e}"))?;
		let snapshot = tokio.block_on(Snapshot::read(&self.uri, self.at.as_deref()))?;
		println!(
			"read the state of block #{} ({}) from {}: {} keys, {} bytes",
			snapshot.number,
			snapshot.hash,
			self.uri,
			snapshot.storage.len(),
			snapshot.storage.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>(),
		);
		let outcome = try_upgrade(snapshot, &code, self.checks)?;
		let share = outcome.weight.ref_time() as f64 * 100.0 / outcome.max_block.ref_time() as f64;
		println!(
			"{} {} -> {} {}: migrations and checks ({:?}) passed; run twice, they change \
			 nothing the second time",
			outcome.from.spec_name,
			outcome.from.spec_version,
			outcome.to.spec_name,
			outcome.to.spec_version,
			self.checks,
		);
		println!(
			"weight: {} ps ref_time, {} bytes proof ({share:.2}% of a block's ref_time); {} \
			 storage keys changed",
			outcome.weight.ref_time(),
			outcome.weight.proof_size(),
			outcome.changed_keys,
		);
		Ok(())
	}
}

/// Upgrades `snapshot` to `code` and runs the migrations with `checks`, twice; see the module
/// documentation for what must hold.
pub fn try_upgrade(snapshot: Snapshot, code: &[u8], checks: Checks) -> Result<Outcome, String> {
	// The migrations alone run with the heap the chain gives the runtime (`:heappages`, or the
	// node's default), so one that would run out of memory in a block runs out here too; the
	// checks, which decode the whole state, run with as much as they need.
	let chain_heap = snapshot
		.storage
		.get(well_known_keys::HEAP_PAGES)
		.and_then(|pages| u64::decode(&mut &pages[..]).ok())
		.map_or(DEFAULT_HEAP_ALLOC_STRATEGY, |pages| HeapAllocStrategy::Static {
			extra_pages: u32::try_from(pages).unwrap_or(u32::MAX),
		});
	let in_block = executor(chain_heap);
	let checking = executor(HeapAllocStrategy::Dynamic { maximum_pages: None });
	let chain_code =
		snapshot.storage.get(well_known_keys::CODE).ok_or("the state has no runtime code")?;
	let from = runtime_version(&checking, chain_code).map_err(|e| format!("the chain's {e}"))?;
	if let Some(key) = snapshot.storage.keys().find(|k| well_known_keys::is_child_storage_key(k)) {
		return Err(format!(
			"the state has a child trie (0x{}), which this tool does not read",
			sp_core::hexdisplay::HexDisplay::from(key)
		));
	}
	let state_version = from.state_version();
	let chain_code = chain_code.clone();
	let storage = Storage { top: snapshot.storage, children_default: Default::default() };
	let mut ext = TestExternalities::<BlakeTwo256>::new_with_code_and_state(
		&chain_code,
		storage,
		state_version,
	);
	let root = *ext.backend.root();
	if root != snapshot.state_root {
		return Err(format!(
			"the state read from the node hashes to {root:?}, not to block #{}'s state root \
			 {:?}: the node served an incomplete or changing state",
			snapshot.number, snapshot.state_root
		));
	}

	let to = runtime_version(&checking, code).map_err(|e| format!("the new {e}"))?;
	if to.spec_name != from.spec_name {
		return Err(format!(
			"the new runtime is {:?} but the chain runs {:?}",
			to.spec_name, from.spec_name
		));
	}
	if to.spec_version <= from.spec_version {
		return Err(format!(
			"the new runtime's spec_version {} is not above the chain's {}: the chain would \
			 refuse it",
			to.spec_version, from.spec_version
		));
	}
	let api_id = sp_crypto_hashing::blake2_64(TRY_RUNTIME_API);
	if to.api_version(&api_id).is_none() {
		return Err("the new runtime was not built with the try-runtime feature".into());
	}
	ext.insert(well_known_keys::CODE.to_vec(), code.to_vec());

	// As in a block: the migrations alone, on the chain's heap, for their weight.
	let answer =
		on_runtime_upgrade(&ext.backend, &mut OverlayedChanges::default(), &in_block, Checks::None)
			.map_err(|e| format!("the migrations fail on the chain's heap: {e}"))?;
	let (weight, max_block) = <(Weight, Weight)>::decode(&mut &answer[..])
		.map_err(|e| format!("the runtime's answer does not decode as two weights: {e}"))?;
	if weight.any_gt(max_block) {
		return Err(format!(
			"the migrations weigh {weight:?}, more than a block holds ({max_block:?})"
		));
	}
	// Then with the checks.
	let mut changes = OverlayedChanges::default();
	on_runtime_upgrade(&ext.backend, &mut changes, &checking, checks)?;
	let (once, _) = changes.storage_root(&ext.backend, state_version);
	// Keys whose value the migrations changed (writes of the same value left out).
	let changed_keys = changes
		.changes_mut()
		.map(|(key, value)| ext.backend.storage(key).ok().flatten().as_ref() != value.value())
		.filter(|changed| *changed)
		.count();

	on_runtime_upgrade(&ext.backend, &mut changes, &checking, Checks::None)
		.map_err(|e| format!("the migrations fail when run a second time: {e}"))?;
	let (twice, _) = changes.storage_root(&ext.backend, state_version);
	if twice != once {
		return Err("the migrations are not idempotent: run a second time, they change the \
		            state again"
			.into());
	}
	Ok(Outcome { from, to, weight, max_block, changed_keys })
}

fn on_runtime_upgrade(
	backend: &InMemoryBackend<BlakeTwo256>,
	changes: &mut OverlayedChanges<BlakeTwo256>,
	executor: &Executor,
	checks: Checks,
) -> Result<Vec<u8>, String> {
	let code = BackendRuntimeCode::new(backend, TryPendingCode::No);
	let runtime_code = code.runtime_code().map_err(|e| format!("the new runtime: {e}"))?;
	let mut extensions = Default::default();
	let answer = StateMachine::new(
		backend,
		changes,
		executor,
		"TryRuntime_on_runtime_upgrade",
		&checks.encoded(),
		&mut extensions,
		&runtime_code,
		CallContext::Offchain,
	)
	.execute()
	.map_err(|e| format!("the upgrade failed its checks: {e}"));
	answer
}

fn runtime_version(executor: &Executor, code: &[u8]) -> Result<RuntimeVersion, String> {
	let encoded = executor
		.read_runtime_version(code, &mut BasicExternalities::default())
		.map_err(|e| format!("runtime's version cannot be read: {e}"))?;
	RuntimeVersion::decode(&mut &encoded[..])
		.map_err(|e| format!("runtime's version does not decode: {e}"))
}
