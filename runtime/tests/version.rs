//! `spec_version` is bumped with every change of the runtime's sources: nodes pick the runtime
//! to run, and `system.applyAuthorizedUpgrade` accepts new code, by that number, so two different
//! runtimes must never share one.
//!
//! The check hashes what the runtime is built from: `runtime/`, `pallets/*`, `primitives/` and
//! `rules/` (manifests and sources, but not tests, mocks, benchmarks, the
//! try-runtime build, which the chain never runs, or the metadata-hash crate, which checks the
//! production build runtime/build.rs makes), and compares it with
//! `runtime/spec_version.lock`, written for the current `spec_version`. Any change there needs a
//! higher `spec_version` and a new record:
//!
//!   SMARTBLOCKS_BLESS=1 cargo test --release -p smartblocks-runtime --test version
//!
//! Sources, not the wasm: the wasm embeds the path of the clone it was built in, so its hash
//! differs between clones of the same commit. The dependencies' versions are not hashed (they
//! live in the workspace's manifest and lockfile with the bridge's and the tools'); an update of
//! polkadot-sdk changes the pallets and runtime too.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sp_io::hashing::blake2_256;
use std::path::{Path, PathBuf};

const LOCK: &str = "runtime/spec_version.lock";
/// What the runtime is built from, relative to the workspace.
const SOURCES: [&str; 4] = ["runtime", "pallets", "primitives", "rules"];
/// Files the chain never runs.
const NOT_RUNTIME: [&str; 3] = ["mock.rs", "tests.rs", "benchmarking.rs"];

fn workspace() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The runtime's source files under `dir`, relative to the workspace.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
	for entry in std::fs::read_dir(dir).unwrap() {
		let path = entry.unwrap().path();
		let name = path.file_name().unwrap().to_str().unwrap().to_owned();
		if path.is_dir() {
			// `runtime/try-runtime` builds a variant for `try-upgrade` that no chain runs;
			// `runtime/metadata-hash` the production build again, for its test.
			let not_runtime = ["tests", "target", "try-runtime", "metadata-hash"];
			if !not_runtime.contains(&name.as_str()) {
				collect(root, &path, files);
			}
		} else if (name.ends_with(".rs") || name == "Cargo.toml")
			&& !NOT_RUNTIME.contains(&name.as_str())
		{
			files.push(path.strip_prefix(root).unwrap().to_str().unwrap().replace('\\', "/"));
		}
	}
}

/// BLAKE2-256 over each source file's path and contents, in path order.
fn sources_hash() -> String {
	let root = workspace();
	let mut files = Vec::new();
	for dir in SOURCES {
		collect(&root, &root.join(dir), &mut files);
	}
	files.sort();
	let mut all = Vec::new();
	for file in &files {
		all.extend_from_slice(file.as_bytes());
		all.push(0);
		all.extend_from_slice(&blake2_256(&std::fs::read(root.join(file)).unwrap()));
	}
	hex(&blake2_256(&all))
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The recorded `spec_version` and sources hash.
fn recorded() -> (u32, String) {
	let text = std::fs::read_to_string(workspace().join(LOCK)).unwrap();
	let line = text.lines().find(|line| !line.starts_with('#') && !line.trim().is_empty());
	let mut fields = line.expect("a record line").split_whitespace();
	let version = fields.next().unwrap().parse().unwrap();
	(version, fields.next().unwrap().to_owned())
}

fn record(version: u32, hash: &str) {
	let text = format!(
		"# The runtime's sources at this spec_version (runtime/tests/version.rs checks them).\n\
		 # After a runtime change: bump spec_version in runtime/src/lib.rs, then run\n\
		 # SMARTBLOCKS_BLESS=1 cargo test --release --workspace --test version\n\
		 {version} {hash}\n"
	);
	std::fs::write(workspace().join(LOCK), text).unwrap();
}

#[test]
fn every_change_of_the_runtime_bumps_its_spec_version() {
	let version = smartblocks_runtime::VERSION.spec_version;
	let hash = sources_hash();
	let (recorded_version, recorded_hash) = recorded();
	let bless = std::env::var_os("SMARTBLOCKS_BLESS").is_some();
	match (version.cmp(&recorded_version), hash == recorded_hash) {
		(std::cmp::Ordering::Equal, true) => {}
		(std::cmp::Ordering::Equal, false) => panic!(
			"the runtime's sources changed since spec_version {version} was recorded in {LOCK}: \
			 bump spec_version in runtime/src/lib.rs, then record it (SMARTBLOCKS_BLESS=1)"
		),
		(std::cmp::Ordering::Greater, _) if bless => record(version, &hash),
		(std::cmp::Ordering::Greater, _) => panic!(
			"spec_version {version} is not recorded in {LOCK} (it holds {recorded_version}): \
			 record it with SMARTBLOCKS_BLESS=1"
		),
		(std::cmp::Ordering::Less, _) => panic!(
			"spec_version {version} is lower than {recorded_version}, recorded in {LOCK}: a chain \
			 never goes back"
		),
	}
}
