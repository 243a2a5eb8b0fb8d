//! Reading meters from a real Modbus TCP server on a loopback port: SunSpec discovery and a
//! vendor map, the exception a meter answers for an unknown register, and an unreachable meter,
//! each leaving the meter's health as it should.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use meter_bridge::{
	modbus::{Health, MeterReader, ReadError, Sample},
	sunspec::{Accumulator, InverterModel, ValueModel, MARKER},
};
use std::{collections::BTreeMap, future, net::SocketAddr, sync::Arc};
use tokio::net::TcpListener;
use tokio_modbus::{
	server::{tcp::Server, Service},
	ExceptionCode, Request, Response,
};

/// Holding and input registers by address; anything else is an illegal address.
#[derive(Default)]
struct Registers {
	holding: BTreeMap<u16, u16>,
	input: BTreeMap<u16, u16>,
}

impl Registers {
	fn read(map: &BTreeMap<u16, u16>, address: u16, count: u16) -> Result<Vec<u16>, ExceptionCode> {
		(address..address + count)
			.map(|a| map.get(&a).copied().ok_or(ExceptionCode::IllegalDataAddress))
			.collect()
	}
}

struct Meter(Arc<Registers>);

impl Service for Meter {
	type Request = Request<'static>;
	type Response = Response;
	type Exception = ExceptionCode;
	type Future = future::Ready<Result<Response, ExceptionCode>>;

	fn call(&self, request: Request<'static>) -> Self::Future {
		future::ready(match request {
			Request::ReadHoldingRegisters(address, count) => {
				Registers::read(&self.0.holding, address, count).map(Response::ReadHoldingRegisters)
			}
			Request::ReadInputRegisters(address, count) => {
				Registers::read(&self.0.input, address, count).map(Response::ReadInputRegisters)
			}
			_ => Err(ExceptionCode::IllegalFunction),
		})
	}
}

/// Serves `registers` over Modbus TCP on a free loopback port.
async fn serve(registers: Registers) -> SocketAddr {
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	let registers = Arc::new(registers);
	tokio::spawn(async move {
		let server = Server::new(listener);
		let on_connected = |stream, _| {
			let service = Meter(registers.clone());
			async move { Ok(Some((service, stream))) }
		};
		let _ = server.serve(&on_connected, |_| {}).await;
	});
	address
}

/// A SunSpec image at 40 000: marker, a common model, model 203, end.
fn sunspec_image() -> BTreeMap<u16, u16> {
	image(&[(203, meter_body())])
}

/// A SunSpec image at 40 000: marker, a common model, `models` (id and body), end.
fn image(models: &[(u16, Vec<u16>)]) -> BTreeMap<u16, u16> {
	let mut words: Vec<u16> = MARKER.to_vec();
	words.extend([1, 66]);
	let mut common = vec![0u16; 66];
	common[0] = u16::from_be_bytes(*b"SB");
	common[64] = 1;
	words.extend(common);
	for (id, body) in models {
		words.extend([*id, body.len() as u16]);
		words.extend(body);
	}
	words.extend([0xFFFF, 0]);
	words.into_iter().enumerate().map(|(i, word)| (40_000 + i as u16, word)).collect()
}

/// Model 103's body: 4.2 kW, 12 345.6 kWh produced (in 0.1 kWh).
fn inverter_body() -> Vec<u16> {
	let mut body = vec![0x8000u16; 50];
	body[12] = 42; // W
	body[13] = 2; // W_SF
	body[22..24].copy_from_slice(&[0x0001, 0xE240]); // WH: 123 456
	body[24] = 2; // WH_SF: 0.1 kWh
	body
}

