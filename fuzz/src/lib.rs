//! The SmartBlocks runtime under random sequences of extrinsics across blocks and sessions, as a
//! hostile member, an outsider and their meters would send them, with the chain's invariants
//! checked after every block ([`invariants`]). [`run`] plays one input; the tests replay the
//! committed corpus (`corpus/runtime/`, the inputs worth keeping: each finding's once fixed) and
//! a bounded run of random inputs.

// The harness's own set-up failing (genesis, the keystore) is a bug of the harness: it panics
// with what failed, as the runtime's panics do, and the fuzzer reports both.
#![allow(clippy::expect_used)]

pub mod actions;
pub mod chain;
pub mod energy;
pub mod invariants;

use std::collections::BTreeMap;

use arbitrary::Unstructured;

pub use chain::Chain;
pub use invariants::Finding;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Run {
	/// Blocks built and checked.
	pub blocks: u32,
	/// What became of the transactions.
	pub tally: chain::Tally,
	/// Readings on chain at the end.
	pub readings: u64,
	/// The events the blocks emitted by pallet and kind, when asked for ([`run_counting`]).
	pub census: BTreeMap<String, u32>,
}

/// Plays `data` against a fresh chain: each action read from it in turn, the last block closed;
/// every invariant checked after every block. A panic in the runtime fails the run too.
pub fn run(data: &[u8]) -> Result<Run, Finding> {
	play(data, Chain::new())
}

/// [`run`], counting the events of each kind the blocks emitted: how far runs get.
pub fn run_counting(data: &[u8]) -> Result<Run, Finding> {
	let mut chain = Chain::new();
	chain.census = Some(BTreeMap::new());
	play(data, chain)
}

fn play(data: &[u8], mut chain: Chain) -> Result<Run, Finding> {
	let mut input = Unstructured::new(data);
	while actions::step(&mut chain, &mut input)? {}
	chain.next_block(1)?;
	let readings = chain.execute_with(|| {
		pallet_meters::Meters::<smartblocks_runtime::Runtime>::iter_values()
			.map(|meter| meter.chain.length)
			.sum()
	});
	let census = chain.census.take().unwrap_or_default();
	Ok(Run { blocks: chain.number() - 1, tally: chain.tally, readings, census })
}
