//! The `meter-bridge` command line: the simulator serves a campus a reader can read, and bad
//! arguments get a clear message.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use meter_bridge::modbus::{ReadError, Sample};
use std::{
	io::{BufRead, BufReader, Write},
	process::{Child, Command, Stdio},
};
use tokio_modbus::ExceptionCode;

const BRIDGE: &str = env!("CARGO_BIN_EXE_meter-bridge");

/// The simulator process, killed when the test ends, also when it fails.
struct Simulator(Child);

impl Drop for Simulator {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

#[tokio::test]
async fn simulate_serves_a_campus_with_the_faults_asked_for() {
	let mut child = Simulator(
		Command::new(BRIDGE)
			.args([
				"simulate",
				"--listen",
				"127.0.0.1:0",
				"--buildings",
				"4",
				"--fault",
				"2:dropout",
			])
			.stdin(Stdio::piped())
			.stdout(Stdio::piped())
			.stderr(Stdio::null())
			.spawn()
			.unwrap(),
	);
	let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
	let mut line = String::new();
	stdout.read_line(&mut line).unwrap();
	let address = line.trim().rsplit(' ').next().unwrap().to_string();
	assert!(line.starts_with("campus simulator: 4 buildings (seed 1) on 127.0.0.1:"), "{line}");

	let sample = common::sunspec_reader(&address, 1).read().await.unwrap();
	assert!(matches!(sample, Sample::SunSpec(_)));
	let error = common::sunspec_reader(&address, 3).read().await.unwrap_err();
	assert!(matches!(error, ReadError::Exception(ExceptionCode::ServerDeviceFailure)), "{error}");

	// Faults come and go on command while it serves.
	let mut stdin = child.0.stdin.take().unwrap();
	let mut say = |command: &str| {
		writeln!(stdin, "{command}").unwrap();
		let mut answer = String::new();
		stdout.read_line(&mut answer).unwrap();
		answer.trim().to_string()
	};
	assert_eq!(say("fault 0:dropout"), "building 0: Dropout from now");
	let error = common::sunspec_reader(&address, 1).read().await.unwrap_err();
	assert!(matches!(error, ReadError::Exception(ExceptionCode::ServerDeviceFailure)), "{error}");
	assert_eq!(say("clear 2"), "building 2: no fault from now");
	assert!(common::sunspec_reader(&address, 3).read().await.is_ok());
	assert_eq!(say("fault 4:reset"), "error: building 4: the campus has buildings 0 to 3");
	assert!(say("melt 1").starts_with("error: `melt 1`: commands are"));
}

#[test]
fn bad_arguments_say_what_is_wrong() {
	let run = |args: &[&str]| {
		let output = Command::new(BRIDGE).args(args).output().unwrap();
		assert!(!output.status.success());
		String::from_utf8_lossy(&output.stderr).to_string()
	};
	assert!(run(&["simulate", "--fault", "2:melted"]).contains("`melted` is no fault"));
	assert!(run(&["simulate", "--buildings", "0"]).contains("--buildings"));
	// Its buildings and their PV inverters take every Modbus unit id at 185.
	let crowded = run(&["simulate", "--buildings", "186"]);
	assert!(crowded.contains("186 is not in 1..=185"), "{crowded}");
	let beyond =
		run(&["simulate", "--listen", "127.0.0.1:0", "--buildings", "3", "--fault", "5:stuck"]);
	assert!(beyond.contains("--fault 5: the campus has buildings 0 to 2"), "{beyond}");
}

#[test]
fn register_names_a_site_the_configuration_lacks_before_reaching_a_node() {
	let dir = tempfile::tempdir().unwrap();
	let config = dir.path().join("bridge.toml");
	let config = config.to_str().unwrap();
	let args = ["simulate", "--buildings", "2", "--node", "ws://127.0.0.1:9", "--write-config"];
	let (ok, _, err) = bridge(&[&args[..], &[config]].concat());
	assert!(ok, "{err}");
	// No node listens at the configured address: the name is checked first.
	let register = ["register", "--config", config, "--suri", "//Bob", "--site", "building-00"];
	let (ok, _, err) = bridge(&[&register[..], &["--site", "building-07"]].concat());
	assert!(!ok);
	assert!(
		err.contains("--site building-07: the configuration has no site of that name"),
		"{err}"
	);
	let (ok, _, err) = bridge(&register);
	assert!(!ok);
	assert!(!err.contains("no site of that name"), "{err}");
}

/// Runs the bridge with `args`; its exit status, stdout and stderr.
fn bridge(args: &[&str]) -> (bool, String, String) {
	let output = Command::new(BRIDGE).args(args).output().unwrap();
	(
		output.status.success(),
		String::from_utf8(output.stdout).unwrap(),
		String::from_utf8(output.stderr).unwrap(),
	)
}

#[test]
fn baseline_fit_prints_the_model_contracts_take_and_refuses_too_little_data() {
	let dir = tempfile::tempdir().unwrap();
	let year = dir.path().join("year.csv");
	let mut text = String::from("start,energy_kwh,temperature_c\n");
	for day in common::synthetic_days(365) {
		text.push_str(&format!(
			"{}T00:00:00+01:00,{},{}\n",
			day.day,
			day.energy / 1000.0,
			day.temperature
		));
	}
	std::fs::write(&year, &text).unwrap();
	let year = year.to_str().unwrap();

	let (ok, out, err) = bridge(&["baseline", "fit", "--csv", year]);
	assert!(ok, "{err}");
	assert!(out.contains("daily model: intercept + heating and cooling degree-days"), "{out}");
	assert!(out.contains("ASHRAE Guideline 14"), "{out}");
	assert!(out.contains("contract baseline (DailyBaseline): {\"intercept\":"), "{out}");
	assert!(out.contains("90 % of days within  ±"), "{out}");
	assert!(out.contains("savings over 365 days known to  ±"), "{out}");
	assert!(out.contains("savings are determined (Guideline 14"), "{out}");
	assert!(err.contains("balance points: "), "a progress line: {err}");

	let (ok, out, _) = bridge(&["baseline", "fit", "--csv", year, "--json"]);
	assert!(ok);
	let report: serde_json::Value = serde_json::from_str(&out).unwrap();
	assert_eq!(report["model"], "daily");
	assert_eq!(report["chain_baseline"]["observations"], 365);
	// The residuals' autocorrelation the chain's savings uncertainty takes, in millionths.
	let rho = report["fit"]["statistics"]["autocorrelation"].as_f64().unwrap().max(0.0);
	assert_eq!(report["chain_baseline"]["autocorrelation"], (rho * 1e6).round() as u64);
	let heating = report["fit"]["heating_balance"].as_f64().unwrap();
	assert!((heating - 15.0).abs() <= 0.5, "{heating}");
	// ±2 kWh of uniform noise, σ ≈ 1.15 kWh: 90 % of days within about ±1.9 kWh.
	let interval = report["uncertainty"]["interval"].as_f64().unwrap();
	assert!((1_600.0..2_300.0).contains(&interval), "{interval}");
	assert_eq!(report["uncertainty"]["confidence"], 0.9);

	// A reporting year that used a tenth less: about a tenth avoided, known to a few per cent.
	let reporting = dir.path().join("reporting.csv");
	let mut text = String::from("start,energy_kwh,temperature_c\n");
	for day in common::synthetic_days(365) {
		let next_year = day.day + chrono::TimeDelta::days(365);
		text.push_str(&format!(
			"{next_year}T00:00:00+01:00,{},{}\n",
			day.energy * 0.9 / 1000.0,
			day.temperature
		));
	}
	std::fs::write(&reporting, &text).unwrap();
	let reporting = reporting.to_str().unwrap();
	let (ok, out, err) = bridge(&["baseline", "fit", "--csv", year, "--reporting", reporting]);
	assert!(ok, "{err}");
	assert!(out.contains("reporting period: 365 days, 365 with metered use and a prediction"));
	let avoided = out.lines().find(|l| l.starts_with("avoided ")).unwrap();
	assert!(avoided.contains(" (10.0 %) ± ") && avoided.ends_with(" kWh at 90 %"), "{avoided}");
	let (ok, out, _) =
		bridge(&["baseline", "fit", "--csv", year, "--reporting", reporting, "--json"]);
	assert!(ok);
	let report: serde_json::Value = serde_json::from_str(&out).unwrap();
	let period = &report["reporting"];
	let rows = period["rows"].as_array().unwrap();
	assert_eq!(rows.len(), 365);
	assert_eq!(rows[0]["start"], "2026-01-01");
	let sum = |key: &str| rows.iter().map(|row| row[key].as_f64().unwrap()).sum::<f64>();
	assert!((sum("adjusted_baseline") - period["adjusted_baseline"].as_f64().unwrap()).abs() < 1.0);
	assert!((sum("metered") - period["metered"].as_f64().unwrap()).abs() < 1.0);
	let share = period["avoided"].as_f64().unwrap() / period["adjusted_baseline"].as_f64().unwrap();
	assert!((0.09..0.11).contains(&share), "{share}");
	// The hourly model predicts hours, not days.
	let (ok, _, err) = bridge(&[
		"baseline",
		"fit",
		"--csv",
		&hours_file(&dir),
		"--model",
		"hourly",
		"--allow-insufficient",
		"--reporting",
		reporting,
	]);
	assert!(!ok);
	assert!(
		err.contains("--reporting: the hourly model needs hourly data; these are days"),
		"{err}"
	);

	// Half a year is no baseline, unless asked for with a warning.
	let (ok, _, err) = bridge(&["baseline", "fit", "--csv", year, "--to", "2025-06-30"]);
	assert!(!ok);
	assert!(err.contains("not enough data"), "{err}");
	assert!(err.contains("the days span 181 days (2025-01-01 to 2025-06-30)"), "{err}");
	let (ok, out, _) =
		bridge(&["baseline", "fit", "--csv", year, "--to", "2025-06-30", "--allow-insufficient"]);
	assert!(ok);
	assert!(out.starts_with("warning: fitted despite insufficient data: the days span"), "{out}");

	// Days cannot make the hourly model; a missing file is named.
	let (ok, _, err) = bridge(&["baseline", "fit", "--csv", year, "--model", "hourly"]);
	assert!(!ok);
	assert!(err.contains("the hourly model needs hourly data"), "{err}");
	let (ok, _, err) = bridge(&["baseline", "fit", "--csv", "/nonexistent/use.csv"]);
	assert!(!ok);
	assert!(err.contains("/nonexistent/use.csv: cannot open the file"), "{err}");
}

/// Sixty days of synthetic hours in a CSV file in `dir`; its path.
fn hours_file(dir: &tempfile::TempDir) -> String {
	let path = dir.path().join("hours.csv");
	let hours = common::synthetic_hours(60);
	std::fs::write(&path, meter_bridge::baseline::series::write_csv(&hours)).unwrap();
	path.to_str().unwrap().to_string()
}

#[test]
fn forecast_prints_the_next_days_hours() {
	let dir = tempfile::tempdir().unwrap();
	let history = dir.path().join("hours.csv");
	let hours = common::synthetic_hours(60);
	std::fs::write(&history, meter_bridge::baseline::series::write_csv(&hours)).unwrap();
	let temperatures = dir.path().join("forecast.csv");
	let tomorrow = (hours.last().unwrap().start + chrono::TimeDelta::hours(1)).date_naive();
	std::fs::write(&temperatures, format!("start,temperature_f\n{tomorrow}T12:00:00+01:00,14\n"))
		.unwrap();

	let (ok, out, err) = bridge(&[
		"forecast",
		"--csv",
		history.to_str().unwrap(),
		"--temperatures",
		temperatures.to_str().unwrap(),
	]);
	assert!(ok, "{err}");
	assert!(out.starts_with(&format!("forecast for {tomorrow}: ")), "{out}");
	let noon = out.lines().find(|l| l.starts_with(&format!("{tomorrow}T12:00:00+01:00"))).unwrap();
	assert!(noon.contains("-10.0") && noon.ends_with("forecast"), "{noon}");
	let rows = out.lines().filter(|l| l.starts_with(&tomorrow.to_string())).count();
	assert_eq!(rows, 24, "{out}");

	let (ok, out, _) = bridge(&["forecast", "--csv", history.to_str().unwrap(), "--json"]);
	assert!(ok);
	let forecast: serde_json::Value = serde_json::from_str(&out).unwrap();
	assert_eq!(forecast["hours"].as_array().unwrap().len(), 24);
	// Each hour with the bounds 90 % of hours' use lies within.
	assert_eq!(forecast["confidence"], 0.9);
	let noon = &forecast["hours"][12];
	let value = |key: &str| noon[key].as_f64().unwrap();
	assert!(value("low") < value("energy") && value("energy") < value("high"), "{noon}");

	// Without a site, every site of the configuration; one without history says why.
	let config = dir.path().join("bridge.toml");
	let (ok, _, err) = bridge(&["forecast", "--config", config.to_str().unwrap()]);
	assert!(!ok);
	assert!(err.contains("bridge.toml"), "{err}");
	let (ok, _, err) = bridge(&["baseline", "fit"]);
	assert!(!ok);
	assert!(err.contains("give --csv FILE or --site NAME"), "{err}");
}
