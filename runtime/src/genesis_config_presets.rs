//! Named genesis presets: the starting state of each kind of SmartBlocks chain.
//!
//! `chain-spec-builder` and the node's `--chain`/`--dev` both read these through the
//! `GenesisBuilder` runtime API, so a preset is defined once, here.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	currency::UNIT, opaque::SessionKeys, AccountId, Balance, BalancesConfig, BlockNumber,
	RuntimeGenesisConfig, SessionConfig, SessionLengthConfig, SudoConfig,
};

/// What each well-known development account starts with.
const ENDOWMENT: Balance = 1_000_000 * UNIT;
/// Sessions of the development chain: ten minutes, so one validator rarely rotates.
pub const DEVELOPMENT_SESSION_LENGTH: BlockNumber = 100;
/// Sessions of the local test network: one minute, so tests see validator-set rotations.
pub const LOCAL_TESTNET_SESSION_LENGTH: BlockNumber = 10;

/// A validator of a preset: its account and its Aura and GRANDPA session keys.
struct Validator {
	account: AccountId,
	aura: AuraId,
	grandpa: GrandpaId,
}

impl Validator {
	fn well_known(sr: Sr25519Keyring, ed: Ed25519Keyring) -> Self {
		Self { account: sr.to_account_id(), aura: sr.public().into(), grandpa: ed.public().into() }
	}
}

fn genesis(
	validators: Vec<Validator>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
	session_length: BlockNumber,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|account| (account, ENDOWMENT)).collect::<Vec<_>>(),
		},
		session_length: SessionLengthConfig { length: Some(session_length) },
		session: SessionConfig {
			keys: validators
				.into_iter()
				.map(|v| {
					let keys = SessionKeys { aura: v.aura, grandpa: v.grandpa };
					(v.account.clone(), v.account, keys)
				})
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo },
	})
}

/// One validator (Alice) with sudo: a chain for one developer's machine.
pub fn development() -> Value {
	genesis(
		vec![Validator::well_known(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		DEVELOPMENT_SESSION_LENGTH,
	)
}

/// Four validators (Alice to Dave) and no sudo key: a consortium in miniature.
pub fn local_testnet() -> Value {
	genesis(
		vec![
			Validator::well_known(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			Validator::well_known(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			Validator::well_known(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			Validator::well_known(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		None,
		LOCAL_TESTNET_SESSION_LENGTH,
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
