//! Builds `../Cargo.toml` (the runtime) for wasm as `--features metadata-hash` does for the
//! production node: compiled once to read its metadata, then again with the metadata's hash
//! (RFC 78, with the token the chain spec names) in `RUNTIME_METADATA_HASH`, where the
//! `CheckMetadataHash` extension finds it.

#[path = "../wasm_build.rs"]
mod wasm_build;

#[path = "../src/token.rs"]
mod token;

fn main() {
	// Canonical: the wasm builder finds the runtime among cargo's packages by this path.
	let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
	let runtime = std::fs::canonicalize(&manifest)
		.unwrap_or_else(|error| panic!("{}: {error}", manifest.display()));
	// The runtime's workspace, whose lockfile the wasm build takes, is the repository's, not
	// this crate's (the scripts' `.cargo/config.toml` says so too, when cargo runs from there).
	if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
		let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
		std::env::set_var("WASM_BUILD_WORKSPACE_HINT", repository);
	}
	let _lock = wasm_build::WasmBuildLock::acquire();
	wasm_build::without_lint_wrapper();
	let builder = match substrate_wasm_builder::WasmBuilder::new().with_project(&runtime) {
		Ok(builder) => builder,
		Err(error) => panic!("{}: {error}", runtime.display()),
	};
	// The flags the runtime's own builds have (`init_with_defaults`); its own file name, so the
	// wasm the node includes is never overwritten.
	builder
		.import_memory()
		.export_heap_base()
		.set_file_name("wasm_binary_metadata_hash.rs")
		.enable_metadata_hash(token::TOKEN_SYMBOL, token::TOKEN_DECIMALS)
		.build();
}
