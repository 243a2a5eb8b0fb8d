//! The member directory, member pages and the council view from the snapshot.

use smartblocks_client::{
	registry::{roles_in, Member, OpenMotion},
	subxt::utils::AccountId32,
};

use super::campus::Campus;
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

impl Campus {
	/// Every member and the applications waiting for the council.
	pub fn directory(&self, node: NodeStatus) -> Directory {
		let applications = self
			.registry
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
			.collect();
		Directory {
			block: self.block,
			node,
			members: self.registry.members.iter().map(member_row).collect(),
			applications,
		}
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
				cause: format!("{:?}", entry.cause),
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
