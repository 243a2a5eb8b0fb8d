//! The whole state of one block, read from a node over RPC with the methods every node serves
//! to the public (`state_getKeysPaged`, `state_queryStorageAt`).

use sp_core::{
	storage::{StorageChangeSet, StorageData, StorageKey},
	H256,
};
use std::collections::BTreeMap;
use subxt::rpcs::{rpc_params, RpcClient};

#[cfg(test)]
mod tests;

/// The most keys a node lists per `state_getKeysPaged` call.
const KEYS_PER_PAGE: u32 = 1000;
/// Keys whose values one `state_queryStorageAt` call asks for: the runtime's code (under 1 MB)
/// and 63 of the runtime's bounded values stay well within the RPC client's 10 MiB answer.
const VALUES_PER_CALL: usize = 64;

/// A block's state: its number, hash and state root, and every key of the top trie.
#[derive(Debug, Clone)]
pub struct Snapshot {
	pub number: u64,
	pub hash: H256,
	pub state_root: H256,
	pub storage: BTreeMap<Vec<u8>, Vec<u8>>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
	number: String,
	state_root: H256,
}

impl Snapshot {
	/// Reads block `at` (a hex hash), or the newest finalized block, from the node at `uri`.
	pub async fn read(uri: &str, at: Option<&str>) -> Result<Self, String> {
		let rpc = RpcClient::from_insecure_url(uri)
			.await
			.map_err(|e| format!("cannot reach a node at {uri}: {e}"))?;
		let ask = |method: &'static str| move |e: subxt::rpcs::Error| format!("{method}: {e}");
		let hash: H256 = match at {
			Some(at) => at.parse().map_err(|_| format!("--at {at} is not a block hash"))?,
			None => rpc
				.request("chain_getFinalizedHead", rpc_params![])
				.await
				.map_err(ask("chain_getFinalizedHead"))?,
		};
		let header: Option<Header> = rpc
			.request("chain_getHeader", rpc_params![hash])
			.await
			.map_err(ask("chain_getHeader"))?;
		let header = header.ok_or_else(|| format!("the node does not know block {hash:?}"))?;
		let number = u64::from_str_radix(header.number.trim_start_matches("0x"), 16)
			.map_err(|_| format!("block {hash:?} has number {:?}", header.number))?;

		let mut keys: Vec<StorageKey> = Vec::new();
		loop {
			let page: Vec<StorageKey> = rpc
				.request(
					"state_getKeysPaged",
					rpc_params![StorageKey(Vec::new()), KEYS_PER_PAGE, keys.last(), hash],
				)
				.await
				.map_err(ask("state_getKeysPaged"))?;
			// Each key after the one before, from page to page: a node that repeats or reorders
			// keys is refused here, where following it would never end.
			let mut previous = keys.last();
			for key in &page {
				if previous.is_some_and(|previous| previous.0 >= key.0) {
					return Err(format!(
						"the node listed key {} of block {hash:?} after {}: a node lists each key \
						 once, in order",
						hex(key),
						previous.map(hex).unwrap_or_default()
					));
				}
				previous = Some(key);
			}
			let last_page = page.len() < KEYS_PER_PAGE as usize;
			keys.extend(page);
			if last_page {
				break;
			}
		}

		let mut storage = BTreeMap::new();
		for chunk in keys.chunks(VALUES_PER_CALL) {
			let sets: Vec<StorageChangeSet<H256>> = rpc
				.request("state_queryStorageAt", rpc_params![chunk, hash])
				.await
				.map_err(ask("state_queryStorageAt"))?;
			for (key, value) in sets.into_iter().flat_map(|set| set.changes) {
				if !chunk.contains(&key) {
					return Err(format!(
						"the node gave a value for key {} of block {hash:?}, which it was not \
						 asked for",
						hex(&key)
					));
				}
				let Some(StorageData(value)) = value else {
					return Err(format!(
						"the node listed key {} of block {hash:?} but has no value for it",
						hex(&key)
					));
				};
				storage.insert(key.0, value);
			}
		}
		if storage.len() != keys.len() {
			return Err(format!(
				"the node listed {} keys of block {hash:?} but gave values for {}",
				keys.len(),
				storage.len()
			));
		}
		Ok(Self { number, hash, state_root: header.state_root, storage })
	}
}

fn hex(key: &StorageKey) -> String {
	format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&key.0))
}
