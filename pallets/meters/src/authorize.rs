//! Validity in the pool of what no account signs: batches of readings authorized by their
//! device signatures, and devices' skips. The pool admits only what dispatch will judge and
//! accept, by the same checks against the same state ([`crate::readings`]).

use crate::{
	pallet::*,
	readings::{OutOfTurn, Owner},
	types::*,
};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{pallet_prelude::*, traits::Get};
use pallet_registry::MemberId;

/// Custom `InvalidTransaction` codes of batches and skips refused at the pool.
pub mod authorize_codes {
	use crate::types::RefusalReason;

	/// A reading or skip names no registered meter.
	pub const UNKNOWN_METER: u8 = 10;
	/// A reading's meter is suspended (its readings wait until it is reinstated).
	pub const METER_NOT_ACTIVE: u8 = 11;
	/// The batch is empty.
	pub const EMPTY_BATCH: u8 = 12;
	/// The batch holds more than `MaxBatch` readings.
	pub const BATCH_TOO_LARGE: u8 = 13;
	/// A reading's meter belongs to a suspended or retired member (its readings wait).
	pub const OWNER_NOT_ACTIVE: u8 = 14;
	/// One meter's readings in the batch are not numbered consecutively.
	pub const NOT_CONSECUTIVE: u8 = 15;
	/// The batch holds more of one meter's (or one member's) readings than a block may judge.
	pub const OVER_ALLOWANCE: u8 = 16;
	/// A reading is timestamped further ahead of the chain's clock than the drift allowed; it
	/// may be valid later.
	pub const TIMESTAMP_AHEAD: u8 = 17;
	/// A skip's last number is below its first, or more than `MAX_SKIP` above it.
	pub const INVALID_SKIP: u8 = 18;
	/// The meter is retired: its readings will never count.
	pub const METER_RETIRED: u8 = 19;
	/// The batch starts further ahead of the meter's next number than the pool keeps waiting.
	pub const TOO_FAR_AHEAD: u8 = 20;
	/// Codes from this one up: a reading dispatch would refuse, `REFUSED + reason as u8`.
	pub const REFUSED: u8 = 32;

	/// The code of a batch holding a reading dispatch would refuse for `reason`.
	pub const fn refused(reason: RefusalReason) -> u8 {
		REFUSED + reason as u8
	}
}

/// How many blocks' allowance of a meter's readings may wait in the pool ahead of what the
/// chain has: a bridge sends one run at a time, and no sender can fill the pool with one
/// meter's far-future numbers.
pub const WAITING_BLOCKS: u64 = 8;

/// The pool tag of a meter's reading (or skip ending) with `sequence`.
pub(crate) fn reading_tag(meter: MeterId, sequence: u64) -> Vec<u8> {
	(b"meters/reading", meter, sequence).encode()
}

/// How many readings a batch may hold, in all and of one meter.
#[derive(Clone, Copy)]
pub(crate) struct BatchLimits {
	pub readings: usize,
	pub per_meter: u32,
}

/// A meter's record as a batch under authorization would leave it.
struct Draft {
	record: Meter,
	/// Whether `record` is the state the next reading is judged against; not for the first
	/// reading of a batch that waits for earlier ones, whose state is not on chain yet.
	exact: bool,
	/// The number the meter's next reading in the batch must carry.
	next: Option<u64>,
	/// The meter's readings in the batch so far.
	count: u32,
}

fn invalid(code: u8) -> TransactionValidityError {
	TransactionValidityError::Invalid(InvalidTransaction::Custom(code))
}

