//! A simulated campus for demos and tests: buildings whose demand follows occupancy and the
//! outdoor temperature, with PV on the roof, served over Modbus TCP as SunSpec meters — a real
//! Modbus peer for the bridge. Deterministic for a seed: the same seed gives the same energy at
//! the same time, however often it is read.
//!
//! Building `b` (from 0) answers as unit `b + 1`: SunSpec at 40 000 (common model, then a
//! three-phase meter (203) of the grid connection, import and export), and its outdoor
//! temperature sensor as input register 0 (i16, 0.1 °C). Every third building has PV on the
//! roof, whose inverter is a device of its own: the campus's `k`-th PV building's answers as
//! unit `buildings + 1 + k`, SunSpec at 40 000 (common model, then a three-phase inverter
//! (103) with its lifetime output). The grid meter sees the building's use net of the PV, as a
//! real grid connection does. Every fourth building from the third is heated by the district
//! heating network, not electrically: its heat meter answers on the building's unit as input
//! registers 1 to 3 (a gateway's map: energy and power). Its weather and market feeds, for a node's oracle worker, are in
//! [`feeds`]; its buildings' past year, as a utility and a site would export it, in
//! [`history`].

pub mod ems;
pub mod feeds;
pub mod history;

use crate::sunspec::MARKER;
use std::{
	future,
	net::SocketAddr,
	sync::{Arc, Mutex},
};
use tokio_modbus::{server::Service, ExceptionCode, Request, Response, SlaveRequest};

/// Minutes in a day.
const DAY_MINUTES: u64 = 24 * 60;

/// The weather and market region of every building on the campus, and of its feeds.
pub const REGION: &str = "DE-BY";
/// The time zone of every building on the campus.
pub const CAMPUS_TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Berlin;

/// The most buildings a campus has: with the inverters of its PV buildings (every third), they
/// take the 247 Modbus unit ids.
pub const MAX_BUILDINGS: usize = 185;

/// What can go wrong with a building's meter, to test the bridge against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
	/// The import register stops moving.
	Stuck,
	/// The import counter starts again from zero.
	CounterReset,
	/// The meter does not answer (device failure exceptions).
	Dropout,
	/// The import register jumps by an absurd amount.
	Spike,
}

/// One building's physics.
#[derive(Clone, Debug)]
pub struct Building {
	/// Base load when occupied, W.
	pub occupied_load: f64,
	/// Base load when empty, W.
	pub idle_load: f64,
	/// Heating demand per kelvin below 15 °C, W/K.
	pub heating: f64,
	/// Cooling demand per kelvin above 22 °C, W/K.
	pub cooling: f64,
	/// PV peak power, W.
	pub pv_peak: f64,
	/// Heated by the district heating network, its heat counted by a heat meter, instead of
	/// by electric heat pumps on the grid meter.
	pub district_heat: bool,
	/// Its HVAC plant (ventilation, heat pumps and chillers) has a sub-meter that its energy
	/// management system logs, and its heat pumps and chillers were replaced with more
	/// efficient ones at the start of the UTC day before the simulator started: the energy
	/// performance contract's retrofit. Building [`EMS_BUILDING`] only.
	pub hvac_submetered: bool,
}

/// The building whose HVAC plant is sub-metered through its energy management system (see
/// [`ems`]) and was retrofitted the day before the simulator started.
pub const EMS_BUILDING: usize = 1;
/// The share of a building's base load that is its ventilation, on the HVAC plant.
const VENTILATION_SHARE: f64 = 0.2;
/// What retrofitted heat pumps and chillers draw for the same heating and cooling, against
/// the old ones.
const RETROFIT_DRAW: f64 = 0.8;

/// The campus: its buildings, the seed, and the faults injected.
pub struct Campus {
	seed: u64,
	buildings: Vec<Building>,
	/// The buildings with PV, in the order of their inverters' unit ids.
	pv_buildings: Vec<usize>,
	state: Mutex<Vec<MeterState>>,
	/// The minute from which the HVAC retrofit draws less: the start of the UTC day before
	/// the campus started.
	retrofit_minute: u64,
}

/// A Modbus device of the campus.
#[derive(Clone, Copy, Debug)]
enum Device {
	/// Building `index`'s grid meter and temperature sensor.
	Building(usize),
	/// The inverter of building `index`'s PV.
	Inverter(usize),
}

