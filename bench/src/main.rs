//! Feeds a SmartBlocks node through RPC and measures what reaches finality: signed meter readings
//! (general transactions authorized by their device signatures, as bridges send them), then plain
//! balance transfers for comparison. Prints rates and submission-to-finality latencies.
//!
//! `scripts/bench-throughput` starts a dev node and runs this against it.

use anyhow::{bail, Context, Result};
use clap::Parser;
use smartblocks_client::{
	meters::{
		device_public, sign_reading, DeviceKey, MeterKind, MeterSpec, NewSite, Reading, UseType,
	},
	subxt::utils::H256,
	subxt_signer::{sr25519::dev, SecretUri},
	Client,
};
use std::{
	collections::HashMap,
	str::FromStr,
	sync::{Arc, Mutex},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// Sustained load against a node, measured to finality.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
	/// The node's RPC endpoint.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Meters that read in every round, each with its own device key. A block takes at most the
	/// chain's `MaxIngestPerBlock` (32) of one meter: 200 meters carry 600 readings/s with room.
	#[arg(long, default_value_t = 200)]
	meters: u32,
	/// Readings per transaction.
	#[arg(long, default_value_t = 100)]
	batch: u32,
	/// Readings per second to offer.
	#[arg(long, default_value_t = 600)]
	rate: u32,
	/// Seconds of readings.
	#[arg(long, default_value_t = 600)]
	duration: u64,
	/// Seconds of transfers afterwards (0 skips them).
	#[arg(long, default_value_t = 120)]
	transfer_duration: u64,
	/// Transfers per second to offer.
	#[arg(long, default_value_t = 1_000)]
	transfer_rate: u32,
	/// Transactions allowed in flight (submitted, not yet finalized) before the generator waits.
	#[arg(long, default_value_t = 2_000)]
	max_in_flight: usize,
}

/// Submitted transactions and what of them reached finality, shared with the tracker.
type Shared = Arc<Mutex<Progress>>;

#[derive(Default)]
struct Progress {
	/// Submitted, not yet finalized, by hash: when sent and how many items each carries.
	pending: HashMap<H256, (Instant, u32)>,
	/// Items in finalized blocks.
	finalized: u64,
	/// Submission to finality, per transaction.
	latencies: Vec<Duration>,
}

fn lock(shared: &Shared) -> Result<std::sync::MutexGuard<'_, Progress>> {
	shared.lock().map_err(|_| anyhow::anyhow!("the finality tracker panicked"))
}

