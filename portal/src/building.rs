//! One building as its page and the API show it: KPIs, use per settlement period and per day,
//! and each meter's health and hash-chain status.

use serde::{Deserialize, Serialize};

use crate::{kpi::BuildingKpis, status::NodeStatus};

/// One bar of a chart: a period or a day, labelled on the server so browser and server agree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsePoint {
	/// Start of the interval, milliseconds since the Unix epoch.
	pub start_ms: u64,
	/// `HH:MM` for a period, `MM-DD` for a day (UTC).
	pub label: String,
	/// Grid import + generation − export, where any of the site's meters delivered data.
	pub actual_kwh: Option<f64>,
	/// Whether every meter's data covers the whole interval.
	pub complete: bool,
	/// The bridge's forecast of the interval, made before its day began (periods only).
	pub forecast_kwh: Option<f64>,
	/// What the agreed baseline predicts for the day from the oracle's outdoor temperature
	/// (days only, those with complete data of the contract's meters).
	pub baseline_kwh: Option<f64>,
	/// What the contract's meters on the site measured on the day the baseline predicts: what
	/// the baseline is measured against, which is not the site's use when the contract reads a
	/// sub-meter (an HVAC plant's, say).
	pub contract_kwh: Option<f64>,
}

/// Where the forecast on the interval chart comes from, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ForecastStatus {
	/// The portal was started without a bridge to ask.
	NoBridge,
	/// None of the portal's bridges reads the site.
	NotRead,
	/// The bridge that reads the site, or one that could not be asked, says why not.
	Unavailable { bridge: String, reason: String },
	/// The bridge's forecasts of the days the chart covers, each made from the hours before
	/// its day by an hourly model with this CV(RMSE) on the weeks it was fitted on, the
	/// interval (± kWh) that holds an hour's use at the confidence given, and where today's
	/// temperatures came from, if the bridge says.
	Shown {
		bridge: String,
		days: Vec<String>,
		cv_rmse_percent: Option<f64>,
		hour_interval: Option<HourInterval>,
		temperatures: Option<TemperatureSources>,
	},
}

/// Where a day's forecast took its hours' temperatures from: the oracle's temperature forecast
/// for `forecast` of its `hours`, the same hour of the last day measured for the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemperatureSources {
	pub forecast: u32,
	pub hours: u32,
}

/// How closely a forecast holds an hour's use: within `kwh` of it at `confidence_percent`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HourInterval {
	pub confidence_percent: f64,
	pub kwh: f64,
}

/// Whether a meter's day checkpoints continue one another: each day's hash chain length is the
/// previous day's plus the readings the day holds, and the last ends at the meter's head.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ChainStatus {
	/// No accepted reading yet.
	Empty,
	/// The checkpoints of `days` days continue one another up to the head after `length`
	/// readings.
	Continuous { days: u32, length: u64, head: String },
	/// A checkpoint does not follow from the one before.
	Broken { day: String, expected_length: u64, found_length: u64 },
}

/// A meter's state as the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeterHealth {
	pub id: u32,
	pub kind: String,
	pub status: String,
	/// The newest accepted reading, `YYYY-MM-DD HH:MM:SS` UTC.
	pub last_reading: Option<String>,
	/// Accepted readings in its hash chain.
	pub readings: u64,
	pub refused: u32,
	pub exchanges: u16,
	/// Complete periods today as a share of the periods since the day began (or its data did).
	pub completeness_today_percent: Option<f64>,
	pub chain: ChainStatus,
}

/// Everything the building page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildingDetail {
	pub block: u64,
	pub node: NodeStatus,
	pub kpis: BuildingKpis,
	pub region: String,
	pub time_zone: String,
	/// The last 24 hours of settlement periods.
	pub periods: Vec<UsePoint>,
	/// The last 30 days.
	pub days: Vec<UsePoint>,
	pub forecast: ForecastStatus,
	/// The energy performance contract whose baseline the daily chart shows.
	pub baseline_contract: Option<u32>,
	pub meters: Vec<MeterHealth>,
}
