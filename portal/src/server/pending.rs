//! Transactions waiting for a member's wallet: prepared by the server for the signed-in account,
//! held until the wallet's signature comes back (or a few minutes pass), and finished once, by
//! that account only.

use std::collections::HashMap;

use parking_lot::Mutex;
use smartblocks_client::{subxt::utils::AccountId32, wallet::PreparedTransaction};

use smartblocks_client::subxt::transactions::Payload;

use super::{
	session::{now_ms, random_hex, request_session},
	AppState,
};
use crate::session::WalletRequest;

/// Transactions held at once; more wait until some are signed or expire.
const HELD: usize = 10_000;
/// How long a prepared transaction waits for its signature: as long as it stays valid on chain.
pub const PENDING_MS: u64 = smartblocks_client::wallet::MORTAL_BLOCKS * 6_000;

/// Why a prepared transaction cannot be finished, in words for the page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PendingError {
	#[error("sign in first: transactions are signed by the signed-in member's wallet")]
	NotSignedIn,
	#[error("sign in with an account of a member: only members act here")]
	NotAMember,
	#[error("this transaction was not prepared here, or was already sent: prepare it again")]
	Unknown,
	#[error("this transaction waited too long for its signature: prepare it again")]
	Expired,
	#[error("this transaction was prepared for another account")]
	OtherAccount,
	#[error("too many transactions wait for signatures: try again in a minute")]
	Busy,
	#[error("the wallet's signature is not hex")]
	BadSignature,
	#[error("the node is not answering: try again once it is back")]
	NodeDown,
	/// The chain refused the transaction, or it failed.
	#[error("{0}")]
	Chain(String),
	#[error("{0}")]
	Server(String),
}

struct Held<T> {
	account: AccountId32,
	item: T,
	expires_ms: u64,
}

/// Items (prepared transactions) by id, each for one account and valid for `hold_ms`.
pub struct Pending<T = PreparedTransaction> {
	hold_ms: u64,
	held: Mutex<HashMap<String, Held<T>>>,
}

impl<T> Pending<T> {
	pub fn new(hold_ms: u64) -> Self {
		Self { hold_ms, held: Mutex::new(HashMap::new()) }
	}

	/// Holds `item` for `account` from `now_ms`; returns the id it comes back with.
	pub fn hold(&self, account: AccountId32, item: T, now_ms: u64) -> Result<String, PendingError> {
		let mut held = self.held.lock();
		held.retain(|_, held| held.expires_ms > now_ms);
		if held.len() >= HELD {
			return Err(PendingError::Busy);
		}
		let id = random_hex().map_err(|error| PendingError::Server(error.to_string()))?;
		let expires_ms = now_ms.saturating_add(self.hold_ms);
		held.insert(id.clone(), Held { account, item, expires_ms });
		Ok(id)
	}

	/// Takes item `id` for `account`; it cannot be taken twice.
	pub fn take(&self, id: &str, account: &AccountId32, now_ms: u64) -> Result<T, PendingError> {
		let mut held = self.held.lock();
		match held.get(id) {
			None => Err(PendingError::Unknown),
			// Another account cannot spend it; its own account still can.
			Some(entry) if &entry.account != account => Err(PendingError::OtherAccount),
			Some(_) => match held.remove(id) {
				Some(entry) if entry.expires_ms > now_ms => Ok(entry.item),
				_ => Err(PendingError::Expired),
			},
		}
	}
}

impl AppState {
	/// Prepares `call` for the request's signed-in account and holds it for its wallet.
	pub async fn prepare_for_wallet<Call: Payload>(
		&self,
		call: &Call,
	) -> Result<WalletRequest, PendingError> {
		let (_, session) = request_session(self).ok_or(PendingError::NotSignedIn)?;
		let prepared = self
			.node()?
			.prepare_for_wallet(call, &session.account)
			.await
			.map_err(|error| PendingError::Chain(error.to_string()))?;
		let payload = serde_json::to_string(&prepared.payload)
			.map_err(|error| PendingError::Server(error.to_string()))?;
		let id = self.pending.hold(session.account, prepared, now_ms())?;
		Ok(WalletRequest { id, account: session.account.to_string(), payload })
	}

	/// Sends held transaction `id` with its wallet's `signature` (hex) and waits until it is
	/// in a finalized block; returns that block's hash.
	pub async fn send_signed(&self, id: &str, signature: &str) -> Result<String, PendingError> {
		let (_, session) = request_session(self).ok_or(PendingError::NotSignedIn)?;
		let prepared = self.pending.take(id, &session.account, now_ms())?;
		let signature = hex::decode(signature.trim().trim_start_matches("0x"))
			.map_err(|_| PendingError::BadSignature)?;
		let (block, _) = self
			.node()?
			.submit_wallet_signed(&prepared, &signature)
			.await
			.map_err(|error| PendingError::Chain(error.to_string()))?;
		Ok(format!("{block:?}"))
	}

	/// The member the request's session acts for.
	pub fn session_member(&self) -> Result<u32, PendingError> {
		let (_, session) = request_session(self).ok_or(PendingError::NotSignedIn)?;
		let campus = self.chain.campus();
		campus.member_of(&session.account).map(|member| member.id).ok_or(PendingError::NotAMember)
	}

	fn node(&self) -> Result<smartblocks_client::Client, PendingError> {
		self.chain.client().ok_or(PendingError::NodeDown)
	}
}

#[cfg(test)]
mod tests;
