//! `meter-bridge`: the BlockMeter command line.

use anyhow::Context as _;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use meter_bridge::{
	baseline::{
		daily, forecast, hourly, report::FitReport, reporting::ReportingPeriod, series::Series,
		source, sufficiency, FitError,
	},
	config::{Config, Parity},
	import,
	run::now_ms,
	simulator::{
		ems, feeds, Campus, CampusService, Fault, CAMPUS_TIME_ZONE, EMS_BUILDING, MAX_BUILDINGS,
	},
};
use smartblocks_client::subxt_signer::{sr25519::Keypair, SecretUri};
use std::{
	net::SocketAddr,
	path::{Path, PathBuf},
	str::FromStr,
	sync::Arc,
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
	/// Poll the configured meters, sign and record every reading, and bring them to the chain.
	Run {
		/// The bridge's configuration.
		#[arg(long, short, default_value = "bridge.toml")]
		config: PathBuf,
	},
	/// Register the configured sites and meters on chain (with the meters' device keys, made if
	/// missing) for the member whose account signs; what is registered already is left alone.
	Register {
		#[arg(long, short, default_value = "bridge.toml")]
		config: PathBuf,
		/// The signing account's secret URI (a mnemonic, a 0x seed, or `//Alice` on a dev chain).
		#[arg(long, env = "SMARTBLOCKS_SURI", hide_env_values = true)]
		suri: String,
		/// Register only this configured site and its meters (repeat for several): sites of
		/// different owners register with each owner's account.
		#[arg(long = "site")]
		sites: Vec<String>,
	},
	/// Fit a CalTRACK baseline of a site's use against outdoor temperature.
	Baseline {
		#[command(subcommand)]
		command: BaselineCommand,
	},
	/// Forecast a site's use hour by hour for the day after its data ends, from the hourly
	/// model fitted on its last eight weeks; without --site or --csv, every configured site's.
	Forecast {
		#[command(flatten)]
		input: Input,
		/// Forecast temperatures: CSV with `start` and `temperature_c` or `temperature_f` per
		/// hour. Hours it leaves out take the same hour's temperature on the last day measured.
		#[arg(long)]
		temperatures: Option<PathBuf>,
		/// Print JSON instead of a table.
		#[arg(long)]
		json: bool,
	},
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
	Import {
		#[arg(long, short, default_value = "bridge.toml")]
		config: PathBuf,
		/// The configured site the files measure.
		#[arg(long)]
		site: String,
		/// Green Button (ESPI XML: forward and reverse flow, Wh, in UTC) or CSV: `start`,
		/// optionally `end` (else each row is an hour), any of `energy` (the site's use),
		/// `import`, `export`, `generation` as `_wh` or `_kwh`, and `temperature_c` or
		/// `temperature_f`.
		#[arg(required = true)]
		files: Vec<PathBuf>,
		/// CSV times are local times on the site's clock in this format (e.g.
		/// "%Y-%m-%d %H:%M"); without it, RFC 3339 with offset.
		#[arg(long)]
		time_format: Option<String>,
		/// Take the file's values for hours the store holds with others (a utility's corrected
		/// data); without it, such a file is refused whole.
		#[arg(long)]
		replace: bool,
	},
	/// The outbox's readings by status.
	Outbox {
		#[command(subcommand)]
		command: OutboxCommand,
	},
	/// Serve a simulated campus over Modbus TCP: building b answers as unit b+1 with SunSpec
	/// at register 40000 and its outdoor temperature at input register 0, the PV inverters of
	/// every third building as the units after the buildings'. While it runs, lines
	/// on stdin inject faults (`fault 3:reset`) and clear them (`clear 3`).
	Simulate {
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
	},
}

