//! Signed readings: whose turn a reading is, judging it, counting the accepted ones, and the
//! weight of a batch. (Their validity in the pool is in [`crate::authorize`].)

use crate::{
	aggregation::{Closed, Ledger},
	pallet::*,
	types::*,
	Event, WeightInfo,
};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	ensure,
	pallet_prelude::*,
	traits::Get,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_registry::{MemberId, MemberRegistry};
use sp_runtime::traits::{UniqueSaturatedInto, Verify, Zero};

/// The bytes a meter's device key signs: `SCALE((genesis_hash, reading))`.
pub fn signing_payload<Hash: Encode>(genesis_hash: &Hash, reading: &Reading) -> Vec<u8> {
	(genesis_hash, reading).encode()
}

/// The bytes a meter's device key signs to skip numbers:
/// `SCALE((genesis_hash, SKIP_CONTEXT, skip))`.
pub fn skip_payload<Hash: Encode>(genesis_hash: &Hash, skip: &SequenceSkip) -> Vec<u8> {
	(genesis_hash, SKIP_CONTEXT, skip).encode()
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

/// Whether `energy` Wh over `elapsed` ms means a mean power above `max_power` W.
pub(crate) fn implies_more_than(max_power: u32, energy: u64, elapsed: u64) -> bool {
	// Wh · 3 600 000 ms/h ÷ ms = W; in u128 nothing overflows.
	u128::from(energy) * 3_600_000 > u128::from(max_power) * u128::from(elapsed)
}

/// Why a reading (or skip) is not its meter's turn; nothing about it is recorded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum OutOfTurn {
	/// At or below the meter's last sequence: judged before.
	Stale,
	/// Above the meter's next sequence: a reading before it has not come.
	NotNext,
	/// The meter, or the member owning it, is suspended or retired.
	Inactive,
	/// The meter or its owner has used its allowance of the block.
	OverAllowance,
}

/// The member owning a meter, as judging a reading needs it.
#[derive(Clone, Copy)]
pub(crate) struct Owner {
	pub id: MemberId,
	pub active: bool,
	/// Its meters' readings and skips judged in the block so far.
	pub ingest: BlockIngest,
}

impl Owner {
	/// The owner of `record`, read from the registry and this pallet's counts.
	pub(crate) fn of<T: Config>(record: &Meter) -> Self {
		Owner {
			id: record.owner,
			active: T::Members::is_active(record.owner),
			ingest: OwnerIngest::<T>::get(record.owner),
		}
	}
}

/// The readings of a batch that were not judged.
#[derive(Default)]
struct NotJudged {
	unverified: u32,
	stale: u32,
	waiting: u32,
}

impl NotJudged {
	fn count(&mut self, why: OutOfTurn) {
		let counter = match why {
			OutOfTurn::Stale => &mut self.stale,
			OutOfTurn::NotNext | OutOfTurn::Inactive | OutOfTurn::OverAllowance => {
				&mut self.waiting
			}
		};
		*counter = counter.saturating_add(1);
	}
}

/// A group of readings left its meter's record as it was, so it is not written back.
struct Unchanged;

