//! The node's JSON-RPC methods beyond those every Substrate node serves (`system_`, `chain_`,
//! `state_`, `author_`, `offchain_`, `chainHead_v1_` and the rest that `sc_service` adds).
//!
//! Here: account nonces and fee queries, GRANDPA's `grandpa_roundState` (an operator's first look
//! at a finality stall: which voters a round is missing) and `grandpa_subscribeJustifications`,
//! and SmartBlocks' own member, site and contract queries.

pub mod contracts;
pub mod meters;
pub mod registry;

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_consensus_grandpa::{
	FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
};
use sc_rpc::SubscriptionTaskExecutor;
use sc_transaction_pool_api::TransactionPool;
use smartblocks_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P, B> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// The GRANDPA voter's state, for `grandpa_` methods.
	pub grandpa: GrandpaDeps<B>,
}

/// What GRANDPA's RPC module reads: `grandpa_roundState` and `grandpa_subscribeJustifications`.
pub struct GrandpaDeps<B> {
	/// The voter's rounds and votes (empty before its first round, and with `--no-grandpa`).
	pub voter_state: SharedVoterState,
	/// The authority set the votes are counted against.
	pub authority_set: SharedAuthoritySet<Hash, BlockNumber>,
	/// Each justification the node imports or makes.
	pub justifications: GrandpaJustificationStream<Block>,
	/// Runs the subscriptions' tasks.
	pub subscriptions: SubscriptionTaskExecutor,
	/// What `grandpa_proveFinality` would answer with; the method is not served.
	pub finality_proofs: Arc<FinalityProofProvider<B, Block>>,
}

/// All RPC extensions of a full node.
pub fn create_full<C, P, B>(
	deps: FullDeps<C, P, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ pallet_registry::runtime_api::RegistryApi<Block, AccountId, Balance, BlockNumber>
		+ pallet_meters::runtime_api::MetersApi<Block>
		+ pallet_energy_contracts::runtime_api::EnergyContractsApi<Block>
		+ BlockBuilder<Block>,
	P: TransactionPool + 'static,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
{
	use contracts::{Contracts, ContractsApiServer};
	use meters::{Meters, MetersApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use registry::{Registry, RegistryApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, grandpa } = deps;
	let GrandpaDeps { voter_state, authority_set, justifications, subscriptions, finality_proofs } =
		grandpa;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	let mut grandpa =
		Grandpa::new(subscriptions, authority_set, voter_state, justifications, finality_proofs)
			.into_rpc();
	// Not served: with an authority set that changes only with the validators, a proof walks the
	// headers from the block asked for to the newest justification (up to 100 000, on the RPC
	// server's task) for whoever asks, and nothing of SmartBlocks needs it.
	grandpa.remove_method("grandpa_proveFinality");
	module.merge(grandpa)?;
	module.merge(Registry::new(client.clone()).into_rpc())?;
	module.merge(Meters::new(client.clone()).into_rpc())?;
	module.merge(Contracts::new(client).into_rpc())?;

	Ok(module)
}
