use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, spread, types::*};
use frame_support::assert_ok;
use proptest::prelude::*;

fn submit(readings: Vec<SignedReading>) {
	assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), readings));
}

fn stored(minutes: u64) -> Option<PeriodAggregate> {
	PeriodAggregates::<Test>::get(period_at(minutes), 0)
}

#[test]
fn spread_splits_in_proportion_to_time() {
	// 10:10 to 10:40 covers 5, 15 and 10 minutes of three periods.
	let shares: Vec<_> = spread(3_000, 10 * 60_000, 40 * 60_000, PERIOD).collect();
	assert_eq!(shares, vec![(0, 500), (1, 1_500), (2, 1_000)]);
	// An interval ending on a boundary does not touch the next period.
	let shares: Vec<_> = spread(7, 0, PERIOD, PERIOD).collect();
	assert_eq!(shares, vec![(0, 7)]);
	assert_eq!(spread(7, 5, 5, PERIOD).count(), 0);
}

#[test]
fn reading_across_a_boundary_splits_energy_between_periods() {
	run(|| {
		campus();
		submit(vec![signed(1, energy(0, 1, 610, 0)), signed(1, energy(0, 2, 620, 1_000))]);
		// 10:10–10:15 in the 10:00 period, 10:15–10:20 in the open 10:15 one.
		let closed = stored(600).unwrap();
		assert_eq!((closed.energy, closed.complete, closed.readings), (500, false, 1));
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter.open_period, period_at(615));
		assert_eq!(
			(meter.period.energy, meter.period.complete, meter.period.readings),
			(500, true, 1)
		);
	});
}

#[test]
fn periods_between_readings_are_complete() {
	run(|| {
		campus();
		// Readings at 10:00 and 11:00: the three periods in between close complete.
		submit(vec![signed(1, energy(0, 1, 600, 0)), signed(1, energy(0, 2, 660, 4_000))]);
		for minutes in [600, 615, 630, 645] {
			let aggregate = stored(minutes).unwrap();
			assert_eq!((aggregate.energy, aggregate.complete), (1_000, true));
		}
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().open_period, period_at(660));
	});
}

#[test]
fn long_gap_leaves_energy_unallocated() {
	run(|| {
		campus();
		// Two hours apart: more than the four periods energy is spread over.
		submit(vec![signed(1, energy(0, 1, 500, 0)), signed(1, energy(0, 2, 620, 8_000))]);
		let first = stored(500).unwrap();
		assert_eq!((first.energy, first.complete), (0, false));
		assert_eq!(stored(510), None);
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter.day.unallocated, 8_000);
		assert!(!meter.period.complete);
	});
}

#[test]
fn day_closes_at_midnight_with_its_hash_chain_checkpoint() {
	run(|| {
		campus();
		set_now(DAY0 + 30 * 3_600_000);
		let evening = energy(0, 1, 23 * 60 + 50, 0);
		let night = energy(0, 2, 24 * 60 + 10, 2_000);
		submit(vec![signed(1, evening), signed(1, night)]);
		let day = DayTotals::<Test>::get(day0(), 0).unwrap();
		// 2 000 Wh over 23:50–00:10: half before midnight.
		assert_eq!(day.energy, 1_000);
		assert_eq!(day.readings, 1);
		assert_eq!(day.chain, crate::chain_next(&HashChain::default(), &evening));
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter.open_day, day0() + 1);
		assert_eq!(meter.day.energy, 0);
		assert_eq!(meter.period.energy, 1_000);
	});
}

#[test]
fn temperature_periods_average_their_readings() {
	run(|| {
		campus();
		let reading = |sequence, minutes: u64, temperature| Reading {
			meter: 1,
			sequence,
			timestamp: DAY0 + minutes * 60_000,
			register: 0,
			demand: None,
			temperature: Some(temperature),
		};
		submit(vec![
			signed(2, reading(1, 600, 200)),
			signed(2, reading(2, 605, 210)),
			signed(2, reading(3, 615, 230)),
		]);
		let closed = PeriodAggregates::<Test>::get(period_at(600), 1).unwrap();
		assert_eq!(closed.mean_temperature(), Some(205));
		assert!(closed.complete);
		assert_eq!(closed.energy, 0);
	});
}

#[test]
fn peak_demand_is_the_highest_reported() {
	run(|| {
		campus();
		let with_demand = |sequence, minutes, register, demand| Reading {
			demand: Some(demand),
			..energy(0, sequence, minutes, register)
		};
		submit(vec![
			signed(1, with_demand(1, 600, 0, 40_000)),
			signed(1, with_demand(2, 605, 100, 60_000)),
			signed(1, with_demand(3, 610, 200, 50_000)),
		]);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().period.peak_demand, 60_000);
	});
}

/// Everything a meter's energy went into: kept periods, the open period and unallocated gaps.
fn accounted(meter: MeterId) -> u64 {
	let record = MeterRecords::<Test>::get(meter).unwrap();
	let periods: u64 = PeriodAggregates::<Test>::iter()
		.filter(|(_, id, _)| *id == meter)
		.map(|(_, _, aggregate)| aggregate.energy)
		.sum();
	let unallocated: u64 = DayTotals::<Test>::iter()
		.filter(|(_, id, _)| *id == meter)
		.map(|(_, _, total)| total.unallocated)
		.sum();
	periods + record.period.energy + unallocated + record.day.unallocated
}

/// Everything the readings of a test left in storage: closed periods and days, and each
/// meter's record.
#[derive(Debug, PartialEq)]
struct StoredState {
	periods: Vec<(PeriodIndex, MeterId, PeriodAggregate)>,
	days: Vec<(DayIndex, MeterId, DayTotal)>,
	meters: Vec<Meter>,
}

