//! The campus simulator served over real Modbus TCP: the bridge's reader finds each building's
//! SunSpec meter, energy accumulates with simulated time, the same seed gives the same campus,
//! and injected faults look to the bridge as they would from a real meter.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use meter_bridge::{
	accumulator::{Advance, Unwrapper},
	config::{Config, Kind},
	csv_source::{read_rows, row_readings},
	measure::MeterState,
	modbus::{MeterReader, ReadError, Sample},
	simulator::{ems, Campus, CampusService, Fault, CAMPUS_TIME_ZONE},
};
use std::{
	net::SocketAddr,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
};
use tokio::net::TcpListener;
use tokio_modbus::{client::Reader, server::tcp::Server, ExceptionCode, Slave};

/// 2026-11-23 (a Monday) 00:00 UTC.
const MONDAY: u64 = 1_795_392_000_000;
const HOUR: u64 = 3_600_000;

static NOW: AtomicU64 = AtomicU64::new(MONDAY);
/// The clock of the PV test, which runs beside the other.
static PV_NOW: AtomicU64 = AtomicU64::new(MONDAY);
/// The clock of the heat meter test.
static HEAT_NOW: AtomicU64 = AtomicU64::new(MONDAY);

fn now() -> u64 {
	NOW.load(Ordering::SeqCst)
}

fn pv_now() -> u64 {
	PV_NOW.load(Ordering::SeqCst)
}

fn heat_now() -> u64 {
	HEAT_NOW.load(Ordering::SeqCst)
}

async fn serve(campus: Arc<Campus>) -> SocketAddr {
	serve_at(campus, now).await
}

async fn serve_at(campus: Arc<Campus>, clock: fn() -> u64) -> SocketAddr {
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	tokio::spawn(async move {
		let server = Server::new(listener);
		let on_connected = |stream, _| {
			let service = CampusService::new(campus.clone(), clock);
			async move { Ok(Some((service, stream))) }
		};
		let _ = server.serve(&on_connected, |_| {}).await;
	});
	address
}

async fn imported(reader: &mut MeterReader) -> Result<u32, ReadError> {
	let Sample::SunSpec(meter) = reader.read().await? else { panic!("not SunSpec") };
	Ok(meter.energy_imported.map_or(0, |acc| acc.raw))
}

// One test, as the simulated clock is shared (the PV test has its own).
#[tokio::test]
async fn serves_buildings_whose_energy_follows_time_and_faults() {
	let campus = Arc::new(Campus::new(7, 5, MONDAY));
	let address = serve(campus.clone()).await;
	let mut building = common::sunspec_reader(&address.to_string(), 2);

	// Monday 10:00: an occupied office on a November morning draws power and has used energy.
	NOW.store(MONDAY + 10 * HOUR, Ordering::SeqCst);
	let Sample::SunSpec(meter) = building.read().await.unwrap() else { panic!("not SunSpec") };
	assert!(meter.power.unwrap() > 10_000.0, "{meter:?}");
	let morning = meter.energy_imported.unwrap().raw;
	assert!(morning > 100_000, "{morning} Wh by 10:00");
	// An hour later, about an hour of that power more.
	NOW.store(MONDAY + 11 * HOUR, Ordering::SeqCst);
	let later = imported(&mut building).await.unwrap();
	let hour = f64::from(later - morning);
	assert!(hour > 10_000.0 && hour < 500_000.0, "{hour} Wh in an hour");

	// The temperature sensor: input register 0 in 0.1 °C, as the simulation says.
	let mut context = tokio_modbus::client::tcp::connect_slave(address, Slave(2)).await.unwrap();
	let words = context.read_input_registers(0, 1).await.unwrap().unwrap();
	let expected = (campus.outdoor_temperature(now() / 60_000) * 10.0).round() as i16;
	assert_eq!(words[0] as i16, expected);

	// The same seed makes the same campus; another seed another.
	let twin = Campus::new(7, 5, MONDAY);
	let other = Campus::new(8, 5, MONDAY);
	let minute = (MONDAY + 10 * HOUR) / 60_000;
	assert_eq!(twin.demand(1, minute), campus.demand(1, minute));
	assert_ne!(other.demand(1, minute), campus.demand(1, minute));

	// A stuck register stops moving.
	campus.set_fault(1, Some(Fault::Stuck), now());
	let stuck = imported(&mut building).await.unwrap();
	NOW.store(MONDAY + 12 * HOUR, Ordering::SeqCst);
	assert_eq!(imported(&mut building).await.unwrap(), stuck);

	// A counter reset: the bridge's unwrapper flags it instead of counting on.
	campus.set_fault(1, None, now());
	let mut unwrapper = Unwrapper::default();
	unwrapper.observe(imported(&mut building).await.unwrap());
	campus.set_fault(1, Some(Fault::CounterReset), now());
	NOW.store(MONDAY + 13 * HOUR, Ordering::SeqCst);
	let after = imported(&mut building).await.unwrap();
	assert!(matches!(unwrapper.observe(after), Advance::Reset { .. }));

	// A dropout: the meter answers with a device failure and the reader reports it.
	campus.set_fault(1, Some(Fault::Dropout), now());
	let error = building.read().await.unwrap_err();
	assert!(matches!(error, ReadError::Exception(ExceptionCode::ServerDeviceFailure)), "{error}");

	// A building beyond the campus is an illegal address.
	let mut nobody = common::sunspec_reader(&address.to_string(), 9);
	assert!(matches!(nobody.read().await.unwrap_err(), ReadError::NoSunSpec));
}

