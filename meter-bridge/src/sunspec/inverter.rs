//! The inverter models: 101 single phase, 102 split phase, 103 three phase (integer values with
//! scale factors). All three share one layout; the bridge reads the AC side's totals and the
//! lifetime energy the inverter has produced.

use super::{meter::accumulator, scaled_i16, Accumulator, SunSpecError};

/// Offsets in the body (after the two header registers).
const A: usize = 0;
const A_SF: usize = 4;
const PH_V: usize = 8;
const V_SF: usize = 11;
const W: usize = 12;
const W_SF: usize = 13;
const HZ: usize = 14;
const HZ_SF: usize = 15;
const PF: usize = 20;
const PF_SF: usize = 21;
const WH: usize = 22;
const WH_SF: usize = 24;
/// Registers the bridge reads: through `WH_SF`.
pub(crate) const LENGTH: usize = WH_SF + 1;

/// Which inverter model a device implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InverterModel {
	SinglePhase = 101,
	SplitPhase = 102,
	ThreePhase = 103,
}

impl InverterModel {
	pub fn from_id(id: u16) -> Option<InverterModel> {
		match id {
			101 => Some(InverterModel::SinglePhase),
			102 => Some(InverterModel::SplitPhase),
			103 => Some(InverterModel::ThreePhase),
			_ => None,
		}
	}
}

/// An inverter's AC totals; `None` where the device does not implement a point.
#[derive(Clone, Debug, PartialEq)]
pub struct Inverter {
	pub model: InverterModel,
	/// AC current, A.
	pub current: Option<f64>,
	/// Phase A's voltage to neutral, V.
	pub voltage: Option<f64>,
	/// AC power it delivers, W.
	pub power: Option<f64>,
	pub frequency: Option<f64>,
	/// Power factor, percent.
	pub power_factor: Option<f64>,
	/// The energy it has produced over its life.
	pub energy: Option<Accumulator>,
}

impl Inverter {
	/// The totals of inverter model `id` from its body (the registers after the header).
	pub fn decode(id: u16, body: &[u16]) -> Result<Inverter, SunSpecError> {
		let model = InverterModel::from_id(id).ok_or(SunSpecError::NotAnInverter { id })?;
		if body.len() < LENGTH {
			return Err(SunSpecError::ModelTooShort { id, needed: LENGTH, got: body.len() });
		}
		let point = |value: usize, scale: usize| scaled_i16(body[value], body[scale]);
		Ok(Inverter {
			model,
			current: point(A, A_SF)?,
			voltage: point(PH_V, V_SF)?,
			power: point(W, W_SF)?,
			frequency: point(HZ, HZ_SF)?,
			power_factor: point(PF, PF_SF)?,
			energy: accumulator(body, WH, WH_SF)?,
		})
	}
}
