//! The energy management system of the sub-metered building ([`super::EMS_BUILDING`]): the
//! trend log of its HVAC plant's sub-meter, exported as CSV files into a folder, as building
//! management systems export them for an ESCO, which the bridge reads as a virtual meter
//! (`[[csv_meters]]`). The log starts with the interval ending at the retrofit's commissioning,
//! the start of the UTC day before the simulator started (the bridge's opening reading), so an
//! energy performance contract from that day settles from readings that went through the
//! bridge minutes after the campus starts. Each file is written under another name and then
//! renamed, so the bridge never reads half a file.

use super::{Campus, CAMPUS_TIME_ZONE};
use chrono::DateTime;
use std::{
	fmt::Write as _,
	path::{Path, PathBuf},
	sync::Arc,
	time::Duration,
};

/// Minutes an interval of the trend log lasts.
pub const INTERVAL_MINUTES: u64 = 15;
/// The header of every exported file: each row's interval end and its energy.
const HEADER: &str = "end,hvac_kwh\n";

/// The folder, under the export root `root`, of building `index`'s HVAC sub-meter.
pub fn folder(root: &Path, index: usize) -> PathBuf {
	root.join(meter_name(index))
}

/// The bridge's name of building `index`'s HVAC sub-meter.
pub fn meter_name(index: usize) -> String {
	format!("building-{index:02}-hvac")
}

/// The bridge configuration's virtual meter reading the exports under `root`.
pub fn csv_meter_config(root: &Path, index: usize) -> String {
	format!(
		"\n[[csv_meters]]\nname = \"{}\"\nsite = \"building-{index:02}\"\nkind = \"sub_meter\"\n\
		 max_power = 500000\nfolder = {}\ntimestamp = {{ column = \"end\" }}\n\
		 energy = {{ column = \"hvac_kwh\", scale = 1000.0 }}\n",
		meter_name(index),
		toml::Value::String(folder(root, index).display().to_string()),
	)
}

impl Campus {
	/// The trend log of building `index`'s HVAC plant for the intervals ending after minute
	/// `after` up to `until` (minutes since the epoch, on interval ends): a row per interval,
	/// its end on the site's clock with its offset and its energy in kWh to the Wh.
	pub fn hvac_trend(&self, index: usize, after: u64, until: u64) -> String {
		let mut csv = String::from(HEADER);
		let mut end = after + INTERVAL_MINUTES;
		while end <= until {
			let wh = self.hvac_energy(index, end - INTERVAL_MINUTES..end);
			let _ = writeln!(csv, "{},{:.3}", local_time(end), wh / 1000.0);
			end += INTERVAL_MINUTES;
		}
		csv
	}
}

/// Exports the sub-metered building's trend log into `root`: at once from the retrofit on, then
/// each interval as it ends; until the task is dropped.
pub async fn export(campus: Arc<Campus>, root: PathBuf, clock: fn() -> u64) {
	// The row ending at the retrofit is the log's first: its register is where the log starts.
	let mut exported = campus.retrofit_minute().saturating_sub(INTERVAL_MINUTES);
	let mut trouble = false;
	loop {
		let ended = clock() / 60_000 / INTERVAL_MINUTES * INTERVAL_MINUTES;
		if ended > exported {
			match write_trend(&campus, &root, exported, ended) {
				Ok(()) => {
					exported = ended;
					trouble = false;
				}
				Err(error) if !trouble => {
					eprintln!("the campus's energy management system cannot export: {error:#}");
					trouble = true;
				}
				Err(_) => {}
			}
		}
		tokio::time::sleep(Duration::from_secs(5)).await;
	}
}

/// Writes the intervals ending after `after` up to `until` as one file, named for them so that
/// the names sort by the intervals they hold (a restarted export writes again what the bridge
/// has, which it passes over).
fn write_trend(campus: &Campus, root: &Path, after: u64, until: u64) -> std::io::Result<()> {
	let index = super::EMS_BUILDING;
	let folder = folder(root, index);
	std::fs::create_dir_all(&folder)?;
	let stamp = |minute: u64| {
		DateTime::from_timestamp((minute * 60) as i64, 0)
			.unwrap_or_default()
			.format("%Y%m%dT%H%MZ")
			.to_string()
	};
	let name = format!("trend-{}-{}.csv", stamp(after + INTERVAL_MINUTES), stamp(until));
	let partial = folder.join(format!("{name}.part"));
	std::fs::write(&partial, campus.hvac_trend(index, after, until))?;
	std::fs::rename(&partial, folder.join(name))
}

/// Minute `minute` since the epoch on the campus's clock, RFC 3339 with its offset.
fn local_time(minute: u64) -> String {
	DateTime::from_timestamp((minute * 60) as i64, 0)
		.unwrap_or_default()
		.with_timezone(&CAMPUS_TIME_ZONE)
		.to_rfc3339()
}
