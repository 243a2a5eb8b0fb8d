//! `smartblocks-node try-upgrade` against a live `--dev` node: the next runtime (the upgrade
//! rehearsal, built with try-runtime by the `smartblocks-runtime-try-runtime` crate) upgrades a
//! copy of the state of a chain that holds a site, a meter and readings, with every check, and
//! nothing changes on the chain. Once a member count is written wrong (with the development
//! chain's sudo key), the same upgrade fails, naming the registry's broken invariant.

use crate::common::{
	meters::{device, now_ms, physics_meter},
	run_node, within, Node, FINALITY, NODE, STARTUP,
};
use smartblocks_client::{
	chain,
	meters::{sign_reading, Reading},
	registry::RuntimeCall,
	subxt::ext::codec::Encode,
	subxt_signer::sr25519::dev,
	Client,
};
use std::path::PathBuf;

type SystemCall = chain::runtime_types::frame_system::pallet::Call;

/// The upgrade rehearsal built with try-runtime, as the try-runtime crate's build made it (its
/// `try-runtime-wasm` binary, beside the node's, names the file).
fn try_runtime_wasm() -> PathBuf {
	let profile = PathBuf::from(NODE).parent().unwrap().to_path_buf();
	let asked =
		std::process::Command::new(profile.join("try-runtime-wasm")).arg("rehearsal").output();
	match asked {
		Ok(output) if output.status.success() => {
			PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
		}
		Ok(output) => panic!("try-runtime-wasm: {}", String::from_utf8_lossy(&output.stderr)),
		Err(error) => panic!(
			"try-runtime-wasm: {error}: run scripts/try-upgrade, which builds the try-runtime \
			 crate before this test"
		),
	}
}

/// A laboratory with a grid meter and three readings a minute apart, for Alice's member.
async fn readings_on_chain(client: &Client) {
	let alice = dev::alice();
	let key = device("//chemistry/main-meter");
	let meter = physics_meter(client, &key).await;
	let start = now_ms() - 4 * 60_000;
	let batch = (1..=3)
		.map(|sequence| {
			let reading = Reading {
				meter,
				sequence,
				timestamp: start + sequence * 60_000,
				register: sequence * 1_000,
				demand: Some(60_000),
				temperature: None,
			};
			sign_reading(&key, client.genesis_hash(), reading)
		})
		.collect();
	let outcome =
		within("readings", FINALITY, client.submit_readings(&alice, batch)).await.unwrap();
	assert_eq!(outcome.accepted_count(), 3);
}

fn try_upgrade(node: &Node) -> (bool, String) {
	let wasm = try_runtime_wasm();
	let output =
		run_node(&["try-upgrade", "--uri", &node.ws_url(), "--runtime", wasm.to_str().unwrap()]);
	let text = format!(
		"{}{}",
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	);
	(output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the try-runtime crate's build: scripts/try-upgrade and scripts/test run it"]
async fn the_next_runtime_upgrades_a_copy_of_a_live_chain_with_every_check() {
	let mut node = Node::start("try-upgrade", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	readings_on_chain(&client).await;
	let version = client.spec_version().await.unwrap();

	let (passed, text) = try_upgrade(&node);
	assert!(passed, "{text}");
	let next = format!("smartblocks {version} -> smartblocks {}", version + 1);
	assert!(text.contains(&next), "{text}");
	assert!(text.contains("migrations and checks (All) passed"), "{text}");
	assert!(text.contains("% of a block's ref_time"), "{text}");
	// The upgrade ran on a copy: the chain still runs its own runtime.
	assert_eq!(client.spec_version().await.unwrap(), version);

	// One wrong number the registry's try_state catches.
	let key =
		[sp_crypto_hashing::twox_128(b"Registry"), sp_crypto_hashing::twox_128(b"MemberCount")]
			.concat();
	let corrupt =
		RuntimeCall::System(SystemCall::set_storage { items: vec![(key, 999u32.encode())] });
	let sudo = chain::transactions().sudo().sudo(corrupt);
	within("sudo set_storage", FINALITY, client.submit_finalized(&sudo, &dev::alice()))
		.await
		.unwrap();
	let (passed, text) = try_upgrade(&node);
	assert!(!passed, "{text}");
	assert!(text.contains("MemberCount does not match the members"), "{text}");
	node.stop();
}
