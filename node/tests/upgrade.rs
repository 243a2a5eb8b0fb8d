//! Runtime upgrades by the council through `smartblocks council upgrade` and `apply-upgrade`,
//! on the development chain, whose council is Alice alone: her motion authorises the wasm's
//! hash as Root at once (through `councilRoot`, not sudo). A file other than the one authorised
//! is refused before it is sent, and code no newer than the running runtime is refused with the
//! chain's reason, which drops the authorisation.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::campus::{dev_node, smartblocks};
use smartblocks_client::{
	registry::Proposal,
	subxt_signer::sr25519::dev,
	upgrade::{authorize_upgrade, code_hash},
};
use std::process::Output;

fn failure(output: &Output) -> String {
	assert!(!output.status.success(), "succeeded: {}", String::from_utf8_lossy(&output.stdout));
	String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_council_authorises_an_upgrade_and_the_chain_refuses_code_no_newer_than_its_own() {
	let (node, client) = dev_node("upgrade").await;
	let dir = tempfile::tempdir().unwrap();
	let running = smartblocks_runtime::WASM_BINARY.expect("the node was built with its runtime");
	let wasm = dir.path().join("runtime.wasm");
	std::fs::write(&wasm, running).unwrap();
	let other = dir.path().join("other.wasm");
	std::fs::write(&other, [running, b"!"].concat()).unwrap();
	let (wasm, other, node) = (wasm.to_str().unwrap(), other.to_str().unwrap(), node.ws_url());
	let spec_version = || async { client.spec_version().await.unwrap() };
	let before = spec_version().await;

	let proposal = client.propose_to_council(&dev::alice(), 1, authorize_upgrade(running)).await;
	assert!(matches!(proposal.unwrap(), Proposal::Executed));
	assert_eq!(client.authorized_upgrade().await.unwrap(), Some(code_hash(running)));

	let apply = |file: &str| {
		smartblocks(&node, &["council", "apply-upgrade", "--suri", "//Alice", "--wasm", file])
	};
	let stderr = failure(&apply(other));
	assert!(stderr.contains(&format!("not {:?}", code_hash(&std::fs::read(other).unwrap()))));
	let stderr = failure(&apply(wasm));
	assert!(stderr.contains("dropped its authorisation: SpecVersionNeedsToIncrease"), "{stderr}");
	assert_eq!(client.authorized_upgrade().await.unwrap(), None);
	assert!(failure(&apply(wasm)).contains("the council has authorised no upgrade"));

	// The whole path in one command: authorised by the motion, then refused by the chain.
	let upgrade = smartblocks(&node, &["council", "upgrade", "--suri", "//Alice", "--wasm", wasm]);
	assert!(String::from_utf8_lossy(&upgrade.stdout).contains("the council authorised"));
	assert!(failure(&upgrade).contains("SpecVersionNeedsToIncrease"));
	assert_eq!(spec_version().await, before);
}
