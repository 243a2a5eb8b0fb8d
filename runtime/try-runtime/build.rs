//! Builds `../Cargo.toml` (the runtime) for wasm with `try-runtime`: as the upgrade rehearsal
//! (one `spec_version` higher, with its migration: what the node test tries on a development
//! chain running this tree's runtime) and, with this crate's feature `live`, as it is (what
//! `scripts/try-upgrade --uri` tries on a live chain before the council votes for it). Each
//! carries its migrations' `pre_upgrade`/`post_upgrade` and every pallet's `try_state`, which
//! `smartblocks-node try-upgrade` runs. Its own crate, so that only `scripts/try-upgrade` and
//! `scripts/test` pay for these builds, not the node; the live one only when asked for, since
//! no test runs it (a further compile and optimisation of the runtime: about a CPU-minute here).

#[path = "../wasm_build.rs"]
mod wasm_build;

fn main() {
	// Canonical: the wasm builder finds the runtime among cargo's packages by this path.
	let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
	let runtime = std::fs::canonicalize(&manifest)
		.unwrap_or_else(|error| panic!("{}: {error}", manifest.display()));
	let _lock = wasm_build::WasmBuildLock::acquire();
	wasm_build::without_lint_wrapper();
	let mut builds =
		vec![("wasm_binary_try_runtime_rehearsal.rs", &["try-runtime", "upgrade-rehearsal"][..])];
	const LIVE_FILE: &str = "wasm_binary_try_runtime.rs";
	if std::env::var_os("CARGO_FEATURE_LIVE").is_some() {
		builds.push((LIVE_FILE, &["try-runtime"][..]));
	} else {
		// The crate's code is then the same with and without `live`: what scripts/test lints.
		wasm_build::write_without_wasm(LIVE_FILE);
	}
	for (file, features) in builds {
		let builder = match substrate_wasm_builder::WasmBuilder::new().with_project(&runtime) {
			Ok(builder) => builder,
			Err(error) => panic!("{}: {error}", runtime.display()),
		};
		// The flags the runtime's own builds have (`init_with_defaults`).
		let builder = builder.import_memory().export_heap_base().set_file_name(file);
		features.iter().fold(builder, |builder, feature| builder.enable_feature(*feature)).build();
	}
}
