//! Interval data from an energy management system's CSV export: local times in the site's time
//! zone (through a change of the clocks), decimal commas, interval or cumulative energy; a
//! file with a mistake is refused with its line, column and problem; rows already recorded are
//! passed over.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::{
	config::Config,
	csv_source::{read_rows, row_readings, Row},
	measure::{Measured, MeterState},
};
use std::path::Path;

const CONFIG: &str = r#"
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

[[csv_meters]]
name = "chillers"
site = "Library"
kind = "sub_meter"
max_power = 300000
folder = "bms"
delimiter = ";"
timestamp = { column = "Zeit", format = "%d.%m.%Y %H:%M" }
energy = { column = "Verbrauch kWh", scale = 1000.0 }
temperature = { column = "Außen °C" }
"#;

fn config(text: &str) -> Config {
	Config::parse(text, "bridge.toml").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
	let path = dir.join(name);
	std::fs::write(&path, text).unwrap();
	path
}

/// 2026-10-25 00:00 UTC, the night the clocks in Berlin go back (03:00 CEST → 02:00 CET).
const CHANGE_NIGHT_UTC_MS: u64 = 1_792_886_400_000;
const MINUTE: u64 = 60_000;

#[test]
fn local_times_through_the_clock_change_and_decimal_commas() {
	let config = config(CONFIG);
	let meter = &config.csv_meters[0];
	let dir = tempfile::tempdir().unwrap();
	let file = write(
		dir.path(),
		"export.csv",
		"Zeit;Verbrauch kWh;Außen °C\n\
		 25.10.2026 02:30;1,5;7,2\n\
		 25.10.2026 02:45;1,25;7,1\n\
		 25.10.2026 02:30;2;7,0\n\
		 25.10.2026 03:00;0;6,9\n",
	);
	let zone = config.time_zone("Library").unwrap();
	let rows = read_rows(&file, meter, zone).unwrap();
	// 02:30 CEST is 00:30 UTC; the second 02:30 is CET, 01:30 UTC; 03:00 CET is 02:00 UTC.
	let times: Vec<u64> =
		rows.iter().map(|row| (row.timestamp - CHANGE_NIGHT_UTC_MS) / MINUTE).collect();
	assert_eq!(times, vec![30, 45, 90, 120]);
	assert_eq!(
		rows[1],
		Row { timestamp: rows[1].timestamp, energy: Some(1_250.0), temperature: Some(7.1) }
	);
}

#[test]
fn interval_energy_adds_up_with_demand_and_known_rows_are_passed_over() {
	let config = config(CONFIG);
	let meter = &config.csv_meters[0];
	let quarter = 15 * MINUTE;
	let row = |quarters: u64, wh: f64| Row {
		timestamp: CHANGE_NIGHT_UTC_MS + quarters * quarter,
		energy: Some(wh),
		temperature: Some(-3.26),
	};
	let rows = [row(1, 1_500.0), row(2, 2_500.0), row(3, 1_000.0)];
	// The outbox already has the first row's reading.
	let mut state = MeterState {
		last_register: Some(10_000),
		last_timestamp: Some(rows[0].timestamp),
		..MeterState::default()
	};
	let readings = row_readings(&rows, meter, 10, &mut state).unwrap();
	let measured: Vec<Measured> = readings.iter().map(|r| r.measured).collect();
	assert_eq!(
		measured,
		vec![
			// 2.5 kWh in a quarter hour: 10 kW on average; registers in steps of 10 Wh.
			Measured { register: 10_250, demand: Some(10_000), temperature: Some(-33) },
			Measured { register: 10_350, demand: Some(4_000), temperature: Some(-33) },
		]
	);
	assert_eq!(
		(state.last_register, state.last_timestamp),
		(Some(10_350), Some(rows[2].timestamp))
	);
	// The same rows again record nothing.
	assert!(row_readings(&rows, meter, 10, &mut state).unwrap().is_empty());
}

#[test]
fn a_cumulative_register_must_not_fall() {
	let text = CONFIG.replace("scale = 1000.0 }", "scale = 1000.0, values = \"cumulative\" }");
	let config = config(&text);
	let meter = &config.csv_meters[0];
	let row = |minutes: u64, wh: f64| Row {
		timestamp: CHANGE_NIGHT_UTC_MS + minutes * MINUTE,
		energy: Some(wh),
		temperature: None,
	};
	let mut state = MeterState::default();
	let readings =
		row_readings(&[row(15, 5_000.0), row(30, 6_000.0)], meter, 1, &mut state).unwrap();
	assert_eq!(readings[1].measured, Measured { register: 6_000, demand: None, temperature: None });
	let error = row_readings(&[row(45, 5_500.0)], meter, 1, &mut state).unwrap_err();
	assert!(error.contains("below the last recorded, 6000"), "{error}");
}