/// Building `index`'s grid import, export and PV output at `at`, as the bridge reads them.
async fn registers(address: &str, campus: &Campus, index: usize, at: u64) -> [f64; 3] {
	PV_NOW.store(at, Ordering::SeqCst);
	let unit = campus.building_unit(index).unwrap();
	let Sample::SunSpec(meter) = common::sunspec_reader(address, unit).read().await.unwrap() else {
		panic!("not a meter")
	};
	let inverter = campus.inverter_unit(index).unwrap();
	let (config, maps) =
		common::meter_config_of_kind("generation", address, inverter, "sunspec", "");
	let Sample::Inverter(pv) = MeterReader::new(config, &maps).read().await.unwrap() else {
		panic!("not an inverter")
	};
	let wh = |accumulator: Option<meter_bridge::sunspec::Accumulator>| {
		f64::from(accumulator.unwrap().raw)
	};
	[wh(meter.energy_imported), wh(meter.energy_exported), wh(pv.energy)]
}

#[tokio::test]
async fn pv_buildings_have_an_inverter_of_their_own_and_the_energy_balances() {
	let campus = Arc::new(Campus::new(7, 5, MONDAY));
	let address = serve_at(campus.clone(), pv_now).await.to_string();
	// Buildings 0 and 3 have PV; their inverters answer after the five buildings.
	assert_eq!((campus.inverter_unit(0), campus.inverter_unit(3)), (Some(6), Some(7)));
	assert_eq!((campus.inverter_unit(1), campus.building_unit(4)), (None, Some(5)));

	// What the grid meter sees plus what the roof produced is what the building used: over
	// Monday's midday, import − export + generation is the load minute by minute.
	let (from, to) = (MONDAY + 10 * HOUR, MONDAY + 14 * HOUR);
	let before = registers(&address, &campus, 0, from).await;
	let after = registers(&address, &campus, 0, to).await;
	let [import, export, generated] = [0, 1, 2].map(|i| after[i] - before[i]);
	let (mut load, mut pv) = (0.0, 0.0);
	for minute in from / 60_000..to / 60_000 {
		load += (campus.demand(0, minute) + campus.generation(0, minute)) / 60.0;
		pv += campus.generation(0, minute) / 60.0;
	}
	assert!(generated > 10_000.0, "{generated} Wh of PV over midday");
	// The registers count whole Wh.
	assert!((generated - pv).abs() <= 2.0, "{generated} against {pv}");
	assert!(
		(import - export + generated - load).abs() <= 4.0,
		"{after:?} - {before:?} against {load}"
	);

	// At night the inverter sleeps: no power, no energy.
	let (config, maps) = common::meter_config_of_kind("generation", &address, 6, "sunspec", "");
	let mut inverter = MeterReader::new(config, &maps);
	PV_NOW.store(MONDAY + 22 * HOUR, Ordering::SeqCst);
	let Sample::Inverter(late) = inverter.read().await.unwrap() else { panic!("not an inverter") };
	PV_NOW.store(MONDAY + 23 * HOUR, Ordering::SeqCst);
	let Sample::Inverter(later) = inverter.read().await.unwrap() else { panic!("not an inverter") };
	assert_eq!((late.power, later.energy), (Some(0.0), late.energy));

	// Read as a grid meter, an inverter is refused by name; no device answers after them.
	let error = common::sunspec_reader(&address, 6).read().await.unwrap_err();
	assert!(matches!(error, ReadError::InverterNotGeneration { model: 103 }), "{error}");
	let error = common::sunspec_reader(&address, 8).read().await.unwrap_err();
	assert!(matches!(error, ReadError::NoSunSpec), "{error}");

	// The bridge configuration reads each PV building's inverter as its generation meter.
	let text = campus.bridge_config("127.0.0.1:5020".parse().unwrap(), "ws://n", 5, None, None);
	let config = Config::parse(&text, "campus.toml").unwrap();
	let pv: Vec<_> = config.meters.iter().filter(|m| m.kind == Kind::Generation).collect();
	assert_eq!(
		pv.iter().map(|m| (m.name.as_str(), m.unit)).collect::<Vec<_>>(),
		[("building-00-pv", 6), ("building-03-pv", 7)]
	);
	// Grid meters, export and PV meters, building 2's heat meter, temperature sensors.
	assert_eq!(config.meters.len(), 5 + 2 + 2 + 1 + 5);
}

