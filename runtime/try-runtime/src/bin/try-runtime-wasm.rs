//! `try-runtime-wasm runtime|rehearsal`: the path of that try-runtime wasm as this build made
//! it, for `scripts/try-upgrade` and the node test (so neither guesses a path or takes a stale
//! file).

use std::process::ExitCode;

fn main() -> ExitCode {
	let which = std::env::args().nth(1).unwrap_or_default();
	let path = match which.as_str() {
		"runtime" if !smartblocks_runtime_try_runtime::LIVE => {
			eprintln!(
				"no runtime wasm: this build left it out; build the crate with its feature `live` \
				 (scripts/try-upgrade --uri does)"
			);
			return ExitCode::FAILURE;
		}
		"runtime" => smartblocks_runtime_try_runtime::runtime::WASM_BINARY_PATH,
		"rehearsal" => smartblocks_runtime_try_runtime::rehearsal::WASM_BINARY_PATH,
		_ => {
			eprintln!("usage: try-runtime-wasm runtime|rehearsal");
			return ExitCode::FAILURE;
		}
	};
	match path {
		Some(path) => {
			println!("{path}");
			ExitCode::SUCCESS
		}
		None => {
			eprintln!("no {which} wasm: this build skipped the wasm builds (SKIP_WASM_BUILD)");
			ExitCode::FAILURE
		}
	}
}
