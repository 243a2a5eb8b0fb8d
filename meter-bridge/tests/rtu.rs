//! Modbus RTU over a serial line: a pseudo-terminal pair from socat, the campus simulator
//! serving one end as `meter-bridge simulate --serial`, and meters on the other end sharing the
//! line, read one request at a time by unit id.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use meter_bridge::{
	config::Config,
	modbus::{MeterReader, ReadError, Sample, SerialBus},
};
use std::{
	path::Path,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

const BRIDGE: &str = env!("CARGO_BIN_EXE_meter-bridge");

/// Child processes killed when the test ends, also when it fails.
struct Children(Vec<Child>);

impl Drop for Children {
	fn drop(&mut self) {
		for child in &mut self.0 {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

fn wait_for(path: &Path) {
	let deadline = Instant::now() + Duration::from_secs(10);
	while !path.exists() {
		assert!(Instant::now() < deadline, "{} never appeared", path.display());
		std::thread::sleep(Duration::from_millis(50));
	}
}

fn rtu_config(port: &Path, unit: u8, map: &str) -> Config {
	let kind = if map == "sunspec" {
		"kind = \"grid_import\"\nmax_power = 100000"
	} else {
		"kind = \"temperature\""
	};
	let text = format!(
		"[bridge]\nnode = \"ws://127.0.0.1:9944\"\n\
		 [[sites]]\nname = \"s\"\nlatitude = 48.1\nlongitude = 11.6\nregion = \"DE-BY\"\n\
		 floor_area = 1000\nuse_type = \"office\"\ntime_zone = \"Europe/Berlin\"\n\
		 [[meters]]\nname = \"m\"\nsite = \"s\"\n{kind}\n\
		 connection = {{ rtu = \"{}\", baud = 19200 }}\nunit = {unit}\nmap = \"{map}\"\n\
		 [[maps]]\nname = \"outdoor\"\n\
		 temperature = {{ address = 0, register = \"input\", type = \"i16\", scale = 1.0 }}\n",
		port.display()
	);
	Config::parse(&text, "rtu.toml").unwrap()
}

fn reader(port: &Path, unit: u8, map: &str, bus: &std::sync::Arc<SerialBus>) -> MeterReader {
	let config = rtu_config(port, unit, map);
	MeterReader::on_bus(config.meters[0].clone(), &config.maps, bus.clone())
}

#[tokio::test]
async fn meters_on_one_serial_line_are_read_over_rtu() {
	let dir = tempfile::tempdir().unwrap();
	let (meters_end, bridge_end) = (dir.path().join("meters"), dir.path().join("bridge"));
	let socat = Command::new("socat")
		.arg(format!("pty,raw,echo=0,link={}", meters_end.display()))
		.arg(format!("pty,raw,echo=0,link={}", bridge_end.display()))
		.stderr(Stdio::null())
		.spawn()
		.expect("socat is missing: scripts/setup installs it (Debian package socat)");
	let mut children = Children(vec![socat]);
	wait_for(&meters_end);
	wait_for(&bridge_end);
	let simulator = Command::new(BRIDGE)
		.args(["simulate", "--buildings", "3", "--seed", "4", "--baud", "19200", "--serial"])
		.arg(&meters_end)
		.stdout(Stdio::null())
		.spawn()
		.unwrap();
	children.0.push(simulator);

	let line = SerialBus::new();
	let mut first = reader(&bridge_end, 1, "sunspec", &line);
	let mut second = reader(&bridge_end, 2, "sunspec", &line);
	let mut outdoor = reader(&bridge_end, 1, "outdoor", &line);
	// The simulator opens its end a moment after it starts.
	let deadline = Instant::now() + Duration::from_secs(10);
	let one = loop {
		match first.read().await {
			Ok(sample) => break sample,
			Err(error) => assert!(Instant::now() < deadline, "no answer over RTU: {error}"),
		}
	};
	// Both meters at once: the line takes one request at a time.
	let (two, temperature) = tokio::join!(second.read(), outdoor.read());
	let energy = |sample: &Sample| match sample {
		Sample::SunSpec(meter) => meter.energy_imported.map_or(0, |acc| acc.raw),
		other => panic!("not SunSpec: {other:?}"),
	};
	let two = two.unwrap();
	assert_ne!(energy(&one), energy(&two), "two buildings read the same");
	let Sample::Vendor { temperature: Some(tenths), .. } = temperature.unwrap() else {
		panic!("no temperature")
	};
	assert!((-300.0..=450.0).contains(&tenths), "{tenths} tenths of a degree");
	// A unit the simulated line does not have answers every base address with an exception,
	// and the others go on.
	let mut absent = reader(&bridge_end, 9, "sunspec", &line);
	assert!(matches!(absent.read().await, Err(ReadError::NoSunSpec)));
	assert!(first.read().await.is_ok());
	drop(children);
	// The line gone, the read fails with a reason and the health says so.
	let failed = first.read().await.unwrap_err();
	assert!(!failed.to_string().is_empty());
	assert!(matches!(first.health(), meter_bridge::modbus::Health::Failing { .. }));
}
