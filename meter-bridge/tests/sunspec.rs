//! SunSpec devices: the marker, the model chain, the common model and the AC meter models with
//! their scale factors and not-implemented markers, on register images laid out by the spec.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::sunspec::{
	is_marker, power_of_ten, scaled_i16, AcMeter, Accumulator, CommonModel, Inverter,
	InverterModel, MeterModel, ModelHeader, SunSpecError, ValueModel, BASE_ADDRESSES, MARKER,
};

/// `text` as SunSpec string registers, NUL-padded to `registers`.
fn text(text: &str, registers: usize) -> Vec<u16> {
	let mut bytes = text.as_bytes().to_vec();
	bytes.resize(registers * 2, 0);
	bytes.chunks(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]])).collect()
}

fn common_body() -> Vec<u16> {
	[
		text("SmartBlocks", 16),
		text("Campus Meter 3", 16),
		text("", 8),
		text("1.4.2", 8),
		text("SN-0042", 16),
		vec![7, 0x8000],
	]
	.concat()
}

/// A three-phase meter body (105 registers): 12.3 A, 230.1 V, 50.01 Hz, −1 500 W, 98.5 %
/// power factor, 5 kWh exported and 1 234 567 kWh imported in kWh steps.
fn meter_body() -> Vec<u16> {
	let mut body = vec![0x8000u16; 105];
	body[0] = 123; // A
	body[4] = (-1i16) as u16; // A_SF
	body[5] = 2301; // PhV
	body[13] = (-1i16) as u16; // V_SF
	body[14] = 5001; // Hz
	body[15] = (-2i16) as u16; // Hz_SF
	body[16] = (-15i16) as u16; // W
	body[20] = 2; // W_SF
	body[31] = 985; // PF
	body[35] = (-1i16) as u16; // PF_SF
	body[36..38].copy_from_slice(&[0, 5]); // TotWhExp
	body[44..46].copy_from_slice(&[0x0012, 0xD687]); // TotWhImp: 1 234 567
	body[52] = 3; // TotWh_SF: kWh
	body
}

#[test]
fn walks_the_model_chain_from_the_marker() {
	// The image a device serves from 40 000: marker, common model, model 203, end.
	let image = [
		MARKER.to_vec(),
		vec![1, 66],
		common_body(),
		vec![203, 105],
		meter_body(),
		vec![0xFFFF, 0],
	]
	.concat();
	assert_eq!(BASE_ADDRESSES[0], 40_000);
	assert!(is_marker(&image));
	assert!(!is_marker(&[0x5375, 0x6E54]));

	let base = 40_000u16;
	let mut address = base + 2;
	let mut models = Vec::new();
	loop {
		let offset = usize::from(address - base);
		let header = ModelHeader::parse(&image[offset..]).unwrap();
		if header.is_end() {
			break;
		}
		let body = &image[offset + 2..offset + 2 + usize::from(header.length)];
		models.push((header.id, body.to_vec()));
		address = header.next(address).unwrap();
	}
	assert_eq!(models.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![1, 203]);

	let common = CommonModel::decode(&models[0].1).unwrap();
	assert_eq!(
		common,
		CommonModel {
			manufacturer: "SmartBlocks".into(),
			model: "Campus Meter 3".into(),
			options: String::new(),
			version: "1.4.2".into(),
			serial_number: "SN-0042".into(),
			device_address: Some(7),
		}
	);
}

#[test]
fn decodes_an_ac_meter_with_its_scale_factors() {
	let meter = AcMeter::decode(203, &meter_body()).unwrap();
	assert_eq!(meter.model, MeterModel::ThreePhaseWye);
	assert_eq!(meter.current, Some(12.3));
	assert_eq!(meter.voltage, Some(230.1));
	assert_eq!(meter.frequency, Some(50.01));
	assert_eq!(meter.power, Some(-1_500.0));
	assert_eq!(meter.power_factor, Some(98.5));
	assert_eq!(meter.energy_exported, Some(Accumulator { raw: 5, scale_factor: 3 }));
	assert_eq!(meter.energy_imported, Some(Accumulator { raw: 1_234_567, scale_factor: 3 }));
	// The same layout serves all four meter models.
	for (id, model) in [
		(201, MeterModel::SinglePhase),
		(202, MeterModel::SplitPhase),
		(204, MeterModel::ThreePhaseDelta),
	] {
		assert_eq!(AcMeter::decode(id, &meter_body()).unwrap().model, model);
	}
}

