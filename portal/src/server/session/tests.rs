use smartblocks_client::subxt_signer::sr25519::{dev, Keypair};

use super::*;
use crate::server::clients::Client;

const MINUTE: u64 = 60_000;
const NOW: u64 = 1_764_000_000_000;

fn sessions() -> Sessions {
	Sessions::new(5 * MINUTE, 60 * MINUTE, false)
}

/// The client the tests' requests come from.
fn here() -> Client {
	client(1)
}

/// The client at 192.0.2.`n`.
fn client(n: u8) -> Client {
	Client::of(std::net::IpAddr::from([192, 0, 2, n]))
}

/// Membership as a chain where every account acts for a member.
fn everyone(_: &AccountId32) -> bool {
	true
}

/// Membership as a chain where no account acts for a member.
fn no_one(_: &AccountId32) -> bool {
	false
}

fn address(key: &Keypair) -> String {
	AccountId32::from(key.public_key()).to_string()
}

/// What an injected-web3 wallet returns for `signRaw` of `message`: the signature of the
/// message wrapped in `<Bytes>`, as 0x-hex.
fn wallet_signature(key: &Keypair, message: &str) -> String {
	format!("0x{}", hex::encode(key.sign(format!("<Bytes>{message}</Bytes>").as_bytes()).0))
}

#[test]
fn a_wallet_signed_challenge_opens_a_session_for_its_account() {
	let sessions = sessions();
	let challenge = sessions.challenge(NOW, here()).unwrap();
	assert!(challenge.message.starts_with("Sign in to BlockPortal"));
	assert_eq!(challenge.expires_at, rfc3339(NOW + 5 * MINUTE));
	let alice = dev::alice();
	let signature = wallet_signature(&alice, &challenge.message);
	let (token, session) = sessions
		.sign_in(&address(&alice), &challenge.message, &signature, NOW + 1000, here(), everyone)
		.unwrap();
	assert_eq!(session.account, AccountId32::from(alice.public_key()));
	assert_eq!(session.expires_ms, NOW + 1000 + 60 * MINUTE);
	assert_eq!(sessions.session(&token, NOW + 2000), Some(session));
	assert_eq!(token.len(), 64);
}

#[test]
fn a_bare_signature_and_a_multisignature_are_accepted_too() {
	let sessions = sessions();
	let bob = dev::bob();
	let challenge = sessions.challenge(NOW, here()).unwrap();
	let bare = hex::encode(bob.sign(challenge.message.as_bytes()).0);
	assert!(sessions
		.sign_in(&address(&bob), &challenge.message, &bare, NOW, here(), everyone)
		.is_ok());
	let challenge = sessions.challenge(NOW, here()).unwrap();
	let multi = format!("0x01{}", &wallet_signature(&bob, &challenge.message)[2..]);
	assert!(sessions
		.sign_in(&address(&bob), &challenge.message, &multi, NOW, here(), everyone)
		.is_ok());
}

#[test]
fn challenges_are_random_and_spent_by_the_first_answer() {
	let sessions = sessions();
	let first = sessions.challenge(NOW, here()).unwrap();
	assert_ne!(first, sessions.challenge(NOW, here()).unwrap());
	let alice = dev::alice();
	let signature = wallet_signature(&alice, &first.message);
	sessions.sign_in(&address(&alice), &first.message, &signature, NOW, here(), everyone).unwrap();
	assert_eq!(
		sessions.sign_in(&address(&alice), &first.message, &signature, NOW, here(), everyone),
		Err(SignInError::UnknownChallenge)
	);
}

#[test]
fn a_forged_challenge_is_refused() {
	let sessions = sessions();
	let alice = dev::alice();
	let forged = format!("{PURPOSE}\nNonce: 00\nExpires: 2099-01-01T00:00:00Z");
	let signature = wallet_signature(&alice, &forged);
	assert_eq!(
		sessions.sign_in(&address(&alice), &forged, &signature, NOW, here(), everyone),
		Err(SignInError::UnknownChallenge)
	);
}

