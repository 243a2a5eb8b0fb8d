//! Signed readings on a real `--dev` node: a site and meter registered through the client,
//! readings signed with the meter's device key accepted whether a member relays them or they
//! come as a general transaction with no account; forged, replayed and out-of-order readings
//! never judged (a forgery names no sequence, a later reading brought first waits for the
//! earlier); and the hash chain computed here from the accepted readings equal to the chain's.
//! A member's node that pulls a bridge's pending readings over HTTP with its off-chain worker
//! (`--meter-bridge`) puts each on chain once, however often it is served. And a member flooding
//! the pool with its meter's readings neither fills blocks with them nor delays other members'
//! transactions or the council motion that stops the meter.

use crate::common::{
	best_block,
	meters::{device, now_ms, physics_meter},
	serve_http, within, Node, FINALITY, STARTUP,
};
use smartblocks_client::{
	meters::{
		chain_over, sign_reading, AcceptedRun, ChainCheck, HashChain, MeterStatus, PoolRefusal,
		Reading, SignedReading,
	},
	subxt::ext::codec::Encode,
	subxt::utils::H256,
	subxt_signer::sr25519::dev,
	Client, ClientError,
};
use std::{
	sync::{Arc, Mutex},
	time::Duration,
};

#[tokio::test(flavor = "multi_thread")]
async fn readings_signed_by_the_device_key_count_and_others_are_refused_with_a_reason() {
	let mut node = Node::start("meters", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let alice = dev::alice();
	let genesis = client.genesis_hash();
	let meter_key = device("//physics/main-meter");
	let meter = physics_meter(&client, &meter_key).await;

	// Four readings a minute apart, ending a minute ago.
	let start = now_ms() - 5 * 60_000;
	let reading = |sequence: u64, register: u64| Reading {
		meter,
		sequence,
		timestamp: start + sequence * 60_000,
		register,
		demand: Some(60_000),
		temperature: None,
	};
	let mut accepted = Vec::new();

	// Relayed by a member: two good readings, one signed by another key, one replay. Neither
	// of the last two is judged: no refusal names reading 3, which stays open.
	let forged = sign_reading(&device("//somebody-else"), genesis, reading(3, 3_000));
	let batch = vec![
		sign_reading(&meter_key, genesis, reading(1, 1_000)),
		sign_reading(&meter_key, genesis, reading(2, 2_000)),
		forged,
		sign_reading(&meter_key, genesis, reading(2, 2_000)),
	];
	let outcome =
		within("a relayed batch", FINALITY, client.submit_readings(&alice, batch)).await.unwrap();
	accepted.extend([reading(1, 1_000), reading(2, 2_000)]);
	assert_eq!(outcome.accepted_count(), 2);
	assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
	assert_eq!(outcome.accepted, vec![AcceptedRun { meter, count: 2, last_sequence: 2 }]);

	// With no account: the readings' signatures authorize the batch, and the relay pays nothing.
	let balance = client.free_balance(alice.public_key().to_account_id()).await.unwrap();
	let batch = vec![sign_reading(&meter_key, genesis, reading(3, 3_000))];
	let outcome = within("an authorized batch", FINALITY, client.submit_readings_unsigned(batch))
		.await
		.unwrap();
	accepted.push(reading(3, 3_000));
	assert_eq!(outcome.accepted_count(), 1);
	assert_eq!(client.free_balance(alice.public_key().to_account_id()).await.unwrap(), balance);

	// The pool refuses batches with no account that carry a forged, replayed or stale reading.
	let forged = vec![sign_reading(&device("//somebody-else"), genesis, reading(4, 4_000))];
	let refusal = client.submit_readings_unsigned(forged).await.unwrap_err();
	assert!(matches!(refusal, ClientError::ReadingsRefused { .. }), "{refusal}");
	assert!(refusal.to_string().contains("not signed by its meter's device key"), "{refusal}");
	let replay = vec![sign_reading(&meter_key, genesis, reading(3, 3_000))];
	let refusal = client.submit_readings_unsigned(replay).await.unwrap_err();
	assert!(refusal.to_string().contains("already on chain"), "{refusal}");
	// The pallet's custom refusal codes read the same in the client.
	let stranger = Reading { meter: meter + 1_000, ..reading(1, 0) };
	let refusal = client
		.submit_readings_unsigned(vec![sign_reading(&meter_key, genesis, stranger)])
		.await
		.unwrap_err();
	assert!(refusal.to_string().contains("meter the chain does not know"), "{refusal}");

	// Out of order within a relayed batch: 5 comes before 4, waits, and 4 counts; 5 counts
	// when it comes again.
	let batch = vec![
		sign_reading(&meter_key, genesis, reading(5, 5_000)),
		sign_reading(&meter_key, genesis, reading(4, 4_000)),
	];
	let outcome = within("an out-of-order batch", FINALITY, client.submit_readings(&alice, batch))
		.await
		.unwrap();
	accepted.push(reading(4, 4_000));
	assert_eq!(outcome.accepted, vec![AcceptedRun { meter, count: 1, last_sequence: 4 }]);
	assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
	let batch = vec![sign_reading(&meter_key, genesis, reading(5, 5_000))];
	within("the waiting reading", FINALITY, client.submit_readings(&alice, batch)).await.unwrap();
	accepted.push(reading(5, 5_000));

	// The chain's hash chain is the one computed here over the accepted readings.
	let computed = chain_over(HashChain { head: H256::zero(), length: 0 }, &accepted);
	let on_chain = client.meter(meter).await.unwrap().expect("the meter exists");
	assert_eq!(on_chain.chain, computed);
	assert_eq!(on_chain.last_sequence, Some(5));
	let check = client
		.verify_chain(meter, HashChain { head: H256::zero(), length: 0 }, accepted.clone())
		.await
		.unwrap();
	assert_eq!(check, ChainCheck::Matches { length: 5 });
	let mut altered = accepted.clone();
	altered[1].register += 1;
	let check = client
		.verify_chain(meter, HashChain { head: H256::zero(), length: 0 }, altered)
		.await
		.unwrap();
	assert!(matches!(check, ChainCheck::Differs { .. }), "{check:?}");

	// The same over JSON-RPC, as an archive tool would ask.
	let json: serde_json::Value = client
		.rpc()
		.request("meters_meter", smartblocks_client::subxt::rpcs::rpc_params![meter])
		.await
		.unwrap();
	assert_eq!(json["chain"]["length"], 5, "{json}");
	assert_eq!(json["kind"], "GridImport", "{json}");

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}

/// Serves `GET /pending?...` on a free port as a bridge does: the SCALE encoding of the
/// readings `pending` holds at the time. Returns the port.
async fn bridge_server(pending: Arc<Mutex<Vec<SignedReading>>>) -> u16 {
	serve_http(move |path| match path.starts_with("/pending?limit=") {
		true => ("200 OK", "application/octet-stream", pending.lock().unwrap().encode()),
		false => ("404 Not Found", "text/plain", Vec::new()),
	})
	.await
}

/// The meter's hash chain length once it reaches `length`.
async fn chain_length(client: &Client, meter: u32, length: u64) -> u64 {
	loop {
		let info = client.meter(meter).await.unwrap().expect("the meter exists");
		if info.chain.length >= length {
			return info.chain.length;
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_node_pulls_a_bridges_pending_readings_with_its_offchain_worker() {
	let pending = Arc::new(Mutex::new(Vec::new()));
	let port = bridge_server(pending.clone()).await;
	let bridge = format!("http://127.0.0.1:{port}/");
	let mut node = Node::start("meters-worker", &["--dev", "--meter-bridge", &bridge]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	assert!(node.log().contains("Meters off-chain worker: pulling readings from http://127.0.0.1"));
	let genesis = client.genesis_hash();
	let meter_key = device("//annex/main-meter");
	let meter = physics_meter(&client, &meter_key).await;

	// Readings a minute apart over the last ten minutes, as the bridge signed them.
	let start = now_ms() - 10 * 60_000;
	let signed = |sequence: u64| {
		let reading = Reading {
			meter,
			sequence,
			timestamp: start + sequence * 60_000,
			register: sequence * 1_000,
			demand: None,
			temperature: None,
		};
		sign_reading(&meter_key, genesis, reading)
	};
	*pending.lock().unwrap() = (1..=5).map(signed).collect();
	let length =
		within("the pulled readings on chain", FINALITY, chain_length(&client, meter, 5)).await;
	assert_eq!(length, 5);

	// The bridge has not learnt of it yet and serves them again, with three new ones and one
	// signed by another key: the new ones count once, the rest are left out.
	let forged = sign_reading(&device("//somebody-else"), genesis, signed(9).reading);
	*pending.lock().unwrap() = (1..=8).map(signed).chain([forged]).collect();
	within("the new readings on chain", FINALITY, chain_length(&client, meter, 8)).await;
	// Some more blocks of the same answer change nothing.
	let (now, _) = client.finalized_head().await.unwrap();
	within("three more blocks", FINALITY, client.wait_for_finalized(now + 3)).await.unwrap();
	let info = client.meter(meter).await.unwrap().unwrap();
	assert_eq!(info.chain.length, 8);
	assert_eq!(info.last_sequence, Some(8));
	assert_eq!(info.refused, 0, "nothing reached the chain to be refused");

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}

/// The number of the block with `hash`.
async fn block_number(client: &Client, hash: H256) -> u64 {
	client.api().at_block(hash).await.unwrap().block_number()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_of_one_meters_readings_delays_no_members_call_nor_the_council() {
	use smartblocks_client::{
		chain::runtime_types::pallet_meters::pallet::Call as MetersCall, registry::RuntimeCall,
	};
	let mut node = Node::start("meters-flood", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let (alice, bob) = (dev::alice(), dev::bob());
	let genesis = client.genesis_hash();
	let meter_key = device("//flood/meter");
	let meter = physics_meter(&client, &meter_key).await;

	// A backlog of valid readings, the minimum interval apart and ending now, offered as fast
	// as the pool takes them: it keeps a few blocks' worth of the meter waiting, and each
	// block judges the meter's share.
	let sender = client.readings_sender().await.unwrap();
	let per_meter = sender.max_per_meter();
	let interval = client.min_reading_interval().await.unwrap();
	const READINGS: u64 = 16_384;
	let first = now_ms() - READINGS * interval;
	let readings: Vec<SignedReading> = (1..=READINGS)
		.map(|sequence| {
			let reading = Reading {
				meter,
				sequence,
				timestamp: first + (sequence - 1) * interval,
				register: sequence * 10,
				demand: None,
				temperature: None,
			};
			sign_reading(&meter_key, genesis, reading)
		})
		.collect();
	// The pool keeps at most WAITING_BLOCKS (8) blocks' allowance of the meter ahead of the
	// chain: a batch beyond that is refused (and the pool bans its hash for a while).
	let ahead = readings[(per_meter * 10) as usize..(per_meter * 11) as usize].to_vec();
	match sender.send(ahead).await {
		Err(ClientError::ReadingsRefused { refusal: PoolRefusal::Batch, .. }) => {}
		other => panic!("a batch ten blocks ahead: {other:?}"),
	}
	// The flood: every batch as soon as the pool takes it, the chain's next number (as the
	// finalized blocks have it) at most eight blocks' allowance behind.
	let flood = client.clone();
	let flooder = tokio::spawn(async move {
		let window = u64::from(per_meter) * 8;
		let mut sent = 0u64;
		for batch in readings.chunks(per_meter as usize) {
			let first = batch[0].reading.sequence;
			loop {
				let info = flood.meter(meter).await.unwrap().unwrap();
				if info.status != MeterStatus::Active {
					return sent;
				}
				if first <= info.last_sequence.unwrap_or(0) + 1 + window {
					break;
				}
				tokio::time::sleep(Duration::from_millis(500)).await;
			}
			match sender.send(batch.to_vec()).await {
				Ok(_) | Err(ClientError::AlreadyInPool) => sent += batch.len() as u64,
				// The meter was stopped (a block or two before the finalized ones show it).
				Err(ClientError::ReadingsRefused { refusal: PoolRefusal::Meter, .. }) => {
					return sent;
				}
				Err(other) => panic!("the flood's batch from {first}: {other}"),
			}
		}
		sent
	});
	// Let the flood fill the pool's queue for the meter.
	let flooded_at = best_block(&client).await;
	within("the flood's first blocks", FINALITY, client.wait_for_finalized(flooded_at + 2))
		.await
		.unwrap();

	// Alice's transfer with no tip lands within three blocks.
	let sent_at = best_block(&client).await;
	let transfer = within(
		"a transfer under the flood",
		FINALITY,
		client.transfer_keep_alive(&alice, bob.public_key().to_account_id(), 1_000_000_000_000),
	)
	.await
	.unwrap();
	let landed = block_number(&client, transfer.block_hash).await;
	println!("flood: a transfer sent at best block {sent_at} landed in block {landed}");
	assert!(landed <= sent_at + 3, "the transfer sent at block {sent_at} landed in {landed}");

	// So does the council's motion that stops the meter, and with it the flood.
	let stop = RuntimeCall::Meters(MetersCall::force_meter_status {
		meter,
		status: MeterStatus::SuspendedByCouncil,
	});
	let length = smartblocks_client::registry::call_length(&stop);
	let motion = smartblocks_client::chain::transactions().council().propose(1, stop, length);
	let sent_at = best_block(&client).await;
	let (motion_block, _) =
		within("the council's motion", FINALITY, client.submit_finalized(&motion, &alice))
			.await
			.unwrap();
	let landed = block_number(&client, motion_block).await;
	println!("flood: the council's motion sent at best block {sent_at} landed in block {landed}");
	assert!(landed <= sent_at + 3, "the motion sent at block {sent_at} landed in {landed}");
	let info = client.meter(meter).await.unwrap().unwrap();
	assert_eq!(info.status, MeterStatus::SuspendedByCouncil);

	// No block held more of the meter's readings than its share, and none came after the stop.
	let mut judged = 0;
	for number in flooded_at.saturating_sub(1)..=landed + 2 {
		within("a block", FINALITY, client.wait_for_finalized(number)).await.unwrap();
		let block = client.readings_in_block(number).await.unwrap();
		let count: u32 = block.accepted.iter().map(|run| run.count).sum();
		assert!(count <= per_meter, "block {number} judged {count} readings of one meter");
		if number > landed {
			assert_eq!(count, 0, "block {number} took readings of a stopped meter");
		}
		judged += count;
	}
	assert!(judged > 0, "the flood's readings were judged at the meter's rate");
	let stopped = client.meter(meter).await.unwrap().unwrap().chain.length;
	let sent = within("the flood's end", FINALITY, flooder).await.unwrap();
	println!(
		"flood: {sent} readings taken by the pool, {stopped} judged, at most {per_meter} a block"
	);
	assert!(stopped < READINGS, "{stopped} readings landed");

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}
