//! Command-line interface: the standard Substrate node commands.

#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// JSON file of HTTP feed sources (market price, temperature, carbon intensity) whose values
	/// this node's oracle off-chain worker submits, signed with the keystore's `orcl` key. See
	/// the oracle pallet's `sources` documentation for the format.
	#[arg(long, value_name = "FILE")]
	pub oracle_sources: Option<std::path::PathBuf>,

	/// Base URL of a building's meter bridge (its `bridge.http`, e.g. `http://10.1.2.3:8088`)
	/// whose pending signed readings this node's off-chain worker pulls each block and submits
	/// as transactions the readings authorize: no account key on site or on the node. For a
	/// bridge that requires a token, the token file (mode 0600) after a space:
	/// `--meter-bridge "http://10.1.2.3:8088 /etc/smartblocks/bridge.token"`. Repeatable.
	/// Needs `--offchain-worker always` on a node that is not a validator.
	#[arg(long = "meter-bridge", value_name = "URL")]
	pub meter_bridges: Vec<String>,

	/// Folder (made if missing) where wasmtime keeps the machine code it compiles the chain's
	/// runtime to, so that the next start of this node, or of another given the same folder,
	/// loads it instead of compiling it again (about 3 CPU-seconds here; building a `--dev` or
	/// `--chain local` genesis still compiles the runtime once). Keyed by the runtime's code and
	/// wasmtime's version and settings. What it holds runs as the node's own code: a folder
	/// others may write to is refused; delete it if in doubt. A file that cannot be read or
	/// written only costs a compile. Also taken by check-block, export-blocks, export-state,
	/// import-blocks and revert.
	#[arg(long, value_name = "DIR", global = true)]
	pub wasmtime_cache: Option<std::path::PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities: generate, inspect and insert keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (JSON, or `--raw` storage) for `--chain`.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Build a consortium's raw chain specification from the TOML file its founders write.
	ConsortiumSpec(crate::consortium_spec::ConsortiumSpecCmd),

	/// Try a runtime upgrade, with every check, on a copy of a live chain's state.
	TryUpgrade(crate::try_upgrade::TryUpgradeCmd),

	/// Export a chain specification without starting a node.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmark pallets, blocks, extrinsics, storage and this machine.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Benchmarks: in the node built with `--features runtime-benchmarks` (scripts/bench-weights).
	#[cfg(not(feature = "runtime-benchmarks"))]
	Benchmark(BenchmarksNotBuiltIn),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// What `benchmark` takes in a node built without them: anything, so the answer says where they are.
#[cfg(not(feature = "runtime-benchmarks"))]
#[derive(Debug, clap::Args)]
pub struct BenchmarksNotBuiltIn {
	#[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
	pub args: Vec<String>,
}
