//! The reputation rule (see the pallet docs) and how reported events are applied.

use crate::{pallet::*, types::*, ReputationReporter};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::One;

/// Why a reported cause cannot be scored.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvalidCause {
	/// Completeness above 1000 ‰.
	Completeness,
	/// A rating outside 1–5 stars.
	Rating,
}

/// The points a cause is worth.
pub fn points(cause: ReputationCause) -> Result<i32, InvalidCause> {
	Ok(match cause {
		ReputationCause::SettlementHonoured => 10,
		ReputationCause::SettlementBreached => -50,
		ReputationCause::DataCompleteness { per_mille } => match per_mille {
			1001.. => return Err(InvalidCause::Completeness),
			990.. => 2,
			950.. => 0,
			800.. => -5,
			_ => -15,
		},
		ReputationCause::DisputeWon => 5,
		ReputationCause::DisputeLost => -40,
		ReputationCause::PeerRating { stars } => match RATING_STARS.contains(&stars) {
			true => (i32::from(stars) - 3) * 5,
			false => return Err(InvalidCause::Rating),
		},
	})
}

/// `score` moved by `points`, clamped to `0..=MAX_SCORE`.
pub fn moved_by(score: Score, points: i32) -> Score {
	let clamped = i32::from(score).saturating_add(points).clamp(0, i32::from(MAX_SCORE));
	// In range by the clamp; the fallback is never taken.
	Score::try_from(clamped).unwrap_or(MAX_SCORE)
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_report(
		member: MemberId,
		cause: ReputationCause,
	) -> Result<Score, DispatchError> {
		let mut info = Self::member(member)?;
		ensure!(info.status != MemberStatus::Retired, Error::<T>::MemberRetired);
		let points = points(cause).map_err(|invalid| match invalid {
			InvalidCause::Completeness => Error::<T>::InvalidCompleteness,
			InvalidCause::Rating => Error::<T>::InvalidRating,
		})?;
		let score = moved_by(info.score, Self::within_gain_cap(member, points));
		info.score = score;
		Members::<T>::insert(member, info);
		ReputationHistory::<T>::mutate(member, |history| {
			if history.is_full() {
				history.remove(0);
			}
			// Room was made above, so the push cannot fail.
			let _ = history.try_push(ReputationEntry { block: Self::now(), score, cause });
		});
		Self::deposit_event(Event::ReputationChanged { member, score, cause });
		Ok(score)
	}
}

impl<T: Config> Pallet<T> {
	/// The gain window of the current block.
	pub(crate) fn gain_window() -> BlockNumberFor<T> {
		Self::now() / T::GainWindow::get().max(One::one())
	}

	/// `points` as far as `member`'s gains in the current window leave room for them; losses
	/// pass whole.
	fn within_gain_cap(member: MemberId, points: i32) -> i32 {
		let Ok(wanted) = u16::try_from(points) else { return points };
		if wanted == 0 {
			return 0;
		}
		let window = Self::gain_window();
		Gains::<T>::mutate(member, |gain| {
			if gain.window != window {
				*gain = Gain { window, points: 0 };
			}
			let granted = wanted.min(T::MaxGainPerWindow::get().saturating_sub(gain.points));
			gain.points = gain.points.saturating_add(granted);
			i32::from(granted)
		})
	}
}

impl<T: Config> ReputationReporter for Pallet<T> {
	fn report(member: MemberId, cause: ReputationCause) -> Result<Score, DispatchError> {
		Self::do_report(member, cause)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn fill_history_for_benchmark(member: MemberId) {
		let entry = ReputationEntry {
			block: Self::now(),
			score: MAX_SCORE,
			cause: ReputationCause::DataCompleteness { per_mille: 1000 },
		};
		let entries = alloc::vec![entry; T::MaxHistory::get() as usize];
		ReputationHistory::<T>::insert(member, BoundedVec::truncate_from(entries));
	}
}
