//! Four validators (`local_testnet`: Alice to Dave), each a real node process, through the faults a
//! consortium's network sees. GRANDPA finalizes with the votes of more than two thirds of the
//! validators, so three of the four are enough and two are not:
//! - one validator crashes (SIGKILL): the first block after the crash is finalized by the other
//!   three within two GRANDPA rounds of its import (its justification's round) and 20 s, and
//!   `grandpa_roundState` names the missing voter;
//! - it restarts from its database: it catches up with the finalized chain and authors blocks
//!   that are finalized;
//! - two are frozen for a minute (SIGSTOP, as a hung host or a virtual machine paused for
//!   maintenance would be): the other two go on authoring, finality stalls; thawed (SIGCONT),
//!   finality catches up within 30 seconds, and rounds close with all four votes again.
//!
//! On one `--dev` node that crashes twice: a bridge's batch whose predecessor is missing waits in
//! the pool, emptied by the crash, for that predecessor, and never reaches a block before it.
//!
//! And the long one, which scripts/test-faults runs: all four down for ten minutes while a
//! campus's bridge records, and afterwards every reading it recorded is on chain exactly once.
//!
//! Each recovery time is printed (`faults:` lines; nextest shows these tests' output).

use crate::common::{
	best_block,
	campus::{
		all_recorded_on_chain_once, register_campus, status_of, wait_for_sequences, write_config,
		Process,
	},
	finalized_block, free_port,
	meters::{device, now_ms, physics_meter},
	start_local_testnet, within, Node, FINALITY, STARTUP,
};
use smartblocks_client::{
	meters::{chain_over, sign_reading, AcceptedRun, HashChain, Reading, SignedReading},
	subxt::{ext::codec::Decode, rpcs::rpc_params, utils::H256},
	subxt_signer::sr25519::dev,
	Client, ClientError,
};
use sp_core::crypto::Ss58Codec;
use sp_crypto_hashing::blake2_256;
use sp_keyring::Ed25519Keyring;
use std::time::{Duration, Instant};

/// How often the test samples the chain: well under a GRANDPA round.
const POLL: Duration = Duration::from_millis(200);
/// How long two validators stay frozen.
const FROZEN_FOR: Duration = Duration::from_secs(60);

/// What `grandpa_roundState` reports of a round.
struct Round {
	number: u64,
	/// The GRANDPA keys whose precommits the round has not (yet) received.
	missing_precommits: Vec<sp_core::ed25519::Public>,
}

/// The GRANDPA rounds at `client`'s node, once its voter reports them: the current one first,
/// then those still open in the background (the last completed ones).
async fn grandpa_rounds(client: &Client) -> Vec<Round> {
	let state = within("grandpa_roundState to answer", STARTUP, async {
		loop {
			let state: Result<serde_json::Value, _> =
				client.rpc().request("grandpa_roundState", rpc_params![]).await;
			match state {
				Ok(state) => return state,
				// "GRANDPA RPC endpoint not ready" until the voter's first round.
				Err(e) if e.to_string().contains("not ready") => tokio::time::sleep(POLL).await,
				Err(e) => panic!("grandpa_roundState: {e}"),
			}
		}
	})
	.await;
	let key = |id: &serde_json::Value| {
		let ss58 = id.as_str().expect("a key in SS58");
		sp_core::ed25519::Public::from_ss58check_with_version(ss58).unwrap().0
	};
	let round = |round: &serde_json::Value| Round {
		number: round["round"].as_u64().expect("a round number"),
		missing_precommits: round["precommits"]["missing"]
			.as_array()
			.expect("a list of keys")
			.iter()
			.map(key)
			.collect(),
	};
	let background = state["background"].as_array().expect("a list of rounds");
	std::iter::once(&state["best"]).chain(background).map(round).collect()
}

/// A justification's round and the number of the block it finalizes: a SCALE
/// `GrandpaJustification` starts with the round (u64), then its commit's target hash and number.
fn justified(hex: &str) -> (u64, u64) {
	let bytes = sp_core::bytes::from_hex(hex).unwrap();
	let (round, _target, number) = <(u64, [u8; 32], u32)>::decode(&mut &bytes[..]).unwrap();
	(round, number.into())
}

/// The current GRANDPA round's number at `client`'s node.
async fn grandpa_round(client: &Client) -> u64 {
	grandpa_rounds(client).await[0].number
}

