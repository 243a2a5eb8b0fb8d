//! The event hub: every event of the chain's finalized blocks, in order, kept in memory and
//! streamed to other systems as server-sent events filtered by site, member or contract. Each
//! event's id is its cursor `block:index`; a consumer that reconnects with that id (as
//! `Last-Event-ID`, which browsers send by themselves, or `?after=`) gets every later event once.

use std::{
	collections::{HashMap, VecDeque},
	sync::Arc,
	time::Duration,
};

use parking_lot::RwLock;
use serde::Serialize;
use serde_json::value::RawValue;
use smartblocks_client::{Client, ClientError};
use tokio::sync::watch;

use super::follow::ChainView;

/// Blocks read back when the portal starts, so a consumer can resume across a portal restart.
const BACKFILL_BLOCKS: u64 = 600;
/// The most events one look into the log goes through.
pub const SCAN_STEP: usize = 4_096;

/// Where an event sits in the chain: its finalized block and its index among the block's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Cursor {
	pub block: u64,
	pub index: u32,
}

impl Cursor {
	/// A cursor as `block:index`; `None` for anything else.
	pub fn parse(text: &str) -> Option<Cursor> {
		let (block, index) = text.trim().split_once(':')?;
		Some(Cursor { block: block.parse().ok()?, index: index.parse().ok()? })
	}
}

impl std::fmt::Display for Cursor {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{}:{}", self.block, self.index)
	}
}

/// One event of a finalized block, with the sites, members and contracts it concerns.
#[derive(Clone, Debug, Serialize)]
pub struct ChainEvent {
	pub cursor: Cursor,
	pub pallet: String,
	pub name: String,
	/// The event's fields as JSON text: a tenth of the memory of a parsed value, whose every
	/// number is a string of its own (arbitrary precision), and hashes are arrays of numbers.
	pub fields: Box<RawValue>,
	pub sites: Vec<u32>,
	pub members: Vec<u32>,
	pub contracts: Vec<u32>,
}

impl ChainEvent {
	/// About the bytes the event takes in the log: itself, its text and lists, the `Arc`'s
	/// counts and the log's pointer to it.
	pub fn footprint(&self) -> usize {
		let lists = self.sites.capacity() + self.members.capacity() + self.contracts.capacity();
		std::mem::size_of::<ChainEvent>()
			+ 3 * std::mem::size_of::<usize>()
			+ self.pallet.capacity()
			+ self.name.capacity()
			+ self.fields.get().len()
			+ lists * std::mem::size_of::<u32>()
	}
}

/// Which events a consumer wants; an empty filter takes them all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
	pub site: Option<u32>,
	pub member: Option<u32>,
	pub contract: Option<u32>,
}

impl EventFilter {
	pub fn matches(&self, event: &ChainEvent) -> bool {
		self.site.is_none_or(|site| event.sites.contains(&site))
			&& self.member.is_none_or(|member| event.members.contains(&member))
			&& self.contract.is_none_or(|contract| event.contracts.contains(&contract))
	}
}

/// The events of finalized blocks, oldest first: at most `capacity` events in about `budget`
/// bytes of memory (the oldest blocks go, whole, first), so a portal that runs for months holds
/// the same few hours of events.
pub struct EventLog {
	inner: RwLock<LogInner>,
	capacity: usize,
	budget: usize,
	/// The cursor of the newest event, for streams waiting for more.
	newest: watch::Sender<Option<Cursor>>,
}

struct LogInner {
	events: VecDeque<Arc<ChainEvent>>,
	/// The events' footprints summed.
	bytes: usize,
	/// The newest event dropped for room: a consumer behind it would miss events.
	dropped_upto: Option<Cursor>,
	/// The last block read.
	last_block: Option<u64>,
}

/// Why a stream cannot start where the consumer asks.
#[derive(Debug, PartialEq, Eq)]
pub enum ResumeError {
	/// The log no longer holds the events right after the cursor; `oldest` is the first it has.
	TooOld { oldest: Option<Cursor> },
}

impl EventLog {
	pub fn new(capacity: usize, budget: usize) -> Arc<Self> {
		Arc::new(EventLog {
			inner: RwLock::new(LogInner {
				events: VecDeque::new(),
				bytes: 0,
				dropped_upto: None,
				last_block: None,
			}),
			capacity: capacity.max(1),
			budget,
			newest: watch::channel(None).0,
		})
	}

	/// Notified whenever events are added.
	pub fn subscribe(&self) -> watch::Receiver<Option<Cursor>> {
		self.newest.subscribe()
	}

	/// The last block whose events are in the log.
	pub fn last_block(&self) -> Option<u64> {
		self.inner.read().last_block
	}

	/// Adds block `block`'s events (which must follow the last block read); drops the oldest
	/// blocks beyond the capacity or the budget, whole blocks at a time so the log's start stays
	/// a block start, but never the newest.
	pub fn push_block(&self, block: u64, events: Vec<ChainEvent>) {
		let mut inner = self.inner.write();
		inner.last_block = Some(block);
		inner.bytes += events.iter().map(ChainEvent::footprint).sum::<usize>();
		inner.events.extend(events.into_iter().map(Arc::new));
		while inner.events.len() > self.capacity || inner.bytes > self.budget {
			// The newest block stays whatever its size: consumers always have the head.
			let Some(dropped) = inner.events.front().map(|event| event.cursor.block) else { break };
			if dropped == block {
				break;
			}
			while inner.events.front().is_some_and(|event| event.cursor.block == dropped) {
				if let Some(event) = inner.events.pop_front() {
					inner.bytes -= event.footprint();
					inner.dropped_upto = Some(event.cursor);
				}
			}
		}
		let newest = inner.events.back().map(|event| event.cursor);
		drop(inner);
		self.newest.send_replace(newest);
	}

