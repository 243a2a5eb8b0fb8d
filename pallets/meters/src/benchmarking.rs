//! Benchmarks for every call, the authorization of batches, closing periods and pruning, each in
//! its worst case: longest names, full sites, every check a reading goes through, a completeness
//! report the registry scores.

use super::*;
use crate::types::*;
use alloc::{format, vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, EnsureOrigin, Get},
	weights::Weight,
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_registry::{MemberRegistry, ReputationReporter, Role};
use sp_core::{crypto::KeyTypeId, sr25519};
use sp_runtime::traits::Zero;

/// Where benchmark device keys live in the benchmark's keystore.
const DEVICE_KEYS: KeyTypeId = KeyTypeId(*b"metr");

/// 2027-05-16T00:00:00Z: a day boundary well after any genesis.
const T0: Moment = 1_810_425_600_000;

/// A minute in milliseconds.
const MINUTE: Moment = 60_000;

fn device_key(index: u32) -> sr25519::Public {
	sp_io::crypto::sr25519_generate(DEVICE_KEYS, Some(format!("//meter/{index}").into_bytes()))
}

fn sign<T: Config>(key: &sr25519::Public, reading: Reading) -> SignedReading {
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let signature =
		sp_io::crypto::sr25519_sign(DEVICE_KEYS, key, &signing_payload(&genesis, &reading))
			.unwrap_or_else(|| sr25519::Signature::from_raw([0; 64]));
	SignedReading { reading, signature }
}

fn sign_skip<T: Config>(key: &sr25519::Public, skip: SequenceSkip) -> SignedSkip {
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let signature = sp_io::crypto::sr25519_sign(DEVICE_KEYS, key, &skip_payload(&genesis, &skip))
		.unwrap_or_else(|| sr25519::Signature::from_raw([0; 64]));
	SignedSkip { skip, signature }
}

fn longest<L: Get<u32>>(byte: u8) -> BoundedVec<u8, L> {
	BoundedVec::truncate_from(vec![byte; L::get() as usize])
}

fn details<T: Config>() -> SiteDetailsOf<T> {
	SiteDetails {
		name: longest::<T::MaxNameLen>(b'n'),
		location: Location { latitude: 52_520_000, longitude: 13_405_000, region: longest(b'R') },
		floor_area: 12_000,
		use_type: UseType::Laboratory,
		time_zone: longest(b'Z'),
	}
}

/// A building owner's account with a site.
fn owner<T: Config>() -> (T::AccountId, SiteId) {
	let who: T::AccountId = whitelisted_caller();
	T::Members::enrol_for_benchmark(&who, Role::BuildingOwner);
	let site = NextSiteId::<T>::get();
	Pallet::<T>::do_register_site(who.clone(), details::<T>()).unwrap_or_default();
	(who, site)
}

/// `count` grid-import meters, each with a first reading at `T0 + 1 min` so every later reading
/// goes through every check, on sites of one member (a campus, as a bridge's batches have them)
/// or, with `own_members`, each of its own member (so judging them reads as many members and
/// their counts of the block); and a member account to relay them.
fn meters<T: Config>(
	count: u32,
	own_members: bool,
) -> (T::AccountId, Vec<(MeterId, sr25519::Public)>) {
	T::BenchmarkHelper::set_time(T0 + 30 * MINUTE);
	let relay: T::AccountId = whitelisted_caller();
	T::Members::enrol_for_benchmark(&relay, Role::BuildingOwner);
	let mut created = Vec::new();
	let mut site = None;
	for index in 0..count {
		let owner: T::AccountId = match own_members {
			true => account("owner", index, 0),
			false => relay.clone(),
		};
		let full = site.and_then(Sites::<T>::get).is_none_or(|stored| {
			own_members || stored.meters.len() as u32 >= T::MaxMetersPerSite::get()
		});
		if full {
			T::Members::enrol_for_benchmark(&owner, Role::BuildingOwner);
			site = Some(NextSiteId::<T>::get());
			Pallet::<T>::do_register_site(owner.clone(), details::<T>()).unwrap_or_default();
		}
		let key = device_key(index);
		let spec = MeterSpec {
			kind: MeterKind::GridImport,
			multiplier: 10,
			max_power: 1_000_000,
			device_key: key,
		};
		let meter = NextMeterId::<T>::get();
		Pallet::<T>::do_register_meter(owner, site.unwrap_or_default(), spec).unwrap_or_default();
		let first = reading(meter, 1, T0 + MINUTE, 1_000);
		let _ = Pallet::<T>::do_submit_readings(None, vec![sign::<T>(&key, first)]);
		created.push((meter, key));
	}
	// The readings benchmarked come in a later block than the set-up's.
	frame_system::Pallet::<T>::set_block_number(
		frame_system::Pallet::<T>::block_number() + 1u32.into(),
	);
	(relay, created)
}

