//! The bridge's TOML configuration: where the chain is, where the bridge keeps its keys and
//! outbox, the sites and meters it reads and the vendor register maps they use. It is checked as
//! a whole on load; a mistake is reported with the file, the key and the problem.
//!
//! ```toml
//! [bridge]
//! node = "ws://127.0.0.1:9944"
//! poll_seconds = 15
//! data_dir = "bridge-data"   # keys and outbox, relative to this file
//!
//! [[sites]]
//! name = "Library"
//! latitude = 48.1497
//! longitude = 11.5679
//! region = "DE-BY"
//! floor_area = 5200
//! use_type = "education"
//! time_zone = "Europe/Berlin"
//!
//! [[meters]]
//! name = "library-main"
//! site = "Library"
//! kind = "grid_import"
//! max_power = 250000
//! connection = { tcp = "10.0.0.5:502" }
//! unit = 1
//! map = "sunspec"
//!
//! [[meters]]
//! name = "lab-chiller"
//! site = "Library"
//! kind = "sub_meter"
//! multiplier = 10
//! max_power = 90000
//! connection = { rtu = "/dev/ttyUSB0", baud = 9600 }
//! unit = 12
//! map = "em24"
//!
//! [[maps]]
//! name = "em24"
//! energy = { address = 52, register = "input", type = "u32", word_order = "low_first", scale = 100.0 }
//! power = { address = 40, register = "input", type = "i32", word_order = "low_first", scale = 0.1 }
//! ```
//!
//! A meter is found on chain by its device key; `chain_meter`, if given, is checked against it.

use crate::register_map::{DataType, WordOrder};
use serde::Deserialize;
use std::{
	collections::BTreeSet,
	path::{Path, PathBuf},
};

/// The map name that selects the built-in SunSpec models.
pub const SUNSPEC: &str = "sunspec";

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
	pub bridge: BridgeSettings,
	#[serde(default)]
	pub sites: Vec<SiteConfig>,
	#[serde(default)]
	pub meters: Vec<MeterConfig>,
	#[serde(default)]
	pub maps: Vec<RegisterMap>,
	/// Virtual meters fed by an energy management system's CSV exports.
	#[serde(default)]
	pub csv_meters: Vec<CsvMeterConfig>,
}

/// What every meter the bridge holds has, however it is read: what `register` puts on chain.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeterIdentity<'a> {
	pub name: &'a str,
	pub site: &'a str,
	pub kind: Kind,
	pub multiplier: u32,
	pub max_power: Option<u32>,
	pub chain_meter: Option<u32>,
}

/// A virtual meter: interval data an energy management system exports as CSV files into
/// `folder`, each row a reading. Rows the outbox already has (by timestamp) are passed over, so
/// a file dropped twice records nothing twice.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvMeterConfig {
	/// A name for logs and key files, unique among all meters in the file.
	pub name: String,
	/// The `[[sites]]` name of the building; naive timestamps are in its time zone.
	pub site: String,
	pub kind: Kind,
	#[serde(default = "default_multiplier")]
	pub multiplier: u32,
	#[serde(default)]
	pub max_power: Option<u32>,
	#[serde(default)]
	pub chain_meter: Option<u32>,
	/// The folder watched; relative paths start at the config file's directory. Read files go
	/// to `done/` in it, files that cannot be read to `failed/` with the reason beside them.
	pub folder: PathBuf,
	/// The field separator, e.g. `;` for German exports.
	#[serde(default = "default_delimiter")]
	pub delimiter: char,
	/// The column with the time of the reading (the end of an interval).
	pub timestamp: CsvTimestamp,
	/// The energy column; required by energy meters.
	#[serde(default)]
	pub energy: Option<CsvEnergy>,
	/// A temperature column, in °C after `scale`; required by temperature sensors.
	#[serde(default)]
	pub temperature: Option<CsvColumn>,
}

