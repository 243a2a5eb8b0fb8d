//! Data completeness per member and day: what its meters owed, what they delivered, and the
//! reports that move reputation (see "Data completeness" in the pallet docs).

use crate::{pallet::*, types::*, WeightInfo};
use frame_support::{
	pallet_prelude::*,
	storage::{with_transaction, TransactionOutcome},
	weights::WeightMeter,
};
use pallet_registry::{MemberId, MemberRegistry, ReputationCause, ReputationReporter};

/// Most members an idle block looks at, however much room it has.
pub(crate) const MAX_VISITS: usize = 16;

/// Completeness in per mille of `owed` periods, at most 1000 (only meters that owed a day are
/// credited with it, so the cap is a guard).
pub fn per_mille(complete: u32, owed: u64) -> u16 {
	let share = u64::from(complete).saturating_mul(1000) / owed.max(1);
	// At most 1000 by the `min`, so it fits a u16.
	u16::try_from(share.min(1000)).unwrap_or(1000)
}

impl<T: Config> Pallet<T> {
	/// A new meter of `owner`: it owes from the next day.
	pub(crate) fn count_registered(meter: MeterId, owner: MemberId) {
		let today = Self::today();
		let activity =
			MeterActivity { owes_from: today.saturating_add(1), left_on: None, credited: None };
		MeterActivities::<T>::insert(meter, activity);
		Self::count_active_meter(owner, today, true, false);
	}

	/// A meter whose status goes from `record.status` to `to`. Leaving active service, it still
	/// owes today, and its open day is credited with what it delivered so far. Entering it, it
	/// owes today too, unless it already did (it left today) or is new today.
	pub(crate) fn count_status_change(meter: MeterId, record: &Meter, to: MeterStatus) {
		let (was, is) = (record.status == MeterStatus::Active, to == MeterStatus::Active);
		if was == is {
			return;
		}
		let today = Self::today();
		let mut activity = MeterActivities::<T>::get(meter).unwrap_or_default();
		let mut owes_today = false;
		if is {
			if activity.owes_from <= today && activity.left_on != Some(today) {
				activity.owes_from = today;
				owes_today = true;
			}
		} else {
			activity.left_on = Some(today);
			if record.last.is_some() && record.open_day >= Self::oldest_kept_day(Self::now()) {
				let periods = record.day.complete_periods;
				Self::credit_day(&mut activity, record.owner, record.open_day, periods, true);
			}
		}
		MeterActivities::<T>::insert(meter, activity);
		Self::count_active_meter(record.owner, today, is, owes_today);
	}

	/// Counts a meter of `owner` entering (`entering`) or leaving active service `today`, owing
	/// today as well if `owes_today`. The first change of a day keeps the count the day began
	/// with as what it owes; a change before the member's first meter gives it a ledger whose
	/// first day owes nothing.
	fn count_active_meter(owner: MemberId, today: DayIndex, entering: bool, owes_today: bool) {
		Completeness::<T>::mutate(owner, |ledger| {
			let ledger = ledger.get_or_insert(CompletenessLedger {
				active_meters: 0,
				next_day: today,
				expected_meters: 0,
			});
			let before = ledger.active_meters;
			ledger.active_meters = match entering {
				// Meters are numbered by a u32, so their count never overflows.
				true => before.saturating_add(1),
				false => before.saturating_sub(1),
			};
			MemberDays::<T>::mutate(today, owner, |day| {
				let count = day
					.meter_count
					.get_or_insert(MeterCountChange { owed: before, at_end: before });
				count.at_end = ledger.active_meters;
				count.owed = count.owed.saturating_add(u32::from(owes_today));
			});
		});
	}

	/// Credits a meter's closed `day` with its `periods` complete periods to its owner's day, if
	/// the meter owed the day; what its leaving active service credited of it counts once.
	pub(crate) fn credit_closed_day(meter: MeterId, owner: MemberId, day: DayIndex, periods: u16) {
		let mut activity = MeterActivities::<T>::get(meter).unwrap_or_default();
		if Self::credit_day(&mut activity, owner, day, periods, false) {
			MeterActivities::<T>::insert(meter, activity);
		}
	}

