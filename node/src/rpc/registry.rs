//! `registry_member` and `registry_memberOf`: a member with its roles, accounts, validators and
//! reputation history in one call, at the best block or a given one.

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use pallet_registry::{runtime_api::RegistryApi as RegistryRuntimeApi, MemberDetails, MemberId};
use smartblocks_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;

/// A member as the RPC returns it.
pub type Member = MemberDetails<AccountId, Balance, BlockNumber>;

/// The registry's RPC methods.
#[rpc(client, server)]
pub trait RegistryApi {
	/// The member with this number (retired ones included), or `null`.
	#[method(name = "registry_member")]
	fn member(&self, id: MemberId, at: Option<Hash>) -> RpcResult<Option<Member>>;

	/// The member an account acts for, or `null`.
	#[method(name = "registry_memberOf")]
	fn member_of(&self, account: AccountId, at: Option<Hash>) -> RpcResult<Option<Member>>;
}

/// Serves the registry's RPC methods from the runtime API.
pub struct Registry<C> {
	client: Arc<C>,
}

impl<C> Registry<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

/// The JSON-RPC error code of a failed runtime API call.
const RUNTIME_ERROR: i32 = 1;

pub(crate) fn runtime_error(error: sp_api::ApiError) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "the runtime could not answer", Some(error.to_string()))
}

impl<C> RegistryApiServer for Registry<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RegistryRuntimeApi<Block, AccountId, Balance, BlockNumber>,
{
	fn member(&self, id: MemberId, at: Option<Hash>) -> RpcResult<Option<Member>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().member(at, id).map_err(runtime_error)
	}

	fn member_of(&self, account: AccountId, at: Option<Hash>) -> RpcResult<Option<Member>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		self.client.runtime_api().member_of(at, account).map_err(runtime_error)
	}
}
