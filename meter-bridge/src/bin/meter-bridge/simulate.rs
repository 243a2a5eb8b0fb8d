//! `meter-bridge simulate`: a simulated campus served over Modbus, with its feeds, its past
//! and the configurations that read it.

use anyhow::Context as _;
use clap::Args;
use meter_bridge::{
	config::Parity,
	run::now_ms,
	simulator::{
		ems, feeds, Campus, CampusService, Fault, CAMPUS_TIME_ZONE, EMS_BUILDING, MAX_BUILDINGS,
	},
};
use std::{
	net::SocketAddr,
	path::{Path, PathBuf},
	sync::Arc,
};
use tokio::net::TcpListener;

#[derive(Args)]
pub struct Simulate {
	/// Address to listen on.
	#[arg(long, default_value = "127.0.0.1:5020")]
	listen: SocketAddr,
	/// Buildings on the campus (at most 185: they and the PV inverters of every third one
	/// take the 247 Modbus unit ids).
	#[arg(
		long,
		default_value_t = 50,
		value_parser = clap::value_parser!(u8).range(1..=MAX_BUILDINGS as i64)
	)]
	buildings: u8,
	/// Seed of the campus: the same seed gives the same campus.
	#[arg(long, default_value_t = 1)]
	seed: u64,
	/// Inject a fault: BUILDING:KIND with KIND one of stuck, reset, dropout, spike
	/// (buildings count from 0). Repeatable.
	#[arg(long, value_parser = parse_fault)]
	fault: Vec<(usize, Fault)>,
	/// Serve the campus over Modbus RTU on this serial port (e.g. one end of a socat pty
	/// pair) instead of TCP.
	#[arg(long)]
	serial: Option<PathBuf>,
	/// The serial port's baud rate (8 data bits, no parity, one stop bit).
	#[arg(long, default_value_t = 9600)]
	baud: u32,
	/// Write a bridge configuration for the campus to this file and exit.
	#[arg(long)]
	write_config: Option<PathBuf>,
	/// The node the written configuration points the bridge at.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// The poll interval the written configuration sets.
	#[arg(long, default_value_t = 15)]
	poll_seconds: u32,
	/// The address the written configuration serves the bridge's HTTP on (`bridge.http`:
	/// status, history and forecasts).
	#[arg(long)]
	http: Option<SocketAddr>,
	/// Also serve the campus's hourly outdoor temperature, day-ahead prices and grid carbon
	/// intensity over HTTP on this address (`/temperature`, `/price`, `/carbon`).
	#[arg(long)]
	feeds: Option<SocketAddr>,
	/// Write the node's oracle sources (`--oracle-sources`) for the feeds at `--feeds` to
	/// this file and exit.
	#[arg(long, requires = "feeds")]
	write_sources: Option<PathBuf>,
	/// Write each building's past (`--history-days` up to this hour) into this directory
	/// and exit: the utility's Green Button export of its grid connection
	/// (`building-NN-utility.xml`) and the site's CSV of generation and outdoor temperature
	/// (`building-NN-site.csv`), for `meter-bridge import`.
	#[arg(long)]
	write_history: Option<PathBuf>,
	/// Days of the past `--write-history` writes.
	#[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=3660))]
	history_days: u32,
	/// The folder building-01's energy management system exports its HVAC sub-meter's log
	/// into (`building-01-hvac/`, a CSV file each 15 minutes, from the interval ending at the
	/// start of yesterday, UTC, when its retrofit was commissioned); with `--write-config`,
	/// the configuration reads it as a CSV meter.
	#[arg(long)]
	ems_export: Option<PathBuf>,
}

impl Simulate {
	/// Writes the files asked for and exits, or serves the campus until interrupted.
	pub async fn run(self) -> anyhow::Result<()> {
		let buildings = self.buildings;
		// The simulator writes where the bridge, reading the config, looks: one absolute path.
		let ems_export = self
			.ems_export
			.as_ref()
			.map(|root| {
				anyhow::ensure!(
					usize::from(buildings) > EMS_BUILDING,
					"--ems-export: building-{EMS_BUILDING:02} exports, and the campus has \
					 {buildings} building(s)"
				);
				std::path::absolute(root)
					.with_context(|| format!("--ems-export {}: no such path", root.display()))
			})
			.transpose()?;
		let campus = Arc::new(Campus::new(self.seed, usize::from(buildings), now_ms()));
		if self.write_files(&campus, ems_export.as_deref())? {
			return Ok(());
		}
		if let Some(address) = self.feeds {
			let listener = TcpListener::bind(address)
				.await
				.with_context(|| format!("cannot serve the feeds on {address}"))?;
			println!(
				"campus feeds: http://{}/temperature, /temperature-forecast, /price and /carbon",
				listener.local_addr()?
			);
			let campus = campus.clone();
			tokio::spawn(async move {
				if let Err(error) = feeds::serve(campus, listener, now_ms).await {
					eprintln!("{error:#}");
				}
			});
		}
		for &(building, kind) in &self.fault {
			anyhow::ensure!(
				building < usize::from(buildings),
				"--fault {building}: the campus has buildings 0 to {}",
				buildings - 1
			);
			campus.set_fault(building, Some(kind), now_ms());
		}
		if let Some(root) = ems_export {
			tokio::spawn(ems::export(campus.clone(), root, now_ms));
		}
		tokio::spawn(take_commands(campus.clone()));
		match &self.serial {
			Some(path) => self.serve_rtu(campus, path).await,
			None => self.serve_tcp(campus).await,
		}
	}

