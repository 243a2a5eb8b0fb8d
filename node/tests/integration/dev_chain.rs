//! A real `--dev` node: it authors blocks, GRANDPA finalizes them, and a balance transfer
//! submitted through the shared client lands in a finalized block with its event; a client
//! pinned to a finalized block keeps reading it.

use crate::common::{within, Node, STARTUP};
use smartblocks_client::{subxt::rpcs::rpc_params, subxt_signer::sr25519::dev};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn dev_chain_finalizes_a_transfer_made_through_the_client() {
	// Its own wasmtime cache, empty, instead of the one the tests share.
	let cache = tempfile::tempdir().unwrap();
	let cache_path = cache.path().join("wasmtime");
	let mut node = Node::start("dev", &["--dev", "--wasmtime-cache", cache_path.to_str().unwrap()]);
	let client = node.client(STARTUP).await;

	let finalized = within("finality of block 2", STARTUP, client.wait_for_finalized(2)).await;
	assert!(finalized.unwrap() >= 2);

	let (alice, bob) = (dev::alice(), dev::bob());
	let bob_account = bob.public_key().to_account_id();
	let before = client.free_balance(bob_account).await.unwrap();
	let (pinned_block, pinned) = client.at_finalized().await.unwrap();
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
	// A client pinned to a block before the transfer still reads that block's state, and
	// transfers on the newest block.
	assert_eq!(pinned.free_balance(bob_account).await.unwrap(), before);
	assert!(client.finalized_head().await.unwrap().0 > pinned_block);
	let second = pinned.transfer_keep_alive(&alice, bob_account, amount);
	within("a second transfer", Duration::from_secs(90), second).await.unwrap();
	assert_eq!(client.free_balance(bob_account).await.unwrap(), before + 2 * amount);
	assert_eq!(pinned.free_balance(bob_account).await.unwrap(), before);

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

	// The runtime's machine code is in the cache folder, for the next start to load.
	let compiled = largest_file_under(&cache_path);
	assert!(compiled > 100_000, "the wasmtime cache holds no compiled runtime ({compiled} bytes)");
}

/// The size of the largest file in `dir` and the folders below it (0 for none).
fn largest_file_under(dir: &std::path::Path) -> u64 {
	let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
	entries
		.flatten()
		.map(|entry| match entry.metadata() {
			Ok(meta) if meta.is_dir() => largest_file_under(&entry.path()),
			Ok(meta) => meta.len(),
			Err(_) => 0,
		})
		.max()
		.unwrap_or(0)
}

/// POSTs a JSON-RPC call of `method` with `params` (a JSON array) to the node's RPC port over
/// plain HTTP, as a browser page from `origin` would; returns the status code and the answer.
async fn rpc_from(port: u16, origin: &str, method: &str, params: &str) -> (u16, String) {
	use tokio::io::{AsyncReadExt, AsyncWriteExt};
	let body = format!(r#"{{"id":1,"jsonrpc":"2.0","method":"{method}","params":{params}}}"#);
	let request = format!(
		"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nContent-Type: \
		 application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
	stream.write_all(request.as_bytes()).await.unwrap();
	let mut answer = String::new();
	stream.read_to_string(&mut answer).await.unwrap();
	let status = answer.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
	(status, answer)
}

/// The node as `scripts/demo` starts it: web pages of other origins cannot read its answers, and
/// no page can call unsafe methods such as `offchain_localStorageSet` (which would repoint the
/// node's bridges and feeds).
#[tokio::test(flavor = "multi_thread")]
async fn the_demos_node_serves_only_safe_methods_and_only_to_its_own_origins() {
	let portal = "http://127.0.0.1:3000";
	let origins = format!("{portal},http://localhost:3000,https://polkadot.js.org");
	let mut node =
		Node::start("demo-rpc", &["--dev", "--rpc-methods", "safe", "--rpc-cors", &origins]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let port = node.rpc_port;

	// A browser hands an answer to a page only if the answer allows the page's origin.
	let allowed = |answer: &str, origin: &str| {
		answer.lines().any(|line| {
			line.to_ascii_lowercase() == format!("access-control-allow-origin: {origin}")
		})
	};
	for origin in [portal, "https://polkadot.js.org"] {
		let (status, answer) = rpc_from(port, origin, "system_health", "[]").await;
		assert_eq!(status, 200, "{answer}");
		assert!(allowed(&answer, origin), "{origin} is not allowed: {answer}");
	}
	let (_, answer) = rpc_from(port, "https://evil.example", "system_health", "[]").await;
	assert!(
		!answer.to_ascii_lowercase().contains("access-control-allow-origin"),
		"another origin's page may read the answer: {answer}"
	);
	// Not even the portal's pages reach the unsafe methods (nor a page over WebSocket, which
	// browsers open to any origin: the methods are not served at all).
	let params = r#"["PERSISTENT","0x736d617274626c6f636b73","0x00"]"#;
	let (_, answer) = rpc_from(port, portal, "offchain_localStorageSet", params).await;
	assert!(answer.contains("unsafe to be called"), "an unsafe method answered: {answer}");

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}
