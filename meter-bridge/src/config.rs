//! The bridge's TOML configuration: where the chain is, the meters it polls and the vendor
//! register maps they use. It is checked as a whole on load; a mistake is reported with the
//! file, the key and the problem.
//!
//! ```toml
//! [bridge]
//! node = "ws://127.0.0.1:9944"
//! poll_seconds = 15
//!
//! [[meters]]
//! name = "library-main"
//! chain_meter = 3
//! connection = { tcp = "10.0.0.5:502" }
//! unit = 1
//! map = "sunspec"
//!
//! [[meters]]
//! name = "lab-chiller"
//! chain_meter = 4
//! connection = { rtu = "/dev/ttyUSB0", baud = 9600 }
//! unit = 12
//! map = "em24"
//!
//! [[maps]]
//! name = "em24"
//! energy = { address = 52, register = "input", type = "u32", word_order = "low_first", scale = 100.0 }
//! power = { address = 40, register = "input", type = "i32", word_order = "low_first", scale = 0.1 }
//! ```

use crate::registers::{DataType, WordOrder};
use serde::Deserialize;
use std::{collections::BTreeSet, path::Path};

/// The map name that selects the built-in SunSpec models.
pub const SUNSPEC: &str = "sunspec";

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
	pub bridge: BridgeSettings,
	#[serde(default)]
	pub meters: Vec<MeterConfig>,
	#[serde(default)]
	pub maps: Vec<RegisterMap>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BridgeSettings {
	/// The node's RPC endpoint.
	pub node: String,
	/// Seconds between two reads of a meter.
	#[serde(default = "default_poll")]
	pub poll_seconds: u32,
}

fn default_poll() -> u32 {
	15
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeterConfig {
	/// A name for logs and key files, unique in the file.
	pub name: String,
	/// The meter's number on the chain.
	pub chain_meter: u32,
	pub connection: Connection,
	/// The Modbus unit (slave) id.
	pub unit: u8,
	/// `sunspec`, or the name of a map in `[[maps]]`.
	pub map: String,
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
	/// The energy register, scaled to Wh: it must only grow.
	pub energy: Point,
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
	/// Reads and checks the configuration in `path`.
	pub fn load(path: &Path) -> Result<Config, ConfigError> {
		let file = path.display().to_string();
		let text = std::fs::read_to_string(path)
			.map_err(|source| ConfigError::Read { file: file.clone(), source })?;
		Config::parse(&text, &file)
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
		let mut maps = BTreeSet::new();
		for (index, map) in self.maps.iter().enumerate() {
			let key = |field: &str| format!("maps[{index}].{field}");
			if map.name == SUNSPEC || !maps.insert(map.name.as_str()) {
				return fail(key("name"), "is taken (by another map or the built-in `sunspec`)");
			}
			let points = [
				("energy", Some(map.energy)),
				("power", map.power),
				("temperature", map.temperature),
			];
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
			if map.energy.scale < 0.0 {
				return fail(key("energy.scale"), "must be positive: energy only grows");
			}
		}
		let (mut names, mut chain_meters) = (BTreeSet::new(), BTreeSet::new());
		for (index, meter) in self.meters.iter().enumerate() {
			let key = |field: &str| format!("meters[{index}].{field}");
			if meter.name.is_empty() || !names.insert(meter.name.as_str()) {
				return fail(key("name"), "must be given and unique");
			}
			if !chain_meters.insert(meter.chain_meter) {
				return fail(key("chain_meter"), "is another meter's too");
			}
			if !(1..=247).contains(&meter.unit) {
				return fail(key("unit"), "must be a Modbus unit id from 1 to 247");
			}
			if meter.map != SUNSPEC && !maps.contains(meter.map.as_str()) {
				return fail(key("map"), "names no map: use `sunspec` or a `[[maps]]` name");
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
		Ok(())
	}
}
