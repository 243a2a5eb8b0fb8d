//! What the build scripts that build the runtime for wasm (the runtime's own, the try-runtime
//! crate's and the metadata-hash crate's) share.
//!
//! One wasm build of the runtime at a time ([`WasmBuildLock`]). The three build the same project
//! (`wbuild/smartblocks-runtime`) with different features: the second would rewrite the
//! project's `Cargo.toml` while the first compiles it. Within one cargo run, the runtime's
//! `links` key orders try-runtime's after the runtime's; the metadata-hash crate is its own
//! workspace's, which another cargo may build at the same time (scripts/test does, behind the
//! tests).

// Each build script uses what it needs of this file.
#![allow(dead_code)]

/// Holds an exclusive lock on `wbuild/smartblocks-runtime.lock` until dropped.
pub struct WasmBuildLock(std::fs::File);

impl WasmBuildLock {
	/// Waits for the lock; panics (failing the build with the reason) if the lock file cannot
	/// be opened.
	pub fn acquire() -> Self {
		let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
		// OUT_DIR is <profile>/build/<crate>-<hash>/out; the wasm builder works in <profile>/wbuild.
		let Some(profile_dir) = out.ancestors().nth(3) else {
			panic!("OUT_DIR {} is not <profile>/build/<crate>/out", out.display());
		};
		let wbuild = profile_dir.join("wbuild");
		let path = wbuild.join("smartblocks-runtime.lock");
		let file = std::fs::create_dir_all(&wbuild)
			.and_then(|()| std::fs::OpenOptions::new().create(true).append(true).open(&path))
			.and_then(|file| file.lock().map(|()| file));
		match file {
			Ok(file) => Self(file),
			Err(error) => panic!("cannot lock {}: {error}", path.display()),
		}
	}
}

/// Leaves the lint wrapper (scripts/rustc-with-clippy, which scripts/env.sh sets for our crates)
/// out of the wasm build: the wasm builder's cargo inherits this process's environment, and its
/// compiler may be another tool chain's (scripts/setup's Debian fallback), against whose crates
/// the host's clippy driver cannot check. The runtime's code is linted in its native build.
pub fn without_lint_wrapper() {
	std::env::remove_var("RUSTC_WORKSPACE_WRAPPER");
}

/// Writes `file` in `OUT_DIR` as the wasm builder would for a build it skipped: every constant
/// `None`. For a wasm this build leaves out, so that the code including it is the same either way.
pub fn write_without_wasm(file: &str) {
	let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
	let none = "pub const WASM_BINARY_PATH: Option<&str> = None;\n\
	            pub const WASM_BINARY: Option<&[u8]> = None;\n\
	            pub const WASM_BINARY_BLOATY: Option<&[u8]> = None;\n";
	if let Err(error) = std::fs::write(out.join(file), none) {
		panic!("cannot write {file} in OUT_DIR: {error}");
	}
}
