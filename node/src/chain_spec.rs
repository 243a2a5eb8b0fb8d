//! The chain specifications the node knows by name, built from the runtime's genesis presets.

use sc_service::{ChainType, Properties};
use smartblocks_runtime::{
	genesis_config_presets::get_preset, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY,
};
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_runtime::BuildStorage;
use std::path::PathBuf;

/// A chain specification of this node; no client extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// How wallets show balances and addresses of this chain.
pub fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "this node was built without the runtime's wasm blob".to_string())
}

/// The runtime's preset `name` as the genesis patch the spec carries. The same code the wasm's
/// `get_preset` runs, compiled into the node: a spec naming the preset instead would have the
/// genesis build compile the runtime twice (once to ask for the preset, once to build it), about
/// 3 CPU-seconds more for every start of a node and every `build-spec` here.
fn preset_patch(name: &str) -> Result<serde_json::Value, String> {
	let json = get_preset(&PresetId::from(name))
		.ok_or_else(|| format!("the runtime has no genesis preset `{name}`"))?;
	serde_json::from_slice(&json).map_err(|e| format!("the runtime's preset `{name}`: {e}"))
}

/// One validator with sudo, for one developer's machine (`--dev`).
pub fn development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("SmartBlocks Development")
		.with_id("smartblocks_dev")
		.with_protocol_id("sbt-dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_patch(preset_patch(DEV_RUNTIME_PRESET)?)
		.with_properties(properties())
		.build())
}

/// Four validators, Alice to Dave, and no sudo key (`--chain local`).
pub fn local_testnet() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("SmartBlocks Local Testnet")
		.with_id("smartblocks_local_testnet")
		.with_protocol_id("sbt-local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_patch(preset_patch(LOCAL_TESTNET_RUNTIME_PRESET)?)
		.with_properties(properties())
		.build())
}

/// A chain specification from a JSON file, with an error that names the file and the problem.
///
/// Its genesis is built once here, so a spec whose runtime code or genesis config is broken is
/// refused before the node opens a database.
pub fn from_file(path: &str) -> Result<ChainSpec, String> {
	let file = PathBuf::from(path);
	if !file.is_file() {
		return Err(format!(
			"chain spec `{path}` does not exist or is not a file; pass `--chain dev`, \
			 `--chain local` or the path of a chain spec JSON file"
		));
	}
	let spec = ChainSpec::from_json_file(file)
		.map_err(|e| format!("chain spec `{path}` is not valid: {e}"))?;
	spec.build_storage()
		.map_err(|e| format!("chain spec `{path}` has a genesis the runtime cannot build: {e}"))?;
	Ok(spec)
}
