//! `try-runtime-wasm` names the files this build made: the rehearsal always, this tree's runtime
//! (a different one) with the feature `live`, and otherwise says how to get it.
//! (Being an integration test, it also has cargo build the binary that scripts/try-upgrade and
//! the node test ask.)

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn try_runtime_wasm(which: &str) -> Output {
	Command::new(env!("CARGO_BIN_EXE_try-runtime-wasm")).arg(which).output().unwrap()
}

fn path_of(which: &str) -> String {
	let output = try_runtime_wasm(which);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// `try-runtime-wasm which` names the file of the wasm the crate holds as `path` and `wasm`;
/// returns its bytes.
fn names_its_file(which: &str, path: Option<&str>, wasm: Option<&[u8]>) -> Vec<u8> {
	let named = path_of(which);
	assert_eq!(Some(named.as_str()), path);
	let bytes = std::fs::read(&named).unwrap();
	assert_eq!(bytes, wasm.unwrap());
	bytes
}

#[test]
fn try_runtime_wasm_names_the_files_this_build_made() {
	use smartblocks_runtime_try_runtime::rehearsal;
	names_its_file("rehearsal", rehearsal::WASM_BINARY_PATH, rehearsal::WASM_BINARY);
	assert!(!try_runtime_wasm("other").status.success());
}

/// With `live`, this tree's runtime is a file of its own; without, it is not built and the
/// binary says how to get it.
#[test]
fn it_names_this_trees_runtime_with_live_and_says_how_to_build_it_without() {
	use smartblocks_runtime_try_runtime::{rehearsal, runtime, LIVE};
	if LIVE {
		let live = names_its_file("runtime", runtime::WASM_BINARY_PATH, runtime::WASM_BINARY);
		assert_ne!(live, rehearsal::WASM_BINARY.unwrap());
	} else {
		assert_eq!(runtime::WASM_BINARY_PATH, None);
		let output = try_runtime_wasm("runtime");
		assert!(!output.status.success());
		assert!(String::from_utf8_lossy(&output.stderr).contains("feature `live`"));
	}
}