fn stored_state() -> StoredState {
	let mut periods: Vec<_> = PeriodAggregates::<Test>::iter().collect();
	periods.sort_by_key(|(period, meter, _)| (*period, *meter));
	let mut days: Vec<_> = DayTotals::<Test>::iter().collect();
	days.sort_by_key(|(day, meter, _)| (*day, *meter));
	// Which block judged the last readings depends on the batching, and nothing settles on it.
	let unbatched = |record: Meter| Meter { ingest: BlockIngest::default(), ..record };
	let meters = [0, 2].into_iter().filter_map(MeterRecords::<Test>::get).map(unbatched).collect();
	StoredState { periods, days, meters }
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Two meters' readings over a day and a half, sent in any interleaving of the two meters
	/// and split into batches anywhere, leave the same periods, days and records as the
	/// readings of one meter after the other's: the order readings arrive in does not change
	/// what contracts settle on.
	#[test]
	fn aggregates_do_not_depend_on_arrival_order_or_batching(
		advances in prop::collection::vec((0u64..20_000, 0u64..20_000), 150),
		interleaving in prop::collection::vec(prop::bool::ANY, 300),
		cuts in prop::collection::vec(prop::bool::weighted(0.2), 300),
	) {
		let readings = || {
			let (mut first, mut second) = (Vec::new(), Vec::new());
			let (mut a, mut b) = (0u64, 0u64);
			for (step, (advance_a, advance_b)) in advances.iter().enumerate() {
				let (sequence, minutes) = (step as u64 + 1, step as u64 * 15);
				a += advance_a;
				b += advance_b;
				first.push(signed(1, energy(0, sequence, minutes, a)));
				second.push(signed(3, energy(2, sequence, minutes, b)));
			}
			(first, second)
		};
		let run_with = |batches: Vec<Vec<SignedReading>>| {
			new_test_ext().execute_with(|| {
				campus();
				assert_ok!(Meters::register_meter(RuntimeOrigin::signed(1), 0, energy_spec(MeterKind::GridImport, 3)));
				set_now(DAY0 + 150 * 15 * 60_000);
				// A block a batch, so no meter goes over its 12 of a block.
				for batch in batches {
					submit(batch);
					next_block();
				}
				Meters::do_try_state().unwrap();
				stored_state()
			})
		};
		let (first, second) = readings();
		// The mock takes 12 readings of a meter a block.
		let canonical = run_with(first.chunks(12).chain(second.chunks(12)).map(<[_]>::to_vec).collect());

		let (mut first, mut second) = (first.into_iter(), second.into_iter());
		let mut batches = vec![Vec::new()];
		for (take_first, cut) in interleaving.iter().zip(&cuts) {
			let next = if *take_first { first.next().or_else(|| second.next()) } else { second.next().or_else(|| first.next()) };
			let Some(reading) = next else { break };
			batches.last_mut().unwrap().push(reading);
			if *cut || batches.last().unwrap().len() == 12 {
				batches.push(Vec::new());
			}
		}
		batches.retain(|batch| !batch.is_empty());
		let shuffled = run_with(batches);
		prop_assert_eq!(&shuffled, &canonical);
		// A day closed for both meters, so the comparison covers day totals too.
		prop_assert_eq!(canonical.days.len(), 2);
	}

	#[test]
	fn spread_shares_add_up_and_stay_proportional(
		energy in 0u64..u64::MAX / 2,
		from in 0u64..10_000_000,
		length in 1u64..20_000_000,
	) {
		let to = from + length;
		let shares: Vec<_> = spread(energy, from, to, PERIOD).collect();
		prop_assert_eq!(shares.iter().map(|(_, share)| u128::from(*share)).sum::<u128>(), u128::from(energy));
		for (period, share) in shares {
			let start = (u64::from(period) * PERIOD).max(from);
			let end = ((u64::from(period) + 1) * PERIOD).min(to);
			let exact = u128::from(energy) * u128::from(end - start);
			let share = u128::from(share) * u128::from(length);
			// Within one watt-hour of the exact proportion.
			prop_assert!(share.abs_diff(exact) < 2 * u128::from(length));
		}
	}

	#[test]
	fn aggregates_add_up_to_the_register_advance(
		steps in prop::collection::vec((1u64..90, 0u64..1_500, prop::bool::weighted(0.1)), 1..80),
	) {
		new_test_ext().execute_with(|| {
			campus();
			let (mut minutes, mut register, mut sequence, mut delivered) = (0u64, 0u64, 0u64, 0u64);
			for (gap, advance, exchange) in steps {
				minutes += gap;
				if exchange && sequence > 0 {
					// The owner reads the old register's final value; the new one starts at 7.
					set_now(DAY0 + minutes * 60_000);
					assert_ok!(Meters::declare_exchange(RuntimeOrigin::signed(1), 0, register + advance, 7, DAY0 + minutes * 60_000, None));
					delivered += advance;
					register = 7;
					minutes += 1;
				} else {
					if sequence > 0 {
						delivered += advance;
					}
					register += advance;
				}
				sequence += 1;
				set_now(DAY0 + minutes * 60_000);
				assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), vec![signed(1, energy(0, sequence, minutes, register))]));
				next_block();
			}
			let meter = MeterRecords::<Test>::get(0).unwrap();
			assert_eq!(meter.refused, 0, "every generated reading is plausible");
			assert_eq!(accounted(0), delivered);
			Meters::do_try_state().unwrap();
		});
	}
}
