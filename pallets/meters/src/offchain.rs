//! The off-chain worker that pulls readings from bridges: a member's node configured with the
//! addresses of its buildings' bridges (node flag `--meter-bridge URL`, or offchain storage at
//! [`BRIDGES_KEY`] set over RPC with `offchain_localStorageSet`) fetches each bridge's pending
//! signed readings (`GET {url}/pending?limit=N`, SCALE `Vec<SignedReading>`) and submits them as
//! the general transactions `submit_readings` authorizes by the readings' own signatures. So a
//! building whose bridge reaches only its owner's node needs no account key on site, and the
//! node needs none either.
//!
//! Each reading is first judged alone by the pool's own rule ([`Pallet::authorize_readings`]):
//! stale ones (already on chain), those of unknown or inactive meters and those with a bad
//! signature are left out, so one of them cannot make a whole batch invalid; the pool then
//! refuses what it already holds (each reading provides its own tag), so pulling the same
//! pending readings again in the next block adds nothing. A bridge is pulled at most once per
//! block: the block is claimed in offchain storage before fetching, so overlapping workers do
//! not pull it twice.

use crate::{pallet::*, types::SignedReading};
use alloc::{format, string::String, vec::Vec};
use codec::DecodeLimit;
use frame_support::traits::Get;
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use sp_runtime::{
	offchain::{
		storage::{MutateStorageError, StorageValueRef},
		StorageKind,
	},
	transaction_validity::TransactionSource,
};

/// The offchain-storage key (persistent kind) of the bridges this node pulls readings from:
/// UTF-8 text, one base URL per line (`http://10.1.2.3:8088`); empty lines and lines starting
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

/// The bridges' base URLs in `text`, without trailing slashes.
pub fn parse_bridges(text: &str) -> Vec<&str> {
	text.lines()
		.map(str::trim)
		.filter(|line| !line.is_empty() && !line.starts_with('#'))
		.map(|line| line.trim_end_matches('/'))
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
		for url in parse_bridges(text).into_iter().filter(|url| Self::claim_pull(url, block)) {
			match Self::pull(url) {
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
	fn pull(url: &str) -> Result<Pulled, String> {
		let max_batch = T::MaxBatch::get();
		let limit = max_batch.saturating_mul(BATCHES_PER_PULL).min(BRIDGE_LIMIT);
		let readings = Self::fetch(&format!("{url}/pending?limit={limit}"))?;
		let mut pulled = Pulled { served: readings.len(), ..Pulled::default() };
		let mut valid: Vec<SignedReading> = Vec::with_capacity(readings.len());
		for reading in readings {
			let alone = Vec::from([reading]);
			if Self::authorize_readings(TransactionSource::Local, &alone).is_ok() {
				valid.extend(alone);
			} else {
				pulled.left_out += 1;
			}
		}
		// The bridge serves each meter's readings oldest first; chunks keep that order, and a
		// batch that follows another in the pool requires its tags.
		for chunk in valid.chunks(max_batch as usize) {
			let call = Call::<T>::submit_readings { readings: chunk.to_vec() };
			let transaction = T::create_authorized_transaction(call.into());
			match SubmitTransaction::<T, Call<T>>::submit_transaction(transaction) {
				Ok(()) => pulled.batches += 1,
				Err(()) => pulled.refused += 1,
			}
		}
		Ok(pulled)
	}

	/// GETs `url` and decodes its body as `Vec<SignedReading>`.
	fn fetch(url: &str) -> Result<Vec<SignedReading>, String> {
		let body = smartblocks_primitives::offchain::get(
			url,
			"application/octet-stream",
			PULL_DEADLINE_MS,
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
