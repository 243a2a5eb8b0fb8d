//! Builds `../Cargo.toml` (the runtime) for wasm with `upgrade-rehearsal` and `try-runtime`:
//! the next runtime with its migration's `pre_upgrade`/`post_upgrade` and every pallet's
//! `try_state`, which `smartblocks-node try-upgrade` runs against a live chain's state. It is
//! its own crate so that only `scripts/try-upgrade` and `scripts/test` pay for it, not the node.

#[path = "../wasm_lock.rs"]
mod wasm_lock;

fn main() {
	// Canonical: the wasm builder finds the runtime among cargo's packages by this path.
	let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
	let runtime = std::fs::canonicalize(&manifest)
		.unwrap_or_else(|error| panic!("{}: {error}", manifest.display()));
	let _lock = wasm_lock::WasmBuildLock::acquire();
	match substrate_wasm_builder::WasmBuilder::new().with_project(&runtime) {
		Ok(builder) => builder
			.enable_feature("upgrade-rehearsal")
			.enable_feature("try-runtime")
			.set_file_name("wasm_binary_try_runtime.rs")
			.build(),
		Err(error) => panic!("{}: {error}", runtime.display()),
	}
}
