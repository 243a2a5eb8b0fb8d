//! The contract wizard as the page shows it: the council's templates with each parameter's
//! bounds, the members who may be parties, their sites and meters, and the draft being written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::status::NodeStatus;

/// How the form asks for a parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Input {
	/// A decimal number, in the field's unit.
	Number,
	/// A date (ISO, UTC).
	Date,
	/// Short text, such as a currency code or a market.
	Text,
	/// One of the listed (value, label) choices.
	Choice(Vec<(String, String)>),
	/// The JSON a baseline fit exports (`meter-bridge baseline fit --model daily --json`).
	Baseline,
}

/// A parameter of the draft with what the template allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
	/// The key its value has in [`Draft::values`].
	pub key: String,
	pub label: String,
	pub input: Input,
	/// The allowed values in words, e.g. "0 to 50 %"; empty when anything goes.
	pub allowed: String,
	/// What the form starts with.
	pub default: String,
	/// With a choice: the field applies only when the field `.0` has the value `.1`.
	pub when: Option<(String, String)>,
}

/// A template version the wizard can draft a contract of.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateChoice {
	/// What a draft names it by, e.g. `SupplyTariff/1`.
	pub key: String,
	/// The kind in words, e.g. "Supply tariff".
	pub name: String,
	pub version: u16,
	/// Who may be its provider and its client, in words.
	pub parties: String,
	/// The meter kinds its contracts read, as [`MeterChoice::kind`] names them.
	pub meter_kinds: Vec<String>,
	/// The parameters, schedule first.
	pub fields: Vec<Field>,
}

/// A member that may be a party.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyChoice {
	pub id: u32,
	pub name: String,
	pub roles: Vec<String>,
}

/// A meter a contract may read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeterChoice {
	pub id: u32,
	/// Its kind as the chain names it, e.g. `GridImport`.
	pub kind: String,
}

/// A site a contract may cover: its owner must be a party.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteChoice {
	pub id: u32,
	pub name: String,
	pub owner: u32,
	pub region: String,
	/// Its meters that are not retired.
	pub meters: Vec<MeterChoice>,
}

/// Everything the wizard offers, as of `block`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WizardOptions {
	pub block: u64,
	pub node: NodeStatus,
	/// The signed-in member, who proposes and must be a party; `None` when not signed in as one.
	pub proposer: Option<(u32, String)>,
	/// Templates in use (not retired), newest version of each kind first.
	pub templates: Vec<TemplateChoice>,
	/// Active members.
	pub members: Vec<PartyChoice>,
	pub sites: Vec<SiteChoice>,
	pub max_sites: u32,
	pub max_meters: u32,
}

/// A contract as the wizard's form holds it: text as typed, checked on the server. The same
/// fields as `smartblocks_client::draft::Draft`, which the server checks: the browser half has
/// no chain client, so it keeps this copy, converted field by field in `server::wizard`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
	/// [`TemplateChoice::key`].
	pub template: String,
	pub provider: Option<u32>,
	pub client: Option<u32>,
	pub sites: Vec<u32>,
	pub meters: Vec<u32>,
	/// Every [`Field`]'s value by key.
	pub values: BTreeMap<String, String>,
}

/// A draft checked against its template, the registry and the meters: what it agrees in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
	pub sentences: Vec<String>,
}
