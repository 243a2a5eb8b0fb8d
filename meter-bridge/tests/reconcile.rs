//! The outbox settles readings from finalized blocks: refusals with their reasons, accepted
//! runs as exactly the numbers they end with, numbers the device skipped; and when a block's
//! events are gone, the meter's hash chain tells which readings were accepted.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::{
	measure::MeterState,
	outbox::{Counts, Outbox, Status},
	run::reconcile::{accepted_subset, settle_block, SKIPPED},
};
use smartblocks_client::{
	meters::{
		chain_over, AcceptedRun, BlockReadings, HashChain, Reading, ReadingRefused, RefusalReason,
		SequencesSkipped, SignedReading,
	},
	subxt::utils::H256,
};

fn outbox_with(meter: u32, readings: u64) -> (tempfile::TempDir, Outbox) {
	let dir = tempfile::tempdir().unwrap();
	let outbox = Outbox::open(&dir.path().join("outbox.redb")).unwrap();
	for _ in 0..readings {
		outbox
			.record(meter, &MeterState::default(), |sequence| sequence.to_le_bytes().to_vec())
			.unwrap();
	}
	(dir, outbox)
}

fn block(accepted: Vec<AcceptedRun>, refused: Vec<ReadingRefused>) -> BlockReadings {
	BlockReadings { number: 7, hash: H256([7; 32]), accepted, refused, skipped: vec![] }
}

#[test]
fn a_block_settles_refusals_with_reasons_and_accepted_runs_by_count() {
	let (_dir, outbox) = outbox_with(4, 6);
	outbox.record(9, &MeterState::default(), |_| vec![1]).unwrap();
	// Readings 1-5 of meter 4 were in the block; 3 was refused, which ends a run. Reading 6 is
	// still in the pool.
	let refused = ReadingRefused { meter: 4, sequence: 3, reason: RefusalReason::ImplausiblePower };
	let runs = [
		AcceptedRun { meter: 4, count: 2, last_sequence: 2 },
		AcceptedRun { meter: 4, count: 2, last_sequence: 5 },
	];
	// Meter 9 is another bridge's: its outcome is not this outbox's business.
	let theirs = AcceptedRun { meter: 9, count: 1, last_sequence: 1 };
	settle_block(
		&outbox,
		|meter| meter == 4,
		&block(vec![runs[0].clone(), runs[1].clone(), theirs], vec![refused.clone()]),
	)
	.unwrap();
	for sequence in [1, 2, 4, 5] {
		assert_eq!(outbox.status(4, sequence).unwrap(), Status::Accepted { block: [7; 32] });
	}
	assert_eq!(
		outbox.status(4, 3).unwrap(),
		Status::Rejected {
			reason: "register advance implies more than the meter's maximum power".into()
		}
	);
	assert_eq!(outbox.status(4, 6).unwrap(), Status::Pending);
	assert_eq!(outbox.status(9, 1).unwrap(), Status::Pending);
	assert_eq!(outbox.counts().unwrap()[&4], Counts { pending: 1, accepted: 4, rejected: 1 });
	// The same block again (a restart before the bridge noted it) changes nothing.
	settle_block(&outbox, |meter| meter == 4, &block(runs.to_vec(), vec![refused])).unwrap();
	assert_eq!(outbox.counts().unwrap()[&4], Counts { pending: 1, accepted: 4, rejected: 1 });
}

#[test]
fn a_run_after_a_gap_settles_exactly_its_numbers() {
	let (_dir, outbox) = outbox_with(2, 6);
	// The bridge rejected 3 itself; the device skipped it on chain, then 4 and 5 were accepted.
	outbox.reject(2, 3, "the chain would refuse it").unwrap();
	let skipped = SequencesSkipped { meter: 2, first: 3, last: 3 };
	let run = AcceptedRun { meter: 2, count: 2, last_sequence: 5 };
	let mut block = block(vec![run], vec![]);
	block.skipped = vec![skipped];
	settle_block(&outbox, |_| true, &block).unwrap();
	// 1 and 2 are in no run of this block: still pending, not taken for 4 and 5.
	for sequence in [1, 2, 6] {
		assert_eq!(outbox.status(2, sequence).unwrap(), Status::Pending, "reading {sequence}");
	}
	for sequence in [4, 5] {
		assert_eq!(outbox.status(2, sequence).unwrap(), Status::Accepted { block: [7; 32] });
	}
}

#[test]
fn a_skip_rejects_the_pending_numbers_it_covers() {
	let (_dir, outbox) = outbox_with(2, 3);
	let mut block = block(vec![], vec![]);
	block.skipped = vec![SequencesSkipped { meter: 2, first: 1, last: 2 }];
	settle_block(&outbox, |_| true, &block).unwrap();
	assert_eq!(outbox.status(2, 1).unwrap(), Status::Rejected { reason: SKIPPED.into() });
	assert_eq!(outbox.status(2, 2).unwrap(), Status::Rejected { reason: SKIPPED.into() });
	assert_eq!(outbox.status(2, 3).unwrap(), Status::Pending);
}

#[test]
fn a_refusal_of_a_reading_this_outbox_never_held_is_passed_over() {
	let (_dir, outbox) = outbox_with(2, 1);
	let refused = ReadingRefused { meter: 2, sequence: 99, reason: RefusalReason::TooSoon };
	settle_block(&outbox, |_| true, &block(vec![], vec![refused])).unwrap();
	assert_eq!(outbox.status(2, 1).unwrap(), Status::Pending);
}

#[test]
fn the_hash_chain_tells_which_readings_were_accepted() {
	let reading = |sequence: u64| SignedReading {
		reading: Reading {
			meter: 1,
			sequence,
			timestamp: 1_000 * sequence,
			register: 10 * sequence,
			demand: None,
			temperature: None,
		},
		signature: [0; 64],
	};
	let start = chain_over(HashChain { head: H256::zero(), length: 0 }, [&reading(1).reading]);
	let judged: Vec<_> = (2..=6).map(reading).collect();
	// The chain accepted 2, 4 and 6 of them.
	let target =
		chain_over(start.clone(), [&judged[0].reading, &judged[2].reading, &judged[4].reading]);
	assert_eq!(accepted_subset(&start, &judged, 3, &target), Some(vec![0, 2, 4]));
	// A count that does not fit the chain's length, or no subset that gives its head: unknown.
	assert_eq!(accepted_subset(&start, &judged, 2, &target), None);
	let other = HashChain { head: H256([1; 32]), length: target.length };
	assert_eq!(accepted_subset(&start, &judged, 3, &other), None);
}
