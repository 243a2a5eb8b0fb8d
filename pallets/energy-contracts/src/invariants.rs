//! What must hold between blocks: every contract refers to known members, sites and meters, and
//! its statements are exactly its settled periods; ratings are of ended contracts.

use crate::{pallet::*, types::*};
use pallet_meters::MeterData;
use pallet_registry::{MemberRegistry, RATING_STARS};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants; the `try_state` hook and every unit test call it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextContractId::<T>::get();
		for (id, contract) in Contracts::<T>::iter() {
			let agreement = &contract.agreement;
			if id >= next {
				return Err("a contract's number is not below NextContractId".into());
			}
			for member in [agreement.provider, agreement.client] {
				if !T::Members::is_known(member) {
					return Err("a contract refers to a missing member".into());
				}
				if !MemberContracts::<T>::contains_key(member, id) {
					return Err("a party's contract index misses a contract".into());
				}
			}
			if agreement.sites.iter().any(|site| T::Meters::site(*site).is_none()) {
				return Err("a contract refers to a missing site".into());
			}
			if agreement.meters.iter().any(|meter| T::Meters::meter(*meter).is_none()) {
				return Err("a contract refers to a missing meter".into());
			}
			// Settlement is charged at the largest contract its kind's weight was measured at:
			// a larger one (left by a runtime that lowered a limit) would be under-charged.
			let (max_meters, max_days) = Self::settlement_limits(agreement.terms.kind());
			if agreement.meters.len() as u32 > max_meters
				|| u32::from(agreement.schedule.period_days) > max_days
			{
				return Err(
					"a contract is larger than its settlement weight was measured at".into()
				);
			}
			if contract.settled > agreement.schedule.periods {
				return Err("a contract settled more periods than it has".into());
			}
			// Settled periods are contiguous: statements exist for exactly 0..settled.
			let statements = Statements::<T>::iter_key_prefix(id).count();
			let contiguous =
				(0..contract.settled).all(|period| Statements::<T>::contains_key(id, period));
			if statements != usize::from(contract.settled) || !contiguous {
				return Err("a contract's statements are not its settled periods".into());
			}
			let signed = contract.provider_signed && contract.client_signed;
			if (contract.state == ContractState::Draft) == signed {
				return Err(
					"a draft is signed by all parties, or a signed contract is a draft".into()
				);
			}
		}
		for (id, day, _) in Events::<T>::iter() {
			let in_schedule = Contracts::<T>::get(id).is_some_and(|contract| {
				let schedule = contract.agreement.schedule;
				matches!(contract.agreement.terms, Terms::DemandResponse(_))
					&& (schedule.first_day..schedule.end()).contains(&day)
			});
			if !in_schedule {
				return Err("an event is not on a day of a demand response contract".into());
			}
		}
		for (id, rater, stars) in Ratings::<T>::iter() {
			let ended_with_rater = Contracts::<T>::get(id).is_some_and(|contract| {
				matches!(contract.state, ContractState::Completed | ContractState::Terminated(_))
					&& contract.settled > 0
					&& Self::ensure_party(&contract, rater).is_ok()
			});
			if !ended_with_rater || !RATING_STARS.contains(&stars) {
				return Err("a rating is not a party's, of an ended contract, in stars".into());
			}
		}
		if LastRatings::<T>::iter_keys().any(|(rater, rated)| rater == rated) {
			return Err("a member rated itself".into());
		}
		for (member, id, ()) in MemberContracts::<T>::iter() {
			let party = Contracts::<T>::get(id).is_some_and(|contract| {
				contract.agreement.provider == member || contract.agreement.client == member
			});
			if !party {
				return Err("the contract index names a member that is no party".into());
			}
		}
		Ok(())
	}
}
