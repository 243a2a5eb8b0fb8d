//! The registry as session manager: council-approved validators of active validator operators
//! that have set their session keys.

use crate::pallet::*;
use alloc::vec::Vec;
use frame_support::traits::Contains;

impl<T: Config> Pallet<T> {
	/// The validators for a new session, in approval order.
	pub fn eligible_validators() -> Vec<T::AccountId> {
		Validators::<T>::get()
			.into_iter()
			.filter(|(account, member)| {
				Self::may_validate(*member) && T::HasSessionKeys::contains(account)
			})
			.map(|(account, _)| account)
			.collect()
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	/// `None` keeps the current set: an empty set would halt the chain.
	fn new_session(_: u32) -> Option<Vec<T::AccountId>> {
		let validators = Self::eligible_validators();
		(!validators.is_empty()).then_some(validators)
	}

	fn end_session(_: u32) {}

	fn start_session(_: u32) {}
}
