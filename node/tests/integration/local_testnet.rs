//! The four-validator `local_testnet` chain (Alice to Dave), each a real node process, with no
//! sudo key: blocks are authored round-robin, GRANDPA finalizes them, and sessions rotate; a
//! council motion of two of the four cannot upgrade the runtime, one of three of the four does, to the
//! upgrade rehearsal (one `spec_version` higher, one storage migration), and blocks, finality
//! and sessions carry on across the upgrade.

use crate::common::{council_motion, start_local_testnet, within, STARTUP};
use smartblocks_client::{
	subxt::rpcs::rpc_params,
	subxt_signer::sr25519::dev,
	upgrade::{authorize_upgrade, code_hash},
	Client,
};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_finalize_rotate_sessions_and_take_an_upgrade_by_three_of_four() {
	let (nodes, _) = start_local_testnet(STARTUP);

	// GRANDPA needs three of the four validators' votes, so finality here proves they talk.
	let dave = nodes[3].client(STARTUP).await;
	let finalized = within(
		"GRANDPA finality on four validators",
		Duration::from_secs(240),
		dave.wait_for_finalized(12),
	)
	.await
	.unwrap();
	assert!(finalized >= 12);

	// local_testnet sessions last 10 blocks, so by block 12 the session index has moved on.
	let session = dave.current_session().await.unwrap();
	assert!(session >= 1, "no session rotation by block {finalized}");
	assert_eq!(dave.session_validators().await.unwrap().len(), 4);

	// The upgrade rehearsal: this runtime one spec_version higher, with one storage migration.
	let code = smartblocks_runtime::upgrade_rehearsal::WASM_BINARY
		.expect("build.rs builds the upgrade rehearsal beside the runtime");
	let running = dave.spec_version().await.unwrap();
	assert_eq!(running, smartblocks_runtime::VERSION.spec_version);
	assert_eq!(session_length_storage_version(&dave).await, 0);

	// Two of four carry a motion of threshold two, and Root's origin refuses it.
	let refused = council_motion(&dave, authorize_upgrade(code), 2).await.unwrap_err();
	assert!(refused.to_string().contains("BadOrigin"), "{refused}");
	assert_eq!(dave.authorized_upgrade().await.unwrap(), None);
	// Three of four authorise it; any member (Bob) applies it.
	assert!(council_motion(&dave, authorize_upgrade(code), 3).await.unwrap());
	assert_eq!(dave.authorized_upgrade().await.unwrap(), Some(code_hash(code)));
	dave.apply_authorized_upgrade(&dev::bob(), code.to_vec()).await.unwrap();

	// The block that sets the code reports the new version; the next one, the first the new
	// runtime runs, migrates.
	assert_eq!(dave.spec_version().await.unwrap(), running + 1);
	let (upgraded, session) =
		(dave.wait_for_finalized(0).await.unwrap(), dave.current_session().await.unwrap());
	within(
		"GRANDPA finality after the upgrade",
		Duration::from_secs(240),
		dave.wait_for_finalized(upgraded + 12),
	)
	.await
	.unwrap();
	// The migration ran, once, and left the session length as it was: sessions still turn.
	assert_eq!(session_length_storage_version(&dave).await, 1);
	assert!(dave.current_session().await.unwrap() > session, "no session change after the upgrade");
	assert_eq!(dave.session_validators().await.unwrap().len(), 4);
}

/// `SessionLength`'s storage version at the newest block, which the rehearsal's migration
/// moves from 0 to 1.
async fn session_length_storage_version(client: &Client) -> u16 {
	let key = [
		sp_io::hashing::twox_128(b"SessionLength"),
		sp_io::hashing::twox_128(b":__STORAGE_VERSION__:"),
	]
	.concat();
	let value: Option<String> = client
		.rpc()
		.request("state_getStorage", rpc_params![sp_core::bytes::to_hex(&key, false)])
		.await
		.unwrap();
	// An unset version is 0; a set one is a little-endian u16.
	value.map_or(0, |hex| {
		let bytes = sp_core::bytes::from_hex(&hex).unwrap();
		u16::from_le_bytes([bytes[0], bytes[1]])
	})
}