#[derive(Clone, Debug, Default)]
struct MeterState {
	/// Minute up to which energy was integrated.
	minute: u64,
	imported: f64,
	exported: f64,
	/// What the PV produced, Wh.
	generated: f64,
	/// Heat delivered by the district heating network, Wh.
	heat: f64,
	fault: Option<Fault>,
	/// The import register's value when a fault began.
	frozen: f64,
}

impl Campus {
	/// `count` buildings of varied size, accumulating from `start_ms` (ms since the epoch); at
	/// most [`MAX_BUILDINGS`], beyond which the Modbus unit ids run out.
	pub fn new(seed: u64, count: usize, start_ms: u64) -> Campus {
		let count = count.min(MAX_BUILDINGS);
		let buildings = (0..count)
			.map(|index| {
				let size = 0.5 + unit(mix(seed, index as u64, 0)) * 1.5;
				Building {
					occupied_load: 60_000.0 * size,
					idle_load: 15_000.0 * size,
					heating: 4_000.0 * size,
					cooling: 3_000.0 * size,
					pv_peak: if index % 3 == 0 { 50_000.0 * size } else { 0.0 },
					district_heat: index % 4 == 2,
					hvac_submetered: index == EMS_BUILDING,
				}
			})
			.collect::<Vec<Building>>();
		let pv_buildings =
			(0..count).filter(|index| buildings[*index].pv_peak > 0.0).collect::<Vec<_>>();
		let start_minute = start_ms / 60_000;
		let state = vec![MeterState { minute: start_minute, ..Default::default() }; count];
		let retrofit_minute = (start_minute / DAY_MINUTES).saturating_sub(1) * DAY_MINUTES;
		Campus { seed, buildings, pv_buildings, state: Mutex::new(state), retrofit_minute }
	}

	pub fn buildings(&self) -> &[Building] {
		&self.buildings
	}

	/// The Modbus unit id of building `index`'s meter and sensor.
	pub fn building_unit(&self, index: usize) -> Option<u8> {
		u8::try_from(index.checked_add(1)?).ok().filter(|_| index < self.buildings.len())
	}

	/// The Modbus unit id of building `index`'s PV inverter, if it has PV.
	pub fn inverter_unit(&self, index: usize) -> Option<u8> {
		let k = self.pv_buildings.iter().position(|pv| *pv == index)?;
		u8::try_from(self.buildings.len() + 1 + k).ok()
	}

	/// The device answering as `unit`.
	fn device(&self, unit: u8) -> Option<Device> {
		let index = usize::from(unit).checked_sub(1)?;
		if index < self.buildings.len() {
			return Some(Device::Building(index));
		}
		self.pv_buildings.get(index - self.buildings.len()).map(|pv| Device::Inverter(*pv))
	}