	/// Up to `limit` events after `after` (from the log's start when `None`) that `filter` takes,
	/// looking at no more than [`SCAN_STEP`] events, and the cursor of the last event looked at,
	/// where the next call goes on. A call holds the log's lock for a bounded time however rare
	/// the events a filter takes.
	pub fn after(
		&self,
		after: Option<Cursor>,
		filter: &EventFilter,
		limit: usize,
	) -> Result<(Vec<Arc<ChainEvent>>, Option<Cursor>), ResumeError> {
		let inner = self.inner.read();
		if let (Some(after), Some(dropped)) = (after, inner.dropped_upto) {
			if after < dropped {
				return Err(ResumeError::TooOld {
					oldest: inner.events.front().map(|event| event.cursor),
				});
			}
		}
		let start = match after {
			Some(after) => inner.events.partition_point(|event| event.cursor <= after),
			None => 0,
		};
		let mut found = Vec::new();
		let mut scanned = after;
		for event in inner.events.range(start..).take(SCAN_STEP) {
			if found.len() == limit {
				break;
			}
			scanned = Some(event.cursor);
			if filter.matches(event) {
				found.push(event.clone());
			}
		}
		Ok((found, scanned))
	}
}

/// Reads every finalized block's events into `log` for ever, starting a few hundred blocks back,
/// and reconnecting after errors.
pub async fn follow_events(log: Arc<EventLog>, view: Arc<ChainView>, url: String) {
	loop {
		match Client::connect(&url).await {
			Ok(client) => {
				if let Err(error) = read_blocks(&client, &log, &view).await {
					tracing::warn!("reading events failed: {error}");
				}
			}
			Err(error) => tracing::warn!("events: node {url} unreachable: {error}"),
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

async fn read_blocks(client: &Client, log: &EventLog, view: &ChainView) -> Result<(), ClientError> {
	loop {
		let (head, _) = client.finalized_head().await?;
		let next = match log.last_block() {
			Some(last) => last + 1,
			None => head.saturating_sub(BACKFILL_BLOCKS).max(1),
		};
		for block in next..=head {
			let events = block_events(client, block, &meter_sites(view)).await?;
			log.push_block(block, events);
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

fn meter_sites(view: &ChainView) -> HashMap<u32, u32> {
	let campus = view.campus();
	campus
		.sites
		.iter()
		.flat_map(|site| site.meters.iter().map(|meter| (meter.id, site.id)))
		.collect()
}

async fn block_events(
	client: &Client,
	block: u64,
	meter_sites: &HashMap<u32, u32>,
) -> Result<Vec<ChainEvent>, ClientError> {
	let events = client.events_in_block(block).await?;
	Ok(events
		.into_iter()
		.map(|event| {
			let fields = serde_json::to_value(&event.fields).unwrap_or(serde_json::Value::Null);
			let cursor = Cursor { block, index: event.index };
			chain_event(cursor, &event.pallet, &event.name, fields, meter_sites)
		})
		.collect())
}

/// Field names that name a member, wherever they appear in an event.
const MEMBER_FIELDS: [&str; 8] =
	["member", "owner", "proposer", "debtor", "by", "auditor", "provider", "party"];

/// An event with the sites (named, or through their meters), members and contracts its fields
/// name, at any depth.
pub fn chain_event(
	cursor: Cursor,
	pallet: &str,
	name: &str,
	fields: serde_json::Value,
	meter_sites: &HashMap<u32, u32>,
) -> ChainEvent {
	let mut event = ChainEvent {
		cursor,
		pallet: pallet.to_string(),
		name: name.to_string(),
		fields: Box::default(),
		sites: Vec::new(),
		members: Vec::new(),
		contracts: Vec::new(),
	};
	collect(&fields, &mut event, meter_sites);
	for list in [&mut event.sites, &mut event.members, &mut event.contracts] {
		list.sort_unstable();
		list.dedup();
	}
	// Writing a JSON value out cannot fail; `null` would stand in were it ever to.
	event.fields = serde_json::value::to_raw_value(&fields).unwrap_or_default();
	event
}

fn collect(value: &serde_json::Value, event: &mut ChainEvent, meter_sites: &HashMap<u32, u32>) {
	match value {
		serde_json::Value::Object(map) => {
			for (key, value) in map {
				let number = value.as_u64().and_then(|n| u32::try_from(n).ok());
				match (key.as_str(), number) {
					("site", Some(site)) => event.sites.push(site),
					("meter", Some(meter)) => event.sites.extend(meter_sites.get(&meter)),
					("contract", Some(contract)) => event.contracts.push(contract),
					(key, Some(member)) if MEMBER_FIELDS.contains(&key) => {
						event.members.push(member)
					}
					_ => collect(value, event, meter_sites),
				}
			}
		}
		serde_json::Value::Array(values) => {
			for value in values {
				collect(value, event, meter_sites);
			}
		}
		_ => {}
	}
}

#[cfg(test)]
mod tests;
