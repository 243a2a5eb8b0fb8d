//! The refusals that need no try-runtime build; `node/tests/integration/try_upgrade.rs` runs the upgrade.

use super::*;
use sp_core::H256;
use sp_runtime::BuildStorage;

/// The development chain's genesis state, as a node would serve it, with its true root.
fn genesis() -> Snapshot {
	let storage = crate::chain_spec::development()
		.and_then(|spec| spec.build_storage())
		.unwrap_or_else(|e| panic!("development genesis: {e}"));
	let ext = TestExternalities::<BlakeTwo256>::new_with_code_and_state(
		&storage.top[well_known_keys::CODE],
		storage.clone(),
		sp_runtime::StateVersion::V1,
	);
	let state_root = *ext.backend.root();
	Snapshot { number: 0, hash: H256::repeat_byte(1), state_root, storage: storage.top }
}

fn refusal(snapshot: Snapshot, code: &[u8]) -> String {
	match try_upgrade(snapshot, code, Checks::All) {
		Ok(outcome) => panic!("the upgrade passed: {outcome:?}"),
		Err(reason) => reason,
	}
}

fn rehearsal() -> &'static [u8] {
	smartblocks_runtime::upgrade_rehearsal::WASM_BINARY.unwrap_or_else(|| panic!("no rehearsal"))
}

#[test]
fn checks_are_encoded_as_frame_supports_upgrade_check_select() {
	let encoded: Vec<u8> = [Checks::None, Checks::All, Checks::PreAndPost, Checks::TryState]
		.map(|c| c.encoded()[0])
		.into();
	assert_eq!(encoded, vec![0, 1, 2, 3]);
}

#[test]
fn a_state_that_does_not_hash_to_the_blocks_root_is_refused() {
	let mut snapshot = genesis();
	let key = snapshot.storage.keys().find(|k| k.as_slice() != well_known_keys::CODE).cloned();
	snapshot.storage.remove(&key.unwrap_or_else(|| panic!("genesis holds only the code")));
	let reason = refusal(snapshot, rehearsal());
	assert!(reason.contains("the node served an incomplete or changing state"), "{reason}");
}

#[test]
fn a_state_without_runtime_code_is_refused() {
	let mut snapshot = genesis();
	snapshot.storage.remove(well_known_keys::CODE);
	assert_eq!(refusal(snapshot, rehearsal()), "the state has no runtime code");
}

#[test]
fn a_runtime_no_newer_than_the_chains_is_refused() {
	let code = smartblocks_runtime::WASM_BINARY.unwrap_or_else(|| panic!("no runtime"));
	let reason = refusal(genesis(), code);
	assert!(reason.contains("is not above the chain's"), "{reason}");
}

#[test]
fn a_runtime_built_without_try_runtime_is_refused() {
	assert_eq!(
		refusal(genesis(), rehearsal()),
		"the new runtime was not built with the try-runtime feature"
	);
}

#[test]
fn a_file_that_is_not_a_runtime_is_refused() {
	let reason = refusal(genesis(), b"not wasm");
	assert!(reason.starts_with("the new runtime's version cannot be read"), "{reason}");
}
