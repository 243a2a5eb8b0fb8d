//! Signed readings: judging each one, counting the accepted ones, authorizing batches that no
//! account signs, and the weight of a batch.

use crate::{aggregation::Ledger, pallet::*, types::*, Event, WeightInfo};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	pallet_prelude::*,
	traits::Get,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Verify, Zero};

/// Custom `InvalidTransaction` codes of batches refused at the pool.
pub mod authorize_codes {
	/// A reading names no registered meter.
	pub const UNKNOWN_METER: u8 = 10;
	/// A reading's meter is suspended or retired.
	pub const METER_NOT_ACTIVE: u8 = 11;
	/// The batch is empty.
	pub const EMPTY_BATCH: u8 = 12;
	/// The batch holds more than `MaxBatch` readings.
	pub const BATCH_TOO_LARGE: u8 = 13;
}

/// The pool tag of a meter's reading with `sequence`.
fn reading_tag(meter: MeterId, sequence: u64) -> Vec<u8> {
	(b"meters/reading", meter, sequence).encode()
}

/// The bytes a meter's device key signs: `SCALE((genesis_hash, reading))`.
pub fn signing_payload<Hash: Encode>(genesis_hash: &Hash, reading: &Reading) -> Vec<u8> {
	(genesis_hash, reading).encode()
}

/// The hash chain after `reading`: `blake2_256(head ++ SCALE(reading))`, one longer.
pub fn chain_next(chain: &HashChain, reading: &Reading) -> HashChain {
	let mut bytes = Vec::with_capacity(32 + Reading::max_encoded_len());
	bytes.extend_from_slice(chain.head.as_bytes());
	reading.encode_to(&mut bytes);
	HashChain {
		head: sp_io::hashing::blake2_256(&bytes).into(),
		length: chain.length.saturating_add(1),
	}
}

