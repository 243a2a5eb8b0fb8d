use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{authorize_codes, mock::*, types::*, Call};
use codec::Encode;
use frame_support::{
	assert_ok,
	dispatch::Pays,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::Authorize,
};
use sp_core::Pair;

fn authorize(
	readings: Vec<SignedReading>,
) -> Result<frame_support::pallet_prelude::ValidTransaction, TransactionValidityError> {
	authorize_from(TransactionSource::External, readings)
}

/// As a block author, or a node importing its block, validates the batch.
fn authorize_from(
	source: TransactionSource,
	readings: Vec<SignedReading>,
) -> Result<frame_support::pallet_prelude::ValidTransaction, TransactionValidityError> {
	Call::<Test>::submit_readings { readings }
		.authorize(source)
		.expect("submit_readings is authorizable")
		.map(|(validity, _refund)| validity)
}

fn invalid(code: u8) -> TransactionValidityError {
	InvalidTransaction::Custom(code).into()
}

#[test]
fn authorizes_batch_signed_by_its_meters_with_a_tag_per_reading() {
	run(|| {
		campus();
		let temperature = Reading {
			meter: 1,
			sequence: 1,
			timestamp: DAY0,
			register: 0,
			demand: None,
			temperature: Some(40),
		};
		let validity = authorize(vec![
			signed(1, energy(0, 1, 600, 0)),
			signed(1, energy(0, 2, 601, 5)),
			signed(2, temperature),
		])
		.unwrap();
		assert_eq!(validity.priority, 100);
		assert_eq!(validity.longevity, 64);
		assert!(validity.requires.is_empty());
		assert_eq!(
			validity.provides,
			vec![
				(b"meters/reading", 0u32, 1u64).encode(),
				(b"meters/reading", 0u32, 2u64).encode(),
				(b"meters/reading", 1u32, 1u64).encode(),
			]
		);
	});
}

#[test]
fn authorized_batch_needs_no_account_and_pays_no_fee() {
	run(|| {
		campus();
		let origin = RuntimeOrigin::from(frame_system::RawOrigin::Authorized);
		let info = Meters::submit_readings(origin, vec![signed(1, energy(0, 1, 600, 0))]).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn refuses_to_authorize_forged_signature() {
	run(|| {
		campus();
		let reading = energy(0, 1, 600, 0);
		let forged = SignedReading {
			reading,
			signature: device(5).sign(&crate::signing_payload(&GENESIS, &reading)),
		};
		assert_eq!(authorize(vec![forged]), Err(InvalidTransaction::BadProof.into()));
	});
}

#[test]
fn refuses_to_authorize_replay_and_stale_sequence() {
	run(|| {
		campus();
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 599, 0)), signed(1, energy(0, 2, 600, 0))]
		));
		assert_eq!(
			authorize(vec![signed(1, energy(0, 2, 600, 0))]),
			Err(InvalidTransaction::Stale.into())
		);
		assert_eq!(
			authorize(vec![signed(1, energy(0, 1, 601, 0))]),
			Err(InvalidTransaction::Stale.into())
		);
		// A reading repeated within the batch.
		let fresh = signed(1, energy(0, 3, 602, 1));
		assert_eq!(
			authorize(vec![fresh.clone(), fresh]),
			Err(invalid(authorize_codes::NOT_CONSECUTIVE))
		);
	});
}

#[test]
fn refuses_to_authorize_unknown_or_inactive_meter() {
	run(|| {
		campus();
		assert_eq!(
			authorize(vec![signed(1, energy(5, 1, 600, 0))]),
			Err(invalid(authorize_codes::UNKNOWN_METER))
		);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Suspended));
		assert_eq!(
			authorize(vec![signed(1, energy(0, 1, 600, 0))]),
			Err(invalid(authorize_codes::METER_NOT_ACTIVE))
		);
	});
}

#[test]
fn refuses_to_authorize_empty_or_oversized_batch() {
	run(|| {
		campus();
		assert_eq!(authorize(vec![]), Err(invalid(authorize_codes::EMPTY_BATCH)));
		let batch = (1..=17).map(|n| signed(1, energy(0, n, 600 + n, n))).collect();
		assert_eq!(authorize(batch), Err(invalid(authorize_codes::BATCH_TOO_LARGE)));
	});
}