#[derive(Subcommand)]
enum BaselineCommand {
	/// Fit the daily model (its coefficients are what energy performance contracts take, on the
	/// chain's days, UTC, the days contracts settle) or the hourly model (on the site's wall
	/// clock), after checking the data suffice for a baseline.
	Fit {
		#[command(flatten)]
		input: Input,
		#[arg(long, value_enum, default_value_t = ModelKind::Daily)]
		model: ModelKind,
		/// How the hourly model (not the daily) splits the year: one model (best on use it has
		/// not seen, in `scripts/compare-eemeter`), or CalTRACK 2.0's model per month fitted on
		/// the month and its neighbours at half weight (for buildings whose schedule follows the
		/// season).
		#[arg(long, value_enum, default_value_t = hourly::Segmentation::Single)]
		segmentation: hourly::Segmentation,
		/// First day of the baseline period, a chain day (UTC) for hours (default: the data's
		/// first).
		#[arg(long)]
		from: Option<NaiveDate>,
		/// Last day of the baseline period, a chain day (UTC) for hours (default: the data's
		/// last).
		#[arg(long)]
		to: Option<NaiveDate>,
		/// A CSV of the reporting period (columns as for --csv; for the daily model, hours are
		/// summed into the chain's days, UTC, and days without every hour are left out): prints
		/// each day's or hour's adjusted baseline (the model's prediction at its temperature) and
		/// the avoided energy, with its uncertainty.
		#[arg(long, value_name = "FILE")]
		reporting: Option<PathBuf>,
		/// Fit even if the data do not suffice for a baseline (a year, 90 % complete),
		/// with a warning.
		#[arg(long)]
		allow_insufficient: bool,
		/// Print JSON instead of a summary.
		#[arg(long)]
		json: bool,
	},
}

#[derive(Clone, Copy, ValueEnum)]
enum ModelKind {
	Daily,
	Hourly,
}

/// A site's series: from a CSV file, or from the bridge's readings of a configured site.
#[derive(Args)]
struct Input {
	/// CSV with `start` (RFC 3339), `energy_wh` or `energy_kwh`, `temperature_c` or
	/// `temperature_f`, one row per hour or per day.
	#[arg(long, conflicts_with = "site")]
	csv: Option<PathBuf>,
	#[arg(long, short, default_value = "bridge.toml")]
	config: PathBuf,
	/// The configured site whose readings to use.
	#[arg(long)]
	site: Option<String>,
}

impl Input {
	async fn series(&self) -> anyhow::Result<Series> {
		match (&self.csv, &self.site) {
			(Some(csv), _) => source::from_csv(csv),
			(None, Some(site)) => source::from_bridge(&load(&self.config)?, site).await,
			(None, None) => anyhow::bail!("give --csv FILE or --site NAME"),
		}
	}
}

/// Prints `done of total` on one line of stderr.
fn progress(what: &'static str) -> impl FnMut(usize, usize) {
	move |done, total| {
		eprint!("\r{what}: {done}/{total}");
		if done == total {
			eprintln!();
		}
	}
}

