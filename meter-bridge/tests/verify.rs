//! `meter-bridge verify`'s comparison: an archive's accepted readings, chained in order, against
//! the chain's day checkpoints and head; where they first part, and from which reading.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::verify::{compare, describe, Checkpoint, Comparison};
use smartblocks_client::{
	meters::{chain_over, HashChain, Reading},
	subxt::utils::H256,
};

/// 2026-11-23 00:00 UTC.
const MONDAY: u64 = 1_795_392_000_000;

/// A meter's readings 1..=`count`, one a minute, 100 Wh apart.
fn readings(count: u64) -> Vec<Reading> {
	(1..=count)
		.map(|sequence| Reading {
			meter: 3,
			sequence,
			timestamp: MONDAY + sequence * 60_000,
			register: 1_000 + sequence * 100,
			demand: Some(6_000),
			temperature: None,
		})
		.collect()
}

/// The chain's checkpoints over `readings`: after each of `days` (lengths), and the head.
fn checkpoints(readings: &[Reading], days: &[usize]) -> Vec<Checkpoint> {
	let chain = |length: usize| {
		chain_over(HashChain { head: H256::zero(), length: 0 }, readings[..length].iter())
	};
	let mut checkpoints: Vec<Checkpoint> = days
		.iter()
		.map(|length| Checkpoint { label: format!("day of {length}"), chain: chain(*length) })
		.collect();
	checkpoints.push(Checkpoint { label: "head".into(), chain: chain(readings.len()) });
	checkpoints
}

#[test]
fn an_intact_archive_reproduces_every_checkpoint() {
	let archive = readings(30);
	// Given in any order, they are taken in order of length.
	let mut chain = checkpoints(&archive, &[10, 20]);
	chain.reverse();
	assert_eq!(compare(&archive, &chain), Comparison::Matches { checkpoints: 3 });
	assert_eq!(compare(&[], &checkpoints(&[], &[])), Comparison::Matches { checkpoints: 1 });
}

#[test]
fn an_edited_reading_parts_the_archive_from_the_first_checkpoint_after_it() {
	let genuine = readings(30);
	let chain = checkpoints(&genuine, &[10, 20]);
	let mut edited = genuine.clone();
	edited[14].register += 1;
	assert_eq!(
		compare(&edited, &chain),
		Comparison::Differs { checkpoint: chain[1].clone(), from: 10 }
	);
	// In the first day: from the start.
	let mut edited = genuine.clone();
	edited[0].timestamp += 1;
	assert_eq!(
		compare(&edited, &chain),
		Comparison::Differs { checkpoint: chain[0].clone(), from: 0 }
	);
	// After the last day, before the head.
	let mut edited = genuine;
	edited[29].demand = None;
	assert_eq!(
		compare(&edited, &chain),
		Comparison::Differs { checkpoint: chain[2].clone(), from: 20 }
	);
}

#[test]
fn a_lost_or_an_added_reading_parts_the_archive_too() {
	let genuine = readings(30);
	let chain = checkpoints(&genuine, &[10, 20]);
	let mut lost = genuine.clone();
	lost.remove(12);
	assert_eq!(
		compare(&lost, &chain),
		Comparison::Differs { checkpoint: chain[1].clone(), from: 10 }
	);
	// The archive ends before the chain's head: the chain has readings it lacks.
	assert_eq!(
		compare(&genuine[..25], &chain),
		Comparison::Differs { checkpoint: chain[2].clone(), from: 20 }
	);
	// Readings the archive calls accepted that the chain never counted.
	let mut added = genuine.clone();
	added.extend(readings(31).pop());
	assert_eq!(
		compare(&added, &chain),
		Comparison::Differs { checkpoint: chain[2].clone(), from: 30 }
	);
}

#[test]
fn a_reading_reads_as_an_auditor_reads_it() {
	let mut reading = readings(1).remove(0);
	assert_eq!(
		describe(&reading),
		"sequence 1 at 2026-11-23T00:01:00+00:00: register 1100, demand 6000 W"
	);
	reading.demand = None;
	reading.temperature = Some(-35);
	assert_eq!(
		describe(&reading),
		"sequence 1 at 2026-11-23T00:01:00+00:00: register 1100, temperature -3.5 °C"
	);
}
