use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{mock::*, pallet::*, types::*, Event, WeightInfo};
use frame_support::{assert_noop, assert_ok, dispatch::Pays};
use sp_core::Pair;

fn submit(readings: Vec<SignedReading>) {
	assert_ok!(Meters::submit_readings(RuntimeOrigin::signed(1), readings));
}

fn refused(meter: MeterId, sequence: u64, reason: RefusalReason) -> RuntimeEvent {
	Event::ReadingRefused { meter, sequence, reason }.into()
}

#[test]
fn accepts_signed_readings_and_extends_the_hash_chain() {
	run(|| {
		campus();
		let first = energy(0, 1, 600, 1_000);
		let second = energy(0, 2, 601, 1_020);
		submit(vec![signed(1, first), signed(1, second)]);
		let chain = crate::chain_next(&crate::chain_next(&HashChain::default(), &first), &second);
		System::assert_last_event(
			Event::ReadingsAccepted {
				runs: vec![AcceptedRun { meter: 0, count: 2, last_sequence: 2 }],
			}
			.into(),
		);
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(meter.chain, chain);
		assert_eq!(meter.last_sequence, Some(2));
		assert_eq!(meter.last, Some(LastReading { timestamp: second.timestamp, register: 1_020 }));
		assert_eq!(meter.period.energy, 20);
		assert_eq!(meter.period.readings, 2);
	});
}

