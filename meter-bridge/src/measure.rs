//! From what a meter's registers say to what a reading carries: the register in the chain's
//! steps of `multiplier` Wh, demand in W and temperature in 0.1 °C. A register that falls is a
//! counter reset: nothing is recorded until it is explained (a declared meter exchange, or the
//! chain having refused the values it fell from).

use crate::{
	accumulator::{Advance, Unwrapper},
	config::Kind,
	modbus::Sample,
	sunspec::Accumulator,
};
use serde::{Deserialize, Serialize};

/// The values of one reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measured {
	/// The cumulative register in steps of the meter's multiplier (0 for temperature sensors).
	pub register: u64,
	/// Demand in W in the meter's direction, if the meter reports power.
	pub demand: Option<u32>,
	/// Temperature in 0.1 °C.
	pub temperature: Option<i16>,
}

/// What the bridge remembers of a meter between readings; stored in the outbox with each
/// reading, so a restart continues exactly where the last recorded reading left off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterState {
	pub unwrapper: Unwrapper,
	/// The register of the last recorded reading.
	pub last_register: Option<u64>,
	/// The timestamp of the last recorded reading, ms since the epoch.
	pub last_timestamp: Option<u64>,
	/// A counter reset waiting to be explained.
	pub held: Option<HeldReset>,
	/// Interval energy (mWh) read from files and not yet a whole register step: carried into
	/// the next row, so a file's rows add up to its total exactly.
	#[serde(default)]
	pub carried_mwh: u64,
}

/// A register that fell, and the meter's count of declared exchanges when it did (unknown while
/// the node could not be asked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldReset {
	/// The register before it fell.
	pub last: u64,
	/// The register it fell to.
	pub now: u64,
	pub exchanges: Option<u16>,
	/// The register at the latest poll while held: the new meter's count, which the owner's
	/// exchange declaration takes as its baseline.
	#[serde(default)]
	pub latest: Option<u64>,
	/// When `latest` was read, ms since the epoch: the exchange's time in the declaration, so
	/// the new meter's energy since then is judged over the time it took.
	#[serde(default)]
	pub latest_at: Option<u64>,
}

/// Why a sample makes no reading.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MeasureError {
	#[error("the meter does not report its {0}")]
	Missing(&'static str),
	#[error("the {point} value {value} cannot be a reading's")]
	OutOfRange { point: &'static str, value: f64 },
	#[error("the SunSpec scale factor {0} is outside -10..=10")]
	ScaleFactor(i16),
	#[error("the register fell from {last} to {now}: a counter reset, held until the owner declares a meter exchange")]
	Reset { last: u64, now: u64 },
}

/// The reading values of `sample` for a meter of `kind` whose chain register counts
/// `multiplier` Wh. `state` moves on only when a reading results.
pub fn measure(
	kind: Kind,
	multiplier: u32,
	sample: &Sample,
	state: &mut MeterState,
) -> Result<Measured, MeasureError> {
	let temperature = match sample {
		Sample::Vendor { temperature: Some(value), .. } => Some(deci_celsius(*value)?),
		_ => None,
	};
	if !kind.measures_energy() {
		let temperature = temperature.ok_or(MeasureError::Missing("temperature"))?;
		return Ok(Measured { register: 0, demand: None, temperature: Some(temperature) });
	}
	let mut unwrapper = state.unwrapper;
	let (register, power) = match sample {
		Sample::SunSpec(meter) => {
			let accumulator = if kind == Kind::GridExport {
				meter.energy_exported
			} else {
				meter.energy_imported
			};
			(unwrap(accumulator, &mut unwrapper, state, multiplier)?, meter.power)
		}
		// Discovery reads an inverter only for a generation meter: its output is the meter's.
		Sample::Inverter(inverter) => {
			(unwrap(inverter.energy, &mut unwrapper, state, multiplier)?, inverter.power)
		}
		Sample::Vendor { energy: Some(energy), power, .. } => {
			(wh_register(*energy, multiplier)?, *power)
		}
		Sample::Vendor { energy: None, .. } => return Err(MeasureError::Missing("energy")),
	};
	if let Some(last) = state.last_register.filter(|last| register < *last) {
		return Err(MeasureError::Reset { last, now: register });
	}
	// Power is signed towards the grid; a meter's demand is power in its own direction.
	let directed = |watts: f64| if kind == Kind::GridExport { -watts } else { watts };
	let demand = power.map(directed).filter(|watts| *watts > 0.0).map(|watts| {
		// Rounded and capped: the chain refuses a demand above the meter's maximum anyway.
		watts.round().min(f64::from(u32::MAX)) as u32
	});
	state.unwrapper = unwrapper;
	state.last_register = Some(register);
	Ok(Measured { register, demand, temperature })
}

/// The register a SunSpec accumulator gives once `unwrapper` has taken its raw count; a reset
/// is the error, with the register it fell to.
fn unwrap(
	accumulator: Option<Accumulator>,
	unwrapper: &mut Unwrapper,
	state: &MeterState,
	multiplier: u32,
) -> Result<u64, MeasureError> {
	// A device without an energy scale factor counts no energy this way.
	let accumulator = accumulator.unwrap_or(Accumulator { raw: 0, scale_factor: 0 });
	match unwrapper.observe(accumulator.raw) {
		Advance::Counted { register } => sunspec_register(register, accumulator, multiplier),
		Advance::Reset { now, .. } => {
			let now = sunspec_register(unwrapper.register(now), accumulator, multiplier)?;
			let last = state.last_register.unwrap_or_default();
			Err(MeasureError::Reset { last, now })
		}
	}
}

/// `units` of a SunSpec accumulator (`10^scale_factor` Wh each) in steps of `multiplier` Wh,
/// rounded down so the register never runs ahead of the meter.
fn sunspec_register(
	units: u64,
	accumulator: Accumulator,
	multiplier: u32,
) -> Result<u64, MeasureError> {
	let factor = accumulator.scale_factor;
	if !(-10..=10).contains(&factor) {
		return Err(MeasureError::ScaleFactor(factor));
	}
	let power = 10u128.pow(u32::from(factor.unsigned_abs()));
	let (numerator, denominator) = if factor >= 0 {
		(u128::from(units) * power, u128::from(multiplier))
	} else {
		(u128::from(units), power * u128::from(multiplier))
	};
	let register = numerator / denominator.max(1);
	u64::try_from(register)
		.map_err(|_| MeasureError::OutOfRange { point: "energy", value: register as f64 })
}

/// `wh` in steps of `multiplier` Wh, rounded down.
fn wh_register(wh: f64, multiplier: u32) -> Result<u64, MeasureError> {
	let steps = (wh / f64::from(multiplier.max(1))).floor();
	if !steps.is_finite() || steps < 0.0 || steps >= u64::MAX as f64 {
		return Err(MeasureError::OutOfRange { point: "energy", value: wh });
	}
	Ok(steps as u64)
}

/// A temperature already scaled to 0.1 °C.
fn deci_celsius(value: f64) -> Result<i16, MeasureError> {
	let rounded = value.round();
	if !rounded.is_finite() || rounded < f64::from(i16::MIN) || rounded > f64::from(i16::MAX) {
		return Err(MeasureError::OutOfRange { point: "temperature", value });
	}
	Ok(rounded as i16)
}
