//! `meter-bridge verify`: is the outbox (the off-chain archive of raw readings) the chain's
//! record? The chain keeps each meter's hash chain over its accepted readings, with a checkpoint
//! at the end of every day it keeps and the head. The archive's accepted readings, chained in
//! sequence order, must reproduce every one of them. Where they do not, the difference lies
//! between the last checkpoint they reproduce and the first they do not; the readings the chain's
//! blocks carried there name the first reading that differs.

use crate::{
	config::Config,
	outbox::{signed_reading, Outbox, OutboxError, Status},
	run::now_ms,
};
use anyhow::Context as _;
use smartblocks_client::{
	meters::{chain_next, day_of, day_start, signed_by, HashChain, Reading},
	subxt::utils::H256,
	Client,
};
use std::{collections::BTreeMap, fmt::Write as _, path::Path};

/// Days asked of the chain at once (it keeps 400).
const DAYS_PER_QUERY: u32 = 366;
/// Blocks whose bodies are read to name the reading that differs: enough for a day of a
/// bridge's batches, bounded for a difference that spans months.
const MAX_BLOCKS_READ: usize = 512;

/// A hash chain the chain vouches for: a day's checkpoint, or the meter's head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
	pub label: String,
	pub chain: HashChain,
}

/// How an archive's readings compare with a meter's checkpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparison {
	/// They reproduce all `checkpoints`.
	Matches { checkpoints: usize },
	/// They do not reproduce `checkpoint`; the readings before index `from` reproduce the last
	/// checkpoint before it (`from` is its length), so the difference lies from `from` on.
	Differs { checkpoint: Checkpoint, from: usize },
}

/// Chains `readings` (a meter's accepted readings in sequence order) and compares the chain
/// with each of `checkpoints`, in order of their length; the head last. An archive that holds
/// more readings than the head counts differs at the head too.
pub fn compare(readings: &[Reading], checkpoints: &[Checkpoint]) -> Comparison {
	let mut sorted: Vec<&Checkpoint> = checkpoints.iter().collect();
	sorted.sort_by_key(|checkpoint| checkpoint.chain.length);
	let mut chain = HashChain { head: H256::zero(), length: 0 };
	let mut from = 0usize;
	for checkpoint in &sorted {
		let length = usize::try_from(checkpoint.chain.length).unwrap_or(usize::MAX);
		if length > readings.len() {
			return Comparison::Differs { checkpoint: (*checkpoint).clone(), from };
		}
		for reading in &readings[chain.length as usize..length] {
			chain = chain_next(&chain, reading);
		}
		if chain.head != checkpoint.chain.head {
			return Comparison::Differs { checkpoint: (*checkpoint).clone(), from };
		}
		from = length;
	}
	match sorted.last() {
		Some(head) if from < readings.len() => {
			Comparison::Differs { checkpoint: (*head).clone(), from }
		}
		_ => Comparison::Matches { checkpoints: sorted.len() },
	}
}

/// One meter's verdict.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
	/// The archive reproduces every checkpoint; `pending_on_chain` of its readings the bridge
	/// had not yet settled are among them.
	Matches { readings: usize, checkpoints: usize, pending_on_chain: usize },
	/// The first reading that differs, if the archive or the chain's blocks name it, and what
	/// differs.
	Differs { sequence: Option<u64>, why: String },
	/// Nothing concluded: the meter is not on chain, it could not be checked, or the bridge is
	/// still settling readings the chain has judged (the reason).
	Unchecked { why: String },
}

