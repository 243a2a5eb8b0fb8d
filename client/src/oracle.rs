//! Oracle feeds: providers submit values per region and settlement period; the median of a
//! quorum of them is the period's value.

use subxt_signer::sr25519::Keypair;

use crate::{chain, BlockHash, Client, ClientError};

use chain::runtime_types::bounded_collections::bounded_vec::BoundedVec;

pub use chain::runtime_types::pallet_energy_oracle::types::{
	Feed, FeedKind, FeedSeries, FeedUnit, PeriodValue, Submission,
};

/// A feed's period got its value.
pub type ValueFinalized = chain::oracle::events::ValueFinalized;
/// A submission lay beyond its kind's tolerance from the period's value.
pub type OutlierRecorded = chain::oracle::events::OutlierRecorded;

/// The feed of `kind` for `region` (a region code such as `DE-BE`).
pub fn feed(kind: FeedKind, region: &str) -> Feed {
	Feed { kind, region: BoundedVec(region.as_bytes().to_vec()) }
}

/// What became of a provider's batch in a finalized block.
#[derive(Debug, Clone)]
pub struct SubmissionOutcome {
	pub block_hash: BlockHash,
	/// Periods whose value this batch fixed.
	pub finalized: Vec<ValueFinalized>,
	pub outliers: Vec<OutlierRecorded>,
}

impl Client {
	/// Submits values as the oracle provider `provider` acts for and waits for the finalized
	/// block.
	pub async fn submit_oracle_values(
		&self,
		provider: &Keypair,
		values: Vec<Submission>,
	) -> Result<SubmissionOutcome, ClientError> {
		let call = chain::transactions().oracle().submit_values(BoundedVec(values));
		let (block_hash, events) = self.submit_finalized(&call, provider).await?;
		let finalized = events
			.find::<ValueFinalized>()
			.collect::<Result<Vec<_>, _>>()
			.map_err(ClientError::chain("decode Oracle.ValueFinalized"))?;
		let outliers = events
			.find::<OutlierRecorded>()
			.collect::<Result<Vec<_>, _>>()
			.map_err(ClientError::chain("decode Oracle.OutlierRecorded"))?;
		Ok(SubmissionOutcome { block_hash, finalized, outliers })
	}

	/// `feed`'s periods from `first`, at most `count` (the runtime caps a call at 31 days).
	pub async fn oracle_values(
		&self,
		feed: Feed,
		first: u32,
		count: u32,
	) -> Result<FeedSeries, ClientError> {
		let call = chain::runtime_apis().oracle_api().values(feed, first, count);
		self.runtime_call(call, "query OracleApi.values").await
	}

	/// Submissions a period needs for its value.
	pub async fn oracle_quorum(&self) -> Result<u32, ClientError> {
		let call = chain::runtime_apis().oracle_api().quorum();
		self.runtime_call(call, "query OracleApi.quorum").await
	}
}
