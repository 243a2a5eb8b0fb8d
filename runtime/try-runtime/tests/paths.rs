//! `try-runtime-wasm` names the files this build made, and they hold two different runtimes.
//! (Being an integration test, it also has cargo build the binary that scripts/try-upgrade and
//! the node test ask.)

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn path_of(which: &str) -> String {
	let output = Command::new(env!("CARGO_BIN_EXE_try-runtime-wasm")).arg(which).output().unwrap();
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	String::from_utf8(output.stdout).unwrap().trim().to_string()
}

#[test]
fn try_runtime_wasm_names_the_files_this_build_made() {
	let runtime = path_of("runtime");
	let rehearsal = path_of("rehearsal");
	assert_eq!(Some(runtime.as_str()), smartblocks_runtime_try_runtime::runtime::WASM_BINARY_PATH);
	assert_eq!(
		std::fs::read(&runtime).unwrap(),
		smartblocks_runtime_try_runtime::runtime::WASM_BINARY.unwrap()
	);
	assert_eq!(
		std::fs::read(&rehearsal).unwrap(),
		smartblocks_runtime_try_runtime::rehearsal::WASM_BINARY.unwrap()
	);
	assert_ne!(std::fs::read(&runtime).unwrap(), std::fs::read(&rehearsal).unwrap());
	let wrong = Command::new(env!("CARGO_BIN_EXE_try-runtime-wasm")).arg("other").output().unwrap();
	assert!(!wrong.status.success());
}
