//! The off-chain worker that pulls readings from bridges: a member's node configured with the
//! addresses of its buildings' bridges (node flag `--meter-bridge URL`, or offchain storage at
//! [`BRIDGES_KEY`] set over RPC with `offchain_localStorageSet`) fetches each bridge's pending
//! signed readings (`GET {url}/pending?limit=N`, SCALE `Vec<SignedReading>`) and submits them as
//! the general transactions `submit_readings` authorizes by the readings' own signatures. So a
//! building whose bridge reaches only its owner's node needs no account key on site, and the
//! node needs none either.
//!
//! Each reading is first judged alone by the pool's own rule ([`Pallet::authorize_readings`]):
//! stale ones (already on chain), those of unknown or inactive meters, those with a bad
//! signature or that dispatch would refuse are left out, with the meter's readings after them,
//! so one of them cannot make a whole batch invalid. Batches hold at most a block's allowance of
//! any one meter ([`batches`]). The pool then
//! refuses what it already holds (each reading provides its own tag), so pulling the same
//! pending readings again in the next block adds nothing. A bridge is pulled at most once per
//! block: the block is claimed in offchain storage before fetching, so overlapping workers do
//! not pull it twice.

use crate::{
	authorize::BatchLimits,
	pallet::*,
	types::{MeterId, SignedReading},
};
use alloc::{collections::BTreeMap, format, string::String, vec::Vec};
use codec::DecodeLimit;
use frame_support::traits::Get;
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use sp_runtime::{
	offchain::{
		storage::{MutateStorageError, StorageValueRef},
		StorageKind,
	},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

/// The offchain-storage key (persistent kind) of the bridges this node pulls readings from:
/// UTF-8 text, one bridge per line: its base URL (`http://10.1.2.3:8088`) and, for a bridge
/// that requires one, after a space the token its requests bear; empty lines and lines starting
/// with `#` are ignored.
pub const BRIDGES_KEY: &[u8] = b"smartblocks::meters::bridges";
/// The log target of the worker's messages.
const LOG_TARGET: &str = "meters-worker";
/// How long one pull may take.
const PULL_DEADLINE_MS: u64 = 5_000;
/// Batches pulled from one bridge per block.
const BATCHES_PER_PULL: u32 = 4;
/// The most readings a bridge serves per request.
const BRIDGE_LIMIT: u32 = 4_096;
/// Prefix of the offchain-storage key holding the last block a bridge was pulled at.
const PULLED_PREFIX: &[u8] = b"smartblocks::meters::pulled::";
/// Nesting depth allowed when decoding a bridge's answer (a vector of flat structs).
const DECODE_DEPTH: u32 = 8;

/// The bridges in `text`: each one's base URL without a trailing slash, and its token if any.
pub fn parse_bridges(text: &str) -> Vec<(&str, Option<&str>)> {
	text.lines()
		.map(str::trim)
		.filter(|line| !line.is_empty() && !line.starts_with('#'))
		.filter_map(|line| {
			let mut fields = line.split_whitespace();
			Some((fields.next()?.trim_end_matches('/'), fields.next()))
		})
		.collect()
}

/// `readings`, each meter's numbered consecutively and in order, in batches of at most
/// `max_batch` holding at most `per_meter` of any one meter (what a block judges of it): the
/// k-th round of batches takes each meter's k-th run, so a batch's runs follow the runs of the
/// round before, whose tags they require in the pool.
pub fn batches(
	readings: Vec<SignedReading>,
	max_batch: usize,
	per_meter: usize,
) -> Vec<Vec<SignedReading>> {
	let (max_batch, per_meter) = (max_batch.max(1), per_meter.max(1));
	let mut rounds: Vec<Vec<SignedReading>> = Vec::new();
	let mut taken: BTreeMap<MeterId, usize> = BTreeMap::new();
	for reading in readings {
		let count = taken.entry(reading.reading.meter).or_default();
		let round = *count / per_meter;
		*count += 1;
		if rounds.len() <= round {
			rounds.resize_with(round + 1, Vec::new);
		}
		if let Some(batch) = rounds.get_mut(round) {
			batch.push(reading);
		}
	}
	rounds
		.into_iter()
		.flat_map(|round| round.chunks(max_batch).map(<[_]>::to_vec).collect::<Vec<_>>())
		.collect()
}

/// What one pull from a bridge came to.
#[derive(Default)]
struct Pulled {
	served: usize,
	left_out: usize,
	batches: usize,
	refused: usize,
}

impl<T: Config> Pallet<T> {
	/// Pulls every configured bridge not yet pulled at `block`.
	pub(crate) fn pull_bridges(block: BlockNumberFor<T>) {
		let Some(text) = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, BRIDGES_KEY)
		else {
			return;
		};
		let Ok(text) = core::str::from_utf8(&text) else {
			log::error!(target: LOG_TARGET, "the bridges in offchain storage are not UTF-8 text");
			return;
		};
		for (url, token) in parse_bridges(text) {
			if !Self::claim_pull(url, block) {
				continue;
			}
			match Self::pull(url, token) {
				Ok(pulled) if pulled.served > 0 => log::info!(
					target: LOG_TARGET,
					"{url}: {} pending readings served, {} left out, {} batches submitted, {} \
					 refused by the pool",
					pulled.served,
					pulled.left_out,
					pulled.batches,
					pulled.refused
				),
				Ok(_) => {}
				Err(error) => log::warn!(target: LOG_TARGET, "{url}: {error}"),
			}
		}
	}

	/// Whether `url` is still to be pulled at `block`; if so, `block` is claimed for it.
	fn claim_pull(url: &str, block: BlockNumberFor<T>) -> bool {
		let key = [PULLED_PREFIX, &sp_io::hashing::twox_128(url.as_bytes())].concat();
		let claimed = StorageValueRef::persistent(&key).mutate(
			|pulled: Result<Option<BlockNumberFor<T>>, _>| match pulled {
				Ok(Some(pulled)) if pulled >= block => Err(()),
				_ => Ok(block),
			},
		);
		match claimed {
			Ok(_) => true,
			Err(MutateStorageError::ValueFunctionFailed(())) => false,
			// Another worker is claiming it right now.
			Err(MutateStorageError::ConcurrentModification(_)) => false,
		}
	}

	/// Fetches `url`'s pending readings and submits those the pool would take, in batches.
	fn pull(url: &str, token: Option<&str>) -> Result<Pulled, String> {
		let max_batch = T::MaxBatch::get();
		let limit = max_batch.saturating_mul(BATCHES_PER_PULL).min(BRIDGE_LIMIT);
		let mut readings = Self::fetch(&format!("{url}/pending?limit={limit}"), token)?;
		let mut pulled = Pulled { served: readings.len(), ..Pulled::default() };
		// A bridge that serves more than asked gets what was asked for looked at.
		pulled.left_out = readings.len().saturating_sub(limit as usize);
		readings.truncate(limit as usize);
		// Each meter's readings as served, judged together as the pool judges a batch.
		let mut runs: Vec<(MeterId, Vec<SignedReading>)> = Vec::new();
		for reading in readings {
			let meter = reading.reading.meter;
			match runs.iter_mut().find(|(of, _)| *of == meter) {
				Some((_, run)) => run.push(reading),
				None => runs.push((meter, Vec::from([reading]))),
			}
		}
		let whole = BatchLimits { readings: usize::MAX, per_meter: u32::MAX };
		let mut valid: Vec<SignedReading> = Vec::new();
		for (_, mut run) in runs {
			while !run.is_empty() {
				match Self::validate_batch(TransactionSource::Local, &run, whole) {
					Ok(_) => break,
					// Already on chain: the bridge has not learnt it yet.
					Err((0, TransactionValidityError::Invalid(InvalidTransaction::Stale))) => {
						run.remove(0);
						pulled.left_out += 1;
					}
					// The pool would refuse it, and the meter's later readings wait for it.
					Err((index, _)) => {
						pulled.left_out += run.len() - index;
						run.truncate(index);
						break;
					}
				}
			}
			valid.extend(run);
		}
		let per_meter = T::MaxIngestPerBlock::get() as usize;
		for batch in batches(valid, max_batch as usize, per_meter)
			.into_iter()
			.take(BATCHES_PER_PULL as usize)
		{
			let call = Call::<T>::submit_readings { readings: batch };
			let transaction = T::create_authorized_transaction(call.into());
			match SubmitTransaction::<T, Call<T>>::submit_transaction(transaction) {
				Ok(()) => pulled.batches += 1,
				Err(()) => pulled.refused += 1,
			}
		}
		Ok(pulled)
	}

	/// GETs `url`, bearing `token` if given, and decodes its body as `Vec<SignedReading>`.
	fn fetch(url: &str, token: Option<&str>) -> Result<Vec<SignedReading>, String> {
		let bearer = token.map(|token| format!("Bearer {token}"));
		let mut headers = Vec::from([("Accept", "application/octet-stream")]);
		headers.extend(bearer.as_deref().map(|bearer| ("Authorization", bearer)));
		let body = smartblocks_primitives::offchain::get_with(
			url,
			&headers,
			PULL_DEADLINE_MS,
			smartblocks_primitives::offchain::MAX_BODY,
		)?;
		let mut input = &body[..];
		let readings = Vec::<SignedReading>::decode_with_depth_limit(DECODE_DEPTH, &mut input)
			.map_err(|e| format!("the answer is not SCALE Vec<SignedReading>: {e}"))?;
		if !input.is_empty() {
			return Err(format!("{} bytes follow the readings", input.len()));
		}
		Ok(readings)
	}
}
