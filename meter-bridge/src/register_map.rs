//! Register values as meters lay them out: data types over one to four 16-bit registers, in
//! either word order, and the scale that turns them into a unit.

use serde::{Deserialize, Serialize};

/// How a value is stored in consecutive registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataType {
	U16,
	I16,
	U32,
	I32,
	U64,
	/// IEEE 754 single precision.
	F32,
}

impl DataType {
	/// Registers the value spans.
	pub fn registers(self) -> usize {
		match self {
			DataType::U16 | DataType::I16 => 1,
			DataType::U32 | DataType::I32 | DataType::F32 => 2,
			DataType::U64 => 4,
		}
	}
}

/// The order of a multi-register value's 16-bit words (each word is big-endian, as Modbus
/// sends it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WordOrder {
	/// The most significant word first (Modbus convention, SunSpec).
	#[default]
	HighFirst,
	/// The least significant word first (many vendors' "swapped" layout).
	LowFirst,
}

/// Why registers do not hold a value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DecodeError {
	#[error("{data_type:?} needs {needed} registers, got {got}")]
	TooFewRegisters { data_type: DataType, needed: usize, got: usize },
	#[error("the float is not a finite number")]
	NotFinite,
}

/// The registers as one number: integers exactly, floats as read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
	Integer(i128),
	Float(f64),
}

impl Number {
	/// The number times `scale`.
	pub fn scaled(self, scale: f64) -> f64 {
		match self {
			// Meter registers stay far below 2^53, where f64 is exact.
			Number::Integer(value) => value as f64 * scale,
			Number::Float(value) => value * scale,
		}
	}
}

/// The value of `data_type` at the start of `words`, in `order`.
pub fn decode(words: &[u16], data_type: DataType, order: WordOrder) -> Result<Number, DecodeError> {
	let needed = data_type.registers();
	let Some(words) = words.get(..needed) else {
		return Err(DecodeError::TooFewRegisters { data_type, needed, got: words.len() });
	};
	// The words most significant first.
	let mut bits = 0u64;
	let mut push = |word: u16| bits = (bits << 16) | u64::from(word);
	match order {
		WordOrder::HighFirst => words.iter().copied().for_each(&mut push),
		WordOrder::LowFirst => words.iter().rev().copied().for_each(&mut push),
	}
	Ok(match data_type {
		DataType::U16 | DataType::U32 | DataType::U64 => Number::Integer(i128::from(bits)),
		DataType::I16 => Number::Integer(i128::from(bits as u16 as i16)),
		DataType::I32 => Number::Integer(i128::from(bits as u32 as i32)),
		DataType::F32 => {
			let value = f32::from_bits(bits as u32);
			if !value.is_finite() {
				return Err(DecodeError::NotFinite);
			}
			Number::Float(f64::from(value))
		}
	})
}
