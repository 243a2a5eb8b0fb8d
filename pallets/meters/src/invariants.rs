//! What must always hold: numbering, ownership, keys, hash chains, aggregates that add up and
//! members' counts of active meters.

use crate::{pallet::*, types::*};
use alloc::collections::BTreeMap;
use frame_support::ensure;
use pallet_registry::MemberId;
use sp_core::H256;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants; the `try_state` hook and every unit test call it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_site = NextSiteId::<T>::get();
		for (id, site) in Sites::<T>::iter() {
			ensure!(id < next_site, "a site's number is not below NextSiteId");
			ensure!(
				OwnerSites::<T>::contains_key(site.owner, id),
				"a site is missing its owner's index"
			);
			for meter in site.meters.iter() {
				let record = Meters::<T>::get(meter).ok_or("a site lists a missing meter")?;
				ensure!(record.site == id, "a site lists another site's meter");
			}
		}
		for (owner, id, ()) in OwnerSites::<T>::iter() {
			let site = Sites::<T>::get(id).ok_or("the owner index names a missing site")?;
			ensure!(site.owner == owner, "the owner index disagrees with the site");
		}
		let next_meter = NextMeterId::<T>::get();
		let horizon = Self::oldest_kept_period(Self::now());
		let mut active = BTreeMap::<MemberId, u32>::new();
		for (id, record) in Meters::<T>::iter() {
			if record.status == MeterStatus::Active {
				let count = active.entry(record.owner).or_default();
				*count = count.saturating_add(1);
			}
			ensure!(MeterActivities::<T>::contains_key(id), "a meter without its activity");
			ensure!(id < next_meter, "a meter's number is not below NextMeterId");
			let site = Sites::<T>::get(record.site).ok_or("a meter's site is missing")?;
			ensure!(site.meters.contains(&id), "a meter's site does not list it");
			ensure!(record.owner == site.owner, "a meter's owner is not its site's");
			ensure!(
				MeterOfKey::<T>::get(record.spec.device_key) == Some(id),
				"a meter's device key does not lead back to it"
			);
			ensure!(
				(record.chain.length == 0) == (record.chain.head == H256::zero()),
				"a hash chain's head does not match its length"
			);
			let open_day = record.day.total(record.chain);
			Self::check_day(id, record.open_day, &open_day, Some(record.open_period), horizon)?;
		}
		for (key, id) in MeterOfKey::<T>::iter() {
			let record = Meters::<T>::get(id).ok_or("a device key names a missing meter")?;
			ensure!(record.spec.device_key == key, "a device key names a meter with another key");
		}
		for (day, id, total) in DayTotals::<T>::iter() {
			let record = Meters::<T>::get(id).ok_or("a day total of a missing meter")?;
			ensure!(day < record.open_day, "a closed day is not before the meter's open day");
			ensure!(
				total.chain.length <= record.chain.length,
				"a closed day's checkpoint is ahead of the meter's chain"
			);
			Self::check_day(id, day, &total, None, horizon)?;
		}
		Self::check_completeness(active)
	}

	/// Each member's ledger counts its active meters, and reports stay within 1000 ‰.
	fn check_completeness(mut active: BTreeMap<MemberId, u32>) -> Result<(), TryRuntimeError> {
		let today = Self::today();
		for (member, ledger) in Completeness::<T>::iter() {
			let counted = active.remove(&member).unwrap_or(0);
			ensure!(ledger.active_meters == counted, "a member's active meters are miscounted");
			ensure!(ledger.next_day <= today, "a member's next day to report has not begun");
		}
		ensure!(active.is_empty(), "a member with active meters has no completeness ledger");
		for (meter, _) in MeterActivities::<T>::iter() {
			ensure!(Meters::<T>::contains_key(meter), "an activity of a missing meter");
		}
		for (_, member, day) in MemberDays::<T>::iter() {
			ensure!(Completeness::<T>::contains_key(member), "a member's day without its ledger");
			ensure!(day.reported.is_none_or(|per_mille| per_mille <= 1000), "a report over 1000 ‰");
		}
		Ok(())
	}

	/// A day's energy and complete periods equal those of its closed periods in storage, when
	/// all of them are still kept. `open` is the meter's open period if the day is its open day.
	fn check_day(
		meter: MeterId,
		day: DayIndex,
		total: &DayTotal,
		open: Option<PeriodIndex>,
		horizon: PeriodIndex,
	) -> Result<(), TryRuntimeError> {
		let per_day = Self::periods_per_day();
		let first = u64::from(day).saturating_mul(per_day);
		if first < u64::from(horizon) {
			return Ok(());
		}
		let (mut energy, mut complete) = (0u64, 0u16);
		for period in first..first.saturating_add(per_day) {
			let Ok(period) = PeriodIndex::try_from(period) else { break };
			if open.is_some_and(|open| period >= open) {
				break;
			}
			if let Some(aggregate) = PeriodAggregates::<T>::get(period, meter) {
				energy = energy.saturating_add(aggregate.energy);
				complete = complete.saturating_add(u16::from(aggregate.complete));
			}
		}
		ensure!(energy == total.energy, "a day's energy is not the sum of its periods");
		ensure!(complete == total.complete_periods, "a day's complete periods do not add up");
		Ok(())
	}
}
