//! Follows the chain's finalized blocks and keeps the campus snapshot pages render from, so a
//! page never waits for the node and a node that is down shows as such instead of a 500.

use std::{
	collections::{BTreeMap, HashMap, HashSet},
	sync::Arc,
	time::{Duration, Instant},
};

use futures::{StreamExt, TryStreamExt};
use parking_lot::RwLock;
use smartblocks_client::{
	meters::{day_of, periods_per_day, MeterKind, SiteInfo},
	oracle, Client, ClientError,
};
use tokio::sync::watch;

use super::campus::{CampusSnapshot, Feed, Registry};
use crate::status::NodeStatus;

/// Days of day totals the snapshot keeps: the longest window.
const DAYS_KEPT: u32 = 31;
/// Days of settlement periods the snapshot keeps (the chain keeps 14).
const PERIOD_DAYS_KEPT: u32 = 14;
/// Queries in flight at once, so 500 meters load in seconds without crowding the node.
const PARALLEL: usize = 8;

/// The snapshot and the node's state, shared by the follower and the request handlers.
pub struct ChainView {
	campus: RwLock<Arc<CampusSnapshot>>,
	status: RwLock<NodeStatus>,
	/// The block of the latest snapshot, for pages and streams that update live.
	head: watch::Sender<u64>,
	/// The follower's connection while the node answers, for transactions members sign.
	client: RwLock<Option<Client>>,
	/// How the follower keeps up, for the metrics.
	follower: RwLock<Follower>,
}

/// How the follower keeps up with the chain.
#[derive(Clone, Copy, Debug, Default)]
pub struct Follower {
	/// The block of the latest snapshot.
	pub block: u64,
	/// When the latest snapshot was published.
	pub published: Option<Instant>,
	/// How long the latest snapshot took to read.
	pub refresh: Option<Duration>,
	pub node_up: bool,
}

impl ChainView {
	pub fn new() -> Arc<Self> {
		Arc::new(ChainView {
			campus: RwLock::new(Arc::new(CampusSnapshot::default())),
			status: RwLock::new(NodeStatus::Connecting),
			head: watch::channel(0).0,
			client: RwLock::new(None),
			follower: RwLock::new(Follower::default()),
		})
	}

	/// The connection to the node, unless it is down.
	pub fn client(&self) -> Option<Client> {
		self.client.read().clone()
	}

	/// The latest snapshot.
	pub fn campus(&self) -> Arc<CampusSnapshot> {
		self.campus.read().clone()
	}

	pub fn status(&self) -> NodeStatus {
		self.status.read().clone()
	}

	/// Notified with each new snapshot's block.
	pub fn heads(&self) -> watch::Receiver<u64> {
		self.head.subscribe()
	}

	/// How the follower keeps up with the chain.
	pub fn follower(&self) -> Follower {
		*self.follower.read()
	}

	/// Makes `campus` the snapshot pages render from.
	pub fn publish(&self, campus: CampusSnapshot) {
		let block = campus.block;
		*self.campus.write() = Arc::new(campus);
		*self.status.write() = NodeStatus::Live { block };
		let mut follower = self.follower.write();
		(follower.block, follower.published, follower.node_up) =
			(block, Some(Instant::now()), true);
		drop(follower);
		self.head.send_replace(block);
	}

	fn set_down(&self, error: &ClientError) {
		*self.client.write() = None;
		*self.status.write() = NodeStatus::Down { reason: error.to_string() };
		self.follower.write().node_up = false;
	}
}

