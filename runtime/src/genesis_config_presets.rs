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

use pallet_registry::Role;

use crate::{
	currency::UNIT, opaque::SessionKeys, AccountId, Balance, BalancesConfig, BlockNumber,
	EnergyContractsConfig, OracleConfig, RegistryConfig, RuntimeGenesisConfig, SessionConfig,
	SessionLengthConfig, SudoConfig,
};

/// What each well-known development account starts with.
const ENDOWMENT: Balance = 1_000_000 * UNIT;
/// Sessions of the development chain: ten minutes, so one validator rarely rotates.
pub const DEVELOPMENT_SESSION_LENGTH: BlockNumber = 100;
/// Sessions of the local test network: one minute, so tests see validator-set rotations.
pub const LOCAL_TESTNET_SESSION_LENGTH: BlockNumber = 10;

/// A founding member of a preset: a validator operator on the council, with its account, its
/// Aura and GRANDPA session keys, its name and its other roles.
struct Founder {
	name: &'static str,
	roles: Vec<Role>,
	account: AccountId,
	aura: AuraId,
	grandpa: GrandpaId,
}

impl Founder {
	fn well_known(
		name: &'static str,
		roles: &[Role],
		sr: Sr25519Keyring,
		ed: Ed25519Keyring,
	) -> Self {
		let mut roles = roles.to_vec();
		roles.push(Role::ValidatorOperator);
		Self {
			name,
			roles,
			account: sr.to_account_id(),
			aura: sr.public().into(),
			grandpa: ed.public().into(),
		}
	}
}

fn genesis(
	founders: Vec<Founder>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
	session_length: BlockNumber,
	oracle_quorum: u32,
) -> Value {
	let accounts = founders.iter().map(|f| f.account.clone()).collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|account| (account, ENDOWMENT)).collect::<Vec<_>>(),
		},
		session_length: SessionLengthConfig { length: Some(session_length) },
		registry: RegistryConfig {
			members: founders
				.iter()
				.map(|f| (f.name.into(), f.account.clone(), f.roles.clone()))
				.collect::<Vec<_>>(),
			validators: accounts.clone(),
			council: accounts,
		},
		session: SessionConfig {
			keys: founders
				.into_iter()
				.map(|f| {
					let keys = SessionKeys { aura: f.aura, grandpa: f.grandpa };
					(f.account.clone(), f.account, keys)
				})
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo },
		oracle: OracleConfig { quorum: oracle_quorum },
		energy_contracts: EnergyContractsConfig {
			templates: vec![
				pallet_energy_contracts::default_energy_performance(),
				pallet_energy_contracts::default_renewable_share(),
				pallet_energy_contracts::default_supply_tariff(),
				pallet_energy_contracts::default_peer_trade(),
				pallet_energy_contracts::default_demand_response(),
			],
		},
	})
}

/// One founding member (Alice: every role, validator, the whole council) with sudo: a chain for
/// one developer's machine. The other well-known accounts are funded but not members.
pub fn development() -> Value {
	genesis(
		vec![Founder::well_known(
			"Alice Energy Services",
			&Role::ALL,
			Sr25519Keyring::Alice,
			Ed25519Keyring::Alice,
		)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		DEVELOPMENT_SESSION_LENGTH,
		// Alice is the one provider.
		1,
	)
}

/// Four founding members (Alice to Dave) as council and validators, no sudo key: a consortium
/// in miniature. The other well-known accounts are funded but not members.
pub fn local_testnet() -> Value {
	genesis(
		vec![
			Founder::well_known(
				"Alice Energy Services",
				&[Role::Esco, Role::OracleProvider],
				Sr25519Keyring::Alice,
				Ed25519Keyring::Alice,
			),
			Founder::well_known(
				"Bob Campus Estates",
				&[Role::BuildingOwner],
				Sr25519Keyring::Bob,
				Ed25519Keyring::Bob,
			),
			Founder::well_known(
				"Charlie Utility",
				&[Role::Utility, Role::Trader, Role::OracleProvider],
				Sr25519Keyring::Charlie,
				Ed25519Keyring::Charlie,
			),
			Founder::well_known(
				"Dave Audit",
				&[Role::Auditor, Role::OracleProvider],
				Sr25519Keyring::Dave,
				Ed25519Keyring::Dave,
			),
		],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		None,
		LOCAL_TESTNET_SESSION_LENGTH,
		// Alice, Charlie and Dave provide; the median of all three fixes a value, so no one of
		// them sets it.
		3,
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
