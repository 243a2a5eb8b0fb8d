//! What can go wrong talking to the chain, in words a user can act on.

/// An error of the SmartBlocks client.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
	/// The node could not be reached or did not speak the expected protocol.
	#[error("cannot connect to the SmartBlocks node at {url}: {reason} (is the node running?)")]
	Connect { url: String, reason: String },
	/// The chain answered with an error.
	#[error("{context}: {source}")]
	Chain {
		context: &'static str,
		#[source]
		source: Box<subxt::Error>,
	},
	/// A transaction succeeded but did not emit the event it always emits.
	#[error("the transaction succeeded but emitted no {0} event")]
	MissingEvent(&'static str),
	/// The signer acts for no member of the consortium.
	#[error(
		"{account} is not a member's account: only members transact on SmartBlocks; apply for \
		 membership first, or sign with an account your organisation has registered"
	)]
	NotAMember { account: subxt::utils::AccountId32 },
	/// The signer's member is suspended.
	#[error("{account} acts for a suspended member: the council must reinstate it first")]
	MemberSuspended { account: subxt::utils::AccountId32 },
	/// A peer id that is not the base58 text nodes log (`12D3KooW…`).
	#[error("`{peer_id}` is not a peer id: {reason} (copy it from the node's log line \"Local node identity is: …\")")]
	InvalidPeerId { peer_id: String, reason: String },
	/// A wallet's signature that cannot be the account's signature of the transaction.
	#[error("the wallet's signature is refused: {reason}")]
	WalletSignature { reason: String },
	/// The node refused the transaction for another reason.
	#[error("the node refused the transaction: {reason}")]
	Refused { reason: String },
	/// A batch of readings larger than the chain takes.
	#[error("a batch holds at most {max} readings, this one {len}: split it")]
	BatchTooLarge { len: usize, max: u32 },
	/// The node refused a batch of readings (or a skip) at the pool.
	#[error("the node refused the batch of readings: {reason}")]
	ReadingsRefused { reason: &'static str, refusal: crate::meters::PoolRefusal },
	/// The pool already holds the batch's readings (sent before, or in another batch).
	#[error("the node already holds these readings in its pool")]
	AlreadyInPool,
	/// The pool refused this very transaction lately and will not look at it again for a while
	/// (Substrate bans a refused transaction's hash for 30 minutes).
	#[error("the node refused this transaction lately and will not look at it again for a while")]
	Banned,
	/// The node closed a subscription.
	#[error("the node closed the block subscription")]
	StreamEnded,
}

impl ClientError {
	/// Wraps any subxt error with what the client was doing.
	pub(crate) fn chain<E: Into<subxt::Error>>(context: &'static str) -> impl FnOnce(E) -> Self {
		move |e| Self::Chain { context, source: Box::new(e.into()) }
	}
}

impl crate::Client {
	/// The name of a dispatch error as the runtime's metadata gives it
	/// (`CouncilTooSmall (Registry)`), else the error as the chain encoded it.
	pub async fn error_name(
		&self,
		error: &crate::chain::runtime_types::sp_runtime::DispatchError,
	) -> String {
		use crate::chain::runtime_types::sp_runtime::DispatchError;
		if let DispatchError::Module(module) = error {
			if let Ok(at) = self.latest().await {
				let metadata = at.metadata();
				let pallet = metadata.pallet_by_error_index(module.index);
				if let Some((pallet, variant)) = pallet
					.and_then(|p| p.error_variant_by_index(module.error[0]).map(|v| (p.name(), v)))
				{
					return format!("{} ({pallet})", variant.name);
				}
			}
		}
		format!("{error:?}")
	}
}
