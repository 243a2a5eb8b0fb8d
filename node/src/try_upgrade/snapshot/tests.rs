//! `Snapshot::read` against a node of this test's making, honest or not, over a real socket.

use super::*;
use jsonrpsee::{server::Server, types::ErrorObjectOwned, RpcModule};
use std::time::Duration;

/// How the fake node answers `state_getKeysPaged`.
#[derive(Clone, Copy)]
enum Listing {
	/// The keys after the start key, in order, as a node does.
	Honest,
	/// The first page, whatever the start key.
	RepeatsThePage,
	/// The keys after the start key, each page in reverse.
	Reversed,
}

/// Fails the test if a method could not be registered.
fn register<T, E: std::fmt::Display>(result: Result<T, E>) {
	if let Err(error) = result {
		panic!("{error}");
	}
}

/// A block's state, served by a node that lists its keys as `listing` says.
async fn serve(
	state: BTreeMap<Vec<u8>, Vec<u8>>,
	listing: Listing,
) -> (String, jsonrpsee::server::ServerHandle) {
	let server = Server::builder().build("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
	let uri = format!("ws://{}", server.local_addr().unwrap_or_else(|e| panic!("{e}")));
	let mut module = RpcModule::new(state);
	register(module.register_method("chain_getFinalizedHead", |_, _, _| {
		Ok::<_, ErrorObjectOwned>(H256::repeat_byte(1))
	}));
	register(module.register_method("chain_getHeader", |_, _, _| {
		let header = serde_json::json!({ "number": "0x7", "stateRoot": H256::repeat_byte(2) });
		Ok::<_, ErrorObjectOwned>(header)
	}));
	register(module.register_method("state_getKeysPaged", move |params, state, _| {
		let (_prefix, count, start, _at): (StorageKey, u32, Option<StorageKey>, H256) =
			params.parse()?;
		let after = match listing {
			Listing::RepeatsThePage => None,
			Listing::Honest | Listing::Reversed => start.map(|key| key.0),
		};
		let mut page: Vec<StorageKey> = state
			.keys()
			.filter(|key| after.as_ref().is_none_or(|after| *key > after))
			.take(count as usize)
			.map(|key| StorageKey(key.clone()))
			.collect();
		if let Listing::Reversed = listing {
			page.reverse();
		}
		Ok::<_, ErrorObjectOwned>(page)
	}));
	register(module.register_method("state_queryStorageAt", |params, state, _| {
		let (keys, at): (Vec<StorageKey>, H256) = params.parse()?;
		let changes: Vec<_> = keys
			.into_iter()
			.map(|key| {
				let value = state.get(&key.0).cloned().map(StorageData);
				(key, value)
			})
			.collect();
		Ok::<_, ErrorObjectOwned>(vec![StorageChangeSet { block: at, changes }])
	}));
	(uri, server.start(module))
}

/// 2,500 keys: two full pages and a part.
fn state() -> BTreeMap<Vec<u8>, Vec<u8>> {
	(0..2_500u32).map(|n| (n.to_be_bytes().to_vec(), n.to_le_bytes().to_vec())).collect()
}

/// Why `Snapshot::read` refused the node's answers.
fn refusal(listing: Listing) -> String {
	match read(listing) {
		Ok(snapshot) => panic!("a snapshot of {} keys was read", snapshot.storage.len()),
		Err(reason) => reason,
	}
}

/// What `Snapshot::read` makes of the node's answers; a read that goes on for a minute fails.
fn read(listing: Listing) -> Result<Snapshot, String> {
	let runtime = tokio::runtime::Builder::new_current_thread()
		.enable_all()
		.build()
		.unwrap_or_else(|e| panic!("{e}"));
	runtime.block_on(async {
		let (uri, _server) = serve(state(), listing).await;
		tokio::time::timeout(Duration::from_secs(60), Snapshot::read(&uri, None))
			.await
			.unwrap_or_else(|_| panic!("the read did not end within a minute"))
	})
}

#[test]
fn every_key_of_every_page_is_read_with_its_value() {
	let snapshot = read(Listing::Honest).unwrap_or_else(|e| panic!("{e}"));
	assert_eq!((snapshot.number, snapshot.hash), (7, H256::repeat_byte(1)));
	assert_eq!(snapshot.state_root, H256::repeat_byte(2));
	assert_eq!(snapshot.storage, state());
}

#[test]
fn a_node_that_repeats_a_page_of_keys_is_refused() {
	let error = refusal(Listing::RepeatsThePage);
	assert_eq!(
		error,
		"the node listed key 0x00000000 of block 0x0101010101010101010101010101010101010101010101\
		 010101010101010101 after 0x000003e7: a node lists each key once, in order"
	);
}

#[test]
fn a_node_that_lists_keys_out_of_order_is_refused() {
	let error = refusal(Listing::Reversed);
	assert_eq!(
		error,
		"the node listed key 0x000003e6 of block 0x0101010101010101010101010101010101010101010101\
		 010101010101010101 after 0x000003e7: a node lists each key once, in order"
	);
}
