//! The off-chain worker: fetches the node operator's feed sources (see [`crate::sources`]) and
//! submits their values, signed with the node's oracle provider key.
//!
//! Each block, sources whose time has come are fetched; their values for periods the chain takes
//! now, and that this provider has not submitted yet (or, for forecasts, submitted otherwise),
//! go into one `submit_values` transaction (one per block: a second would reuse the account's
//! nonce); what does not fit goes two blocks later. The key is the node keystore's `orcl` key
//! whose account acts for an active member with the `OracleProvider` role. Each source's next
//! fetch is claimed in offchain storage before fetching, so overlapping workers do not fetch or
//! submit twice.

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
		let mut fetched = Vec::new();
		for source in sources.iter().filter(|source| Self::claim(source, block)) {
			match Self::fetch(source, current) {
				Ok(values) => batch.extend(Self::new_submissions(source, values, provider)),
				Err(error) => log::warn!(target: LOG_TARGET, "{}: {error}", source.url),
			}
			fetched.push(source);
		}
		// Two sources of one feed must not put a period in twice: the batch would fail whole.
		batch.sort_by(|a, b| (a.period, &a.feed).cmp(&(b.period, &b.feed)));
		batch.dedup_by(|a, b| a.period == b.period && a.feed == b.feed);
		if batch.len() > T::MaxBatch::get() as usize {
			// What did not fit goes in two blocks, once this batch is in, not when the sources
			// are next due: a source fetched hourly would otherwise never send its far periods.
			for source in fetched {
				Self::due_by(source, block.saturating_add(2u32.into()));
			}
			batch.truncate(T::MaxBatch::get() as usize);
		}
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

	/// The offchain-storage key of `source`'s next fetch block.
	fn due_key(source: &FeedSource) -> Vec<u8> {
		let identity = (source.kind, source.region.as_bytes(), source.url.as_bytes());
		[DUE_PREFIX, &sp_io::hashing::twox_128(&identity.encode())].concat()
	}

	/// Makes `source` due at `block` at the latest.
	fn due_by(source: &FeedSource, block: BlockNumberFor<T>) {
		// Another worker moving it meanwhile is as good.
		let _ = StorageValueRef::persistent(&Self::due_key(source)).mutate(
			|due: Result<Option<BlockNumberFor<T>>, _>| -> Result<_, ()> {
				Ok(match due {
					Ok(Some(due)) => due.min(block),
					_ => block,
				})
			},
		);
	}

	/// Whether `source` is due at `block`; if so its next fetch is moved `every_blocks` on.
	fn claim(source: &FeedSource, block: BlockNumberFor<T>) -> bool {
		let key = Self::due_key(source);
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
		let open = source.kind.open_periods(current, T::SubmissionWindow::get(), T::MaxLead::get());
		// A forecast of the next period would make the chain refuse the whole batch if the
		// transaction lands after the period turns: the worker leaves that period out.
		let open = match source.kind.timing() {
			Timing::Forecast => open.start().saturating_add(1)..=*open.end(),
			Timing::Observed | Timing::Published => open,
		};
		source
			.read_response(&body, T::PeriodLength::get(), current, open)
			.map_err(|e| format!("{e}"))
	}

	/// The values as submissions, without those `provider` already submitted (forecasts: unless
	/// revised since) and those the chain would refuse as implausible (logged: a wrong `scale`
	/// shows up here).
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
			.filter(|(period, value)| {
				let revisable = feed.kind.timing() == Timing::Forecast;
				Values::<T>::get(period, &feed).is_none_or(|entry| {
					!entry.submissions.iter().any(|(member, submitted)| {
						*member == provider && (!revisable || submitted == value)
					})
				})
			})
			.map(|(period, value)| Submission { feed: feed.clone(), period, value })
			.collect()
	}
}
