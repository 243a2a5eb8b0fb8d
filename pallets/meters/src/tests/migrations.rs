use crate::mock::Meters;
#[allow(unused_imports)]
use crate::pallet::Meters as MeterRecords;
use crate::{migrations::v1, mock::*, types::*};
use codec::Encode;
use frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};

#[test]
fn version_2_gives_each_meter_its_owner_and_keeps_its_readings() {
	run(|| {
		campus();
		frame_support::assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 1_000))]
		));
		let now = MeterRecords::<Test>::get(0).unwrap();
		// The record as version 1 wrote it.
		let old = v1::Meter {
			site: now.site,
			spec: now.spec.clone(),
			status: now.status,
			last_sequence: now.last_sequence,
			last: now
				.last
				.map(|last| v1::LastReading { timestamp: last.timestamp, register: last.register }),
			chain: now.chain,
			open_period: now.open_period,
			period: now.period,
			open_day: now.open_day,
			day: now.day,
			refused: now.refused,
			exchanges: now.exchanges,
		};
		unhashed::put_raw(&MeterRecords::<Test>::hashed_key_for(0), &old.encode());
		StorageVersion::new(1).put::<Meters>();

		crate::migrations::V1ToV2::<Test>::on_runtime_upgrade();

		let upgraded = MeterRecords::<Test>::get(0).unwrap();
		assert_eq!(upgraded.owner, 0);
		assert_eq!(upgraded.ingest, BlockIngest::default());
		assert_eq!(upgraded.chain, now.chain);
		assert_eq!(upgraded.last, now.last);
		assert_eq!(Meters::on_chain_storage_version(), StorageVersion::new(2));
		// Run again at version 2 it changes nothing.
		crate::migrations::V1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(MeterRecords::<Test>::get(0).unwrap(), upgraded);
	});
}

#[test]
fn version_3_counts_each_members_active_meters() {
	run(|| {
		campus();
		annex();
		frame_support::assert_ok!(Meters::set_meter_status(
			RuntimeOrigin::signed(2),
			2,
			MeterStatus::Retired
		));
		// Version 2 kept no ledgers.
		let _ = crate::pallet::Completeness::<Test>::clear(u32::MAX, None);
		let _ = crate::pallet::MemberDays::<Test>::clear(u32::MAX, None);
		let _ = crate::pallet::MeterActivities::<Test>::clear(u32::MAX, None);
		StorageVersion::new(2).put::<Meters>();
		set_now(DAY0 + 2 * DAY_MS);

		crate::migrations::V2ToV3::<Test>::on_runtime_upgrade();

		let today = day0() + 2;
		let ledger = |meters| CompletenessLedger {
			active_meters: meters,
			next_day: today,
			expected_meters: meters,
		};
		assert_eq!(crate::pallet::Completeness::<Test>::get(0), Some(ledger(2)));
		assert_eq!(crate::pallet::Completeness::<Test>::get(1), Some(ledger(0)));
		assert_eq!(crate::pallet::Completeness::<Test>::get(2), None);
		for meter in 0..3 {
			let activity = crate::pallet::MeterActivities::<Test>::get(meter).unwrap();
			assert_eq!(activity.owes_from, today);
		}
		assert_eq!(Meters::on_chain_storage_version(), StorageVersion::new(3));
	});
}
