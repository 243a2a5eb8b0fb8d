//! Members, applications and the council as pages and the API show them.

use serde::{Deserialize, Serialize};

use crate::status::NodeStatus;

/// A member in the directory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
	pub id: u32,
	pub name: String,
	pub roles: Vec<String>,
	pub status: String,
	/// Reputation, 0 to 1000.
	pub score: u16,
	/// The block it was admitted in.
	pub admitted: u32,
	/// The accounts that act for it (SS58).
	pub accounts: Vec<String>,
	pub validators: u32,
	pub nodes: u32,
}

/// A change of a member's reputation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReputationPoint {
	pub block: u32,
	/// The score after the change.
	pub score: u16,
	pub cause: String,
}

/// An application the council has not decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRow {
	/// The applicant's account (SS58).
	pub applicant: String,
	pub name: String,
	pub roles: Vec<String>,
	/// The deposit held, in SBT.
	pub deposit_sbt: f64,
	pub submitted: u32,
}

/// The member directory and the applications waiting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Directory {
	pub block: u64,
	pub node: NodeStatus,
	pub members: Vec<MemberRow>,
	pub applications: Vec<ApplicationRow>,
}

/// One member's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberPage {
	pub block: u64,
	pub node: NodeStatus,
	pub member: MemberRow,
	/// Oldest first.
	pub history: Vec<ReputationPoint>,
	/// Sites it owns: number and name.
	pub sites: Vec<(u32, String)>,
}

/// A vote as the council page shows it: the account and the member it acts for, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Voter {
	pub account: String,
	pub member: Option<String>,
}

/// A motion open for votes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MotionRow {
	pub index: u32,
	pub hash: String,
	/// The call it would make, as text.
	pub proposal: String,
	pub threshold: u32,
	pub ayes: Vec<Voter>,
	pub nays: Vec<Voter>,
	/// The block after which anyone may close it.
	pub end: u32,
}

/// The council: its members, the applications it decides and its open motions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouncilView {
	pub block: u64,
	pub node: NodeStatus,
	pub members: Vec<Voter>,
	pub applications: Vec<ApplicationRow>,
	pub motions: Vec<MotionRow>,
}

/// The roles a member can hold: the registry's name and how pages name it.
pub const ROLES: [(&str, &str); 7] = [
	("Esco", "Energy services company"),
	("BuildingOwner", "Building owner"),
	("Utility", "Utility"),
	("Trader", "Energy trader"),
	("Auditor", "Auditor"),
	("OracleProvider", "Oracle provider"),
	("ValidatorOperator", "Validator operator"),
];
