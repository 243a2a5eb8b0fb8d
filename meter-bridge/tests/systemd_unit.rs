//! The shipped systemd unit (`deploy/systemd/smartblocks-meter-bridge.service`) passes
//! `systemd-analyze verify` with its `ExecStart` pointed at this build's binary: no unknown key,
//! no bad value, an executable that exists. Skipped, saying so, where systemd is not installed.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
	path::{Path, PathBuf},
	process::Command,
};

const UNIT: &str = "smartblocks-meter-bridge.service";
const INSTALLED_BINARY: &str = "/usr/local/bin/meter-bridge";

#[test]
fn the_shipped_systemd_unit_passes_systemd_analyze_verify() {
	// The clone that runs the test (cargo and nextest set the variable), not the one that compiled
	// it: clones sharing a target folder reuse each other's test binaries, and the compiling
	// clone may be gone or hold another version of the unit.
	let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
		.map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(), PathBuf::from);
	let shipped = crate_dir.join("../deploy/systemd").join(UNIT);
	let text = std::fs::read_to_string(&shipped).unwrap();
	assert!(text.contains(&format!("ExecStart={INSTALLED_BINARY} run --config ")), "{text}");
	if Command::new("systemd-analyze").arg("--version").output().is_err() {
		eprintln!("skipped: systemd-analyze is not installed here");
		return;
	}
	let folder = tempfile::tempdir().unwrap();
	let unit = folder.path().join(UNIT);
	std::fs::write(&unit, text.replace(INSTALLED_BINARY, env!("CARGO_BIN_EXE_meter-bridge")))
		.unwrap();
	let output = Command::new("systemd-analyze").args(["verify", "--man=no"]).arg(&unit).output();
	let output = output.unwrap();
	let said = format!(
		"{}{}",
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	);
	assert!(output.status.success(), "systemd-analyze verify failed:\n{said}");
	assert!(said.trim().is_empty(), "systemd-analyze verify complained:\n{said}");
}
