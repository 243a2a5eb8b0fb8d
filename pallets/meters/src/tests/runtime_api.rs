use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, types::*};
use frame_support::assert_ok;
use sp_core::{Pair, H256};

#[test]
fn site_info_lists_its_meters() {
	run(|| {
		campus();
		let site = Meters::site_info(0).unwrap();
		assert_eq!(
			(site.owner, site.name.as_slice(), site.floor_area),
			(0, &b"Main hall"[..], 12_000)
		);
		assert_eq!(
			site.meters.iter().map(|meter| (meter.id, meter.unit)).collect::<Vec<_>>(),
			vec![(0, Unit::WattHour), (1, Unit::DeciCelsius)]
		);
		assert_eq!(Meters::sites_of(0), vec![site]);
		assert!(Meters::sites_of(1).is_empty());
		assert_eq!(Meters::meter_of_key(device(2).public().0).unwrap().id, 1);
		assert_eq!(Meters::site_info(4), None);
	});
}

#[test]
fn series_include_the_open_period_and_day_with_completeness() {
	run(|| {
		campus();
		// Every 15 minutes from 00:00 to 12:00: 48 periods, the first 47 complete... except
		// the first, which starts with the meter's first reading and is complete too.
		let readings: Vec<_> =
			(0..=48).map(|n| signed(1, energy(0, n + 1, n * 15, n * 250))).collect();
		for batch in readings.chunks(12) {
			assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), batch.to_vec()));
			next_block();
		}
		let periods = Meters::period_series(0, period_at(0), 49).unwrap();
		assert!(periods.last_open);
		assert_eq!(periods.periods[0].unwrap().energy, 250);
		assert_eq!(periods.periods[48].unwrap().energy, 0);
		assert!(periods.periods.iter().take(48).all(|period| period.unwrap().complete));
		let days = Meters::day_series(0, day0(), 2).unwrap();
		assert_eq!(days.days[0].unwrap().energy, 48 * 250);
		assert_eq!(days.days[1], None);
		// 48 of 96 periods complete so far.
		assert_eq!(days.completeness, vec![500, 0]);
	});
}

#[test]
fn verifies_an_archive_against_the_chain() {
	run(|| {
		campus();
		let readings: Vec<_> = (1..=5).map(|n| energy(0, n, 600 + n, n * 10)).collect();
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			readings.iter().map(|r| signed(1, *r)).collect()
		));
		assert_eq!(
			Meters::verify_chain(0, HashChain::default(), readings.clone()),
			ChainCheck::Matches { length: 5 }
		);
		// From a checkpoint after the second reading.
		let checkpoint = readings[..2]
			.iter()
			.fold(HashChain::default(), |chain, r| crate::chain_next(&chain, r));
		assert_eq!(
			Meters::verify_chain(0, checkpoint, readings[2..].to_vec()),
			ChainCheck::Matches { length: 5 }
		);
		// An archive with one altered register does not match.
		let mut altered = readings.clone();
		altered[3].register += 1;
		let ChainCheck::Differs { length, expected_length, expected, .. } =
			Meters::verify_chain(0, HashChain::default(), altered)
		else {
			panic!("an altered archive must not match");
		};
		assert_eq!((length, expected_length), (5, 5));
		assert_ne!(expected, H256::zero());
		assert_eq!(
			Meters::verify_chain(9, HashChain::default(), readings),
			ChainCheck::UnknownMeter
		);
	});
}
