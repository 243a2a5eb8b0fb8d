//! Benchmarks for every call and for pruning, each in its worst case: every value completes a
//! quorum of `MaxProviders` submissions, all but one of them outliers.

use super::*;
use crate::types::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	weights::Weight,
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_registry::{MemberRegistry, Role};

/// 2027-01-15T12:00:00Z.
const T0: Moment = 1_810_468_800_000;

fn current<T: Config>() -> PeriodIndex {
	Pallet::<T>::period_of(T0)
}

/// A feed for region `index`: the longest region code, so every key is as long as it gets.
fn feed(index: u32) -> Feed {
	let mut region = vec![b'R'; <MaxRegionLen as Get<u32>>::get() as usize];
	for (slot, shift) in region.iter_mut().zip([12u32, 8, 4, 0]) {
		*slot = b'A' + ((index >> shift) & 0xF) as u8;
	}
	Feed { kind: FeedKind::OutdoorTemperature, region: BoundedVec::truncate_from(region) }
}

/// `count` providers other than the caller, as accounts.
fn providers<T: Config>(count: u32) -> Vec<T::AccountId> {
	(0..count)
		.map(|index| {
			let who: T::AccountId = account("provider", index, 0);
			T::Members::enrol_for_benchmark(&who, Role::OracleProvider);
			who
		})
		.collect()
}

/// Submits a value of each of `others` for `feed`'s period, far apart so the median leaves most
/// of them outliers.
fn almost_full<T: Config>(
	feed: &Feed,
	period: PeriodIndex,
	others: &[T::AccountId],
) -> Result<(), BenchmarkError> {
	for (index, who) in others.iter().enumerate() {
		// −50.0 °C to +45.0 °C in steps of 5 °C.
		let value = ((index as i64 % 20) - 10) * 50;
		let submission = Submission { feed: feed.clone(), period, value };
		let values = BoundedVec::truncate_from(vec![submission]);
		Pallet::<T>::do_submit_values(who.clone(), values)
			.map_err(|_| BenchmarkError::Stop("a provider's set-up submission failed"))?;
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `n` values, each completing its period's quorum.
	#[benchmark]
	fn submit_values(n: Linear<1, { T::MaxBatch::get() }>) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(T0);
		let max = T::MaxProviders::get();
		Quorum::<T>::put(max);
		let others = providers::<T>(max - 1);
		let period = current::<T>() - 1;
		for index in 0..n {
			almost_full::<T>(&feed(index), period, &others)?;
		}
		let caller: T::AccountId = whitelisted_caller();
		T::Members::enrol_for_benchmark(&caller, Role::OracleProvider);
		let values: Vec<_> =
			(0..n).map(|index| Submission { feed: feed(index), period, value: 0 }).collect();
		let values = BoundedVec::truncate_from(values);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), values);

		for index in 0..n {
			assert!(
				Values::<T>::get(period, feed(index)).is_some_and(|entry| entry.value.is_some())
			);
		}
		Ok(())
	}

	/// A full period fixed after the quorum was lowered.
	#[benchmark]
	fn finalize_value() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(T0);
		let max = T::MaxProviders::get();
		// A quorum nobody reaches while the period fills up, then a lower one.
		Quorum::<T>::put(max + 1);
		let others = providers::<T>(max);
		let period = current::<T>() - 1;
		almost_full::<T>(&feed(0), period, &others)?;
		Quorum::<T>::put(1);
		let caller: T::AccountId = whitelisted_caller();
		T::Members::enrol_for_benchmark(&caller, Role::BuildingOwner);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), feed(0), period);

		assert!(Values::<T>::get(period, feed(0)).is_some_and(|entry| entry.value.is_some()));
		Ok(())
	}

	#[benchmark]
	fn set_quorum() -> Result<(), BenchmarkError> {
		let origin =
			T::QuorumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::MaxProviders::get());

		assert_eq!(Quorum::<T>::get(), T::MaxProviders::get());
		Ok(())
	}

	/// Removing `n` feeds of one period older than what is kept.
	#[benchmark]
	fn prune(n: Linear<0, { crate::pruning::MAX_STEPS - 1 }>) {
		T::BenchmarkHelper::set_time(T0);
		let old = Pallet::<T>::oldest_kept_period(current::<T>()).saturating_sub(1);
		for index in 0..n {
			Values::<T>::insert(old, feed(index), FeedPeriodOf::<T>::default());
		}
		Pruning::<T>::put(PruneCursor { period: old, started: true });

		#[block]
		{
			Pallet::<T>::prune(Weight::MAX);
		}

		assert_eq!(Values::<T>::iter_prefix(old).count(), 0);
		assert_eq!(Pruning::<T>::get().period, old + 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
