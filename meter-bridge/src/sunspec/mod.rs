//! SunSpec: devices announce themselves with the marker "SunS" at one of a few base addresses,
//! followed by a chain of models, each a header (model id, length in registers) and a body; an
//! id of 0xFFFF ends the chain. The bridge reads the common model (1) for the device's identity
//! and the AC meter models (201–204) or inverter models (101–103) for its values.

mod common;
mod inverter;
mod meter;

pub use common::CommonModel;
pub use inverter::{Inverter, InverterModel};
pub use meter::{AcMeter, Accumulator, MeterModel};

/// Holding-register addresses (0-based) where devices put the marker, in the order tried.
pub const BASE_ADDRESSES: [u16; 3] = [40_000, 0, 50_000];
/// "SunS" as two big-endian registers.
pub const MARKER: [u16; 2] = [0x5375, 0x6E53];
/// The model id that ends the chain.
pub const END_MODEL: u16 = 0xFFFF;

/// Why registers do not make a SunSpec value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SunSpecError {
	#[error("model {id} needs {needed} registers, the device gave {got}")]
	ModelTooShort { id: u16, needed: usize, got: usize },
	#[error("model {id} is not an AC meter (201–204)")]
	NotAMeter { id: u16 },
	#[error("model {id} is not an inverter (101–103)")]
	NotAnInverter { id: u16 },
	#[error("scale factor {0} lies outside -10..=10")]
	BadScaleFactor(i16),
	#[error("the model chain runs past the end of the register space")]
	ChainOverflow,
}

/// A model's header: its id and body length in registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelHeader {
	pub id: u16,
	pub length: u16,
}

impl ModelHeader {
	/// The header in the two registers `words` starts with.
	pub fn parse(words: &[u16]) -> Option<ModelHeader> {
		match words {
			[id, length, ..] => Some(ModelHeader { id: *id, length: *length }),
			_ => None,
		}
	}

	/// Whether this header ends the chain.
	pub fn is_end(&self) -> bool {
		self.id == END_MODEL
	}

	/// The address of the next header, for a header at `address`.
	pub fn next(&self, address: u16) -> Result<u16, SunSpecError> {
		address
			.checked_add(2)
			.and_then(|body| body.checked_add(self.length))
			.ok_or(SunSpecError::ChainOverflow)
	}
}

/// Whether `words` start with the SunSpec marker.
pub fn is_marker(words: &[u16]) -> bool {
	words.starts_with(&MARKER)
}

/// `raw` scaled by `10^scale_factor`, or `None` if either is SunSpec's not-implemented value
/// (0x8000 for both an int16 value and a scale factor).
pub fn scaled_i16(raw: u16, scale_factor: u16) -> Result<Option<f64>, SunSpecError> {
	const NOT_IMPLEMENTED: u16 = 0x8000;
	if raw == NOT_IMPLEMENTED || scale_factor == NOT_IMPLEMENTED {
		return Ok(None);
	}
	Ok(Some(scale(f64::from(raw as i16), scale_factor as i16)?))
}

/// `value × 10^scale_factor`, dividing for negative scale factors so that decimal readings
/// (2301 × 10^-1) come out as the nearest float to the decimal (230.1).
pub fn scale(value: f64, scale_factor: i16) -> Result<f64, SunSpecError> {
	let factor = power_of_ten(scale_factor.saturating_abs())?;
	Ok(if scale_factor < 0 { value / factor } else { value * factor })
}

/// `10^scale_factor` for SunSpec's range of scale factors.
pub fn power_of_ten(scale_factor: i16) -> Result<f64, SunSpecError> {
	if !(-10..=10).contains(&scale_factor) {
		return Err(SunSpecError::BadScaleFactor(scale_factor));
	}
	Ok(10f64.powi(i32::from(scale_factor)))
}

/// The models whose values the bridge reads, as a device's chain names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueModel {
	Meter(MeterModel),
	Inverter(InverterModel),
}

impl ValueModel {
	pub fn from_id(id: u16) -> Option<ValueModel> {
		MeterModel::from_id(id)
			.map(ValueModel::Meter)
			.or_else(|| InverterModel::from_id(id).map(ValueModel::Inverter))
	}

	/// The model's id.
	pub fn id(self) -> u16 {
		match self {
			ValueModel::Meter(model) => model as u16,
			ValueModel::Inverter(model) => model as u16,
		}
	}

	/// Registers of its body the bridge reads.
	pub fn registers(self) -> u16 {
		let length = match self {
			ValueModel::Meter(_) => meter::LENGTH,
			ValueModel::Inverter(_) => inverter::LENGTH,
		};
		length as u16
	}
}
