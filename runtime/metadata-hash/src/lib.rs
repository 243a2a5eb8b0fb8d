//! This tree's runtime with its metadata hash compiled in, as the production node
//! (`--features metadata-hash`) carries it. `metadata-hash-wasm` prints its file's path for
//! `scripts/check-metadata-hash` and the node test that signs with the hash against it.

include!(concat!(env!("OUT_DIR"), "/wasm_binary_metadata_hash.rs"));
