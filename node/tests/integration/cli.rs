//! The node's command line as operators use it: chain specs, keys, and clear errors on bad input.

use crate::common::run_node;

fn stderr(output: &std::process::Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn build_spec_carries_the_token_properties_and_genesis_preset() {
	let out = run_node(&["build-spec", "--chain", "local", "--disable-default-bootnode"]);
	assert!(out.status.success(), "{}", stderr(&out));
	let spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(spec["id"], "smartblocks_local_testnet");
	assert_eq!(spec["properties"]["tokenSymbol"], "SBT");
	assert_eq!(spec["properties"]["tokenDecimals"], 12);
	assert_eq!(spec["properties"]["ss58Format"], 42);
}

#[test]
fn raw_chain_spec_round_trips_through_chain_flag() {
	let dir = tempfile::tempdir().unwrap();
	let out = run_node(&["build-spec", "--chain", "dev", "--raw", "--disable-default-bootnode"]);
	assert!(out.status.success(), "{}", stderr(&out));
	let spec = dir.path().join("dev-raw.json");
	std::fs::write(&spec, &out.stdout).unwrap();
	// `chain-info` opens the chain from the spec file, initialising the database from genesis.
	let base = dir.path().join("db");
	let info = run_node(&[
		"chain-info",
		"--chain",
		spec.to_str().unwrap(),
		"--base-path",
		base.to_str().unwrap(),
	]);
	assert!(info.status.success(), "{}", stderr(&info));
	let purge = run_node(&[
		"purge-chain",
		"-y",
		"--chain",
		spec.to_str().unwrap(),
		"--base-path",
		base.to_str().unwrap(),
	]);
	assert!(purge.status.success(), "{}", stderr(&purge));
}

#[test]
fn key_generate_prints_a_phrase_and_an_ss58_address() {
	let out = run_node(&["key", "generate", "--scheme", "sr25519", "--output-type", "json"]);
	assert!(out.status.success(), "{}", stderr(&out));
	let key: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(key["secretPhrase"].as_str().unwrap().split(' ').count(), 12);
	assert!(key["ss58Address"].as_str().unwrap().starts_with('5'));
}

#[cfg(not(feature = "runtime-benchmarks"))]
#[test]
fn benchmarks_say_which_build_has_them() {
	// The node the demo and the tests build leaves the benchmark CLI out; asking for it names the
	// build that has it, whatever the arguments.
	let out = run_node(&["benchmark", "machine", "--dev", "--allow-fail"]);
	assert!(!out.status.success());
	let err = stderr(&out);
	assert!(
		err.contains("`--features runtime-benchmarks`") && err.contains("scripts/bench-weights"),
		"{err}"
	);
}

#[test]
fn missing_chain_spec_file_is_named_in_the_error() {
	let out = run_node(&["--chain", "/nonexistent/smartblocks-spec.json", "--tmp"]);
	assert!(!out.status.success());
	let err = stderr(&out);
	assert!(err.contains("/nonexistent/smartblocks-spec.json"), "{err}");
	assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn corrupt_chain_spec_file_is_named_with_the_parse_error() {
	let dir = tempfile::tempdir().unwrap();
	let spec = dir.path().join("corrupt.json");
	std::fs::write(&spec, "{ \"name\": \"SmartBlocks\", ").unwrap();
	let out = run_node(&["--chain", spec.to_str().unwrap(), "--tmp"]);
	assert!(!out.status.success());
	let err = stderr(&out);
	assert!(err.contains(spec.to_str().unwrap()), "{err}");
	assert!(err.contains("is not valid"), "{err}");
}

#[test]
fn chain_spec_with_a_broken_genesis_is_refused_before_start() {
	let dir = tempfile::tempdir().unwrap();
	let out = run_node(&["build-spec", "--chain", "dev", "--disable-default-bootnode"]);
	assert!(out.status.success(), "{}", stderr(&out));
	let mut spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"] =
		serde_json::json!([["not-an-account", 5]]);
	let path = dir.path().join("broken-genesis.json");
	std::fs::write(&path, spec.to_string()).unwrap();

	let out = run_node(&["--chain", path.to_str().unwrap(), "--tmp"]);
	assert!(!out.status.success());
	let err = stderr(&out);
	assert!(err.contains(path.to_str().unwrap()), "{err}");
	assert!(err.contains("genesis the runtime cannot build"), "{err}");
	assert!(!err.contains("Database"), "the node opened a database first: {err}");
}

#[test]
fn a_wasmtime_cache_others_may_write_to_is_refused() {
	use std::os::unix::fs::PermissionsExt;
	let dir = tempfile::tempdir().unwrap();
	let cache = dir.path().join("cache");
	std::fs::create_dir(&cache).unwrap();
	std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o777)).unwrap();
	// Any command checks the flag before it does anything else.
	let out = run_node(&["build-spec", "--dev", "--wasmtime-cache", cache.to_str().unwrap()]);
	assert!(!out.status.success());
	assert!(
		stderr(&out).contains("others may write to this folder (mode 777)"),
		"{}",
		stderr(&out)
	);

	// Made by the node: only its user may enter it.
	let made = dir.path().join("made/by/the/node");
	let out = run_node(&["build-spec", "--dev", "--wasmtime-cache", made.to_str().unwrap()]);
	assert!(out.status.success(), "{}", stderr(&out));
	assert_eq!(std::fs::metadata(&made).unwrap().permissions().mode() & 0o777, 0o700);
}
