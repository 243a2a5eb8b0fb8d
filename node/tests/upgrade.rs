//! Runtime upgrades by the council through `smartblocks council upgrade`, on the development
//! chain, whose council is Alice alone: her motion authorises the wasm's hash as Root at once
//! (through `councilRoot`, not sudo). Code no newer than the running runtime is then refused
//! with the chain's reason, and a file other than the one authorised is refused before it is
//! sent.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::campus::{dev_node, smartblocks};
use smartblocks_client::upgrade::code_hash;

#[tokio::test(flavor = "multi_thread")]
async fn the_council_authorises_an_upgrade_and_the_chain_refuses_code_no_newer_than_its_own() {
	let (node, client) = dev_node("upgrade").await;
	let dir = tempfile::tempdir().unwrap();
	let running = smartblocks_runtime::WASM_BINARY.expect("the node was built with its runtime");
	let wasm = dir.path().join("runtime.wasm");
	std::fs::write(&wasm, running).unwrap();
	let wasm = wasm.to_str().unwrap();
	let node = node.ws_url();

	let upgrade = smartblocks(&node, &["council", "upgrade", "--suri", "//Alice", "--wasm", wasm]);

	let (stdout, stderr) = (
		String::from_utf8_lossy(&upgrade.stdout),
		String::from_utf8_lossy(&upgrade.stderr).into_owned(),
	);
	assert!(stdout.contains("the council authorised the runtime"), "{stdout}");
	assert!(!upgrade.status.success(), "the chain took its own runtime again");
	assert!(stderr.contains("SpecVersionNeedsToIncrease"), "{stderr}");
	assert_eq!(client.authorized_upgrade().await.unwrap(), Some(code_hash(running)));

	let other = dir.path().join("other.wasm");
	std::fs::write(&other, [running, b"!"].concat()).unwrap();
	let apply = smartblocks(
		&node,
		&["council", "apply-upgrade", "--suri", "//Bob", "--wasm", other.to_str().unwrap()],
	);
	assert!(!apply.status.success());
	let stderr = String::from_utf8_lossy(&apply.stderr);
	assert!(stderr.contains("the council authorised the runtime"), "{stderr}");
}