/// Model 203's body: 12.3 A, 230.1 V, 50.01 Hz, −1.5 kW, 98.5 % PF, 5 kWh exported, 1 234 567
/// kWh imported.
fn meter_body() -> Vec<u16> {
	let mut body = vec![0x8000u16; 105];
	body[0] = 123;
	body[4] = (-1i16) as u16;
	body[5] = 2301;
	body[13] = (-1i16) as u16;
	body[14] = 5001;
	body[15] = (-2i16) as u16;
	body[16] = (-15i16) as u16;
	body[20] = 2;
	body[31] = 985;
	body[35] = (-1i16) as u16;
	body[36..38].copy_from_slice(&[0, 5]);
	body[44..46].copy_from_slice(&[0x0012, 0xD687]);
	body[52] = 3;
	body
}

#[tokio::test]
async fn discovers_a_sunspec_meter_and_reads_its_totals() {
	let address = serve(Registers { holding: sunspec_image(), ..Default::default() }).await;
	let (meter, maps) = common::meter_config(&address.to_string(), 1, "sunspec", "");
	let mut reader = MeterReader::new(meter, &maps);
	let Sample::SunSpec(values) = reader.read().await.unwrap() else { panic!("not SunSpec") };
	assert_eq!(values.power, Some(-1_500.0));
	assert_eq!(values.frequency, Some(50.01));
	assert_eq!(values.energy_imported, Some(Accumulator { raw: 1_234_567, scale_factor: 3 }));
	let layout = reader.layout().unwrap();
	assert_eq!(layout.model_header, 40_070);
	assert_eq!(layout.model.id(), 203);
	assert_eq!(layout.common.as_ref().unwrap().manufacturer, "SB");
	assert_eq!(reader.health(), &Health::Ok);
	// The second read goes straight to the meter model.
	assert!(matches!(reader.read().await.unwrap(), Sample::SunSpec(_)));
}

#[tokio::test]
async fn a_generation_meter_reads_its_inverters_output() {
	let address =
		serve(Registers { holding: image(&[(103, inverter_body())]), ..Default::default() }).await;
	let (meter, maps) =
		common::meter_config_of_kind("generation", &address.to_string(), 1, "sunspec", "");
	let mut reader = MeterReader::new(meter, &maps);
	let Sample::Inverter(inverter) = reader.read().await.unwrap() else {
		panic!("not an inverter")
	};
	assert_eq!(inverter.model, InverterModel::ThreePhase);
	assert_eq!(inverter.power, Some(4_200.0));
	assert_eq!(inverter.energy, Some(Accumulator { raw: 123_456, scale_factor: 2 }));
	assert_eq!(reader.layout().unwrap().model_header, 40_070);
	assert!(matches!(reader.read().await.unwrap(), Sample::Inverter(_)));
}

#[tokio::test]
async fn a_meter_model_is_read_before_an_inverters_for_every_kind() {
	// An inverter with a revenue meter of its output: model 103, then model 203. The meter's
	// count is what a generation meter read before inverters were known, and stays so.
	let holding = image(&[(103, inverter_body()), (203, meter_body())]);
	let address = serve(Registers { holding, ..Default::default() }).await.to_string();
	for kind in ["generation", "grid_import", "grid_export"] {
		let (meter, maps) = common::meter_config_of_kind(kind, &address, 1, "sunspec", "");
		let mut reader = MeterReader::new(meter, &maps);
		assert!(matches!(reader.read().await.unwrap(), Sample::SunSpec(_)), "{kind}");
		assert_eq!(reader.layout().unwrap().model.id(), 203, "{kind}");
	}
}

#[tokio::test]
async fn a_model_shorter_than_its_layout_is_refused_at_discovery() {
	// An inverter model that declares 20 registers: the bridge would read into what follows.
	let mut holding = image(&[(103, inverter_body())]);
	holding.insert(40_071, 20);
	let address = serve(Registers { holding, ..Default::default() }).await;
	let (meter, maps) =
		common::meter_config_of_kind("generation", &address.to_string(), 1, "sunspec", "");
	let error = MeterReader::new(meter, &maps).read().await.unwrap_err();
	assert!(
		error.to_string().contains("model 103 needs 25 registers, the device gave 20"),
		"{error}"
	);
}