#[test]
fn a_file_with_a_mistake_names_its_line_column_and_problem() {
	let config = config(CONFIG);
	let meter = &config.csv_meters[0];
	let zone = config.time_zone("Library").unwrap();
	let dir = tempfile::tempdir().unwrap();
	let header = "Zeit;Verbrauch kWh;Außen °C\n";
	let cases = [
		(
			"25.10.2026 01:00;1;1\n25.10.2026 01:15;viel;1\n",
			"line 3: Verbrauch kWh: `viel` is no number",
		),
		(
			"2026-10-25 01:00;1;1\n",
			"line 2: Zeit: `2026-10-25 01:00` does not match `%d.%m.%Y %H:%M`",
		),
		(
			"25.10.2026 01:00;-1;1\n",
			"line 2: Verbrauch kWh: an interval's energy cannot be negative",
		),
		(
			"25.10.2026 01:15;1;1\n25.10.2026 01:00;1;1\n",
			"line 3: the time is not after the row before's",
		),
		(
			"29.03.2026 02:30;1;1\n",
			"line 2: Zeit: `29.03.2026 02:30` does not exist in Europe/Berlin",
		),
	];
	for (body, expected) in cases {
		let file = write(dir.path(), "bad.csv", &format!("{header}{body}"));
		let error = read_rows(&file, meter, zone).unwrap_err().to_string();
		assert!(error.starts_with(&file.display().to_string()), "{error}");
		assert!(error.contains(expected), "{error} lacks {expected}");
	}
	let file = write(dir.path(), "other.csv", "Time,kWh\n2026-10-25T01:00:00+00:00,1\n");
	let error = read_rows(&file, meter, zone).unwrap_err().to_string();
	assert!(error.ends_with("no column `Zeit` in the header"), "{error}");
}

#[test]
fn the_config_of_a_csv_meter_is_checked() {
	let cases = [
		(
			"format = \"%d.%m.%Y %H:%M\"",
			"format = \"%d.%m.%Y %Q\"",
			"csv_meters[0].timestamp.format: is no chrono format",
		),
		(
			"energy = { column = \"Verbrauch kWh\", scale = 1000.0 }\n",
			"",
			"csv_meters[0].energy: an energy meter needs its energy column",
		),
		("name = \"chillers\"", "name = \"\"", "csv_meters[0].name: must be given"),
		(
			"site = \"Library\"\nkind",
			"site = \"Annex\"\nkind",
			"csv_meters[0].site: names no site in `[[sites]]`",
		),
		(
			"time_zone = \"Europe/Berlin\"",
			"time_zone = \"Europe/Bonn\"",
			"sites[0].time_zone: must be an IANA time zone",
		),
	];
	for (from, to, expected) in cases {
		assert!(CONFIG.contains(from), "{from}");
		let error =
			Config::parse(&CONFIG.replacen(from, to, 1), "bridge.toml").unwrap_err().to_string();
		assert!(error.contains(expected), "{error} lacks {expected}");
	}
	let dir = tempfile::tempdir().unwrap();
	let path = write(dir.path(), "bridge.toml", CONFIG);
	assert_eq!(Config::load(&path).unwrap().csv_meters[0].folder, dir.path().join("bms"));
}

#[test]
fn interval_energy_is_carried_so_a_files_rows_add_up_to_its_total() {
	let config = config(CONFIG);
	let meter = &config.csv_meters[0];
	// Ten rows of 14 Wh on a register of 10 Wh steps: 140 Wh, 14 steps, nothing lost.
	let rows: Vec<Row> = (1..=10)
		.map(|n| Row {
			timestamp: CHANGE_NIGHT_UTC_MS + n * 15 * MINUTE,
			energy: Some(14.0),
			temperature: None,
		})
		.collect();
	let mut state = MeterState { last_register: Some(0), ..MeterState::default() };
	let readings = row_readings(&rows, meter, 10, &mut state).unwrap();
	assert_eq!(readings.last().unwrap().measured.register, 14);
	assert_eq!(state.carried_mwh, 0);
	// What is short of a step waits for the next file.
	let more = [Row {
		timestamp: CHANGE_NIGHT_UTC_MS + 11 * 15 * MINUTE,
		energy: Some(7.5),
		temperature: None,
	}];
	assert_eq!(row_readings(&more, meter, 10, &mut state).unwrap()[0].measured.register, 14);
	assert_eq!(state.carried_mwh, 7_500);
}
