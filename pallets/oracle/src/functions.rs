//! Recording submissions, fixing a period's value at quorum, and the quorum itself.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*, traits::UnixTime};
use pallet_registry::{MemberId, MemberRegistry, Role};

/// The lower median of `values` (sorted in place): the middle one, or for an even count the
/// lower of the two middle ones. `None` for no values.
///
/// Always one of the submitted values, never a mean: with the mean of two middle values, a
/// single provider of an even count sets half of the value, as far off as it likes. Of three or
/// more submissions of which one is dishonest, the lower median lies between the lowest and the
/// highest honest value, whatever the dishonest one submitted.
pub fn median(values: &mut [i64]) -> Option<i64> {
	values.sort_unstable();
	let middle = values.len().checked_sub(1)? / 2;
	values.get(middle).copied()
}

/// The least quorum the council may set: with fewer submissions no median outvotes one
/// dishonest provider. Genesis may set less, for a chain with a single trusted provider (the
/// development chain).
pub const MIN_QUORUM: u32 = 3;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_submit_values(
		who: T::AccountId,
		values: BoundedVec<Submission, T::MaxBatch>,
	) -> DispatchResult {
		let provider = T::Members::active_member_of(&who).ok_or(Error::<T>::NotAMember)?;
		ensure!(
			T::Members::has_role(provider, Role::OracleProvider),
			Error::<T>::NotAnOracleProvider
		);
		ensure!(!values.is_empty(), Error::<T>::EmptyBatch);
		// One value per feed and period: a forecast revised twice in one batch would report
		// every step.
		let mut seen = alloc::collections::BTreeSet::new();
		for Submission { feed, period, .. } in values.iter() {
			ensure!(seen.insert((period, feed)), Error::<T>::DuplicateValue);
		}
		let current = Self::current_period()?;
		let quorum = Quorum::<T>::get();
		for Submission { feed, period, value } in values.iter() {
			Self::check(feed, *period, *value, current)?;
			Values::<T>::try_mutate(period, feed, |slot| -> DispatchResult {
				let entry = slot.get_or_insert_with(Default::default);
				let forecast = feed.kind.timing() == Timing::Forecast;
				match entry.submissions.iter_mut().find(|(member, _)| *member == provider) {
					// A provider's newer forecast replaces its own.
					Some((_, own)) if forecast => *own = *value,
					Some(_) => return Err(Error::<T>::AlreadySubmitted.into()),
					None => entry
						.submissions
						.try_push((provider, *value))
						.map_err(|_| Error::<T>::TooManySubmissions)?,
				}
				match entry.value {
					_ if forecast => Self::revise_forecast(feed, *period, entry, quorum),
					Some(final_value) => {
						Self::report_outlier(feed, *period, provider, *value, final_value)
					}
					None if entry.submissions.len() as u32 >= quorum => {
						Self::finalize(feed, *period, entry)
					}
					None => {}
				}
				Ok(())
			})?;
		}
		Self::deposit_event(Event::ValuesSubmitted { provider, count: values.len() as u32 });
		Ok(())
	}

	pub(crate) fn do_finalize_value(
		who: T::AccountId,
		feed: Feed,
		period: PeriodIndex,
	) -> DispatchResult {
		T::Members::active_member_of(&who).ok_or(Error::<T>::NotAMember)?;
		if feed.kind.timing() == Timing::Forecast {
			// A forecast's period that has begun keeps the forecast it had then, or none.
			let open = feed.kind.open_periods(Self::current_period()?, 0, T::MaxLead::get());
			ensure!(period >= *open.start(), Error::<T>::PeriodTooOld);
		}
		Values::<T>::try_mutate(period, &feed, |slot| -> DispatchResult {
			let entry = slot.as_mut().ok_or(Error::<T>::QuorumNotReached)?;
			ensure!(entry.value.is_none(), Error::<T>::AlreadyFinal);
			ensure!(
				entry.submissions.len() as u32 >= Quorum::<T>::get(),
				Error::<T>::QuorumNotReached
			);
			match feed.kind.timing() {
				Timing::Forecast => Self::revise_forecast(&feed, period, entry, 0),
				Timing::Observed | Timing::Published => Self::finalize(&feed, period, entry),
			}
			Ok(())
		})
	}

	pub(crate) fn do_set_quorum(quorum: u32) -> DispatchResult {
		ensure!((MIN_QUORUM..=T::MaxProviders::get()).contains(&quorum), Error::<T>::InvalidQuorum);
		Quorum::<T>::put(quorum);
		Self::deposit_event(Event::QuorumSet { quorum });
		Ok(())
	}

	/// Whether a provider may submit `value` for `feed` and `period` now.
	fn check(feed: &Feed, period: PeriodIndex, value: i64, current: PeriodIndex) -> DispatchResult {
		ensure!(smartblocks_primitives::is_region_code(&feed.region), Error::<T>::InvalidRegion);
		ensure!(feed.kind.plausible().contains(&value), Error::<T>::ImplausibleValue);
		let open = feed.kind.open_periods(current, T::SubmissionWindow::get(), T::MaxLead::get());
		ensure!(period >= *open.start(), Error::<T>::PeriodTooOld);
		ensure!(period <= *open.end(), Error::<T>::PeriodNotEnded);
		Ok(())
	}

	/// Fixes the period's value as the median of its submissions so far and reports outliers.
	fn finalize(feed: &Feed, period: PeriodIndex, entry: &mut FeedPeriodOf<T>) {
		let mut values: alloc::vec::Vec<i64> =
			entry.submissions.iter().map(|(_, value)| *value).collect();
		let Some(value) = median(&mut values) else { return };
		entry.value = Some(value);
		Self::deposit_event(Event::ValueFinalized {
			feed: feed.clone(),
			period,
			value,
			providers: entry.submissions.len() as u32,
		});
		for (provider, submitted) in entry.submissions.iter() {
			Self::report_outlier(feed, period, *provider, *submitted, value);
		}
	}

	/// Makes a forecast's value the median of every provider's latest submission once `quorum`
	/// have submitted (or once it has a value: a quorum raised later does not freeze it), and
	/// reports a change. Outliers are not reported: forecasts of different models differ, and
	/// the runtime API lists them.
	fn revise_forecast(feed: &Feed, period: PeriodIndex, entry: &mut FeedPeriodOf<T>, quorum: u32) {
		if entry.value.is_none() && (entry.submissions.len() as u32) < quorum {
			return;
		}
		let mut values: alloc::vec::Vec<i64> =
			entry.submissions.iter().map(|(_, value)| *value).collect();
		let Some(value) = median(&mut values) else { return };
		if entry.value == Some(value) {
			return;
		}
		entry.value = Some(value);
		Self::deposit_event(Event::ForecastRevised {
			feed: feed.clone(),
			period,
			value,
			providers: entry.submissions.len() as u32,
		});
	}

	/// Reports `submitted` if it lies beyond the kind's tolerance from the period's value.
	fn report_outlier(
		feed: &Feed,
		period: PeriodIndex,
		provider: MemberId,
		submitted: i64,
		value: i64,
	) {
		if Self::is_outlier(feed.kind, submitted, value) {
			Self::deposit_event(Event::OutlierRecorded {
				feed: feed.clone(),
				period,
				provider,
				submitted,
				value,
			});
		}
	}

	/// Whether `submitted` lies farther from `value` than `kind` tolerates.
	pub fn is_outlier(kind: FeedKind, submitted: i64, value: i64) -> bool {
		submitted.abs_diff(value) > kind.tolerance(value)
	}

	/// The settlement period the chain's clock is in.
	pub(crate) fn current_period() -> Result<PeriodIndex, DispatchError> {
		let now = T::UnixTime::now().as_millis();
		ensure!(now > 0, Error::<T>::NoClock);
		Ok(Self::period_of(u64::try_from(now).unwrap_or(u64::MAX)))
	}

	/// The settlement period `at` (ms) falls in.
	pub fn period_of(at: Moment) -> PeriodIndex {
		PeriodIndex::try_from(at / T::PeriodLength::get().max(1)).unwrap_or(PeriodIndex::MAX)
	}
}

