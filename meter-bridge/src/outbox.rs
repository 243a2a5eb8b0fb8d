//! The durable outbox: every signed reading is written here, with its sequence number, before
//! it is sent, and leaves the pending state only when the chain has finalized it (accepted) or
//! refused it (kept with the reason, never retried). After a crash, a restart or a chain outage
//! the bridge resends exactly what is pending, and numbers new readings after the last one.
//!
//! The store is redb: a single file of copy-on-write B-trees whose commits are durable when they
//! return (fsync), written in pure Rust, so a power cut leaves the last committed state and the
//! bridge needs no C toolchain or database server on site.

use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, path::Path};

/// Readings by (chain meter, sequence).
const READINGS: TableDefinition<(u32, u64), &[u8]> = TableDefinition::new("readings");
/// The next sequence number of each chain meter.
const NEXT_SEQUENCE: TableDefinition<u32, u64> = TableDefinition::new("next_sequence");

/// Where a reading stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
	/// Written, not yet final on chain: sent (again) until it is.
	Pending,
	/// In a finalized block.
	Accepted { block: [u8; 32] },
	/// Refused by the chain: kept for audit, never sent again.
	Rejected { reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
	/// The signed reading as the chain takes it (SCALE).
	payload: Vec<u8>,
	status: Status,
}

/// A pending reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
	pub meter: u32,
	pub sequence: u64,
	pub payload: Vec<u8>,
}

/// Readings of one meter by status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
	pub pending: u64,
	pub accepted: u64,
	pub rejected: u64,
}

/// Why the outbox failed; nothing it held is lost by a failure.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
	#[error("{file}: cannot open the outbox: {reason}")]
	Open { file: String, reason: String },
	#[error("the outbox store failed: {0}")]
	Store(String),
	#[error(
		"the outbox holds an entry it cannot read (meter {meter}, sequence {sequence}): {reason}"
	)]
	Corrupt { meter: u32, sequence: u64, reason: String },
	#[error("meter {meter} has no reading {sequence} in the outbox")]
	Unknown { meter: u32, sequence: u64 },
	#[error("meter {meter} has used every sequence number")]
	SequencesExhausted { meter: u32 },
}

fn store(error: impl std::fmt::Display) -> OutboxError {
	OutboxError::Store(error.to_string())
}

/// The outbox file.
pub struct Outbox {
	db: Database,
}

impl Outbox {
	/// Opens the outbox at `path`, creating it if missing.
	pub fn open(path: &Path) -> Result<Outbox, OutboxError> {
		let db = Database::create(path).map_err(|e| OutboxError::Open {
			file: path.display().to_string(),
			reason: e.to_string(),
		})?;
		let txn = db.begin_write().map_err(store)?;
		txn.open_table(READINGS).map_err(store)?;
		txn.open_table(NEXT_SEQUENCE).map_err(store)?;
		txn.commit().map_err(store)?;
		Ok(Outbox { db })
	}

	/// Records a new reading of `meter`: `sign` makes its payload for the sequence number it is
	/// given. The reading is durable when this returns; its sequence number is never reused.
	pub fn record(
		&self,
		meter: u32,
		sign: impl FnOnce(u64) -> Vec<u8>,
	) -> Result<u64, OutboxError> {
		let txn = self.db.begin_write().map_err(store)?;
		let sequence = {
			let mut next = txn.open_table(NEXT_SEQUENCE).map_err(store)?;
			let sequence = next.get(meter).map_err(store)?.map_or(1, |s| s.value());
			let following =
				sequence.checked_add(1).ok_or(OutboxError::SequencesExhausted { meter })?;
			next.insert(meter, following).map_err(store)?;
			let entry = Entry { payload: sign(sequence), status: Status::Pending };
			let bytes = serde_json::to_vec(&entry).map_err(store)?;
			txn.open_table(READINGS)
				.map_err(store)?
				.insert((meter, sequence), bytes.as_slice())
				.map_err(store)?;
			sequence
		};
		txn.commit().map_err(store)?;
		Ok(sequence)
	}