/// Energy (Wh) and power (W) of the heat meter `reader` reads, at `at`.
async fn heat_meter(reader: &mut MeterReader, at: u64) -> (f64, f64) {
	HEAT_NOW.store(at, Ordering::SeqCst);
	let Sample::Vendor { energy, power, .. } = reader.read().await.unwrap() else {
		panic!("not the vendor map")
	};
	(energy.unwrap(), power.unwrap())
}

#[tokio::test]
async fn district_heated_buildings_have_a_heat_meter_the_bridge_reads() {
	let campus = Arc::new(Campus::new(7, 5, MONDAY));
	let address = serve_at(campus.clone(), heat_now).await;
	// Building 2 is heated by the district: its heat meter is in the written configuration,
	// read with the gateway's map from the building's unit.
	let text = campus.bridge_config(address, "ws://n", 5, None, None);
	let config = Config::parse(&text, "campus.toml").unwrap();
	let heat: Vec<_> = config.meters.iter().filter(|m| m.kind == Kind::Heat).collect();
	assert_eq!(
		heat.iter().map(|m| (m.name.as_str(), m.unit)).collect::<Vec<_>>(),
		[("building-02-heat", 3)]
	);
	let mut reader = MeterReader::new(heat[0].clone(), &config.maps);
	// A November night: the heating runs, and the meter counts what the simulation delivers
	// (to the tens of Wh it counts in).
	let (from, to) = (MONDAY + HOUR, MONDAY + 5 * HOUR);
	let (before, power) = heat_meter(&mut reader, from).await;
	let (after, _) = heat_meter(&mut reader, to).await;
	let delivered: f64 =
		(from / 60_000..to / 60_000).map(|minute| campus.district_heat(2, minute) / 60.0).sum();
	assert!(delivered > 50_000.0, "{delivered} Wh of heat over four hours of a November night");
	assert!((after - before - delivered).abs() <= 20.0, "{after} - {before} against {delivered}");
	let expected = (campus.district_heat(2, from / 60_000) / 100.0).round() * 100.0;
	assert_eq!(power, expected);
	// Its electricity has no heating in it: the grid meter sees the rest of the load.
	let minute = from / 60_000;
	assert!(campus.heating(2, minute) > 0.0);
	let electric = campus.demand(2, minute) + campus.generation(2, minute);
	assert!(electric < campus.buildings()[2].occupied_load * 1.1, "{electric} W");

	// A building the district does not heat has no heat registers.
	let mut context = tokio_modbus::client::tcp::connect_slave(address, Slave(2)).await.unwrap();
	let answer = context.read_input_registers(1, 2).await.unwrap();
	assert_eq!(answer, Err(ExceptionCode::IllegalDataAddress));
}

