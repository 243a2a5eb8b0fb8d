//! Sign-in challenges and sessions. A challenge is random, expires, and is spent by the first
//! attempt to answer it; a session is a random token in an HttpOnly cookie that expires too. Both
//! live in memory, bounded: a restart signs everyone out, which costs a signature.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use parking_lot::Mutex;
use smartblocks_client::{
	subxt::utils::AccountId32,
	subxt_signer::sr25519::{verify, PublicKey, Signature},
};

use super::AppState;
use crate::session::{Challenge, SignedIn};

/// The cookie that carries a session's token.
pub const COOKIE: &str = "blockportal_session";
/// Challenges handed out and not yet answered or expired; more wait until some expire.
const OPEN_CHALLENGES: usize = 10_000;
/// Sessions kept at once; the oldest to expire goes first.
const SESSIONS: usize = 100_000;
/// The first line of every challenge, so a wallet shows its user what the signature is for.
const PURPOSE: &str =
	"Sign in to BlockPortal (SmartBlocks). This signs no transaction and costs nothing.";

/// Why a sign-in was refused, in words for the page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
	#[error("the server's random generator failed ({0}): no challenge or session can be made")]
	NoRandomness(String),
	#[error("too many sign-ins are under way: try again in a minute")]
	Busy,
	#[error(
		"this challenge was not issued by this portal, or was already used: ask for a new one"
	)]
	UnknownChallenge,
	#[error("this challenge expired at {0}: ask for a new one")]
	Expired(String),
	#[error("'{0}' is not an SS58 account address")]
	BadAddress(String),
	#[error("the signature is not 64 bytes of hex (sr25519 accounts only)")]
	MalformedSignature,
	#[error("the signature does not match the account and the challenge")]
	WrongSignature,
}

/// A signed-in account and when its session ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
	pub account: AccountId32,
	pub expires_ms: u64,
}

/// Challenges and sessions, with how long each lasts.
pub struct Sessions {
	challenge_ms: u64,
	session_ms: u64,
	/// Whether cookies carry `Secure`, for portals served over HTTPS.
	secure_cookie: bool,
	open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
	/// Challenge message → when it expires.
	challenges: HashMap<String, u64>,
	/// Token → session.
	sessions: HashMap<String, Session>,
}

impl Sessions {
	pub fn new(challenge_ms: u64, session_ms: u64, secure_cookie: bool) -> Self {
		Self { challenge_ms, session_ms, secure_cookie, open: Mutex::new(Open::default()) }
	}

	/// The `Set-Cookie` value that stores `token` for a session's time, or removes the cookie
	/// when `token` is empty.
	pub fn cookie(&self, token: &str) -> String {
		let max_age = if token.is_empty() { 0 } else { self.session_ms / 1000 };
		let secure = if self.secure_cookie { "; Secure" } else { "" };
		format!("{COOKIE}={token}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Lax{secure}")
	}

	/// A new challenge, valid from `now_ms` for the challenge time.
	pub fn challenge(&self, now_ms: u64) -> Result<Challenge, SignInError> {
		let mut open = self.open.lock();
		open.challenges.retain(|_, expires| *expires > now_ms);
		if open.challenges.len() >= OPEN_CHALLENGES {
			return Err(SignInError::Busy);
		}
		let expires_ms = now_ms.saturating_add(self.challenge_ms);
		let expires_at = rfc3339(expires_ms);
		let message = format!("{PURPOSE}\nNonce: {}\nExpires: {expires_at}", random_hex()?);
		open.challenges.insert(message.clone(), expires_ms);
		Ok(Challenge { message, expires_at })
	}

