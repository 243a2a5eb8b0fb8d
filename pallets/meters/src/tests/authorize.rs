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
	Call::<Test>::submit_readings { readings }
		.authorize(TransactionSource::External)
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
			sequence: 9,
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
				(b"meters/reading", 1u32, 9u64).encode(),
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
		assert_eq!(
			authorize(vec![signed(1, energy(0, 1, 600, 0)), forged]),
			Err(InvalidTransaction::BadProof.into())
		);
	});
}

#[test]
fn refuses_to_authorize_replay_and_stale_sequence() {
	run(|| {
		campus();
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 3, 600, 0))]
		));
		assert_eq!(
			authorize(vec![signed(1, energy(0, 3, 600, 0))]),
			Err(InvalidTransaction::Stale.into())
		);
		assert_eq!(
			authorize(vec![signed(1, energy(0, 2, 601, 0))]),
			Err(InvalidTransaction::Stale.into())
		);
		// A reading repeated within the batch.
		let fresh = signed(1, energy(0, 4, 602, 1));
		assert_eq!(authorize(vec![fresh.clone(), fresh]), Err(InvalidTransaction::Stale.into()));
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
					sequence: 7,
					timestamp: DAY0,
					register: 0,
					demand: None,
					temperature: Some(40),
				},
			),
		])
		.unwrap();
		assert_eq!(later.requires, vec![(b"meters/reading", 0u32, 2u64).encode()]);
	});
}