	/// Writes the configuration, oracle sources and history asked for; whether any was.
	fn write_files(&self, campus: &Campus, ems_export: Option<&Path>) -> anyhow::Result<bool> {
		let buildings = self.buildings;
		let write = |file: &Path, text: String, what: &str| -> anyhow::Result<()> {
			std::fs::write(file, text)
				.with_context(|| format!("{}: cannot write", file.display()))?;
			println!("{}: {what}", file.display());
			Ok(())
		};
		if let Some(file) = &self.write_config {
			let text = campus.bridge_config(
				self.listen,
				&self.node,
				self.poll_seconds,
				self.http,
				ems_export,
			);
			write(file, text, &format!("a bridge configuration for {buildings} buildings"))?;
		}
		if let (Some(file), Some(address)) = (&self.write_sources, self.feeds) {
			let text = campus.oracle_sources(address);
			write(file, text, &format!("oracle sources for the feeds at {address}"))?;
		}
		if let Some(directory) = &self.write_history {
			let days = self.history_days;
			let written = campus
				.write_history(directory, now_ms(), days, CAMPUS_TIME_ZONE)
				.with_context(|| format!("{}: cannot write the history", directory.display()))?;
			println!(
				"{}: {days} days of {buildings} buildings ({} files)",
				directory.display(),
				written.len()
			);
			if usize::from(buildings) > EMS_BUILDING {
				let retrofit = i64::try_from(campus.retrofit_minute() * 60).unwrap_or_default();
				let day = chrono::DateTime::from_timestamp(retrofit, 0).unwrap_or_default();
				println!(
					"building-{EMS_BUILDING:02}'s HVAC plant was retrofitted on {} (UTC); \
					 building-{EMS_BUILDING:02}-hvac.csv is its year before",
					day.format("%Y-%m-%d")
				);
			}
		}
		Ok(self.write_config.is_some()
			|| self.write_sources.is_some()
			|| self.write_history.is_some())
	}

	/// Serves the campus over Modbus RTU on the serial port at `path` until interrupted.
	async fn serve_rtu(&self, campus: Arc<Campus>, path: &Path) -> anyhow::Result<()> {
		let (buildings, seed, baud) = (self.buildings, self.seed, self.baud);
		let shown = path.display().to_string();
		let port = meter_bridge::modbus::open_serial(&shown, baud, Parity::None)
			.with_context(|| format!("{shown}: cannot open the serial port"))?;
		println!(
			"campus simulator: {buildings} buildings (seed {seed}) on {shown} (Modbus RTU, {baud} \
			 baud)"
		);
		let server = tokio_modbus::server::rtu::Server::new(port);
		let service = CampusService::new(campus, now_ms);
		tokio::select! {
			served = server.serve_forever(service) => served.context("the simulator stopped")?,
			_ = tokio::signal::ctrl_c() => {}
		}
		Ok(())
	}

	/// Serves the campus over Modbus TCP until interrupted.
	async fn serve_tcp(&self, campus: Arc<Campus>) -> anyhow::Result<()> {
		let listen = self.listen;
		let listener = TcpListener::bind(listen)
			.await
			.with_context(|| format!("cannot listen on {listen}"))?;
		println!(
			"campus simulator: {} buildings (seed {}) on {}",
			self.buildings,
			self.seed,
			listener.local_addr()?
		);
		let server = tokio_modbus::server::tcp::Server::new(listener);
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

/// Reads the simulator's commands from stdin while it serves: `fault BUILDING:KIND` injects a
/// fault, `clear BUILDING` ends it; each is answered on stdout.
async fn take_commands(campus: Arc<Campus>) {
	use tokio::io::AsyncBufReadExt;
	let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
	while let Ok(Some(line)) = lines.next_line().await {
		match command(&campus, line.trim()) {
			Ok(done) => println!("{done}"),
			Err(problem) => println!("error: {problem}"),
		}
	}
}

fn command(campus: &Campus, line: &str) -> Result<String, String> {
	let count = campus.buildings().len();
	let check = |building: usize| {
		(building < count)
			.then_some(building)
			.ok_or(format!("building {building}: the campus has buildings 0 to {}", count - 1))
	};
	match line.split_once(' ') {
		Some(("fault", fault)) => {
			let (building, kind) = parse_fault(fault.trim())?;
			campus.set_fault(check(building)?, Some(kind), now_ms());
			Ok(format!("building {building}: {kind:?} from now"))
		}
		Some(("clear", building)) => {
			let building = building
				.trim()
				.parse()
				.map_err(|_| format!("`{building}` is no building number"))?;
			campus.set_fault(check(building)?, None, now_ms());
			Ok(format!("building {building}: no fault from now"))
		}
		_ => Err(format!("`{line}`: commands are `fault BUILDING:KIND` and `clear BUILDING`")),
	}
}