/// Compares every configured meter's archive in the outbox (the configuration's, or `outbox`)
/// with the chain; returns the report and whether every registered meter's archive matched.
pub async fn verify(config: &Config, outbox: Option<&Path>) -> anyhow::Result<(String, bool)> {
	let path = outbox.map_or_else(|| Outbox::file_in(&config.bridge.data_dir), Path::to_path_buf);
	anyhow::ensure!(path.exists(), "{}: there is no outbox here", path.display());
	let outbox = match Outbox::open(&path) {
		Ok(outbox) => outbox,
		Err(OutboxError::Open { reason, .. }) => anyhow::bail!(
			"{}: cannot open the outbox ({reason}). If the running bridge holds it, verify a copy \
			 of the file with --outbox COPY, or stop the bridge",
			path.display()
		),
		Err(error) => return Err(error.into()),
	};
	let client = Client::connect(&config.bridge.node)
		.await
		.with_context(|| format!("cannot reach the node at {}", config.bridge.node))?;
	let mut report = String::new();
	let mut all_match = true;
	for meter in config.identities() {
		let chain_meter = outbox.chain_meter(meter.name)?;
		let verdict = match chain_meter {
			Some(chain_meter) => {
				verify_meter(&client, &outbox, chain_meter).await.unwrap_or_else(|error| {
					Verdict::Unchecked { why: format!("cannot check: {error:#}") }
				})
			}
			None => Verdict::Unchecked { why: "not registered on chain by this bridge".into() },
		};
		all_match &= chain_meter.is_none() || matches!(verdict, Verdict::Matches { .. });
		let chain_meter =
			chain_meter.map_or_else(|| "-".to_string(), |id| format!("chain meter {id}"));
		writeln!(report, "{} ({chain_meter}): {}", meter.name, verdict_text(&verdict))?;
	}
	Ok((report, all_match))
}

/// A verdict as the report's line says it.
pub fn verdict_text(verdict: &Verdict) -> String {
	match verdict {
		Verdict::Matches { readings, checkpoints, pending_on_chain: 0 } => format!(
			"matches: {readings} accepted readings reproduce the chain's {checkpoints} checkpoints"
		),
		Verdict::Matches { readings, checkpoints, pending_on_chain } => format!(
			"matches: {readings} readings reproduce the chain's {checkpoints} checkpoints \
			 ({pending_on_chain} of them on chain but not yet settled in the outbox)"
		),
		Verdict::Differs { sequence: Some(sequence), why } => {
			format!("DIFFERS from sequence {sequence}: {why}")
		}
		Verdict::Differs { sequence: None, why } => format!("DIFFERS: {why}"),
		Verdict::Unchecked { why } => format!("unchecked: {why}"),
	}
}

/// One meter's archive (the accepted readings of `outbox`, and its pending ones the chain may
/// have accepted) against the chain.
pub async fn verify_meter(client: &Client, outbox: &Outbox, meter: u32) -> anyhow::Result<Verdict> {
	// The outbox first, as one moment saw it, then the chain: every reading the chain has
	// accepted by then was recorded before it was sent, so it is in the outbox's accepted or
	// pending readings.
	let (accepted, pending) = outbox.archive_of(meter)?;
	let readings = match archived(accepted, meter) {
		Ok(readings) => readings,
		Err((sequence, why)) => return Ok(Verdict::Differs { sequence: Some(sequence), why }),
	};
	// The day checkpoints first, then the head: a day still open is never ahead of the head.
	let mut checkpoints = day_checkpoints(client, meter, readings.first()).await?;
	let Some(info) = client.meter(meter).await? else {
		return Ok(Verdict::Unchecked { why: format!("the chain has no meter {meter}") });
	};
	checkpoints.push(Checkpoint { label: "head".into(), chain: info.chain.clone() });
	let (checkpoint, from) = match compare(&readings, &checkpoints) {
		Comparison::Matches { checkpoints } => {
			let readings = readings.len();
			return Ok(Verdict::Matches { readings, checkpoints, pending_on_chain: 0 });
		}
		Comparison::Differs { checkpoint, from } => (checkpoint, from),
	};
	let counted = checkpoint.chain.length;
	let held = readings.len();
	// Readings the chain accepted that the bridge has not settled yet (a running bridge, or a
	// copy of its outbox): the archive with them reproduces the chain.
	if (held as u64) < info.chain.length && !pending.is_empty() {
		let mut measured = readings.clone();
		for (&sequence, payload) in &pending {
			let Ok(signed) = signed_reading(meter, sequence, payload) else { break };
			measured.push(signed.reading);
		}
		measured.sort_by_key(|reading| reading.sequence);
		measured.truncate(usize::try_from(info.chain.length).unwrap_or(usize::MAX));
		if let Comparison::Matches { checkpoints } = compare(&measured, &checkpoints) {
			let pending_on_chain = measured.len() - held;
			return Ok(Verdict::Matches {
				readings: measured.len(),
				checkpoints,
				pending_on_chain,
			});
		}
	}
	let to = usize::try_from(counted).unwrap_or(usize::MAX).min(held);
	let genesis = client.genesis_hash();
	let device = info.device_key;
	let named = pinpoint(client, outbox, meter, &readings, from, to, (genesis, device)).await?;
	if let Some((sequence, why)) = named.found {
		return Ok(Verdict::Differs { sequence: Some(sequence), why });
	}
	// Nothing named, and readings the chain judged that the bridge has not settled yet: the
	// archive is unfinished rather than shown wrong; a running bridge settles them within a few
	// blocks.
	let judged = info.last_sequence.unwrap_or(0);
	if pending.keys().any(|sequence| *sequence <= judged) {
		let why = "the outbox has readings the chain has judged but the bridge has not settled \
		           yet; verify again once it has"
			.to_string();
		return Ok(Verdict::Unchecked { why });
	}
	let unread = match named.unread_blocks {
		0 => String::new(),
		blocks => format!(" ({blocks} of their blocks could not be read from the node)"),
	};
	let why = if counted > held as u64 {
		let pending = match pending.len() {
			0 => String::new(),
			count => format!("; the outbox holds {count} readings not settled with the chain"),
		};
		format!(
			"the chain's {} counts {counted} accepted readings, the archive holds {held}: the \
			 chain has readings the archive lacks{pending}{unread}",
			checkpoint.label
		)
	} else if let Some(extra) = readings.get(from).filter(|_| held as u64 > counted && from == to) {
		return Ok(Verdict::Differs {
			sequence: Some(extra.sequence),
			why: format!(
				"the archive holds {held} accepted readings, the chain's {} (as the node had \
				 finalized it when asked) counts {counted}: this reading and those after it are \
				 not on chain",
				checkpoint.label
			),
		});
	} else if from < to {
		format!(
			"the archive's readings {} to {} do not reproduce the chain's {}, and the blocks \
			 that carried them do not show which one differs{unread}",
			readings[from].sequence,
			readings[to - 1].sequence,
			checkpoint.label
		)
	} else {
		format!("the chain's {} does not follow from its earlier checkpoints", checkpoint.label)
	};
	Ok(Verdict::Differs { sequence: None, why })
}