#[test]
fn an_expired_challenge_is_refused_and_spent() {
	let sessions = sessions();
	let challenge = sessions.challenge(NOW, here()).unwrap();
	let alice = dev::alice();
	let signature = wallet_signature(&alice, &challenge.message);
	let late = NOW + 5 * MINUTE;
	assert_eq!(
		sessions.sign_in(&address(&alice), &challenge.message, &signature, late, here(), everyone),
		Err(SignInError::Expired(challenge.expires_at.clone()))
	);
	assert_eq!(
		sessions.sign_in(&address(&alice), &challenge.message, &signature, NOW, here(), everyone),
		Err(SignInError::UnknownChallenge)
	);
}

#[test]
fn another_accounts_signature_and_bad_input_are_refused() {
	let sessions = sessions();
	let (alice, bob) = (dev::alice(), dev::bob());
	let answer = |address: &str, signature: &str| {
		let challenge = sessions.challenge(NOW, here()).unwrap();
		let signature = signature.replace("{alice}", &wallet_signature(&alice, &challenge.message));
		sessions.sign_in(address, &challenge.message, &signature, NOW, here(), everyone).map(|_| ())
	};
	assert_eq!(answer(&address(&bob), "{alice}"), Err(SignInError::WrongSignature));
	assert_eq!(
		answer("not-an-address", "{alice}"),
		Err(SignInError::BadAddress("not-an-address".into()))
	);
	assert_eq!(answer(&address(&alice), "0x1234"), Err(SignInError::MalformedSignature));
	assert_eq!(answer(&address(&alice), "zz"), Err(SignInError::MalformedSignature));
	assert_eq!(answer(&address(&alice), "{alice}"), Ok(()));
}

#[test]
fn sessions_expire_and_sign_out() {
	let sessions = sessions();
	let alice = dev::alice();
	let open = || {
		let challenge = sessions.challenge(NOW, here()).unwrap();
		let signature = wallet_signature(&alice, &challenge.message);
		sessions
			.sign_in(&address(&alice), &challenge.message, &signature, NOW, here(), everyone)
			.unwrap()
			.0
	};
	let (expiring, signed_out) = (open(), open());
	assert!(sessions.session(&expiring, NOW + 60 * MINUTE).is_none());
	sessions.sign_out(&signed_out);
	assert!(sessions.session(&signed_out, NOW).is_none());
	assert!(sessions.session("made-up", NOW).is_none());
}

#[test]
fn open_challenges_are_bounded_per_client_and_in_all_until_they_expire() {
	let sessions = sessions();
	for _ in 0..CHALLENGES_PER_CLIENT {
		sessions.challenge(NOW, here()).unwrap();
	}
	// One client cannot hold every sign-in slot: others still get theirs.
	assert_eq!(sessions.challenge(NOW, here()), Err(SignInError::TooManyFromHere));
	assert!(sessions.challenge(NOW, client(2)).is_ok());
	let mut n = 0u32;
	while sessions.open.lock().challenges.len() < OPEN_CHALLENGES {
		n += 1;
		let many =
			Client::of(std::net::IpAddr::from([10, (n >> 16) as u8, (n >> 8) as u8, n as u8]));
		sessions.challenge(NOW, many).unwrap();
	}
	assert_eq!(sessions.challenge(NOW, client(3)), Err(SignInError::Busy));
	// Expired ones go, and their clients may ask again.
	assert!(sessions.challenge(NOW + 5 * MINUTE, here()).is_ok());
}

