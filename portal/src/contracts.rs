//! Energy contracts as pages and the API show them: the list, and one contract with its terms in
//! plain words and its settlement statements with their evidence.

use serde::{Deserialize, Serialize};

use crate::status::NodeStatus;

/// A party to a contract: member number and name.
pub type Party = (u32, String);

/// A contract in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractRow {
	pub id: u32,
	/// The template, in words (e.g. "Energy performance").
	pub kind: String,
	pub provider: Party,
	pub client: Party,
	/// Site number and name.
	pub sites: Vec<(u32, String)>,
	/// Draft, Active, Disputed, Completed or Terminated, with details in words.
	pub state: String,
	/// The first day and the day after the last (ISO dates, UTC).
	pub from: String,
	pub to: String,
	pub periods: u16,
	pub settled: u16,
	pub provider_signed: bool,
	pub client_signed: bool,
}

/// Every contract, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractList {
	pub block: u64,
	pub node: NodeStatus,
	pub contracts: Vec<ContractRow>,
}

/// A settled period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementRow {
	/// Its number, from 0.
	pub period: u16,
	pub from: String,
	pub days: u16,
	/// How it settled, in words: who owes whom how much by when, or why an auditor decides.
	pub outcome: String,
	/// Pending, Honoured or Breached; none when nobody owes anything.
	pub payment: Option<String>,
	/// The evidence it settled on, as labelled figures.
	pub evidence: Vec<(String, String)>,
	/// When it was settled (RFC 3339, UTC).
	pub settled_at: String,
}

/// One contract's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContractPage {
	pub block: u64,
	pub node: NodeStatus,
	pub contract: ContractRow,
	/// What the parties agreed, sentence by sentence.
	pub terms: Vec<String>,
	pub meters: Vec<u32>,
	pub currency: String,
	pub payment_days: u16,
	pub statements: Vec<StatementRow>,
}