	/// A bridge configuration for this campus served at `address`: per building a site, its
	/// grid import meter, if it has PV its export meter and its PV's generation meter (the
	/// inverter), if the district heats it its heat meter, and its outdoor temperature sensor;
	/// with the bridge's HTTP at `http` if given, and with `ems` (the folder the energy
	/// management system exports into) the sub-metered building's HVAC plant as a CSV meter.
	pub fn bridge_config(
		&self,
		address: SocketAddr,
		node: &str,
		poll_seconds: u32,
		http: Option<SocketAddr>,
		ems: Option<&std::path::Path>,
	) -> String {
		let http = http.map(|http| format!("http = \"{http}\"\n")).unwrap_or_default();
		let mut toml = format!(
			"# The simulated campus (seed {}) at {address}, written by `meter-bridge simulate`.\n\
			 [bridge]\nnode = \"{node}\"\npoll_seconds = {poll_seconds}\n{http}\n\
			 [[maps]]\nname = \"campus-temperature\"\n\
			 temperature = {{ address = 0, register = \"input\", type = \"i16\", scale = 1.0 }}\n\
			 \n[[maps]]\nname = \"campus-heat\"\n\
			 energy = {{ address = 1, register = \"input\", type = \"u32\", scale = 10.0 }}\n\
			 power = {{ address = 3, register = \"input\", type = \"i16\", scale = 100.0 }}\n",
			self.seed
		);
		const USES: [&str; 5] = ["education", "laboratory", "office", "residential", "sports"];
		for (index, building) in self.buildings.iter().enumerate() {
			// Every building has its unit: the campus is at most MAX_BUILDINGS.
			let Some(unit) = self.building_unit(index) else { continue };
			let size = building.occupied_load / 60_000.0;
			let name = format!("building-{index:02}");
			toml.push_str(&format!(
				"\n[[sites]]\nname = \"{name}\"\nlatitude = {:.4}\nlongitude = {:.4}\n\
				 region = \"{REGION}\"\nfloor_area = {}\nuse_type = \"{}\"\n\
				 time_zone = \"{CAMPUS_TIME_ZONE}\"\n",
				48.1490 + (index / 10) as f64 * 0.001,
				11.5670 + (index % 10) as f64 * 0.001,
				(4_000.0 * size).round() as u32,
				USES[index % USES.len()],
			));
			let meter = |suffix: &str, kind: &str, unit: u8, map: &str| {
				format!(
					"\n[[meters]]\nname = \"{name}-{suffix}\"\nsite = \"{name}\"\n\
					 kind = \"{kind}\"\nconnection = {{ tcp = \"{address}\" }}\n\
					 unit = {unit}\nmap = \"{map}\"\n"
				)
			};
			// Limits well above the simulated loads, so only injected faults look implausible.
			toml.push_str(&meter("grid", "grid_import", unit, "sunspec"));
			toml.push_str("max_power = 500000\n");
			if let Some(inverter) = self.inverter_unit(index) {
				toml.push_str(&meter("export", "grid_export", unit, "sunspec"));
				toml.push_str("max_power = 200000\n");
				toml.push_str(&meter("pv", "generation", inverter, "sunspec"));
				toml.push_str("max_power = 200000\n");
			}
			if building.district_heat {
				toml.push_str(&meter("heat", "heat", unit, "campus-heat"));
				toml.push_str("max_power = 1000000\n");
			}
			toml.push_str(&meter("outdoor", "temperature", unit, "campus-temperature"));
			if let (true, Some(root)) = (building.hvac_submetered, ems) {
				toml.push_str(&ems::csv_meter_config(root, index));
			}
		}
		toml
	}

	/// Injects `fault` into building `index` (or clears it with `None`).
	pub fn set_fault(&self, index: usize, fault: Option<Fault>, now_ms: u64) {
		let mut state = self.lock();
		self.advance(&mut state, now_ms);
		let imported = state.get(index).map(|meter| self.totals(index, meter, now_ms).imported);
		if let (Some(meter), Some(imported)) = (state.get_mut(index), imported) {
			meter.frozen = imported;
			meter.fault = fault;
		}
	}

	/// Outdoor temperature at `minute`, °C: the seasons of the campus's region (a day's mean
	/// from about −1 °C in mid-January to 19 °C in mid-July), a daily swing of ±5 K, coldest
	/// at 5:00, and a seeded wobble per hour, so a year of it has the heating and cooling
	/// seasons a baseline is fitted on.
	pub fn outdoor_temperature(&self, minute: u64) -> f64 {
		use std::f64::consts::TAU;
		const YEAR_DAYS: f64 = 365.2425;
		/// Days from 1 January to the coldest day.
		const COLDEST_DAY: f64 = 15.0;
		let day = minute as f64 / DAY_MINUTES as f64;
		let season = -10.0 * (TAU * (day % YEAR_DAYS - COLDEST_DAY) / YEAR_DAYS).cos();
		let day_phase = ((minute % DAY_MINUTES) as f64 - 300.0) / DAY_MINUTES as f64;
		let swing = -5.0 * (TAU * day_phase).cos();
		9.0 + season + swing + (unit(mix(self.seed, u64::MAX, minute / 60)) - 0.5) * 2.0
	}

	/// What building `index`'s PV produces at `minute`, W: its peak as high as the sun stands,
	/// less under the clouds of the half hour.
	pub fn generation(&self, index: usize, minute: u64) -> f64 {
		let Some(building) = self.buildings.get(index) else { return 0.0 };
		let clouds = unit(mix(self.seed, index as u64, minute / 30));
		building.pv_peak * sun(minute) * (0.4 + 0.6 * clouds)
	}

