//! Named genesis presets: the starting state of each kind of SmartBlocks chain.
//!
//! `chain-spec-builder` reads these through the `GenesisBuilder` runtime API; the node's
//! `--dev` and `--chain local` specs carry the same JSON, read from this module compiled into
//! the node (a runtime test checks that the two agree), so a preset is defined once, here.

use alloc::{string::String, vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
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

/// A founding member: its name, roles and first account; its session keys if it validates
/// from the first block (it then needs the `ValidatorOperator` role); whether it holds a
/// council seat; its nodes' libp2p peer ids (bytes); and what its account is endowed with.
pub struct Founder {
	pub name: String,
	pub roles: Vec<Role>,
	pub account: AccountId,
	pub session_keys: Option<SessionKeys>,
	pub council: bool,
	pub nodes: Vec<Vec<u8>>,
	pub endowment: Balance,
}

impl Founder {
	/// A well-known development account as a validator operator on the council.
	fn well_known(name: &str, roles: &[Role], sr: Sr25519Keyring, ed: Ed25519Keyring) -> Self {
		let mut roles = roles.to_vec();
		roles.push(Role::ValidatorOperator);
		Self {
			name: name.into(),
			roles,
			account: sr.to_account_id(),
			session_keys: Some(SessionKeys {
				aura: sr.public().into(),
				grandpa: ed.public().into(),
			}),
			council: true,
			nodes: Vec::new(),
			endowment: ENDOWMENT,
		}
	}
}

/// A consortium's genesis: its founders, other endowed accounts, sudo (only a development
/// chain has one), session length, the oracle's quorum, and whether nodes keep to the
/// registered nodes of members from the first block. Every energy contract template is
/// approved.
pub struct Consortium {
	pub founders: Vec<Founder>,
	pub endowed: Vec<(AccountId, Balance)>,
	pub sudo: Option<AccountId>,
	pub session_length: BlockNumber,
	pub oracle_quorum: u32,
	pub enforce_node_allowlist: bool,
}

/// The genesis config patch of `consortium`, which the registry's genesis checks when the
/// chain is built (a validator must be a validator operator, a node's peer id unique, …).
pub fn consortium_genesis(consortium: Consortium) -> Value {
	let Consortium {
		founders,
		endowed,
		sudo,
		session_length,
		oracle_quorum,
		enforce_node_allowlist,
	} = consortium;
	let balances: Vec<(AccountId, Balance)> = founders
		.iter()
		.filter(|f| f.endowment > 0)
		.map(|f| (f.account.clone(), f.endowment))
		.chain(endowed)
		.collect();
	let validators: Vec<&Founder> = founders.iter().filter(|f| f.session_keys.is_some()).collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		session_length: SessionLengthConfig { length: Some(session_length) },
		registry: RegistryConfig {
			members: founders
				.iter()
				.map(|f| (f.name.clone(), f.account.clone(), f.roles.clone()))
				.collect::<Vec<_>>(),
			validators: validators.iter().map(|f| f.account.clone()).collect::<Vec<_>>(),
			nodes: founders
				.iter()
				.flat_map(|f| f.nodes.iter().map(|node| (f.account.clone(), node.clone())))
				.collect::<Vec<_>>(),
			enforce_node_allowlist,
			council: founders
				.iter()
				.filter(|f| f.council)
				.map(|f| f.account.clone())
				.collect::<Vec<_>>(),
		},
		session: SessionConfig {
			keys: validators
				.iter()
				.filter_map(|f| {
					let keys = f.session_keys.clone()?;
					Some((f.account.clone(), f.account.clone(), keys))
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

/// A preset of well-known founders; the other well-known accounts are endowed too.
fn well_known_genesis(
	founders: Vec<Founder>,
	sudo: Option<AccountId>,
	session_length: BlockNumber,
	oracle_quorum: u32,
) -> Value {
	let endowed = Sr25519Keyring::well_known()
		.map(|k| k.to_account_id())
		.filter(|account| !founders.iter().any(|f| f.account == *account))
		.map(|account| (account, ENDOWMENT))
		.collect();
	consortium_genesis(Consortium {
		founders,
		endowed,
		sudo,
		session_length,
		oracle_quorum,
		enforce_node_allowlist: false,
	})
}

/// One founding member (Alice: every role, validator, the whole council) with sudo: a chain for
/// one developer's machine. The other well-known accounts are funded but not members.
pub fn development() -> Value {
	well_known_genesis(
		vec![Founder::well_known(
			"Alice Energy Services",
			&Role::ALL,
			Sr25519Keyring::Alice,
			Ed25519Keyring::Alice,
		)],
		Some(Sr25519Keyring::Alice.to_account_id()),
		DEVELOPMENT_SESSION_LENGTH,
		// Alice is the one provider.
		1,
	)
}

/// Four founding members (Alice to Dave) as council and validators, no sudo key: a consortium
/// in miniature. The other well-known accounts are funded but not members.
pub fn local_testnet() -> Value {
	well_known_genesis(
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