/// `meter`'s `accepted` readings (payloads by the number they are kept under) in sequence order;
/// or the first entry that cannot be one (its key, and why): not a signed reading, another
/// meter's, or kept under another number.
fn archived(accepted: BTreeMap<u64, Vec<u8>>, meter: u32) -> Result<Vec<Reading>, (u64, String)> {
	let mut readings = Vec::with_capacity(accepted.len());
	for (sequence, payload) in accepted {
		let Ok(signed) = signed_reading(meter, sequence, &payload) else {
			return Err((sequence, "the archive's entry is no signed reading".into()));
		};
		let reading = signed.reading;
		if reading.meter != meter || reading.sequence != sequence {
			let why = format!(
				"the archive keeps meter {} sequence {} under meter {meter} sequence {sequence}",
				reading.meter, reading.sequence
			);
			return Err((sequence, why));
		}
		readings.push(reading);
	}
	Ok(readings)
}

/// The chain's day checkpoints of `meter` from the day of its first archived reading to today.
async fn day_checkpoints(
	client: &Client,
	meter: u32,
	first: Option<&Reading>,
) -> anyhow::Result<Vec<Checkpoint>> {
	let Some(first) = first else { return Ok(Vec::new()) };
	let today = day_of(now_ms());
	let mut checkpoints = Vec::new();
	let mut day = day_of(first.timestamp);
	while day <= today {
		let count = (today - day + 1).min(DAYS_PER_QUERY);
		if let Some(series) = client.days(meter, day, count).await? {
			for (offset, total) in series.days.iter().enumerate() {
				let Some(total) = total else { continue };
				let index = series.first_day.saturating_add(offset as u32);
				checkpoints
					.push(Checkpoint { label: day_label(index), chain: total.chain.clone() });
			}
		}
		day = day.saturating_add(count);
	}
	Ok(checkpoints)
}

/// A day index as the date it stands for.
fn day_label(day: u32) -> String {
	let start = i64::try_from(day_start(day)).unwrap_or(i64::MAX);
	match chrono::DateTime::from_timestamp_millis(start) {
		Some(time) => format!("checkpoint of {}", time.date_naive()),
		None => format!("checkpoint of day {day}"),
	}
}

/// What [`pinpoint`] found.
struct Pinpointed {
	/// The first reading that differs, and how.
	found: Option<(u64, String)>,
	/// Blocks the node could not give (pruned, or the node unreachable).
	unread_blocks: usize,
}

