//! Signed readings on a real `--dev` node: a site and meter registered through the client,
//! readings signed with the meter's device key accepted whether a member relays them or they
//! come as a general transaction with no account; forged, replayed and out-of-order readings
//! refused with their reasons; and the hash chain computed here from the accepted readings equal
//! to the chain's.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{within, Node};
use smartblocks_client::{
	meters::{
		chain_over, device_public, sign_reading, AcceptedRun, ChainCheck, DeviceKey, HashChain,
		MeterKind, MeterSpec, NewSite, Reading, RefusalReason, UseType,
	},
	subxt::utils::H256,
	subxt_signer::{sr25519::dev, SecretUri},
	ClientError,
};
use std::{
	str::FromStr,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

const STARTUP: Duration = Duration::from_secs(120);
const FINALITY: Duration = Duration::from_secs(90);

fn device(uri: &str) -> DeviceKey {
	DeviceKey::from_uri(&SecretUri::from_str(uri).unwrap()).unwrap()
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

#[tokio::test(flavor = "multi_thread")]
async fn readings_signed_by_the_device_key_count_and_others_are_refused_with_a_reason() {
	let mut node = Node::start("meters", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let alice = dev::alice();
	let genesis = client.genesis_hash();

	let building = NewSite {
		name: "Physics building",
		latitude: 48.137,
		longitude: 11.575,
		region: "DE-BY",
		floor_area: 8_400,
		use_type: UseType::Laboratory,
		time_zone: "Europe/Berlin",
	};
	let site = within("site registration", FINALITY, client.register_site(&alice, &building))
		.await
		.unwrap();
	let meter_key = device("//physics/main-meter");
	let spec = MeterSpec {
		kind: MeterKind::GridImport,
		multiplier: 1,
		max_power: 250_000,
		device_key: device_public(&meter_key),
	};
	let meter = within("meter registration", FINALITY, client.register_meter(&alice, site, spec))
		.await
		.unwrap();

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

	// Relayed by a member: two good readings, one signed by another key, one replay.
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
	let reasons: Vec<_> = outcome.refused.iter().map(|r| (r.sequence, r.reason.clone())).collect();
	assert_eq!(
		reasons,
		vec![(3, RefusalReason::BadSignature), (2, RefusalReason::SequenceNotIncreasing)]
	);
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

	// Out of order within a relayed batch: the later sequence counts, the earlier one is refused.
	let batch = vec![
		sign_reading(&meter_key, genesis, reading(5, 5_000)),
		sign_reading(&meter_key, genesis, reading(4, 4_000)),
	];
	let outcome = within("an out-of-order batch", FINALITY, client.submit_readings(&alice, batch))
		.await
		.unwrap();
	accepted.push(reading(5, 5_000));
	assert_eq!(outcome.refused[0].reason, RefusalReason::SequenceNotIncreasing);
	assert_eq!(outcome.refused[0].sequence, 4);

	// The chain's hash chain is the one computed here over the accepted readings.
	let computed = chain_over(HashChain { head: H256::zero(), length: 0 }, &accepted);
	let on_chain = client.meter(meter).await.unwrap().expect("the meter exists");
	assert_eq!(on_chain.chain, computed);
	assert_eq!(on_chain.last_sequence, Some(5));
	let check = client
		.verify_chain(meter, HashChain { head: H256::zero(), length: 0 }, accepted.clone())
		.await
		.unwrap();
	assert_eq!(check, ChainCheck::Matches { length: 4 });
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
	assert_eq!(json["chain"]["length"], 4, "{json}");
	assert_eq!(json["kind"], "GridImport", "{json}");

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}
