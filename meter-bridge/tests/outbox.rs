//! The outbox keeps every reading through restarts, numbers each meter's readings without gaps
//! or reuse, and lets a reading leave the pending state once: accepted or rejected.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::{
	measure::MeterState,
	outbox::{Counts, Outbox, OutboxError, Pending, Status},
};

fn state() -> MeterState {
	MeterState::default()
}

fn payload(meter: u32, sequence: u64) -> Vec<u8> {
	format!("meter {meter} reading {sequence}").into_bytes()
}

#[test]
fn readings_survive_a_restart_and_numbering_continues() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("outbox.redb");
	{
		let outbox = Outbox::open(&path).unwrap();
		assert_eq!(outbox.record(7, &state(), |s| payload(7, s)).unwrap(), 1);
		assert_eq!(outbox.record(7, &state(), |s| payload(7, s)).unwrap(), 2);
		assert_eq!(outbox.record(3, &state(), |s| payload(3, s)).unwrap(), 1);
		// The bridge stops here without a word: dropped, as a crash would leave it.
	}
	let outbox = Outbox::open(&path).unwrap();
	let pending = outbox.pending(10).unwrap();
	assert_eq!(
		pending,
		vec![
			Pending { meter: 3, sequence: 1, payload: payload(3, 1) },
			Pending { meter: 7, sequence: 1, payload: payload(7, 1) },
			Pending { meter: 7, sequence: 2, payload: payload(7, 2) },
		]
	);
	assert_eq!(outbox.record(7, &state(), |s| payload(7, s)).unwrap(), 3);
	assert_eq!(outbox.pending(2).unwrap().len(), 2);
}

#[test]
fn a_reading_leaves_pending_once_accepted_or_rejected() {
	let dir = tempfile::tempdir().unwrap();
	let outbox = Outbox::open(&dir.path().join("outbox.redb")).unwrap();
	for _ in 0..3 {
		outbox.record(1, &state(), |s| payload(1, s)).unwrap();
	}
	let block = [9; 32];
	outbox.accept(&[(1, 1), (1, 2)], block).unwrap();
	outbox.reject(1, 3, "SequenceNotIncreasing").unwrap();
	// A late confirmation of a rejected reading, or a second one, changes nothing.
	outbox.accept(&[(1, 3), (1, 1)], [1; 32]).unwrap();
	assert_eq!(outbox.status(1, 1).unwrap(), Status::Accepted { block });
	assert_eq!(
		outbox.status(1, 3).unwrap(),
		Status::Rejected { reason: "SequenceNotIncreasing".into() }
	);
	assert!(outbox.pending(10).unwrap().is_empty());
	assert_eq!(outbox.counts().unwrap()[&1], Counts { pending: 0, accepted: 2, rejected: 1 });
	assert!(matches!(
		outbox.accept(&[(1, 4)], block),
		Err(OutboxError::Unknown { meter: 1, sequence: 4 })
	));
}

#[test]
fn resyncs_numbering_with_the_chain() {
	let dir = tempfile::tempdir().unwrap();
	let outbox = Outbox::open(&dir.path().join("outbox.redb")).unwrap();
	// A replaced outbox: the chain already has readings up to 41 of meter 5.
	outbox.resync(5, 41).unwrap();
	assert_eq!(outbox.record(5, &state(), |s| payload(5, s)).unwrap(), 42);
	// The chain behind the outbox moves nothing back.
	outbox.resync(5, 10).unwrap();
	assert_eq!(outbox.record(5, &state(), |s| payload(5, s)).unwrap(), 43);
}

#[test]
fn a_file_that_is_no_outbox_is_refused_with_its_name() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("outbox.redb");
	std::fs::write(&path, b"these bytes are not a redb database, just garbage left behind")
		.unwrap();
	let error = Outbox::open(&path).err().expect("a garbage file is refused");
	let message = error.to_string();
	assert!(
		message.starts_with(&format!("{}: cannot open the outbox:", path.display())),
		"{message}"
	);
	// The garbage stays for the operator to look at.
	assert!(std::fs::read(&path).unwrap().starts_with(b"these bytes"));
}