#[derive(Subcommand)]
enum OutboxCommand {
	/// Each meter's pending, accepted and rejected readings.
	Status {
		#[arg(long, short, default_value = "bridge.toml")]
		config: PathBuf,
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

fn load(path: &Path) -> anyhow::Result<Config> {
	Ok(Config::load(path)?)
}

fn keypair(suri: &str) -> anyhow::Result<Keypair> {
	let uri = SecretUri::from_str(suri).map_err(|e| anyhow::anyhow!("--suri: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow::anyhow!("--suri: {e}"))
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
		Command::Register { config, suri, sites } => {
			let config = load(&config)?;
			let done = meter_bridge::register::register(&config, &keypair(&suri)?, &sites).await?;
			for (name, id) in &done.sites {
				println!("site {name}: registered as chain site {id}");
			}
			for (name, id, key) in &done.meters {
				println!(
					"meter {name}: registered as chain meter {id} (device key 0x{})",
					hex::encode(key)
				);
			}
			for (name, id) in &done.known {
				println!("meter {name}: already chain meter {id}");
			}
			Ok(())
		}
		Command::Baseline {
			command:
				BaselineCommand::Fit {
					input,
					model,
					segmentation,
					from,
					to,
					reporting,
					allow_insufficient,
					json,
				},
		} => {
			let series = input.series().await?.between(from, to);
			let reporting = match reporting {
				Some(path) => {
					let series = source::from_csv(&path)?;
					let metered = match &series {
						Series::Hourly(hours) => hours.iter().any(|h| h.energy.is_some()),
						Series::Daily(days) => !days.is_empty(),
					};
					anyhow::ensure!(
						metered,
						"--reporting {}: no metered use (an energy_wh or energy_kwh column)",
						path.display()
					);
					Some(series)
				}
				None => None,
			};
			let (report, period) = match model {
				ModelKind::Daily => {
					let days = series.days();
					let insufficient = sufficiency::daily(&days);
					if !allow_insufficient && !insufficient.is_empty() {
						return Err(FitError::Insufficient(insufficient).into());
					}
					let fit = daily::fit(
						&days,
						&daily::DailySettings::default(),
						&mut progress("balance points"),
					)?;
					let period =
						reporting.map(|series| ReportingPeriod::daily(&fit, &series.days()));
					(FitReport::daily(fit, insufficient), period)
				}
				ModelKind::Hourly => {
					let Series::Hourly(hours) = series else {
						anyhow::bail!("the hourly model needs hourly data; these are days");
					};
					let insufficient = sufficiency::hourly(&hours);
					if !allow_insufficient && !insufficient.is_empty() {
						return Err(FitError::Insufficient(insufficient).into());
					}
					let fit = hourly::fit(&hours, segmentation, &mut progress("segments"))?;
					let period = match reporting {
						Some(Series::Hourly(hours)) => Some(ReportingPeriod::hourly(&fit, &hours)),
						Some(Series::Daily(_)) => {
							anyhow::bail!(
								"--reporting: the hourly model needs hourly data; these are days"
							)
						}
						None => None,
					};
					(FitReport::hourly(fit, insufficient), period)
				}
			};
			if json {
				let mut value = serde_json::to_value(&report)?;
				if let (Some(period), Some(object)) = (&period, value.as_object_mut()) {
					object.insert("reporting".into(), serde_json::to_value(period)?);
				}
				println!("{}", serde_json::to_string_pretty(&value)?);
			} else {
				print!("{report}");
				if let Some(period) = &period {
					print!("{period}");
				}
			}
			Ok(())
		}
		Command::Forecast { input, temperatures, json } => {
			let temperatures = match temperatures {
				Some(path) => match source::from_csv(&path)? {
					Series::Hourly(hours) => {
						hours.into_iter().filter_map(|h| Some((h.start, h.temperature?))).collect()
					}
					Series::Daily(_) => {
						anyhow::bail!("{}: forecast temperatures must be hourly", path.display())
					}
				},
				None => Vec::new(),
			};
			// A site's day runs on its time zone; a CSV's at the offset of its last hour.
			let forecast_of = |series: Series, zone| -> anyhow::Result<forecast::Forecast> {
				let Series::Hourly(history) = series else {
					anyhow::bail!("a forecast needs hourly data; these are days");
				};
				Ok(forecast::next_day(&history, &temperatures, zone)?)
			};
			if input.csv.is_some() || input.site.is_some() {
				let zone = match (&input.csv, &input.site) {
					(None, Some(site)) => load(&input.config)?.time_zone(site),
					_ => None,
				};
				let forecast = forecast_of(input.series().await?, zone)?;
				if json {
					println!("{}", serde_json::to_string_pretty(&forecast)?);
				} else {
					print!("{forecast}");
				}
				return Ok(());
			}
			// Every site of the campus, each on its own: one without enough data says why.
			let config = load(&input.config)?;
			let mut all = Vec::new();
			for site in config.sites.iter().map(|site| site.name.as_str()) {
				let forecast = match source::from_bridge(&config, site).await {
					Ok(series) => forecast_of(series, config.time_zone(site)),
					Err(error) => Err(error),
				};
				if json {
					all.push(match forecast {
						Ok(forecast) => serde_json::json!({ "site": site, "forecast": forecast }),
						Err(error) => {
							serde_json::json!({ "site": site, "error": error.to_string() })
						}
					});
				} else {
					match forecast {
						Ok(forecast) => print!("site {site}: {forecast}"),
						Err(error) => println!("site {site}: no forecast: {error}"),
					}
				}
			}
			if json {
				println!("{}", serde_json::to_string_pretty(&all)?);
			}
			Ok(())
		}
		Command::Verify { config, outbox } => {
			let (report, all_match) =
				meter_bridge::verify::verify(&load(&config)?, outbox.as_deref()).await?;
			print!("{report}");
			anyhow::ensure!(all_match, "the archive differs from the chain");
			Ok(())
		}
		Command::Import { config, site, files, time_format, replace } => {
			let config = load(&config)?;
			let said = import::import_files(
				&config,
				&site,
				&files,
				time_format.as_deref(),
				replace,
				now_ms(),
			)?;
			for line in said {
				println!("{line}");
			}
			Ok(())
		}
		Command::Outbox { command: OutboxCommand::Status { config } } => {
			print!("{}", meter_bridge::status::outbox_status(&load(&config)?).await?);
			Ok(())
		}
		Command::Simulate {
			listen,
			buildings,
			seed,
			fault,
			serial,
			baud,
			write_config,
			node,
			poll_seconds,
			http,
			feeds,
			write_sources,
			write_history,
			history_days,
			ems_export,
		} => {
			// The simulator writes where the bridge, reading the config, looks: one absolute path.
			let ems_export = ems_export
				.map(|root| {
					anyhow::ensure!(
						usize::from(buildings) > EMS_BUILDING,
						"--ems-export: building-{EMS_BUILDING:02} exports, and the campus has \
						 {buildings} building(s)"
					);
					std::path::absolute(&root)
						.with_context(|| format!("--ems-export {}: no such path", root.display()))
				})
				.transpose()?;
			let campus = Arc::new(Campus::new(seed, usize::from(buildings), now_ms()));
			let write = |file: &Path, text: String, what: &str| -> anyhow::Result<()> {
				std::fs::write(file, text)
					.with_context(|| format!("{}: cannot write", file.display()))?;
				println!("{}: {what}", file.display());
				Ok(())
			};
			if let Some(file) = &write_config {
				let ems = ems_export.as_deref();
				let text = campus.bridge_config(listen, &node, poll_seconds, http, ems);
				write(file, text, &format!("a bridge configuration for {buildings} buildings"))?;
			}
			if let (Some(file), Some(address)) = (&write_sources, feeds) {
				let text = campus.oracle_sources(address);
				write(file, text, &format!("oracle sources for the feeds at {address}"))?;
			}
			if let Some(directory) = &write_history {
				let written = campus
					.write_history(directory, now_ms(), history_days, CAMPUS_TIME_ZONE)
					.with_context(|| {
						format!("{}: cannot write the history", directory.display())
					})?;
				println!(
					"{}: {history_days} days of {buildings} buildings ({} files)",
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
			if write_config.is_some() || write_sources.is_some() || write_history.is_some() {
				return Ok(());
			}
			if let Some(address) = feeds {
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
			for (building, kind) in fault {
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
			if let Some(path) = serial {
				let shown = path.display().to_string();
				let port = meter_bridge::modbus::open_serial(&shown, baud, Parity::None)
					.with_context(|| format!("{shown}: cannot open the serial port"))?;
				println!(
					"campus simulator: {buildings} buildings (seed {seed}) on {shown} (Modbus RTU, \
					 {baud} baud)"
				);
				let server = tokio_modbus::server::rtu::Server::new(port);
				let service = CampusService::new(campus.clone(), now_ms);
				tokio::select! {
					served = server.serve_forever(service) => served.context("the simulator stopped")?,
					_ = tokio::signal::ctrl_c() => {}
				}
				return Ok(());
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