/// Makes `meter` owe its open day, with a complete period in it and some of it credited
/// already: leaving service or closing the day then credits its owner's day, the costliest way.
fn owing<T: Config>(meter: MeterId) {
	let Some(mut record) = Meters::<T>::get(meter) else { return };
	record.day.complete_periods = 2;
	let credited = Some(CreditedDay { day: record.open_day, periods: 1 });
	MeterActivities::<T>::insert(
		meter,
		MeterActivity { owes_from: 0, left_on: Some(record.open_day), credited },
	);
	Meters::<T>::insert(meter, record);
}

/// A reading carrying demand and temperature, so every check runs.
fn reading(meter: MeterId, sequence: u64, timestamp: Moment, register: u64) -> Reading {
	Reading { meter, sequence, timestamp, register, demand: Some(25_000), temperature: Some(215) }
}

/// One new reading per meter, in the period their first reading opened.
fn one_each<T: Config>(created: &[(MeterId, sr25519::Public)]) -> Vec<SignedReading> {
	created
		.iter()
		.map(|(meter, key)| sign::<T>(key, reading(*meter, 2, T0 + 2 * MINUTE, 1_010)))
		.collect()
}

fn assert_accepted<T: Config>(created: &[(MeterId, sr25519::Public)], length: u64) {
	for (meter, _) in created {
		assert_eq!(Meters::<T>::get(meter).map(|record| record.chain.length), Some(length));
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_site() {
		let who: T::AccountId = whitelisted_caller();
		T::Members::enrol_for_benchmark(&who, Role::BuildingOwner);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), details::<T>());

		assert!(Sites::<T>::contains_key(0));
	}

	#[benchmark]
	fn update_site() {
		let (who, site) = owner::<T>();
		let mut changed = details::<T>();
		changed.floor_area = 15_000;

		#[extrinsic_call]
		_(RawOrigin::Signed(who), site, changed);

		assert_eq!(Sites::<T>::get(site).map(|stored| stored.details.floor_area), Some(15_000));
	}

	#[benchmark]
	fn register_meter() {
		let (who, site) = owner::<T>();
		for index in 1..T::MaxMetersPerSite::get() {
			let spec = MeterSpec {
				kind: MeterKind::SubMeter,
				multiplier: 1,
				max_power: 1,
				device_key: device_key(index),
			};
			Pallet::<T>::do_register_meter(who.clone(), site, spec).unwrap_or_default();
		}
		let spec = MeterSpec {
			kind: MeterKind::GridImport,
			multiplier: 1,
			max_power: 1,
			device_key: device_key(0),
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(who), site, spec);

		assert_eq!(
			Sites::<T>::get(site).map(|stored| stored.meters.len() as u32),
			Some(T::MaxMetersPerSite::get())
		);
	}

	#[benchmark]
	fn rotate_device_key() {
		let (who, created) = meters::<T>(1, false);
		let new_key = device_key(1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), created[0].0, new_key);

		assert_eq!(MeterOfKey::<T>::get(new_key), Some(created[0].0));
	}

	#[benchmark]
	fn declare_exchange() {
		let (who, created) = meters::<T>(1, false);
		// The old register's last energy spreads over the most periods it can (a day it closes
		// is charged as `close_day` measures it).
		let now = T0 + (T::MaxSpreadPeriods::get() as u64) * T::PeriodLength::get();
		T::BenchmarkHelper::set_time(now);
		let new_key = device_key(1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), created[0].0, 5_000, 0, now, Some(new_key));

		assert_eq!(Meters::<T>::get(created[0].0).map(|record| record.exchanges), Some(1));
	}

	#[benchmark]
	fn set_meter_status() {
		let (who, created) = meters::<T>(1, false);
		owing::<T>(created[0].0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), created[0].0, MeterStatus::Suspended);

		assert_eq!(
			Meters::<T>::get(created[0].0).map(|record| record.status),
			Some(MeterStatus::Suspended)
		);
	}

	/// `n` readings of one meter relayed by a member, as many as a block judges of one meter,
	/// each the minimum interval after the one before.
	#[benchmark]
	fn submit_readings_one_meter(n: Linear<1, { T::MaxIngestPerBlock::get() }>) {
		let (who, created) = meters::<T>(1, false);
		let (meter, key) = created[0];
		let interval = T::MinReadingInterval::get();
		let batch: Vec<_> = (0..n as u64)
			.map(|i| sign::<T>(&key, reading(meter, 2 + i, T0 + 2 * MINUTE + i * interval, 1_010)))
			.collect();

		#[extrinsic_call]
		submit_readings(RawOrigin::Signed(who), batch);

		assert_accepted::<T>(&created, 1 + n as u64);
	}

	/// One reading from each of `n` meters relayed by a member.
	#[benchmark]
	fn submit_readings_many_meters(n: Linear<1, { T::MaxBatch::get() }>) {
		let (who, created) = meters::<T>(n, false);
		let batch = one_each::<T>(&created);

		#[extrinsic_call]
		submit_readings(RawOrigin::Signed(who), batch);

		assert_accepted::<T>(&created, 2);
	}

	/// One reading from each of `n` meters in a batch their signatures authorized (checked in
	/// `authorize_submit_readings`, not again here).
	#[benchmark]
	fn submit_authorized_readings(n: Linear<1, { T::MaxBatch::get() }>) {
		let (_, created) = meters::<T>(n, false);
		let batch = one_each::<T>(&created);

		#[extrinsic_call]
		submit_readings(RawOrigin::Authorized, batch);

		assert_accepted::<T>(&created, 2);
	}

	/// One reading from each of `n` meters of `n` members in an authorized batch: against
	/// `submit_authorized_readings`, what every member beyond a batch's first adds (its status
	/// and its count of the block read, the count written).
	#[benchmark]
	fn submit_readings_many_owners(n: Linear<1, { T::MaxBatch::get() }>) {
		let (_, created) = meters::<T>(n, true);
		let batch = one_each::<T>(&created);

		#[extrinsic_call]
		submit_readings(RawOrigin::Authorized, batch);

		assert_accepted::<T>(&created, 2);
	}

	/// Pool validation of a batch with one reading from each of `n` meters.
	#[benchmark]
	fn authorize_submit_readings(
		n: Linear<1, { T::MaxBatch::get() }>,
	) -> Result<(), BenchmarkError> {
		let (_, created) = meters::<T>(n, false);
		let call = Call::<T>::submit_readings { readings: one_each::<T>(&created) };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("submit_readings must be authorizable")?
				.map_err(|_| "the batch must be valid")?;
		}

		Ok(())
	}

	/// One reading whose energy spreads over `c` more periods, each closed and written.
	#[benchmark]
	fn close_periods(c: Linear<0, { T::MaxSpreadPeriods::get() }>) {
		let (who, created) = meters::<T>(1, false);
		let (meter, key) = created[0];
		let at = T0 + MINUTE + u64::from(c) * T::PeriodLength::get();
		T::BenchmarkHelper::set_time(at);
		let batch = vec![sign::<T>(&key, reading(meter, 2, at, 1_010))];

		#[extrinsic_call]
		submit_readings(RawOrigin::Signed(who), batch);

		let open = Pallet::<T>::period_of(at);
		assert_eq!(Meters::<T>::get(meter).map(|record| record.open_period), Some(open));
	}

	/// One reading on the next day: it closes the open period and the open day, which the meter
	/// owed and had credited in part, so the rest goes to its owner's day.
	#[benchmark]
	fn close_day() {
		let (who, created) = meters::<T>(1, false);
		let (meter, key) = created[0];
		// Within the spread limit, so the energy goes to periods as well.
		let at = T0 + DAY_MS;
		T::BenchmarkHelper::set_time(at);
		let interval = T::PeriodLength::get();
		let batch = vec![sign::<T>(&key, reading(meter, 2, at - interval, 1_005))];
		let _ = Pallet::<T>::do_submit_readings(None, batch);
		owing::<T>(meter);
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number() + 1u32.into(),
		);
		let batch = vec![sign::<T>(&key, reading(meter, 3, at + MINUTE, 1_010))];

		#[extrinsic_call]
		submit_readings(RawOrigin::Signed(who), batch);

		let record = Meters::<T>::get(meter);
		assert_eq!(
			record.map(|record| record.open_day),
			Some(Pallet::<T>::day_of_period(Pallet::<T>::period_of(at)))
		);
		assert!(DayTotals::<T>::contains_key(
			Pallet::<T>::day_of_period(Pallet::<T>::period_of(T0)),
			meter
		));
	}

	/// Removing `n` aggregates of one period older than what is kept (a block removes at most
	/// `MAX_STEPS` of a kind).
	#[benchmark]
	fn prune(n: Linear<0, { crate::pruning::MAX_STEPS - 1 }>) {
		T::BenchmarkHelper::set_time(T0);
		let old = Pallet::<T>::oldest_kept_period(T0).saturating_sub(1);
		for meter in 0..n {
			PeriodAggregates::<T>::insert(old, meter, PeriodAggregate::default());
		}
		Pruning::<T>::put(PruneCursor {
			period: old,
			day: Pallet::<T>::oldest_kept_day(T0),
			started: true,
		});

		#[block]
		{
			Pallet::<T>::prune(Weight::MAX);
		}

		assert_eq!(PeriodAggregates::<T>::iter_prefix(old).count(), 0);
		assert_eq!(Pruning::<T>::get().period, old + 1);
	}

	#[benchmark]
	fn force_meter_status() -> Result<(), BenchmarkError> {
		let (_, created) = meters::<T>(1, false);
		owing::<T>(created[0].0);
		let origin = T::ForceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Stop("the council origin cannot be made"))?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, created[0].0, MeterStatus::SuspendedByCouncil);

		assert_eq!(
			Meters::<T>::get(created[0].0).map(|record| record.status),
			Some(MeterStatus::SuspendedByCouncil)
		);
		Ok(())
	}

	/// A skip relayed by a member, its signature checked in the call.
	#[benchmark]
	fn skip_sequences() {
		let (who, created) = meters::<T>(1, false);
		let (meter, key) = created[0];
		let skip = sign_skip::<T>(&key, SequenceSkip { meter, first: 2, last: 9 });

		#[extrinsic_call]
		_(RawOrigin::Signed(who), skip);

		assert_eq!(Meters::<T>::get(meter).and_then(|record| record.last_sequence), Some(9));
	}

	/// Pool validation of a skip.
	#[benchmark]
	fn authorize_skip_sequences() -> Result<(), BenchmarkError> {
		let (_, created) = meters::<T>(1, false);
		let (meter, key) = created[0];
		let skip = sign_skip::<T>(&key, SequenceSkip { meter, first: 2, last: 9 });
		let call = Call::<T>::skip_sequences { skip };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("skip_sequences must be authorizable")?
				.map_err(|_| "the skip must be valid")?;
		}

		Ok(())
	}

	/// Reporting a day that a meter owed, so the registry scores it.
	#[benchmark]
	fn report_completeness() -> Result<(), BenchmarkError> {
		let (who, _) = meters::<T>(1, false);
		let member = T::Members::active_member_of(&who).ok_or("the relay must be a member")?;
		T::BenchmarkHelper::set_time(T0 + 3 * DAY_MS);
		// The day the meter was registered on owed nothing; the next owed its periods.
		Pallet::<T>::do_report_completeness(member).map_err(|_| "the first day must be due")?;
		let day = Pallet::<T>::day_of_period(Pallet::<T>::period_of(T0)).saturating_add(1);
		// A complete day: the registry's costliest path, a gain counted against its cap.
		let periods = Pallet::<T>::periods_per_day() as u32;
		MemberDays::<T>::mutate(day, member, |member_day| member_day.complete_periods = periods);
		T::Reputation::fill_history_for_benchmark(member);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), member);

		assert_eq!(MemberDays::<T>::get(day, member).reported, Some(1000));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