#[test]
fn a_meter_state_is_kept_with_its_reading_and_facts_survive_a_restart() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("outbox.redb");
	let after = MeterState { last_register: Some(1_234), last_timestamp: Some(99), ..state() };
	{
		let outbox = Outbox::open(&path).unwrap();
		assert_eq!(outbox.meter_state(2).unwrap(), None);
		outbox.record(2, &after, |s| payload(2, s)).unwrap();
		outbox.keep_fact("reconciled_block", &41u64).unwrap();
		outbox.keep_fact("reconciled_block", &42u64).unwrap();
	}
	let outbox = Outbox::open(&path).unwrap();
	assert_eq!(outbox.meter_state(2).unwrap(), Some(after));
	assert_eq!(outbox.fact::<u64>("reconciled_block").unwrap(), Some(42));
	assert_eq!(outbox.fact::<u64>("never kept").unwrap(), None);
	let wrong_type = outbox.fact::<String>("reconciled_block").unwrap_err().to_string();
	assert!(wrong_type.contains("reconciled_block"), "{wrong_type}");
}

#[test]
fn a_meter_s_pending_readings_up_to_a_sequence_and_its_accepted_history() {
	let dir = tempfile::tempdir().unwrap();
	let outbox = Outbox::open(&dir.path().join("outbox.redb")).unwrap();
	for _ in 0..4 {
		outbox.record(1, &state(), |s| payload(1, s)).unwrap();
		outbox.record(2, &state(), |s| payload(2, s)).unwrap();
	}
	outbox.accept(&[(1, 1), (1, 3)], [0; 32]).unwrap();
	outbox.reject(1, 2, "refused").unwrap();
	assert_eq!(outbox.pending_through(1, 3).unwrap(), Vec::<u64>::new());
	assert_eq!(outbox.pending_through(1, u64::MAX).unwrap(), vec![4]);
	assert_eq!(outbox.pending_through(2, 2).unwrap(), vec![1, 2]);
	assert_eq!(
		outbox.accepted_payloads(1).unwrap().into_values().collect::<Vec<_>>(),
		vec![payload(1, 1), payload(1, 3)]
	);
	assert_eq!(outbox.payload(1, 2).unwrap(), payload(1, 2));
	assert_eq!(outbox.payload(2, 4).unwrap(), payload(2, 4));
}

#[test]
fn a_corrupt_outbox_file_is_refused_with_its_name_and_left_as_it_is() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("outbox.redb");
	let garbage = b"this is not a redb file, but someone's notes".repeat(200);
	std::fs::write(&path, &garbage).unwrap();
	let error = Outbox::open(&path).err().expect("a corrupt file is refused");
	let message = error.to_string();
	assert!(
		message.starts_with(&format!("{}: cannot open the outbox: ", path.display())),
		"{message}"
	);
	// Nothing overwritten: the operator can still inspect or restore it.
	assert_eq!(std::fs::read(&path).unwrap(), garbage);

	// A file cut short (a full disk, a bad copy) is refused the same way.
	let good = dir.path().join("good.redb");
	{
		let outbox = Outbox::open(&good).unwrap();
		for _ in 0..50 {
			outbox.record(1, &state(), |s| payload(1, s)).unwrap();
		}
	}
	let bytes = std::fs::read(&good).unwrap();
	let cut = dir.path().join("cut.redb");
	std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
	let error = Outbox::open(&cut).err().expect("a file cut short is refused");
	assert!(
		error
			.to_string()
			.ends_with("cannot open the outbox: the file is damaged (cut short or overwritten)"),
		"{error}"
	);
	assert_eq!(std::fs::read(&cut).unwrap(), &bytes[..bytes.len() / 3]);
}

#[test]
fn a_meter_with_a_long_backlog_does_not_crowd_out_the_others() {
	let dir = tempfile::tempdir().unwrap();
	let outbox = Outbox::open(&dir.path().join("outbox.redb")).unwrap();
	// Meter 1 (say, suspended) has 100 readings waiting, meters 2 and 3 two each.
	for _ in 0..100 {
		outbox.record(1, &state(), |s| payload(1, s)).unwrap();
	}
	for meter in [2, 3] {
		for _ in 0..2 {
			outbox.record(meter, &state(), |s| payload(meter, s)).unwrap();
		}
	}
	let served = |limit| -> Vec<(u32, u64)> {
		let pending = outbox.pending_fairly(&[1, 2, 3], limit).unwrap();
		pending.iter().map(|p| (p.meter, p.sequence)).collect()
	};
	// Six: two each, oldest first.
	assert_eq!(served(6), vec![(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]);
	// Ten: the others' two each, and the room left to meter 1.
	let ten = served(10);
	assert_eq!(ten.len(), 10);
	assert_eq!(ten.iter().filter(|(meter, _)| *meter == 1).count(), 6);
	assert_eq!(&ten[6..], &[(2, 1), (2, 2), (3, 1), (3, 2)]);
}
