//! Sign-in challenges and sessions. A challenge is random, expires, and is spent by the first
//! attempt to answer it; a session is a random token in an HttpOnly cookie that expires too. Both
//! live in memory, bounded: a restart signs everyone out, which costs a signature.
//!
//! Anyone who reaches the portal may ask for challenges and sign in with any key, so both are
//! limited per client ([`Client`]) and in all, and kept in order of expiry, so that the expired
//! and the first to expire go in logarithmic time under the lock. Sessions of accounts that act
//! for no member (guests: applicants, or throwaway keys) are kept apart from members' and never
//! push a member's session out; a member account holds a few sessions, its own oldest going
//! for a new one.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use parking_lot::Mutex;
use smartblocks_client::{
	subxt::utils::AccountId32,
	subxt_signer::sr25519::{verify, PublicKey, Signature},
};

use super::{clients::Client, AppState};
use crate::session::{Challenge, SignedIn};

/// The cookie that carries a session's token.
pub const COOKIE: &str = "blockportal_session";
/// Challenges handed out and not yet answered or expired; more wait until some expire.
const OPEN_CHALLENGES: usize = 10_000;
/// Open challenges of one client.
const CHALLENGES_PER_CLIENT: usize = 8;
/// Members' sessions kept at once; the first to expire goes for a new one.
const MEMBER_SESSIONS: usize = 100_000;
/// Sessions of one member account (browsers, devices); its first to expire goes for a new one,
/// so no account signing in again and again pushes out another's.
const MEMBER_SESSIONS_PER_ACCOUNT: usize = 16;
/// Guests' sessions kept at once, apart from members'; the first to expire goes for a new one.
const GUEST_SESSIONS: usize = 10_000;
/// Guests' sessions of one client.
const GUEST_SESSIONS_PER_CLIENT: usize = 8;
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
	#[error("too many sign-ins from your address are under way: finish one or wait a few minutes")]
	TooManyFromHere,
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
	/// Challenge message → when it expires, by client.
	challenges: Expiring<Client, ()>,
	/// Token → a member's session, by account.
	members: Expiring<[u8; 32], Session>,
	/// Token → a guest's session, by client.
	guests: Expiring<Client, Session>,
}

/// Entries by key that expire, indexed by expiry, in all and within each group (a client, or
/// an account).
struct Expiring<G, V> {
	entries: HashMap<String, (u64, G, V)>,
	by_expiry: BTreeSet<(u64, String)>,
	by_group: HashMap<G, BTreeSet<(u64, String)>>,
}

impl<G, V> Default for Expiring<G, V> {
	fn default() -> Self {
		Expiring { entries: HashMap::new(), by_expiry: BTreeSet::new(), by_group: HashMap::new() }
	}
}

impl<G: Clone + Eq + std::hash::Hash, V> Expiring<G, V> {
	fn len(&self) -> usize {
		self.entries.len()
	}

	fn held_by(&self, group: &G) -> usize {
		self.by_group.get(group).map_or(0, BTreeSet::len)
	}

	fn get(&self, key: &str) -> Option<&(u64, G, V)> {
		self.entries.get(key)
	}

	fn insert(&mut self, key: String, expires: u64, group: G, value: V) {
		self.remove(&key);
		self.by_expiry.insert((expires, key.clone()));
		self.by_group.entry(group.clone()).or_default().insert((expires, key.clone()));
		self.entries.insert(key, (expires, group, value));
	}

	fn remove(&mut self, key: &str) -> Option<(u64, G, V)> {
		let entry = self.entries.remove(key)?;
		let indexed = (entry.0, key.to_string());
		self.by_expiry.remove(&indexed);
		if let Some(held) = self.by_group.get_mut(&entry.1) {
			held.remove(&indexed);
			if held.is_empty() {
				self.by_group.remove(&entry.1);
			}
		}
		Some(entry)
	}

	/// Removes what expired by `now`.
	fn prune(&mut self, now: u64) {
		while let Some((expires, key)) = self.by_expiry.first().cloned() {
			if expires > now {
				break;
			}
			self.remove(&key);
		}
	}

	/// Removes the entry that would expire first.
	fn evict_first(&mut self) {
		if let Some((_, key)) = self.by_expiry.first().cloned() {
			self.remove(&key);
		}
	}

