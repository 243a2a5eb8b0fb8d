//! A real `--dev` node: it authors blocks, GRANDPA finalizes them, and a balance transfer
//! submitted through the shared client lands in a finalized block with its event.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{within, Node};
use smartblocks_client::{subxt::rpcs::rpc_params, subxt_signer::sr25519::dev};
use std::time::Duration;

const STARTUP: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread")]
async fn dev_chain_finalizes_a_transfer_made_through_the_client() {
	let mut node = Node::start("dev", &["--dev"]);
	let client = node.client(STARTUP).await;

	let finalized = within("finality of block 2", STARTUP, client.wait_for_finalized(2)).await;
	assert!(finalized.unwrap() >= 2);

	let (alice, bob) = (dev::alice(), dev::bob());
	let bob_account = bob.public_key().to_account_id();
	let before = client.free_balance(bob_account).await.unwrap();
	let amount = 1_234_567_890_000;

	let transfer = within(
		"a finalized transfer",
		Duration::from_secs(90),
		client.transfer_keep_alive(&alice, bob_account, amount),
	)
	.await
	.unwrap();

	assert_eq!(transfer.event.from, alice.public_key().to_account_id());
	assert_eq!(transfer.event.to, bob_account);
	assert_eq!(transfer.event.amount, amount);
	let after = client.free_balance(bob_account).await.unwrap();
	assert_eq!(after, before + amount);

	// The registry's RPC answers with the founding member, its name as text.
	let alice_ss58 = alice.public_key().to_account_id().to_string();
	let member: serde_json::Value =
		client.rpc().request("registry_memberOf", rpc_params![alice_ss58]).await.unwrap();
	assert_eq!(member["name"], "Alice Energy Services", "{member}");
	assert_eq!(member["score"], 500, "{member}");
	assert_eq!(member["status"], "Active", "{member}");

	let status = node.stop().expect("node was running");
	assert!(
		status.success(),
		"node did not shut down cleanly on SIGTERM: {status}\n{}",
		node.log()
	);
}
