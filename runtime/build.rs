#[cfg(feature = "std")]
#[path = "wasm_build.rs"]
mod wasm_build;

#[cfg(all(feature = "std", feature = "metadata-hash"))]
#[path = "src/token.rs"]
mod token;

fn main() {
	#[cfg(feature = "std")]
	let _lock = wasm_build::WasmBuildLock::acquire();
	#[cfg(feature = "std")]
	wasm_build::without_lint_wrapper();

	#[cfg(all(feature = "std", feature = "metadata-hash"))]
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash(token::TOKEN_SYMBOL, token::TOKEN_DECIMALS)
		.build();

	#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
	substrate_wasm_builder::WasmBuilder::build_using_defaults();

	#[cfg(feature = "std")]
	upgrade_rehearsal();
}

/// The runtime once more with the `upgrade-rehearsal` feature: one `spec_version` higher and
/// with one storage migration, the code the node tests upgrade a running network to
/// (`smartblocks_runtime::upgrade_rehearsal::WASM_BINARY`). The operators' metadata-hash
/// build and the benchmarks' build have no use for it and leave it out (`None`).
#[cfg(feature = "std")]
fn upgrade_rehearsal() {
	const FILE: &str = "wasm_binary_upgrade_rehearsal.rs";

	#[cfg(not(any(feature = "metadata-hash", feature = "runtime-benchmarks")))]
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_feature("upgrade-rehearsal")
		.set_file_name(FILE)
		.build();

	#[cfg(any(feature = "metadata-hash", feature = "runtime-benchmarks"))]
	wasm_build::write_without_wasm(FILE);
}
