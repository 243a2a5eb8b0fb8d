//! The durable outbox: every signed reading is written here, with its sequence number, before
//! it is sent, and leaves the pending state only when the chain has finalized it (accepted) or
//! refused it (kept with the reason, never retried). After a crash, a restart or a chain outage
//! the bridge resends exactly what is pending, and numbers new readings after the last one.
//!
//! The store is redb: a single file of copy-on-write B-trees whose commits are durable when they
//! return (fsync), written in pure Rust, so a power cut leaves the last committed state and the
//! bridge needs no C toolchain or database server on site.

use crate::measure::MeterState;
use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use smartblocks_client::{meters::SignedReading, subxt::ext::codec::Decode};
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
};

/// Pending readings by (chain meter, sequence): the signed reading as the chain takes it
/// (SCALE). Only these are scanned when the bridge sends, however long the history grows.
const PENDING: TableDefinition<(u32, u64), &[u8]> = TableDefinition::new("pending");
/// Settled readings by (chain meter, sequence): the payload and the outcome (JSON).
const SETTLED: TableDefinition<(u32, u64), &[u8]> = TableDefinition::new("settled");
/// Settled readings of each chain meter: (accepted, rejected).
const SETTLED_COUNTS: TableDefinition<u32, (u64, u64)> = TableDefinition::new("settled_counts");
/// The next sequence number of each chain meter.
const NEXT_SEQUENCE: TableDefinition<u32, u64> = TableDefinition::new("next_sequence");
/// Each chain meter's state after its last recorded reading (JSON).
const METER_STATE: TableDefinition<u32, &[u8]> = TableDefinition::new("meter_state");
/// What the bridge learnt from the chain and keeps so it can work through an outage: its
/// genesis hash, the chain numbers of sites and meters, the finalized block the outbox is
/// reconciled with. JSON values by name.
const FACTS: TableDefinition<&str, &[u8]> = TableDefinition::new("facts");

/// The most memory redb may keep as page cache for one store file. Its default, 1 GiB, is
/// filled as the file grows: a bridge that runs for months would take that much for a history
/// it seldom reads. The pending readings it does read fit many times over.
const CACHE_BYTES: usize = 16 << 20;

/// How the bridge opens its redb files: with its cache bound.
pub(crate) fn store_builder() -> redb::Builder {
	let mut builder = redb::Builder::new();
	builder.set_cache_size(CACHE_BYTES);
	builder
}

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
struct Settled {
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

impl Pending {
	/// The signed reading it holds.
	pub fn signed(&self) -> Result<SignedReading, OutboxError> {
		signed_reading(self.meter, self.sequence, &self.payload)
	}
}

/// The signed reading that `meter`'s entry `sequence` holds as `payload` (the outbox keeps each
/// as the chain takes it, SCALE), or an error that names the entry.
pub fn signed_reading(
	meter: u32,
	sequence: u64,
	payload: &[u8],
) -> Result<SignedReading, OutboxError> {
	SignedReading::decode(&mut &payload[..]).map_err(|error| OutboxError::Corrupt {
		meter,
		sequence,
		reason: format!("no signed reading: {error}"),
	})
}

/// Readings of one meter by status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
	pub pending: u64,
	pub accepted: u64,
	pub rejected: u64,
}

/// What the bridge keeps of a meter's registration, to poll it when it starts during an outage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
	pub chain_meter: u32,
	/// Wh per register step, as the chain has it.
	pub multiplier: u32,
}

