//! `--oracle-sources FILE`: the HTTP feeds this node's oracle off-chain worker fetches.
//!
//! The file is checked before the node starts, so a mistake stops it with the file and the
//! problem, and is then written to offchain storage, where the worker reads it and where
//! `offchain_localStorageSet` can replace it while the node runs.

use pallet_energy_oracle::sources::{parse_sources, SOURCES_KEY};
use sp_core::offchain::{OffchainStorage, STORAGE_PREFIX};
use std::path::Path;

/// The file's sources, checked: (JSON text, number of sources).
pub fn read(path: &Path) -> Result<(Vec<u8>, usize), String> {
	let json = std::fs::read(path)
		.map_err(|e| format!("--oracle-sources {}: cannot read: {e}", path.display()))?;
	let sources =
		parse_sources(&json).map_err(|e| format!("--oracle-sources {}: {e}", path.display()))?;
	Ok((json, sources.len()))
}

/// Puts the sources where the worker reads them.
pub fn store(storage: Option<impl OffchainStorage>, json: &[u8]) -> Result<(), String> {
	let mut storage = storage.ok_or("this node's database has no offchain storage")?;
	storage.set(STORAGE_PREFIX, SOURCES_KEY, json);
	Ok(())
}
