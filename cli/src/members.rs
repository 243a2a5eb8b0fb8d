//! Membership and the council: applying, listing members, admitting applicants and giving and
//! taking council seats by motion.

use std::str::FromStr;

use anyhow::{bail, Context as _};
use smartblocks_client::{
	registry::{
		call_length, contact_hash, role_named, role_set, roles_in, MemberStatus, Motion, Proposal,
		RegistryCall, Role, RuntimeCall, ROLES,
	},
	subxt::utils::AccountId32,
	subxt_signer::sr25519::Keypair,
	upgrade::supermajority,
	Client,
};

/// Concurrent reads when listing.
const PARALLEL: usize = 8;

pub fn roles_named(names: &[String]) -> anyhow::Result<Vec<Role>> {
	names
		.iter()
		.map(|name| {
			role_named(name.trim()).with_context(|| {
				let known: Vec<String> = ROLES.iter().map(|role| format!("{role:?}")).collect();
				format!("--role {name}: not a role; the roles are {}", known.join(", "))
			})
		})
		.collect()
}

fn roles_text(roles: &[Role]) -> String {
	roles.iter().map(|role| format!("{role:?}")).collect::<Vec<_>>().join(", ")
}

pub async fn apply(
	client: &Client,
	applicant: &Keypair,
	name: &str,
	roles: &[Role],
	contact: &str,
) -> anyhow::Result<()> {
	client.apply(applicant, name, roles, contact_hash(contact)).await?;
	let account = applicant.public_key().to_account_id();
	println!(
		"{account}: applied as {name} for {}; the council decides (the deposit is held until then)",
		roles_text(roles)
	);
	Ok(())
}

pub async fn list(client: &Client) -> anyhow::Result<()> {
	for member in client.members(PARALLEL).await? {
		println!(
			"#{} {} ({:?}): {}; accounts {}",
			member.id,
			String::from_utf8_lossy(&member.name),
			member.status,
			roles_text(&member.roles),
			member.accounts.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
		);
	}
	Ok(())
}

pub async fn admit(
	client: &Client,
	proposer: &Keypair,
	applicant: &str,
	roles: &[Role],
) -> anyhow::Result<()> {
	let account = AccountId32::from_str(applicant.trim())
		.map_err(|e| anyhow::anyhow!("--applicant {applicant}: not an SS58 account ({e})"))?;
	let roles = if roles.is_empty() {
		let applications = client.applications().await?;
		let (_, application) = applications
			.iter()
			.find(|(from, _)| *from == account)
			.with_context(|| format!("{account} has not applied for membership"))?;
		roles_in(&application.roles)
	} else {
		roles.to_vec()
	};
	let council = client.council_members().await?.len();
	if council == 0 {
		bail!("the chain has no council to admit members");
	}
	let majority = u32::try_from(council / 2 + 1).unwrap_or(u32::MAX);
	let admit = RegistryCall::admit { applicant: account, roles: role_set(&roles) };
	match client.propose_to_council(proposer, majority, RuntimeCall::Registry(admit)).await? {
		Proposal::Executed => match client.member_of(account).await? {
			Some(member) => {
				println!("{account}: admitted as member #{} ({})", member.id, roles_text(&roles))
			}
			None => bail!("the council's motion ran but did not admit {account}"),
		},
		Proposal::Open(motion) => print_open(&motion, majority, council),
	}
	Ok(())
}

fn print_open(motion: &Motion, threshold: u32, seats: usize) {
	println!(
		"motion #{} is open: {threshold} of the council's {seats} must vote aye \
		 (`smartblocks council vote {}`), then one closes it (`smartblocks council close {}`)",
		motion.index, motion.index, motion.index
	);
}

/// Proposes that the council give `account` a seat (`grant`) or take its seat: a motion of
/// two thirds, which a council of one carries at once.
pub async fn seat(
	client: &Client,
	proposer: &Keypair,
	account: &str,
	grant: bool,
) -> anyhow::Result<()> {
	let account = AccountId32::from_str(account.trim())
		.map_err(|e| anyhow::anyhow!("--account {account}: not an SS58 account ({e})"))?;
	let council = client.council_members().await?;
	if grant {
		let Some(member) = client.member_of(account).await? else {
			bail!("{account} acts for no member: a seat goes to an account of an active member");
		};
		if member.status != MemberStatus::Active {
			bail!("{account} acts for member #{}, which is {:?}", member.id, member.status);
		}
		if let Some(seated) = member.accounts.iter().find(|a| council.contains(a)) {
			bail!(
				"member #{} already holds a seat, through {seated} (one seat a member)",
				member.id
			);
		}
	}
	if !grant && !council.contains(&account) {
		bail!("{account} holds no council seat");
	}
	let threshold = supermajority(council.len());
	let call = if grant {
		RegistryCall::grant_council_seat { account }
	} else {
		RegistryCall::revoke_council_seat { account }
	};
	match client.propose_to_council(proposer, threshold, RuntimeCall::Registry(call)).await? {
		Proposal::Executed => {
			if client.council_members().await?.contains(&account) != grant {
				bail!("the council's motion ran but did not change {account}'s seat");
			}
			let done = if grant { "took a seat on" } else { "left" };
			println!("{account}: {done} the council");
		}
		Proposal::Open(motion) => print_open(&motion, threshold, council.len()),
	}
	Ok(())
}

/// Open motion `index` with the call it would make.
async fn open_motion(client: &Client, index: u32) -> anyhow::Result<(Motion, RuntimeCall)> {
	let motions = client.council_motions().await?;
	let open = motions
		.into_iter()
		.find(|motion| motion.index == index)
		.with_context(|| format!("motion #{index} is not open"))?;
	let call = open
		.call
		.with_context(|| format!("the chain no longer holds the call of motion #{index}"))?;
	Ok((Motion { index, hash: open.hash, length: call_length(&call) }, call))
}

pub async fn vote(
	client: &Client,
	voter: &Keypair,
	index: u32,
	approve: bool,
) -> anyhow::Result<()> {
	let (motion, call) = open_motion(client, index).await?;
	println!("motion #{index}: {call:?}");
	client.vote_in_council(voter, &motion, approve).await?;
	println!("motion #{index}: voted {}", if approve { "aye" } else { "nay" });
	Ok(())
}

pub async fn close(client: &Client, closer: &Keypair, index: u32) -> anyhow::Result<()> {
	let (motion, _) = open_motion(client, index).await?;
	if !client.close_council_motion(closer, &motion).await? {
		bail!("motion #{index}: closed without effect (not carried)");
	}
	println!("motion #{index}: carried and executed");
	Ok(())
}