/// What every reading of a batch is judged with.
struct Judging<'a, Hash> {
	genesis: &'a Hash,
	now: Moment,
	block: u32,
	/// Whether signatures are still to be checked (a relayed batch).
	verify: bool,
}

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
		let genesis = Self::genesis();
		let (now, block) = (Self::now(), Self::block_index());
		let judging = Judging { genesis: &genesis, now, block, verify };

		let mut runs = Vec::new();
		let mut not_judged = NotJudged::default();
		let mut loads = 0u32;
		let mut closed = Closed::default();
		// Each owner's status and count of the block, read once for the batch and its count
		// written once, however many of its meters the batch holds.
		let mut owners = BTreeMap::new();
		for group in readings.chunk_by(|a, b| a.reading.meter == b.reading.meter) {
			loads = loads.saturating_add(1);
			let group_closed =
				Self::judge_group(group, &judging, &mut owners, &mut runs, &mut not_judged);
			closed = closed.add(group_closed);
		}
		for (id, (owner, counted)) in &owners {
			if *counted {
				OwnerIngest::<T>::insert(id, owner.ingest);
			}
		}
		if !runs.is_empty() {
			Self::deposit_event(Event::ReadingsAccepted { runs });
		}
		let NotJudged { unverified, stale, waiting } = not_judged;
		if unverified > 0 || stale > 0 || waiting > 0 {
			Self::deposit_event(Event::ReadingsNotJudged { unverified, stale, waiting });
		}

		let judged = readings.len() as u32;
		let base = match (verify, loads > 1) {
			(false, _) => T::WeightInfo::submit_authorized_readings(judged),
			(true, false) => T::WeightInfo::submit_readings_one_meter(judged),
			// The two fits cross for the smallest batches; several meters cost at least one's.
			(true, true) => T::WeightInfo::submit_readings_many_meters(judged)
				.max(T::WeightInfo::submit_readings_one_meter(judged)),
		};
		let owners = Self::owners_weight(owners.len() as u32);
		Ok(PostDispatchInfo {
			actual_weight: Some(
				base.saturating_add(Self::closure_weight(closed)).saturating_add(owners),
			),
			pays_fee: if verify { Pays::Yes } else { Pays::No },
		})
	}

	/// Judges consecutive readings of one meter against its record, read once and written back
	/// once if any of them changed it, and against its owner in `owners` (loaded on its first
	/// meter; marked when a reading counted against it). Returns the periods and days the accepted
	/// ones closed.
	fn judge_group(
		group: &[SignedReading],
		judging: &Judging<'_, T::Hash>,
		owners: &mut BTreeMap<MemberId, (Owner, bool)>,
		runs: &mut Vec<AcceptedRun>,
		not_judged: &mut NotJudged,
	) -> Closed {
		let Some(first) = group.first() else { return Closed::default() };
		let id = first.reading.meter;
		let mut closed = Closed::default();
		// `Err(Unchanged)` leaves storage as it was: no write for a group that changed nothing.
		let _ = Meters::<T>::try_mutate_exists(id, |slot| {
			let Some(record) = slot.as_mut() else {
				// No key to verify them with: for all the chain knows, forgeries.
				not_judged.unverified = not_judged.unverified.saturating_add(group.len() as u32);
				return Err(Unchanged);
			};
			let (member, counted) =
				owners.entry(record.owner).or_insert_with(|| (Owner::of::<T>(record), false));
			let mut changed = false;
			// Whether the last run in `runs` is this group's and may grow: a refusal ends it, so
			// a run is always the consecutive sequences up to its last.
			let mut run_open = false;
			for signed in group {
				let reading = &signed.reading;
				if let Err(why) = Self::turn(record, reading.sequence, judging.block, member) {
					not_judged.count(why);
					continue;
				}
				if judging.verify && !Self::signed_by_device(record, signed, judging.genesis) {
					not_judged.unverified = not_judged.unverified.saturating_add(1);
					continue;
				}
				// A clock running ahead is the bridge's, not the reading's fault: it waits.
				if Self::ahead(reading, judging.now) {
					not_judged.count(OutOfTurn::NotNext);
					continue;
				}
				record.ingest.count(judging.block);
				member.ingest.count(judging.block);
				*counted = true;
				changed = true;
				match Self::judge(record, reading, true) {
					Ok(energy) => {
						let accepted = Self::accept(id, record, reading, energy, judging.now);
						closed = closed.add(accepted);
						match runs.last_mut() {
							Some(run) if run_open => {
								run.count = run.count.saturating_add(1);
								run.last_sequence = reading.sequence;
							}
							_ => runs.push(AcceptedRun {
								meter: id,
								count: 1,
								last_sequence: reading.sequence,
							}),
						}
						run_open = true;
					}
					Err(reason) => {
						record.last_sequence = Some(reading.sequence);
						record.refused = record.refused.saturating_add(1);
						run_open = false;
						Self::deposit_event(Event::ReadingRefused {
							meter: id,
							sequence: reading.sequence,
							reason,
						});
					}
				}
			}
			if changed {
				Ok(())
			} else {
				Err(Unchanged)
			}
		});
		closed
	}

	/// Whether a reading or skip with `sequence` is the meter's turn in `block`.
	pub(crate) fn turn(
		record: &Meter,
		sequence: u64,
		block: u32,
		owner: &Owner,
	) -> Result<(), OutOfTurn> {
		// A meter that used every number has nothing left to judge.
		let next = record.next_sequence().ok_or(OutOfTurn::Stale)?;
		if sequence < next {
			return Err(OutOfTurn::Stale);
		}
		if sequence > next {
			return Err(OutOfTurn::NotNext);
		}
		if record.status != MeterStatus::Active || !owner.active {
			return Err(OutOfTurn::Inactive);
		}
		if record.ingest.count_in(block) >= T::MaxIngestPerBlock::get()
			|| owner.ingest.count_in(block) >= T::MaxIngestPerOwnerPerBlock::get()
		{
			return Err(OutOfTurn::OverAllowance);
		}
		Ok(())
	}

	/// Whether the meter's device key signed the reading for this chain.
	pub(crate) fn signed_by_device(
		record: &Meter,
		signed: &SignedReading,
		genesis: &T::Hash,
	) -> bool {
		let payload = signing_payload(genesis, &signed.reading);
		signed.signature.verify(&payload[..], &record.spec.device_key)
	}

	/// Whether a reading is timestamped further ahead of the chain's clock than the drift
	/// allowed: not judged until the chain's time catches up.
	pub(crate) fn ahead(reading: &Reading, now: Moment) -> bool {
		reading.timestamp > now.saturating_add(T::MaxClockDrift::get())
	}

	/// Whether a reading in its meter's turn counts: `Ok` with the energy it adds (Wh), or why
	/// it is refused. `exact` says `record` is the state just before the reading; when it is an
	/// older one (the pool judging a batch that waits for earlier readings) only the checks an
	/// earlier reading cannot change are made, and no energy is computed.
	pub(crate) fn judge(
		record: &Meter,
		reading: &Reading,
		exact: bool,
	) -> Result<u64, RefusalReason> {
		if let Some(last) = record.last {
			if reading.timestamp <= last.timestamp {
				return Err(RefusalReason::TimestampNotIncreasing);
			}
			// The interval runs from readings, not from an exchange's baseline.
			let earliest = last.timestamp.saturating_add(T::MinReadingInterval::get());
			if !last.exchange && reading.timestamp < earliest {
				return Err(RefusalReason::TooSoon);
			}
		}
		if let Some(temperature) = reading.temperature {
			if !(T::MinTemperature::get()..=T::MaxTemperature::get()).contains(&temperature) {
				return Err(RefusalReason::ImplausibleTemperature);
			}
		}
		let spec = &record.spec;
		if !spec.kind.measures_energy() {
			return match reading.temperature {
				Some(_) => Ok(0),
				None => Err(RefusalReason::MissingTemperature),
			};
		}
		if reading.demand.is_some_and(|demand| demand > spec.max_power) {
			return Err(RefusalReason::ImplausibleDemand);
		}
		let Some(last) = record.last else { return Ok(0) };
		if !exact {
			return match reading.register < last.register {
				true => Err(RefusalReason::RegisterDecreased),
				false => Ok(0),
			};
		}
		let energy = Self::energy_between(record, last.register, reading.register)?;
		// The timestamp check above makes the interval positive.
		if implies_more_than(spec.max_power, energy, reading.timestamp - last.timestamp) {
			return Err(RefusalReason::ImplausiblePower);
		}
		Ok(energy)
	}

	/// Watt-hours between two raw register values of a meter.
	pub(crate) fn energy_between(record: &Meter, from: u64, to: u64) -> Result<u64, RefusalReason> {
		let steps = to.checked_sub(from).ok_or(RefusalReason::RegisterDecreased)?;
		steps.checked_mul(u64::from(record.spec.multiplier)).ok_or(RefusalReason::EnergyOverflow)
	}

	/// Counts an accepted reading; returns the periods and days it wrote.
	fn accept(
		id: MeterId,
		record: &mut Meter,
		reading: &Reading,
		energy: u64,
		now: Moment,
	) -> Closed {
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
		let closed = ledger.closed;
		Self::advance(record, reading);
		closed
	}

	/// Makes `reading` the meter's newest.
	pub(crate) fn advance(record: &mut Meter, reading: &Reading) {
		record.last = Some(LastReading {
			timestamp: reading.timestamp,
			register: reading.register,
			exchange: false,
		});
		record.last_sequence = Some(reading.sequence);
	}

	/// The chain's genesis hash, which readings and skips are signed over.
	pub(crate) fn genesis() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The current block's number as meters' allowances count it.
	pub(crate) fn block_index() -> u32 {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// Readings of a batch of `len` that are charged for: at most `MaxBatch`.
	pub(crate) fn batch_len(len: usize) -> u32 {
		u32::try_from(len).unwrap_or(u32::MAX).min(T::MaxBatch::get())
	}

	/// The weight a batch of `len` readings may take before it runs: every reading from its own
	/// meter of its own member, closing the most periods and days it can.
	pub(crate) fn submit_weight_limit(len: usize) -> Weight {
		let n = Self::batch_len(len);
		// A reading closes its open period, the periods it spreads over and up to two days.
		let closed = Closed {
			periods: n.saturating_mul(T::MaxSpreadPeriods::get().saturating_add(1)),
			days: n.saturating_mul(2),
		};
		T::WeightInfo::submit_readings_many_meters(n)
			.max(T::WeightInfo::submit_readings_one_meter(n))
			.saturating_add(Self::closure_weight(closed))
			.saturating_add(Self::owners_weight(n))
	}

	/// What the members of `owners` meters' readings add to a batch's weight, beyond the one
	/// member its readings' weights were measured with (a bridge's batch is one campus's): each
	/// one's status and count of the block read, the count written.
	pub(crate) fn owners_weight(owners: u32) -> Weight {
		T::WeightInfo::submit_readings_many_owners(owners)
			.saturating_sub(T::WeightInfo::submit_authorized_readings(owners))
	}

	/// An exchange's weight: measured spreading over every period it can, and it may close a
	/// day as well when those periods cross midnight.
	pub(crate) fn exchange_weight() -> Weight {
		let day = Closed { periods: 0, days: 1 };
		T::WeightInfo::declare_exchange().saturating_add(Self::closure_weight(day))
	}

	/// What writing `closed` periods and days adds to a batch's weight.
	fn closure_weight(closed: Closed) -> Weight {
		let periods = T::WeightInfo::close_periods(closed.periods)
			.saturating_sub(T::WeightInfo::close_periods(0));
		// `close_day` closes a period and a day where `close_periods(1)` closes the period.
		let day = T::WeightInfo::close_day().saturating_sub(T::WeightInfo::close_periods(1));
		periods.saturating_add(day.saturating_mul(closed.days.into()))
	}
}
