//! Members, applications and council motions.

use subxt::utils::{AccountId32, H256};
use subxt_signer::sr25519::Keypair;

use subxt::extrinsics::ExtrinsicEvents;

use crate::{chain, Balance, BlockHash, Client, ClientError, Config};

pub use chain::runtime_types::pallet_registry::types::{
	MemberStatus, ReputationCause, ReputationEntry, Role, RoleSet,
};

/// A member with its roles, accounts, validators and reputation history.
pub type Member =
	chain::runtime_types::pallet_registry::types::MemberDetails<AccountId32, Balance, u32>;

/// A call of the runtime, e.g. for a council motion.
pub type RuntimeCall = chain::runtime_types::smartblocks_runtime::RuntimeCall;

/// The registry's call, for council motions.
pub type RegistryCall = chain::runtime_types::pallet_registry::pallet::Call;

/// Custom `InvalidTransaction` code: the signer acts for no member (`pallet_registry::extension`).
pub const NOT_A_MEMBER: u8 = 1;
/// Custom `InvalidTransaction` code: the signer's member is suspended.
pub const MEMBER_SUSPENDED: u8 = 2;

/// The set of `roles`, as the registry's calls take it (bit `i` is the role with index `i`).
pub fn role_set(roles: &[Role]) -> RoleSet {
	RoleSet(roles.iter().fold(0, |bits, role| bits | 1 << role_index(role)))
}

/// Every role, in bit order.
pub const ROLES: [Role; 7] = [
	Role::Esco,
	Role::BuildingOwner,
	Role::Utility,
	Role::Trader,
	Role::Auditor,
	Role::OracleProvider,
	Role::ValidatorOperator,
];

/// The roles in `set`, in bit order.
pub fn roles_in(set: &RoleSet) -> Vec<Role> {
	ROLES.into_iter().filter(|role| set.0 & (1 << role_index(role)) != 0).collect()
}

/// The role named `name` as the runtime names it (`Esco`, `BuildingOwner`, …).
pub fn role_named(name: &str) -> Option<Role> {
	ROLES.into_iter().find(|role| format!("{role:?}") == name)
}

fn role_index(role: &Role) -> u8 {
	match role {
		Role::Esco => 0,
		Role::BuildingOwner => 1,
		Role::Utility => 2,
		Role::Trader => 3,
		Role::Auditor => 4,
		Role::OracleProvider => 5,
		Role::ValidatorOperator => 6,
	}
}

/// What moved a member's reputation, in the words of the registry's rule.
pub fn describe_cause(cause: &ReputationCause) -> String {
	match cause {
		ReputationCause::SettlementHonoured => "settlement paid before its deadline".into(),
		ReputationCause::SettlementBreached => "settlement deadline passed unpaid".into(),
		ReputationCause::DataCompleteness { per_mille } => {
			format!("a day of meter data {:.1} % complete", f64::from(*per_mille) / 10.0)
		}
		ReputationCause::DisputeWon => "dispute ruled in its favour".into(),
		ReputationCause::DisputeLost => "dispute ruled against it".into(),
		ReputationCause::PeerRating { stars } => {
			format!("rated {stars} of 5 stars by a counterparty")
		}
	}
}

/// The bytes of a libp2p peer id given as the base58 text nodes log (`12D3KooW…`), as the
/// registry's node calls take it.
pub fn peer_id_bytes(peer_id: &str) -> Result<Vec<u8>, ClientError> {
	bs58::decode(peer_id.trim()).into_vec().map_err(|e| ClientError::InvalidPeerId {
		peer_id: peer_id.to_string(),
		reason: e.to_string(),
	})
}

/// A council motion that is open for votes.
#[derive(Debug, Clone)]
pub struct Motion {
	/// The motion's number.
	pub index: u32,
	/// The hash of the proposed call.
	pub hash: H256,
	/// The encoded length of the proposed call, which closing needs as a bound.
	pub length: u32,
}

/// What proposing to the council led to.
#[derive(Debug, Clone)]
pub enum Proposal {
	/// The motion is open; members vote and then someone closes it.
	Open(Motion),
	/// A threshold of one executed the call at once.
	Executed,
}

impl Client {
	/// The member an account acts for, at the latest finalized block.
	pub async fn member_of(&self, account: AccountId32) -> Result<Option<Member>, ClientError> {
		let at = self.reading().await?;
		at.runtime_apis()
			.call(chain::runtime_apis().registry_api().member_of(account))
			.await
			.map_err(ClientError::chain("query RegistryApi.member_of"))
	}

	/// The member with this number, at the latest finalized block.
	pub async fn member(&self, id: u32) -> Result<Option<Member>, ClientError> {
		let at = self.reading().await?;
		at.runtime_apis()
			.call(chain::runtime_apis().registry_api().member(id))
			.await
			.map_err(ClientError::chain("query RegistryApi.member"))
	}

