//! `smartblocks-node consortium-spec`: a consortium's raw chain spec from the TOML file its
//! founders write. Every mistake in the file is named, all at once, before anything is built:
//!
//! ```toml
//! name = "Campus Energy Consortium"   # the chain's name
//! id = "campus_energy"                # its id (and network protocol id)
//! session_length = 600                # blocks (default 600: an hour)
//! oracle_quorum = 2                   # providers whose values fix an oracle value
//! enforce_node_allowlist = true       # nodes talk only to members' nodes (default true)
//! boot_nodes = ["/dns/node1.example.org/tcp/30333/p2p/12D3KooW..."]
//!
//! [[member]]
//! name = "Alice Energy Services"
//! account = "5Grw..."                 # the member's first account (SS58)
//! roles = ["Esco", "OracleProvider", "ValidatorOperator"]
//! council = true                      # holds a founding council seat
//! endowment = 1000                    # SBT on the account at genesis
//! nodes = ["12D3KooW..."]             # its nodes' peer ids (`key inspect-node-key`)
//! validator = { session_keys = "0x..." }  # `author_rotateKeys`' answer, or aura and grandpa
//!
//! [[endowment]]                       # another account funded at genesis
//! account = "5F..."
//! amount = 500
//! ```

use crate::chain_spec::{properties, ChainSpec};
use pallet_registry::Role;
use sc_network::{config::MultiaddrWithPeerId, PeerId};
use sc_service::ChainType;
use serde::Deserialize;
use smartblocks_runtime::{
	currency::UNIT,
	genesis_config_presets::{consortium_genesis, Consortium, Founder},
	opaque::SessionKeys,
	AccountId, Balance, Runtime, WASM_BINARY,
};
use sp_core::{crypto::Ss58Codec, ed25519, sr25519, Get};
use std::{collections::BTreeMap, path::PathBuf, str::FromStr};

/// Build a consortium's raw chain spec from its founders' TOML file.
#[derive(Debug, clap::Args)]
pub struct ConsortiumSpecCmd {
	/// The founders' file (see `docs/operators.md` for its keys).
	#[arg(value_name = "FOUNDERS_TOML")]
	pub founders: PathBuf,

	/// Where to write the raw chain spec; standard output when not given.
	#[arg(long, value_name = "FILE")]
	pub output: Option<PathBuf>,
}

