//! Reading a meter over Modbus TCP or RTU: SunSpec discovery or a vendor map, every request
//! bounded by a timeout, failed reads retried with back-off over a fresh connection, and a
//! health state an operator can read. Meters on one RS-485 line share its serial port
//! ([`SerialBus`]), one request at a time.

use crate::{
	config::{Connection, Kind, MeterConfig, Parity, Point, RegisterKind, RegisterMap, SUNSPEC},
	register_map::{decode, DecodeError},
	sunspec::{self, AcMeter, CommonModel, Inverter, ModelHeader, SunSpecError, ValueModel},
};
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tokio::sync::Mutex;
use tokio_modbus::{
	client::{rtu, tcp, Context, Reader},
	slave::SlaveContext,
	ExceptionCode, Slave,
};

/// How long one request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// Attempts per read, the first included.
pub const ATTEMPTS: u32 = 3;
/// The wait before the second attempt; it doubles for each further one.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// Most models the discovery walks before it gives up on a chain.
const MAX_MODELS: usize = 64;

/// Why a meter could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
	#[error("cannot connect to {address}: {reason}")]
	Connect { address: String, reason: String },
	#[error("no answer within {0:?}")]
	Timeout(Duration),
	#[error("the connection failed: {0}")]
	Transport(String),
	#[error("the meter answered with exception {0:?}")]
	Exception(ExceptionCode),
	#[error("no SunSpec marker at registers 40000, 0 or 50000")]
	NoSunSpec,
	#[error("the SunSpec device has no AC meter model (201-204) or inverter model (101-103)")]
	NoMeterModel,
	#[error(
		"the SunSpec device is an inverter (model {model}): what it counts is generation, \
		 so its meter's kind must be `generation`"
	)]
	InverterNotGeneration { model: u16 },
	#[error("garbage in the registers: {0}")]
	SunSpec(#[from] SunSpecError),
	#[error("garbage in the registers: {0}")]
	Decode(#[from] DecodeError),
}

/// What a meter's values were at one read.
#[derive(Clone, Debug, PartialEq)]
pub enum Sample {
	/// A SunSpec meter: its totals, the accumulator still wrapped.
	SunSpec(AcMeter),
	/// A SunSpec inverter: its output, the accumulator still wrapped.
	Inverter(Inverter),
	/// A vendor map: energy in Wh, power in W, temperature in 0.1 °C, as scaled.
	Vendor { energy: Option<f64>, power: Option<f64>, temperature: Option<f64> },
}

/// Whether a meter answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Health {
	/// Not read yet.
	#[default]
	Unknown,
	Ok,
	/// The last `consecutive` reads failed; `error` is the last reason.
	Failing {
		consecutive: u32,
		error: String,
	},
}

/// Where a SunSpec device keeps the model the bridge reads.
#[derive(Clone, Debug, PartialEq)]
pub struct SunSpecLayout {
	pub common: Option<CommonModel>,
	/// Address of the header of the AC meter or inverter model read.
	pub model_header: u16,
	pub model: ValueModel,
}

/// A serial line (RS-485) and the Modbus RTU connection over it, shared by the meters on it.
#[derive(Default)]
pub struct SerialBus {
	context: Mutex<Option<Context>>,
}

impl SerialBus {
	pub fn new() -> Arc<SerialBus> {
		Arc::new(SerialBus::default())
	}
}

/// One meter, its connection and its health.
pub struct MeterReader {
	config: MeterConfig,
	map: Option<RegisterMap>,
	/// The meter's own connection (TCP), or its line's (RTU).
	bus: Arc<SerialBus>,
	layout: Option<SunSpecLayout>,
	health: Health,
}

impl MeterReader {
	/// A reader for `config` on a connection of its own; `maps` are the configuration's
	/// vendor maps.
	pub fn new(config: MeterConfig, maps: &[RegisterMap]) -> MeterReader {
		MeterReader::on_bus(config, maps, SerialBus::new())
	}

	/// A reader for an RTU meter on `bus`, the line it shares with other meters.
	pub fn on_bus(config: MeterConfig, maps: &[RegisterMap], bus: Arc<SerialBus>) -> MeterReader {
		let map = maps.iter().find(|map| map.name == config.map).cloned();
		MeterReader { config, map, bus, layout: None, health: Health::Unknown }
	}