#[test]
fn the_retrofitted_hvac_plant_draws_a_fifth_less_for_heating_and_cooling() {
	// Started on Monday: building 1's plant was retrofitted at the start of Sunday (UTC).
	let campus = Campus::new(7, 4, MONDAY);
	let retrofit = MONDAY / 60_000 - 24 * 60;
	assert_eq!(campus.retrofit_minute(), retrofit);
	// The same campus started two days later was not retrofitted yet on Monday.
	let before = Campus::new(7, 4, MONDAY + 48 * HOUR);
	for minute in [retrofit - 60, retrofit, MONDAY / 60_000 + 300, MONDAY / 60_000 + 600] {
		let conditioning = campus.heating(1, minute);
		assert!(conditioning > 0.0, "a November heating season");
		let saved = before.hvac(1, minute) - campus.hvac(1, minute);
		if minute < retrofit {
			assert_eq!(saved, 0.0);
		} else {
			assert!((saved - 0.2 * conditioning).abs() < 1e-6, "{saved} W of {conditioning} W");
		}
		// The building's grid meter sees the same saving; other buildings see none.
		let grid_saved = before.demand(1, minute) - campus.demand(1, minute);
		assert!((grid_saved - saved).abs() < 1e-6, "{grid_saved} W against {saved} W");
		for other in [0, 2, 3] {
			assert_eq!(before.demand(other, minute), campus.demand(other, minute));
		}
	}
}

#[test]
fn buildings_are_occupied_monday_to_friday_in_the_day() {
	let campus = Campus::new(7, 2, MONDAY);
	let idle = campus.buildings()[1].idle_load;
	// Building 1's use less its HVAC plant, whose ventilation is a fifth of the base load: four
	// fifths of its base load, ±5 % noise.
	let base = |minute: u64| (campus.demand(1, minute) - campus.hvac(1, minute)) / 0.8;
	for day in 0..7 {
		let morning = (MONDAY + day * 24 * HOUR + 10 * HOUR) / 60_000;
		let night = (MONDAY + day * 24 * HOUR + 22 * HOUR) / 60_000;
		let occupied = base(morning) > 2.0 * idle;
		assert_eq!(occupied, day < 5, "day {day} after Monday at 10:00");
		assert!(base(night) < 1.1 * idle, "day {day} after Monday at 22:00");
	}
}

#[test]
fn the_ems_log_of_the_hvac_plant_is_what_the_bridges_csv_meter_reads() {
	let campus = Campus::new(7, 2, MONDAY);
	let retrofit = campus.retrofit_minute();
	let dir = tempfile::tempdir().unwrap();
	// The configuration reads building 1's plant from its folder under the export root.
	let text = campus.bridge_config(
		"127.0.0.1:5020".parse().unwrap(),
		"ws://n",
		5,
		None,
		Some(dir.path()),
	);
	let config = Config::parse(&text, "campus.toml").unwrap();
	let [meter] = config.csv_meters.as_slice() else { panic!("{:?}", config.csv_meters) };
	assert_eq!(
		(meter.name.as_str(), meter.site.as_str(), meter.kind),
		("building-01-hvac", "building-01", Kind::SubMeter)
	);
	assert_eq!(meter.folder, ems::folder(dir.path(), 1));
	// Without the export root, no CSV meter.
	let text = campus.bridge_config("127.0.0.1:5020".parse().unwrap(), "ws://n", 5, None, None);
	assert!(Config::parse(&text, "campus.toml").unwrap().csv_meters.is_empty());

	// A day of the log from the retrofit's start: 97 rows, the first ending at the retrofit.
	let file = dir.path().join("trend.csv");
	std::fs::write(&file, campus.hvac_trend(1, retrofit - 15, retrofit + 24 * 60)).unwrap();
	let rows = read_rows(&file, meter, CAMPUS_TIME_ZONE).unwrap();
	assert_eq!(rows.len(), 97);
	assert_eq!(rows[0].timestamp, retrofit * 60_000);
	assert!(rows.windows(2).all(|pair| pair[1].timestamp - pair[0].timestamp == 15 * 60_000));
	// The day's readings add up to what the plant drew over the day, to the Wh of each row.
	let mut state = MeterState::default();
	let readings = row_readings(&rows, meter, 1, &mut state).unwrap();
	let first = readings[0].measured.register;
	let last = readings[96].measured.register;
	let drawn: f64 =
		(retrofit..retrofit + 24 * 60).map(|minute| campus.hvac(1, minute) / 60.0).sum();
	assert!(
		((last - first) as f64 - drawn).abs() <= 49.0,
		"{} Wh against {drawn} Wh",
		last - first
	);
}