	/// Building `index`'s net electric demand at `minute`, W (negative when PV exceeds the
	/// load): its heating too unless the district heating network heats it.
	pub fn demand(&self, index: usize, minute: u64) -> f64 {
		let Some(building) = self.buildings.get(index) else { return 0.0 };
		let noise = 1.0 + (unit(mix(self.seed, index as u64 + 1_000, minute)) - 0.5) * 0.1;
		let (heating, cooling) = self.conditioning(index, minute);
		base_load(building, minute) * noise + heating + cooling - self.generation(index, minute)
	}

	/// What building `index`'s HVAC plant draws at `minute`, W: its ventilation (part of the
	/// base load, demand-controlled: a share of it, more while the building is occupied) and
	/// its electric heating and cooling.
	pub fn hvac(&self, index: usize, minute: u64) -> f64 {
		let Some(building) = self.buildings.get(index) else { return 0.0 };
		let (heating, cooling) = self.conditioning(index, minute);
		base_load(building, minute) * VENTILATION_SHARE + heating + cooling
	}

	/// What building `index`'s HVAC plant drew over `minutes`, Wh, minute by minute as its
	/// sub-meter counts it.
	pub fn hvac_energy(&self, index: usize, minutes: std::ops::Range<u64>) -> f64 {
		minutes.map(|minute| self.hvac(index, minute) / 60.0).sum()
	}

	/// The minute from which the retrofitted building's heat pumps and chillers draw less.
	pub fn retrofit_minute(&self) -> u64 {
		self.retrofit_minute
	}

	/// Building `index`'s electric heating (none where the district heats it) and cooling at
	/// `minute`, W, less after the retrofit of a sub-metered plant.
	fn conditioning(&self, index: usize, minute: u64) -> (f64, f64) {
		let Some(building) = self.buildings.get(index) else { return (0.0, 0.0) };
		let heating = if building.district_heat { 0.0 } else { self.heating(index, minute) };
		let cooling = (self.outdoor_temperature(minute) - 22.0).max(0.0) * building.cooling;
		let draw = match building.hvac_submetered && minute >= self.retrofit_minute {
			true => RETROFIT_DRAW,
			false => 1.0,
		};
		(heating * draw, cooling * draw)
	}

	/// Building `index`'s heating demand at `minute`, W: in proportion to how far the outdoor
	/// temperature is below 15 °C.
	pub fn heating(&self, index: usize, minute: u64) -> f64 {
		let Some(building) = self.buildings.get(index) else { return 0.0 };
		(15.0 - self.outdoor_temperature(minute)).max(0.0) * building.heating
	}

	/// The heat the district heating network delivers to building `index` at `minute`, W:
	/// its heating and a steady draw for hot water (as much as one kelvin of heating); none for
	/// a building it does not heat.
	pub fn district_heat(&self, index: usize, minute: u64) -> f64 {
		match self.buildings.get(index) {
			Some(building) if building.district_heat => {
				self.heating(index, minute) + building.heating
			}
			_ => 0.0,
		}
	}

	/// The SunSpec image and input registers of the device answering as `unit` at `now_ms`.
	fn registers(&self, unit: u8, now_ms: u64) -> Result<Registers, ExceptionCode> {
		let device = self.device(unit).ok_or(ExceptionCode::IllegalDataAddress)?;
		let mut state = self.lock();
		self.advance(&mut state, now_ms);
		let minute = now_ms / 60_000;
		let index = match device {
			Device::Building(index) => index,
			Device::Inverter(index) => {
				let meter = state.get(index).ok_or(ExceptionCode::IllegalDataAddress)?;
				let generated = self.totals(index, meter, now_ms).generated;
				let image = inverter_image(self.generation(index, minute), generated);
				return Ok(Registers { image, input: Vec::new() });
			}
		};
		let meter = state.get(index).ok_or(ExceptionCode::IllegalDataAddress)?;
		let totals = self.totals(index, meter, now_ms);
		let imported = match meter.fault {
			Some(Fault::Dropout) => return Err(ExceptionCode::ServerDeviceFailure),
			Some(Fault::Stuck) => meter.frozen,
			Some(Fault::CounterReset) => totals.imported - meter.frozen,
			Some(Fault::Spike) => totals.imported + 1.0e9,
			None => totals.imported,
		};
		let temperature = (self.outdoor_temperature(minute) * 10.0).round() as i16;
		let power = self.demand(index, minute);
		let mut input = vec![temperature as u16];
		if self.buildings.get(index).is_some_and(|building| building.district_heat) {
			input.extend(heat_meter_registers(totals.heat, self.district_heat(index, minute)));
		}
		Ok(Registers { image: meter_image(power, imported, totals.exported), input })
	}

