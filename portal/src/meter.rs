//! One meter as its page and the API show it: its health, its energy per settlement period and
//! per day, each day's hash-chain checkpoint with whether it continues the day before's, and
//! whether the archive of its raw readings reproduces the chain.

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

/// What the bridge that keeps the meter's archive of raw readings says of it against the
/// chain's hash chain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ArchiveStatus {
	/// The portal was started without a bridge to ask.
	#[default]
	NoBridge,
	/// None of the portal's bridges keeps the meter's readings.
	NotRead,
	/// The bridge that keeps them, or one that could not be asked, says why there is no answer.
	Unavailable { bridge: String, reason: String },
	/// The bridge's verdict (`matches`, `differs` or `unchecked`) and its account of it.
	Verified { bridge: String, verdict: String, text: String },
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
	/// Whether the archive of its raw readings reproduces its hash chain.
	pub archive: ArchiveStatus,
}
