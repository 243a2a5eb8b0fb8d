//! A consortium launched as its founders would: fresh keys (none of the well-known ones), a
//! founders' file, `consortium-spec`, validators started with their keys inserted. Three
//! validators finalize blocks; a fourth node that is on no member's list gets no peers (the
//! allowlist holds from block 0); and suspending a council member, by two thirds of the
//! council, takes its seat in the same block.

use crate::common::{run_node, within, Node, STARTUP};
use smartblocks_client::{
	registry::{Proposal, RegistryCall, RuntimeCall},
	subxt::rpcs::rpc_params,
	subxt_signer::{sr25519::Keypair, SecretUri},
	Client,
};
use sp_core::{crypto::Ss58Codec, ed25519, sr25519, Pair};
use std::{path::Path, str::FromStr, time::Duration};

/// A founder's fresh keys: its account, its validator's aura and grandpa keys, its node's key.
struct Founder {
	name: String,
	account: String,
	signer: Keypair,
	aura: String,
	grandpa: String,
	node_key_file: String,
	peer_id: String,
}

fn founder(name: &str, dir: &Path) -> Founder {
	let (account, phrase, _) = sr25519::Pair::generate_with_phrase(None);
	let (aura, aura_phrase, _) = sr25519::Pair::generate_with_phrase(None);
	let (grandpa, grandpa_phrase, _) = ed25519::Pair::generate_with_phrase(None);
	let node_key_file = dir.join(format!("{name}.node-key")).to_str().unwrap().to_string();
	let generated = run_node(&["key", "generate-node-key", "--file", &node_key_file]);
	assert!(generated.status.success());
	let peer_id = String::from_utf8_lossy(&generated.stderr).trim().to_string();
	// Each key's phrase is kept in a file beside it, as an operator's backup would be.
	std::fs::write(dir.join(format!("{name}.aura")), aura_phrase).unwrap();
	std::fs::write(dir.join(format!("{name}.grandpa")), grandpa_phrase).unwrap();
	Founder {
		name: name.into(),
		account: account.public().to_ss58check(),
		signer: Keypair::from_uri(&SecretUri::from_str(&phrase).unwrap()).unwrap(),
		aura: aura.public().to_ss58check(),
		grandpa: grandpa.public().to_ss58check(),
		node_key_file,
		peer_id,
	}
}

/// The founders' file: three validators with nodes, and a fourth member that only sits on
/// the council; all four provide oracle values.
fn founders_file(founders: &[Founder]) -> String {
	let mut text = String::from(
		"name = \"Launch Test Consortium\"\nid = \"launch_test\"\nsession_length = 10\n\
		 oracle_quorum = 3\n",
	);
	for (index, f) in founders.iter().enumerate() {
		text += &format!(
			"\n[[member]]\nname = \"{}\"\naccount = \"{}\"\ncouncil = true\nendowment = 1000\n",
			f.name, f.account
		);
		if index < 3 {
			text += &format!(
				"roles = [\"OracleProvider\", \"ValidatorOperator\"]\nnodes = [\"{}\"]\n\
				 validator = {{ aura = \"{}\", grandpa = \"{}\" }}\n",
				f.peer_id, f.aura, f.grandpa
			);
		} else {
			text += "roles = [\"Auditor\", \"OracleProvider\"]\n";
		}
	}
	text
}

async fn peer_count(client: &Client) -> usize {
	let health: serde_json::Value =
		client.rpc().request("system_health", rpc_params![]).await.unwrap();
	health["peers"].as_u64().unwrap() as usize
}

/// The peer ids the node behind `client` is connected to.
async fn peer_ids(client: &Client) -> Vec<String> {
	let peers: Vec<serde_json::Value> =
		client.rpc().request("system_peers", rpc_params![]).await.unwrap();
	peers.iter().filter_map(|peer| peer["peerId"].as_str().map(str::to_string)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_consortium_launched_from_its_founders_file_finalizes_and_keeps_strangers_out() {
	let dir = tempfile::tempdir().unwrap();
	let founders: Vec<Founder> =
		["alpha", "beta", "gamma", "delta"].iter().map(|name| founder(name, dir.path())).collect();
	let toml = dir.path().join("founders.toml");
	std::fs::write(&toml, founders_file(&founders)).unwrap();
	let spec = dir.path().join("consortium.json").to_str().unwrap().to_string();
	let built = run_node(&["consortium-spec", toml.to_str().unwrap(), "--output", &spec]);
	assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));

	// The three validators, each with its keys inserted before its first start.
	let mut validators: Vec<Node> = Vec::new();
	let mut bootnode: Option<String> = None;
	for f in &founders[..3] {
		let read =
			|kind: &str| std::fs::read_to_string(dir.path().join(format!("{}.{kind}", f.name)));
		let (aura, grandpa) = (read("aura").unwrap(), read("grandpa").unwrap());
		let mut args: Vec<String> =
			["--chain", &spec, "--validator", "--node-key-file", &f.node_key_file]
				.map(String::from)
				.into();
		if let Some(address) = &bootnode {
			args.extend(["--bootnodes".to_string(), address.clone()]);
		}
		let args: Vec<&str> = args.iter().map(String::as_str).collect();
		let keys = [("sr25519", "aura", aura.as_str()), ("ed25519", "gran", grandpa.as_str())];
		let node = Node::start_with_keys(&f.name, &args, &spec, &keys);
		if bootnode.is_none() {
			bootnode = Some(node.multiaddr(STARTUP));
		}
		validators.push(node);
	}
	let client = validators[0].client(STARTUP).await;
	let finalized = within(
		"finality on three validators",
		Duration::from_secs(240),
		client.wait_for_finalized(3),
	)
	.await
	.unwrap();

	// A node no member registered is refused by every member's node.
	let boot = bootnode.unwrap();
	let stranger = Node::start("stranger", &["--chain", &spec, "--bootnodes", &boot]);
	let outsider = stranger.client(STARTUP).await;
	within(
		"three more finalized blocks",
		Duration::from_secs(120),
		client.wait_for_finalized(finalized + 3),
	)
	.await
	.unwrap();
	assert_eq!(peer_count(&outsider).await, 0, "the stranger has peers:\n{}", stranger.log());
	let registered: Vec<&str> = founders[..3].iter().map(|f| f.peer_id.as_str()).collect();
	for validator in &validators {
		let peers = peer_ids(&validator.client(STARTUP).await).await;
		assert!(!peers.is_empty(), "{} has no peer", validator.log());
		assert!(peers.iter().all(|peer| registered.contains(&peer.as_str())), "{peers:?}");
	}

	// Suspending Delta, who holds a seat, takes three of the four: two thirds.
	let delta =
		client.member_of(founders[3].signer.public_key().to_account_id()).await.unwrap().unwrap();
	let suspend = RuntimeCall::Registry(RegistryCall::suspend { member: delta.id });
	let proposal = client.propose_to_council(&founders[0].signer, 3, suspend).await.unwrap();
	let Proposal::Open(motion) = proposal else { panic!("a threshold of 3 executed at once") };
	let votes = founders[..3].iter().map(|f| client.vote_in_council(&f.signer, &motion, true));
	futures::future::try_join_all(votes).await.unwrap();
	assert!(client.close_council_motion(&founders[1].signer, &motion).await.unwrap());
	let council = client.council_members().await.unwrap();
	assert_eq!(council.len(), 3);
	assert!(!council.contains(&founders[3].signer.public_key().to_account_id()));
}
