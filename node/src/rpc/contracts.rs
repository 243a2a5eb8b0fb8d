//! `contracts_*`: a contract with its statements, a member's contracts and a settlement preview,
//! at the best block or a given one.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_energy_contracts::{
	runtime_api::{ContractInfo, EnergyContractsApi as ContractsRuntimeApi},
	ContractId, Statement,
};
use pallet_registry::MemberId;
use smartblocks_runtime::{opaque::Block, Hash};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;

use super::registry::runtime_error;

/// The energy contracts pallet's RPC methods.
#[rpc(server)]
pub trait ContractsApi {
	/// A contract with every statement so far, or `null`.
	#[method(name = "contracts_contract")]
	fn contract(&self, id: ContractId, at: Option<Hash>) -> RpcResult<Option<ContractInfo>>;

	/// The numbers of the contracts a member is a party to.
	#[method(name = "contracts_contractsOf")]
	fn contracts_of(&self, member: MemberId, at: Option<Hash>) -> RpcResult<Vec<ContractId>>;

	/// The statement settling the contract's next period would record now, or `null` unless
	/// the contract is active.
	#[method(name = "contracts_preview")]
	fn preview(&self, id: ContractId, at: Option<Hash>) -> RpcResult<Option<Statement>>;
}

/// Serves the energy contracts pallet's RPC methods from the runtime API.
pub struct Contracts<C> {
	client: Arc<C>,
}

impl<C> Contracts<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> Contracts<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> ContractsApiServer for Contracts<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ContractsRuntimeApi<Block>,
{
	fn contract(&self, id: ContractId, at: Option<Hash>) -> RpcResult<Option<ContractInfo>> {
		self.client.runtime_api().contract(self.at(at), id).map_err(runtime_error)
	}

	fn contracts_of(&self, member: MemberId, at: Option<Hash>) -> RpcResult<Vec<ContractId>> {
		self.client.runtime_api().contracts_of(self.at(at), member).map_err(runtime_error)
	}

	fn preview(&self, id: ContractId, at: Option<Hash>) -> RpcResult<Option<Statement>> {
		self.client.runtime_api().preview(self.at(at), id).map_err(runtime_error)
	}
}