#[tokio::test]
async fn an_inverter_alone_is_no_grid_meter() {
	let address =
		serve(Registers { holding: image(&[(103, inverter_body())]), ..Default::default() }).await;
	let (meter, maps) = common::meter_config(&address.to_string(), 1, "sunspec", "");
	let mut reader = MeterReader::new(meter, &maps);
	let error = reader.read().await.unwrap_err();
	assert!(matches!(error, ReadError::InverterNotGeneration { model: 103 }), "{error}");
	assert!(error.to_string().contains("its meter's kind must be `generation`"), "{error}");
	// Not retried: the device answers the same every time.
	assert!(matches!(reader.health(), Health::Failing { consecutive: 1, .. }));
	assert_eq!(ValueModel::from_id(103), Some(ValueModel::Inverter(InverterModel::ThreePhase)));
}

#[tokio::test]
async fn reads_a_vendor_map_in_its_word_order() {
	// Energy 123 456.7 kWh as a u32 of 0.1 kWh, low word first, at input 52; power −2.5 kW as
	// an i32 of 0.1 W at input 40.
	let mut input = BTreeMap::new();
	let energy: u32 = 1_234_567;
	input.insert(52, (energy & 0xFFFF) as u16);
	input.insert(53, (energy >> 16) as u16);
	let power: i32 = -25_000;
	input.insert(40, (power as u32 & 0xFFFF) as u16);
	input.insert(41, (power as u32 >> 16) as u16);
	let address = serve(Registers { input, ..Default::default() }).await;
	let maps = "[[maps]]\nname = \"em24\"\n\
	            energy = { address = 52, register = \"input\", type = \"u32\", word_order = \"low_first\", scale = 100.0 }\n\
	            power = { address = 40, register = \"input\", type = \"i32\", word_order = \"low_first\", scale = 0.1 }\n";
	let (meter, maps) = common::meter_config(&address.to_string(), 1, "em24", maps);
	let mut reader = MeterReader::new(meter, &maps);
	let sample = reader.read().await.unwrap();
	assert_eq!(
		sample,
		Sample::Vendor { energy: Some(123_456_700.0), power: Some(-2_500.0), temperature: None }
	);
}

#[tokio::test]
async fn an_exception_and_an_unreachable_meter_leave_a_failing_health_with_the_reason() {
	// A vendor map pointing at a register the meter does not have.
	let address = serve(Registers::default()).await;
	let maps = "[[maps]]\nname = \"v\"\nenergy = { address = 7, register = \"holding\", type = \"u16\", scale = 1.0 }\n";
	let (meter, maps) = common::meter_config(&address.to_string(), 1, "v", maps);
	let mut reader = MeterReader::new(meter, &maps);
	let error = reader.read().await.unwrap_err();
	assert!(matches!(error, ReadError::Exception(ExceptionCode::IllegalDataAddress)), "{error}");
	assert_eq!(
		reader.health(),
		&Health::Failing {
			consecutive: 1,
			error: "the meter answered with exception IllegalDataAddress".into()
		}
	);

	// No SunSpec marker anywhere.
	let (meter, maps) = common::meter_config(&address.to_string(), 1, "sunspec", "");
	let mut reader = MeterReader::new(meter, &maps);
	assert!(matches!(reader.read().await.unwrap_err(), ReadError::NoSunSpec));

	// Nobody listens: three attempts with back-off, then the reason.
	let closed = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
	let (meter, maps) = common::meter_config(&closed.to_string(), 1, "sunspec", "");
	let mut reader = MeterReader::new(meter, &maps);
	let error = reader.read().await.unwrap_err();
	assert!(error.to_string().starts_with(&format!("cannot connect to {closed}")), "{error}");
	let error = reader.read().await.unwrap_err();
	let Health::Failing { consecutive, .. } = reader.health() else { panic!("not failing") };
	assert_eq!(*consecutive, 2, "{error}");
}
