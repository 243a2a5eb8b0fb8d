//! `meter-bridge run`: every configured meter polled on its grid, each reading signed and
//! recorded in the outbox first, pending readings sent to the node, and the outbox reconciled
//! with the chain's finalized blocks. Polling goes on while the node is away; sending and
//! reconciling catch up when it is back, after a restart from where the outbox stopped.

mod connection;
pub mod guard;
mod http;
mod metrics;
mod poll;
pub mod query;
pub mod reconcile;
mod submit;
mod watch;
pub mod weather;

pub use connection::NodeConnection;
pub use submit::RESEND_AFTER;

use crate::{
	config::{Config, Connection, MeterConfig, RegisterMap},
	keys,
	modbus::{Health, SerialBus},
	outbox::{Identity, Outbox, OutboxError},
};
use anyhow::Context as _;
use smartblocks_client::{subxt::utils::H256, subxt_signer::sr25519::Keypair, ClientError};
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
	time::{Duration, SystemTime, UNIX_EPOCH},
};
use tokio::{sync::Notify, task::JoinSet};

/// The fact holding the genesis hash of the chain the outbox's readings are signed for.
const GENESIS: &str = "genesis";
/// How often the bridge logs its outbox's counts.
const REPORT_EVERY: Duration = Duration::from_secs(60);

/// What the bridge's tasks share.
pub struct Shared {
	pub outbox: Outbox,
	pub node: NodeConnection,
	/// The chain the readings are signed for.
	pub genesis: H256,
	/// The chain meters polled, sorted.
	chain_meters: Vec<u32>,
	/// Each chain meter's name in the configuration.
	names: BTreeMap<u32, String>,
	/// Each chain meter's device key, which signs its skips too.
	keys: BTreeMap<u32, Keypair>,
	/// Each chain meter's next sequence as far as finalized blocks tell (unknown while the node
	/// has not said): numbers below it the outbox rejected need no skip.
	chain_next: Mutex<BTreeMap<u32, u64>>,
	health: Mutex<BTreeMap<String, Health>>,
	recorded: Notify,
	pub metrics: metrics::Metrics,
}

impl Shared {
	pub fn is_ours(&self, meter: u32) -> bool {
		self.chain_meters.binary_search(&meter).is_ok()
	}

	pub fn chain_meters(&self) -> &[u32] {
		&self.chain_meters
	}

	/// The configured name of chain meter `meter`.
	pub fn name(&self, meter: u32) -> Option<&str> {
		self.names.get(&meter).map(String::as_str)
	}

	/// The device key of chain meter `meter`, if the bridge reads it.
	pub fn key(&self, meter: u32) -> Option<&Keypair> {
		self.keys.get(&meter)
	}

	/// The sequence the chain expects next of `meter`, as far as the bridge knows.
	pub fn chain_next(&self, meter: u32) -> Option<u64> {
		let next = self.chain_next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		next.get(&meter).copied()
	}

	/// Notes that a finalized block judged (or skipped) `meter`'s numbers through `sequence`.
	pub fn chain_passed(&self, meter: u32, sequence: u64) {
		let mut next = self.chain_next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let after = sequence.saturating_add(1);
		next.entry(meter).and_modify(|n| *n = (*n).max(after)).or_insert(after);
	}

	fn set_health(&self, meter: &str, health: Health) {
		let mut all = self.health.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		all.insert(meter.to_string(), health);
	}

	/// Meters whose last read failed or that are held.
	fn failing(&self) -> Vec<String> {
		let all = self.health.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		all.iter()
			.filter(|(_, health)| matches!(health, Health::Failing { .. }))
			.map(|(name, _)| name.clone())
			.collect()
	}

	/// Wakes the sender: a reading was recorded.
	fn recorded(&self) {
		self.recorded.notify_one();
	}

	async fn wait_recorded(&self) {
		self.recorded.notified().await;
	}
}

/// A meter the bridge polls: its config, its chain number and register multiplier, its key.
pub struct Target {
	pub config: MeterConfig,
	pub maps: Vec<RegisterMap>,
	/// Its connection: its own, or the serial line it shares.
	pub bus: Arc<SerialBus>,
	pub chain_meter: u32,
	/// Wh per register step on chain.
	pub multiplier: u32,
	pub key: Keypair,
}