#[test]
fn a_batch_that_does_not_follow_the_chain_requires_the_reading_before_it() {
	run(|| {
		campus();
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 0))]
		));
		// Sequence 2 follows the chain's 1: ready at once.
		let next = authorize(vec![signed(1, energy(0, 2, 601, 5))]).unwrap();
		assert!(next.requires.is_empty());
		// Sequences 3 and 4 wait for 2, whichever batch brings it; a meter never read before
		// waits for nothing.
		let later = authorize(vec![
			signed(1, energy(0, 3, 602, 10)),
			signed(1, energy(0, 4, 603, 15)),
			signed(
				2,
				Reading {
					meter: 1,
					sequence: 1,
					timestamp: DAY0,
					register: 0,
					demand: None,
					temperature: Some(40),
				},
			),
		])
		.unwrap();
		assert_eq!(later.requires, vec![(b"meters/reading", 0u32, 2u64).encode()]);
		// In a block the reading before must already be there: no block holds readings that
		// would wait.
		assert_eq!(
			authorize_from(TransactionSource::InBlock, vec![signed(1, energy(0, 3, 602, 10))]),
			Err(InvalidTransaction::Future.into())
		);
	});
}

#[test]
fn refuses_to_authorize_what_dispatch_would_refuse() {
	run(|| {
		campus();
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 1_000))]
		));
		let refused = |reason| Err(invalid(authorize_codes::refused(reason)));
		// Each against the chain's last reading (10:00, register 1 000).
		let too_soon =
			Reading { timestamp: DAY0 + 600 * 60_000 + 29_000, ..energy(0, 2, 0, 1_001) };
		assert_eq!(authorize(vec![signed(1, too_soon)]), refused(RefusalReason::TooSoon));
		assert_eq!(
			authorize(vec![signed(1, energy(0, 2, 600, 1_001))]),
			refused(RefusalReason::TimestampNotIncreasing)
		);
		assert_eq!(
			authorize(vec![signed(1, energy(0, 2, 601, 999))]),
			refused(RefusalReason::RegisterDecreased)
		);
		// 100 kW for a minute is 1 666 Wh.
		assert_eq!(
			authorize(vec![signed(1, energy(0, 2, 601, 2_667))]),
			refused(RefusalReason::ImplausiblePower)
		);
		let mut demand = energy(0, 2, 601, 1_001);
		demand.demand = Some(100_001);
		assert_eq!(authorize(vec![signed(1, demand)]), refused(RefusalReason::ImplausibleDemand));
		// And against the batch's own earlier readings.
		assert_eq!(
			authorize(vec![
				signed(1, energy(0, 2, 601, 1_001)),
				signed(1, energy(0, 3, 602, 2_668))
			]),
			refused(RefusalReason::ImplausiblePower)
		);
		// Six minutes ahead of the chain's clock (12:00) may be valid later; a block cannot
		// hold it for free meanwhile.
		assert_eq!(
			authorize(vec![signed(1, energy(0, 2, 726, 1_001))]),
			Err(invalid(authorize_codes::TIMESTAMP_AHEAD))
		);
		assert_eq!(
			authorize_from(TransactionSource::InBlock, vec![signed(1, energy(0, 2, 726, 1_001))]),
			Err(InvalidTransaction::Future.into())
		);
		let sensor = |temperature| Reading {
			meter: 1,
			sequence: 1,
			timestamp: DAY0,
			register: 0,
			demand: None,
			temperature,
		};
		assert_eq!(
			authorize(vec![signed(2, sensor(None))]),
			refused(RefusalReason::MissingTemperature)
		);
		assert_eq!(
			authorize(vec![signed(2, sensor(Some(1_501)))]),
			refused(RefusalReason::ImplausibleTemperature)
		);
	});
}

#[test]
fn a_batch_waiting_for_earlier_readings_is_checked_as_far_as_they_cannot_change() {
	run(|| {
		campus();
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 1_000))]
		));
		// Reading 3 follows a 2 the pool has not seen: the power between 1 and 3 says nothing
		// about 3 alone, a falling register does.
		let validity = authorize(vec![signed(1, energy(0, 3, 602, 4_000))]).unwrap();
		assert_eq!(validity.requires, vec![(b"meters/reading", 0u32, 2u64).encode()]);
		assert_eq!(
			authorize(vec![signed(1, energy(0, 3, 602, 999))]),
			Err(invalid(authorize_codes::refused(RefusalReason::RegisterDecreased)))
		);
	});
}

#[test]
fn refuses_to_authorize_gaps_within_a_batch() {
	run(|| {
		campus();
		assert_eq!(
			authorize(vec![signed(1, energy(0, 1, 600, 0)), signed(1, energy(0, 3, 602, 2))]),
			Err(invalid(authorize_codes::NOT_CONSECUTIVE))
		);
	});
}