/// The first of `readings[from..to]` (archived as accepted) that differs from what the chain's
/// blocks carried with the meter's device signature: a reading whose block carried other
/// values under its sequence, or a number between two archived readings that a block carried
/// and the archive has lost (or keeps as not settled). `signer` is the chain's genesis hash and
/// the meter's device key.
async fn pinpoint(
	client: &Client,
	outbox: &Outbox,
	meter: u32,
	readings: &[Reading],
	from: usize,
	to: usize,
	signer: (H256, [u8; 32]),
) -> anyhow::Result<Pinpointed> {
	let mut blocks: BTreeMap<[u8; 32], Vec<Reading>> = BTreeMap::new();
	let mut unread_blocks = 0;
	// The reading before the range reproduced its checkpoint: numbers after it may be lost.
	let mut previous =
		from.checked_sub(1).and_then(|index| readings.get(index)).map(|r| r.sequence);
	for (index, reading) in readings.iter().enumerate().take(to).skip(from) {
		let Status::Accepted { block } = outbox.status(meter, reading.sequence)? else { continue };
		if !blocks.contains_key(&block) && blocks.len() >= MAX_BLOCKS_READ {
			break;
		}
		if let std::collections::btree_map::Entry::Vacant(entry) = blocks.entry(block) {
			// Only what the device signed counts: a relay may carry forgeries beside it. (A
			// reading signed by a key rotated away since is left out, and names nothing.)
			let carried = match client.readings_carried(H256(block), meter).await {
				Ok(carried) => carried
					.into_iter()
					.filter(|signed| signed_by(signed, signer.0, signer.1))
					.map(|signed| signed.reading)
					.collect(),
				Err(_) => {
					unread_blocks += 1;
					Vec::new()
				}
			};
			entry.insert(carried);
		}
		let carried = &blocks[&block];
		let next = readings.get(index + 1).map(|next| next.sequence);
		let lost = |after: Option<u64>, before: Option<u64>| {
			carried.iter().find_map(|other| {
				let between = after.is_none_or(|after| other.sequence > after)
					&& before.is_none_or(|before| other.sequence < before);
				if !between {
					return None;
				}
				let kept = match outbox.status(meter, other.sequence) {
					Err(OutboxError::Unknown { .. }) => "does not hold",
					Ok(Status::Pending) => "keeps as not settled",
					// Refused on chain, or skipped by its device: not in the hash chain.
					_ => return None,
				};
				let why = format!(
					"block {} carried {}, which the archive {kept} among its accepted readings",
					hex_of(&block),
					describe(other)
				);
				Some((other.sequence, why))
			})
		};
		if let Some(found) = lost(previous, Some(reading.sequence)) {
			return Ok(Pinpointed { found: Some(found), unread_blocks });
		}
		let mut same = carried.iter().filter(|other| other.sequence == reading.sequence);
		if let Some(on_chain) = same.clone().next() {
			if !same.any(|other| other == reading) {
				let why = format!(
					"the archive holds {}; block {} carried {}",
					describe(reading),
					hex_of(&block),
					describe(on_chain)
				);
				return Ok(Pinpointed { found: Some((reading.sequence, why)), unread_blocks });
			}
		}
		if let Some(found) = lost(Some(reading.sequence), next) {
			return Ok(Pinpointed { found: Some(found), unread_blocks });
		}
		previous = Some(reading.sequence);
	}
	Ok(Pinpointed { found: None, unread_blocks })
}

/// A reading's values as an auditor reads them.
pub fn describe(reading: &Reading) -> String {
	let time = chrono::DateTime::from_timestamp_millis(reading.timestamp as i64)
		.map_or_else(|| format!("{} ms", reading.timestamp), |time| time.to_rfc3339());
	let mut text =
		format!("sequence {} at {time}: register {}", reading.sequence, reading.register);
	if let Some(demand) = reading.demand {
		write!(text, ", demand {demand} W").ok();
	}
	if let Some(temperature) = reading.temperature {
		write!(text, ", temperature {:.1} °C", f64::from(temperature) / 10.0).ok();
	}
	text
}

/// A block hash as explorers write it.
fn hex_of(block: &[u8; 32]) -> String {
	format!("0x{}", hex::encode(block))
}
