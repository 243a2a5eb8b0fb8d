//! The bridge's configuration: a valid file loads; each mistake is reported with the file, the
//! key and the problem.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::{
	config::{Config, ConfigError, Connection, Kind, Parity, RegisterKind, SiteUse},
	register_map::{DataType, WordOrder},
};

const VALID: &str = r#"
[bridge]
node = "ws://127.0.0.1:9944"

[[sites]]
name = "Library"
latitude = 48.1497
longitude = 11.5679
region = "DE-BY"
floor_area = 5200
use_type = "education"
time_zone = "Europe/Berlin"

[[meters]]
name = "library-main"
site = "Library"
kind = "grid_import"
max_power = 250000
chain_meter = 3
connection = { tcp = "10.0.0.5:502" }
unit = 1
map = "sunspec"

[[meters]]
name = "lab-chiller"
site = "Library"
kind = "sub_meter"
multiplier = 10
max_power = 90000
chain_meter = 4
connection = { rtu = "/dev/ttyUSB0", baud = 9600, parity = "even" }
unit = 12
map = "em24"

[[maps]]
name = "em24"
energy = { address = 52, register = "input", type = "u32", word_order = "low_first", scale = 100.0 }
power = { address = 40, register = "input", type = "i32", word_order = "low_first", scale = 0.1 }
"#;

/// The valid file with `from` replaced by `to`, parsed.
fn with(from: &str, to: &str) -> Result<Config, ConfigError> {
	assert!(VALID.contains(from), "{from}");
	Config::parse(&VALID.replacen(from, to, 1), "bridge.toml")
}

fn problem(from: &str, to: &str) -> String {
	with(from, to).unwrap_err().to_string()
}

#[test]
fn loads_meters_and_vendor_maps_with_defaults() {
	let config = Config::parse(VALID, "bridge.toml").unwrap();
	assert_eq!(config.bridge.poll_seconds, 15);
	assert_eq!(config.bridge.data_dir, std::path::PathBuf::from("bridge-data"));
	assert_eq!(config.sites[0].use_type, SiteUse::Education);
	assert_eq!((config.meters[0].kind, config.meters[0].multiplier), (Kind::GridImport, 1));
	assert_eq!((config.meters[1].kind, config.meters[1].multiplier), (Kind::SubMeter, 10));
	assert_eq!(config.meters[0].connection, Connection::Tcp { tcp: "10.0.0.5:502".into() });
	assert_eq!(
		config.meters[1].connection,
		Connection::Rtu { rtu: "/dev/ttyUSB0".into(), baud: 9600, parity: Parity::Even }
	);
	let energy = config.maps[0].energy.unwrap();
	assert_eq!(
		(energy.address, energy.register, energy.data_type, energy.word_order, energy.scale),
		(52, RegisterKind::Input, DataType::U32, WordOrder::LowFirst, 100.0)
	);
	assert_eq!(config.maps[0].temperature, None);
}

