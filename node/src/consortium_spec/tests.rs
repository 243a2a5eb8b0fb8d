//! Every mistake of a founders' file is named; a sound file becomes a raw spec whose genesis
//! the runtime builds.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::spec_from_toml;
use sc_network::PeerId;
use sp_core::crypto::Ss58Codec;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// One founder's `[[member]]`: a validator operator on the council with a node.
fn member(name: &str, sr: Sr25519Keyring, ed: Ed25519Keyring, node: &str) -> String {
	format!(
		"[[member]]\nname = \"{name}\"\naccount = \"{}\"\n\
		 roles = [\"Esco\", \"OracleProvider\", \"ValidatorOperator\"]\ncouncil = true\n\
		 endowment = 1000\nnodes = [\"{node}\"]\n\
		 validator = {{ aura = \"{}\", grandpa = \"{}\" }}\n",
		sr.to_account_id().to_ss58check(),
		sr.public().to_ss58check(),
		ed.public().to_ss58check(),
	)
}

/// Three peer ids, the same for every file of a test run.
fn peers() -> &'static [String] {
	static PEERS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
	PEERS.get_or_init(|| (0..3).map(|_| PeerId::random().to_base58()).collect())
}

fn founders() -> String {
	let peers = peers();
	format!(
		"name = \"Campus Energy Consortium\"\nid = \"campus_energy\"\noracle_quorum = 3\n\n{}{}{}\
		 [[endowment]]\naccount = \"{}\"\namount = 500\n",
		member("Alice Energy", Sr25519Keyring::Alice, Ed25519Keyring::Alice, &peers[0]),
		member("Bob Estates", Sr25519Keyring::Bob, Ed25519Keyring::Bob, &peers[1]),
		member("Charlie Utility", Sr25519Keyring::Charlie, Ed25519Keyring::Charlie, &peers[2]),
		Sr25519Keyring::Ferdie.to_account_id().to_ss58check(),
	)
}

/// The problems named for the founders' file with `from` replaced by `to` (the first time).
fn problems(from: &str, to: &str) -> Vec<String> {
	let text = founders();
	assert!(text.contains(from), "the file has no {from:?}");
	spec_from_toml(&text.replacen(from, to, 1)).expect_err("a mistake passed")
}

fn assert_named(problems: &[String], expected: &str) {
	assert!(problems.iter().any(|p| p.contains(expected)), "{expected:?} not in {problems:#?}");
}

#[test]
fn a_sound_file_becomes_a_raw_spec_the_runtime_builds() {
	let spec: serde_json::Value =
		serde_json::from_str(&spec_from_toml(&founders()).unwrap()).unwrap();
	assert_eq!(spec["name"], "Campus Energy Consortium");
	assert_eq!(spec["chainType"], "Live");
	assert!(spec["genesis"]["raw"]["top"].as_object().is_some_and(|top| top.len() > 10));
}

#[test]
fn a_member_without_an_account_is_named() {
	let alice = Sr25519Keyring::Alice.to_account_id().to_ss58check();
	let named = problems(&format!("account = \"{alice}\"\n"), "");
	assert_named(&named, "member 1 (\"Alice Energy\"): no account");
}

#[test]
fn an_account_that_is_not_ss58_is_named() {
	let alice = Sr25519Keyring::Alice.to_account_id().to_ss58check();
	assert_named(&problems(&alice, "5notanaccount"), "account \"5notanaccount\" is not an SS58");
}

#[test]
fn two_members_with_one_account_are_named() {
	let alice = Sr25519Keyring::Alice.to_account_id().to_ss58check();
	let bob = Sr25519Keyring::Bob.to_account_id().to_ss58check();
	let named = problems(&format!("account = \"{bob}\""), &format!("account = \"{alice}\""));
	assert_named(&named, "its account is also member 1 (\"Alice Energy\")'s");
}

#[test]
fn an_unknown_role_and_no_roles_are_named() {
	assert_named(&problems("\"Esco\", ", "\"Landlord\", "), "\"Landlord\" is not a role");
	let named =
		problems("roles = [\"Esco\", \"OracleProvider\", \"ValidatorOperator\"]", "roles = []");
	assert_named(&named, "no roles (the roles are Esco,");
}

#[test]
fn a_validator_without_keys_is_named() {
	let aura = Sr25519Keyring::Alice.public().to_ss58check();
	let grandpa = Ed25519Keyring::Alice.public().to_ss58check();
	let named = problems(&format!("{{ aura = \"{aura}\", grandpa = \"{grandpa}\" }}"), "{}");
	assert_named(&named, "validator has no session keys");
}

