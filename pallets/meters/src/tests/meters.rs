use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, types::*, Event};
use frame_support::{assert_noop, assert_ok};
use sp_core::Pair;

#[test]
fn registers_meter_on_own_site() {
	run(|| {
		assert_ok!(Meters::register_site(RuntimeOrigin::signed(1), site_details("Hall")));
		let spec = energy_spec(MeterKind::Generation, 5);
		assert_ok!(Meters::register_meter(RuntimeOrigin::signed(4), 0, spec.clone()));
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter, Meter::new(0, spec.clone()));
		assert_eq!(Sites::<Test>::get(0).unwrap().meters.into_inner(), vec![0]);
		assert_eq!(MeterOfKey::<Test>::get(device(5).public()), Some(0));
		System::assert_last_event(
			Event::MeterRegistered {
				meter: 0,
				site: 0,
				kind: MeterKind::Generation,
				device_key: device(5).public(),
			}
			.into(),
		);
	});
}

#[test]
fn refuses_meter_on_unknown_site() {
	run(|| {
		assert_noop!(
			Meters::register_meter(
				RuntimeOrigin::signed(1),
				3,
				energy_spec(MeterKind::GridImport, 1)
			),
			Error::<Test>::UnknownSite
		);
	});
}

#[test]
fn refuses_meter_on_another_members_site() {
	run(|| {
		campus();
		assert_noop!(
			Meters::register_meter(
				RuntimeOrigin::signed(2),
				0,
				energy_spec(MeterKind::GridImport, 9)
			),
			Error::<Test>::NotSiteOwner
		);
	});
}

#[test]
fn refuses_meter_from_non_member() {
	run(|| {
		campus();
		assert_noop!(
			Meters::register_meter(
				RuntimeOrigin::signed(9),
				0,
				energy_spec(MeterKind::GridImport, 9)
			),
			Error::<Test>::NotAMember
		);
	});
}

#[test]
fn refuses_more_meters_than_a_site_holds() {
	run(|| {
		campus();
		assert_ok!(Meters::register_meter(
			RuntimeOrigin::signed(1),
			0,
			energy_spec(MeterKind::Heat, 3)
		));
		assert_noop!(
			Meters::register_meter(RuntimeOrigin::signed(1), 0, energy_spec(MeterKind::Heat, 4)),
			Error::<Test>::TooManyMeters
		);
	});
}

#[test]
fn refuses_energy_meter_without_multiplier_or_power() {
	run(|| {
		campus();
		let mut spec = energy_spec(MeterKind::SubMeter, 7);
		spec.multiplier = 0;
		assert_noop!(
			Meters::register_meter(RuntimeOrigin::signed(1), 0, spec),
			Error::<Test>::ZeroMultiplier
		);
		let mut spec = energy_spec(MeterKind::SubMeter, 7);
		spec.max_power = 0;
		assert_noop!(
			Meters::register_meter(RuntimeOrigin::signed(1), 0, spec),
			Error::<Test>::ZeroMaxPower
		);
	});
}

#[test]
fn refuses_device_key_of_another_meter() {
	run(|| {
		campus();
		assert_noop!(
			Meters::register_meter(RuntimeOrigin::signed(1), 0, energy_spec(MeterKind::Heat, 1)),
			Error::<Test>::DeviceKeyInUse
		);
	});
}

#[test]
fn refuses_meter_when_numbers_run_out() {
	run(|| {
		campus();
		NextMeterId::<Test>::put(u32::MAX);
		assert_noop!(
			Meters::register_meter(RuntimeOrigin::signed(1), 0, energy_spec(MeterKind::Heat, 3)),
			Error::<Test>::NumbersExhausted
		);
		NextMeterId::<Test>::put(2);
	});
}

#[test]
fn rotated_key_signs_and_old_key_no_longer_does() {
	run(|| {
		campus();
		assert_ok!(Meters::rotate_device_key(RuntimeOrigin::signed(1), 0, device(7).public()));
		System::assert_last_event(
			Event::DeviceKeyRotated { meter: 0, device_key: device(7).public() }.into(),
		);
		assert_eq!(MeterOfKey::<Test>::get(device(1).public()), None);
		assert_eq!(MeterOfKey::<Test>::get(device(7).public()), Some(0));
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 60, 100)), signed(7, energy(0, 2, 61, 200))]
		));
		System::assert_has_event(
			Event::ReadingRefused { meter: 0, sequence: 1, reason: RefusalReason::BadSignature }
				.into(),
		);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().last_sequence, Some(2));
	});
}

