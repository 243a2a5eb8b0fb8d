//! Membership and the council: applications and withdrawals, motions proposed by anyone at any
//! threshold (admissions, suspensions, roles, seats, validators, statuses, quorum, templates, and
//! Root through the council's supermajority), votes, and motions closed.

use arbitrary::Unstructured;
use codec::{Decode, Encode};
use frame_support::{dispatch::GetDispatchInfo, weights::Weight};
use pallet_registry::{Call as RegistryCall, RoleSet};
use smartblocks_runtime::{configs::governance::CouncilCollective, Runtime, RuntimeCall};
use sp_core::H256;

use super::{account, byte, pick, send, word};
use crate::{chain::Chain, invariants::Finding};

type CollectiveCall = pallet_collective::Call<Runtime, CouncilCollective>;

/// A role set: mostly one or two known roles, sometimes bits no role has.
fn roles(input: &mut Unstructured) -> RoleSet {
	match byte(input) {
		0..=239 => RoleSet(byte(input) & RoleSet::KNOWN),
		_ => RoleSet(byte(input)),
	}
}

/// A member number: the founders', the admitted, and one that does not exist.
fn member(input: &mut Unstructured) -> u32 {
	u32::from(byte(input) % 7)
}

/// An account applies to join (with a name and roles, right or wrong), or withdraws.
pub(super) fn apply(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = account(input);
	let call = match byte(input) {
		0..=199 => {
			let name = match byte(input) {
				0..=229 => b"Fuzzed Energy Ltd".to_vec(),
				230..=239 => Vec::new(),
				_ => vec![b'x'; usize::from(byte(input)) * 4],
			};
			RegistryCall::apply {
				name,
				roles: roles(input),
				contact: H256::repeat_byte(byte(input)),
			}
		}
		_ => RegistryCall::withdraw_application {},
	};
	send(chain, who, RuntimeCall::Registry(call))
}

/// What a motion asks for.
fn motion(input: &mut Unstructured) -> RuntimeCall {
	let target = account(input).to_account_id();
	let registry = match byte(input) % 16 {
		0 => RegistryCall::admit { applicant: target, roles: roles(input) },
		1 => RegistryCall::reject {
			applicant: target,
			slash: u128::from(word(input)) * smartblocks_runtime::currency::UNIT,
			reason: b"fuzzed".to_vec(),
		},
		2 => RegistryCall::suspend { member: member(input) },
		3 => RegistryCall::reinstate { member: member(input) },
		4 => RegistryCall::retire { member: member(input) },
		5 => RegistryCall::grant_roles { member: member(input), roles: roles(input) },
		6 => RegistryCall::revoke_roles { member: member(input), roles: roles(input) },
		7 => RegistryCall::approve_validator { account: target },
		8 => RegistryCall::remove_validator { account: target },
		9 => RegistryCall::grant_council_seat { account: target },
		10 => RegistryCall::revoke_council_seat { account: target },
		11 => RegistryCall::enforce_node_allowlist { enforce: byte(input).is_multiple_of(2) },
		12 => {
			let meter = u32::from(byte(input) % 16);
			let statuses = [
				pallet_meters::MeterStatus::Active,
				pallet_meters::MeterStatus::Suspended,
				pallet_meters::MeterStatus::SuspendedByCouncil,
				pallet_meters::MeterStatus::Retired,
			];
			let status = pick(input, &statuses);
			return RuntimeCall::Meters(pallet_meters::Call::force_meter_status { meter, status });
		}
		13 => {
			let quorum = u32::from(byte(input) % 5);
			return RuntimeCall::Oracle(pallet_energy_oracle::Call::set_quorum { quorum });
		}
		14 => {
			let kind = pick(input, &super::contracts::TEMPLATE_KINDS);
			let version = u16::from(byte(input) % 3);
			let call = pallet_energy_contracts::Call::retire_template { kind, version };
			return RuntimeCall::EnergyContracts(call);
		}
		_ => {
			// Root, which only two thirds of the council reach: a seat changed past the
			// registry's own origin checks.
			let inner = RuntimeCall::Registry(RegistryCall::grant_council_seat { account: target });
			let call = pallet_council_root::Call::dispatch { call: Box::new(inner) };
			return RuntimeCall::CouncilRoot(call);
		}
	};
	RuntimeCall::Registry(registry)
}

/// Anyone proposes a motion at a threshold of 1 to 5 (1 executes at once), with a length bound
/// that fits or one byte short.
pub(super) fn propose(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = account(input);
	let threshold = 1 + u32::from(byte(input) % 5);
	let proposal = motion(input);
	let length_bound =
		(proposal.encoded_size() as u32).saturating_sub(u32::from(byte(input) > 240));
	let call = CollectiveCall::propose { threshold, proposal: Box::new(proposal), length_bound };
	send(chain, who, RuntimeCall::Council(call))
}

/// An open motion: its hash, index and call. `None` when none is open.
fn open_motion(chain: &mut Chain, input: &mut Unstructured) -> Option<(H256, u32, RuntimeCall)> {
	let choice = usize::from(byte(input));
	chain.execute_with(|| {
		let motions = pallet_collective::Proposals::<Runtime, CouncilCollective>::get();
		let hash = *motions.get(choice % motions.len().max(1))?;
		let votes = pallet_collective::Voting::<Runtime, CouncilCollective>::get(hash)?;
		// `Votes` keeps its index private; it is the first field of its encoding.
		let index = u32::decode(&mut &votes.encode()[..]).ok()?;
		let call = pallet_collective::ProposalOf::<Runtime, CouncilCollective>::get(hash)?;
		Some((hash, index, call))
	})
}

/// Anyone votes aye or nay on an open motion.
pub(super) fn vote(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = account(input);
	let Some((proposal, index, _)) = open_motion(chain, input) else { return Ok(()) };
	let approve = byte(input) < 192;
	send(chain, who, RuntimeCall::Council(CollectiveCall::vote { proposal, index, approve }))
}

/// Anyone closes an open motion, with bounds that fit it or fall short.
pub(super) fn close(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = account(input);
	let Some((proposal_hash, index, call)) = open_motion(chain, input) else { return Ok(()) };
	let short = byte(input) > 240;
	let weight = call.get_dispatch_info().call_weight;
	let proposal_weight_bound = match short {
		true => Weight::from_parts(weight.ref_time() / 2, weight.proof_size() / 2),
		false => weight,
	};
	let length_bound = call.encoded_size() as u32 - u32::from(short);
	let call = CollectiveCall::close { proposal_hash, index, proposal_weight_bound, length_bound };
	send(chain, who, RuntimeCall::Council(call))
}
