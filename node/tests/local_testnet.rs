//! The four-validator `local_testnet` chain (Alice to Dave), each a real node process: blocks are
//! authored round-robin, GRANDPA finalizes them, and sessions rotate.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{start_local_testnet, within};
use std::time::Duration;

const STARTUP: Duration = Duration::from_secs(120);

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_finalize_blocks_and_rotate_sessions() {
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
}
