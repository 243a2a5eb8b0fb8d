//! Decoding vendor register layouts: every data type in both word orders, and the errors.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::register_map::{decode, DataType, DecodeError, Number, WordOrder};

#[test]
fn decodes_every_data_type_in_both_word_orders() {
	use DataType::*;
	use WordOrder::*;
	let cases: [(&[u16], DataType, WordOrder, Number); 12] = [
		(&[0xFFFE], U16, HighFirst, Number::Integer(65_534)),
		(&[0xFFFE], I16, HighFirst, Number::Integer(-2)),
		(&[0x0001, 0x86A0], U32, HighFirst, Number::Integer(100_000)),
		(&[0x86A0, 0x0001], U32, LowFirst, Number::Integer(100_000)),
		(&[0xFFFE, 0x7960], I32, HighFirst, Number::Integer(-100_000)),
		(&[0x7960, 0xFFFE], I32, LowFirst, Number::Integer(-100_000)),
		(&[0x0000, 0x0002, 0x540B, 0xE400], U64, HighFirst, Number::Integer(10_000_000_000)),
		(&[0xE400, 0x540B, 0x0002, 0x0000], U64, LowFirst, Number::Integer(10_000_000_000)),
		// 230.5 and −0.25 as IEEE 754 single precision.
		(&[0x4366, 0x8000], F32, HighFirst, Number::Float(230.5)),
		(&[0x8000, 0x4366], F32, LowFirst, Number::Float(230.5)),
		(&[0xBE80, 0x0000], F32, HighFirst, Number::Float(-0.25)),
		// Extra registers after the value are ignored.
		(&[0x0001, 0x0002, 0x0003], U16, HighFirst, Number::Integer(1)),
	];
	for (words, data_type, order, expected) in cases {
		assert_eq!(
			decode(words, data_type, order),
			Ok(expected),
			"{words:04X?} as {data_type:?} {order:?}"
		);
	}
}

#[test]
fn scales_into_the_unit() {
	assert_eq!(Number::Integer(12_345).scaled(0.1), 1_234.5);
	assert_eq!(Number::Float(1.5).scaled(1_000.0), 1_500.0);
}

#[test]
fn too_few_registers_and_non_finite_floats_are_errors() {
	assert_eq!(
		decode(&[1], DataType::U32, WordOrder::HighFirst),
		Err(DecodeError::TooFewRegisters { data_type: DataType::U32, needed: 2, got: 1 })
	);
	// NaN (SunSpec's not-implemented float) and +∞.
	assert_eq!(
		decode(&[0x7FC0, 0], DataType::F32, WordOrder::HighFirst),
		Err(DecodeError::NotFinite)
	);
	assert_eq!(
		decode(&[0x7F80, 0], DataType::F32, WordOrder::HighFirst),
		Err(DecodeError::NotFinite)
	);
	let message = DecodeError::TooFewRegisters { data_type: DataType::U64, needed: 4, got: 3 };
	assert_eq!(message.to_string(), "U64 needs 4 registers, got 3");
}