#[test]
fn refuses_to_authorize_more_of_a_meter_than_a_block_judges() {
	run(|| {
		campus();
		let thirteen: Vec<_> = (1..=13).map(|n| signed(1, energy(0, n, 600 + n, n))).collect();
		assert_eq!(authorize(thirteen.clone()), Err(invalid(authorize_codes::OVER_ALLOWANCE)));
		assert!(authorize(thirteen[..12].to_vec()).is_ok());
	});
}

#[test]
fn in_a_block_a_batch_over_the_meters_allowance_waits_for_the_next() {
	run(|| {
		campus();
		let batch: Vec<_> = (1..=12).map(|n| signed(1, energy(0, n, 600 + n, n))).collect();
		let origin = RuntimeOrigin::from(frame_system::RawOrigin::Authorized);
		assert_ok!(Meters::submit_readings(origin, batch[..10].to_vec()));
		let rest = batch[10..].to_vec();
		let more = vec![rest[0].clone(), rest[1].clone(), signed(1, energy(0, 13, 613, 13))];
		assert_eq!(
			authorize_from(TransactionSource::InBlock, more.clone()),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		// Two fit; the pool, validating for the next block, takes all three.
		assert!(authorize_from(TransactionSource::InBlock, rest).is_ok());
		assert!(authorize(more).is_ok());
	});
}

#[test]
fn refuses_to_authorize_readings_of_a_suspended_members_meter() {
	run(|| {
		campus();
		TestMembers::suspend(0);
		assert_eq!(
			authorize(vec![signed(1, energy(0, 1, 600, 0))]),
			Err(invalid(authorize_codes::OWNER_NOT_ACTIVE))
		);
	});
}

#[test]
fn refuses_to_authorize_readings_of_a_meter_the_council_suspended() {
	run(|| {
		campus();
		assert_ok!(Meters::force_meter_status(
			RuntimeOrigin::root(),
			0,
			MeterStatus::SuspendedByCouncil
		));
		assert_eq!(
			authorize(vec![signed(1, energy(0, 1, 600, 0))]),
			Err(invalid(authorize_codes::METER_NOT_ACTIVE))
		);
	});
}

#[test]
fn a_batch_may_wait_only_a_few_blocks_ahead_of_the_chain() {
	run(|| {
		campus();
		// 8 blocks of 12: a batch starting at 97 waits for 96, one starting at 98 is refused.
		let waiting = 12 * crate::WAITING_BLOCKS + 1;
		assert!(authorize(vec![signed(1, energy(0, waiting, 600, 0))]).is_ok());
		assert_eq!(
			authorize(vec![signed(1, energy(0, waiting + 1, 600, 0))]),
			Err(invalid(authorize_codes::TOO_FAR_AHEAD))
		);
	});
}

#[test]
fn refuses_to_authorize_readings_of_a_retired_meter_for_good() {
	run(|| {
		campus();
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Retired));
		assert_eq!(
			authorize(vec![signed(1, energy(0, 1, 600, 0))]),
			Err(invalid(authorize_codes::METER_RETIRED))
		);
	});
}

#[test]
fn in_a_block_a_batch_over_the_members_allowance_waits_for_the_next() {
	run(|| {
		campus();
		assert_ok!(Meters::register_meter(
			RuntimeOrigin::signed(1),
			0,
			energy_spec(MeterKind::SubMeter, 3)
		));
		let twelve: Vec<_> = (1..=12).map(|n| signed(1, energy(0, n, 600 + n, n))).collect();
		let origin = RuntimeOrigin::from(frame_system::RawOrigin::Authorized);
		assert_ok!(Meters::submit_readings(origin, twelve));
		// Member 0 has 8 of its 20 left in this block.
		let nine: Vec<_> = (1..=9).map(|n| signed(3, energy(2, n, 600 + n, n))).collect();
		assert_eq!(
			authorize_from(TransactionSource::InBlock, nine.clone()),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		assert!(authorize_from(TransactionSource::InBlock, nine[..8].to_vec()).is_ok());
	});
}

#[test]
fn a_forged_batch_is_refused_before_any_signature_is_checked_when_it_breaks_a_rule() {
	run(|| {
		campus();
		// A forged first reading, then a gap: the gap is found, not the forgery.
		let forged = SignedReading {
			reading: energy(0, 1, 600, 0),
			signature: device(5).sign(&crate::signing_payload(&GENESIS, &energy(0, 1, 600, 0))),
		};
		assert_eq!(
			authorize(vec![forged, signed(1, energy(0, 3, 602, 2))]),
			Err(invalid(authorize_codes::NOT_CONSECUTIVE))
		);
	});
}
