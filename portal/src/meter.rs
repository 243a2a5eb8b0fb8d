//! One meter as its page and the API show it: its health, its energy per settlement period and
//! per day, and each day's hash-chain checkpoint with whether it continues the day before's.

use serde::{Deserialize, Serialize};

use crate::{
	building::{MeterHealth, UsePoint},
	status::NodeStatus,
};

/// A day's checkpoint of the meter's hash chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
	/// `YYYY-MM-DD`, UTC.
	pub day: String,
	/// Accepted readings timestamped in the day.
	pub readings: u32,
	/// The chain's length after the day's last reading.
	pub length: u64,
	/// The length the day before's checkpoint and this day's readings make; `None` for the
	/// first day the portal keeps.
	pub expected_length: Option<u64>,
	/// The chain's head after the day, shortened.
	pub head: String,
}

impl Checkpoint {
	/// Whether the checkpoint follows from the day before's (a first day does).
	pub fn continues(&self) -> bool {
		self.expected_length.is_none_or(|expected| expected == self.length)
	}
}

/// Everything the meter page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeterDetail {
	pub block: u64,
	pub node: NodeStatus,
	pub site: u32,
	pub site_name: String,
	pub health: MeterHealth,
	/// Wh per register unit.
	pub multiplier: u32,
	/// The most power the meter may plausibly measure, W; 0 where not set.
	pub max_power_w: u32,
	/// The public key its readings are signed with, hex.
	pub device_key: String,
	/// The register of its newest accepted reading, Wh.
	pub last_register_wh: Option<u64>,
	/// The last 24 hours of settlement periods (empty for a temperature sensor).
	pub periods: Vec<UsePoint>,
	/// The last 30 days (empty for a temperature sensor).
	pub days: Vec<UsePoint>,
	/// The day checkpoints the portal keeps, oldest first.
	pub checkpoints: Vec<Checkpoint>,
}