	/// Applies for membership with `applicant`'s account; the deposit is held until the council
	/// decides.
	pub async fn apply(
		&self,
		applicant: &Keypair,
		name: &str,
		roles: &[Role],
		contact: H256,
	) -> Result<BlockHash, ClientError> {
		let call = chain::transactions().registry().apply(
			name.as_bytes().to_vec(),
			role_set(roles),
			contact,
		);
		let (block, _) = self.submit_finalized(&call, applicant).await?;
		Ok(block)
	}

	/// Registers a node (its base58 peer id) for the member `operator` acts for.
	pub async fn add_node(&self, operator: &Keypair, peer_id: &str) -> Result<(), ClientError> {
		let call = chain::transactions().registry().add_node(peer_id_bytes(peer_id)?);
		self.submit_finalized(&call, operator).await.map(|_| ())
	}

	/// Removes a node of the member `operator` acts for.
	pub async fn remove_node(&self, operator: &Keypair, peer_id: &str) -> Result<(), ClientError> {
		let call = chain::transactions().registry().remove_node(peer_id_bytes(peer_id)?);
		self.submit_finalized(&call, operator).await.map(|_| ())
	}

	/// Proposes `call` to the council; with `threshold` 1 it executes at once.
	pub async fn propose_to_council(
		&self,
		proposer: &Keypair,
		threshold: u32,
		call: RuntimeCall,
	) -> Result<Proposal, ClientError> {
		let length = call_length(&call);
		let tx = chain::transactions().council().propose(threshold, call, length);
		let (_, events) = self.submit_finalized(&tx, proposer).await?;
		// A threshold of one executes the call at once: its refusal is the proposal's.
		self.refusal_of_motion(&events).await?;
		let proposed = events
			.find_first::<chain::council::events::Proposed>()
			.transpose()
			.map_err(ClientError::chain("decode Council.Proposed"))?;
		Ok(match proposed {
			Some(proposed) => Proposal::Open(Motion {
				index: proposed.proposal_index,
				hash: proposed.proposal_hash,
				length,
			}),
			None => Proposal::Executed,
		})
	}

	/// Votes on an open council motion.
	pub async fn vote_in_council(
		&self,
		voter: &Keypair,
		motion: &Motion,
		approve: bool,
	) -> Result<(), ClientError> {
		let tx = chain::transactions().council().vote(motion.hash, motion.index, approve);
		self.submit_finalized(&tx, voter).await.map(|_| ())
	}

	/// Closes a council motion that has its votes, executing it when approved. Returns whether
	/// the council approved it; an approved motion whose call the chain refused (for a call the
	/// council made as Root, `CouncilRoot.Dispatched` holds the call's own result) is an error
	/// naming the refusal.
	pub async fn close_council_motion(
		&self,
		closer: &Keypair,
		motion: &Motion,
	) -> Result<bool, ClientError> {
		let tx = close_motion(motion);
		let (_, events) = self.submit_finalized(&tx, closer).await?;
		self.refusal_of_motion(&events).await?;
		let executed = events
			.find_first::<chain::council::events::Executed>()
			.transpose()
			.map_err(ClientError::chain("decode Council.Executed"))?;
		Ok(executed.is_some())
	}

	/// Fails, naming the chain's reason, when `events` hold a motion executed with an error:
	/// its call's, or Root's call's through `councilRoot`.
	async fn refusal_of_motion(&self, events: &ExtrinsicEvents<Config>) -> Result<(), ClientError> {
		let executed = events
			.find_first::<chain::council::events::Executed>()
			.transpose()
			.map_err(ClientError::chain("decode Council.Executed"))?;
		let as_root = events
			.find_first::<chain::council_root::events::Dispatched>()
			.transpose()
			.map_err(ClientError::chain("decode CouncilRoot.Dispatched"))?;
		match (executed.map(|e| e.result), as_root.map(|d| d.result)) {
			(Some(Err(error)), _) | (_, Some(Err(error))) => Err(ClientError::Refused {
				reason: format!(
					"the council's motion ran and the chain refused its call: {}",
					self.error_name(&error).await
				),
			}),
			_ => Ok(()),
		}
	}
}

/// The encoded length of `call`, which proposing and closing a motion take as a bound.
pub fn call_length(call: &RuntimeCall) -> u32 {
	u32::try_from(subxt::ext::codec::Encode::encoded_size(call)).unwrap_or(u32::MAX)
}

/// The council's call that closes `motion`.
pub fn close_motion(motion: &Motion) -> impl subxt::transactions::Payload {
	// The runtime caps a motion's weight at half a block; the bound only has to cover it.
	let weight_bound = chain::runtime_types::sp_weights::weight_v2::Weight {
		ref_time: 1_000_000_000_000,
		proof_size: 2_500_000,
	};
	chain::transactions().council().close(motion.hash, motion.index, weight_bound, motion.length)
}

/// The hash under which the registry keeps an applicant's contact details (which stay off the
/// chain): BLAKE2-256 of their text.
pub fn contact_hash(details: &str) -> H256 {
	H256(sp_crypto_hashing::blake2_256(details.trim().as_bytes()))
}

