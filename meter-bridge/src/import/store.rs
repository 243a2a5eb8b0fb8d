//! The bridge's history store: imported hours by site, channel and hour, in a redb file of
//! their own beside the outbox (`history.redb`), so importing never touches the archive of
//! signed readings, and a running bridge, which opens the store only to read a site's hours,
//! does not keep `meter-bridge import` out.

use super::{Channel, Hours};
use crate::outbox::store_builder;
use redb::{Database, DatabaseError, ReadableTable, TableDefinition};
use std::{
	collections::BTreeMap,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

/// Imported values by (site, channel code, hour start in ms since the epoch): Wh or °C.
const HOURS: TableDefinition<(&str, u8, u64), f64> = TableDefinition::new("imported_hours");
/// Every import, by (site, time of import in ms, made unique): the file and what it brought,
/// for an auditor (JSON).
const IMPORTS: TableDefinition<(&str, u64), &str> = TableDefinition::new("imports");
/// Values an import replaced, by (site, channel code, hour, the replacing import's key): what
/// the store held before, so a corrected baseline can be traced to the data it replaced.
const REPLACED: TableDefinition<(&str, u8, u64, u64), f64> = TableDefinition::new("replaced");

/// Energy values closer than this (Wh) are the same: a file's own rounding.
const SAME_WH: f64 = 0.001;
/// How long the store waits for another process to let go of it.
const WAIT_FOR_OTHERS: Duration = Duration::from_secs(10);

/// Why the history store failed; a failed import stores nothing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	#[error("{file}: cannot open the history store: {reason}")]
	Open { file: String, reason: String },
	#[error("the history store failed: {0}")]
	Store(String),
	#[error(
		"{conflicts} hours are held with other values (the first: {channel} of the hour from \
		 {hour}, held {held}, the file {given}); nothing was imported: give --replace to take the \
		 file's values"
	)]
	Conflict { conflicts: usize, channel: &'static str, hour: String, held: f64, given: f64 },
	#[error(
		"{hours} hours would have the site's use both as such and as grid import (the first: the \
		 hour from {hour}); nothing was imported: import a site's use one way"
	)]
	MixedUse { hours: usize, hour: String },
}

fn store(error: impl std::fmt::Display) -> StoreError {
	StoreError::Store(error.to_string())
}

/// The history store file in `data_dir`.
pub fn history_path(data_dir: &Path) -> PathBuf {
	data_dir.join("history.redb")
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
	/// Hours the store did not hold.
	pub added: usize,
	/// Hours it held with the same value.
	pub same: usize,
	/// Hours it held with another value, replaced as asked.
	pub replaced: usize,
}

/// A site's imported values of one hour, by channel.
pub type ChannelValues = BTreeMap<Channel, f64>;

pub struct HistoryStore {
	db: Database,
}

impl HistoryStore {
	/// Opens the store at `path` to import into, creating it if missing.
	pub fn open(path: &Path) -> Result<HistoryStore, StoreError> {
		if let Some(directory) = path.parent() {
			std::fs::create_dir_all(directory).map_err(|e| StoreError::Open {
				file: path.display().to_string(),
				reason: format!("cannot create its directory: {e}"),
			})?;
		}
		let db = wait_for(path, |path| store_builder().create(path))?;
		let txn = db.begin_write().map_err(store)?;
		txn.open_table(HOURS).map_err(store)?;
		txn.open_table(IMPORTS).map_err(store)?;
		txn.open_table(REPLACED).map_err(store)?;
		txn.commit().map_err(store)?;
		Ok(HistoryStore { db })
	}

	/// `site`'s imported hours in the store at `path`, by hour start (ms since the epoch); none
	/// if nothing was ever imported. Opened only while read, so an import can run beside.
	pub fn site_hours_at(
		path: &Path,
		site: &str,
	) -> Result<BTreeMap<u64, ChannelValues>, StoreError> {
		if !path.exists() {
			return Ok(BTreeMap::new());
		}
		HistoryStore { db: wait_for(path, |path| store_builder().open(path))? }.site_hours(site)
	}