	/// Adds to `owner`'s `day` a meter's complete periods of that day beyond those already
	/// credited, if the meter owed it. A meter `leaving` active service keeps what it credited
	/// of its open day; a closed day needs no more. Returns whether `activity` changed.
	fn credit_day(
		activity: &mut MeterActivity,
		owner: MemberId,
		day: DayIndex,
		periods: u16,
		leaving: bool,
	) -> bool {
		if activity.owes_from > day {
			return false;
		}
		let already =
			activity.credited.filter(|credited| credited.day == day).map_or(0, |c| c.periods);
		let new = periods.saturating_sub(already);
		if new > 0 {
			MemberDays::<T>::mutate(day, owner, |member_day| {
				// At most 96 periods per meter-day and 2^32 meters: saturating is a bound.
				member_day.complete_periods =
					member_day.complete_periods.saturating_add(new.into());
			});
		}
		let credited = leaving.then_some(CreditedDay { day, periods: periods.max(already) });
		let changed = activity.credited != credited;
		activity.credited = credited;
		changed
	}

	/// Reports `member`'s oldest unreported day, or passes over the days no longer kept.
	pub(crate) fn do_report_completeness(member: MemberId) -> DispatchResult {
		let mut ledger = Completeness::<T>::get(member).ok_or(Error::<T>::NoMeters)?;
		let now = Self::now();
		let today = Self::today();
		let day = ledger.next_day;
		if day < Self::oldest_kept_day(now) {
			// The counts of some of these days may be gone: go on from today, which owes what
			// its changes say or, if none, the meters active now.
			ledger.expected_meters = ledger.active_meters;
			ledger.next_day = today;
			Completeness::<T>::insert(member, ledger);
			Self::deposit_event(Event::CompletenessLapsed { member, from: day, to: today });
			return Ok(());
		}
		ensure!(day.saturating_add(1) < today, Error::<T>::CompletenessNotDue);
		let mut record = MemberDays::<T>::get(day, member);
		let meters = record.meter_count.map_or(ledger.expected_meters, |count| count.owed);
		let owed = u64::from(meters).saturating_mul(Self::periods_per_day());
		let reported = (owed > 0 && T::Members::is_active(member))
			.then(|| per_mille(record.complete_periods, owed));
		if let Some(per_mille) = reported {
			T::Reputation::report(member, ReputationCause::DataCompleteness { per_mille })?;
			record.reported = Some(per_mille);
			MemberDays::<T>::insert(day, member, record);
		}
		ledger.expected_meters =
			record.meter_count.map_or(ledger.expected_meters, |count| count.at_end);
		ledger.next_day = day.saturating_add(1);
		Completeness::<T>::insert(member, ledger);
		Self::deposit_event(Event::CompletenessReported { member, day, per_mille: reported });
		Ok(())
	}

	/// Reports due days within `limit`, one per member visited, going round the members from
	/// where the last idle block stopped; returns the weight used.
	pub(crate) fn report_due(limit: Weight) -> Weight {
		let mut meter = WeightMeter::with_limit(limit);
		let cursor_weight = T::DbWeight::get().reads_writes(1, 1);
		let per_visit = T::WeightInfo::report_completeness();
		if !meter.can_consume(cursor_weight.saturating_add(per_visit)) {
			return Weight::zero();
		}
		meter.consume(cursor_weight);
		let start = CompletenessCursor::<T>::get();
		let mut members = match start {
			Some(last) => {
				Completeness::<T>::iter_keys_from(Completeness::<T>::hashed_key_for(last))
			}
			None => Completeness::<T>::iter_keys(),
		};
		let mut next = start;
		for _ in 0..MAX_VISITS {
			if !meter.can_consume(per_visit) {
				break;
			}
			let Some(member) = members.next() else {
				// The round is over: the next starts from the first member.
				next = None;
				break;
			};
			meter.consume(per_visit);
			// A day not due, or a report the registry refuses, waits for the next round.
			let _ = with_transaction(|| match Self::do_report_completeness(member) {
				Ok(()) => TransactionOutcome::Commit(Ok(())),
				Err(error) => TransactionOutcome::Rollback(Err::<(), DispatchError>(error)),
			});
			next = Some(member);
		}
		if next != start {
			match next {
				Some(member) => CompletenessCursor::<T>::put(member),
				None => CompletenessCursor::<T>::kill(),
			}
		}
		meter.consumed()
	}
}
