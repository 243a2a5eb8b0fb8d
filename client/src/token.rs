//! Secrets kept in files only their owner may read: a bridge's HTTP token, which the bridge
//! requires and the nodes and portals that ask it present, and (read through the same check)
//! meters' device keys.

use std::path::Path;

/// Why a file holding a secret cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PrivateFileError {
	#[error("{file}: {reason}")]
	Io { file: String, reason: String },
	#[error("{file}: readable by others (mode {mode:o}); run `chmod 600 {file}`")]
	TooOpen { file: String, mode: u32 },
}

/// The text of `file`, which holds a secret: refused if others may read it (on Unix), since a
/// secret they could read is no longer one.
pub fn read_private_file(file: &Path) -> Result<String, PrivateFileError> {
	let shown = || file.display().to_string();
	let io = |e: std::io::Error| PrivateFileError::Io { file: shown(), reason: e.to_string() };
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(file).map_err(io)?.permissions().mode() & 0o777;
		if mode & 0o077 != 0 {
			return Err(PrivateFileError::TooOpen { file: shown(), mode });
		}
	}
	std::fs::read_to_string(file).map_err(io)
}

/// Why a token file cannot serve.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
	#[error(transparent)]
	File(#[from] PrivateFileError),
	#[error(
		"{file}: not a token: its first line must hold at least 16 printable ASCII characters, \
		 no spaces"
	)]
	NoToken { file: String },
}

/// The token in `file`: its first line, at least 16 printable ASCII characters (what an HTTP
/// header carries as it is), in a file only its owner may read (on Unix).
pub fn read_token_file(file: &Path) -> Result<String, TokenError> {
	let text = read_private_file(file)?;
	let token = text.lines().next().unwrap_or_default().trim().to_string();
	if token.len() < 16 || !token.chars().all(|c| c.is_ascii_graphic()) {
		return Err(TokenError::NoToken { file: file.display().to_string() });
	}
	Ok(token)
}
