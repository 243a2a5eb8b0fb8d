//! What the bridge's tests share.

// Each test crate uses part of this.
#![allow(dead_code)]

use meter_bridge::{
	config::{Config, MeterConfig, RegisterMap},
	modbus::MeterReader,
};

/// A one-meter configuration: the meter at `address` as `unit`, read with `map` (`sunspec` or
/// one of `maps`, TOML `[[maps]]` tables).
pub fn meter_config(
	address: &str,
	unit: u8,
	map: &str,
	maps: &str,
) -> (MeterConfig, Vec<RegisterMap>) {
	let text = format!(
		"[bridge]\nnode = \"ws://127.0.0.1:9944\"\n\
		 [[sites]]\nname = \"s\"\nlatitude = 48.1\nlongitude = 11.6\nregion = \"DE-BY\"\n\
		 floor_area = 1000\nuse_type = \"office\"\ntime_zone = \"Europe/Berlin\"\n\
		 [[meters]]\nname = \"m\"\nsite = \"s\"\nkind = \"grid_import\"\nmax_power = 100000\n\
		 connection = {{ tcp = \"{address}\" }}\nunit = {unit}\nmap = \"{map}\"\n{maps}"
	);
	let config = Config::parse(&text, "test.toml").unwrap();
	(config.meters[0].clone(), config.maps)
}

/// A reader of the SunSpec meter at `address` as `unit`.
pub fn sunspec_reader(address: &str, unit: u8) -> MeterReader {
	let (meter, maps) = meter_config(address, unit, "sunspec", "");
	MeterReader::new(meter, &maps)
}