impl ConsortiumSpecCmd {
	pub fn run(&self) -> Result<(), String> {
		let path = self.founders.display();
		let text = std::fs::read_to_string(&self.founders).map_err(|e| format!("{path}: {e}"))?;
		let spec = spec_from_toml(&text).map_err(|problems| {
			let lines: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
			format!("{path}: {} problem(s):\n{}", problems.len(), lines.join("\n"))
		})?;
		match &self.output {
			Some(output) => std::fs::write(output, spec)
				.map_err(|e| format!("cannot write {}: {e}", output.display())),
			None => {
				println!("{spec}");
				Ok(())
			}
		}
	}
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FoundersFile {
	name: String,
	id: String,
	#[serde(default = "default_session_length")]
	session_length: u32,
	oracle_quorum: u32,
	#[serde(default = "enforced")]
	enforce_node_allowlist: bool,
	#[serde(default)]
	boot_nodes: Vec<String>,
	#[serde(default, rename = "member")]
	members: Vec<MemberEntry>,
	#[serde(default, rename = "endowment")]
	endowments: Vec<EndowmentEntry>,
}

fn default_session_length() -> u32 {
	600
}

fn enforced() -> bool {
	true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberEntry {
	name: String,
	account: Option<String>,
	#[serde(default)]
	roles: Vec<String>,
	#[serde(default)]
	council: bool,
	#[serde(default)]
	endowment: u64,
	#[serde(default)]
	nodes: Vec<String>,
	validator: Option<ValidatorEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidatorEntry {
	session_keys: Option<String>,
	aura: Option<String>,
	grandpa: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndowmentEntry {
	account: String,
	amount: u64,
}

/// The raw chain spec (JSON) the founders' file describes, or every problem found in it.
pub fn spec_from_toml(text: &str) -> Result<String, Vec<String>> {
	let file: FoundersFile = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
	let (consortium, boot_nodes) = consortium(&file)?;
	let wasm = WASM_BINARY.ok_or_else(|| vec!["this node was built without its runtime".into()])?;
	let spec = ChainSpec::builder(wasm, None)
		.with_name(&file.name)
		.with_id(&file.id)
		.with_protocol_id(&file.id)
		.with_chain_type(ChainType::Live)
		.with_boot_nodes(boot_nodes)
		.with_genesis_config_patch(consortium_genesis(consortium))
		.with_properties(properties())
		.build();
	sc_chain_spec::ChainSpec::as_json(&spec, true)
		.map_err(|e| vec![format!("the runtime cannot build this genesis: {e}")])
}

/// Checks the file and gathers the consortium it founds.
fn consortium(file: &FoundersFile) -> Result<(Consortium, Vec<MultiaddrWithPeerId>), Vec<String>> {
	let mut problems = Vec::new();
	if file.name.trim().is_empty() {
		problems.push("name is empty".to_string());
	}
	if file.id.trim().is_empty() || !file.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
	{
		problems.push(format!("id {:?} must be letters, digits and underscores", file.id));
	}
	if file.session_length == 0 {
		problems.push("session_length must be at least one block".into());
	}
	if file.members.is_empty() {
		problems.push("no [[member]]: a consortium needs founding members".into());
	}
	let boot_nodes = file
		.boot_nodes
		.iter()
		.filter_map(|address| {
			MultiaddrWithPeerId::from_str(address)
				.map_err(|e| problems.push(format!("boot node {address:?}: {e}")))
				.ok()
		})
		.collect();

	let mut founders = Vec::new();
	let mut accounts: BTreeMap<AccountId, String> = BTreeMap::new();
	let mut peers: BTreeMap<Vec<u8>, String> = BTreeMap::new();
	let mut key_owners: BTreeMap<[u8; 32], String> = BTreeMap::new();
	for (index, entry) in file.members.iter().enumerate() {
		let who = format!("member {} ({:?})", index + 1, entry.name);
		let mut problem = |text: String| problems.push(format!("{who}: {text}"));
		if entry.name.trim().is_empty() {
			problem("no name".into());
		}
		let account = match &entry.account {
			None => {
				problem("no account".into());
				None
			}
			Some(text) => account(text).map_err(|e| problem(format!("account {e}"))).ok(),
		};
		if let Some(account) = &account {
			if let Some(other) = accounts.insert(account.clone(), who.clone()) {
				problem(format!("its account is also {other}'s"));
			}
		}
		let roles: Vec<Role> = entry
			.roles
			.iter()
			.filter_map(|name| {
				role(name)
					.ok_or_else(|| problem(format!("{name:?} is not a role ({})", role_names())))
					.ok()
			})
			.collect();
		if entry.roles.is_empty() {
			problem(format!("no roles (the roles are {})", role_names()));
		}
		let mut nodes = Vec::new();
		for node in &entry.nodes {
			match PeerId::from_str(node) {
				Ok(peer) => {
					let bytes = peer.to_bytes();
					if let Some(other) = peers.insert(bytes.clone(), who.clone()) {
						problem(format!("node {node} is also listed for {other}"));
					}
					nodes.push(bytes);
				}
				Err(e) => problem(format!("node {node:?} is not a libp2p peer id ({e})")),
			}
		}
		let session_keys = entry.validator.as_ref().and_then(|validator| {
			if !roles.contains(&Role::ValidatorOperator) {
				problem("validates but lacks the ValidatorOperator role".into());
			}
			if file.enforce_node_allowlist && entry.nodes.is_empty() {
				problem("validates but lists no node, which the allowlist would cut off".into());
			}
			let keys = session_keys(validator).map_err(&mut problem).ok()?;
			let aura: &[u8] = keys.aura.as_ref();
			let grandpa: &[u8] = keys.grandpa.as_ref();
			for (kind, key) in [("aura", aura), ("grandpa", grandpa)] {
				let key: [u8; 32] = key.try_into().unwrap_or_default();
				if let Some(other) = key_owners.insert(key, who.clone()) {
					problem(format!("its {kind} key is also {other}'s"));
				}
			}
			Some(keys)
		});
		// A u64 of SBT in planck fits a u128 with room to spare.
		let endowment = Balance::from(entry.endowment).saturating_mul(UNIT);
		if let Some(account) = account {
			founders.push(Founder {
				name: entry.name.clone(),
				roles,
				account,
				session_keys,
				council: entry.council,
				nodes,
				endowment,
			});
		}
	}

	let validators = file.members.iter().filter(|m| m.validator.is_some()).count() as u32;
	let min_validators = <Runtime as pallet_registry::Config>::MinValidators::get();
	if validators < min_validators {
		problems.push(format!(
			"{validators} validator(s); a consortium needs at least {min_validators} (GRANDPA \
			 finalizes with two thirds of them)"
		));
	}
	let seats = file.members.iter().filter(|m| m.council).count() as u32;
	let min_seats = <Runtime as pallet_registry::Config>::MinCouncilSeats::get();
	if seats < min_seats {
		problems.push(format!("{seats} council seat(s); the council needs at least {min_seats}"));
	}
	let providers =
		file.members.iter().filter(|m| m.roles.iter().any(|r| r == "OracleProvider")).count()
			as u32;
	let quorum = file.oracle_quorum;
	if quorum == 0 || quorum > providers {
		problems.push(format!(
			"oracle_quorum {quorum} must be between 1 and the {providers} members with the \
			 OracleProvider role"
		));
	} else if quorum != 1 && quorum < pallet_energy_oracle::MIN_QUORUM {
		problems.push(format!(
			"oracle_quorum {quorum}: a quorum of two lets either provider set every value; give \
			 1 (one trusted provider) or at least {}",
			pallet_energy_oracle::MIN_QUORUM
		));
	}
	if file.enforce_node_allowlist && peers.is_empty() {
		problems.push(
			"enforce_node_allowlist with no member's node: every node would be cut off".into(),
		);
	}

	let mut endowed = Vec::new();
	for (index, entry) in file.endowments.iter().enumerate() {
		let which = format!("endowment {}", index + 1);
		match account(&entry.account) {
			Ok(account) => {
				endowed.push((account, Balance::from(entry.amount).saturating_mul(UNIT)))
			}
			Err(e) => problems.push(format!("{which}: account {e}")),
		}
	}

	if !problems.is_empty() {
		return Err(problems);
	}
	let consortium = Consortium {
		founders,
		endowed,
		sudo: None,
		session_length: file.session_length,
		oracle_quorum: file.oracle_quorum,
		enforce_node_allowlist: file.enforce_node_allowlist,
	};
	Ok((consortium, boot_nodes))
}

/// The role a name in the file stands for, as the chain names its roles.
fn role(name: &str) -> Option<Role> {
	Role::ALL.into_iter().find(|role| format!("{role:?}") == name.trim())
}

fn role_names() -> String {
	Role::ALL.iter().map(|role| format!("{role:?}")).collect::<Vec<_>>().join(", ")
}

/// An SS58 account, or what is wrong with it.
fn account(text: &str) -> Result<AccountId, String> {
	sr25519::Public::from_ss58check(text.trim())
		.map(AccountId::from)
		.map_err(|e| format!("{text:?} is not an SS58 address ({e:?})"))
}

/// A validator's session keys: `author_rotateKeys`' answer (aura's 32 bytes, then grandpa's, in
/// hex), or each key as SS58 (`key inspect` prints them).
fn session_keys(validator: &ValidatorEntry) -> Result<SessionKeys, String> {
	match (&validator.session_keys, &validator.aura, &validator.grandpa) {
		(Some(hex), None, None) => {
			let bytes = sp_core::bytes::from_hex(hex.trim())
				.map_err(|e| format!("session_keys is not hex ({e})"))?;
			let (aura, grandpa) = match <[u8; 64]>::try_from(bytes.as_slice()) {
				Ok(keys) => (keys[..32].to_vec(), keys[32..].to_vec()),
				Err(_) => {
					return Err(format!(
						"session_keys holds {} bytes, not the 64 of an aura and a grandpa key",
						bytes.len()
					))
				}
			};
			let aura = sr25519::Public::try_from(aura.as_slice()).map_err(|_| "aura key")?;
			let grandpa =
				ed25519::Public::try_from(grandpa.as_slice()).map_err(|_| "grandpa key")?;
			Ok(SessionKeys { aura: aura.into(), grandpa: grandpa.into() })
		}
		(None, Some(aura), Some(grandpa)) => {
			let aura = sr25519::Public::from_ss58check(aura.trim())
				.map_err(|e| format!("aura key {aura:?} is not SS58 ({e:?})"))?;
			let grandpa = ed25519::Public::from_ss58check(grandpa.trim())
				.map_err(|e| format!("grandpa key {grandpa:?} is not SS58 ({e:?})"))?;
			Ok(SessionKeys { aura: aura.into(), grandpa: grandpa.into() })
		}
		(None, None, None) => Err("validator has no session keys (give session_keys, the answer \
			 of author_rotateKeys, or aura and grandpa)"
			.into()),
		_ => Err("validator: give either session_keys or aura and grandpa, not both".into()),
	}
}

#[cfg(test)]
mod tests;
