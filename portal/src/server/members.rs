//! The member directory, member pages and the council view from the snapshot.

use smartblocks_client::{
	chain,
	registry::{
		call_length, close_motion, contact_hash, describe_cause, role_named, role_set, roles_in,
		Member, Motion, OpenMotion, RegistryCall, RuntimeCall,
	},
	subxt::{transactions::Payload, utils::AccountId32},
};

use super::campus::CampusSnapshot;
use crate::{
	members::{
		ApplicationRow, CouncilView, Directory, MemberPage, MemberRow, MotionRow, ReputationPoint,
		Voter,
	},
	status::NodeStatus,
};

/// Smallest units in one SBT.
const UNITS_PER_SBT: f64 = 1e12;
/// Characters of a proposal's text the council page shows.
const PROPOSAL_TEXT: usize = 240;

fn member_row(member: &Member) -> MemberRow {
	MemberRow {
		id: member.id,
		name: String::from_utf8_lossy(&member.name).into_owned(),
		roles: member.roles.iter().map(|role| format!("{role:?}")).collect(),
		status: format!("{:?}", member.status),
		score: member.score,
		admitted: member.admitted,
		accounts: member.accounts.iter().map(ToString::to_string).collect(),
		validators: u32::try_from(member.validators.len()).unwrap_or(u32::MAX),
		nodes: u32::try_from(member.nodes.len()).unwrap_or(u32::MAX),
	}
}

impl CampusSnapshot {
	/// Every member and the applications waiting for the council.
	pub fn directory(&self, node: NodeStatus) -> Directory {
		Directory {
			block: self.block,
			node,
			members: self.registry.members.iter().map(member_row).collect(),
			applications: self.application_rows(),
		}
	}

	fn application_rows(&self) -> Vec<ApplicationRow> {
		self.registry
			.applications
			.iter()
			.map(|(applicant, application)| ApplicationRow {
				applicant: applicant.to_string(),
				name: String::from_utf8_lossy(&application.name.0).into_owned(),
				roles: roles_in(&application.roles)
					.iter()
					.map(|role| format!("{role:?}"))
					.collect(),
				deposit_sbt: application.deposit as f64 / UNITS_PER_SBT,
				submitted: application.submitted,
			})
			.collect()
	}

	/// Member `id`'s page, `None` if there is no such member.
	pub fn member_page(&self, id: u32, node: NodeStatus) -> Option<MemberPage> {
		let member = self.registry.members.iter().find(|member| member.id == id)?;
		let history = member
			.reputation_history
			.iter()
			.map(|entry| ReputationPoint {
				block: entry.block,
				score: entry.score,
				cause: describe_cause(&entry.cause),
			})
			.collect();
		let sites = self
			.sites
			.iter()
			.filter(|site| site.owner == id)
			.map(|site| (site.id, String::from_utf8_lossy(&site.name).into_owned()))
			.collect();
		Some(MemberPage { block: self.block, node, member: member_row(member), history, sites })
	}

	/// The council's members and its open motions with their votes.
	pub fn council_view(&self, node: NodeStatus) -> CouncilView {
		CouncilView {
			block: self.block,
			node,
			members: self.registry.council.iter().map(|account| self.voter(account)).collect(),
			applications: self.application_rows(),
			motions: self.registry.motions.iter().map(|motion| self.motion_row(motion)).collect(),
		}
	}

	/// The member `account` acts for, if any.
	pub fn member_of(&self, account: &AccountId32) -> Option<&Member> {
		self.registry.members.iter().find(|member| member.accounts.contains(account))
	}

	fn voter(&self, account: &AccountId32) -> Voter {
		let member = self.member_of(account);
		Voter {
			account: account.to_string(),
			member: member.map(|member| String::from_utf8_lossy(&member.name).into_owned()),
		}
	}

	fn motion_row(&self, motion: &OpenMotion) -> MotionRow {
		let proposal = match &motion.call {
			Some(call) => {
				let text = format!("{call:?}");
				match text.char_indices().nth(PROPOSAL_TEXT) {
					Some((cut, _)) => format!("{}…", &text[..cut]),
					None => text,
				}
			}
			None => "(the proposal is no longer stored)".into(),
		};
		MotionRow {
			index: motion.index,
			hash: format!("{:?}", motion.hash),
			proposal,
			threshold: motion.threshold,
			ayes: motion.ayes.iter().map(|account| self.voter(account)).collect(),
			nays: motion.nays.iter().map(|account| self.voter(account)).collect(),
			end: motion.end,
		}
	}
}

#[cfg(test)]
mod tests;

/// The registry's `apply` call for an organisation `name` asking for `roles` (the registry's
/// role names, comma-separated) with off-chain `contact` details, or what is wrong with them.
pub fn application_call(name: &str, roles: &str, contact: &str) -> Result<impl Payload, String> {
	let name = name.trim();
	if name.is_empty() {
		return Err("give the organisation's name".into());
	}
	let roles = roles
		.split(',')
		.map(str::trim)
		.filter(|role| !role.is_empty())
		.map(|role| role_named(role).ok_or_else(|| format!("'{role}' is no role of the registry")))
		.collect::<Result<Vec<_>, _>>()?;
	if roles.is_empty() {
		return Err("choose at least one role".into());
	}
	if contact.trim().is_empty() {
		return Err("give contact details for the council (only their hash goes on chain)".into());
	}
	Ok(chain::transactions().registry().apply(
		name.as_bytes().to_vec(),
		role_set(&roles),
		contact_hash(contact),
	))
}

impl CampusSnapshot {
	/// A council proposal to admit `applicant` with the roles it asked for, carried by a majority
	/// of the council (with a council of one, it executes at once).
	pub fn admission_call(&self, applicant: &str) -> Result<impl Payload, String> {
		let account: AccountId32 =
			applicant.parse().map_err(|_| format!("'{applicant}' is not an account address"))?;
		let (_, application) = self
			.registry
			.applications
			.iter()
			.find(|(waiting, _)| waiting == &account)
			.ok_or_else(|| format!("no application from {applicant} is waiting"))?;
		let admit = RuntimeCall::Registry(RegistryCall::admit {
			applicant: account,
			roles: application.roles.clone(),
		});
		let majority = u32::try_from(self.registry.council.len() / 2 + 1).unwrap_or(u32::MAX);
		let length = call_length(&admit);
		Ok(chain::transactions().council().propose(majority, admit, length))
	}

	/// A vote on open motion `index`.
	pub fn vote_call(&self, index: u32, aye: bool) -> Result<impl Payload, String> {
		let motion = self.open_motion(index)?;
		Ok(chain::transactions().council().vote(motion.hash, index, aye))
	}

	/// Closing open motion `index`, which executes it if the council approved it.
	pub fn close_call(&self, index: u32) -> Result<impl Payload, String> {
		let motion = self.open_motion(index)?;
		let call = motion.call.as_ref().ok_or("the chain no longer holds this motion's call")?;
		Ok(close_motion(&Motion { index, hash: motion.hash, length: call_length(call) }))
	}

	fn open_motion(&self, index: u32) -> Result<&OpenMotion, String> {
		self.registry
			.motions
			.iter()
			.find(|motion| motion.index == index)
			.ok_or_else(|| format!("motion #{index} is not open"))
	}
}
