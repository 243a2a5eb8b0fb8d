//! Meters' device keys: sr25519 secrets in files only the bridge's user may read, one per meter,
//! made on first start (the public key is printed so the owner registers it on chain).

use smartblocks_client::{
	subxt_signer::sr25519::Keypair,
	token::{read_private_file, PrivateFileError},
};
use std::{
	fs::OpenOptions,
	io::Write,
	os::unix::fs::OpenOptionsExt,
	path::{Path, PathBuf},
};

/// Why a key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
	#[error(transparent)]
	File(#[from] PrivateFileError),
	#[error("{file}: not a key: expected 0x and 64 hex digits (a 32-byte sr25519 secret seed)")]
	Malformed { file: String },
	#[error("no random numbers from the system: {0}")]
	Random(String),
}

/// A meter's device key and whether it was just made.
pub struct DeviceKey {
	pub keypair: Keypair,
	pub created: bool,
	pub file: PathBuf,
}

/// The key of the meter named `name` in `dir` (`<dir>/<name>.key`), made if there is none.
pub fn load_or_create(dir: &Path, name: &str) -> Result<DeviceKey, KeyError> {
	let file = dir.join(format!("{name}.key"));
	let shown = file.display().to_string();
	let io = |e: std::io::Error| {
		KeyError::File(PrivateFileError::Io { file: shown.clone(), reason: e.to_string() })
	};
	if file.exists() {
		let text = read_private_file(&file)?;
		let keypair = parse(text.trim()).ok_or(KeyError::Malformed { file: shown })?;
		return Ok(DeviceKey { keypair, created: false, file });
	}
	let mut seed = [0u8; 32];
	getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
	std::fs::create_dir_all(dir).map_err(io)?;
	// Created with owner-only permissions: the secret is never readable by others, not even
	// for a moment.
	let mut out =
		OpenOptions::new().write(true).create_new(true).mode(0o600).open(&file).map_err(io)?;
	writeln!(out, "0x{}", hex::encode(seed)).map_err(io)?;
	out.sync_all().map_err(io)?;
	let keypair =
		parse(&format!("0x{}", hex::encode(seed))).ok_or(KeyError::Malformed { file: shown })?;
	Ok(DeviceKey { keypair, created: true, file })
}

fn parse(text: &str) -> Option<Keypair> {
	let bytes = hex::decode(text.strip_prefix("0x")?).ok()?;
	Keypair::from_secret_key(bytes.try_into().ok()?).ok()
}