impl<T: Config> crate::FeedValues for Pallet<T> {
	fn value(kind: FeedKind, region: &[u8], period: PeriodIndex) -> Option<i64> {
		if kind.timing() == Timing::Forecast {
			return None;
		}
		let region = BoundedVec::try_from(region.to_vec()).ok()?;
		Values::<T>::get(period, Feed { kind, region })?.value
	}

	fn mean(kind: FeedKind, region: &[u8], first: PeriodIndex, periods: u32) -> Option<(i64, u32)> {
		if kind.timing() == Timing::Forecast {
			return None;
		}
		let feed = Feed { kind, region: BoundedVec::try_from(region.to_vec()).ok()? };
		let (sum, count) = (first..first.saturating_add(periods))
			.filter_map(|period| Values::<T>::get(period, &feed)?.value)
			// At most u32::MAX values of at most 2^63 each: an i128 sum cannot overflow.
			.fold((0i128, 0u32), |(sum, count), value| (sum + i128::from(value), count + 1));
		if count == 0 {
			return None;
		}
		let count_wide = i128::from(count);
		// Half away from zero: add half the divisor in the sum's direction, then truncate.
		let rounded = (sum + sum.signum() * count_wide / 2) / count_wide;
		Some((i64::try_from(rounded).ok()?, count))
	}
}

/// Set-up for other pallets' benchmarks.
#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Makes `value` the final value of `kind` in `region` for `period`.
	pub fn value_for_benchmark(kind: FeedKind, region: &[u8], period: PeriodIndex, value: i64) {
		let feed = Feed { kind, region: BoundedVec::truncate_from(region.to_vec()) };
		let submissions = BoundedVec::truncate_from(alloc::vec![(0, value)]);
		Values::<T>::insert(period, feed, FeedPeriod { submissions, value: Some(value) });
	}
}
