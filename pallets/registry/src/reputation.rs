//! The reputation rule (see the pallet docs) and how reported events are applied.

use crate::{pallet::*, types::*, ReputationReporter};
use frame_support::pallet_prelude::*;

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

/// The score after `cause`, clamped to `0..=MAX_SCORE`.
pub fn next_score(score: Score, cause: ReputationCause) -> Result<Score, InvalidCause> {
	let moved = i32::from(score).saturating_add(points(cause)?);
	let clamped = moved.clamp(0, i32::from(MAX_SCORE));
	// In range by the clamp; the fallback is never taken.
	Ok(Score::try_from(clamped).unwrap_or(MAX_SCORE))
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_report(
		member: MemberId,
		cause: ReputationCause,
	) -> Result<Score, DispatchError> {
		let mut info = Self::member(member)?;
		ensure!(info.status != MemberStatus::Retired, Error::<T>::MemberRetired);
		let score = next_score(info.score, cause).map_err(|invalid| match invalid {
			InvalidCause::Completeness => Error::<T>::InvalidCompleteness,
			InvalidCause::Rating => Error::<T>::InvalidRating,
		})?;
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

impl<T: Config> ReputationReporter for Pallet<T> {
	fn report(member: MemberId, cause: ReputationCause) -> Result<Score, DispatchError> {
		Self::do_report(member, cause)
	}
}
