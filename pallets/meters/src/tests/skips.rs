use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{authorize_codes, mock::*, pallet::*, types::*, Call, Event};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::Pays,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::Authorize,
};
use sp_core::Pair;

fn authorize(
	skip: SignedSkip,
) -> Result<frame_support::pallet_prelude::ValidTransaction, TransactionValidityError> {
	Call::<Test>::skip_sequences { skip }
		.authorize(TransactionSource::External)
		.expect("skip_sequences is authorizable")
		.map(|(validity, _refund)| validity)
}

fn read_once() {
	assert_ok!(Meters::submit_readings(
		RuntimeOrigin::signed(1),
		vec![signed(1, energy(0, 1, 600, 1_000))]
	));
}

#[test]
fn a_device_skips_numbers_its_bridge_lost_and_its_next_reading_counts() {
	run(|| {
		campus();
		read_once();
		assert_ok!(Meters::skip_sequences(RuntimeOrigin::signed(2), signed_skip(1, 0, 2, 4)));
		System::assert_last_event(Event::SequencesSkipped { meter: 0, first: 2, last: 4 }.into());
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().last_sequence, Some(4));
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 5, 610, 1_100))]
		));
		let record = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!((record.chain.length, record.last_sequence), (2, Some(5)));
	});
}

#[test]
fn an_authorized_skip_is_feeless_and_tagged_for_the_readings_after_it() {
	run(|| {
		campus();
		read_once();
		let validity = authorize(signed_skip(1, 0, 2, 4)).unwrap();
		assert!(validity.requires.is_empty());
		assert_eq!(validity.provides, vec![(b"meters/reading", 0u32, 4u64).encode()]);
		let later = authorize(signed_skip(1, 0, 6, 6)).unwrap();
		assert_eq!(later.requires, vec![(b"meters/reading", 0u32, 5u64).encode()]);
		let origin = RuntimeOrigin::from(frame_system::RawOrigin::Authorized);
		let info = Meters::skip_sequences(origin, signed_skip(1, 0, 2, 4)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
	});
}

#[test]
fn refuses_to_authorize_a_skip_the_device_did_not_sign() {
	run(|| {
		campus();
		assert_eq!(authorize(signed_skip(5, 0, 1, 3)), Err(InvalidTransaction::BadProof.into()));
		// A reading's signature over the same numbers is no skip's.
		let reading = energy(0, 1, 600, 3);
		let skip = SequenceSkip { meter: 0, first: 1, last: 3 };
		let signature = device(1).sign(&crate::signing_payload(&GENESIS, &reading));
		assert_eq!(
			authorize(SignedSkip { skip, signature }),
			Err(InvalidTransaction::BadProof.into())
		);
	});
}

#[test]
fn refuses_to_authorize_a_stale_empty_or_inactive_skip() {
	run(|| {
		campus();
		read_once();
		assert_eq!(authorize(signed_skip(1, 0, 1, 3)), Err(InvalidTransaction::Stale.into()));
		let invalid = |code| Err(InvalidTransaction::Custom(code).into());
		assert_eq!(authorize(signed_skip(1, 0, 3, 2)), invalid(authorize_codes::INVALID_SKIP));
		let too_long = signed_skip(1, 0, 2, 2 + crate::MAX_SKIP);
		assert_eq!(authorize(too_long), invalid(authorize_codes::INVALID_SKIP));
		assert_eq!(authorize(signed_skip(1, 7, 1, 2)), invalid(authorize_codes::UNKNOWN_METER));
		TestMembers::suspend(0);
		assert_eq!(authorize(signed_skip(1, 0, 2, 2)), invalid(authorize_codes::OWNER_NOT_ACTIVE));
	});
}

#[test]
fn refuses_a_skip_not_in_turn_or_empty() {
	run(|| {
		campus();
		read_once();
		for (first, last) in [(1, 1), (3, 3)] {
			assert_noop!(
				Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(1, 0, first, last)),
				Error::<Test>::SkipNotInTurn
			);
		}
		assert_noop!(
			Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(1, 0, 3, 2)),
			Error::<Test>::EmptySkip
		);
		// No skip uses up the meter's numbers.
		assert_noop!(
			Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(1, 0, 2, u64::MAX)),
			Error::<Test>::SkipTooLong
		);
	});
}

#[test]
fn refuses_a_relayed_skip_with_a_bad_signature_or_no_meter() {
	run(|| {
		campus();
		assert_noop!(
			Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(5, 0, 1, 1)),
			Error::<Test>::InvalidSkipSignature
		);
		assert_noop!(
			Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(1, 7, 1, 1)),
			Error::<Test>::UnknownMeter
		);
		assert_noop!(
			Meters::skip_sequences(RuntimeOrigin::signed(9), signed_skip(1, 0, 1, 1)),
			Error::<Test>::NotAMember
		);
	});
}

#[test]
fn refuses_a_skip_of_a_suspended_meter() {
	run(|| {
		campus();
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Suspended));
		assert_noop!(
			Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(1, 0, 1, 1)),
			Error::<Test>::MeterNotActive
		);
	});
}

#[test]
fn a_skip_counts_against_the_meters_allowance() {
	run(|| {
		campus();
		let twelve: Vec<_> = (1..=12).map(|n| signed(1, energy(0, n, 600 + n, n))).collect();
		assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), twelve));
		assert_noop!(
			Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(1, 0, 13, 13)),
			Error::<Test>::IngestLimitReached
		);
		next_block();
		assert_ok!(Meters::skip_sequences(RuntimeOrigin::signed(1), signed_skip(1, 0, 13, 13)));
	});
}
