//! The off-chain worker: fetches the node operator's feed sources (see [`crate::sources`]) and
//! submits their values, signed with the node's oracle provider key.
//!
//! Each block, sources whose time has come are fetched; their values for periods the chain takes
//! now, and that this provider has not submitted yet, go into one `submit_values` transaction
//! (one per block: a second would reuse the account's nonce). The key is the node keystore's
//! `orcl` key whose account acts for an active member with the `OracleProvider` role. Each
//! source's next fetch is claimed in offchain storage before fetching, so overlapping workers
//! do not fetch or submit twice.

use crate::{
	pallet::*,
	sources::{parse_sources, FeedSource, SOURCES_KEY},
	types::*,
};
use alloc::{format, string::String, vec::Vec};
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::{
	offchain::{AppCrypto, SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use pallet_registry::{MemberId, MemberRegistry, Role};
use sp_runtime::{
	offchain::{
		storage::{MutateStorageError, StorageValueRef},
		StorageKind,
	},
	traits::{IdentifyAccount, Saturating, Zero},
	RuntimeAppPublic,
};

/// The log target of the worker's messages.
const LOG_TARGET: &str = "oracle-worker";
/// How long one fetch may take.
const FETCH_DEADLINE_MS: u64 = 10_000;
/// Prefix of the offchain-storage key that holds a source's next fetch block.
const DUE_PREFIX: &[u8] = b"smartblocks::oracle::due::";

impl<T: Config> Pallet<T> {
	/// Fetches the sources that are due at `block` and submits their new values.
	pub(crate) fn run_offchain_worker(block: BlockNumberFor<T>) {
		let Some(json) = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, SOURCES_KEY)
		else {
			return;
		};
		let sources = match parse_sources(&json) {
			Ok(sources) => sources,
			Err(error) => {
				log::error!(target: LOG_TARGET, "oracle sources in offchain storage: {error}");
				return;
			}
		};
		let Some((public, provider)) = Self::local_provider() else {
			// Every 50 blocks (5 minutes at 6 s), not every block.
			if (block % 50u32.into()).is_zero() {
				log::warn!(
					target: LOG_TARGET,
					"no `orcl` key in the keystore acts for an active oracle provider; not fetching"
				);
			}
			return;
		};
		let Ok(current) = Self::current_period() else { return };
		let mut batch = Vec::new();
		for source in sources.iter().filter(|source| Self::claim(source, block)) {
			match Self::fetch(source, current) {
				Ok(values) => batch.extend(Self::new_submissions(source, values, provider)),
				Err(error) => log::warn!(target: LOG_TARGET, "{}: {error}", source.url),
			}
		}
		// Two sources of one feed must not put a period in twice: the batch would fail whole.
		batch.sort_by(|a, b| (a.period, &a.feed).cmp(&(b.period, &b.feed)));
		batch.dedup_by(|a, b| a.period == b.period && a.feed == b.feed);
		batch.truncate(T::MaxBatch::get() as usize);
		let Ok(values) = BoundedVec::<_, T::MaxBatch>::try_from(batch) else { return };
		if values.is_empty() {
			return;
		}
		let count = values.len();
		let sent = Signer::<T, T::AuthorityId>::any_account()
			.with_filter(Vec::from([public]))
			.send_signed_transaction(|_| Call::submit_values { values: values.clone() });
		match sent {
			Some((_, Ok(()))) => {
				log::info!(target: LOG_TARGET, "submitted {count} values for member {provider}")
			}
			_ => log::warn!(target: LOG_TARGET, "the pool refused {count} values"),
		}
	}

	/// The first local key whose account acts for an active oracle provider.
	fn local_provider() -> Option<(T::Public, MemberId)> {
		<T::AuthorityId as AppCrypto<T::Public, T::Signature>>::RuntimeAppPublic::all()
			.into_iter()
			.find_map(|key| {
				let generic = <T::AuthorityId as AppCrypto<_, _>>::GenericPublic::from(key);
				let public: T::Public = generic.into();
				let member = T::Members::active_member_of(&public.clone().into_account())?;
				T::Members::has_role(member, Role::OracleProvider).then_some((public, member))
			})
	}

	/// Whether `source` is due at `block`; if so its next fetch is moved `every_blocks` on.
	fn claim(source: &FeedSource, block: BlockNumberFor<T>) -> bool {
		let identity = (source.kind, source.region.as_bytes(), source.url.as_bytes());
		let key = [DUE_PREFIX, &sp_io::hashing::twox_128(&identity.encode())].concat();
		let claimed = StorageValueRef::persistent(&key).mutate(
			|due: Result<Option<BlockNumberFor<T>>, _>| match due {
				Ok(Some(due)) if due > block => Err(()),
				_ => Ok(block.saturating_add(source.every_blocks.into())),
			},
		);
		match claimed {
			Ok(_) => true,
			Err(MutateStorageError::ValueFunctionFailed(())) => false,
			// Another worker is claiming it right now.
			Err(MutateStorageError::ConcurrentModification(_)) => false,
		}
	}

	/// The source's values for the periods the chain takes submissions for now.
	fn fetch(source: &FeedSource, current: PeriodIndex) -> Result<Vec<(PeriodIndex, i64)>, String> {
		let body = smartblocks_primitives::offchain::get(
			&source.url,
			"application/json",
			FETCH_DEADLINE_MS,
		)?;
		let first = current.saturating_sub(T::SubmissionWindow::get());
		let last = match source.kind.known_ahead() {
			true => current.saturating_add(T::MaxLead::get()),
			false => current.saturating_sub(1),
		};
		source
			.read_response(&body, T::PeriodLength::get(), current, first..=last)
			.map_err(|e| format!("{e}"))
	}

	/// The values as submissions, without those `provider` already submitted and those the chain
	/// would refuse as implausible (logged: a wrong `scale` shows up here).
	fn new_submissions(
		source: &FeedSource,
		values: Vec<(PeriodIndex, i64)>,
		provider: MemberId,
	) -> Vec<Submission> {
		let Ok(region) = BoundedVec::try_from(source.region.as_bytes().to_vec()) else {
			return Vec::new();
		};
		let feed = Feed { kind: source.kind, region };
		let (plausible, implausible): (Vec<_>, Vec<_>) =
			values.into_iter().partition(|(_, value)| source.kind.plausible().contains(value));
		if let Some((period, value)) = implausible.first() {
			log::warn!(
				target: LOG_TARGET,
				"{}: {} implausible values dropped, e.g. {value} for period {period}; check `scale`",
				source.url,
				implausible.len(),
			);
		}
		plausible
			.into_iter()
			.filter(|(period, _)| {
				Values::<T>::get(period, &feed).is_none_or(|entry| {
					!entry.submissions.iter().any(|(member, _)| *member == provider)
				})
			})
			.map(|(period, value)| Submission { feed: feed.clone(), period, value })
			.collect()
	}
}
