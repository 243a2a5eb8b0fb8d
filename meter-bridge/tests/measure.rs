//! Samples become reading values in the chain's units: the SunSpec accumulator the meter's
//! kind calls for, scale factors and multipliers rounded down, demand in the meter's direction,
//! and a falling register held as a counter reset without moving the meter's state.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::{
	config::Kind,
	measure::{measure, MeasureError, Measured, MeterState},
	modbus::Sample,
	sunspec::{AcMeter, Accumulator, Inverter, InverterModel, MeterModel},
};

fn sunspec(imported: u32, exported: u32, scale_factor: i16, power: f64) -> Sample {
	Sample::SunSpec(AcMeter {
		model: MeterModel::ThreePhaseWye,
		current: None,
		voltage: None,
		frequency: None,
		power: Some(power),
		power_factor: None,
		energy_exported: Some(Accumulator { raw: exported, scale_factor }),
		energy_imported: Some(Accumulator { raw: imported, scale_factor }),
	})
}

fn vendor(energy: Option<f64>, power: Option<f64>, temperature: Option<f64>) -> Sample {
	Sample::Vendor { energy, power, temperature }
}

#[test]
fn the_kind_picks_the_accumulator_and_the_direction_of_demand() {
	let sample = sunspec(5_000, 700, 0, -1_234.4);
	let mut state = MeterState::default();
	assert_eq!(
		measure(Kind::GridImport, 1, &sample, &mut state).unwrap(),
		Measured { register: 5_000, demand: None, temperature: None }
	);
	let mut state = MeterState::default();
	assert_eq!(
		measure(Kind::GridExport, 1, &sample, &mut state).unwrap(),
		Measured { register: 700, demand: Some(1_234), temperature: None }
	);
	let importing = sunspec(5_000, 700, 0, 2_000.6);
	let mut state = MeterState::default();
	assert_eq!(measure(Kind::GridImport, 1, &importing, &mut state).unwrap().demand, Some(2_001));
}

/// A three-phase inverter that has produced `raw` units of `10^scale_factor` Wh and delivers
/// `power` W.
fn inverter(raw: u32, scale_factor: i16, power: f64) -> Sample {
	Sample::Inverter(Inverter {
		model: InverterModel::ThreePhase,
		current: None,
		voltage: None,
		power: Some(power),
		frequency: None,
		power_factor: None,
		energy: Some(Accumulator { raw, scale_factor }),
	})
}

#[test]
fn a_generation_meter_counts_its_inverters_output_through_a_rollover() {
	let mut state = MeterState::default();
	// 0.1 kWh units in Wh; what it delivers is its demand.
	assert_eq!(
		measure(Kind::Generation, 1, &inverter(123_456, 2, 4_200.4), &mut state).unwrap(),
		Measured { register: 12_345_600, demand: Some(4_200), temperature: None }
	);
	let mut state = MeterState::default();
	measure(Kind::Generation, 1, &inverter(u32::MAX, -1, 0.0), &mut state).unwrap();
	let wrapped = measure(Kind::Generation, 1, &inverter(9, -1, 0.0), &mut state).unwrap();
	// 2^32 + 9 tenths of a Wh, rounded down to Wh.
	assert_eq!(wrapped, Measured { register: 429_496_730, demand: None, temperature: None });
}

#[test]
fn scale_factors_and_multipliers_round_down_to_the_chain_register() {
	// 1 234 567 units of 10^3 Wh in kWh steps: 1 234 567.
	let kwh = sunspec(1_234_567, 0, 3, 0.0);
	assert_eq!(
		measure(Kind::GridImport, 1_000, &kwh, &mut MeterState::default()).unwrap().register,
		1_234_567
	);
	// Units of 0.1 Wh kept in Wh: 12 345.
	let tenths = sunspec(123_456, 0, -1, 0.0);
	assert_eq!(
		measure(Kind::GridImport, 1, &tenths, &mut MeterState::default()).unwrap().register,
		12_345
	);
	// A vendor map's Wh in steps of 10 Wh.
	let wh = vendor(Some(123_456.9), None, None);
	assert_eq!(
		measure(Kind::SubMeter, 10, &wh, &mut MeterState::default()).unwrap().register,
		12_345
	);
	let absurd = sunspec(1, 0, 11, 0.0);
	assert_eq!(
		measure(Kind::GridImport, 1, &absurd, &mut MeterState::default()),
		Err(MeasureError::ScaleFactor(11))
	);
	let negative = vendor(Some(-5.0), None, None);
	assert!(matches!(
		measure(Kind::SubMeter, 1, &negative, &mut MeterState::default()),
		Err(MeasureError::OutOfRange { point: "energy", .. })
	));
}