/// Signs in a fresh throwaway key from `from` on a chain whose members `is_member` names.
fn throwaway(
	sessions: &Sessions,
	from: Client,
	is_member: fn(&AccountId32) -> bool,
) -> Result<String, SignInError> {
	let key = Keypair::from_secret_key(rand_seed()).unwrap();
	let challenge = sessions.challenge(NOW, from)?;
	let signature = wallet_signature(&key, &challenge.message);
	sessions
		.sign_in(&address(&key), &challenge.message, &signature, NOW, from, is_member)
		.map(|s| s.0)
}

fn rand_seed() -> [u8; 32] {
	let mut seed = [0u8; 32];
	getrandom::fill(&mut seed).unwrap();
	seed
}

#[test]
fn guests_with_throwaway_keys_cannot_push_members_out() {
	let sessions = sessions();
	let alice = dev::alice();
	let challenge = sessions.challenge(NOW, here()).unwrap();
	let signature = wallet_signature(&alice, &challenge.message);
	let (member, _) = sessions
		.sign_in(&address(&alice), &challenge.message, &signature, NOW, here(), everyone)
		.unwrap();
	// One address holds at most a few guest sessions.
	for _ in 0..GUEST_SESSIONS_PER_CLIENT {
		throwaway(&sessions, client(9), no_one).unwrap();
	}
	assert_eq!(throwaway(&sessions, client(9), no_one), Err(SignInError::TooManyFromHere));
	// Guests from many addresses fill only the guests' room, the first to expire going first.
	let mut n = 0u32;
	while sessions.open.lock().guests.len() < GUEST_SESSIONS {
		n += 1;
		let many =
			Client::of(std::net::IpAddr::from([10, (n >> 16) as u8, (n >> 8) as u8, n as u8]));
		for _ in 0..GUEST_SESSIONS_PER_CLIENT {
			let _ = throwaway(&sessions, many, no_one);
		}
	}
	assert!(throwaway(&sessions, client(10), no_one).is_ok());
	assert_eq!(sessions.open.lock().guests.len(), GUEST_SESSIONS);
	assert!(sessions.session(&member, NOW + 1).is_some(), "the member's session stays");
}

#[test]
fn a_member_signing_in_again_and_again_pushes_out_only_its_own_oldest_session() {
	let sessions = sessions();
	let sign_in = |key: &Keypair, at: u64| {
		let challenge = sessions.challenge(at, here()).unwrap();
		let signature = wallet_signature(key, &challenge.message);
		sessions
			.sign_in(&address(key), &challenge.message, &signature, at, here(), everyone)
			.unwrap()
			.0
	};
	let bob = sign_in(&dev::bob(), NOW);
	let alice = dev::alice();
	let first = sign_in(&alice, NOW);
	let mut latest = Vec::new();
	for n in 1..(MEMBER_SESSIONS_PER_ACCOUNT as u64 * 4) {
		latest.push(sign_in(&alice, NOW + n));
	}
	let alices = AccountId32::from(alice.public_key());
	assert_eq!(sessions.open.lock().members.held_by(&alices.0), MEMBER_SESSIONS_PER_ACCOUNT);
	assert!(sessions.session(&first, NOW + 100).is_none(), "alice's oldest went");
	for token in latest.iter().rev().take(MEMBER_SESSIONS_PER_ACCOUNT) {
		assert!(sessions.session(token, NOW + 100).is_some(), "alice's newest stay");
	}
	assert!(sessions.session(&bob, NOW + 100).is_some(), "another member's session stays");
}

#[test]
fn the_cookie_is_http_only_and_found_among_others() {
	let set = sessions().cookie("abc");
	assert_eq!(set, "blockportal_session=abc; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax");
	let secure = Sessions::new(MINUTE, MINUTE, true);
	assert_eq!(
		secure.cookie(""),
		"blockportal_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure"
	);
	let mut headers = axum::http::HeaderMap::new();
	headers.append("cookie", "theme=dark; blockportal_session=abc".parse().unwrap());
	assert_eq!(token_in(&headers).as_deref(), Some("abc"));
	assert_eq!(token_in(&axum::http::HeaderMap::new()), None);
}
