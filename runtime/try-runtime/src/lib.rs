//! The upgrade rehearsal's runtime (one `spec_version` above the runtime's) built with
//! `try-runtime`: [`WASM_BINARY`] and the file it was read from, [`WASM_BINARY_PATH`].
//! `scripts/try-upgrade` hands the file to `smartblocks-node try-upgrade`. Never put this code
//! on a chain: its checks are not weighed.

include!(concat!(env!("OUT_DIR"), "/wasm_binary_try_runtime.rs"));
