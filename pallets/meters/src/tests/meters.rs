use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, types::*, Event};
use frame_support::{assert_noop, assert_ok};
use sp_core::Pair;

/// Meter 0's first reading: 1 000 Wh at 11:00, an hour before the chain's clock.
fn read_at_eleven() {
	assert_ok!(Meters::submit_readings(
		RuntimeOrigin::signed(1),
		vec![signed(1, energy(0, 1, 660, 1_000))]
	));
}

#[test]
fn registers_meter_on_own_site() {
	run(|| {
		assert_ok!(Meters::register_site(RuntimeOrigin::signed(1), site_details("Hall")));
		let spec = energy_spec(MeterKind::Generation, 5);
		assert_ok!(Meters::register_meter(RuntimeOrigin::signed(4), 0, spec.clone()));
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter, Meter::new(0, 0, spec.clone()));
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
		// Number 1 signed by the old key is not the device's any more; the new key's 1 counts.
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 60, 100)), signed(7, energy(0, 1, 61, 200))]
		));
		System::assert_has_event(
			Event::ReadingsNotJudged { unverified: 1, stale: 0, waiting: 0 }.into(),
		);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().last_sequence, Some(1));
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
fn a_suspended_meters_readings_wait_until_it_is_reinstated() {
	run(|| {
		campus();
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Suspended));
		System::assert_last_event(
			Event::MeterStatusChanged { meter: 0, status: MeterStatus::Suspended }.into(),
		);
		// A relay cannot burn the meter's readings while it is suspended: they wait.
		let reading = signed(1, energy(0, 1, 60, 100));
		assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(2), vec![reading.clone()]));
		System::assert_last_event(
			Event::ReadingsNotJudged { unverified: 0, stale: 0, waiting: 1 }.into(),
		);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().last_sequence, None);
		assert_ok!(Meters::set_meter_status(RuntimeOrigin::signed(1), 0, MeterStatus::Active));
		assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), vec![reading]));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn a_suspended_members_meters_readings_wait() {
	run(|| {
		campus();
		TestMembers::suspend(0);
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(2),
			vec![signed(1, energy(0, 1, 60, 100))]
		));
		System::assert_last_event(
			Event::ReadingsNotJudged { unverified: 0, stale: 0, waiting: 1 }.into(),
		);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().last_sequence, None);
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
			Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 0, 0, NOON, None),
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
		read_at_eleven();
		// The owner reads 1 500 off the old register at 12:00 (now).
		assert_ok!(Meters::declare_exchange(
			RuntimeOrigin::signed(1),
			0,
			1_500,
			20,
			NOON,
			Some(device(8).public())
		));
		System::assert_has_event(
			Event::DeviceKeyRotated { meter: 0, device_key: device(8).public() }.into(),
		);
		System::assert_last_event(
			Event::MeterExchanged { meter: 0, final_register: 1_500, baseline: 20, at: NOON }
				.into(),
		);
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter.last, Some(LastReading { timestamp: NOON, register: 20, exchange: true }));
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
			Meters::declare_exchange(RuntimeOrigin::signed(1), 1, 0, 0, NOON, None),
			Error::<Test>::NotAnEnergyMeter
		);
	});
}

#[test]
fn refuses_exchange_below_last_register() {
	run(|| {
		campus();
		read_at_eleven();
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 999, 0, NOON, None),
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
			Meters::declare_exchange(RuntimeOrigin::signed(1), 2, u64::MAX / 2, 0, NOON, None),
			Error::<Test>::FinalRegisterOverflow
		);
	});
}

#[test]
fn refuses_exchange_implying_more_than_the_meters_maximum_power() {
	run(|| {
		campus();
		read_at_eleven();
		// An hour at the meter's 100 kW is 100 000 Wh more, and no more.
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 101_001, 0, NOON, None),
			Error::<Test>::ImplausibleExchange
		);
		assert_ok!(Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 101_000, 0, NOON, None));
	});
}