	pub fn health(&self) -> &Health {
		&self.health
	}

	/// The SunSpec layout found, if the meter uses SunSpec and has been read.
	pub fn layout(&self) -> Option<&SunSpecLayout> {
		self.layout.as_ref()
	}

	/// Reads the meter, retrying with back-off over a fresh connection, and updates its health.
	pub async fn read(&mut self) -> Result<Sample, ReadError> {
		let mut backoff = FIRST_BACKOFF;
		let mut attempt = 1;
		loop {
			match self.read_once().await {
				Ok(sample) => {
					self.health = Health::Ok;
					return Ok(sample);
				}
				Err(error) => {
					// A broken connection is not reused; an exception is the meter's answer.
					if !matches!(error, ReadError::Exception(_)) {
						*self.bus.context.lock().await = None;
					}
					if attempt >= ATTEMPTS || !retryable(&error) {
						let consecutive = match &self.health {
							Health::Failing { consecutive, .. } => consecutive.saturating_add(1),
							_ => 1,
						};
						self.health = Health::Failing { consecutive, error: error.to_string() };
						return Err(error);
					}
				}
			}
			tokio::time::sleep(backoff).await;
			backoff = backoff.saturating_mul(2);
			attempt += 1;
		}
	}

	async fn read_once(&mut self) -> Result<Sample, ReadError> {
		if self.config.map == SUNSPEC {
			let layout = match self.layout.clone() {
				Some(layout) => layout,
				None => {
					let layout = self.discover().await?;
					self.layout = Some(layout.clone());
					layout
				}
			};
			let (address, count) = (layout.model_header + 2, layout.model.registers());
			let body = self.registers(RegisterKind::Holding, address, count).await?;
			let id = layout.model.id();
			return Ok(match layout.model {
				ValueModel::Meter(_) => Sample::SunSpec(AcMeter::decode(id, &body)?),
				ValueModel::Inverter(_) => Sample::Inverter(Inverter::decode(id, &body)?),
			});
		}
		let map = self.map.clone().ok_or(ReadError::NoMeterModel)?;
		let energy = self.optional_point(map.energy).await?;
		let power = self.optional_point(map.power).await?;
		let temperature = self.optional_point(map.temperature).await?;
		Ok(Sample::Vendor { energy, power, temperature })
	}

	/// Finds the marker and walks the model chain to the common model and the model to read: the
	/// first AC meter model (a revenue meter's count, also when an inverter carries one for its
	/// output), else for a generation meter the inverter's.
	async fn discover(&mut self) -> Result<SunSpecLayout, ReadError> {
		let mut base = None;
		for candidate in sunspec::BASE_ADDRESSES {
			match self.registers(RegisterKind::Holding, candidate, 2).await {
				Ok(words) if sunspec::is_marker(&words) => {
					base = Some(candidate);
					break;
				}
				// Devices answer an unused address with an exception: try the next base. Any
				// other exception (a failed or busy device) is the answer.
				Ok(_)
				| Err(ReadError::Exception(
					ExceptionCode::IllegalDataAddress | ExceptionCode::IllegalFunction,
				)) => continue,
				Err(error) => return Err(error),
			}
		}
		let base = base.ok_or(ReadError::NoSunSpec)?;
		let mut address = base + 2;
		let mut common = None;
		let mut inverter = None;
		for _ in 0..MAX_MODELS {
			let words = match self.registers(RegisterKind::Holding, address, 2).await {
				Ok(words) => words,
				// A chain that ends without its marker, or fails past the inverter's model:
				// the inverter is what the device offers.
				Err(_) if inverter.is_some() => break,
				Err(error) => return Err(error),
			};
			let Some(header) = ModelHeader::parse(&words) else { break };
			if header.is_end() {
				break;
			}
			if header.id == 1 {
				let body =
					self.registers(RegisterKind::Holding, address + 2, header.length).await?;
				common = Some(CommonModel::decode(&body)?);
			}
			if let Some(model) = ValueModel::from_id(header.id) {
				let needed = model.registers();
				if header.length < needed {
					return Err(SunSpecError::ModelTooShort {
						id: header.id,
						needed: usize::from(needed),
						got: usize::from(header.length),
					}
					.into());
				}
				match model {
					ValueModel::Meter(_) => {
						return Ok(SunSpecLayout { common, model_header: address, model })
					}
					ValueModel::Inverter(_) => inverter = inverter.or(Some((address, model))),
				}
			}
			match header.next(address) {
				Ok(next) => address = next,
				Err(_) if inverter.is_some() => break,
				Err(error) => return Err(error.into()),
			}
		}
		match inverter {
			Some((model_header, model)) if self.config.kind == Kind::Generation => {
				Ok(SunSpecLayout { common, model_header, model })
			}
			Some((_, model)) => Err(ReadError::InverterNotGeneration { model: model.id() }),
			None => Err(ReadError::NoMeterModel),
		}
	}

