//! What the bridge's tests share.

// Each test crate uses part of this.
#![allow(dead_code)]

use chrono::{Datelike, FixedOffset, NaiveDate, TimeDelta, TimeZone, Timelike};
use meter_bridge::{
	baseline::series::{DailyObservation, HourlyObservation},
	config::{Config, MeterConfig, RegisterMap},
	modbus::MeterReader,
};

/// A one-meter configuration: the grid import meter at `address` as `unit`, read with `map`
/// (`sunspec` or one of `maps`, TOML `[[maps]]` tables).
pub fn meter_config(
	address: &str,
	unit: u8,
	map: &str,
	maps: &str,
) -> (MeterConfig, Vec<RegisterMap>) {
	meter_config_of_kind("grid_import", address, unit, map, maps)
}

/// [`meter_config`] for a meter of `kind` (as the configuration spells it).
pub fn meter_config_of_kind(
	kind: &str,
	address: &str,
	unit: u8,
	map: &str,
	maps: &str,
) -> (MeterConfig, Vec<RegisterMap>) {
	let text = format!(
		"[bridge]\nnode = \"ws://127.0.0.1:9944\"\n\
		 [[sites]]\nname = \"s\"\nlatitude = 48.1\nlongitude = 11.6\nregion = \"DE-BY\"\n\
		 floor_area = 1000\nuse_type = \"office\"\ntime_zone = \"Europe/Berlin\"\n\
		 [[meters]]\nname = \"m\"\nsite = \"s\"\nkind = \"{kind}\"\nmax_power = 100000\n\
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

/// Deterministic noise, uniform in [-1, 1).
pub struct Noise(pub u64);

impl Noise {
	/// Uniform on [−1, 1).
	pub fn next(&mut self) -> f64 {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
	}

	/// Standard normal (Box–Muller).
	pub fn gaussian(&mut self) -> f64 {
		let radius = (1.0 - (self.next() + 1.0) / 2.0).ln() * -2.0;
		let angle = (self.next() + 1.0) * std::f64::consts::PI;
		radius.sqrt() * angle.cos()
	}
}

/// A year's daily mean temperature at a temperate site, °C.
pub fn seasonal_temperature(day: usize, noise: &mut Noise) -> f64 {
	let phase = (day as f64 - 200.0) / 365.0 * std::f64::consts::TAU;
	10.0 + 12.0 * phase.cos() + 3.0 * noise.next()
}

/// 50 kWh a day, 3 kWh per K·day below 15 °C, 5 kWh per K·day above 21 °C, ±2 kWh noise.
pub fn synthetic_days(days: usize) -> Vec<DailyObservation> {
	let mut noise = Noise(7);
	let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
	(0..days)
		.map(|day| {
			let t = seasonal_temperature(day, &mut noise);
			let energy = 50_000.0
				+ 3_000.0 * (15.0 - t).max(0.0)
				+ 5_000.0 * (t - 21.0).max(0.0)
				+ 2_000.0 * noise.next();
			DailyObservation { day: first + TimeDelta::days(day as i64), energy, temperature: t }
		})
		.collect()
}

/// Offset of the synthetic site's wall clock.
pub fn offset() -> FixedOffset {
	FixedOffset::east_opt(3600).unwrap()
}

/// A year of hours: 20 kWh occupied (weekdays 8–18), 8 kWh otherwise, plus 1.5 kWh per K
/// below 12 °C when occupied and 0.5 kWh per K unoccupied, ±0.5 kWh noise.
pub fn synthetic_hours(days: i64) -> Vec<HourlyObservation> {
	let mut noise = Noise(11);
	let start = offset().with_ymd_and_hms(2025, 1, 6, 0, 0, 0).unwrap();
	(0..days * 24)
		.map(|hour| {
			let at = start + TimeDelta::hours(hour);
			let day = hour / 24;
			let t = seasonal_temperature(day as usize, &mut noise)
				+ 4.0 * ((at.hour() as f64 - 15.0) / 24.0 * std::f64::consts::TAU).cos();
			let occupied = at.weekday().num_days_from_monday() < 5 && (8..18).contains(&at.hour());
			let energy = if occupied {
				20_000.0 + 1_500.0 * (12.0 - t).max(0.0)
			} else {
				8_000.0 + 500.0 * (12.0 - t).max(0.0)
			} + 500.0 * noise.next();
			HourlyObservation { start: at, energy: Some(energy), temperature: Some(t) }
		})
		.collect()
}
