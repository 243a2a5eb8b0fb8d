//! `meter-bridge verify`: is the outbox (the off-chain archive of raw readings) the chain's
//! record? The chain keeps each meter's hash chain over its accepted readings, with a checkpoint
//! at the end of every day it keeps and the head. The archive's accepted readings, chained in
//! sequence order, must reproduce every one of them. Where they do not, the difference lies
//! between the last checkpoint they reproduce and the first they do not; the readings the chain's
//! blocks carried there name the first reading that differs.

use crate::{
	config::Config,
	outbox::{Outbox, OutboxError, Status},
	run::{chain_meter_of, now_ms, outbox_path},
};
use anyhow::Context as _;
use smartblocks_client::{
	meters::{chain_next, day_of, HashChain, Reading, SignedReading, DAY_MS},
	subxt::{ext::codec::Decode, utils::H256},
	Client,
};
use std::{collections::BTreeMap, fmt::Write as _, path::Path};

/// Days asked of the chain at once (it keeps 400).
const DAYS_PER_QUERY: u32 = 366;

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
	Matches {
		readings: usize,
		checkpoints: usize,
	},
	/// The first reading that differs, if the chain's blocks name it, and what differs.
	Differs {
		sequence: Option<u64>,
		why: String,
	},
	/// Nothing to compare: the meter is not on chain, or not known to this outbox.
	Unchecked(String),
}

/// Compares every configured meter's archive in the outbox (the configuration's, or `outbox`)
/// with the chain; returns the report and whether every archive matched.
pub async fn verify(config: &Config, outbox: Option<&Path>) -> anyhow::Result<(String, bool)> {
	let path = outbox.map_or_else(|| outbox_path(&config.bridge.data_dir), Path::to_path_buf);
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
		let chain_meter = chain_meter_of(&outbox, meter.name)?;
		let verdict = match chain_meter {
			Some(chain_meter) => verify_meter(&client, &outbox, chain_meter).await?,
			None => Verdict::Unchecked("not registered on chain by this bridge".into()),
		};
		let chain_meter =
			chain_meter.map_or_else(|| "-".to_string(), |id| format!("chain meter {id}"));
		let text = match &verdict {
			Verdict::Matches { readings, checkpoints } => format!(
				"matches: {readings} accepted readings reproduce the chain's {checkpoints} \
				 checkpoints"
			),
			Verdict::Differs { sequence: Some(sequence), why } => {
				format!("DIFFERS from sequence {sequence}: {why}")
			}
			Verdict::Differs { sequence: None, why } => format!("DIFFERS: {why}"),
			Verdict::Unchecked(why) => format!("unchecked: {why}"),
		};
		all_match &= !matches!(verdict, Verdict::Differs { .. });
		writeln!(report, "{} ({chain_meter}): {text}", meter.name)?;
	}
	Ok((report, all_match))
}

/// One meter's archive against the chain.
async fn verify_meter(client: &Client, outbox: &Outbox, meter: u32) -> anyhow::Result<Verdict> {
	let Some(info) = client.meter(meter).await? else {
		return Ok(Verdict::Unchecked(format!("the chain has no meter {meter}")));
	};
	let mut readings = Vec::new();
	for payload in outbox.accepted_payloads(meter)? {
		let signed = SignedReading::decode(&mut &payload[..])
			.context("an accepted entry of the outbox is no signed reading")?;
		readings.push(signed.reading);
	}
	let mut checkpoints = day_checkpoints(client, meter, readings.first()).await?;
	checkpoints.push(Checkpoint { label: "head".into(), chain: info.chain.clone() });
	let (checkpoint, from) = match compare(&readings, &checkpoints) {
		Comparison::Matches { checkpoints } => {
			return Ok(Verdict::Matches { readings: readings.len(), checkpoints })
		}
		Comparison::Differs { checkpoint, from } => (checkpoint, from),
	};
	let counted = checkpoint.chain.length;
	let to = usize::try_from(counted).unwrap_or(usize::MAX).min(readings.len());
	if let Some((sequence, why)) = pinpoint(client, outbox, meter, &readings[from..to]).await? {
		return Ok(Verdict::Differs { sequence: Some(sequence), why });
	}
	let held = readings.len();
	let why = if counted > held as u64 {
		format!(
			"the chain's {} counts {counted} accepted readings, the archive holds {held}: the \
			 chain has readings the archive lacks (a bridge that has not reconciled its pending \
			 readings yet shows this too)",
			checkpoint.label
		)
	} else if let Some(extra) = readings.get(from).filter(|_| from >= to) {
		return Ok(Verdict::Differs {
			sequence: Some(extra.sequence),
			why: format!(
				"the archive holds {held} accepted readings, the chain's {} counts {counted}: \
				 this reading and those after it are not on chain",
				checkpoint.label
			),
		});
	} else if from < to {
		format!(
			"the archive's readings {} to {} do not reproduce the chain's {}, and the blocks \
			 that carried them do not show which one differs",
			readings[from].sequence,
			readings[to - 1].sequence,
			checkpoint.label
		)
	} else {
		format!("the chain's {} does not follow from its earlier checkpoints", checkpoint.label)
	};
	Ok(Verdict::Differs { sequence: None, why })
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
	let start = i64::from(day) * DAY_MS as i64;
	match chrono::DateTime::from_timestamp_millis(start) {
		Some(time) => format!("checkpoint of {}", time.date_naive()),
		None => format!("checkpoint of day {day}"),
	}
}

/// The first of `readings` (archived as accepted) that differs from what the chain's blocks
/// carried: a reading whose block carried other values under its sequence, or a sequence the
/// block carried between two archived ones that the archive has lost.
async fn pinpoint(
	client: &Client,
	outbox: &Outbox,
	meter: u32,
	readings: &[Reading],
) -> anyhow::Result<Option<(u64, String)>> {
	let mut blocks: BTreeMap<[u8; 32], Vec<Reading>> = BTreeMap::new();
	let mut previous: Option<u64> = None;
	for reading in readings {
		let Status::Accepted { block } = outbox.status(meter, reading.sequence)? else { continue };
		if let std::collections::btree_map::Entry::Vacant(entry) = blocks.entry(block) {
			// A block the node no longer has (or one the bridge settled from the hash chain
			// only) names nothing; the next reading's block may.
			entry.insert(client.readings_carried(H256(block), meter).await.unwrap_or_default());
		}
		let carried = &blocks[&block];
		let lost = carried.iter().find(|other| {
			previous.is_some_and(|previous| other.sequence > previous)
				&& other.sequence < reading.sequence
				&& matches!(outbox.status(meter, other.sequence), Err(OutboxError::Unknown { .. }))
		});
		if let Some(lost) = lost {
			return Ok(Some((
				lost.sequence,
				format!(
					"block {} carried {}, which the archive does not hold",
					hex(&block),
					describe(lost)
				),
			)));
		}
		// A relay may have put a forgery of the same number beside the genuine reading.
		let mut same = carried.iter().filter(|other| other.sequence == reading.sequence);
		if let Some(on_chain) = same.clone().next() {
			if !same.any(|other| other == reading) {
				return Ok(Some((
					reading.sequence,
					format!(
						"the archive holds {}; block {} carried {}",
						describe(reading),
						hex(&block),
						describe(on_chain)
					),
				)));
			}
		}
		previous = Some(reading.sequence);
	}
	Ok(None)
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

fn hex(bytes: &[u8; 32]) -> String {
	let digits: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
	format!("0x{digits}")
}