	async fn optional_point(&mut self, point: Option<Point>) -> Result<Option<f64>, ReadError> {
		match point {
			Some(point) => Ok(Some(self.point(&point).await?)),
			None => Ok(None),
		}
	}

	async fn point(&mut self, point: &Point) -> Result<f64, ReadError> {
		let count = point.data_type.registers() as u16;
		let words = self.registers(point.register, point.address, count).await?;
		Ok(decode(&words, point.data_type, point.word_order)?.scaled(point.scale))
	}

	/// `count` registers from `address`, over the open connection or a new one.
	async fn registers(
		&mut self,
		kind: RegisterKind,
		address: u16,
		count: u16,
	) -> Result<Vec<u16>, ReadError> {
		let mut connection = self.bus.context.lock().await;
		let context = match &mut *connection {
			Some(context) => context,
			None => connection.insert(connect(&self.config).await?),
		};
		// Meters on one line differ by unit id; the line's context serves whichever asks.
		context.set_slave(Slave(self.config.unit));
		let request = async {
			match kind {
				RegisterKind::Holding => context.read_holding_registers(address, count).await,
				RegisterKind::Input => context.read_input_registers(address, count).await,
			}
		};
		let answer = tokio::time::timeout(REQUEST_TIMEOUT, request)
			.await
			.map_err(|_| ReadError::Timeout(REQUEST_TIMEOUT))?
			.map_err(|e| ReadError::Transport(e.to_string()))?;
		answer.map_err(ReadError::Exception)
	}
}

fn retryable(error: &ReadError) -> bool {
	matches!(
		error,
		ReadError::Connect { .. }
			| ReadError::Timeout(_)
			| ReadError::Transport(_)
			| ReadError::Exception(ExceptionCode::ServerDeviceBusy)
	)
}

async fn connect(config: &MeterConfig) -> Result<Context, ReadError> {
	match &config.connection {
		Connection::Tcp { tcp: address } => {
			let failed = |reason: String| ReadError::Connect { address: address.clone(), reason };
			let socket: SocketAddr = address.parse().map_err(|e| failed(format!("{e}")))?;
			tokio::time::timeout(REQUEST_TIMEOUT, tcp::connect_slave(socket, Slave(config.unit)))
				.await
				.map_err(|_| failed(format!("no answer within {REQUEST_TIMEOUT:?}")))?
				.map_err(|e| failed(e.to_string()))
		}
		Connection::Rtu { rtu: path, baud, parity } => {
			let port = open_serial(path, *baud, *parity)
				.map_err(|e| ReadError::Connect { address: path.clone(), reason: e.to_string() })?;
			Ok(rtu::attach_slave(port, Slave(config.unit)))
		}
	}
}

/// Opens a serial port as Modbus RTU wants it: 8 data bits, the parity given, one stop bit.
pub fn open_serial(
	path: &str,
	baud: u32,
	parity: Parity,
) -> Result<tokio_serial::SerialStream, tokio_serial::Error> {
	let parity = match parity {
		Parity::None => tokio_serial::Parity::None,
		Parity::Even => tokio_serial::Parity::Even,
		Parity::Odd => tokio_serial::Parity::Odd,
	};
	let builder = tokio_serial::new(path, baud)
		.data_bits(tokio_serial::DataBits::Eight)
		.stop_bits(tokio_serial::StopBits::One)
		.parity(parity);
	tokio_serial::SerialStream::open(&builder)
}
