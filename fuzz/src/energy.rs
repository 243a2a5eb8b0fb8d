//! What each energy meter's accepted readings and declared exchanges add up to, followed call by
//! call from the registers they carry, against what its aggregates booked: no watt-hour made,
//! lost or counted twice between the readings and the periods and days contracts settle on.

use std::collections::BTreeMap;

use frame_support::traits::Get;
use pallet_meters::{
	signing_payload, Call as MetersCall, Event as MetersEvent, LastReading, Meter,
};
use smartblocks_runtime::{Runtime, RuntimeCall, RuntimeEvent, System};
use sp_core::{sr25519, Pair};

use crate::invariants::Finding;

type Meters = pallet_meters::Pallet<Runtime>;

/// One energy meter's register history as its accepted calls tell it.
#[derive(Debug, Clone, Copy)]
struct Odometer {
	/// The register its first booking started from (its first reading's, or an exchange's
	/// baseline), which adds no energy.
	start: u64,
	/// Σ (final register − new baseline) over its exchanges since: the register's jumps that
	/// were not energy, and the old register's energy up to each exchange.
	exchanged: i128,
	/// Its newest accepted reading (or baseline) as last seen.
	last: LastReading,
	/// The day of its first booking.
	first_day: u32,
}

/// Every energy meter's odometer.
#[derive(Default)]
pub struct Odometers(BTreeMap<u32, Odometer>);

/// Every meter's newest reading before a call, and the events so far.
pub struct Before {
	meters: BTreeMap<u32, Option<LastReading>>,
	events: usize,
}

/// The meters' newest readings before a call is applied. Every meter, whatever the call: a
/// council motion or a nested call may reach them as well as a batch.
pub fn before() -> Before {
	let meters = pallet_meters::Meters::<Runtime>::iter().map(|(id, meter)| (id, meter.last));
	Before { meters: meters.collect(), events: System::event_count() as usize }
}

impl Odometers {
	/// Follows what `call` (applied, its state committed) did to every energy meter's register.
	pub fn after(&mut self, call: &RuntimeCall, before: Before) {
		let events = System::events();
		let events = events.get(before.events..).unwrap_or_default();
		for (meter, record) in pallet_meters::Meters::<Runtime>::iter() {
			let was = before.meters.get(&meter).copied().flatten();
			if !record.spec.kind.measures_energy() || record.last == was {
				continue;
			}
			let Some(last) = record.last else { continue };
			let exchanges: Vec<(u64, u64)> = events
				.iter()
				.filter_map(|record| match &record.event {
					RuntimeEvent::Meters(MetersEvent::MeterExchanged {
						meter: exchanged,
						final_register,
						baseline,
						..
					}) if *exchanged == meter => Some((*final_register, *baseline)),
					_ => None,
				})
				.collect();
			let jumps = |exchanges: &[(u64, u64)]| {
				exchanges
					.iter()
					.map(|&(end, baseline)| i128::from(end) - i128::from(baseline))
					.sum::<i128>()
			};
			match (self.0.get_mut(&meter), was) {
				(Some(odometer), Some(_)) => {
					odometer.exchanged += jumps(&exchanges);
					odometer.last = last;
				}
				(None, None) => {
					// The first booking adds no energy: an exchange's old register is not
					// counted on a meter never read, and a first reading has no predecessor.
					let (start, exchanged) = match exchanges.split_first() {
						Some((&(_, baseline), later)) => (baseline, jumps(later)),
						None => match first_reading(call, &record, meter, events) {
							Some(register) => (register, 0),
							// Readings that came some other way: not followed.
							None => continue,
						},
					};
					let first_day = Meters::day_of(last.timestamp);
					self.0.insert(meter, Odometer { start, exchanged, last, first_day });
				}
				// Booked before it was followed: nothing to compare.
				_ => {}
			}
		}
	}

	/// Every followed meter's aggregates hold what its readings and exchanges add up to, and
	/// its newest reading is the one the calls left.
	pub fn check(&self) -> Result<(), Finding> {
		let today = Meters::day_of(pallet_timestamp::Now::<Runtime>::get());
		// A meter read for longer than the chain keeps day totals has aged out of them.
		let kept_days: u32 =
			<<Runtime as pallet_meters::Config>::DayRetention as Get<u32>>::get().saturating_sub(1);
		let mut booked: BTreeMap<u32, u128> = BTreeMap::new();
		for (_, meter, total) in pallet_meters::DayTotals::<Runtime>::iter() {
			*booked.entry(meter).or_default() +=
				u128::from(total.energy) + u128::from(total.unallocated);
		}
		for (&id, odometer) in &self.0 {
			let Some(record) = pallet_meters::Meters::<Runtime>::get(id) else {
				return Err(Finding(format!("meter {id} vanished")));
			};
			if record.last != Some(odometer.last) {
				return Err(Finding(format!(
					"meter {id}: newest reading {:?}, but its accepted calls left {:?}",
					record.last, odometer.last
				)));
			}
			if today.saturating_sub(odometer.first_day) >= kept_days {
				continue;
			}
			let booked = booked.get(&id).copied().unwrap_or(0) + open(&record);
			let registered = i128::from(odometer.last.register) - i128::from(odometer.start)
				+ odometer.exchanged;
			let expected = registered * i128::from(record.spec.multiplier);
			if i128::try_from(booked).ok() != Some(expected) {
				return Err(Finding(format!(
					"meter {id}: aggregates hold {booked} Wh, its readings and exchanges add up \
					 to {expected} Wh ({odometer:?}, multiplier {})",
					record.spec.multiplier
				)));
			}
		}
		Ok(())
	}
}

/// The energy of a meter's open day and open period.
fn open(record: &Meter) -> u128 {
	u128::from(record.day.energy)
		+ u128::from(record.day.unallocated)
		+ u128::from(record.period.energy)
}

/// The register of a meter's first accepted reading, from `call`'s batch: the reading with the
/// first accepted number that its device signed.
fn first_reading(
	call: &RuntimeCall,
	record: &Meter,
	meter: u32,
	events: &[frame_system::EventRecord<RuntimeEvent, sp_core::H256>],
) -> Option<u64> {
	let RuntimeCall::Meters(MetersCall::submit_readings { readings }) = call else { return None };
	let first = events.iter().find_map(|record| match &record.event {
		RuntimeEvent::Meters(MetersEvent::ReadingsAccepted { runs }) => runs
			.iter()
			.find(|run| run.meter == meter)
			.map(|run| run.last_sequence.saturating_sub(u64::from(run.count)).saturating_add(1)),
		_ => None,
	})?;
	let genesis = System::block_hash(0);
	readings
		.iter()
		.find(|signed| {
			signed.reading.meter == meter
				&& signed.reading.sequence == first
				&& sr25519::Pair::verify(
					&signed.signature,
					signing_payload(&genesis, &signed.reading),
					&record.spec.device_key,
				)
		})
		.map(|signed| signed.reading.register)
}