/// The fact holding a configured meter's chain identity.
fn identity_fact(name: &str) -> String {
	format!("meter:{name}")
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
	/// The outbox file of a bridge whose data folder is `data_dir`.
	pub fn file_in(data_dir: &Path) -> PathBuf {
		data_dir.join("outbox.redb")
	}

	/// Opens the outbox at `path`, creating it if missing.
	pub fn open(path: &Path) -> Result<Outbox, OutboxError> {
		let refused =
			|reason: String| OutboxError::Open { file: path.display().to_string(), reason };
		// redb asserts on some damaged files (one cut short) instead of returning an error; the
		// file is left as it is either way, for the operator to restore.
		let db = std::panic::catch_unwind(|| store_builder().create(path))
			.map_err(|_| refused("the file is damaged (cut short or overwritten)".into()))?
			.map_err(|e| refused(e.to_string()))?;
		let txn = db.begin_write().map_err(store)?;
		txn.open_table(PENDING).map_err(store)?;
		txn.open_table(SETTLED).map_err(store)?;
		txn.open_table(SETTLED_COUNTS).map_err(store)?;
		txn.open_table(NEXT_SEQUENCE).map_err(store)?;
		txn.open_table(METER_STATE).map_err(store)?;
		txn.open_table(FACTS).map_err(store)?;
		txn.commit().map_err(store)?;
		Ok(Outbox { db })
	}

	/// Records a new reading of `meter`, and the meter's `state` after it: `sign` makes its
	/// payload for the sequence number it is given. Both are durable when this returns; the
	/// sequence number is never reused.
	pub fn record(
		&self,
		meter: u32,
		state: &MeterState,
		sign: impl FnOnce(u64) -> Vec<u8>,
	) -> Result<u64, OutboxError> {
		let txn = self.db.begin_write().map_err(store)?;
		write_state(&txn, meter, state)?;
		let sequence = {
			let mut next = txn.open_table(NEXT_SEQUENCE).map_err(store)?;
			let sequence = next.get(meter).map_err(store)?.map_or(1, |s| s.value());
			let following =
				sequence.checked_add(1).ok_or(OutboxError::SequencesExhausted { meter })?;
			next.insert(meter, following).map_err(store)?;
			let payload = sign(sequence);
			txn.open_table(PENDING)
				.map_err(store)?
				.insert((meter, sequence), payload.as_slice())
				.map_err(store)?;
			sequence
		};
		txn.commit().map_err(store)?;
		Ok(sequence)
	}

	/// Replaces the payload of `meter`'s pending reading `sequence` (a reading signed again with
	/// the meter's current key); `Unknown` if it is not pending.
	pub fn replace_pending(
		&self,
		meter: u32,
		sequence: u64,
		payload: &[u8],
	) -> Result<(), OutboxError> {
		let txn = self.db.begin_write().map_err(store)?;
		{
			let mut pending = txn.open_table(PENDING).map_err(store)?;
			if pending.get((meter, sequence)).map_err(store)?.is_none() {
				return Err(OutboxError::Unknown { meter, sequence });
			}
			pending.insert((meter, sequence), payload).map_err(store)?;
		}
		txn.commit().map_err(store)
	}

	/// `meter`'s state after its last recorded reading, if it has any.
	pub fn meter_state(&self, meter: u32) -> Result<Option<MeterState>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = txn.open_table(METER_STATE).map_err(store)?;
		let Some(value) = table.get(meter).map_err(store)? else { return Ok(None) };
		serde_json::from_slice(value.value()).map(Some).map_err(|e| OutboxError::Corrupt {
			meter,
			sequence: 0,
			reason: format!("meter state: {e}"),
		})
	}

	/// Keeps `meter`'s state without a reading: a counter reset held or explained.
	pub fn save_state(&self, meter: u32, state: &MeterState) -> Result<(), OutboxError> {
		let txn = self.db.begin_write().map_err(store)?;
		write_state(&txn, meter, state)?;
		txn.commit().map_err(store)
	}

	/// The fact kept under `name`, if any.
	pub fn fact<T: serde::de::DeserializeOwned>(
		&self,
		name: &str,
	) -> Result<Option<T>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = txn.open_table(FACTS).map_err(store)?;
		let Some(value) = table.get(name).map_err(store)? else { return Ok(None) };
		serde_json::from_slice(value.value())
			.map(Some)
			.map_err(|e| OutboxError::Store(format!("the fact `{name}` cannot be read: {e}")))
	}

	/// Keeps `value` under `name`, replacing what was there.
	pub fn keep_fact<T: Serialize>(&self, name: &str, value: &T) -> Result<(), OutboxError> {
		let bytes = serde_json::to_vec(value).map_err(store)?;
		let txn = self.db.begin_write().map_err(store)?;
		txn.open_table(FACTS).map_err(store)?.insert(name, bytes.as_slice()).map_err(store)?;
		txn.commit().map_err(store)
	}

	/// The chain identity of the configured meter `name`, as the bridge last learnt it.
	pub fn identity(&self, name: &str) -> Result<Option<Identity>, OutboxError> {
		self.fact::<Identity>(&identity_fact(name))
	}

	/// The chain meter of the configured meter `name`, as the bridge last learnt it.
	pub fn chain_meter(&self, name: &str) -> Result<Option<u32>, OutboxError> {
		Ok(self.identity(name)?.map(|identity| identity.chain_meter))
	}

	/// Keeps the chain identity of the configured meter `name`.
	pub fn keep_identity(&self, name: &str, identity: &Identity) -> Result<(), OutboxError> {
		self.keep_fact(&identity_fact(name), identity)
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
		let table = txn.open_table(PENDING).map_err(store)?;
		table
			.iter()
			.map_err(store)?
			.take(limit)
			.map(|row| {
				let (key, value) = row.map_err(store)?;
				let (meter, sequence) = key.value();
				Ok(Pending { meter, sequence, payload: value.value().to_vec() })
			})
			.collect()
	}

	/// Up to `limit` of `meter`'s pending readings, oldest first.
	pub fn pending_of(&self, meter: u32, limit: usize) -> Result<Vec<Pending>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = txn.open_table(PENDING).map_err(store)?;
		table
			.range((meter, 0)..=(meter, u64::MAX))
			.map_err(store)?
			.take(limit)
			.map(|row| {
				let (key, value) = row.map_err(store)?;
				Ok(Pending { meter, sequence: key.value().1, payload: value.value().to_vec() })
			})
			.collect()
	}

	/// Up to `limit` pending readings of `meters`, each meter's oldest first and in order: every
	/// meter gets an equal share of the limit first, then the room left goes meter by meter, so
	/// a meter whose readings cannot land (suspended, retired) does not crowd the others out.
	pub fn pending_fairly(
		&self,
		meters: &[u32],
		limit: usize,
	) -> Result<Vec<Pending>, OutboxError> {
		let share = limit.div_ceil(meters.len().max(1));
		let mut runs: Vec<Vec<Pending>> = vec![Vec::new(); meters.len()];
		let mut total = 0;
		for wanted in [share, limit] {
			for (run, &meter) in runs.iter_mut().zip(meters) {
				// The most this meter may have with what the others already have.
				let room = wanted.min(limit - total + run.len());
				if room <= run.len() {
					continue;
				}
				let more = self.pending_of(meter, room)?;
				total = total - run.len() + more.len();
				*run = more;
			}
		}
		Ok(runs.into_iter().flatten().collect())
	}

	/// The sequence numbers of `meter`'s pending readings up to and including `through`.
	pub fn pending_through(&self, meter: u32, through: u64) -> Result<Vec<u64>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = txn.open_table(PENDING).map_err(store)?;
		table
			.range((meter, 0)..=(meter, through))
			.map_err(store)?
			.map(|row| Ok(row.map_err(store)?.0.value().1))
			.collect()
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
		Ok(self.entry(meter, sequence)?.status)
	}

	/// The signed reading `sequence` of `meter` as it was recorded, whatever its status.
	pub fn payload(&self, meter: u32, sequence: u64) -> Result<Vec<u8>, OutboxError> {
		Ok(self.entry(meter, sequence)?.payload)
	}

	/// `meter`'s reading `sequence` with its status, pending or settled.
	fn entry(&self, meter: u32, sequence: u64) -> Result<Settled, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		if let Some(value) =
			txn.open_table(PENDING).map_err(store)?.get((meter, sequence)).map_err(store)?
		{
			return Ok(Settled { payload: value.value().to_vec(), status: Status::Pending });
		}
		let table = txn.open_table(SETTLED).map_err(store)?;
		let value = table
			.get((meter, sequence))
			.map_err(store)?
			.ok_or(OutboxError::Unknown { meter, sequence })?;
		decode(meter, sequence, value.value())
	}

	/// The payloads of `meter`'s accepted readings by sequence: the meter's hash chain as far as
	/// this outbox knows it.
	pub fn accepted_payloads(&self, meter: u32) -> Result<BTreeMap<u64, Vec<u8>>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		accepted(&txn, meter)
	}

	/// `meter`'s accepted readings' payloads and its pending ones, each by the sequence number
	/// it is kept under, as one moment saw them: a reading settled meanwhile is in one or the
	/// other.
	#[allow(clippy::type_complexity)]
	pub fn archive_of(
		&self,
		meter: u32,
	) -> Result<(BTreeMap<u64, Vec<u8>>, BTreeMap<u64, Vec<u8>>), OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let accepted = accepted(&txn, meter)?;
		let table = txn.open_table(PENDING).map_err(store)?;
		let mut pending = BTreeMap::new();
		for row in table.range((meter, 0)..=(meter, u64::MAX)).map_err(store)? {
			let (key, value) = row.map_err(store)?;
			pending.insert(key.value().1, value.value().to_vec());
		}
		Ok((accepted, pending))
	}

	/// The payloads of `meter`'s readings the chain has not refused, accepted and pending, by
	/// sequence: the meter's history as the bridge measured it.
	pub fn measured_payloads(&self, meter: u32) -> Result<BTreeMap<u64, Vec<u8>>, OutboxError> {
		let (mut payloads, pending) = self.archive_of(meter)?;
		payloads.extend(pending);
		Ok(payloads)
	}

	/// Each meter's readings by status.
	pub fn counts(&self) -> Result<BTreeMap<u32, Counts>, OutboxError> {
		let txn = self.db.begin_read().map_err(store)?;
		let mut counts: BTreeMap<u32, Counts> = BTreeMap::new();
		for row in txn.open_table(SETTLED_COUNTS).map_err(store)?.iter().map_err(store)? {
			let (meter, settled) = row.map_err(store)?;
			let (accepted, rejected) = settled.value();
			counts.insert(meter.value(), Counts { pending: 0, accepted, rejected });
		}
		for row in txn.open_table(PENDING).map_err(store)?.iter().map_err(store)? {
			let meter = row.map_err(store)?.0.value().0;
			counts.entry(meter).or_default().pending += 1;
		}
		Ok(counts)
	}

	/// Moves pending readings to settled with `status`; readings already settled stay as they
	/// are.
	fn settle(&self, readings: &[(u32, u64)], status: Status) -> Result<(), OutboxError> {
		let txn = self.db.begin_write().map_err(store)?;
		{
			let mut pending = txn.open_table(PENDING).map_err(store)?;
			let mut settled = txn.open_table(SETTLED).map_err(store)?;
			let mut counts = txn.open_table(SETTLED_COUNTS).map_err(store)?;
			for (meter, sequence) in readings.iter().copied() {
				let Some(payload) =
					pending.remove((meter, sequence)).map_err(store)?.map(|v| v.value().to_vec())
				else {
					if settled.get((meter, sequence)).map_err(store)?.is_none() {
						return Err(OutboxError::Unknown { meter, sequence });
					}
					continue;
				};
				let entry = Settled { payload, status: status.clone() };
				let bytes = serde_json::to_vec(&entry).map_err(store)?;
				settled.insert((meter, sequence), bytes.as_slice()).map_err(store)?;
				let (accepted, rejected) =
					counts.get(meter).map_err(store)?.map_or((0, 0), |c| c.value());
				let updated = match status {
					Status::Accepted { .. } => (accepted + 1, rejected),
					_ => (accepted, rejected + 1),
				};
				counts.insert(meter, updated).map_err(store)?;
			}
		}
		txn.commit().map_err(store)
	}
}