/// Polls `client`'s node until one of its GRANDPA rounds (current or background) satisfies
/// `wanted`; returns it, or fails naming `what` after `timeout`.
async fn a_round_where(
	what: &str,
	timeout: Duration,
	client: &Client,
	wanted: impl Fn(&Round) -> bool,
) -> Round {
	within(what, timeout, async {
		loop {
			if let Some(round) = grandpa_rounds(client).await.into_iter().find(&wanted) {
				return round;
			}
			tokio::time::sleep(POLL).await;
		}
	})
	.await
}

/// Polls `client`'s node until `done` holds for its (best, finalized) block numbers; returns
/// them, or fails naming `what` after `timeout`.
async fn poll_until(
	what: &str,
	timeout: Duration,
	client: &Client,
	done: impl Fn(u64, u64) -> bool,
) -> (u64, u64) {
	within(what, timeout, async {
		loop {
			let (best, finalized) = (best_block(client).await, finalized_block(client).await);
			if done(best, finalized) {
				return (best, finalized);
			}
			tokio::time::sleep(POLL).await;
		}
	})
	.await
}

/// The blocks `node` sealed as their author (number and hash) in the lines of its log after
/// the first `skip`.
fn sealed_blocks(node: &Node, skip: usize) -> Vec<(u64, String)> {
	// sc-consensus-slots: "🔖 Pre-sealed block for proposal at {number}. Hash now {hash}, ..."
	node.log()
		.lines()
		.skip(skip)
		.filter_map(|line| {
			let rest = line.split("Pre-sealed block for proposal at ").nth(1)?;
			let (number, rest) = rest.split_once(". Hash now ")?;
			let (hash, _) = rest.split_once(',')?;
			Some((number.parse().ok()?, hash.to_string()))
		})
		.collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_ride_out_a_crash_a_restart_and_two_frozen() {
	let (mut nodes, _) = start_local_testnet(STARTUP);
	let alice = nodes[0].client(STARTUP).await;
	poll_until("finality on four validators", Duration::from_secs(240), &alice, |_, f| f >= 3)
		.await;
	// GRANDPA's RPC, but for the proofs that are costly to make for anyone who asks.
	let methods: serde_json::Value =
		alice.rpc().request("rpc_methods", rpc_params![]).await.unwrap();
	let served = |name: &str| methods["methods"].as_array().unwrap().iter().any(|m| m == name);
	assert!(served("grandpa_roundState") && served("grandpa_subscribeJustifications"));
	assert!(!served("grandpa_proveFinality"), "grandpa_proveFinality is served");
	let mut justifications = alice
		.rpc()
		.subscribe::<String>(
			"grandpa_subscribeJustifications",
			rpc_params![],
			"grandpa_unsubscribeJustifications",
		)
		.await
		.unwrap();

	// 1. Dave's node crashes. The first block after it needs the other three's votes.
	let crashed_at = best_block(&alice).await;
	nodes[3].kill();
	let crashed = Instant::now();
	let after_crash = crashed_at + 1;
	poll_until("a block after the crash", Duration::from_secs(60), &alice, |b, _| b >= after_crash)
		.await;
	// Read a moment after the import, so if anything a round late: in Dave's favour.
	let (imported, imported_in) = (Instant::now(), grandpa_round(&alice).await);
	let finalized_in = within("finality without Dave", Duration::from_secs(60), async {
		loop {
			let justification = justifications.next().await.expect("justifications go on");
			let (round, number) = justified(&justification.unwrap());
			if number >= after_crash {
				return round;
			}
		}
	})
	.await;
	let after_import = imported.elapsed();
	println!(
		"faults: one of four crashed: block #{after_crash} finalized {:.1} s after the crash and \
		 {:.1} s after its import, in GRANDPA round {finalized_in} (imported in round \
		 {imported_in})",
		crashed.elapsed().as_secs_f64(),
		after_import.as_secs_f64(),
	);
	assert!(
		finalized_in <= imported_in + 2,
		"block #{after_crash} imported in round {imported_in}, finalized only in round \
		 {finalized_in}"
	);
	// Rounds stall when votes are missing, so the rounds alone do not say the chain kept pace.
	assert!(after_import < Duration::from_secs(20), "finalized {after_import:?} after its import");
	// Operators see who is missing: a round since then that has every precommit it will get
	// (three) names Dave, and only Dave.
	let what = "a round with three precommits";
	let round = a_round_where(what, Duration::from_secs(30), &alice, |r| {
		r.number > finalized_in && r.missing_precommits.len() == 1
	})
	.await;
	let missing = round.missing_precommits;
	assert_eq!(missing, vec![Ed25519Keyring::Dave.public()], "the one voter missing is not Dave");

	// 2. Dave restarts from its database, catches up and authors blocks that are finalized.
	let log_before = nodes[3].log().lines().count();
	let finalized_at_restart = finalized_block(&alice).await;
	nodes[3].restart();
	let restarted = Instant::now();
	let dave_client = nodes[3].client(STARTUP).await;
	poll_until("Dave to catch up", Duration::from_secs(120), &dave_client, |_, f| {
		f >= finalized_at_restart
	})
	.await;
	let caught_up = restarted.elapsed();
	let authored = within("a block Dave authored after restarting, finalized", STARTUP, async {
		loop {
			let finalized = finalized_block(&alice).await;
			for (number, hash) in sealed_blocks(&nodes[3], log_before) {
				let canonical: Option<String> =
					alice.rpc().request("chain_getBlockHash", rpc_params![number]).await.unwrap();
				if number <= finalized && canonical.as_deref() == Some(hash.as_str()) {
					return number;
				}
			}
			tokio::time::sleep(POLL).await;
		}
	})
	.await;
	println!(
		"faults: restarted from its database: caught up with #{finalized_at_restart} in \
		 {:.1} s; authored #{authored}, finalized {:.1} s after the restart",
		caught_up.as_secs_f64(),
		restarted.elapsed().as_secs_f64(),
	);

	// 3. Charlie and Dave freeze for a minute. Alice and Bob go on authoring in their slots; two
	// of four votes finalize nothing. Votes cast before the freeze may still finalize what they
	// were for, within moments; nothing after that.
	nodes[2].pause();
	nodes[3].pause();
	let frozen = Instant::now();
	tokio::time::sleep(Duration::from_secs(10)).await;
	let (frozen_at, stalled_at) = (best_block(&alice).await, finalized_block(&alice).await);
	let what = "a minute and four blocks without Charlie and Dave";
	let (best, _) = poll_until(what, Duration::from_secs(150), &alice, |b, f| {
		assert_eq!(f, stalled_at, "a block finalized with two of four validators frozen");
		b >= frozen_at + 4 && frozen.elapsed() >= FROZEN_FOR
	})
	.await;
	println!(
		"faults: two of four frozen for {:.0} s: up to #{best} authored, finality stayed at \
		 #{stalled_at}",
		frozen.elapsed().as_secs_f64()
	);

	// Thawed, they vote again and finality catches up with every block authored meanwhile.
	let thawed_in = grandpa_round(&alice).await;
	nodes[2].resume();
	nodes[3].resume();
	let thawed = Instant::now();
	poll_until("finality after the thaw", Duration::from_secs(30), &alice, |_, f| f >= best).await;
	println!(
		"faults: thawed: finality caught up with #{best} in {:.1} s",
		thawed.elapsed().as_secs_f64()
	);
	// All four vote again, Dave too since his restart: a round closes with no precommit missing.
	a_round_where("a round with all four precommits", Duration::from_secs(60), &alice, |r| {
		r.number > thawed_in && r.missing_precommits.is_empty()
	})
	.await;
}

/// How long every validator is down in the outage test.
const OUTAGE: Duration = Duration::from_secs(600);
/// How long the bridge may take to bring the outage's readings to the chain once it is back.
const BACKLOG: Duration = Duration::from_secs(600);

/// A campus's bridge records through ten minutes in which every validator of the consortium is
/// down (a power cut at all four), and afterwards every reading it recorded is on chain exactly
/// once. Ignored in the ordinary run: its ten minutes of outage would hold every run of
/// scripts/test up by as much; scripts/test-faults runs it.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "ten minutes of outage: scripts/test-faults runs it"]
async fn every_reading_recorded_while_all_validators_are_down_reaches_the_chain_once() {
	let (mut nodes, _) = start_local_testnet(STARTUP);
	let alice = nodes[0].client(STARTUP).await;
	poll_until("finality on four validators", Duration::from_secs(240), &alice, |_, f| f >= 1)
		.await;

	// One building of the simulated campus, its bridge on Alice's node; Bob owns the building.
	let dir = tempfile::tempdir().unwrap();
	let config = dir.path().join("bridge.toml");
	let config_arg = config.to_str().unwrap();
	let modbus = format!("127.0.0.1:{}", free_port());
	let campus = ["--buildings", "1", "--seed", "11", "--listen", &modbus];
	let http = format!("127.0.0.1:{}", free_port());
	write_config(&campus, &config, &nodes[0], &http);
	let simulate = [&["simulate"][..], &campus].concat();
	let mut simulator = Process::start(&simulate, dir.path().join("simulator.log"));
	let (out, meters) = register_campus(config_arg, "//Bob").await;
	assert!(!meters.is_empty(), "{out}");
	let bridge_log = dir.path().join("bridge.log");
	let mut running = Process::start(&["run", "--config", config_arg], bridge_log.clone());
	let before = wait_for_sequences(&nodes[0], &meters, &vec![3; meters.len()], FINALITY).await;

	// Every validator loses power at once; the bridge goes on reading the meters.
	for node in &mut nodes {
		node.kill();
	}
	tokio::time::sleep(OUTAGE).await;
	// A reading every two seconds: some 300 a meter, pending. Each meter's recorded readings
	// carry sequences 1 to accepted + pending.
	let recorded =
		|entry: &serde_json::Value| entry["pending"].as_u64() > Some(OUTAGE.as_secs() / 10);
	let mut backlog = Vec::new();
	for meter in &meters {
		let entry =
			within("the outage's readings", FINALITY, status_of(&http, *meter, recorded)).await;
		let count = |state: &str| entry[state].as_u64().expect("a count");
		backlog.push(count("accepted") + count("pending"));
	}
	println!("faults: recorded while all four were down: up to sequences {backlog:?}");

	// Power is back: each validator restarts from its database.
	for node in &mut nodes {
		node.restart();
	}
	let back = Instant::now();
	let alice = nodes[0].client(STARTUP).await;
	let finalized_before = finalized_block(&alice).await;
	poll_until("finality after the outage", STARTUP, &alice, |_, f| f > finalized_before).await;
	let finality_back = back.elapsed();
	wait_for_sequences(&nodes[0], &meters, &backlog, BACKLOG).await;
	let backlog_in = back.elapsed();

	// The campus goes quiet: the bridge brings the rest and every reading is on chain once.
	simulator.kill();
	let settled =
		all_recorded_on_chain_once(&alice, &http, &mut running, config_arg, &meters, BACKLOG).await;
	println!(
		"faults: all four validators down for {} s: finality back {:.1} s after the restart, the \
		 outage's readings on chain {:.1} s after it; last sequences {before:?} before, \
		 {settled:?} at the end",
		OUTAGE.as_secs(),
		finality_back.as_secs_f64(),
		backlog_in.as_secs_f64(),
	);
	let log = std::fs::read_to_string(&bridge_log).unwrap();
	assert!(log.contains("lost the node"), "the outage went unnoticed:\n{log}");
}

/// The hashes of the transactions `client`'s node holds ready for its next block.
async fn ready_in_pool(client: &Client) -> Vec<H256> {
	let ready: Vec<String> =
		client.rpc().request("author_pendingExtrinsics", rpc_params![]).await.unwrap();
	ready.iter().map(|hex| H256(blake2_256(&sp_core::bytes::from_hex(hex).unwrap()))).collect()
}

/// Watches `blocks` blocks at `client`'s node while `batch` waits for its predecessor: it is never
/// among the ready transactions and the meter's chain stays at `last`.
async fn waits_for_its_predecessor(
	client: &Client,
	meter: u32,
	batch: H256,
	last: u64,
	blocks: u64,
) {
	let until = best_block(client).await + blocks;
	within("blocks while the batch waits", FINALITY, async {
		while best_block(client).await < until {
			assert!(!ready_in_pool(client).await.contains(&batch), "the batch is ready");
			let info = client.meter(meter).await.unwrap().expect("the meter exists");
			assert_eq!((info.last_sequence, info.chain.length), (Some(last), last));
			tokio::time::sleep(POLL).await;
		}
	})
	.await;
}

/// A batch whose first reading does not follow the meter's last on chain requires the reading
/// before it (the pool's tag), also in the empty pool of a node restarted after a crash: the node
/// takes it into its pool at once (it used to hang the client's `send` until the batch was
/// ready), and it waits there for its predecessor, never ready and never in a block before it,
/// whether the predecessor comes with no account (and its tag) or relayed by a member (without;
/// then the waiting batch goes when it is sent again). Before the bridge sent one run per meter
/// from its oldest pending reading, a waiting batch once reached a block after a node restart; the
/// runtime refuses such a batch in a block since.
#[tokio::test(flavor = "multi_thread")]
async fn after_a_crash_a_batch_waits_in_the_pool_for_its_missing_predecessor() {
	let mut node = Node::start("faults-pool", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let key = device("//pool/meter");
	let meter = physics_meter(&client, &key).await;
	let genesis = client.genesis_hash();
	let interval = client.min_reading_interval().await.unwrap();
	let first = now_ms() - 20 * interval;
	let batch = |sequences: std::ops::RangeInclusive<u64>| -> Vec<SignedReading> {
		sequences
			.map(|sequence| {
				let reading = Reading {
					meter,
					sequence,
					timestamp: first + sequence * interval,
					register: sequence * 10,
					demand: None,
					temperature: None,
				};
				sign_reading(&key, genesis, reading)
			})
			.collect()
	};
	within("readings 1-3", FINALITY, client.submit_readings_unsigned(batch(1..=3))).await.unwrap();

	// 7-9 waits for 6; the crash empties the pool, and sent again it waits again.
	let sender = within("a readings sender", STARTUP, client.readings_sender()).await.unwrap();
	let ahead = within("7-9 sent", FINALITY, sender.send(batch(7..=9))).await.unwrap();
	waits_for_its_predecessor(&client, meter, ahead, 3, 2).await;
	node.kill();
	node.restart();
	let client = node.client(STARTUP).await;
	let sender = within("a readings sender", STARTUP, client.readings_sender()).await.unwrap();
	let ahead = within("7-9 sent again", FINALITY, sender.send(batch(7..=9))).await.unwrap();
	waits_for_its_predecessor(&client, meter, ahead, 3, 3).await;

	// Its predecessor relayed by Alice provides no tag, and the pool does not look at a waiting
	// batch again by itself (polkadot-sdk#5496); sent again, as a bridge sends what it has not
	// seen final every 30 s, it is judged anew and ready.
	let relayed =
		within("4-6 relayed", FINALITY, client.submit_readings(&dev::alice(), batch(4..=6)))
			.await
			.unwrap();
	assert_eq!(relayed.accepted, vec![AcceptedRun { meter, count: 3, last_sequence: 6 }]);
	let started = Instant::now();
	match within("7-9 sent after 4-6", FINALITY, sender.send(batch(7..=9))).await {
		Ok(_) | Err(ClientError::AlreadyInPool) => {}
		Err(other) => panic!("7-9 sent after 4-6: {other}"),
	}
	wait_for_last_sequence(&client, meter, 9).await;
	println!(
		"faults: 7-9 on chain {:.1} s after it was sent again",
		started.elapsed().as_secs_f64()
	);

	// And with no account, after a second crash: 13-15 sent first waits for 10-12, then both go.
	node.kill();
	node.restart();
	let client = node.client(STARTUP).await;
	let sender = within("a readings sender", STARTUP, client.readings_sender()).await.unwrap();
	let ahead = within("13-15 sent", FINALITY, sender.send(batch(13..=15))).await.unwrap();
	waits_for_its_predecessor(&client, meter, ahead, 9, 2).await;
	within("10-12 sent", FINALITY, sender.send(batch(10..=12))).await.unwrap();
	let started = Instant::now();
	wait_for_last_sequence(&client, meter, 15).await;
	println!(
		"faults: a batch waiting for its predecessor on chain {:.1} s after the predecessor was sent",
		started.elapsed().as_secs_f64()
	);

	// Every reading once, in order: the chain's hash chain is the one over 1-15.
	let all: Vec<Reading> = batch(1..=15).into_iter().map(|signed| signed.reading).collect();
	let info = client.meter(meter).await.unwrap().expect("the meter exists");
	assert_eq!(info.chain, chain_over(HashChain { head: H256::zero(), length: 0 }, &all));
	assert_eq!(info.refused, 0);
	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}

/// Waits until the meter's last sequence on chain at `client`'s node is `last`.
async fn wait_for_last_sequence(client: &Client, meter: u32, last: u64) {
	within("the waiting batch on chain", FINALITY, async {
		while client.meter(meter).await.unwrap().and_then(|info| info.last_sequence) != Some(last) {
			tokio::time::sleep(POLL).await;
		}
	})
	.await;
}