/// A group of readings left its meter's record as it was, so it is not written back.
struct Unchanged;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_submit_readings(
		relay: Option<T::AccountId>,
		readings: Vec<SignedReading>,
	) -> DispatchResultWithPostInfo {
		if let Some(relay) = &relay {
			Self::acting_member(relay)?;
		}
		ensure!(!readings.is_empty(), Error::<T>::EmptyBatch);
		ensure!(readings.len() <= T::MaxBatch::get() as usize, Error::<T>::BatchTooLarge);
		// An authorized batch had every signature checked by `authorize_readings` in this same
		// transaction's validation, against this same state; a relayed one has not.
		let verify = relay.is_some();
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let now = Self::now();

		let mut runs = Vec::new();
		let mut loads = 0u32;
		let mut closures = 0u32;
		for group in readings.chunk_by(|a, b| a.reading.meter == b.reading.meter) {
			loads = loads.saturating_add(1);
			let closed = Self::judge_group(group, &genesis, now, verify, &mut runs);
			closures = closures.saturating_add(closed);
		}
		if !runs.is_empty() {
			Self::deposit_event(Event::ReadingsAccepted { runs });
		}

		let judged = readings.len() as u32;
		let base = match (verify, loads > 1) {
			(false, _) => T::WeightInfo::submit_authorized_readings(judged),
			(true, false) => T::WeightInfo::submit_readings_one_meter(judged),
			(true, true) => T::WeightInfo::submit_readings_many_meters(judged),
		};
		Ok(PostDispatchInfo {
			actual_weight: Some(base.saturating_add(Self::closure_weight(closures))),
			pays_fee: if verify { Pays::Yes } else { Pays::No },
		})
	}

	/// Judges consecutive readings of one meter against its record, read once and written back
	/// once if any of them changed it. Returns the periods and days the accepted ones closed.
	fn judge_group(
		group: &[SignedReading],
		genesis: &T::Hash,
		now: Moment,
		verify: bool,
		runs: &mut Vec<AcceptedRun>,
	) -> u32 {
		let Some(first) = group.first() else { return 0 };
		let id = first.reading.meter;
		let mut closures = 0u32;
		// `Err(Unchanged)` leaves storage as it was: no write for a run that changed nothing.
		let _ = Meters::<T>::try_mutate_exists(id, |slot| {
			let Some(record) = slot.as_mut() else {
				for signed in group {
					Self::refuse(&signed.reading, RefusalReason::UnknownMeter);
				}
				return Err(Unchanged);
			};
			let mut changed = false;
			for signed in group {
				let reading = &signed.reading;
				match Self::judge(record, signed, genesis, now, verify) {
					Ok(energy) => {
						let closed = Self::accept(id, record, reading, energy, now);
						closures = closures.saturating_add(closed);
						changed = true;
						match runs.last_mut() {
							Some(run) if run.meter == id => {
								run.count = run.count.saturating_add(1);
								run.last_sequence = reading.sequence;
							}
							_ => runs.push(AcceptedRun {
								meter: id,
								count: 1,
								last_sequence: reading.sequence,
							}),
						}
					}
					Err((reason, spends_sequence)) => {
						if spends_sequence {
							record.last_sequence = Some(reading.sequence);
							record.refused = record.refused.saturating_add(1);
							changed = true;
						}
						Self::refuse(reading, reason);
					}
				}
			}
			if changed {
				Ok(())
			} else {
				Err(Unchanged)
			}
		});
		closures
	}

	/// Whether a reading counts: `Ok` with the energy it adds (Wh), or why not and whether its
	/// sequence number is spent (it is once the device's signature has been seen, so a refused
	/// reading cannot be sent again).
	fn judge(
		record: &Meter,
		signed: &SignedReading,
		genesis: &T::Hash,
		now: Moment,
		verify: bool,
	) -> Result<u64, (RefusalReason, bool)> {
		let reading = &signed.reading;
		if verify
			&& !signed
				.signature
				.verify(&signing_payload(genesis, reading)[..], &record.spec.device_key)
		{
			return Err((RefusalReason::BadSignature, false));
		}
		if record.last_sequence.is_some_and(|last| reading.sequence <= last) {
			return Err((RefusalReason::SequenceNotIncreasing, false));
		}
		let refuse = |reason| Err((reason, true));
		if record.status != MeterStatus::Active {
			return refuse(RefusalReason::MeterNotActive);
		}
		if reading.timestamp > now.saturating_add(T::MaxClockDrift::get()) {
			return refuse(RefusalReason::TimestampInFuture);
		}
		if record.last.is_some_and(|last| reading.timestamp <= last.timestamp) {
			return refuse(RefusalReason::TimestampNotIncreasing);
		}
		if let Some(temperature) = reading.temperature {
			if !(T::MinTemperature::get()..=T::MaxTemperature::get()).contains(&temperature) {
				return refuse(RefusalReason::ImplausibleTemperature);
			}
		}
		let spec = &record.spec;
		if !spec.kind.measures_energy() {
			return match reading.temperature {
				Some(_) => Ok(0),
				None => refuse(RefusalReason::MissingTemperature),
			};
		}
		if reading.demand.is_some_and(|demand| demand > spec.max_power) {
			return refuse(RefusalReason::ImplausibleDemand);
		}
		let Some(last) = record.last else { return Ok(0) };
		let energy = match Self::energy_between(record, last.register, reading.register) {
			Ok(energy) => energy,
			Err(reason) => return refuse(reason),
		};
		// Mean power in W over the interval: Wh · 3 600 000 ms/h ÷ ms. The timestamp check above
		// makes the interval positive.
		let elapsed = u128::from(reading.timestamp - last.timestamp);
		if u128::from(energy) * 3_600_000 > u128::from(spec.max_power) * elapsed {
			return refuse(RefusalReason::ImplausiblePower);
		}
		Ok(energy)
	}

	/// Watt-hours between two raw register values of a meter.
	pub(crate) fn energy_between(record: &Meter, from: u64, to: u64) -> Result<u64, RefusalReason> {
		let steps = to.checked_sub(from).ok_or(RefusalReason::RegisterDecreased)?;
		steps.checked_mul(u64::from(record.spec.multiplier)).ok_or(RefusalReason::EnergyOverflow)
	}

	/// Counts an accepted reading; returns the periods and days it wrote.
	fn accept(id: MeterId, record: &mut Meter, reading: &Reading, energy: u64, now: Moment) -> u32 {
		let previous = record.last;
		let measures_energy = record.spec.kind.measures_energy();
		let mut ledger = Ledger::<T>::new(id, record, now);
		match (previous, measures_energy) {
			(None, true) => ledger.open_first(reading.timestamp),
			(None, false) => {
				ledger.open_first(reading.timestamp);
				ledger.advance_without_energy(reading.timestamp);
			}
			(Some(last), true) => ledger.advance_energy(last.timestamp, reading.timestamp, energy),
			(Some(_), false) => ledger.advance_without_energy(reading.timestamp),
		}
		ledger.record_reading(reading);
		let closures = ledger.closures;
		record.last =
			Some(LastReading { timestamp: reading.timestamp, register: reading.register });
		record.last_sequence = Some(reading.sequence);
		closures
	}

	fn refuse(reading: &Reading, reason: RefusalReason) {
		Self::deposit_event(Event::ReadingRefused {
			meter: reading.meter,
			sequence: reading.sequence,
			reason,
		});
	}

	/// Validity in the pool of a batch no account signed: every reading must be from a known
	/// active meter, signed by its device key and new; the batch provides a tag per reading.
	///
	/// A meter's batches must reach blocks in sequence order (a later one applied first would
	/// leave the earlier one's readings stale), and the pool orders equal-priority transactions
	/// by validation time, which revalidation changes. So, as an account's nonce does, a batch
	/// whose first reading of a meter does not follow the meter's last sequence on chain
	/// requires the tag of the sequence before it: it waits in the pool until that reading's
	/// batch is in a block. Bridges number a meter's readings consecutively.
	pub(crate) fn authorize_readings(
		_source: TransactionSource,
		readings: &Vec<SignedReading>,
	) -> TransactionValidityWithRefund {
		let invalid = |code| TransactionValidityError::Invalid(InvalidTransaction::Custom(code));
		if readings.is_empty() {
			return Err(invalid(authorize_codes::EMPTY_BATCH));
		}
		if readings.len() > T::MaxBatch::get() as usize {
			return Err(invalid(authorize_codes::BATCH_TOO_LARGE));
		}
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		// Each meter's key and last sequence, advanced as the batch goes.
		let mut meters: BTreeMap<MeterId, (sp_core::sr25519::Public, Option<u64>)> =
			BTreeMap::new();
		let mut provides = Vec::with_capacity(readings.len());
		let mut requires = Vec::new();
		for signed in readings {
			let reading = &signed.reading;
			let (key, last_sequence) = match meters.get_mut(&reading.meter) {
				Some(known) => known,
				None => {
					let record = Meters::<T>::get(reading.meter)
						.ok_or(invalid(authorize_codes::UNKNOWN_METER))?;
					if record.status != MeterStatus::Active {
						return Err(invalid(authorize_codes::METER_NOT_ACTIVE));
					}
					let follows_chain = record
						.last_sequence
						.is_none_or(|last| reading.sequence <= last.saturating_add(1));
					if !follows_chain {
						let before = reading.sequence.saturating_sub(1);
						requires.push(reading_tag(reading.meter, before));
					}
					meters
						.entry(reading.meter)
						.or_insert((record.spec.device_key, record.last_sequence))
				}
			};
			if !signed.signature.verify(&signing_payload(&genesis, reading)[..], &*key) {
				return Err(InvalidTransaction::BadProof.into());
			}
			if last_sequence.is_some_and(|last| reading.sequence <= last) {
				return Err(InvalidTransaction::Stale.into());
			}
			*last_sequence = Some(reading.sequence);
			provides.push(reading_tag(reading.meter, reading.sequence));
		}
		let validity = ValidTransaction {
			priority: T::AuthorizedPriority::get(),
			requires,
			provides,
			longevity: T::AuthorizedLongevity::get(),
			propagate: true,
		};
		Ok((validity, Weight::zero()))
	}

	/// Readings of a batch of `len` that are charged for: at most `MaxBatch`.
	pub(crate) fn batch_len(len: usize) -> u32 {
		u32::try_from(len).unwrap_or(u32::MAX).min(T::MaxBatch::get())
	}

	/// The weight a batch of `len` readings may take before it runs: every reading from its own
	/// meter and closing the most periods and days it can.
	pub(crate) fn submit_weight_limit(len: usize) -> Weight {
		let n = Self::batch_len(len);
		// A reading closes its open period, the periods it spreads over and up to two days.
		let closures = n.saturating_mul(T::MaxSpreadPeriods::get().saturating_add(3));
		T::WeightInfo::submit_readings_many_meters(n)
			.max(T::WeightInfo::submit_readings_one_meter(n))
			.saturating_add(Self::closure_weight(closures))
	}

	/// What writing `closures` periods and days adds to a batch's weight.
	fn closure_weight(closures: u32) -> Weight {
		T::WeightInfo::close_periods(closures).saturating_sub(T::WeightInfo::close_periods(0))
	}
}