#[test]
fn names_the_file_key_and_problem() {
	let cases = [
		(
			("ws://127.0.0.1:9944", "http://127.0.0.1:9944"),
			"bridge.toml: bridge.node: must be a ws:// or wss:// URL",
		),
		(
			("node = \"ws://127.0.0.1:9944\"\n", "node = \"ws://127.0.0.1:9944\"\nhttp = \"localhost\"\n"),
			"bridge.toml: bridge.http: must be an address such as 127.0.0.1:8088",
		),
		(
			(
				"node = \"ws://127.0.0.1:9944\"\n",
				"node = \"ws://127.0.0.1:9944\"\nhttp = \"0.0.0.0:8088\"\n",
			),
			"bridge.toml: bridge.http_token_file: must name a file (mode 0600) holding the token \
			 requests must bear: bridge.http listens beyond this machine",
		),
		(
			("unit = 12", "unit = 0"),
			"bridge.toml: meters[1].unit: must be a Modbus unit id from 1 to 247",
		),
		(
			("map = \"em24\"", "map = \"em42\""),
			"bridge.toml: meters[1].map: names no map: use `sunspec` or a `[[maps]]` name",
		),
		(
			("chain_meter = 4", "chain_meter = 3"),
			"bridge.toml: meters[1].chain_meter: is another meter's too",
		),
		(
			("name = \"lab-chiller\"", "name = \"library-main\""),
			"bridge.toml: meters[1].name: must be unique",
		),
		(
			("name = \"lab-chiller\"", "name = \"../../etc/cron.d/x\""),
			"bridge.toml: meters[1].name: must not start with a dot (it names the meter's key file)",
		),
		(
			("name = \"lab-chiller\"", "name = \"lab/chiller\""),
			"bridge.toml: meters[1].name: may hold only ASCII letters, digits, `-`, `_` and `.` (it \
			 names the meter's key file)",
		),
		(
			("name = \"lab-chiller\"", "name = \".hidden\""),
			"bridge.toml: meters[1].name: must not start with a dot (it names the meter's key file)",
		),
		(
			("10.0.0.5:502", "meter.local"),
			"bridge.toml: meters[0].connection.tcp: must be an address such as 10.0.0.5:502",
		),
		(
			("baud = 9600", "baud = 0"),
			"bridge.toml: meters[1].connection.baud: must be a baud rate such as 9600",
		),
		(
			("name = \"em24\"", "name = \"sunspec\""),
			"bridge.toml: maps[0].name: is taken (by another map or the built-in `sunspec`)",
		),
		(
			("address = 40,", "address = 65535,"),
			"bridge.toml: maps[0].power: runs past register 65535",
		),
		(
			("scale = 0.1", "scale = 0.0"),
			"bridge.toml: maps[0].power.scale: must be a finite number other than 0",
		),
		(
			("scale = 100.0", "scale = -100.0"),
			"bridge.toml: maps[0].energy.scale: must be positive: energy only grows",
		),
		(
			("site = \"Library\"", "site = \"Libary\""),
			"bridge.toml: meters[0].site: names no site in `[[sites]]`",
		),
		(
			("max_power = 90000", "max_power = 0"),
			"bridge.toml: meters[1].max_power: an energy meter needs its most power in W",
		),
		(
			("multiplier = 10", "multiplier = 0"),
			"bridge.toml: meters[1].multiplier: must be Wh per register step, at least 1",
		),
		(
			("kind = \"grid_import\"", "kind = \"temperature\""),
			"bridge.toml: meters[0].map: SunSpec meters measure energy, not temperature",
		),
		(
			("kind = \"sub_meter\"", "kind = \"temperature\""),
			"bridge.toml: meters[1].map: names a map without a temperature point",
		),
		(
			("latitude = 48.1497", "latitude = 148.1"),
			"bridge.toml: sites[0].latitude: must be degrees from -90 to 90",
		),
		(
			("longitude = 11.5679", "longitude = -181.0"),
			"bridge.toml: sites[0].longitude: must be degrees from -180 to 180",
		),
		(
			("floor_area = 5200", "floor_area = 0"),
			"bridge.toml: sites[0].floor_area: must be the floor area in m², above 0",
		),
		(
			("energy = { address = 52, register = \"input\", type = \"u32\", word_order = \"low_first\", scale = 100.0 }\n", "temperature = { address = 60, register = \"input\", type = \"i16\", scale = 1.0 }\n"),
			"bridge.toml: meters[1].map: names a map without the energy point this meter needs",
		),
	];
	for ((from, to), expected) in cases {
		assert_eq!(problem(from, to), expected, "{from} → {to}");
	}
}

#[test]
fn a_typo_or_a_wrong_type_is_a_syntax_error_with_its_place() {
	let typo = problem("unit = 1\n", "unti = 1\n");
	assert!(typo.starts_with("bridge.toml: "), "{typo}");
	assert!(typo.contains("unknown field `unti`"), "{typo}");
	let kind = problem("type = \"u32\"", "type = \"u24\"");
	assert!(kind.contains("unknown variant `u24`"), "{kind}");
	assert!(kind.contains("line"), "{kind}");
}

#[test]
fn a_map_needs_a_point_to_read() {
	let text = VALID.replace(
		"energy = { address = 52, register = \"input\", type = \"u32\", word_order = \"low_first\", scale = 100.0 }\n",
		"",
	)
	.replace("power = { address = 40,", "# power = { address = 40,");
	let error = Config::parse(&text, "bridge.toml").unwrap_err().to_string();
	assert_eq!(error, "bridge.toml: maps[0].energy: a map needs an energy or a temperature point");
}

#[test]
fn a_relative_data_dir_is_beside_the_file() {
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("bridge.toml");
	std::fs::write(&path, VALID).unwrap();
	assert_eq!(Config::load(&path).unwrap().bridge.data_dir, dir.path().join("bridge-data"));
}

#[test]
fn a_missing_file_names_it() {
	let error = Config::load(std::path::Path::new("/nonexistent/bridge.toml")).unwrap_err();
	assert!(error.to_string().starts_with("/nonexistent/bridge.toml: cannot read:"), "{error}");
}
