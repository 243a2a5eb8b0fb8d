//! The common model (1): who made the device and which one it is.

use super::SunSpecError;

/// Registers of the common model's body the bridge reads (Mn, Md, Opt, Vr, SN, DA).
const LENGTH: usize = 65;

/// The device's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommonModel {
	pub manufacturer: String,
	pub model: String,
	pub options: String,
	pub version: String,
	pub serial_number: String,
	/// The Modbus unit id the device reports; `None` if not implemented.
	pub device_address: Option<u16>,
}

impl CommonModel {
	/// The common model from its body (the registers after the header).
	pub fn decode(body: &[u16]) -> Result<CommonModel, SunSpecError> {
		if body.len() < LENGTH {
			return Err(SunSpecError::ModelTooShort { id: 1, needed: LENGTH, got: body.len() });
		}
		let text = |from: usize, registers: usize| string(&body[from..from + registers]);
		Ok(CommonModel {
			manufacturer: text(0, 16),
			model: text(16, 16),
			options: text(32, 8),
			version: text(40, 8),
			serial_number: text(48, 16),
			device_address: Some(body[64]).filter(|address| *address != 0xFFFF),
		})
	}
}

/// A SunSpec string: two bytes a register, padded with NULs; invalid UTF-8 is replaced.
fn string(words: &[u16]) -> String {
	let bytes: Vec<u8> = words.iter().flat_map(|word| word.to_be_bytes()).collect();
	let end = bytes.iter().position(|byte| *byte == 0).unwrap_or(bytes.len());
	String::from_utf8_lossy(&bytes[..end]).trim_end().to_string()
}
