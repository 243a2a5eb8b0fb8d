//! The node's JSON-RPC methods beyond the standard Substrate set.
//!
//! SmartBlocks' own RPC modules (member, site and contract queries) merge into the module here.

pub mod contracts;
pub mod meters;
pub mod registry;

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use smartblocks_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client instance to use.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
}

/// All RPC extensions of a full node.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
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
{
	use contracts::{Contracts, ContractsApiServer};
	use meters::{Meters, MetersApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use registry::{Registry, RegistryApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Registry::new(client.clone()).into_rpc())?;
	module.merge(Meters::new(client.clone()).into_rpc())?;
	module.merge(Contracts::new(client).into_rpc())?;

	Ok(module)
}