#[test]
fn refuses_rotation_to_a_key_in_use() {
	run(|| {
		campus();
		assert_noop!(
			Meters::rotate_device_key(RuntimeOrigin::signed(1), 0, device(2).public()),
			Error::<Test>::DeviceKeyInUse
		);
	});
}

#[test]
fn refuses_rotation_of_unknown_meter() {
	run(|| {
		campus();
		assert_noop!(
			Meters::rotate_device_key(RuntimeOrigin::signed(1), 9, device(7).public()),
			Error::<Test>::UnknownMeter
		);
	});
}

#[test]
fn suspended_meter_refuses_readings_until_reinstated() {
	run(|| {
		campus();
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Suspended));
		System::assert_last_event(
			Event::MeterStatusChanged { meter: 0, status: MeterStatus::Suspended }.into(),
		);
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 60, 100))]
		));
		System::assert_last_event(
			Event::ReadingRefused { meter: 0, sequence: 1, reason: RefusalReason::MeterNotActive }
				.into(),
		);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Active));
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 2, 61, 100))]
		));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn retired_meter_cannot_change() {
	run(|| {
		campus();
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Retired));
		assert_noop!(
			Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Active),
			Error::<Test>::MeterRetired
		);
		assert_noop!(
			Meters::rotate_device_key(RuntimeOrigin::signed(1), 0, device(7).public()),
			Error::<Test>::MeterRetired
		);
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 0, 0, None),
			Error::<Test>::MeterRetired
		);
	});
}

#[test]
fn refuses_status_change_to_the_same_status() {
	run(|| {
		campus();
		assert_noop!(
			Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Active),
			Error::<Test>::InvalidStatusChange
		);
	});
}

#[test]
fn refuses_status_change_by_another_member() {
	run(|| {
		campus();
		assert_noop!(
			Meters::set_meter_status(RuntimeOrigin::signed(2), 0, MeterStatus::Suspended),
			Error::<Test>::NotSiteOwner
		);
	});
}

#[test]
fn suspended_member_cannot_manage_its_meters() {
	run(|| {
		campus();
		TestMembers::suspend(0);
		assert_noop!(
			Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Suspended),
			Error::<Test>::NotAMember
		);
	});
}

#[test]
fn exchange_closes_old_register_and_starts_new_baseline() {
	run(|| {
		campus();
		// 1 000 Wh at 11:00, then the owner reads 1 500 off the old register at 12:00 (now).
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 660, 1_000))]
		));
		assert_ok!(Meters::declare_exchange(
			RuntimeOrigin::signed(1),
			0,
			1_500,
			20,
			Some(device(8).public())
		));
		System::assert_has_event(
			Event::DeviceKeyRotated { meter: 0, device_key: device(8).public() }.into(),
		);
		System::assert_last_event(
			Event::MeterExchanged {
				meter: 0,
				final_register: 1_500,
				baseline: 20,
				at: DAY0 + 720 * 60_000,
			}
			.into(),
		);
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter.last, Some(LastReading { timestamp: DAY0 + 720 * 60_000, register: 20 }));
		assert_eq!(meter.exchanges, 1);
		// The new register (signed by the new key) counts from its baseline.
		set_now(DAY0 + 730 * 60_000);
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(8, energy(0, 2, 730, 220))]
		));
		let day = Meters::day_series(0, day0(), 1).unwrap().days[0].unwrap();
		assert_eq!(day.energy, 500 + 200);
	});
}

#[test]
fn refuses_exchange_of_temperature_sensor() {
	run(|| {
		campus();
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 1, 0, 0, None),
			Error::<Test>::NotAnEnergyMeter
		);
	});
}

#[test]
fn refuses_exchange_below_last_register() {
	run(|| {
		campus();
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 660, 1_000))]
		));
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 999, 0, None),
			Error::<Test>::FinalRegisterBelowLast
		);
	});
}

#[test]
fn refuses_exchange_whose_energy_overflows() {
	run(|| {
		campus();
		let mut spec = energy_spec(MeterKind::Heat, 6);
		spec.multiplier = u32::MAX;
		spec.max_power = u32::MAX;
		assert_ok!(Meters::register_meter(RuntimeOrigin::signed(1), 0, spec));
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(6, energy(2, 1, 600, 0))]
		));
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 2, u64::MAX / 2, 0, None),
			Error::<Test>::FinalRegisterOverflow
		);
	});
}