#[test]
fn an_accumulator_that_counted_nothing_reads_zero() {
	let Sample::SunSpec(mut meter) = sunspec(5_000, 0, 0, 0.0) else { unreachable!() };
	meter.energy_exported = None;
	let sample = Sample::SunSpec(meter);
	let measured = measure(Kind::GridExport, 1, &sample, &mut MeterState::default()).unwrap();
	assert_eq!(measured.register, 0);
}

#[test]
fn a_temperature_sensor_reads_its_temperature_only() {
	let sample = vendor(None, None, Some(-73.6));
	assert_eq!(
		measure(Kind::Temperature, 1, &sample, &mut MeterState::default()).unwrap(),
		Measured { register: 0, demand: None, temperature: Some(-74) }
	);
	let without = vendor(Some(10.0), None, None);
	assert_eq!(
		measure(Kind::Temperature, 1, &without, &mut MeterState::default()),
		Err(MeasureError::Missing("temperature"))
	);
	assert_eq!(
		measure(Kind::GridImport, 1, &vendor(None, None, Some(1.0)), &mut MeterState::default()),
		Err(MeasureError::Missing("energy"))
	);
}

#[test]
fn the_register_continues_through_a_wrap_and_a_fall_is_held_without_moving_the_state() {
	let mut state = MeterState::default();
	measure(Kind::GridImport, 1, &sunspec(u32::MAX - 10, 0, 0, 0.0), &mut state).unwrap();
	let wrapped = measure(Kind::GridImport, 1, &sunspec(5, 0, 0, 0.0), &mut state).unwrap();
	assert_eq!(wrapped.register, (1u64 << 32) + 5);
	let before = state.clone();
	// A fall by more than half the accumulator's range is no wrap.
	let reset = measure(Kind::GridImport, 1, &sunspec(3, 0, 0, 0.0), &mut state).unwrap_err();
	assert_eq!(reset, MeasureError::Reset { last: (1u64 << 32) + 5, now: (1u64 << 32) + 3 });
	assert_eq!(state, before);
	// A vendor register that falls is held as well.
	let mut state = MeterState::default();
	measure(Kind::SubMeter, 1, &vendor(Some(1_000.0), None, None), &mut state).unwrap();
	let fell = measure(Kind::SubMeter, 1, &vendor(Some(10.0), None, None), &mut state);
	assert_eq!(fell, Err(MeasureError::Reset { last: 1_000, now: 10 }));
	assert_eq!(state.last_register, Some(1_000));
}

/// A SunSpec meter model 203 reading `imported` on its acc32 in units of `10^scale_factor` Wh,
/// decoded from its registers as the bridge reads them.
fn decoded(imported: u32, scale_factor: i16) -> Sample {
	let mut body = vec![0x8000u16; 105];
	body[44] = (imported >> 16) as u16;
	body[45] = imported as u16;
	body[52] = scale_factor as u16;
	Sample::SunSpec(AcMeter::decode(203, &body).unwrap())
}

#[test]
fn a_rollover_is_unwrapped_on_raw_counts_for_every_scale_factor_also_through_zero() {
	for scale_factor in -3i16..=3 {
		let mut state = MeterState::default();
		let mut last = 0u64;
		// Up to the wrap, the first read after it exactly 0 (SunSpec's "not implemented"), on.
		for raw in [u32::MAX - 99, u32::MAX, 0, 150] {
			let measured = measure(Kind::GridImport, 1, &decoded(raw, scale_factor), &mut state)
				.unwrap_or_else(|error| panic!("scale factor {scale_factor}, raw {raw}: {error}"));
			assert!(measured.register >= last, "scale factor {scale_factor}: the register fell");
			last = measured.register;
		}
		let units = (1u128 << 32) + 150;
		let power = 10u128.pow(u32::from(scale_factor.unsigned_abs()));
		let wh = if scale_factor >= 0 { units * power } else { units / power };
		assert_eq!(u128::from(last), wh, "scale factor {scale_factor}");
	}
}
