use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, types::*, Event};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn force(status: MeterStatus) -> frame_support::dispatch::DispatchResult {
	Meters::force_meter_status(RuntimeOrigin::root(), 0, status)
}

#[test]
fn the_council_suspends_a_meter_its_owner_cannot_reinstate() {
	run(|| {
		campus();
		assert_ok!(force(MeterStatus::SuspendedByCouncil));
		System::assert_last_event(
			Event::MeterStatusChanged { meter: 0, status: MeterStatus::SuspendedByCouncil }.into(),
		);
		for status in [MeterStatus::Active, MeterStatus::Suspended, MeterStatus::Retired] {
			assert_noop!(
				Meters::set_meter_status(RuntimeOrigin::signed(1), 0, status),
				Error::<Test>::SuspendedByCouncil
			);
		}
		// Nor book energy into it by an exchange.
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 0, 0, NOON, None),
			Error::<Test>::SuspendedByCouncil
		);
		// Its readings wait.
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 0))]
		));
		System::assert_last_event(
			Event::ReadingsNotJudged { unverified: 0, stale: 0, waiting: 1 }.into(),
		);
		// The council lifts it.
		assert_ok!(force(MeterStatus::Active));
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 0))]
		));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn an_owner_cannot_claim_the_councils_status() {
	run(|| {
		campus();
		assert_noop!(
			Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::SuspendedByCouncil),
			Error::<Test>::InvalidStatusChange
		);
	});
}

#[test]
fn only_the_council_forces_a_meters_status() {
	run(|| {
		campus();
		assert_noop!(
			Meters::force_meter_status(
				RuntimeOrigin::signed(1),
				0,
				MeterStatus::SuspendedByCouncil
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_council_cannot_revive_a_retired_meter_or_name_an_unknown_one() {
	run(|| {
		campus();
		assert_noop!(
			Meters::force_meter_status(RuntimeOrigin::root(), 9, MeterStatus::Suspended),
			Error::<Test>::UnknownMeter
		);
		assert_noop!(force(MeterStatus::Active), Error::<Test>::InvalidStatusChange);
		assert_ok!(force(MeterStatus::Retired));
		assert_noop!(force(MeterStatus::Active), Error::<Test>::MeterRetired);
	});
}