#[test]
fn any_member_account_may_relay_readings() {
	run(|| {
		campus();
		// Member 1 relays member 0's meter: the device signature decides.
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(2),
			vec![signed(1, energy(0, 1, 600, 1))]
		));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn refuses_batch_from_non_member_relay() {
	run(|| {
		campus();
		assert_noop!(
			Meters::submit_readings(
				RuntimeOrigin::signed(9),
				vec![signed(1, energy(0, 1, 600, 1))]
			),
			Error::<Test>::NotAMember
		);
	});
}

#[test]
fn refuses_empty_batch() {
	run(|| {
		assert_noop!(
			Meters::submit_readings(RuntimeOrigin::signed(1), vec![]),
			Error::<Test>::EmptyBatch
		);
	});
}

#[test]
fn refuses_oversized_batch() {
	run(|| {
		campus();
		let batch = (1..=17).map(|n| signed(1, energy(0, n, 600 + n, n))).collect();
		assert_noop!(
			Meters::submit_readings(RuntimeOrigin::signed(1), batch),
			Error::<Test>::BatchTooLarge
		);
	});
}

#[test]
fn refuses_reading_of_unknown_meter_and_keeps_the_rest() {
	run(|| {
		campus();
		submit(vec![signed(1, energy(7, 1, 600, 1)), signed(1, energy(0, 1, 600, 1))]);
		System::assert_has_event(refused(7, 1, RefusalReason::UnknownMeter));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn refuses_forged_signature_without_spending_the_sequence() {
	run(|| {
		campus();
		let genuine = energy(0, 1, 600, 1_000);
		let forged = SignedReading {
			reading: genuine,
			signature: device(9).sign(&crate::signing_payload(&GENESIS, &genuine)),
		};
		submit(vec![forged]);
		System::assert_has_event(refused(0, 1, RefusalReason::BadSignature));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().last_sequence, None);
		// The genuine reading with the same number still counts.
		submit(vec![signed(1, genuine)]);
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().last_sequence, Some(1));
	});
}

#[test]
fn refuses_reading_signed_for_another_chain() {
	run(|| {
		campus();
		let reading = energy(0, 1, 600, 1_000);
		let other_chain = sp_core::H256::repeat_byte(7);
		let signature = device(1).sign(&crate::signing_payload(&other_chain, &reading));
		submit(vec![SignedReading { reading, signature }]);
		System::assert_has_event(refused(0, 1, RefusalReason::BadSignature));
	});
}

#[test]
fn refuses_replayed_reading() {
	run(|| {
		campus();
		let reading = signed(1, energy(0, 1, 600, 1_000));
		submit(vec![reading.clone()]);
		submit(vec![reading]);
		System::assert_has_event(refused(0, 1, RefusalReason::SequenceNotIncreasing));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn refuses_reading_out_of_order() {
	run(|| {
		campus();
		submit(vec![signed(1, energy(0, 5, 600, 1_000)), signed(1, energy(0, 4, 601, 1_010))]);
		System::assert_has_event(refused(0, 4, RefusalReason::SequenceNotIncreasing));
	});
}

#[test]
fn refuses_reading_with_earlier_timestamp() {
	run(|| {
		campus();
		submit(vec![signed(1, energy(0, 1, 600, 1_000)), signed(1, energy(0, 2, 600, 1_010))]);
		System::assert_has_event(refused(0, 2, RefusalReason::TimestampNotIncreasing));
	});
}

#[test]
fn refuses_reading_from_the_future() {
	run(|| {
		campus();
		// Now is 12:00; five minutes of drift are allowed, six are not.
		submit(vec![signed(1, energy(0, 1, 725, 1_000)), signed(1, energy(0, 2, 726, 1_010))]);
		System::assert_has_event(refused(0, 2, RefusalReason::TimestampInFuture));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 1);
	});
}

#[test]
fn refuses_reading_with_lower_register() {
	run(|| {
		campus();
		submit(vec![signed(1, energy(0, 1, 600, 1_000)), signed(1, energy(0, 2, 601, 999))]);
		System::assert_has_event(refused(0, 2, RefusalReason::RegisterDecreased));
	});
}

#[test]
fn refused_reading_is_final() {
	run(|| {
		campus();
		submit(vec![signed(1, energy(0, 1, 600, 1_000)), signed(1, energy(0, 2, 601, 999))]);
		// The same sequence number with a plausible register does not count later.
		submit(vec![signed(1, energy(0, 2, 602, 1_001))]);
		System::assert_has_event(refused(0, 2, RefusalReason::SequenceNotIncreasing));
		let meter = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!((meter.chain.length, meter.refused), (1, 1));
	});
}

#[test]
fn refuses_register_advance_implying_absurd_power() {
	run(|| {
		campus();
		// 100 kW for one minute is 1 666 Wh; 1 667 is more than the circuit carries.
		submit(vec![
			signed(1, energy(0, 1, 600, 0)),
			signed(1, energy(0, 2, 601, 1_666)),
			signed(1, energy(0, 3, 602, 3_333)),
		]);
		System::assert_has_event(refused(0, 3, RefusalReason::ImplausiblePower));
		assert_eq!(MeterRecords::<Test>::get(0).unwrap().chain.length, 2);
	});
}

#[test]
fn refuses_demand_above_the_meters_maximum() {
	run(|| {
		campus();
		let mut reading = energy(0, 1, 600, 0);
		reading.demand = Some(100_001);
		submit(vec![signed(1, reading)]);
		System::assert_has_event(refused(0, 1, RefusalReason::ImplausibleDemand));
	});
}

#[test]
fn refuses_implausible_temperature() {
	run(|| {
		campus();
		let reading = |sequence, temperature| Reading {
			meter: 1,
			sequence,
			timestamp: DAY0 + sequence * 60_000,
			register: 0,
			demand: None,
			temperature: Some(temperature),
		};
		submit(vec![
			signed(2, reading(1, -601)),
			signed(2, reading(2, 1501)),
			signed(2, reading(3, 215)),
		]);
		System::assert_has_event(refused(1, 1, RefusalReason::ImplausibleTemperature));
		System::assert_has_event(refused(1, 2, RefusalReason::ImplausibleTemperature));
		assert_eq!(MeterRecords::<Test>::get(1).unwrap().period.temperature_sum, 215);
	});
}

#[test]
fn refuses_temperature_reading_without_temperature() {
	run(|| {
		campus();
		submit(vec![signed(2, energy(1, 1, 600, 0))]);
		System::assert_has_event(refused(1, 1, RefusalReason::MissingTemperature));
	});
}

#[test]
fn refuses_energy_that_overflows() {
	run(|| {
		campus();
		let mut spec = energy_spec(MeterKind::Heat, 6);
		spec.multiplier = u32::MAX;
		spec.max_power = u32::MAX;
		assert_ok!(Meters::register_meter(RuntimeOrigin::signed(1), 0, spec));
		submit(vec![signed(6, energy(2, 1, 600, 0)), signed(6, energy(2, 2, 601, u64::MAX / 2))]);
		System::assert_has_event(refused(2, 2, RefusalReason::EnergyOverflow));
	});
}

#[test]
fn groups_accepted_runs_and_reports_refusals_in_order() {
	run(|| {
		campus();
		let temperature = Reading {
			meter: 1,
			sequence: 1,
			timestamp: DAY0 + 600 * 60_000,
			register: 0,
			demand: None,
			temperature: Some(200),
		};
		submit(vec![
			signed(1, energy(0, 1, 600, 10)),
			signed(1, energy(0, 2, 601, 20)),
			signed(1, energy(0, 3, 602, 5)),
			signed(2, temperature),
			signed(1, energy(0, 4, 603, 30)),
		]);
		let events: Vec<_> = System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::Meters(
					event @ (Event::ReadingsAccepted { .. } | Event::ReadingRefused { .. }),
				) => Some(event),
				_ => None,
			})
			.collect();
		// Refusals as they happen, then the accepted runs in batch order.
		let run = |meter, count, last_sequence| AcceptedRun { meter, count, last_sequence };
		assert_eq!(
			events,
			vec![
				Event::ReadingRefused {
					meter: 0,
					sequence: 3,
					reason: RefusalReason::RegisterDecreased
				},
				Event::ReadingsAccepted { runs: vec![run(0, 2, 2), run(1, 1, 1), run(0, 1, 4)] },
			]
		);
	});
}

#[test]
fn relay_pays_for_the_readings_judged_and_periods_closed() {
	run(|| {
		campus();
		let info = Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 0)), signed(1, energy(0, 2, 615, 10))],
		)
		.unwrap();
		// The second reading closed the 10:00 period.
		let expected = <() as WeightInfo>::submit_readings_one_meter(2)
			.saturating_add(<() as WeightInfo>::close_periods(1))
			.saturating_sub(<() as WeightInfo>::close_periods(0));
		assert_eq!(info.actual_weight, Some(expected));
		assert_eq!(info.pays_fee, Pays::Yes);
	});
}