	/// `site`'s imported hours, by hour start (ms since the epoch).
	pub fn site_hours(&self, site: &str) -> Result<BTreeMap<u64, ChannelValues>, StoreError> {
		let txn = self.db.begin_read().map_err(store)?;
		let table = match txn.open_table(HOURS) {
			Ok(table) => table,
			Err(redb::TableError::TableDoesNotExist(_)) => return Ok(BTreeMap::new()),
			Err(error) => return Err(store(error)),
		};
		let mut hours: BTreeMap<u64, ChannelValues> = BTreeMap::new();
		for entry in table.range((site, 0, 0)..=(site, u8::MAX, u64::MAX)).map_err(store)? {
			let (key, value) = entry.map_err(store)?;
			let (_, code, hour) = key.value();
			if let Some(channel) = Channel::from_code(code) {
				hours.entry(hour).or_default().insert(channel, value.value());
			}
		}
		Ok(hours)
	}

	/// Stores `hours` of `site`, read from `source`, in one transaction: hours held with the
	/// same value are left, with another value refused unless `replace` (then nothing is
	/// stored; replaced values are kept aside); an hour would have the site's use both as such
	/// and as grid import, refused. The import is recorded with its source and what it did.
	pub fn import(
		&self,
		site: &str,
		hours: &Hours,
		replace: bool,
		source: &str,
		now_ms: u64,
	) -> Result<Stored, StoreError> {
		let txn = self.db.begin_write().map_err(store)?;
		let import_key = {
			let imports = txn.open_table(IMPORTS).map_err(store)?;
			let mut key = now_ms;
			while imports.get((site, key)).map_err(store)?.is_some() {
				key += 1;
			}
			key
		};
		let mut stored = Stored::default();
		let mut conflicts = Vec::new();
		let mut mixed = Vec::new();
		{
			let mut table = txn.open_table(HOURS).map_err(store)?;
			let mut replaced = txn.open_table(REPLACED).map_err(store)?;
			for (&(channel, hour), &value) in &hours.values {
				// Use as such and use from grid import would be two answers for one hour.
				let other = match channel {
					Channel::Use => Some(Channel::GridImport),
					Channel::GridImport => Some(Channel::Use),
					_ => None,
				};
				if let Some(other) = other {
					let held = table.get((site, other.code(), hour)).map_err(store)?.is_some();
					if held || hours.values.contains_key(&(other, hour)) {
						mixed.push(hour);
						continue;
					}
				}
				let key = (site, channel.code(), hour);
				let held = table.get(key).map_err(store)?.map(|v| v.value());
				match held {
					Some(held) if (held - value).abs() <= SAME_WH => {
						stored.same += 1;
						continue;
					}
					Some(held) if !replace => {
						conflicts.push((channel, hour, held, value));
						continue;
					}
					Some(held) => {
						replaced
							.insert((site, channel.code(), hour, import_key), held)
							.map_err(store)?;
						stored.replaced += 1;
					}
					None => stored.added += 1,
				}
				table.insert(key, value).map_err(store)?;
			}
		}
		if let Some(&hour) = mixed.first() {
			return Err(StoreError::MixedUse { hours: mixed.len(), hour: super::shown(hour) });
		}
		if let Some(&(channel, hour, held, given)) = conflicts.first() {
			return Err(StoreError::Conflict {
				conflicts: conflicts.len(),
				channel: channel.describe(),
				hour: super::shown(hour),
				held,
				given,
			});
		}
		{
			let record = serde_json::json!({
				"source": source,
				"hours": hours.values.len(),
				"incomplete": hours.incomplete.len(),
				"duplicates": hours.duplicates,
				"added": stored.added,
				"same": stored.same,
				"replaced": stored.replaced,
			})
			.to_string();
			let mut imports = txn.open_table(IMPORTS).map_err(store)?;
			imports.insert((site, import_key), record.as_str()).map_err(store)?;
		}
		txn.commit().map_err(store)?;
		Ok(stored)
	}
}

/// The database at `path` opened by `open`, waiting a while for another process (an import, or
/// a bridge reading) to let go of it.
fn wait_for(
	path: &Path,
	open: fn(&Path) -> Result<Database, DatabaseError>,
) -> Result<Database, StoreError> {
	let started = Instant::now();
	loop {
		match open(path) {
			Ok(db) => return Ok(db),
			Err(DatabaseError::DatabaseAlreadyOpen) if started.elapsed() < WAIT_FOR_OTHERS => {
				std::thread::sleep(Duration::from_millis(50));
			}
			Err(error) => {
				return Err(StoreError::Open {
					file: path.display().to_string(),
					reason: error.to_string(),
				})
			}
		}
	}
}