	/// Checks that `signature` (hex) is `address`'s signature of `message`, a challenge of this
	/// portal that has not expired; the challenge is spent either way. The wallet may have signed
	/// the message wrapped in `<Bytes>…</Bytes>`, as injected-web3 wallets do, or bare. Returns the
	/// new session's token.
	pub fn sign_in(
		&self,
		address: &str,
		message: &str,
		signature: &str,
		now_ms: u64,
	) -> Result<(String, Session), SignInError> {
		let expires_ms =
			self.open.lock().challenges.remove(message).ok_or(SignInError::UnknownChallenge)?;
		if expires_ms <= now_ms {
			return Err(SignInError::Expired(rfc3339(expires_ms)));
		}
		let account: AccountId32 =
			address.trim().parse().map_err(|_| SignInError::BadAddress(address.to_string()))?;
		let signature = parse_signature(signature)?;
		let key = PublicKey(account.0);
		let wrapped = format!("<Bytes>{message}</Bytes>");
		if !verify(&signature, wrapped.as_bytes(), &key) && !verify(&signature, message, &key) {
			return Err(SignInError::WrongSignature);
		}
		let session = Session { account, expires_ms: now_ms.saturating_add(self.session_ms) };
		let token = random_hex()?;
		let mut open = self.open.lock();
		open.sessions.retain(|_, session| session.expires_ms > now_ms);
		if open.sessions.len() >= SESSIONS {
			let first_to_end = open
				.sessions
				.iter()
				.min_by_key(|(_, session)| session.expires_ms)
				.map(|(token, _)| token.clone());
			if let Some(token) = first_to_end {
				open.sessions.remove(&token);
			}
		}
		open.sessions.insert(token.clone(), session.clone());
		Ok((token, session))
	}

	/// The session of `token`, unless it expired or was signed out.
	pub fn session(&self, token: &str, now_ms: u64) -> Option<Session> {
		let mut open = self.open.lock();
		match open.sessions.get(token) {
			Some(session) if session.expires_ms > now_ms => Some(session.clone()),
			Some(_) => {
				open.sessions.remove(token);
				None
			}
			None => None,
		}
	}

	/// Ends the session of `token`.
	pub fn sign_out(&self, token: &str) {
		self.open.lock().sessions.remove(token);
	}
}

impl AppState {
	/// The open session a request's cookie names, with its token.
	pub fn session_of(&self, headers: &axum::http::HeaderMap) -> Option<(String, Session)> {
		let token = token_in(headers)?;
		let session = self.sessions.session(&token, now_ms())?;
		Some((token, session))
	}

	/// What pages show of `session`: its account and the member it acts for.
	pub fn signed_in(&self, session: &Session) -> SignedIn {
		let campus = self.chain.campus();
		SignedIn {
			account: session.account.to_string(),
			member: campus
				.member_of(&session.account)
				.map(|member| (member.id, String::from_utf8_lossy(&member.name).into_owned())),
			expires_at: rfc3339(session.expires_ms),
		}
	}
}

/// The session of the request a server function or page is answering.
pub fn request_session(state: &AppState) -> Option<(String, Session)> {
	let request = leptos::prelude::use_context::<axum::http::request::Parts>()?;
	state.session_of(&request.headers)
}

/// Sets the session cookie (or clears it, for an empty `token`) on the response of a server
/// function.
pub fn respond_with_cookie(state: &AppState, token: &str) {
	let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
	let value = axum::http::HeaderValue::from_str(&state.sessions.cookie(token));
	if let (Some(response), Ok(value)) = (response, value) {
		response.append_header(axum::http::header::SET_COOKIE, value);
	}
}

/// The session token in a request's `Cookie` headers.
pub fn token_in(headers: &axum::http::HeaderMap) -> Option<String> {
	headers
		.get_all(axum::http::header::COOKIE)
		.iter()
		.filter_map(|value| value.to_str().ok())
		.flat_map(|value| value.split(';'))
		.find_map(|pair| {
			let (name, value) = pair.trim().split_once('=')?;
			(name == COOKIE && !value.is_empty()).then(|| value.to_string())
		})
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
	u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0)
}

/// `ms` since the Unix epoch as RFC 3339 in UTC.
pub fn rfc3339(ms: u64) -> String {
	i64::try_from(ms)
		.ok()
		.and_then(DateTime::<Utc>::from_timestamp_millis)
		.unwrap_or_default()
		.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_signature(text: &str) -> Result<Signature, SignInError> {
	let digits = text.trim().trim_start_matches("0x");
	let bytes = hex::decode(digits).map_err(|_| SignInError::MalformedSignature)?;
	smartblocks_client::wallet::sr25519_signature(&bytes)
		.map(Signature)
		.ok_or(SignInError::MalformedSignature)
}

/// 32 random bytes from the operating system, as hex.
pub(super) fn random_hex() -> Result<String, SignInError> {
	let mut bytes = [0u8; 32];
	getrandom::fill(&mut bytes).map_err(|error| SignInError::NoRandomness(error.to_string()))?;
	Ok(hex::encode(bytes))
}

#[cfg(test)]
mod tests;