#[test]
fn session_keys_from_rotate_keys_are_taken_and_bad_ones_named() {
	let aura = Sr25519Keyring::Alice.public().to_ss58check();
	let grandpa = Ed25519Keyring::Alice.public().to_ss58check();
	let pair = format!("{{ aura = \"{aura}\", grandpa = \"{grandpa}\" }}");
	let rotated = [Sr25519Keyring::Alice.public().0, Ed25519Keyring::Alice.public().0].concat();
	let hex = sp_core::bytes::to_hex(&rotated, false);
	let text = founders().replacen(&pair, &format!("{{ session_keys = \"{hex}\" }}"), 1);
	spec_from_toml(&text).unwrap();
	assert_named(&problems(&pair, "{ session_keys = \"0x1234\" }"), "holds 2 bytes, not the 64");
	let both = format!("{{ session_keys = \"{hex}\", aura = \"{aura}\" }}");
	assert_named(&problems(&pair, &both), "either session_keys or aura and grandpa");
}

#[test]
fn a_validator_without_the_operator_role_is_named() {
	let named = problems(", \"ValidatorOperator\"]", "]");
	assert_named(&named, "validates but lacks the ValidatorOperator role");
}

#[test]
fn one_key_for_two_validators_is_named() {
	let alice = Ed25519Keyring::Alice.public().to_ss58check();
	let bob = Ed25519Keyring::Bob.public().to_ss58check();
	let named = problems(&format!("grandpa = \"{bob}\""), &format!("grandpa = \"{alice}\""));
	assert_named(&named, "its grandpa key is also member 1 (\"Alice Energy\")'s");
}

#[test]
fn fewer_validators_or_seats_than_the_minimum_are_named() {
	let aura = Sr25519Keyring::Charlie.public().to_ss58check();
	let grandpa = Ed25519Keyring::Charlie.public().to_ss58check();
	let validator = format!("validator = {{ aura = \"{aura}\", grandpa = \"{grandpa}\" }}\n");
	assert_named(&problems(&validator, ""), "2 validator(s); a consortium needs at least 3");
	assert_named(&problems("council = true", "council = false"), "2 council seat(s)");
}

#[test]
fn a_duplicate_or_malformed_peer_id_is_named() {
	let text = founders();
	let first = text.split("nodes = [\"").nth(1).unwrap().split('"').next().unwrap().to_string();
	let second = text.split("nodes = [\"").nth(2).unwrap().split('"').next().unwrap().to_string();
	let named = spec_from_toml(&text.replacen(&second, &first, 1)).unwrap_err();
	assert_named(&named, &format!("node {first} is also listed for member 1"));
	assert_named(&problems(&first, "not-a-peer"), "node \"not-a-peer\" is not a libp2p peer id");
}

#[test]
fn a_validator_the_allowlist_would_cut_off_is_named() {
	let text = founders();
	let node = text.split("nodes = [\"").nth(1).unwrap().split('"').next().unwrap().to_string();
	let named = spec_from_toml(&text.replacen(&format!("nodes = [\"{node}\"]"), "nodes = []", 1))
		.unwrap_err();
	assert_named(&named, "validates but lists no node");
}

#[test]
fn an_oracle_quorum_the_providers_cannot_reach_is_named() {
	assert_named(&problems("oracle_quorum = 3", "oracle_quorum = 4"), "oracle_quorum 4 must be");
	assert_named(&problems("oracle_quorum = 3", "oracle_quorum = 0"), "oracle_quorum 0 must be");
	assert_named(&problems("oracle_quorum = 3", "oracle_quorum = 2"), "a quorum of two lets");
}

#[test]
fn chain_level_mistakes_are_named() {
	assert_named(&problems("id = \"campus_energy\"", "id = \"campus energy\""), "must be letters");
	assert_named(&problems("name = \"Campus Energy Consortium\"", "name = \"\""), "name is empty");
	let named = problems("oracle_quorum = 3", "oracle_quorum = 3\nsession_length = 0");
	assert_named(&named, "session_length must be at least one block");
	let named = problems("oracle_quorum = 3", "oracle_quorum = 3\nboot_nodes = [\"nowhere\"]");
	assert_named(&named, "boot node \"nowhere\"");
	let ferdie = Sr25519Keyring::Ferdie.to_account_id().to_ss58check();
	assert_named(&problems(&ferdie, "5bad"), "endowment 1: account \"5bad\"");
}

#[test]
fn a_file_toml_cannot_read_or_with_unknown_keys_is_named() {
	assert_named(&problems("oracle_quorum = 3", "oracle_quorum = "), "invalid");
	assert_named(&problems("council = true", "councl = true"), "unknown field `councl`");
	assert_named(
		&spec_from_toml("name = \"x\"\nid = \"x\"\noracle_quorum = 1\n").unwrap_err(),
		"no [[member]]",
	);
}