#[test]
fn not_implemented_points_are_absent_not_zero() {
	let mut body = meter_body();
	body[14] = 0x8000; // Hz not implemented
	body[35] = 0x8000; // PF_SF not implemented
					// acc32 0 is "not implemented" and a count of nothing alike: nothing counted, in the
					// meter's units (a wrap to 0 must not lose them).
	body[36..38].copy_from_slice(&[0, 0]);
	let meter = AcMeter::decode(201, &body).unwrap();
	assert_eq!((meter.frequency, meter.power_factor), (None, None));
	assert_eq!(meter.energy_exported, Some(Accumulator { raw: 0, scale_factor: 3 }));
	body[52] = 0x8000; // TotWh_SF not implemented: no energy at all
	assert_eq!(AcMeter::decode(201, &body).unwrap().energy_imported, None);
	assert_eq!(scaled_i16(0x8000, 0), Ok(None));
}

#[test]
fn garbage_is_an_error_with_its_reason() {
	assert_eq!(
		AcMeter::decode(203, &meter_body()[..40]),
		Err(SunSpecError::ModelTooShort { id: 203, needed: 53, got: 40 })
	);
	assert_eq!(AcMeter::decode(101, &meter_body()), Err(SunSpecError::NotAMeter { id: 101 }));
	let mut body = meter_body();
	body[20] = 11; // W_SF beyond SunSpec's −10..=10
	assert_eq!(AcMeter::decode(203, &body), Err(SunSpecError::BadScaleFactor(11)));
	assert_eq!(power_of_ten(-3), Ok(0.001));
	assert_eq!(
		CommonModel::decode(&[0; 10]),
		Err(SunSpecError::ModelTooShort { id: 1, needed: 65, got: 10 })
	);
	let header = ModelHeader { id: 203, length: 105 };
	assert_eq!(header.next(65_500), Err(SunSpecError::ChainOverflow));
	assert_eq!(ModelHeader::parse(&[1]), None);
}

/// A three-phase inverter body (50 registers): 21.5 A, 400.2 V, 12.34 kW, 50.00 Hz, 99 % power
/// factor, 98 765.4 kWh produced in 0.1 kWh.
fn inverter_body() -> Vec<u16> {
	let mut body = vec![0x8000u16; 50];
	body[0] = 215; // A
	body[4] = (-1i16) as u16; // A_SF
	body[8] = 4002; // PhVphA
	body[11] = (-1i16) as u16; // V_SF
	body[12] = 1234; // W
	body[13] = 1; // W_SF
	body[14] = 5000; // Hz
	body[15] = (-2i16) as u16; // Hz_SF
	body[20] = 99; // PF
	body[21] = 0; // PF_SF
	body[22..24].copy_from_slice(&[0x000F, 0x1206]); // WH: 987 654
	body[24] = 2; // WH_SF: 0.1 kWh
	body[36] = 4; // St: producing
	body
}

#[test]
fn decodes_an_inverter_with_its_scale_factors() {
	let inverter = Inverter::decode(103, &inverter_body()).unwrap();
	assert_eq!(
		inverter,
		Inverter {
			model: InverterModel::ThreePhase,
			current: Some(21.5),
			voltage: Some(400.2),
			power: Some(12_340.0),
			frequency: Some(50.0),
			power_factor: Some(99.0),
			energy: Some(Accumulator { raw: 987_654, scale_factor: 2 }),
		}
	);
	// The same layout serves all three inverter models.
	for (id, model) in [(101, InverterModel::SinglePhase), (102, InverterModel::SplitPhase)] {
		assert_eq!(Inverter::decode(id, &inverter_body()).unwrap().model, model);
		assert_eq!(ValueModel::from_id(id), Some(ValueModel::Inverter(model)));
	}
	// An inverter without an energy scale factor counts no energy.
	let mut body = inverter_body();
	body[24] = 0x8000;
	assert_eq!(Inverter::decode(103, &body).unwrap().energy, None);
	assert_eq!(ValueModel::from_id(203), Some(ValueModel::Meter(MeterModel::ThreePhaseWye)));
	assert_eq!(ValueModel::from_id(111), None);
}

#[test]
fn garbage_in_an_inverter_is_an_error_with_its_reason() {
	assert_eq!(
		Inverter::decode(103, &inverter_body()[..24]),
		Err(SunSpecError::ModelTooShort { id: 103, needed: 25, got: 24 })
	);
	assert_eq!(
		Inverter::decode(203, &inverter_body()),
		Err(SunSpecError::NotAnInverter { id: 203 })
	);
	let mut body = inverter_body();
	body[24] = (-11i16) as u16; // WH_SF beyond SunSpec's −10..=10
	assert_eq!(Inverter::decode(103, &body), Err(SunSpecError::BadScaleFactor(-11)));
}