#[tokio::main]
async fn main() -> Result<()> {
	let args = Args::parse();
	if args.meters == 0 || args.batch == 0 || args.rate == 0 {
		bail!("--meters, --batch and --rate must be positive");
	}
	let client = Client::connect(&args.url).await?;
	client.wait_for_finalized(1).await?;
	let devices = register_meters(&client, args.meters).await?;
	println!(
		"{} meters registered; offering {} readings/s for {} s",
		devices.len(),
		args.rate,
		args.duration
	);

	let (readings, sent) = run_readings(&client, &args, &devices).await?;
	report("readings", &readings, args.duration);
	reconcile(&client, &devices, sent).await?;
	if args.transfer_duration > 0 {
		let transfers = run_transfers(&client, &args).await?;
		report("transfers", &transfers, args.transfer_duration);
	}
	Ok(())
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Registers `count` grid meters on as many sites as they need, all for Alice (the dev chain's
/// member), sending the transactions back to back; returns each meter's number and device key.
async fn register_meters(client: &Client, count: u32) -> Result<Vec<(u32, DeviceKey)>> {
	let alice = dev::alice();
	let per_site = client.max_meters_per_site().await?;
	let mut sites = Vec::new();
	for _ in 0..count.div_ceil(per_site) {
		let building = NewSite {
			name: "Load test building",
			latitude: 52.52,
			longitude: 13.405,
			region: "DE-BE",
			floor_area: 10_000,
			use_type: UseType::Office,
			time_zone: "Europe/Berlin",
		};
		sites.push(client.register_site(&alice, &building).await.context("registering a site")?);
	}
	// The sites are final, so the chain's nonce is Alice's next; the meters go back to back.
	let mut nonce = client.account_nonce(&alice).await?;
	let sender = client.signed_sender().await?;
	let mut devices = Vec::new();
	for index in 0..count {
		let uri = SecretUri::from_str(&format!("//load/meter/{index}")).context("device key")?;
		let device = DeviceKey::from_uri(&uri).context("device key")?;
		let spec = MeterSpec {
			kind: MeterKind::GridImport,
			multiplier: 1,
			max_power: 1_000_000,
			device_key: device_public(&device),
		};
		let site = sites[(index / per_site) as usize];
		let call = smartblocks_client::chain::transactions().meters().register_meter(site, spec);
		sender.send(&call, &alice, nonce).await.context("registering a meter")?;
		nonce += 1;
		devices.push(device);
	}
	// Wait until every key has its meter on chain.
	let deadline = Instant::now() + Duration::from_secs(300);
	let mut meters = Vec::new();
	for device in devices {
		loop {
			if let Some(meter) = client.meter_of_key(device_public(&device)).await? {
				meters.push((meter.id, device));
				break;
			}
			if Instant::now() > deadline {
				bail!("meters did not reach the chain within five minutes");
			}
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
	}
	Ok(meters)
}

/// Follows finalized blocks, matching their extrinsics to what was submitted. The subscription
/// reports only the newest finalized block when finality moves by several at once, so the
/// blocks in between are fetched by number.
fn track_finality(client: &Client, shared: Shared) -> tokio::task::JoinHandle<Result<()>> {
	let client = client.clone();
	tokio::spawn(async move {
		let mut blocks = client.api().stream_blocks().await?;
		let mut next: Option<u64> = None;
		while let Some(block) = blocks.next().await {
			let block = block?;
			let seen = Instant::now();
			let newest = block.number();
			for number in next.unwrap_or(newest)..=newest {
				let at = client.api().at_block(number).await?;
				let extrinsics = at.extrinsics().fetch().await?;
				let mut progress = lock(&shared)?;
				for extrinsic in extrinsics.iter() {
					if let Some((sent, items)) = progress.pending.remove(&extrinsic?.hash()) {
						progress.finalized += u64::from(items);
						progress.latencies.push(seen - sent);
					}
				}
			}
			next = Some(newest + 1);
		}
		Ok(())
	})
}

/// Waits while too many transactions are in flight.
async fn backpressure(shared: &Shared, max: usize) -> Result<()> {
	while lock(shared)?.pending.len() >= max {
		tokio::time::sleep(Duration::from_millis(50)).await;
	}
	Ok(())
}

/// Waits for what is still in flight (at most `limit`), stops the tracker and returns what
/// reached finality.
async fn finish(
	shared: Shared,
	tracker: tokio::task::JoinHandle<Result<()>>,
	limit: Duration,
) -> Result<Progress> {
	let deadline = Instant::now() + limit;
	while !lock(&shared)?.pending.is_empty() && Instant::now() < deadline {
		if tracker.is_finished() {
			return match tracker.await {
				Ok(Ok(())) => bail!("the node stopped sending finalized blocks"),
				Ok(Err(error)) => Err(error.context("following finalized blocks")),
				Err(panicked) => Err(panicked.into()),
			};
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	tracker.abort();
	let mut progress = lock(&shared)?;
	Ok(std::mem::take(&mut *progress))
}

/// Offers readings round by round; returns what reached finality and the readings sent per meter.
async fn run_readings(
	client: &Client,
	args: &Args,
	devices: &[(u32, DeviceKey)],
) -> Result<(Progress, u64)> {
	let shared: Shared = Arc::default();
	let tracker = track_finality(client, shared.clone());
	let genesis = client.genesis_hash();
	let sender = client.readings_sender().await?;
	let round_interval = Duration::from_secs_f64(devices.len() as f64 / f64::from(args.rate));
	// Every meter reads once a round, far more often than real meters: the readings are a
	// backlog being caught up, timestamped the chain's minimum interval apart and ending about
	// now, as a bridge back from an outage sends them.
	let interval = client.min_reading_interval().await?;
	let rounds = (args.duration as f64 / round_interval.as_secs_f64()).ceil() as u64 + 1;
	let first_timestamp = now_ms().saturating_sub(rounds.saturating_mul(interval));
	let start = Instant::now();
	let mut round = 0u64;
	let mut sequences = vec![0u64; devices.len()];
	while start.elapsed() < Duration::from_secs(args.duration) {
		let due = start + round_interval.mul_f64(round as f64);
		tokio::time::sleep_until(due.into()).await;
		let timestamp = first_timestamp + round * interval;
		let signed: Vec<_> = devices
			.iter()
			.zip(sequences.iter_mut())
			.map(|((meter, device), sequence)| {
				*sequence += 1;
				let reading = Reading {
					meter: *meter,
					sequence: *sequence,
					timestamp,
					register: *sequence * 10,
					demand: Some(36_000),
					temperature: None,
				};
				sign_reading(device, genesis, reading)
			})
			.collect();
		for batch in signed.chunks(args.batch as usize) {
			backpressure(&shared, args.max_in_flight).await?;
			let hash = sender.send(batch.to_vec()).await?;
			lock(&shared)?.pending.insert(hash, (Instant::now(), batch.len() as u32));
		}
		round += 1;
	}
	Ok((finish(shared, tracker, Duration::from_secs(90)).await?, round))
}

/// Compares each meter's record on chain with the readings sent to it: every one should be
/// accepted (none refused, none lost on the way).
async fn reconcile(client: &Client, devices: &[(u32, DeviceKey)], sent: u64) -> Result<()> {
	let (mut accepted, mut refused) = (0u64, 0u64);
	for (meter, _) in devices {
		let record = client.meter(*meter).await?.context("a load-test meter vanished")?;
		accepted += record.chain.length;
		refused += u64::from(record.refused);
	}
	let offered = sent * devices.len() as u64;
	println!(
		"readings on chain: {accepted} accepted, {refused} refused, {} missing of {offered} sent",
		offered.saturating_sub(accepted + refused)
	);
	Ok(())
}

async fn run_transfers(client: &Client, args: &Args) -> Result<Progress> {
	let (alice, bob) = (dev::alice(), dev::bob());
	let shared: Shared = Arc::default();
	let tracker = track_finality(client, shared.clone());
	let interval = Duration::from_secs_f64(1.0 / f64::from(args.transfer_rate.max(1)));
	let first_nonce = client.account_nonce(&alice).await?;
	let sender = Arc::new(client.signed_sender().await?);
	let start = Instant::now();
	let mut sent = 0u64;
	// Submissions run concurrently (a node answers each after validating it), in nonce order of
	// creation; the pool orders them by nonce.
	let mut in_flight = tokio::task::JoinSet::new();
	while start.elapsed() < Duration::from_secs(args.transfer_duration) {
		tokio::time::sleep_until((start + interval.mul_f64(sent as f64)).into()).await;
		backpressure(&shared, args.max_in_flight).await?;
		while in_flight.len() >= 32 {
			if let Some(result) = in_flight.join_next().await {
				result??;
			}
		}
		let (sender, shared, alice) = (sender.clone(), shared.clone(), alice.clone());
		let to = bob.public_key().to_account_id();
		let nonce = first_nonce + sent;
		in_flight.spawn(async move {
			let call = smartblocks_client::chain::transactions()
				.balances()
				.transfer_keep_alive(to.into(), 1_000_000);
			let sent_at = Instant::now();
			let hash = sender.send(&call, &alice, nonce).await?;
			lock(&shared)?.pending.insert(hash, (sent_at, 1));
			Ok::<_, anyhow::Error>(())
		});
		sent += 1;
	}
	while let Some(result) = in_flight.join_next().await {
		result??;
	}
	finish(shared, tracker, Duration::from_secs(90)).await
}

fn report(what: &str, finalized: &Progress, seconds: u64) {
	let mut latencies = finalized.latencies.clone();
	latencies.sort();
	let quantile = |q: f64| {
		latencies
			.get(((latencies.len() as f64 - 1.0) * q).round() as usize)
			.map(|d| format!("{:.1} s", d.as_secs_f64()))
			.unwrap_or_else(|| "-".into())
	};
	let lost = finalized.pending.len();
	println!(
		"{what}: {} finalized in {seconds} s = {:.0}/s; submission to finality p50 {}, p95 {}, max {}; \
		 {lost} transactions not finalized 90 s after the last was sent",
		finalized.finalized,
		finalized.finalized as f64 / seconds as f64,
		quantile(0.5),
		quantile(0.95),
		quantile(1.0),
	);
}