fn default_delimiter() -> char {
	','
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvTimestamp {
	/// The column's header.
	pub column: String,
	/// A chrono format such as `%d.%m.%Y %H:%M` for local times in the site's time zone;
	/// without it, RFC 3339 with an offset (`2026-11-25T14:15:00+01:00`).
	#[serde(default)]
	pub format: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvEnergy {
	pub column: String,
	/// Factor to Wh (1000 for kWh).
	#[serde(default = "default_scale")]
	pub scale: f64,
	/// Whether each row holds the energy of its interval or a meter's cumulative register.
	#[serde(default)]
	pub values: EnergyValues,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnergyValues {
	#[default]
	Interval,
	Cumulative,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvColumn {
	pub column: String,
	#[serde(default = "default_scale")]
	pub scale: f64,
}

fn default_scale() -> f64 {
	1.0
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BridgeSettings {
	/// The node's RPC endpoint.
	pub node: String,
	/// Seconds between two reads of a meter.
	#[serde(default = "default_poll")]
	pub poll_seconds: u32,
	/// Where the device keys and the outbox are kept; relative paths start at the config
	/// file's directory.
	#[serde(default = "default_data_dir")]
	pub data_dir: PathBuf,
	/// Where to serve the bridge's status and its pending signed readings over HTTP (for the
	/// operator, and for a member's node that pulls readings with its off-chain worker); off
	/// when not given. It serves signed readings and measurements, no secrets.
	#[serde(default)]
	pub http: Option<String>,
	/// A file (mode 0600) whose first line is the token every HTTP request must bear
	/// (`Authorization: Bearer …`); required when `http` listens beyond this machine. Relative
	/// paths start at the config file's directory.
	#[serde(default)]
	pub http_token_file: Option<PathBuf>,
}

fn default_poll() -> u32 {
	15
}

fn default_data_dir() -> PathBuf {
	PathBuf::from("bridge-data")
}

/// A building, as `meter-bridge register` registers it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
	/// The site's name on chain, unique in the file.
	pub name: String,
	/// Degrees north (negative south).
	pub latitude: f64,
	/// Degrees east (negative west).
	pub longitude: f64,
	/// The weather and price region, e.g. `DE-BY`.
	pub region: String,
	/// Gross floor area, m².
	pub floor_area: u32,
	pub use_type: SiteUse,
	/// IANA time zone, e.g. `Europe/Berlin`.
	pub time_zone: String,
	/// The site's number if it is already on chain.
	#[serde(default)]
	pub chain_site: Option<u32>,
}

/// What a building is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteUse {
	Office,
	Education,
	Laboratory,
	Residential,
	Retail,
	Healthcare,
	Hotel,
	Sports,
	Industrial,
	Warehouse,
	DataCentre,
	Mixed,
	Other,
}

/// What a meter measures; it decides which SunSpec accumulator and which values a reading
/// carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
	GridImport,
	GridExport,
	Generation,
	SubMeter,
	Heat,
	Temperature,
}

impl Kind {
	pub fn measures_energy(self) -> bool {
		self != Kind::Temperature
	}
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeterConfig {
	/// A name for logs and key files, unique in the file.
	pub name: String,
	/// The `[[sites]]` name of the building the meter is in.
	pub site: String,
	pub kind: Kind,
	/// Wh per step of the register the chain keeps (1 keeps Wh, 1000 kWh).
	#[serde(default = "default_multiplier")]
	pub multiplier: u32,
	/// The most power in W the meter's circuit can carry; the chain refuses readings implying
	/// more. Required for energy meters.
	#[serde(default)]
	pub max_power: Option<u32>,
	/// The meter's number on chain, checked against its device key if given.
	#[serde(default)]
	pub chain_meter: Option<u32>,
	pub connection: Connection,
	/// The Modbus unit (slave) id.
	pub unit: u8,
	/// `sunspec`, or the name of a map in `[[maps]]`.
	pub map: String,
}

fn default_multiplier() -> u32 {
	1
}

/// How the bridge reaches a meter.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Connection {
	/// Modbus TCP at `host:port`.
	Tcp { tcp: String },
	/// Modbus RTU on a serial device.
	Rtu {
		rtu: String,
		baud: u32,
		#[serde(default)]
		parity: Parity,
	},
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Parity {
	#[default]
	None,
	Even,
	Odd,
}

/// A vendor's register layout.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterMap {
	pub name: String,
	/// The energy register, scaled to Wh: it must only grow. Required by energy meters.
	#[serde(default)]
	pub energy: Option<Point>,
	/// Real power, scaled to W.
	#[serde(default)]
	pub power: Option<Point>,
	/// A temperature, scaled to 0.1 °C.
	#[serde(default)]
	pub temperature: Option<Point>,
}

/// Where one value is and how to read it.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
	/// The first register's address (0-based, as on the wire).
	pub address: u16,
	pub register: RegisterKind,
	#[serde(rename = "type")]
	pub data_type: DataType,
	#[serde(default)]
	pub word_order: WordOrder,
	/// Factor from the raw value to the point's unit.
	pub scale: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegisterKind {
	Holding,
	Input,
}

/// A configuration that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
	#[error("{file}: cannot read: {source}")]
	Read { file: String, source: std::io::Error },
	#[error("{file}: {message}")]
	Syntax { file: String, message: String },
	#[error("{file}: {key}: {problem}")]
	Invalid { file: String, key: String, problem: String },
}

impl Config {
	/// Reads and checks the configuration in `path`; a relative `data_dir` is made relative to
	/// the file's directory.
	pub fn load(path: &Path) -> Result<Config, ConfigError> {
		let file = path.display().to_string();
		let text = std::fs::read_to_string(path)
			.map_err(|source| ConfigError::Read { file: file.clone(), source })?;
		let mut config = Config::parse(&text, &file)?;
		let base = path.parent().unwrap_or(Path::new("."));
		if config.bridge.data_dir.is_relative() {
			config.bridge.data_dir = base.join(&config.bridge.data_dir);
		}
		if let Some(token) = config.bridge.http_token_file.as_mut().filter(|t| t.is_relative()) {
			*token = base.join(&*token);
		}
		for meter in &mut config.csv_meters {
			if meter.folder.is_relative() {
				meter.folder = base.join(&meter.folder);
			}
		}
		Ok(config)
	}

	/// Every meter the bridge holds: the Modbus meters, then the CSV meters.
	pub fn identities(&self) -> Vec<MeterIdentity<'_>> {
		let modbus = self.meters.iter().map(|m| MeterIdentity {
			name: &m.name,
			site: &m.site,
			kind: m.kind,
			multiplier: m.multiplier,
			max_power: m.max_power,
			chain_meter: m.chain_meter,
		});
		let csv = self.csv_meters.iter().map(|m| MeterIdentity {
			name: &m.name,
			site: &m.site,
			kind: m.kind,
			multiplier: m.multiplier,
			max_power: m.max_power,
			chain_meter: m.chain_meter,
		});
		modbus.chain(csv).collect()
	}

	/// The time zone of the site `name`.
	pub fn time_zone(&self, site: &str) -> Option<chrono_tz::Tz> {
		let site = self.sites.iter().find(|s| s.name == site)?;
		site.time_zone.parse().ok()
	}

	/// The map of `meter`, if it uses a vendor map.
	pub fn map_of(&self, meter: &MeterConfig) -> Option<&RegisterMap> {
		self.maps.iter().find(|map| map.name == meter.map)
	}

	/// Parses and checks `text`, naming `file` in errors.
	pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
		let config: Config = toml::from_str(text).map_err(|e| ConfigError::Syntax {
			file: file.to_string(),
			message: e.to_string().trim_end().replace('\n', " "),
		})?;
		config.check().map_err(|(key, problem)| ConfigError::Invalid {
			file: file.to_string(),
			key,
			problem,
		})?;
		Ok(config)
	}

	/// The first key that cannot work, with the problem.
	fn check(&self) -> Result<(), (String, String)> {
		let fail = |key: String, problem: &str| Err((key, problem.to_string()));
		if !(self.bridge.node.starts_with("ws://") || self.bridge.node.starts_with("wss://")) {
			return fail("bridge.node".into(), "must be a ws:// or wss:// URL");
		}
		if self.bridge.poll_seconds == 0 {
			return fail("bridge.poll_seconds".into(), "must be at least 1");
		}
		if let Some(http) = &self.bridge.http {
			let Ok(address) = http.parse::<std::net::SocketAddr>() else {
				return fail("bridge.http".into(), "must be an address such as 127.0.0.1:8088");
			};
			if !address.ip().is_loopback() && self.bridge.http_token_file.is_none() {
				return fail(
					"bridge.http_token_file".into(),
					"must name a file (mode 0600) holding the token requests must bear: \
					 bridge.http listens beyond this machine",
				);
			}
		}
		let mut maps = BTreeSet::new();
		for (index, map) in self.maps.iter().enumerate() {
			let key = |field: &str| format!("maps[{index}].{field}");
			if map.name == SUNSPEC || !maps.insert(map.name.as_str()) {
				return fail(key("name"), "is taken (by another map or the built-in `sunspec`)");
			}
			if map.energy.is_none() && map.temperature.is_none() {
				return fail(key("energy"), "a map needs an energy or a temperature point");
			}
			let points =
				[("energy", map.energy), ("power", map.power), ("temperature", map.temperature)];
			for (field, point) in points {
				let Some(point) = point else { continue };
				let end = usize::from(point.address) + point.data_type.registers();
				if end > 65_536 {
					return fail(key(field), "runs past register 65535");
				}
				if !point.scale.is_finite() || point.scale == 0.0 {
					return fail(
						key(&format!("{field}.scale")),
						"must be a finite number other than 0",
					);
				}
			}
			if map.energy.is_some_and(|energy| energy.scale < 0.0) {
				return fail(key("energy.scale"), "must be positive: energy only grows");
			}
		}
		let mut sites = BTreeSet::new();
		for (index, site) in self.sites.iter().enumerate() {
			let key = |field: &str| format!("sites[{index}].{field}");
			if site.name.is_empty() || !sites.insert(site.name.as_str()) {
				return fail(key("name"), "must be given and unique");
			}
			if !(-90.0..=90.0).contains(&site.latitude) {
				return fail(key("latitude"), "must be degrees from -90 to 90");
			}
			if !(-180.0..=180.0).contains(&site.longitude) {
				return fail(key("longitude"), "must be degrees from -180 to 180");
			}
			if site.floor_area == 0 {
				return fail(key("floor_area"), "must be the floor area in m², above 0");
			}
			if site.time_zone.parse::<chrono_tz::Tz>().is_err() {
				return fail(key("time_zone"), "must be an IANA time zone such as Europe/Berlin");
			}
		}
		let (mut names, mut chain_meters) = (BTreeSet::new(), BTreeSet::new());
		let identities = self.identities();
		for (index, meter) in self.meters.iter().enumerate() {
			let key = |field: &str| format!("meters[{index}].{field}");
			check_meter_name(&meter.name).map_err(|problem| (key("name"), problem.to_string()))?;
			if !names.insert(meter.name.as_str()) {
				return fail(key("name"), "must be unique");
			}
			let identity = &identities[index];
			check_identity(identity, &sites, &mut chain_meters).map_err(|(f, p)| (key(f), p))?;
			if !(1..=247).contains(&meter.unit) {
				return fail(key("unit"), "must be a Modbus unit id from 1 to 247");
			}
			if meter.map == SUNSPEC {
				if !meter.kind.measures_energy() {
					return fail(key("map"), "SunSpec meters measure energy, not temperature");
				}
			} else {
				let Some(map) = self.maps.iter().find(|map| map.name == meter.map) else {
					return fail(key("map"), "names no map: use `sunspec` or a `[[maps]]` name");
				};
				if meter.kind.measures_energy() && map.energy.is_none() {
					return fail(
						key("map"),
						"names a map without the energy point this meter needs",
					);
				}
				if !meter.kind.measures_energy() && map.temperature.is_none() {
					return fail(key("map"), "names a map without a temperature point");
				}
			}
			match &meter.connection {
				Connection::Tcp { tcp } if tcp.parse::<std::net::SocketAddr>().is_err() => {
					return fail(key("connection.tcp"), "must be an address such as 10.0.0.5:502");
				}
				Connection::Rtu { baud, .. } if *baud == 0 => {
					return fail(key("connection.baud"), "must be a baud rate such as 9600");
				}
				_ => {}
			}
		}
		for (index, meter) in self.csv_meters.iter().enumerate() {
			let key = |field: &str| format!("csv_meters[{index}].{field}");
			check_meter_name(&meter.name).map_err(|problem| (key("name"), problem.to_string()))?;
			if !names.insert(meter.name.as_str()) {
				return fail(key("name"), "must be unique among all meters");
			}
			let identity = &identities[self.meters.len() + index];
			check_identity(identity, &sites, &mut chain_meters).map_err(|(f, p)| (key(f), p))?;
			if meter.kind.measures_energy() && meter.energy.is_none() {
				return fail(key("energy"), "an energy meter needs its energy column");
			}
			if !meter.kind.measures_energy() && meter.temperature.is_none() {
				return fail(
					key("temperature"),
					"a temperature sensor needs its temperature column",
				);
			}
			let scales = [
				("energy.scale", meter.energy.as_ref().map(|e| e.scale)),
				("temperature.scale", meter.temperature.as_ref().map(|t| t.scale)),
			];
			for (field, scale) in scales {
				if scale.is_some_and(|scale| !scale.is_finite() || scale == 0.0) {
					return fail(key(field), "must be a finite number other than 0");
				}
			}
			if meter.energy.as_ref().is_some_and(|energy| energy.scale < 0.0) {
				return fail(key("energy.scale"), "must be positive: energy only grows");
			}
			if let Some(format) = &meter.timestamp.format {
				let broken = chrono::format::StrftimeItems::new(format)
					.any(|item| matches!(item, chrono::format::Item::Error));
				if broken {
					return fail(
						key("timestamp.format"),
						"is no chrono format such as %d.%m.%Y %H:%M",
					);
				}
			}
			if !meter.delimiter.is_ascii() {
				return fail(key("delimiter"), "must be one ASCII character such as , or ;");
			}
		}
		Ok(())
	}
}

