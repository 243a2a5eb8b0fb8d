//! Runs the subcommand the command line asked for.

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use smartblocks_runtime::opaque::Block;
use std::path::{Path, PathBuf};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"SmartBlocks Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"the SmartBlocks consortium's issue tracker".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" | "development" => Box::new(chain_spec::development()?),
			"" | "local" | "local_testnet" => Box::new(chain_spec::local_testnet()?),
			path => Box::new(chain_spec::from_file(path)?),
		})
	}
}

/// Parses the command line and runs what it asks for.
/// Runs the node on the libp2p network back end unless `--network-backend` says otherwise: the
/// registry's node allowlist must drop a suspended member's node, and litep2p's peer set
/// (sc-network 0.60) never closes a peer removed from the reserved set in reserved-only mode.
/// Clap cannot tell its default from an explicit flag, hence the look at the raw arguments.
fn prefer_libp2p(cli: &mut Cli) {
	let explicit = std::env::args_os().any(|arg| {
		arg.to_str()
			.is_some_and(|arg| arg == "--network-backend" || arg.starts_with("--network-backend="))
	});
	if !explicit {
		cli.run.network_params.network_backend = sc_cli::NetworkBackendType::Libp2p;
	}
}

/// `--wasmtime-cache`, made if missing (only the node's user may enter it) and absolute: wasmtime
/// takes no relative folder, and the executor would only log that and compile every time. A
/// folder others may write to is refused, since what it holds runs as the node's own code.
fn wasmtime_cache(dir: Option<&Path>) -> sc_cli::Result<Option<PathBuf>> {
	let Some(dir) = dir else { return Ok(None) };
	let refused = |problem: String| {
		sc_cli::Error::Input(format!("--wasmtime-cache {}: {problem}", dir.display()))
	};
	let mut folder = std::fs::DirBuilder::new();
	folder.recursive(true);
	#[cfg(unix)]
	std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
	folder.create(dir).map_err(|e| refused(e.to_string()))?;
	let dir = std::path::absolute(dir).map_err(|e| refused(e.to_string()))?;
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let metadata = std::fs::metadata(&dir).map_err(|e| refused(e.to_string()))?;
		let mode = metadata.permissions().mode() & 0o777;
		if mode & 0o022 != 0 {
			return Err(refused(format!(
				"others may write to this folder (mode {mode:o}), and what it holds runs as the \
				 node's code; `chmod go-w` it or choose another"
			)));
		}
	}
	Ok(Some(dir))
}

pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	prefer_libp2p(&mut cli);
	let wasmtime_cache = wasmtime_cache(cli.wasmtime_cache.as_deref())?;

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::ConsortiumSpec(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::TryUpgrade(cmd)) => {
			// The runtime's own log lines: which migration ran, which check failed and why.
			sc_cli::LoggerBuilder::new("warn,runtime=info").init()?;
			cmd.run().map_err(sc_cli::Error::Input)
		}
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config, wasmtime_cache.as_deref())?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } =
					service::new_partial(&config, wasmtime_cache.as_deref())?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		}
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } =
					service::new_partial(&config, wasmtime_cache.as_deref())?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		}
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config, wasmtime_cache.as_deref())?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config, wasmtime_cache.as_deref())?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		}
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| crate::benchmarking::run(cmd, config))
		}
		#[cfg(not(feature = "runtime-benchmarks"))]
		Some(Subcommand::Benchmark(_)) => Err("this node is built without its benchmarks: \
			`benchmark pallet|overhead|machine|storage|block|extrinsic` are in the node built with \
			`--features runtime-benchmarks` (scripts/bench-weights builds it, or `cargo build \
			--release -p smartblocks-node --features runtime-benchmarks`)"
			.into()),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		}
		None => {
			let offchain = crate::offchain_settings::OffchainSettings::new(
				cli.oracle_sources.as_deref(),
				&cli.meter_bridges,
			)?;
			let runner = cli.create_runner(&cli.run)?;
			let wasmtime_cache = wasmtime_cache.as_deref();
			runner.run_node_until_exit(|config| async move {
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => {
						service::new_full::<
							sc_network::NetworkWorker<
								Block,
								<Block as sp_runtime::traits::Block>::Hash,
							>,
						>(config, offchain, wasmtime_cache)
						.map_err(sc_cli::Error::Service)
					}
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(
							config,
							offchain,
							wasmtime_cache,
						)
						.map_err(sc_cli::Error::Service)
					}
				}
			})
		}
	}
}
