//! The runtime fuzzer's inputs as a test: every input of the committed corpus (`corpus/runtime/`:
//! the inputs worth keeping, each finding's once fixed), then random inputs from a fixed seed,
//! each a run with every invariant checked after every block.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

/// Random inputs after the corpus, and their longest length in bytes.
const RANDOM_RUNS: u64 = 64;
const RANDOM_LEN: u64 = 4_096;

#[test]
fn every_corpus_input_keeps_every_invariant() {
	let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/runtime");
	let mut inputs: Vec<_> = std::fs::read_dir(&dir)
		.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
		.map(|entry| entry.unwrap().path())
		.collect();
	inputs.sort();
	assert!(!inputs.is_empty(), "{} holds no inputs", dir.display());
	let mut runs = Vec::new();
	for path in &inputs {
		let data = std::fs::read(path).unwrap();
		runs.push(
			smartblocks_fuzz::run_counting(&data)
				.unwrap_or_else(|finding| panic!("{}: {finding}", path.display())),
		);
	}
	println!("{} corpus inputs: {}", inputs.len(), totals(&runs));
}

#[test]
fn random_inputs_keep_every_invariant() {
	// xorshift64*: the same inputs on every machine, no dependency.
	let mut state = 0x5EED_B10C_u64;
	let mut next = move || {
		state ^= state >> 12;
		state ^= state << 25;
		state ^= state >> 27;
		state.wrapping_mul(0x2545_F491_4F6C_DD1D)
	};
	let mut runs = Vec::new();
	for run in 0..RANDOM_RUNS {
		let len = next() % RANDOM_LEN;
		let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
		runs.push(
			smartblocks_fuzz::run_counting(&data)
				.unwrap_or_else(|finding| panic!("random input {run} ({len} bytes): {finding}")),
		);
	}
	println!("{RANDOM_RUNS} random inputs: {}", totals(&runs));
}

/// The runs' blocks, transactions by outcome, readings on chain and events by kind, summed.
fn totals(runs: &[smartblocks_fuzz::Run]) -> String {
	let sum = |f: fn(&smartblocks_fuzz::Run) -> u64| runs.iter().map(f).sum::<u64>();
	let mut census = std::collections::BTreeMap::<&str, u32>::new();
	for (kind, count) in runs.iter().flat_map(|run| &run.census) {
		*census.entry(kind).or_default() += count;
	}
	let census: Vec<String> =
		census.iter().map(|(kind, count)| format!("{kind} {count}")).collect();
	format!(
		"{} blocks; transactions {} succeeded, {} failed, {} left out; {} readings on chain; \
		 events: {}",
		sum(|run| run.blocks.into()),
		sum(|run| run.tally.succeeded.into()),
		sum(|run| run.tally.failed.into()),
		sum(|run| run.tally.left_out.into()),
		sum(|run| run.readings),
		census.join(", "),
	)
}
