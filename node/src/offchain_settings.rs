//! What this node's off-chain workers are given on the command line: the oracle's feed sources
//! (`--oracle-sources FILE`) and the bridges whose pending readings the meters worker pulls
//! (`--meter-bridge URL`, or `--meter-bridge "URL TOKEN_FILE"` for a bridge that requires the
//! token in that file). Both are checked before the node starts, so a mistake stops it with
//! the flag and the problem, and are then written to offchain storage, where the workers read
//! them and where `offchain_localStorageSet` can replace them while the node runs. A flag not
//! given leaves what storage holds.

use pallet_energy_oracle::sources::{parse_sources, SOURCES_KEY};
use pallet_meters::offchain::BRIDGES_KEY;
use sp_core::offchain::{OffchainStorage, STORAGE_PREFIX};
use std::path::Path;

/// The off-chain workers' settings from the command line, checked.
#[derive(Debug, Default)]
pub struct OffchainSettings {
	/// The oracle's sources: (JSON text, number of sources).
	pub oracle_sources: Option<(Vec<u8>, usize)>,
	/// The bridges: each one's base URL and, after a space, its token if it needs one.
	pub meter_bridges: Vec<String>,
}

impl OffchainSettings {
	pub fn new(oracle_sources: Option<&Path>, meter_bridges: &[String]) -> Result<Self, String> {
		Ok(OffchainSettings {
			oracle_sources: oracle_sources.map(read_sources).transpose()?,
			meter_bridges: meter_bridges
				.iter()
				.map(|url| check_bridge(url))
				.collect::<Result<_, _>>()?,
		})
	}

	/// Whether any worker was given something to do.
	pub fn any(&self) -> bool {
		self.oracle_sources.is_some() || !self.meter_bridges.is_empty()
	}

	/// Puts the settings given where the workers read them.
	pub fn store(&self, storage: Option<impl OffchainStorage>) -> Result<(), String> {
		if !self.any() {
			return Ok(());
		}
		let mut storage = storage.ok_or("this node's database has no offchain storage")?;
		if let Some((json, _)) = &self.oracle_sources {
			storage.set(STORAGE_PREFIX, SOURCES_KEY, json);
		}
		if !self.meter_bridges.is_empty() {
			storage.set(STORAGE_PREFIX, BRIDGES_KEY, self.meter_bridges.join("\n").as_bytes());
		}
		Ok(())
	}
}

/// The file's sources, checked: (JSON text, number of sources).
fn read_sources(path: &Path) -> Result<(Vec<u8>, usize), String> {
	let json = std::fs::read(path)
		.map_err(|e| format!("--oracle-sources {}: cannot read: {e}", path.display()))?;
	let sources =
		parse_sources(&json).map_err(|e| format!("--oracle-sources {}: {e}", path.display()))?;
	Ok((json, sources.len()))
}

/// A bridge as the worker reads it: its base URL (http or https, host and optional port and
/// path, nothing after) and, if the flag names a token file after a space, the token in it.
fn check_bridge(flag: &str) -> Result<String, String> {
	let mut fields = flag.split_whitespace();
	let url = check_url(fields.next().unwrap_or_default())?;
	let token = match fields.next() {
		Some(file) => smartblocks_client::token::read_token_file(Path::new(file))
			.map_err(|error| format!("--meter-bridge {flag}: {error}"))?,
		None => return Ok(url),
	};
	if fields.next().is_some() {
		return Err(format!("--meter-bridge {flag}: give the URL and at most a token file"));
	}
	Ok(format!("{url} {token}"))
}

/// A bridge's base URL: http or https, host and optional port and path, nothing after.
fn check_url(url: &str) -> Result<String, String> {
	let problem = |why: &str| format!("--meter-bridge {url}: {why}");
	let rest = url
		.strip_prefix("http://")
		.or_else(|| url.strip_prefix("https://"))
		.ok_or_else(|| problem("must start with http:// or https://"))?;
	if rest.is_empty() || rest.starts_with('/') {
		return Err(problem("names no host"));
	}
	if url.chars().any(|c| c.is_whitespace() || c == '?' || c == '#') {
		return Err(problem("must be a base URL without spaces, query or fragment"));
	}
	Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
	use super::check_bridge;

	#[test]
	fn a_bridges_token_is_read_from_its_private_file() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("bridge.token");
		std::fs::write(&file, "s3cr3t-token-of-the-campus\n").unwrap();
		std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
		let flag = format!("http://10.1.2.3:8088/ {}", file.display());
		assert_eq!(
			check_bridge(&flag).as_deref(),
			Ok("http://10.1.2.3:8088 s3cr3t-token-of-the-campus")
		);
		std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
		assert!(check_bridge(&flag).unwrap_err().contains("readable by others"));
	}

	#[test]
	fn bridge_urls_are_checked() {
		assert_eq!(check_bridge("http://10.1.2.3:8088/").as_deref(), Ok("http://10.1.2.3:8088"));
		assert_eq!(
			check_bridge("https://hall.example/bridge").as_deref(),
			Ok("https://hall.example/bridge")
		);
		for (url, why) in [
			("10.1.2.3:8088", "must start with http:// or https://"),
			("http://", "names no host"),
			("http://a:1/pending?limit=3", "without spaces, query or fragment"),
		] {
			let error = check_bridge(url).unwrap_err();
			assert!(error.starts_with(&format!("--meter-bridge {url}: ")), "{error}");
			assert!(error.ends_with(why), "{error}");
		}
	}
}