/// Follows the node at `url` for ever: refreshes the snapshot at most every `every`, reconnects
/// after an error, and marks the node down meanwhile.
pub async fn follow(view: Arc<ChainView>, url: String, every: Duration) {
	let mut cache = Cache::default();
	loop {
		let client = match Client::connect(&url).await {
			Ok(client) => client,
			Err(error) => {
				tracing::warn!("node {url} unreachable: {error}");
				view.set_down(&error);
				tokio::time::sleep(every.max(Duration::from_secs(2))).await;
				continue;
			}
		};
		tracing::info!("following {url}");
		*view.client.write() = Some(client.clone());
		view.follower.write().node_up = true;
		loop {
			let started = Instant::now();
			match cache.refresh(&client).await {
				Ok(Some(campus)) => {
					view.follower.write().refresh = Some(started.elapsed());
					view.publish(campus)
				}
				// No new finalized block: the node answers, the snapshot stays.
				Ok(None) => view.follower.write().node_up = true,
				Err(error) => {
					tracing::warn!("reading the chain failed: {error}");
					view.set_down(&error);
					break;
				}
			}
			tokio::time::sleep(every).await;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// What earlier refreshes read, so a refresh asks only for meters with new readings.
#[derive(Default)]
struct Cache {
	block: Option<u64>,
	/// Each meter's hash chain length when its data was last read.
	chain_lengths: HashMap<u32, u64>,
	campus: CampusSnapshot,
}

impl Cache {
	/// Reads what changed since the last refresh; `None` if no block was finalized since. Every
	/// read is made at the one finalized block the snapshot is labelled with (the node keeps its
	/// state for 256 blocks; a node catching up may prune it sooner, and the refresh after the
	/// failed one pins a newer block).
	async fn refresh(&mut self, client: &Client) -> Result<Option<CampusSnapshot>, ClientError> {
		let (block, at_block) = client.at_finalized().await?;
		if self.block == Some(block) {
			return Ok(None);
		}
		let client = &at_block;
		let sites = client.sites(PARALLEL).await?;
		let period_ms = client.period_ms().await?;
		let now_ms = now_ms();
		let today = day_of(now_ms);
		let first_day = today.saturating_sub(DAYS_KEPT - 1);
		let per_day = u32::try_from(periods_per_day(period_ms)).unwrap_or(96);
		let first_period = today.saturating_sub(PERIOD_DAYS_KEPT - 1).saturating_mul(per_day);
		let last_period = (today + 1).saturating_mul(per_day);

		let changed = self.changed_meters(&sites);
		let days: Vec<_> = futures::stream::iter(changed.iter().copied())
			.map(|(meter, known)| {
				// A known meter's older days are settled; read the last two again.
				let from = if known { today.saturating_sub(1) } else { first_day };
				client.days(meter, from, today + 1 - from)
			})
			.buffer_unordered(PARALLEL)
			.try_collect()
			.await?;
		let with_periods: HashSet<u32> = sites
			.iter()
			.flat_map(|site| &site.meters)
			.filter(|meter| !matches!(meter.kind, MeterKind::Temperature))
			.map(|meter| meter.id)
			.collect();
		let periods: Vec<_> = futures::stream::iter(
			changed.iter().copied().filter(|(meter, _)| with_periods.contains(meter)),
		)
		.map(|(meter, known)| {
			let from =
				if known { today.saturating_sub(1).saturating_mul(per_day) } else { first_period };
			client.periods(meter, from, last_period - from)
		})
		.buffer_unordered(PARALLEL)
		.try_collect()
		.await?;

		let campus = &mut self.campus;
		for series in days.into_iter().flatten() {
			let kept = campus.days.entry(series.meter).or_default();
			for (offset, day) in series.days.into_iter().enumerate() {
				if let Some(day) = day {
					kept.insert(series.first_day + offset as u32, day);
				}
			}
			*kept = kept.split_off(&first_day);
		}
		for series in periods.into_iter().flatten() {
			let kept = campus.periods.entry(series.meter).or_default();
			for (offset, period) in series.periods.into_iter().enumerate() {
				if let Some(period) = period {
					kept.insert(series.first_period + offset as u32, period);
				}
			}
			*kept = kept.split_off(&first_period);
		}
		// Temperatures for every day kept: baselines predict whole days from them.
		let temperatures_from = first_day.saturating_mul(per_day);
		campus.feeds =
			read_feeds(client, &sites, first_period, temperatures_from, last_period).await?;
		campus.registry = Registry {
			members: client.members(PARALLEL).await?,
			applications: client.applications().await?,
			council: client.council_members().await?,
			motions: client.council_motions().await?,
		};
		campus.contracts = client.contracts(PARALLEL).await?;
		campus.templates = client.templates().await?;
		campus.limits = client.agreement_limits().await?;
		for (meter, _) in changed {
			if let Some(length) = chain_length(&sites, meter) {
				self.chain_lengths.insert(meter, length);
			}
		}
		campus.block = block;
		campus.now_ms = now_ms;
		campus.period_ms = period_ms;
		campus.sites = sites;
		self.block = Some(block);
		Ok(Some(campus.clone()))
	}

	/// Meters whose hash chain moved since they were read, with whether they were read before.
	fn changed_meters(&self, sites: &[SiteInfo]) -> Vec<(u32, bool)> {
		sites
			.iter()
			.flat_map(|site| &site.meters)
			.filter_map(|meter| match self.chain_lengths.get(&meter.id) {
				Some(&length) if length == meter.chain.length => None,
				known => Some((meter.id, known.is_some())),
			})
			.collect()
	}
}

fn chain_length(sites: &[SiteInfo], meter: u32) -> Option<u64> {
	sites.iter().flat_map(|site| &site.meters).find(|m| m.id == meter).map(|m| m.chain.length)
}

/// Price and carbon intensity for every region a site is in over the periods from `first`, and
/// outdoor temperatures from `temperatures_from`.
async fn read_feeds(
	client: &Client,
	sites: &[SiteInfo],
	first: u32,
	temperatures_from: u32,
	end: u32,
) -> Result<HashMap<(String, Feed), BTreeMap<u32, i64>>, ClientError> {
	let regions: HashSet<String> =
		sites.iter().map(|site| String::from_utf8_lossy(&site.region).into_owned()).collect();
	let mut feeds = HashMap::new();
	for region in regions {
		for feed in Feed::ALL {
			let first = if feed == Feed::Temperature { temperatures_from } else { first };
			let series = client
				.oracle_values(oracle::feed(feed.kind(), &region), first, end - first)
				.await?;
			let values = series
				.periods
				.into_iter()
				.enumerate()
				.filter_map(|(offset, value)| {
					Some((series.first_period + offset as u32, value?.value?))
				})
				.collect();
			feeds.insert((region.clone(), feed), values);
		}
	}
	Ok(feeds)
}

fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}
