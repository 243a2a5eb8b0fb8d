//! Peer ratings: once a contract has ended, each party rates the other, which moves the rated
//! member's reputation in the registry.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use pallet_registry::{ReputationCause, RATING_STARS};
use smartblocks_rules::time::day_of;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_rate_counterparty(
		who: T::AccountId,
		contract_id: ContractId,
		stars: u8,
	) -> DispatchResult {
		let rater = Self::member_of(&who)?;
		let today = day_of(Self::now()?);
		let contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::UnknownContract)?;
		Self::ensure_party(&contract, rater)?;
		ensure!(
			matches!(contract.state, ContractState::Completed | ContractState::Terminated(_)),
			Error::<T>::NotEnded
		);
		ensure!(contract.settled > 0, Error::<T>::NeverSettled);
		ensure!(RATING_STARS.contains(&stars), Error::<T>::InvalidRating);
		ensure!(!Ratings::<T>::contains_key(contract_id, rater), Error::<T>::AlreadyRated);
		let agreement = &contract.agreement;
		let rated = match rater == agreement.provider {
			true => agreement.client,
			false => agreement.provider,
		};
		if let Some(last) = LastRatings::<T>::get(rater, rated) {
			// A sum past the last day number means: not again on this chain.
			ensure!(
				today >= last.saturating_add(T::RatingIntervalDays::get()),
				Error::<T>::RatedRecently
			);
		}
		Ratings::<T>::insert(contract_id, rater, stars);
		LastRatings::<T>::insert(rater, rated, today);
		Self::report(rated, ReputationCause::PeerRating { stars });
		Self::deposit_event(Event::CounterpartyRated {
			contract: contract_id,
			by: rater,
			member: rated,
			stars,
		});
		Ok(())
	}
}