/// A meter's name names its key file (`keys/<name>.key`): it must stay a plain file name in
/// that folder, whatever a config's author types.
fn check_meter_name(name: &str) -> Result<(), &'static str> {
	if name.is_empty() {
		return Err("must be given");
	}
	if name.starts_with('.') {
		return Err("must not start with a dot (it names the meter's key file)");
	}
	let allowed = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
	if !name.chars().all(allowed) {
		return Err(
			"may hold only ASCII letters, digits, `-`, `_` and `.` (it names the meter's key file)",
		);
	}
	Ok(())
}

/// What any meter needs, whatever reads it: a known site, a chain number of its own, and for
/// energy its limits.
fn check_identity<'a>(
	meter: &MeterIdentity<'a>,
	sites: &BTreeSet<&str>,
	chain_meters: &mut BTreeSet<u32>,
) -> Result<(), (&'static str, String)> {
	let fail = |field: &'static str, problem: &str| Err((field, problem.to_string()));
	if !sites.contains(meter.site) {
		return fail("site", "names no site in `[[sites]]`");
	}
	if meter.chain_meter.is_some_and(|id| !chain_meters.insert(id)) {
		return fail("chain_meter", "is another meter's too");
	}
	if meter.kind.measures_energy() {
		if meter.max_power.is_none_or(|watts| watts == 0) {
			return fail("max_power", "an energy meter needs its most power in W");
		}
		if meter.multiplier == 0 {
			return fail("multiplier", "must be Wh per register step, at least 1");
		}
	}
	Ok(())
}