fn write_state(
	txn: &redb::WriteTransaction,
	meter: u32,
	state: &MeterState,
) -> Result<(), OutboxError> {
	let bytes = serde_json::to_vec(state).map_err(store)?;
	txn.open_table(METER_STATE).map_err(store)?.insert(meter, bytes.as_slice()).map_err(store)?;
	Ok(())
}

/// `meter`'s accepted readings by sequence.
fn accepted(
	txn: &redb::ReadTransaction,
	meter: u32,
) -> Result<BTreeMap<u64, Vec<u8>>, OutboxError> {
	let table = txn.open_table(SETTLED).map_err(store)?;
	let mut payloads = BTreeMap::new();
	for row in table.range((meter, 0)..=(meter, u64::MAX)).map_err(store)? {
		let (key, value) = row.map_err(store)?;
		let sequence = key.value().1;
		let entry = decode(meter, sequence, value.value())?;
		if matches!(entry.status, Status::Accepted { .. }) {
			payloads.insert(sequence, entry.payload);
		}
	}
	Ok(payloads)
}

fn decode(meter: u32, sequence: u64, bytes: &[u8]) -> Result<Settled, OutboxError> {
	serde_json::from_slice(bytes).map_err(|e| OutboxError::Corrupt {
		meter,
		sequence,
		reason: e.to_string(),
	})
}