	/// Removes the entry of `group` that would expire first.
	fn evict_first_of(&mut self, group: &G) {
		let first = self.by_group.get(group).and_then(|held| held.first().cloned());
		if let Some((_, key)) = first {
			self.remove(&key);
		}
	}
}

impl<G: Clone + Eq + std::hash::Hash> Expiring<G, Session> {
	/// Whether `token` is kept here, and its session unless it expired by `now_ms` (then it
	/// goes).
	fn session(&mut self, token: &str, now_ms: u64) -> Option<Option<Session>> {
		let (expires, _, session) = self.get(token)?;
		if *expires > now_ms {
			return Some(Some(session.clone()));
		}
		self.remove(token);
		Some(None)
	}
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

	/// A new challenge for `client`, valid from `now_ms` for the challenge time.
	pub fn challenge(&self, now_ms: u64, client: Client) -> Result<Challenge, SignInError> {
		let mut open = self.open.lock();
		open.challenges.prune(now_ms);
		if open.challenges.held_by(&client) >= CHALLENGES_PER_CLIENT {
			return Err(SignInError::TooManyFromHere);
		}
		if open.challenges.len() >= OPEN_CHALLENGES {
			return Err(SignInError::Busy);
		}
		let expires_ms = now_ms.saturating_add(self.challenge_ms);
		let expires_at = rfc3339(expires_ms);
		let message = format!("{PURPOSE}\nNonce: {}\nExpires: {expires_at}", random_hex()?);
		open.challenges.insert(message.clone(), expires_ms, client, ());
		Ok(Challenge { message, expires_at })
	}

	/// Checks that `signature` (hex) is `address`'s signature of `message`, a challenge of this
	/// portal that has not expired; the challenge is spent either way. The wallet may have signed
	/// the message wrapped in `<Bytes>…</Bytes>`, as injected-web3 wallets do, or bare. A session
	/// of an account `is_member` does not take is a guest's. Returns the new session's token.
	pub fn sign_in(
		&self,
		address: &str,
		message: &str,
		signature: &str,
		now_ms: u64,
		client: Client,
		is_member: impl Fn(&AccountId32) -> bool,
	) -> Result<(String, Session), SignInError> {
		let (expires_ms, ..) =
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
		let member = is_member(&account);
		let session = Session { account, expires_ms: now_ms.saturating_add(self.session_ms) };
		let token = random_hex()?;
		let mut open = self.open.lock();
		if member {
			// An account signing in again and again pushes out only its own oldest session.
			let kept = &mut open.members;
			kept.prune(now_ms);
			if kept.held_by(&session.account.0) >= MEMBER_SESSIONS_PER_ACCOUNT {
				kept.evict_first_of(&session.account.0);
			}
			if kept.len() >= MEMBER_SESSIONS {
				kept.evict_first();
			}
			kept.insert(token.clone(), session.expires_ms, session.account.0, session.clone());
		} else {
			let kept = &mut open.guests;
			kept.prune(now_ms);
			if kept.held_by(&client) >= GUEST_SESSIONS_PER_CLIENT {
				return Err(SignInError::TooManyFromHere);
			}
			if kept.len() >= GUEST_SESSIONS {
				kept.evict_first();
			}
			kept.insert(token.clone(), session.expires_ms, client, session.clone());
		}
		Ok((token, session))
	}

	/// The session of `token`, unless it expired or was signed out.
	pub fn session(&self, token: &str, now_ms: u64) -> Option<Session> {
		let open = &mut *self.open.lock();
		open.members.session(token, now_ms).or_else(|| open.guests.session(token, now_ms)).flatten()
	}

	/// Ends the session of `token`.
	pub fn sign_out(&self, token: &str) {
		let mut open = self.open.lock();
		open.members.remove(token);
		open.guests.remove(token);
	}
}

impl AppState {
	/// The open session a request's cookie names, with its token.
	pub fn session_of(&self, headers: &axum::http::HeaderMap) -> Option<(String, Session)> {
		let token = token_in(headers)?;
		let session = self.sessions.session(&token, now_ms())?;
		Some((token, session))
	}

	/// Whether `account` acts for a member of the consortium.
	pub fn is_member(&self, account: &AccountId32) -> bool {
		self.chain.campus().member_of(account).is_some()
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
