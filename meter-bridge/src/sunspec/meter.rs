//! The AC meter models: 201 single phase, 202 split phase, 203 three phase wye, 204 three phase
//! delta. All four share one layout; the bridge reads the totals.

use super::{power_of_ten, scaled_i16, SunSpecError};

/// Offsets in the body (after the two header registers).
const A: usize = 0;
const A_SF: usize = 4;
const PH_V: usize = 5;
const V_SF: usize = 13;
const HZ: usize = 14;
const HZ_SF: usize = 15;
const W: usize = 16;
const W_SF: usize = 20;
const PF: usize = 31;
const PF_SF: usize = 35;
const TOT_WH_EXP: usize = 36;
const TOT_WH_IMP: usize = 44;
const TOT_WH_SF: usize = 52;
/// Registers the bridge reads: through `TotWh_SF`.
pub(crate) const LENGTH: usize = TOT_WH_SF + 1;

/// Which AC meter model a device implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeterModel {
	SinglePhase = 201,
	SplitPhase = 202,
	ThreePhaseWye = 203,
	ThreePhaseDelta = 204,
}

impl MeterModel {
	pub fn from_id(id: u16) -> Option<MeterModel> {
		match id {
			201 => Some(MeterModel::SinglePhase),
			202 => Some(MeterModel::SplitPhase),
			203 => Some(MeterModel::ThreePhaseWye),
			204 => Some(MeterModel::ThreePhaseDelta),
			_ => None,
		}
	}
}

/// A 32-bit energy accumulator as read: it counts up and wraps at 2^32; its unit is
/// `10^scale_factor` Wh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accumulator {
	pub raw: u32,
	pub scale_factor: i16,
}

/// An AC meter's totals; `None` where the device does not implement a point.
#[derive(Clone, Debug, PartialEq)]
pub struct AcMeter {
	pub model: MeterModel,
	/// Total current, A.
	pub current: Option<f64>,
	/// Line-to-neutral voltage (average of active phases), V.
	pub voltage: Option<f64>,
	pub frequency: Option<f64>,
	/// Total real power, W (negative when exporting).
	pub power: Option<f64>,
	/// Power factor, percent.
	pub power_factor: Option<f64>,
	pub energy_exported: Option<Accumulator>,
	pub energy_imported: Option<Accumulator>,
}

impl AcMeter {
	/// The totals of meter model `id` from its body (the registers after the header).
	pub fn decode(id: u16, body: &[u16]) -> Result<AcMeter, SunSpecError> {
		let model = MeterModel::from_id(id).ok_or(SunSpecError::NotAMeter { id })?;
		if body.len() < LENGTH {
			return Err(SunSpecError::ModelTooShort { id, needed: LENGTH, got: body.len() });
		}
		let point = |value: usize, scale: usize| scaled_i16(body[value], body[scale]);
		Ok(AcMeter {
			model,
			current: point(A, A_SF)?,
			voltage: point(PH_V, V_SF)?,
			frequency: point(HZ, HZ_SF)?,
			power: point(W, W_SF)?,
			power_factor: point(PF, PF_SF)?,
			energy_exported: accumulator(body, TOT_WH_EXP, TOT_WH_SF)?,
			energy_imported: accumulator(body, TOT_WH_IMP, TOT_WH_SF)?,
		})
	}
}

/// The acc32 at `offset` with the energy scale factor at `scale`, or `None` if the device has
/// no energy scale factor (0x8000). An acc32 of 0 is SunSpec's "not implemented" and also a
/// count of nothing, or one that just wrapped: it is kept with its scale factor, so a wrap to 0
/// counts in the device's own units (the unwrapper tells a wrap from a point that never counts).
pub(crate) fn accumulator(
	body: &[u16],
	offset: usize,
	scale: usize,
) -> Result<Option<Accumulator>, SunSpecError> {
	let raw = (u32::from(body[offset]) << 16) | u32::from(body[offset + 1]);
	let scale_factor = body[scale];
	if scale_factor == 0x8000 {
		return Ok(None);
	}
	let scale_factor = scale_factor as i16;
	power_of_ten(scale_factor)?;
	Ok(Some(Accumulator { raw, scale_factor }))
}