/// What stopped a round of sending or reconciling.
#[derive(Debug, thiserror::Error)]
pub enum RoundError {
	#[error(transparent)]
	Chain(#[from] ClientError),
	#[error(transparent)]
	Outbox(#[from] OutboxError),
	#[error("the node did not answer within {0:?}")]
	Timeout(Duration),
}

impl RoundError {
	/// Logs the error; a chain error drops the connection so the next round reconnects.
	async fn report(&self, node: &NodeConnection) {
		match self {
			RoundError::Chain(error) => node.lost(error).await,
			RoundError::Timeout(_) => node.lost(self).await,
			other => tracing::error!(error = %other, "round failed"),
		}
	}
}

/// The longest one round of sending or reconciling may take: a node that stops answering
/// without closing the connection is treated as gone.
const ROUND_LIMIT: Duration = Duration::from_secs(60);

/// `round` bounded by `ROUND_LIMIT`.
async fn bounded(
	round: impl std::future::Future<Output = Result<(), RoundError>>,
) -> Result<(), RoundError> {
	tokio::time::timeout(ROUND_LIMIT, round).await.unwrap_or(Err(RoundError::Timeout(ROUND_LIMIT)))
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Runs the bridge until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
	let data_dir = &config.bridge.data_dir;
	std::fs::create_dir_all(data_dir)
		.with_context(|| format!("{}: cannot create the data directory", data_dir.display()))?;
	let outbox = Outbox::open(&Outbox::file_in(data_dir))?;
	let node = NodeConnection::new(&config.bridge.node);
	let genesis = learn_genesis(&node, &outbox).await?;
	let mut resolved = resolve_meters(&config, &node, &outbox).await?;
	anyhow::ensure!(
		!resolved.is_empty(),
		"no configured meter is registered on chain: run `meter-bridge register` first"
	);
	let mut chain_meters: Vec<u32> = resolved.values().map(|meter| meter.chain_meter).collect();
	let keys = resolved.values().map(|meter| (meter.chain_meter, meter.key.clone())).collect();
	let names = resolved.iter().map(|(name, meter)| (meter.chain_meter, name.clone())).collect();
	let chain_next = resolved
		.values()
		.filter_map(|meter| Some((meter.chain_meter, meter.chain_next?)))
		.collect();
	let targets = modbus_targets(&config, &mut resolved);
	let folders = watch::csv_targets(&config, resolved)?;
	// Bound before anything runs, so a taken port stops the bridge with its reason.
	let http = match &config.bridge.http {
		Some(address) => {
			let token = match &config.bridge.http_token_file {
				Some(file) => Some(smartblocks_client::token::read_token_file(file)?),
				None => None,
			};
			Some((http::bind(address.parse().context("bridge.http is checked")?).await?, token))
		}
		None => None,
	};
	chain_meters.sort_unstable();
	let shared = Arc::new(Shared {
		outbox,
		node,
		genesis,
		chain_meters,
		names,
		keys,
		chain_next: Mutex::new(chain_next),
		health: Mutex::new(BTreeMap::new()),
		recorded: Notify::new(),
		metrics: metrics::Metrics::new().context("the bridge's metrics")?,
	});
	tracing::info!(
		meters = targets.len(),
		csv_meters = folders.len(),
		poll_seconds = config.bridge.poll_seconds,
		node = %config.bridge.node,
		"bridge running"
	);
	let period = Duration::from_secs(u64::from(config.bridge.poll_seconds));
	let mut tasks = JoinSet::new();
	for target in targets {
		tasks.spawn(poll::poll_meter(shared.clone(), target, period));
	}
	for folder in folders {
		tasks.spawn(watch::watch_folder(shared.clone(), folder, period));
	}
	if let Some((listener, token)) = http {
		let server = http::Server::new(shared.clone(), Arc::new(config.clone()), token);
		tasks.spawn(http::serve(Arc::new(server), listener));
	}
	tasks.spawn(submit::send_pending(shared.clone()));
	tasks.spawn(reconcile::follow_finality(shared.clone()));
	tasks.spawn(report(shared.clone()));
	let stopped = tokio::select! {
		_ = tokio::signal::ctrl_c() => None,
		_ = terminated() => None,
		ended = tasks.join_next() => ended,
	};
	tasks.shutdown().await;
	match stopped {
		None => {
			tracing::info!("stopped; pending readings stay in the outbox for the next start");
			Ok(())
		}
		Some(Err(error)) => anyhow::bail!("a bridge task failed: {error}"),
		Some(Ok(())) => anyhow::bail!("a bridge task ended unexpectedly"),
	}
}

#[cfg(unix)]
async fn terminated() {
	match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
		Ok(mut signal) => {
			signal.recv().await;
		}
		Err(_) => std::future::pending().await,
	}
}

/// The chain's genesis hash: from the node, checked against the one the outbox's readings were
/// signed for; from the outbox while the node is away; waited for on a first start.
async fn learn_genesis(node: &NodeConnection, outbox: &Outbox) -> anyhow::Result<H256> {
	let kept = outbox.fact::<[u8; 32]>(GENESIS)?.map(H256);
	loop {
		match node.client().await {
			Ok(client) => {
				let genesis = client.genesis_hash();
				match kept {
					Some(kept) if kept != genesis => anyhow::bail!(
						"the outbox holds readings for chain {kept:?}, but the node at {} runs chain \
						 {genesis:?}: give each chain its own data_dir",
						node.url()
					),
					Some(_) => {}
					None => outbox.keep_fact(GENESIS, &genesis.0)?,
				}
				return Ok(genesis);
			}
			Err(error) => {
				if let Some(kept) = kept {
					tracing::warn!(%error, "the node is away: recording readings until it is back");
					return Ok(kept);
				}
				tracing::warn!(%error, "waiting for the node to learn which chain to sign for");
				tokio::time::sleep(Duration::from_secs(5)).await;
			}
		}
	}
}

/// A configured meter as the chain knows it: its number, register multiplier and device key.
pub struct Resolved {
	pub chain_meter: u32,
	/// Wh per register step on chain.
	pub multiplier: u32,
	pub key: Keypair,
	/// The sequence the chain expects next, if the node said at start.
	pub chain_next: Option<u64>,
}

/// The configured meters (Modbus and CSV) that are registered on chain, by name, found by their
/// device keys (made on first start). While the node is away, the registrations kept from the
/// last start serve.
async fn resolve_meters(
	config: &Config,
	node: &NodeConnection,
	outbox: &Outbox,
) -> anyhow::Result<BTreeMap<String, Resolved>> {
	let key_dir = config.bridge.data_dir.join("keys");
	let client = node.client().await.ok();
	let mut resolved = BTreeMap::new();
	for meter in config.identities() {
		let name = meter.name;
		let key = keys::load_or_create(&key_dir, name)?;
		let public = key.keypair.public_key().0;
		if key.created {
			tracing::info!(meter = name, key = %format!("0x{}", hex::encode(public)), file = %key.file.display(), "new device key");
		}
		let mut chain_next = None;
		let identity = match &client {
			Some(client) => match client.meter_of_key(public).await? {
				Some(info) => {
					chain_next = Some(info.last_sequence.map_or(1, |last| last.saturating_add(1)));
					if let Some(configured) = meter.chain_meter.filter(|id| *id != info.id) {
						anyhow::bail!(
							"meter {name}: its device key is chain meter {}'s, but the config says \
							 chain_meter = {configured}",
							info.id
						);
					}
					if info.multiplier != meter.multiplier && meter.kind.measures_energy() {
						tracing::warn!(
							meter = name,
							chain = info.multiplier,
							config = meter.multiplier,
							"the chain's multiplier differs from the config's; the chain's counts"
						);
					}
					if let Some(last) = info.last_sequence {
						outbox.resync(info.id, last)?;
					}
					let identity = Identity { chain_meter: info.id, multiplier: info.multiplier };
					outbox.keep_identity(name, &identity)?;
					Some(identity)
				}
				None => None,
			},
			None => outbox.identity(name)?,
		};
		let Some(identity) = identity else {
			tracing::warn!(
				meter = name,
				key = %format!("0x{}", hex::encode(public)),
				"not registered on chain: run `meter-bridge register`; not read"
			);
			continue;
		};
		resolved.insert(
			name.to_string(),
			Resolved {
				chain_meter: identity.chain_meter,
				multiplier: identity.multiplier.max(1),
				key: key.keypair,
				chain_next,
			},
		);
	}
	Ok(resolved)
}

/// The Modbus meters among `resolved`, meters on one serial line sharing it.
fn modbus_targets(config: &Config, resolved: &mut BTreeMap<String, Resolved>) -> Vec<Target> {
	let mut lines: BTreeMap<&str, Arc<SerialBus>> = BTreeMap::new();
	let mut targets = Vec::new();
	for meter in &config.meters {
		let Some(meter_resolved) = resolved.remove(&meter.name) else { continue };
		let bus = match &meter.connection {
			Connection::Rtu { rtu, .. } => lines.entry(rtu.as_str()).or_default().clone(),
			Connection::Tcp { .. } => SerialBus::new(),
		};
		targets.push(Target {
			config: meter.clone(),
			maps: config.maps.clone(),
			bus,
			chain_meter: meter_resolved.chain_meter,
			multiplier: meter_resolved.multiplier,
			key: meter_resolved.key,
		});
	}
	targets
}

/// Logs the outbox's counts and the failing meters now and then.
async fn report(shared: Arc<Shared>) {
	loop {
		tokio::time::sleep(REPORT_EVERY).await;
		match shared.outbox.counts() {
			Ok(counts) => {
				let total =
					|f: fn(&crate::outbox::Counts) -> u64| counts.values().map(f).sum::<u64>();
				tracing::info!(
					pending = total(|c| c.pending),
					accepted = total(|c| c.accepted),
					rejected = total(|c| c.rejected),
					failing = ?shared.failing(),
					"outbox"
				);
			}
			Err(error) => tracing::error!(%error, "cannot count the outbox"),
		}
	}
}
