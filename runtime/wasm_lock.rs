//! One wasm build of the runtime at a time. The runtime's own build script and those of the
//! try-runtime and metadata-hash crates build the same project (`wbuild/smartblocks-runtime`)
//! with different features: the second would rewrite the project's `Cargo.toml` while the first
//! compiles it. Within one cargo run, the runtime's `links` key orders try-runtime's after the
//! runtime's; the metadata-hash crate is its own workspace's, which another cargo may build at
//! the same time (scripts/test does, behind the tests).

/// Holds an exclusive lock on `wbuild/smartblocks-runtime.lock` until dropped.
pub struct WasmBuildLock(#[allow(dead_code)] std::fs::File);

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
