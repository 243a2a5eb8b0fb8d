//! Whether the portal reads the chain, as every page shows it.

use serde::{Deserialize, Serialize};

/// The state of the portal's connection to its node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum NodeStatus {
	/// Not connected yet.
	Connecting,
	/// Following finalized blocks; `block` is the latest one read.
	Live { block: u64 },
	/// The node did not answer; pages show the last block read.
	Down { reason: String },
}