/// A membership application waiting for the council.
pub type Application = chain::runtime_types::pallet_registry::types::Application<Balance, u32>;

/// A council motion open for votes, with the votes so far.
#[derive(Debug, Clone)]
pub struct OpenMotion {
	pub hash: H256,
	pub index: u32,
	/// Ayes needed to carry it.
	pub threshold: u32,
	pub ayes: Vec<AccountId32>,
	pub nays: Vec<AccountId32>,
	/// The block after which it can be closed whatever the votes.
	pub end: u32,
	/// What it would do, if the chain still holds it.
	pub call: Option<RuntimeCall>,
}

impl Client {
	/// How many members were ever admitted: members are numbered from 0 below this.
	pub async fn member_count(&self) -> Result<u32, ClientError> {
		let at = self.reading().await?;
		let entry = at
			.storage()
			.entry(chain::storage().registry().next_member_id())
			.map_err(ClientError::chain("find Registry.NextMemberId"))?;
		entry
			.fetch(())
			.await
			.map_err(ClientError::chain("read Registry.NextMemberId"))?
			.decode()
			.map_err(ClientError::chain("decode Registry.NextMemberId"))
	}

	/// Every member, retired ones included, `parallel` queries at a time.
	pub async fn members(&self, parallel: usize) -> Result<Vec<Member>, ClientError> {
		crate::numbered(self.member_count().await?, parallel, |id| self.member(id)).await
	}

	/// Membership applications the council has not decided yet, by applicant account.
	pub async fn applications(&self) -> Result<Vec<(AccountId32, Application)>, ClientError> {
		let at = self.reading().await?;
		let entry = at
			.storage()
			.entry(chain::storage().registry().applications())
			.map_err(ClientError::chain("find Registry.Applications"))?;
		let mut entries =
			entry.iter(()).await.map_err(ClientError::chain("read Registry.Applications"))?;
		let mut applications = Vec::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(ClientError::chain("read Registry.Applications"))?;
			let (applicant,) = entry
				.key()
				.and_then(|key| key.decode())
				.map_err(ClientError::chain("decode an applicant"))?;
			let application =
				entry.value().decode().map_err(ClientError::chain("decode an application"))?;
			applications.push((applicant, application));
		}
		Ok(applications)
	}

	/// The council's members.
	pub async fn council_members(&self) -> Result<Vec<AccountId32>, ClientError> {
		let at = self.reading().await?;
		let entry = at
			.storage()
			.entry(chain::storage().council().members())
			.map_err(ClientError::chain("find Council.Members"))?;
		entry
			.fetch(())
			.await
			.map_err(ClientError::chain("read Council.Members"))?
			.decode()
			.map_err(ClientError::chain("decode Council.Members"))
	}

	/// The council's open motions with their votes, oldest first.
	pub async fn council_motions(&self) -> Result<Vec<OpenMotion>, ClientError> {
		let at = self.reading().await?;
		let storage = at.storage();
		let hashes = storage
			.entry(chain::storage().council().proposals())
			.map_err(ClientError::chain("find Council.Proposals"))?
			.fetch(())
			.await
			.map_err(ClientError::chain("read Council.Proposals"))?
			.decode()
			.map_err(ClientError::chain("decode Council.Proposals"))?;
		let voting = storage
			.entry(chain::storage().council().voting())
			.map_err(ClientError::chain("find Council.Voting"))?;
		let calls = storage
			.entry(chain::storage().council().proposal_of())
			.map_err(ClientError::chain("find Council.ProposalOf"))?;
		let mut motions = Vec::new();
		for hash in hashes.0 {
			let votes = voting
				.try_fetch((hash,))
				.await
				.map_err(ClientError::chain("read Council.Voting"))?;
			let Some(votes) = votes else { continue };
			let votes = votes.decode().map_err(ClientError::chain("decode Council.Voting"))?;
			let call = match calls
				.try_fetch((hash,))
				.await
				.map_err(ClientError::chain("read Council.ProposalOf"))?
			{
				Some(call) => {
					Some(call.decode().map_err(ClientError::chain("decode Council.ProposalOf"))?)
				}
				None => None,
			};
			motions.push(OpenMotion {
				hash,
				index: votes.index,
				threshold: votes.threshold,
				ayes: votes.ayes,
				nays: votes.nays,
				end: votes.end,
				call,
			});
		}
		motions.sort_by_key(|motion| motion.index);
		Ok(motions)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn causes_read_as_the_registry_rule_words_them() {
		let completeness = ReputationCause::DataCompleteness { per_mille: 995 };
		assert_eq!(describe_cause(&completeness), "a day of meter data 99.5 % complete");
		let rating = ReputationCause::PeerRating { stars: 4 };
		assert_eq!(describe_cause(&rating), "rated 4 of 5 stars by a counterparty");
		assert_eq!(
			describe_cause(&ReputationCause::SettlementBreached),
			"settlement deadline passed unpaid"
		);
	}
}
