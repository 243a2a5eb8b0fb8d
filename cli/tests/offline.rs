//! What `smartblocks` refuses before it reaches a node: each mistake named, nothing sent.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

const CLI: &str = env!("CARGO_BIN_EXE_smartblocks");
/// No node listens here: a command that got this far would fail to connect instead.
const NO_NODE: &str = "ws://127.0.0.1:9";

fn smartblocks(args: &[&str]) -> Output {
	Command::new(CLI).args(["--node", NO_NODE]).args(args).output().unwrap()
}

fn refusal(output: &Output) -> String {
	assert!(!output.status.success(), "accepted: {}", String::from_utf8_lossy(&output.stdout));
	String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unknown_role_is_named_with_the_roles_there_are() {
	let args = ["member", "apply", "--suri", "//Bob", "--name", "Bob", "--role", "Landlord"];
	let error = refusal(&smartblocks(&args));
	assert!(error.contains("--role Landlord: not a role"), "{error}");
	assert!(error.contains("BuildingOwner"), "{error}");
}

#[test]
fn a_draft_that_is_not_json_is_named_by_its_path() {
	let dir = tempfile::tempdir().unwrap();
	let draft = dir.path().join("draft.json");
	std::fs::write(&draft, "template = 'EnergyPerformance/1'").unwrap();
	let path = draft.to_str().unwrap();
	let error = refusal(&smartblocks(&["contract", "propose", "--suri", "//Alice", path]));
	assert!(error.contains(&format!("{path}: not a contract draft")), "{error}");
	let missing = dir.path().join("missing.json");
	let missing = missing.to_str().unwrap();
	let error = refusal(&smartblocks(&["contract", "propose", "--suri", "//Alice", missing]));
	assert!(error.contains(&format!("{missing}: cannot read the draft")), "{error}");
}

#[test]
fn a_bad_secret_uri_is_refused() {
	let error = refusal(&smartblocks(&["contract", "sign", "--suri", "not a key", "3"]));
	assert!(error.contains("--suri"), "{error}");
}
