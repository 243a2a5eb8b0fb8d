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

#[test]
fn try_runtime_wasm_names_the_files_this_build_made() {
	let rehearsal = path_of("rehearsal");
	assert_eq!(
		Some(rehearsal.as_str()),
		smartblocks_runtime_try_runtime::rehearsal::WASM_BINARY_PATH
	);
	assert_eq!(
		std::fs::read(&rehearsal).unwrap(),
		smartblocks_runtime_try_runtime::rehearsal::WASM_BINARY.unwrap()
	);
	assert!(!try_runtime_wasm("other").status.success());
}

/// With `live`, this tree's runtime is a file of its own; without, it is not built and the
/// binary says how to get it.
#[test]
fn it_names_this_trees_runtime_with_live_and_says_how_to_build_it_without() {
	if smartblocks_runtime_try_runtime::LIVE {
		let runtime = path_of("runtime");
		assert_eq!(
			Some(runtime.as_str()),
			smartblocks_runtime_try_runtime::runtime::WASM_BINARY_PATH
		);
		assert_eq!(
			std::fs::read(&runtime).unwrap(),
			smartblocks_runtime_try_runtime::runtime::WASM_BINARY.unwrap()
		);
		assert_ne!(std::fs::read(&runtime).unwrap(), std::fs::read(path_of("rehearsal")).unwrap());
	} else {
		assert_eq!(smartblocks_runtime_try_runtime::runtime::WASM_BINARY_PATH, None);
		let output = try_runtime_wasm("runtime");
		assert!(!output.status.success());
		assert!(String::from_utf8_lossy(&output.stderr).contains("feature `live`"));
	}
}