	/// Makes `meter`'s next sequence follow `last` (the chain's last sequence of the meter), if
	/// the outbox was behind it, e.g. after the outbox file was replaced.
	pub fn resync(&self, meter: u32, last: u64) -> Result<(), OutboxError> {
		let txn = self.db.begin_write().map_err(store)?;
		{
			let mut next = txn.open_table(NEXT_SEQUENCE).map_err(store)?;
			let current = next.get(meter).map_err(store)?.map_or(1, |s| s.value());
			let after = last.checked_add(1).ok_or(OutboxError::SequencesExhausted { meter })?;
			if after > current {
				next.insert(meter, after).map_err(store)?;
			}
		}
		txn.commit().map_err(store)
	}

	/// Up to `limit` pending readings, each meter's in sequence order.
	pub fn pending(&self, limit: usize) -> Result<Vec<Pending>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = txn.open_table(READINGS).map_err(store)?;
		let mut pending = Vec::new();
		for row in table.iter().map_err(store)? {
			if pending.len() >= limit {
				break;
			}
			let (key, value) = row.map_err(store)?;
			let (meter, sequence) = key.value();
			let entry = decode(meter, sequence, value.value())?;
			if entry.status == Status::Pending {
				pending.push(Pending { meter, sequence, payload: entry.payload });
			}
		}
		Ok(pending)
	}

	/// Marks readings final on chain in `block`. Already final readings stay as they are, so
	/// a repeated confirmation changes nothing.
	pub fn accept(&self, readings: &[(u32, u64)], block: [u8; 32]) -> Result<(), OutboxError> {
		self.settle(readings, Status::Accepted { block })
	}

	/// Marks a reading refused by the chain, with the reason.
	pub fn reject(&self, meter: u32, sequence: u64, reason: &str) -> Result<(), OutboxError> {
		self.settle(&[(meter, sequence)], Status::Rejected { reason: reason.to_string() })
	}

	/// The status of `meter`'s reading `sequence`.
	pub fn status(&self, meter: u32, sequence: u64) -> Result<Status, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = txn.open_table(READINGS).map_err(store)?;
		let value = table
			.get((meter, sequence))
			.map_err(store)?
			.ok_or(OutboxError::Unknown { meter, sequence })?;
		Ok(decode(meter, sequence, value.value())?.status)
	}

	/// Each meter's readings by status.
	pub fn counts(&self) -> Result<BTreeMap<u32, Counts>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = txn.open_table(READINGS).map_err(store)?;
		let mut counts: BTreeMap<u32, Counts> = BTreeMap::new();
		for row in table.iter().map_err(store)? {
			let (key, value) = row.map_err(store)?;
			let (meter, sequence) = key.value();
			let count = counts.entry(meter).or_default();
			match decode(meter, sequence, value.value())?.status {
				Status::Pending => count.pending += 1,
				Status::Accepted { .. } => count.accepted += 1,
				Status::Rejected { .. } => count.rejected += 1,
			}
		}
		Ok(counts)
	}

	fn settle(&self, readings: &[(u32, u64)], status: Status) -> Result<(), OutboxError> {
		let txn = self.db.begin_write().map_err(store)?;
		{
			let mut table = txn.open_table(READINGS).map_err(store)?;
			for (meter, sequence) in readings.iter().copied() {
				let entry = {
					let value = table
						.get((meter, sequence))
						.map_err(store)?
						.ok_or(OutboxError::Unknown { meter, sequence })?;
					decode(meter, sequence, value.value())?
				};
				if entry.status != Status::Pending {
					continue;
				}
				let settled = Entry { payload: entry.payload, status: status.clone() };
				let bytes = serde_json::to_vec(&settled).map_err(store)?;
				table.insert((meter, sequence), bytes.as_slice()).map_err(store)?;
			}
		}
		txn.commit().map_err(store)
	}
}

fn decode(meter: u32, sequence: u64, bytes: &[u8]) -> Result<Entry, OutboxError> {
	serde_json::from_slice(bytes).map_err(|e| OutboxError::Corrupt {
		meter,
		sequence,
		reason: e.to_string(),
	})
}
