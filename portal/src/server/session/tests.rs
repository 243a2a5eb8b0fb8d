use smartblocks_client::subxt_signer::sr25519::{dev, Keypair};

use super::*;

const MINUTE: u64 = 60_000;
const NOW: u64 = 1_764_000_000_000;

fn sessions() -> Sessions {
	Sessions::new(5 * MINUTE, 60 * MINUTE, false)
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
	let challenge = sessions.challenge(NOW).unwrap();
	assert!(challenge.message.starts_with("Sign in to BlockPortal"));
	assert_eq!(challenge.expires_at, rfc3339(NOW + 5 * MINUTE));
	let alice = dev::alice();
	let signature = wallet_signature(&alice, &challenge.message);
	let (token, session) =
		sessions.sign_in(&address(&alice), &challenge.message, &signature, NOW + 1000).unwrap();
	assert_eq!(session.account, AccountId32::from(alice.public_key()));
	assert_eq!(session.expires_ms, NOW + 1000 + 60 * MINUTE);
	assert_eq!(sessions.session(&token, NOW + 2000), Some(session));
	assert_eq!(token.len(), 64);
}

#[test]
fn a_bare_signature_and_a_multisignature_are_accepted_too() {
	let sessions = sessions();
	let bob = dev::bob();
	let challenge = sessions.challenge(NOW).unwrap();
	let bare = hex::encode(bob.sign(challenge.message.as_bytes()).0);
	assert!(sessions.sign_in(&address(&bob), &challenge.message, &bare, NOW).is_ok());
	let challenge = sessions.challenge(NOW).unwrap();
	let multi = format!("0x01{}", &wallet_signature(&bob, &challenge.message)[2..]);
	assert!(sessions.sign_in(&address(&bob), &challenge.message, &multi, NOW).is_ok());
}

#[test]
fn challenges_are_random_and_spent_by_the_first_answer() {
	let sessions = sessions();
	let first = sessions.challenge(NOW).unwrap();
	assert_ne!(first, sessions.challenge(NOW).unwrap());
	let alice = dev::alice();
	let signature = wallet_signature(&alice, &first.message);
	sessions.sign_in(&address(&alice), &first.message, &signature, NOW).unwrap();
	assert_eq!(
		sessions.sign_in(&address(&alice), &first.message, &signature, NOW),
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
		sessions.sign_in(&address(&alice), &forged, &signature, NOW),
		Err(SignInError::UnknownChallenge)
	);
}

#[test]
fn an_expired_challenge_is_refused_and_spent() {
	let sessions = sessions();
	let challenge = sessions.challenge(NOW).unwrap();
	let alice = dev::alice();
	let signature = wallet_signature(&alice, &challenge.message);
	let late = NOW + 5 * MINUTE;
	assert_eq!(
		sessions.sign_in(&address(&alice), &challenge.message, &signature, late),
		Err(SignInError::Expired(challenge.expires_at.clone()))
	);
	assert_eq!(
		sessions.sign_in(&address(&alice), &challenge.message, &signature, NOW),
		Err(SignInError::UnknownChallenge)
	);
}

#[test]
fn another_accounts_signature_and_bad_input_are_refused() {
	let sessions = sessions();
	let (alice, bob) = (dev::alice(), dev::bob());
	let answer = |address: &str, signature: &str| {
		let challenge = sessions.challenge(NOW).unwrap();
		let signature = signature.replace("{alice}", &wallet_signature(&alice, &challenge.message));
		sessions.sign_in(address, &challenge.message, &signature, NOW).map(|_| ())
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
		let challenge = sessions.challenge(NOW).unwrap();
		let signature = wallet_signature(&alice, &challenge.message);
		sessions.sign_in(&address(&alice), &challenge.message, &signature, NOW).unwrap().0
	};
	let (expiring, signed_out) = (open(), open());
	assert!(sessions.session(&expiring, NOW + 60 * MINUTE).is_none());
	sessions.sign_out(&signed_out);
	assert!(sessions.session(&signed_out, NOW).is_none());
	assert!(sessions.session("made-up", NOW).is_none());
}

#[test]
fn open_challenges_are_bounded_until_they_expire() {
	let sessions = sessions();
	for _ in 0..OPEN_CHALLENGES {
		sessions.challenge(NOW).unwrap();
	}
	assert_eq!(sessions.challenge(NOW), Err(SignInError::Busy));
	assert!(sessions.challenge(NOW + 5 * MINUTE).is_ok());
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
