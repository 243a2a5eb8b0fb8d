//! `meter-bridge`: the BlockMeter command line, one module per subcommand.

mod baseline;
mod forecast;
mod import;
mod input;
mod register;
mod simulate;

use clap::{Parser, Subcommand};
use meter_bridge::config::Config;
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(version, about = "BlockMeter: building meters to the SmartBlocks chain")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Poll the configured meters, sign and record every reading, and bring them to the chain.
	Run {
		/// The bridge's configuration.
		#[arg(long, short, default_value = "bridge.toml")]
		config: PathBuf,
	},
	/// Register the configured sites and meters on chain (with the meters' device keys, made if
	/// missing) for the member whose account signs; what is registered already is left alone.
	Register(register::Register),
	/// Fit a CalTRACK baseline of a site's use against outdoor temperature.
	Baseline {
		#[command(subcommand)]
		command: baseline::BaselineCommand,
	},
	/// Forecast a site's use hour by hour for the day after its data ends, from the hourly
	/// model fitted on its last eight weeks; without --site or --csv, every configured site's.
	Forecast(forecast::Forecast),
	/// Check the outbox, the archive of every reading sent, against the chain: each meter's
	/// accepted readings must reproduce its hash chain's day checkpoints and head; the first
	/// reading that differs is named. Exits with an error if any meter's archive differs.
	Verify {
		#[arg(long, short, default_value = "bridge.toml")]
		config: PathBuf,
		/// Verify this outbox file (a copy, or an archive handed to an auditor) instead of the
		/// configuration's; the running bridge holds its own.
		#[arg(long)]
		outbox: Option<PathBuf>,
	},
	/// Import a site's interval data from before the bridge read its meters (a utility's or an
	/// energy management system's exports) into the bridge's history store, where baselines
	/// and forecasts take the hours its own readings do not cover. Nothing goes on chain. Each
	/// file is checked whole: one with a mistake, named by line, imports nothing.
	Import(import::Import),
	/// The outbox's readings by status.
	Outbox {
		#[command(subcommand)]
		command: OutboxCommand,
	},
	/// Serve a simulated campus over Modbus TCP: building b answers as unit b+1 with SunSpec
	/// at register 40000 and its outdoor temperature at input register 0, the PV inverters of
	/// every third building as the units after the buildings'. While it runs, lines
	/// on stdin inject faults (`fault 3:reset`) and clear them (`clear 3`).
	Simulate(simulate::Simulate),
}

#[derive(Subcommand)]
enum OutboxCommand {
	/// Each meter's pending, accepted and rejected readings.
	Status {
		#[arg(long, short, default_value = "bridge.toml")]
		config: PathBuf,
	},
}

/// The bridge's configuration at `path`, checked.
fn load(path: &Path) -> anyhow::Result<Config> {
	Ok(Config::load(path)?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.init();
	match Cli::parse().command {
		Command::Run { config } => meter_bridge::run::run(load(&config)?).await,
		Command::Register(register) => register.run().await,
		Command::Baseline { command: baseline::BaselineCommand::Fit(fit) } => fit.run().await,
		Command::Forecast(forecast) => forecast.run().await,
		Command::Verify { config, outbox } => {
			let (report, all_match) =
				meter_bridge::verify::verify(&load(&config)?, outbox.as_deref()).await?;
			print!("{report}");
			anyhow::ensure!(all_match, "the archive differs from the chain");
			Ok(())
		}
		Command::Import(import) => import.run(),
		Command::Outbox { command: OutboxCommand::Status { config } } => {
			print!("{}", meter_bridge::status::outbox_status(&load(&config)?).await?);
			Ok(())
		}
		Command::Simulate(simulate) => simulate.run().await,
	}
}