	/// Building `index`'s registers at `now_ms`: the whole minutes integrated and the current
	/// minute's energy so far, so the registers move smoothly, as a meter's do.
	fn totals(&self, index: usize, meter: &MeterState, now_ms: u64) -> Totals {
		let minute = now_ms / 60_000;
		let so_far = |watts: f64| watts.abs() / 60.0 * (now_ms % 60_000) as f64 / 60_000.0;
		let power = self.demand(index, minute);
		let generated = meter.generated + so_far(self.generation(index, minute));
		let heat = meter.heat + so_far(self.district_heat(index, minute));
		if power >= 0.0 {
			let imported = meter.imported + so_far(power);
			Totals { imported, exported: meter.exported, generated, heat }
		} else {
			let exported = meter.exported + so_far(power);
			Totals { imported: meter.imported, exported, generated, heat }
		}
	}

	/// Integrates every building's demand and generation minute by minute up to `now_ms`.
	fn advance(&self, state: &mut [MeterState], now_ms: u64) {
		let now = now_ms / 60_000;
		for (index, meter) in state.iter_mut().enumerate() {
			while meter.minute < now {
				let watts = self.demand(index, meter.minute);
				// One minute of `watts`, in Wh.
				if watts >= 0.0 {
					meter.imported += watts / 60.0;
				} else {
					meter.exported += -watts / 60.0;
				}
				meter.generated += self.generation(index, meter.minute) / 60.0;
				meter.heat += self.district_heat(index, meter.minute) / 60.0;
				meter.minute += 1;
			}
		}
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, Vec<MeterState>> {
		// A panic elsewhere while holding the lock leaves consistent numbers: keep serving.
		self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

/// A building's registers at one instant, Wh.
struct Totals {
	imported: f64,
	exported: f64,
	generated: f64,
	heat: f64,
}

struct Registers {
	/// Holding registers from 40 000.
	image: Vec<u16>,
	/// Input registers from 0.
	input: Vec<u16>,
}

/// Marker and common model of a device named `model`.
fn sunspec_head(model: &str) -> Vec<u16> {
	let mut words = MARKER.to_vec();
	words.extend([1, 66]);
	let mut common = vec![0u16; 66];
	let fields = [("SmartBlocks", 0), (model, 16)];
	for (text, offset) in fields {
		for (slot, pair) in common[offset..offset + 16].iter_mut().zip(text.as_bytes().chunks(2)) {
			*slot = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
		}
	}
	common[64] = 1;
	words.extend(common);
	words
}

/// `wh` as an acc32's two registers, wrapped at 2^32 as a device's counter wraps.
fn acc32(wh: f64) -> [u16; 2] {
	let value = (wh.max(0.0) as u64 % (1 << 32)) as u32;
	[(value >> 16) as u16, value as u16]
}

/// `watts` in tens of W (scale factor 1), so a campus building fits an int16.
fn tens_of_watts(watts: f64) -> u16 {
	((watts / 10.0).round().clamp(-32_767.0, 32_767.0) as i16) as u16
}

/// A grid meter: marker, common model, model 203 (power, energy in Wh), end.
fn meter_image(power: f64, imported: f64, exported: f64) -> Vec<u16> {
	let mut words = sunspec_head("campus meter");
	words.extend([203, 105]);
	let mut body = vec![0x8000u16; 105];
	body[16] = tens_of_watts(power);
	body[20] = 1;
	body[36..38].copy_from_slice(&acc32(exported));
	body[44..46].copy_from_slice(&acc32(imported));
	body[52] = 0;
	words.extend(body);
	words.extend([0xFFFF, 0]);
	words
}

/// A district heat meter's input registers from 1, as its Modbus gateway maps them: energy in
/// tens of Wh as a u32 (high word first), wrapping as a counter does, then power in hundreds of
/// W as an i16. [`Campus::bridge_config`]'s `campus-heat` map reads them.
fn heat_meter_registers(wh: f64, watts: f64) -> [u16; 3] {
	let tens = ((wh / 10.0).max(0.0) as u64 % (1 << 32)) as u32;
	let hundreds = (watts / 100.0).round().clamp(-32_767.0, 32_767.0) as i16;
	[(tens >> 16) as u16, tens as u16, hundreds as u16]
}

/// A PV inverter: marker, common model, model 103 (AC power, lifetime energy in Wh, operating
/// state), end.
fn inverter_image(power: f64, generated: f64) -> Vec<u16> {
	/// SunSpec's operating states: producing (MPPT) and asleep (no sun).
	const MPPT: u16 = 4;
	const SLEEPING: u16 = 2;
	let mut words = sunspec_head("campus PV inverter");
	words.extend([103, 50]);
	let mut body = vec![0x8000u16; 50];
	body[12] = tens_of_watts(power);
	body[13] = 1;
	body[22..24].copy_from_slice(&acc32(generated));
	body[24] = 0;
	body[36] = if power > 0.0 { MPPT } else { SLEEPING };
	words.extend(body);
	words.extend([0xFFFF, 0]);
	words
}

/// Serves a campus over Modbus; unit `b + 1` is building `b`, the units after the buildings'
/// their PV inverters.
#[derive(Clone)]
pub struct CampusService {
	campus: Arc<Campus>,
	clock: fn() -> u64,
}

impl CampusService {
	/// Serves `campus` at the times `clock` gives (ms since the epoch).
	pub fn new(campus: Arc<Campus>, clock: fn() -> u64) -> CampusService {
		CampusService { campus, clock }
	}
}

impl Service for CampusService {
	type Request = SlaveRequest<'static>;
	type Response = Response;
	type Exception = ExceptionCode;
	type Future = future::Ready<Result<Response, ExceptionCode>>;

	fn call(&self, request: SlaveRequest<'static>) -> Self::Future {
		let read = |image: &[u16], first: u16, address: u16, count: u16| {
			let from =
				usize::from(address.checked_sub(first).ok_or(ExceptionCode::IllegalDataAddress)?);
			image
				.get(from..from + usize::from(count))
				.map(<[u16]>::to_vec)
				.ok_or(ExceptionCode::IllegalDataAddress)
		};
		let answer =
			self.campus.registers(request.slave, (self.clock)()).and_then(
				|registers| match request.request {
					Request::ReadHoldingRegisters(address, count) => {
						read(&registers.image, 40_000, address, count)
							.map(Response::ReadHoldingRegisters)
					}
					Request::ReadInputRegisters(address, count) => {
						read(&registers.input, 0, address, count).map(Response::ReadInputRegisters)
					}
					_ => Err(ExceptionCode::IllegalFunction),
				},
			);
		future::ready(answer)
	}
}

/// A building's base load at `minute`, W: occupied Monday to Friday from 7:00 to 19:00 UTC.
fn base_load(building: &Building, minute: u64) -> f64 {
	// Day 0 of the epoch was a Thursday: Monday is 0 and Friday 4 after this shift.
	let weekday = (minute / DAY_MINUTES + 3) % 7 < 5;
	let hour = (minute % DAY_MINUTES) / 60;
	match weekday && (7..19).contains(&hour) {
		true => building.occupied_load,
		false => building.idle_load,
	}
}

/// How high the sun stands at `minute` (minutes since the epoch), 0 at night to 1 at noon UTC.
fn sun(minute: u64) -> f64 {
	let day_fraction = (minute % DAY_MINUTES) as f64 / DAY_MINUTES as f64;
	(std::f64::consts::PI * (day_fraction - 0.25) * 2.0).sin().max(0.0)
}

/// A number from `seed`, `a` and `b`, spread evenly over u64 (splitmix64).
fn mix(seed: u64, a: u64, b: u64) -> u64 {
	let mut z =
		seed ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xBF58_476D_1CE4_E5B9);
	z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
	z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
	z ^ (z >> 31)
}

/// `bits` as a number in [0, 1).
fn unit(bits: u64) -> f64 {
	(bits >> 11) as f64 / (1u64 << 53) as f64
}
