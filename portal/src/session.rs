//! Signing in: a member proves it holds an account's key by signing a one-time challenge in its
//! wallet; the server keeps the session, the key never leaves the wallet.

use serde::{Deserialize, Serialize};

/// Text a wallet signs to sign in, and until when the server accepts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
	pub message: String,
	/// RFC 3339, UTC.
	pub expires_at: String,
}

/// The account a session belongs to, and the member it acts for if the registry knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
	/// SS58 address.
	pub account: String,
	/// The member's id and name; none for an account that is not a member's (yet).
	pub member: Option<(u32, String)>,
	/// RFC 3339, UTC.
	pub expires_at: String,
}

/// A transaction the server prepared for the signed-in account's wallet to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletRequest {
	/// What the signature comes back with.
	pub id: String,
	/// The account that signs (SS58).
	pub account: String,
	/// The injected-web3 `SignerPayloadJSON`, as JSON text.
	pub payload: String,
}
