//! The `meter-bridge` command line: the simulator serves a campus a reader can read, and bad
//! arguments get a clear message.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use meter_bridge::modbus::{ReadError, Sample};
use std::{
	io::{BufRead, BufReader},
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
			.stdout(Stdio::piped())
			.stderr(Stdio::null())
			.spawn()
			.unwrap(),
	);
	let mut line = String::new();
	BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
	let address = line.trim().rsplit(' ').next().unwrap().to_string();
	assert!(line.starts_with("campus simulator: 4 buildings (seed 1) on 127.0.0.1:"), "{line}");

	let sample = common::sunspec_reader(&address, 1).read().await.unwrap();
	assert!(matches!(sample, Sample::SunSpec(_)));
	let error = common::sunspec_reader(&address, 3).read().await.unwrap_err();
	assert!(matches!(error, ReadError::Exception(ExceptionCode::ServerDeviceFailure)), "{error}");
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
	let beyond =
		run(&["simulate", "--listen", "127.0.0.1:0", "--buildings", "3", "--fault", "5:stuck"]);
	assert!(beyond.contains("--fault 5: the campus has buildings 0 to 2"), "{beyond}");
}
