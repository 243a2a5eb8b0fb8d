//! `metadata-hash-wasm`: the path of the runtime with its metadata hash as this build made it,
//! so no script guesses a path or takes a stale file.

use std::process::ExitCode;

fn main() -> ExitCode {
	match smartblocks_runtime_metadata_hash::WASM_BINARY_PATH {
		Some(path) => {
			println!("{path}");
			ExitCode::SUCCESS
		}
		None => {
			eprintln!("no wasm: this build skipped the wasm builds (SKIP_WASM_BUILD)");
			ExitCode::FAILURE
		}
	}
}