impl<T: Config> Pallet<T> {
	/// Validity in the pool of a batch no account signed: dispatch must judge every reading
	/// in it (its meter's turn, the meter and its owner active, consecutive numbers, within the
	/// meter's and the owner's allowance per block, signed by the device key, not ahead of the
	/// chain's clock) and accept it (the checks of [`Self::judge`] against the meter's state as
	/// the batch advances it). The batch provides a tag per reading.
	///
	/// A meter's batches must reach blocks in sequence order, and the pool orders equal-priority
	/// transactions by validation time, which revalidation changes. So, as an account's nonce
	/// does, a batch whose first reading of a meter does not follow the meter's last sequence on
	/// chain requires the tag of the sequence before it: it waits in the pool until that
	/// reading's batch is in a block, for at most [`WAITING_BLOCKS`] of the meter's allowance.
	/// In a block (`TransactionSource::InBlock`) such a batch is invalid, and so is one that would
	/// take a meter or member over its allowance in the block (`ExhaustsResources`, so block
	/// authors leave it for the next block): no block holds readings out of turn or over the
	/// bound for free.
	// `#[pallet::authorize]` passes the call's arguments by reference as they are declared.
	#[allow(clippy::ptr_arg)]
	pub(crate) fn authorize_readings(
		source: TransactionSource,
		readings: &Vec<SignedReading>,
	) -> TransactionValidityWithRefund {
		let limits = BatchLimits {
			readings: T::MaxBatch::get() as usize,
			per_meter: T::MaxIngestPerBlock::get(),
		};
		let charged = Self::owners_weight(Self::batch_len(readings.len()));
		match Self::validate_batch(source, readings, limits) {
			// Charged for as many members as readings; what fewer members did not use goes back.
			Ok((validity, owners)) => {
				Ok((validity, charged.saturating_sub(Self::owners_weight(owners))))
			}
			Err((_, error)) => Err(error),
		}
	}

	/// [`Self::authorize_readings`] within `limits`, with the number of members whose meters the
	/// batch reads; a refusal comes with the index of the reading that made the batch invalid
	/// (0 for the batch as a whole). The checks that need no signature run over the whole batch
	/// first, so a batch that fails them costs no signature check.
	pub(crate) fn validate_batch(
		source: TransactionSource,
		readings: &[SignedReading],
		limits: BatchLimits,
	) -> Result<(ValidTransaction, u32), (usize, TransactionValidityError)> {
		use authorize_codes::*;
		if readings.is_empty() {
			return Err((0, invalid(EMPTY_BATCH)));
		}
		if readings.len() > limits.readings {
			return Err((0, invalid(BATCH_TOO_LARGE)));
		}
		let in_block = source == TransactionSource::InBlock;
		let block = Self::block_index();
		let per_owner = T::MaxIngestPerOwnerPerBlock::get();
		let mut drafts: BTreeMap<MeterId, Draft> = BTreeMap::new();
		let mut owners: BTreeMap<MemberId, (Owner, u32)> = BTreeMap::new();
		let mut requires = Vec::new();
		// First what needs no signature: every reading's turn and the allowances.
		for (index, signed) in readings.iter().enumerate() {
			let at = |error| (index, error);
			let reading = &signed.reading;
			let draft = match drafts.entry(reading.meter) {
				alloc::collections::btree_map::Entry::Occupied(entry) => {
					let draft = entry.into_mut();
					if draft.next != Some(reading.sequence) {
						return Err(at(invalid(NOT_CONSECUTIVE)));
					}
					draft
				}
				alloc::collections::btree_map::Entry::Vacant(entry) => {
					let record =
						Meters::<T>::get(reading.meter).ok_or(at(invalid(UNKNOWN_METER)))?;
					let owner = owners
						.entry(record.owner)
						.or_insert_with(|| (Owner::of::<T>(&record), 0))
						.0;
					Self::authorize_meter(&record, &owner).map_err(at)?;
					let exact = Self::authorize_turn(&record, reading.sequence, &owner, source)
						.map_err(at)?;
					if !exact {
						requires
							.push(reading_tag(reading.meter, reading.sequence.saturating_sub(1)));
					}
					entry.insert(Draft { record, exact, next: None, count: 0 })
				}
			};
			draft.next = reading.sequence.checked_add(1);
			draft.count = draft.count.saturating_add(1);
			let (owner, count) =
				owners.get_mut(&draft.record.owner).ok_or(at(invalid(UNKNOWN_METER)))?;
			*count = count.saturating_add(1);
			if draft.count > limits.per_meter || *count > per_owner {
				return Err(at(invalid(OVER_ALLOWANCE)));
			}
			let meter_full =
				draft.record.ingest.count_in(block).saturating_add(draft.count) > limits.per_meter;
			let owner_full = owner.ingest.count_in(block).saturating_add(*count) > per_owner;
			if in_block && (meter_full || owner_full) {
				return Err(at(InvalidTransaction::ExhaustsResources.into()));
			}
		}
		// Then signatures, the clock and plausibility, each reading judged against the meter's
		// state as the readings before it in the batch leave it.
		let genesis = Self::genesis();
		let now = Self::now();
		let mut provides = Vec::with_capacity(readings.len());
		for (index, signed) in readings.iter().enumerate() {
			let at = |error| (index, error);
			let reading = &signed.reading;
			let draft = drafts.get_mut(&reading.meter).ok_or(at(invalid(UNKNOWN_METER)))?;
			if !Self::signed_by_device(&draft.record, signed, &genesis) {
				return Err(at(InvalidTransaction::BadProof.into()));
			}
			if Self::ahead(reading, now) {
				// The block's clock is ahead of the parent's the pool judges by: maybe later.
				let error = match in_block {
					true => InvalidTransaction::Future.into(),
					false => invalid(TIMESTAMP_AHEAD),
				};
				return Err(at(error));
			}
			Self::judge(&draft.record, reading, draft.exact)
				.map_err(|reason| at(invalid(refused(reason))))?;
			Self::advance(&mut draft.record, reading);
			draft.exact = true;
			provides.push(reading_tag(reading.meter, reading.sequence));
		}
		let validity = ValidTransaction {
			priority: T::AuthorizedPriority::get(),
			requires,
			provides,
			longevity: T::AuthorizedLongevity::get(),
			propagate: true,
		};
		Ok((validity, owners.len() as u32))
	}

