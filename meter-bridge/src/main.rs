//! `meter-bridge`: the BlockMeter command line.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use meter_bridge::simulator::{Campus, CampusService, Fault};
use std::{
	net::SocketAddr,
	sync::Arc,
	time::{SystemTime, UNIX_EPOCH},
};
use tokio::net::TcpListener;
use tokio_modbus::server::tcp::Server;

#[derive(Parser)]
#[command(version, about = "BlockMeter: building meters to the SmartBlocks chain")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Serve a simulated campus over Modbus TCP: building b answers as unit b+1 with SunSpec
	/// at register 40000 and its outdoor temperature at input register 0.
	Simulate {
		/// Address to listen on.
		#[arg(long, default_value = "127.0.0.1:5020")]
		listen: SocketAddr,
		/// Buildings on the campus (at most 247, the Modbus unit ids).
		#[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u8).range(1..=247))]
		buildings: u8,
		/// Seed of the campus: the same seed gives the same campus.
		#[arg(long, default_value_t = 1)]
		seed: u64,
		/// Inject a fault: BUILDING:KIND with KIND one of stuck, reset, dropout, spike
		/// (buildings count from 0). Repeatable.
		#[arg(long, value_parser = parse_fault)]
		fault: Vec<(usize, Fault)>,
	},
}

fn parse_fault(text: &str) -> Result<(usize, Fault), String> {
	let (building, kind) = text.split_once(':').ok_or("expected BUILDING:KIND, e.g. 3:stuck")?;
	let building = building.parse().map_err(|_| format!("`{building}` is no building number"))?;
	let fault = match kind {
		"stuck" => Fault::Stuck,
		"reset" => Fault::CounterReset,
		"dropout" => Fault::Dropout,
		"spike" => Fault::Spike,
		other => return Err(format!("`{other}` is no fault: stuck, reset, dropout or spike")),
	};
	Ok((building, fault))
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	match Cli::parse().command {
		Command::Simulate { listen, buildings, seed, fault } => {
			let campus = Arc::new(Campus::new(seed, usize::from(buildings), now_ms()));
			for (building, kind) in fault {
				anyhow::ensure!(
					building < usize::from(buildings),
					"--fault {building}: the campus has buildings 0 to {}",
					buildings - 1
				);
				campus.set_fault(building, Some(kind), now_ms());
			}
			let listener = TcpListener::bind(listen)
				.await
				.with_context(|| format!("cannot listen on {listen}"))?;
			println!(
				"campus simulator: {buildings} buildings (seed {seed}) on {}",
				listener.local_addr()?
			);
			let server = Server::new(listener);
			let on_connected = |stream, _| {
				let service = CampusService::new(campus.clone(), now_ms);
				async move { Ok(Some((service, stream))) }
			};
			tokio::select! {
				served = server.serve(&on_connected, |error| eprintln!("connection failed: {error}")) => {
					served.context("the simulator stopped")?
				}
				_ = tokio::signal::ctrl_c() => {}
			}
			Ok(())
		}
	}
}
