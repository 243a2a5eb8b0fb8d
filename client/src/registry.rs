//! Members, applications and council motions.

use subxt::utils::{AccountId32, H256};
use subxt_signer::sr25519::Keypair;

use crate::{chain, Balance, BlockHash, Client, ClientError};

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
		let at = self.api.at_current_block().await.map_err(ClientError::chain("read block"))?;
		at.runtime_apis()
			.call(chain::runtime_apis().registry_api().member_of(account))
			.await
			.map_err(ClientError::chain("query RegistryApi.member_of"))
	}

	/// The member with this number, at the latest finalized block.
	pub async fn member(&self, id: u32) -> Result<Option<Member>, ClientError> {
		let at = self.api.at_current_block().await.map_err(ClientError::chain("read block"))?;
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
		let length = subxt::ext::codec::Encode::encoded_size(&call) as u32;
		let tx = chain::transactions().council().propose(threshold, call, length);
		let (_, events) = self.submit_finalized(&tx, proposer).await?;
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
	/// the council approved it and the call then succeeded.
	pub async fn close_council_motion(
		&self,
		closer: &Keypair,
		motion: &Motion,
	) -> Result<bool, ClientError> {
		// The runtime caps a motion's weight at half a block; the bound only has to cover it.
		let weight_bound = chain::runtime_types::sp_weights::weight_v2::Weight {
			ref_time: 1_000_000_000_000,
			proof_size: 2_500_000,
		};
		let tx = chain::transactions().council().close(
			motion.hash,
			motion.index,
			weight_bound,
			motion.length,
		);
		let (_, events) = self.submit_finalized(&tx, closer).await?;
		let executed = events
			.find_first::<chain::council::events::Executed>()
			.transpose()
			.map_err(ClientError::chain("decode Council.Executed"))?;
		Ok(executed.is_some_and(|executed| executed.result.is_ok()))
	}
}
