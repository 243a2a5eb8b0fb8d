//! Device keys: made once with owner-only permissions, read back the same; a key readable by
//! others or a file that is no key is refused with the file and what to do.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::keys::{load_or_create, KeyError};
use smartblocks_client::token::PrivateFileError;
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_key_is_made_once_private_and_read_back_the_same() {
	let dir = tempfile::tempdir().unwrap();
	let made = load_or_create(dir.path(), "library-main").unwrap();
	assert!(made.created);
	let mode = std::fs::metadata(&made.file).unwrap().permissions().mode() & 0o777;
	assert_eq!(mode, 0o600);
	let again = load_or_create(dir.path(), "library-main").unwrap();
	assert!(!again.created);
	assert_eq!(again.keypair.public_key().0, made.keypair.public_key().0);
	let other = load_or_create(dir.path(), "lab-chiller").unwrap();
	assert_ne!(other.keypair.public_key().0, made.keypair.public_key().0);
}

#[test]
fn refuses_a_key_others_can_read_or_a_file_that_is_no_key() {
	let dir = tempfile::tempdir().unwrap();
	let made = load_or_create(dir.path(), "m").unwrap();
	std::fs::set_permissions(&made.file, std::fs::Permissions::from_mode(0o644)).unwrap();
	let error = load_or_create(dir.path(), "m").err().unwrap();
	assert!(
		matches!(error, KeyError::File(PrivateFileError::TooOpen { mode: 0o644, .. })),
		"{error}"
	);
	assert!(error.to_string().ends_with(&format!("run `chmod 600 {}`", made.file.display())));

	std::fs::set_permissions(&made.file, std::fs::Permissions::from_mode(0o600)).unwrap();
	std::fs::write(&made.file, "not a key\n").unwrap();
	let error = load_or_create(dir.path(), "m").err().unwrap();
	assert!(matches!(error, KeyError::Malformed { .. }), "{error}");
}

#[test]
fn an_http_token_is_read_from_a_private_file_and_refused_otherwise() {
	use smartblocks_client::token::{read_token_file as load_token, TokenError};
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("http.token");
	std::fs::write(&file, "s3cr3t-token-of-the-campus\n").unwrap();
	std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
	assert!(matches!(
		load_token(&file),
		Err(TokenError::File(PrivateFileError::TooOpen { mode: 0o640, .. }))
	));
	std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
	assert_eq!(load_token(&file).unwrap(), "s3cr3t-token-of-the-campus");
	for not_a_token in ["short\n", "sixteen characters wide\n", "s3cr3t-tökén-of-the-campus\n"] {
		std::fs::write(&file, not_a_token).unwrap();
		assert!(matches!(load_token(&file), Err(TokenError::NoToken { .. })), "{not_a_token}");
	}
}
