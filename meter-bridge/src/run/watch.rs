//! Watching a CSV meter's folder: each file an energy management system drops there is read
//! as a whole, its new rows signed and recorded as the virtual meter's readings, and the file
//! moved to `done/`; a file with a mistake goes to `failed/` with the reason in a `.error` file
//! beside it, and records nothing.

use super::{Resolved, Shared};
use crate::{
	config::{Config, CsvMeterConfig},
	csv_source::{read_rows, row_readings},
};
use anyhow::Context as _;
use chrono_tz::Tz;
use smartblocks_client::{
	meters::{sign_reading, Reading},
	subxt::ext::codec::Encode,
	subxt_signer::sr25519::Keypair,
};
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
	sync::Arc,
	time::Duration,
};

/// A CSV meter the bridge holds.
pub struct CsvTarget {
	pub config: CsvMeterConfig,
	pub zone: Tz,
	pub chain_meter: u32,
	pub multiplier: u32,
	pub key: Keypair,
}

/// The CSV meters among `resolved`.
pub fn csv_targets(
	config: &Config,
	mut resolved: BTreeMap<String, Resolved>,
) -> anyhow::Result<Vec<CsvTarget>> {
	let mut targets = Vec::new();
	for meter in &config.csv_meters {
		let Some(found) = resolved.remove(&meter.name) else { continue };
		let zone = config.time_zone(&meter.site).context("every site's time zone is checked")?;
		targets.push(CsvTarget {
			config: meter.clone(),
			zone,
			chain_meter: found.chain_meter,
			multiplier: found.multiplier,
			key: found.key,
		});
	}
	Ok(targets)
}

/// Looks at the folder every `period` until the task is dropped.
pub async fn watch_folder(shared: Arc<Shared>, target: CsvTarget, period: Duration) {
	let mut trouble: Option<String> = None;
	loop {
		match scan(&shared, &target) {
			Ok(()) => trouble = None,
			Err(error) => {
				let message = format!("{error:#}");
				if trouble.as_deref() != Some(message.as_str()) {
					tracing::warn!(meter = target.config.name, "{message}");
					trouble = Some(message);
				}
			}
		}
		tokio::time::sleep(period).await;
	}
}

/// Reads every CSV file in the folder, oldest name first.
fn scan(shared: &Shared, target: &CsvTarget) -> anyhow::Result<()> {
	let folder = &target.config.folder;
	let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
		.with_context(|| format!("{}: cannot read the folder", folder.display()))?
		.filter_map(|entry| entry.ok().map(|entry| entry.path()))
		.filter(|path| {
			path.is_file() && path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("csv"))
		})
		.collect();
	files.sort();
	for file in files {
		match record_file(shared, target, &file) {
			Ok((recorded, known)) => {
				tracing::info!(meter = target.config.name, file = %file.display(), recorded, known, "read");
				move_to(&file, "done")?;
			}
			Err(FileError::Invalid(reason)) => {
				tracing::warn!(meter = target.config.name, %reason, "file refused; moved to failed/");
				let moved = move_to(&file, "failed")?;
				let mut note = moved.into_os_string();
				note.push(".error");
				std::fs::write(&note, format!("{reason}\n"))
					.with_context(|| format!("cannot write {}", Path::new(&note).display()))?;
			}
			Err(FileError::Outbox(error)) => return Err(error),
		}
	}
	Ok(())
}

enum FileError {
	/// The file cannot become readings: it is refused.
	Invalid(String),
	/// The outbox failed: the file stays for the next look.
	Outbox(anyhow::Error),
}

/// Records the new rows of `file`; returns how many were recorded and how many the outbox had.
fn record_file(
	shared: &Shared,
	target: &CsvTarget,
	file: &Path,
) -> Result<(usize, usize), FileError> {
	let rows = read_rows(file, &target.config, target.zone)
		.map_err(|e| FileError::Invalid(e.to_string()))?;
	let meter = target.chain_meter;
	let outbox = &shared.outbox;
	let mut state =
		outbox.meter_state(meter).map_err(|e| FileError::Outbox(e.into()))?.unwrap_or_default();
	let mut preview = state.clone();
	let readings = row_readings(&rows, &target.config, target.multiplier, &mut preview)
		.map_err(|reason| FileError::Invalid(format!("{}: {reason}", file.display())))?;
	for row in &readings {
		state.last_register = Some(row.measured.register);
		state.last_timestamp = Some(row.timestamp);
		outbox
			.record(meter, &state, |sequence| {
				let reading = Reading {
					meter,
					sequence,
					timestamp: row.timestamp,
					register: row.measured.register,
					demand: row.measured.demand,
					temperature: row.measured.temperature,
				};
				sign_reading(&target.key, shared.genesis, reading).encode()
			})
			.map_err(|e| FileError::Outbox(e.into()))?;
		shared.recorded();
	}
	Ok((readings.len(), rows.len() - readings.len()))
}

/// Moves `file` into the subfolder `into` of its folder (made if missing), under a new name
/// if one of that name is there already; returns where it went.
fn move_to(file: &Path, into: &str) -> anyhow::Result<PathBuf> {
	let folder = file.parent().unwrap_or(Path::new(".")).join(into);
	std::fs::create_dir_all(&folder)
		.with_context(|| format!("{}: cannot create", folder.display()))?;
	let name = file.file_name().unwrap_or_default().to_string_lossy().to_string();
	let mut target = folder.join(&name);
	let mut copy = 1;
	while target.exists() {
		target = folder.join(format!("{copy}-{name}"));
		copy += 1;
	}
	std::fs::rename(file, &target)
		.with_context(|| format!("cannot move {} to {}", file.display(), target.display()))?;
	Ok(target)
}