#[test]
fn an_exchange_counts_from_when_its_baseline_was_read() {
	run(|| {
		campus();
		read_at_eleven();
		// The meter was swapped at 11:30 (the old register at 1 500, the new one from 0) and
		// the owner declares it at noon.
		let swapped = DAY0 + 690 * 60_000;
		assert_ok!(Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 1_500, 0, swapped, None));
		System::assert_last_event(
			Event::MeterExchanged { meter: 0, final_register: 1_500, baseline: 0, at: swapped }
				.into(),
		);
		// Ten seconds later the new meter reads 45 250 Wh: 90 kW since 11:30, which it could
		// not have measured in the ten seconds since the declaration.
		set_now(NOON + 10_000);
		let first = Reading { timestamp: NOON + 10_000, ..energy(0, 2, 0, 45_250) };
		assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), vec![signed(1, first)]));
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!((meter.refused, meter.chain.length), (0, 2));
		// The old register's 500 Wh over 11:00–11:30, the new one's from 11:30 on.
		let periods = Meters::period_series(0, period_at(660), 5).unwrap();
		let energy: Vec<_> = periods.periods.iter().map(|period| period.unwrap().energy).collect();
		assert_eq!(energy, vec![250, 250, 22_500, 22_500, 250]);
	});
}

#[test]
fn refuses_an_exchange_outside_the_meters_time() {
	run(|| {
		campus();
		read_at_eleven();
		let exchange =
			|at| Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 1_000, 0, at, None);
		assert_noop!(exchange(NOON + 1), Error::<Test>::ExchangeInFuture);
		let eleven = DAY0 + 660 * 60_000;
		assert_noop!(exchange(eleven), Error::<Test>::ExchangeNotAfterLastReading);
		assert_ok!(exchange(eleven + 1));
	});
}

#[test]
fn an_exchange_cannot_be_dated_further_back_than_an_hour() {
	run(|| {
		campus();
		// The meter's last reading was at 10:00: the owner may not fill 10:00–11:00 with
		// registers no device signed, however many exchanges it declares.
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 1_000))]
		));
		let exchange =
			|at| Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 1_000, 0, at, None);
		let an_hour_ago = NOON - 4 * PERIOD;
		assert_noop!(exchange(an_hour_ago - 1), Error::<Test>::ExchangeTooLongAgo);
		// Nor a meter without readings, opened in the past.
		assert_ok!(Meters::register_meter(
			RuntimeOrigin::signed(1),
			0,
			energy_spec(MeterKind::SubMeter, 3)
		));
		assert_noop!(
			Meters::declare_exchange(RuntimeOrigin::signed(1), 2, 0, 0, an_hour_ago - 1, None),
			Error::<Test>::ExchangeTooLongAgo
		);
		assert_ok!(exchange(an_hour_ago));
	});
}

#[test]
fn an_exchange_books_no_more_than_the_meter_measures_wherever_the_owner_puts_it() {
	run(|| {
		campus();
		read_at_eleven();
		// The owner claims the old register ran at the meter's 100 kW until 11:30 and the new
		// one started from 0 then: together no more than an hour at 100 kW may follow.
		let half_past = DAY0 + 690 * 60_000;
		assert_ok!(Meters::declare_exchange(
			RuntimeOrigin::signed(1),
			0,
			51_000,
			0,
			half_past,
			None
		));
		let over = energy(0, 2, 720, 50_001);
		let at_most = energy(0, 3, 720, 50_000);
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, over), signed(1, at_most)]
		));
		System::assert_has_event(
			Event::ReadingRefused {
				meter: 0,
				sequence: 2,
				reason: RefusalReason::ImplausiblePower,
			}
			.into(),
		);
		let day = Meters::day_series(0, day0(), 1).unwrap().days[0].unwrap();
		assert_eq!(day.energy, 100_000);
	});
}

#[test]
fn the_first_reading_after_an_exchange_need_not_wait_the_interval() {
	run(|| {
		campus();
		read_at_eleven();
		assert_ok!(Meters::declare_exchange(RuntimeOrigin::signed(1), 0, 1_500, 0, NOON, None));
		// A second after the exchange (12:00), then the interval again.
		let soon = Reading { timestamp: NOON + 1_000, ..energy(0, 2, 0, 1) };
		let sooner = Reading { timestamp: soon.timestamp + 1_000, ..energy(0, 3, 0, 2) };
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, soon), signed(1, sooner)]
		));
		System::assert_has_event(
			Event::ReadingRefused { meter: 0, sequence: 3, reason: RefusalReason::TooSoon }.into(),
		);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 2);
	});
}
