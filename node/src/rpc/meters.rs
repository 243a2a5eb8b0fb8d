//! `meters_*`: sites, meters, their aggregates and hash chains in one call each, at the best block
//! or a given one.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use pallet_meters::{
	runtime_api::MetersApi as MetersRuntimeApi, ChainCheck, DayIndex, DaySeries, HashChain,
	MeterId, MeterInfo, PeriodIndex, PeriodSeries, Reading, SiteId, SiteInfo,
};
use pallet_registry::MemberId;
use smartblocks_runtime::{opaque::Block, Hash};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::H256;

use super::registry::runtime_error;

/// The meters pallet's RPC methods.
#[rpc(server)]
pub trait MetersApi {
	/// A site with its meters, or `null`.
	#[method(name = "meters_site")]
	fn site(&self, id: SiteId, at: Option<Hash>) -> RpcResult<Option<SiteInfo>>;

	/// Every site a member owns, with its meters.
	#[method(name = "meters_sitesOf")]
	fn sites_of(&self, owner: MemberId, at: Option<Hash>) -> RpcResult<Vec<SiteInfo>>;

	/// A meter with its newest reading and hash chain, or `null`.
	#[method(name = "meters_meter")]
	fn meter(&self, id: MeterId, at: Option<Hash>) -> RpcResult<Option<MeterInfo>>;

	/// The meter a device key (32 bytes, hex) signs for, or `null`.
	#[method(name = "meters_meterOfKey")]
	fn meter_of_key(&self, device_key: H256, at: Option<Hash>) -> RpcResult<Option<MeterInfo>>;

	/// A meter's settlement periods from `first`, at most `count`.
	#[method(name = "meters_periods")]
	fn periods(
		&self,
		meter: MeterId,
		first: PeriodIndex,
		count: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<PeriodSeries>>;

	/// A meter's day totals and completeness from `first`, at most `count` days.
	#[method(name = "meters_days")]
	fn days(
		&self,
		meter: MeterId,
		first: DayIndex,
		count: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<DaySeries>>;

	/// A meter's hash chain head and length, or `null`.
	#[method(name = "meters_chainHead")]
	fn chain_head(&self, meter: MeterId, at: Option<Hash>) -> RpcResult<Option<HashChain>>;

	/// Whether `readings`, chained from `start`, end at the meter's head.
	#[method(name = "meters_verifyChain")]
	fn verify_chain(
		&self,
		meter: MeterId,
		start: HashChain,
		readings: Vec<Reading>,
		at: Option<Hash>,
	) -> RpcResult<ChainCheck>;
}

/// Serves the meters pallet's RPC methods from the runtime API.
pub struct Meters<C> {
	client: Arc<C>,
}

impl<C> Meters<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> Meters<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

impl<C> MetersApiServer for Meters<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MetersRuntimeApi<Block>,
{
	fn site(&self, id: SiteId, at: Option<Hash>) -> RpcResult<Option<SiteInfo>> {
		self.client.runtime_api().site(self.at(at), id).map_err(runtime_error)
	}

	fn sites_of(&self, owner: MemberId, at: Option<Hash>) -> RpcResult<Vec<SiteInfo>> {
		self.client.runtime_api().sites_of(self.at(at), owner).map_err(runtime_error)
	}

	fn meter(&self, id: MeterId, at: Option<Hash>) -> RpcResult<Option<MeterInfo>> {
		self.client.runtime_api().meter(self.at(at), id).map_err(runtime_error)
	}

	fn meter_of_key(&self, device_key: H256, at: Option<Hash>) -> RpcResult<Option<MeterInfo>> {
		self.client.runtime_api().meter_of_key(self.at(at), device_key.0).map_err(runtime_error)
	}

	fn periods(
		&self,
		meter: MeterId,
		first: PeriodIndex,
		count: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<PeriodSeries>> {
		self.client.runtime_api().periods(self.at(at), meter, first, count).map_err(runtime_error)
	}

	fn days(
		&self,
		meter: MeterId,
		first: DayIndex,
		count: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<DaySeries>> {
		self.client.runtime_api().days(self.at(at), meter, first, count).map_err(runtime_error)
	}

	fn chain_head(&self, meter: MeterId, at: Option<Hash>) -> RpcResult<Option<HashChain>> {
		self.client.runtime_api().chain_head(self.at(at), meter).map_err(runtime_error)
	}

	fn verify_chain(
		&self,
		meter: MeterId,
		start: HashChain,
		readings: Vec<Reading>,
		at: Option<Hash>,
	) -> RpcResult<ChainCheck> {
		self.client
			.runtime_api()
			.verify_chain(self.at(at), meter, start, readings)
			.map_err(runtime_error)
	}
}
