//! Runtime upgrades by the council through `smartblocks council upgrade` and `apply-upgrade`,
//! on the development chain, whose council is Alice alone: her motion authorises the wasm's
//! hash as Root at once (through `councilRoot`, not sudo). A file other than the one authorised
//! is refused before it is sent, and code no newer than the running runtime is refused with the
//! chain's reason, which drops the authorisation. Then `council seat` and `unseat`: a seat goes
//! to a member's account only, and the council keeps its minimum.

use crate::common::campus::{dev_node, smartblocks, succeeded};
use smartblocks_client::{
	registry::{role_set, Proposal, RegistryCall, Role, RuntimeCall},
	subxt::utils::H256,
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

	// Seats: Bob is no member yet, then a member whose seat Alice's motion gives at once; the
	// council of two cannot lose him (three seats at least) and names why.
	let bob = dev::bob().public_key().to_account_id().to_string();
	let seat = |command: &str| {
		smartblocks(&node, &["council", command, "--suri", "//Alice", "--account", &bob])
	};
	assert!(failure(&seat("seat")).contains("acts for no member"));
	let roles = [Role::Trader];
	client.apply(&dev::bob(), "Bob Trading", &roles, H256::repeat_byte(3)).await.unwrap();
	let admit = RegistryCall::admit {
		applicant: dev::bob().public_key().to_account_id(),
		roles: role_set(&roles),
	};
	let admitted = client.propose_to_council(&dev::alice(), 1, RuntimeCall::Registry(admit)).await;
	assert!(matches!(admitted.unwrap(), Proposal::Executed));
	let seated = seat("seat");
	assert!(String::from_utf8_lossy(&seated.stdout).contains("took a seat on the council"));
	assert_eq!(client.council_members().await.unwrap().len(), 2);
	// Now two thirds of two is both: Bob votes for the motion that would unseat him, Alice
	// closes it, and the registry refuses it, named.
	let opened = String::from_utf8_lossy(&seat("unseat").stdout).into_owned();
	assert!(opened.contains("motion #") && opened.contains("2 of the council's 2"), "{opened}");
	let motion = client.council_motions().await.unwrap()[0].index.to_string();
	succeeded(smartblocks(&node, &["council", "vote", "--suri", "//Bob", &motion]));
	succeeded(smartblocks(&node, &["council", "vote", "--suri", "//Alice", &motion]));
	let stderr = failure(&smartblocks(&node, &["council", "close", "--suri", "//Alice", &motion]));
	assert!(stderr.contains("refused its call: CouncilTooSmall (Registry)"), "{stderr}");
	assert_eq!(client.council_members().await.unwrap().len(), 2);
}