	/// Refuses, at the pool, anything for a meter that is retired (never again), suspended or
	/// whose owner is not an active member (its readings wait until both are active).
	pub(crate) fn authorize_meter(
		record: &Meter,
		owner: &Owner,
	) -> Result<(), TransactionValidityError> {
		use authorize_codes::*;
		match record.status {
			MeterStatus::Active => {}
			MeterStatus::Retired => return Err(invalid(METER_RETIRED)),
			MeterStatus::Suspended | MeterStatus::SuspendedByCouncil => {
				return Err(invalid(METER_NOT_ACTIVE))
			}
		}
		if !owner.active {
			return Err(invalid(OWNER_NOT_ACTIVE));
		}
		Ok(())
	}

	/// Whether something starting at `first` is the meter's turn for the pool: `Ok(true)` if
	/// it follows the chain, `Ok(false)` if it waits for the number before it (within
	/// [`WAITING_BLOCKS`] of allowance, and never in a block), or why not.
	pub(crate) fn authorize_turn(
		record: &Meter,
		first: u64,
		owner: &Owner,
		source: TransactionSource,
	) -> Result<bool, TransactionValidityError> {
		use authorize_codes::*;
		match Self::turn(record, first, Self::block_index(), owner) {
			Ok(()) => Ok(true),
			Err(OutOfTurn::Stale) => Err(InvalidTransaction::Stale.into()),
			Err(OutOfTurn::NotNext) if source == TransactionSource::InBlock => {
				Err(InvalidTransaction::Future.into())
			}
			Err(OutOfTurn::NotNext) => {
				let next = record.next_sequence().unwrap_or(u64::MAX);
				let waiting = u64::from(T::MaxIngestPerBlock::get()).saturating_mul(WAITING_BLOCKS);
				match first.saturating_sub(next) <= waiting {
					true => Ok(false),
					false => Err(invalid(TOO_FAR_AHEAD)),
				}
			}
			Err(OutOfTurn::Inactive) => Err(invalid(METER_NOT_ACTIVE)),
			Err(OutOfTurn::OverAllowance) => Err(InvalidTransaction::ExhaustsResources.into()),
		}
	}
}
