//! The consortium governs itself on the four-validator `local_testnet` network: a non-member is
//! refused at the pool, an application admitted by a council motion lets its account transact
//! and take a council seat, a fifth validator approved by the council authors blocks within two
//! session changes, and once the council enforces the node allowlist, suspending that member
//! (which a majority short of two thirds cannot, since she holds a seat) drops its node and her
//! seat.

use crate::common::{
	council_motion, node_key, pass_council_motion, start_local_testnet, wait_for, within, Node,
	STARTUP,
};
use smartblocks_client::{
	registry::{role_set, MemberStatus, RegistryCall, Role, RuntimeCall},
	subxt::rpcs::rpc_params,
	subxt::utils::{AccountId32, H256},
	subxt_signer::sr25519::{dev, Keypair},
	Client, ClientError,
};
use std::time::Duration;

const UNIT: u128 = 1_000_000_000_000;

fn account(keypair: &Keypair) -> AccountId32 {
	keypair.public_key().to_account_id()
}

/// The peer ids the node behind `client` is connected to.
async fn connected_peers(client: &Client) -> Vec<String> {
	let peers: Vec<serde_json::Value> =
		client.rpc().request("system_peers", rpc_params![]).await.unwrap();
	peers.iter().filter_map(|peer| peer["peerId"].as_str().map(str::to_string)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_council_admits_a_member_whose_validator_then_authors_blocks() {
	let (nodes, bootnode) = start_local_testnet(STARTUP);
	let client = nodes[0].client(STARTUP).await;
	within("first finalized blocks", Duration::from_secs(240), client.wait_for_finalized(2))
		.await
		.unwrap();
	let (alice, eve) = (dev::alice(), dev::eve());

	// Eve holds funds but is no member: the pool refuses her transfer, in words.
	let refused = client.transfer_keep_alive(&eve, account(&alice), UNIT).await.unwrap_err();
	assert!(matches!(refused, ClientError::NotAMember { .. }), "{refused:?}");
	assert!(refused.to_string().contains("is not a member's account"), "{refused}");

	// Applying is the one call open to her.
	let roles = [Role::ValidatorOperator, Role::Trader];
	client.apply(&eve, "Eve Microgrid", &roles, H256::repeat_byte(7)).await.unwrap();
	let admit = RegistryCall::admit { applicant: account(&eve), roles: role_set(&roles) };
	pass_council_motion(&client, RuntimeCall::Registry(admit)).await;

	let member = client.member_of(account(&eve)).await.unwrap().expect("Eve is a member");
	assert_eq!(member.name, b"Eve Microgrid".to_vec());
	assert_eq!(member.roles, vec![Role::Trader, Role::ValidatorOperator]);
	assert_eq!(member.status, MemberStatus::Active);
	assert_eq!(member.accounts, vec![account(&eve)]);
	client.transfer_keep_alive(&eve, account(&alice), UNIT).await.unwrap();
	let seat = RegistryCall::grant_council_seat { account: account(&eve) };
	pass_council_motion(&client, RuntimeCall::Registry(seat)).await;
	assert!(client.council_members().await.unwrap().contains(&account(&eve)));

	// Eve runs a validator node, registers the session keys it generated, and the council
	// approves her account as a validator.
	let key = node_key(5);
	let eve_args =
		["--chain", "local", "--validator", "--node-key", &key, "--bootnodes", &bootnode];
	let eve_node = Node::start("eve", &eve_args);
	let keys = eve_node.client(STARTUP).await.rotate_session_keys(&account(&eve)).await.unwrap();
	client.set_session_keys(&eve, keys).await.unwrap();
	let approve = RegistryCall::approve_validator { account: account(&eve) };
	pass_council_motion(&client, RuntimeCall::Registry(approve)).await;
	let approved_in = client.current_session().await.unwrap();

	// Sessions last ten blocks: the set planned at the next change takes over at the one after.
	within("Eve in the validator set", Duration::from_secs(300), async {
		while !client.session_validators().await.unwrap().contains(&account(&eve)) {
			tokio::time::sleep(Duration::from_secs(3)).await;
		}
	})
	.await;
	let joined_in = client.current_session().await.unwrap();
	assert!(
		joined_in <= approved_in + 2,
		"approved in session {approved_in}, validating only from session {joined_in}"
	);
	let authored = wait_for(Duration::from_secs(120), || {
		eve_node
			.log()
			.lines()
			.find(|line| line.contains("Pre-sealed block for proposal"))
			.map(str::to_string)
	});
	assert!(authored.is_some(), "Eve's node never authored a block:\n{}", eve_node.log());
	assert_eq!(client.session_validators().await.unwrap().len(), 5);

	// Every member registers its node, then the council enforces the allowlist: the five nodes
	// keep finalizing blocks among themselves.
	let founders = [dev::alice(), dev::bob(), dev::charlie(), dev::dave()];
	let peer_ids: Vec<String> = nodes.iter().map(|node| node.peer_id(STARTUP)).collect();
	let eve_peer_id = eve_node.peer_id(STARTUP);
	let registrations = founders
		.iter()
		.zip(&peer_ids)
		.map(|(founder, peer_id)| client.add_node(founder, peer_id))
		.chain([client.add_node(&eve, &eve_peer_id)]);
	futures::future::try_join_all(registrations).await.unwrap();
	pass_council_motion(
		&client,
		RuntimeCall::Registry(RegistryCall::enforce_node_allowlist { enforce: true }),
	)
	.await;
	let finalized = client.wait_for_finalized(0).await.unwrap();
	within(
		"finality under the allowlist",
		Duration::from_secs(120),
		client.wait_for_finalized(finalized + 3),
	)
	.await
	.unwrap();
	assert!(connected_peers(&client).await.contains(&eve_peer_id), "Eve's node is not a peer");

	// Eve holds a seat: three of the council's five are a majority, not the two thirds that
	// taking a seat needs; four suspend her, which drops her node from every founder's peers
	// and takes her seat in the same block.
	let suspend = || RuntimeCall::Registry(RegistryCall::suspend { member: member.id });
	let refused = council_motion(&client, suspend(), 3).await.unwrap_err();
	assert!(refused.to_string().contains("BadOrigin"), "{refused}");
	assert!(council_motion(&client, suspend(), 4).await.unwrap());
	assert!(!client.council_members().await.unwrap().contains(&account(&eve)));
	let founder_clients =
		futures::future::join_all(nodes.iter().map(|node| node.client(STARTUP))).await;
	within("the founders dropping Eve's node", Duration::from_secs(120), async {
		for founder in &founder_clients {
			while connected_peers(founder).await.contains(&eve_peer_id) {
				tokio::time::sleep(Duration::from_secs(2)).await;
			}
		}
	})
	.await;
	let refused = client.transfer_keep_alive(&eve, account(&alice), UNIT).await.unwrap_err();
	assert!(matches!(refused, ClientError::MemberSuspended { .. }), "{refused:?}");
}
