//! What must hold after every block and every test (`try_state`).

use crate::{pallet::*, types::*};
use alloc::collections::BTreeSet;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Counts match, every account and validator belongs to a live member both ways, council
	/// seats belong to active members one each, scores and histories stay in bounds.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let next_id = NextMemberId::<T>::get();
		let window = Self::gain_window();
		let mut live = 0u32;
		for (member, info) in Members::<T>::iter() {
			ensure!(member < next_id, "a member number is not below NextMemberId");
			ensure!(info.score <= MAX_SCORE, "a score is above the maximum");
			// Only the current window is bound by today's cap (an upgrade may lower it).
			let gain = Gains::<T>::get(member);
			ensure!(gain.window <= window, "a member's gains are of a window to come");
			ensure!(
				gain.window < window || gain.points <= T::MaxGainPerWindow::get(),
				"a member gained more than a window allows"
			);
			let accounts = Accounts::<T>::get(member);
			for node in Nodes::<T>::get(member) {
				ensure!(NodeOwner::<T>::get(&node) == Some(member), "a node does not point back");
			}
			if info.status == MemberStatus::Retired {
				ensure!(accounts.is_empty(), "a retired member still has accounts");
				ensure!(Nodes::<T>::get(member).is_empty(), "a retired member still has nodes");
			} else {
				live = live.saturating_add(1);
				ensure!(!accounts.is_empty(), "a member has no account");
			}
			for account in &accounts {
				ensure!(
					AccountOf::<T>::get(account) == Some(member),
					"a member's account does not point back to it"
				);
			}
			if let Some(last) = ReputationHistory::<T>::get(member).last() {
				ensure!(last.score == info.score, "the latest history entry is not the score");
			}
		}
		ensure!(MemberCount::<T>::get() == live, "MemberCount does not match the members");
		for (account, member) in AccountOf::<T>::iter() {
			ensure!(
				Accounts::<T>::get(member).contains(&account),
				"an account points to a member that does not list it"
			);
			ensure!(!Applications::<T>::contains_key(&account), "a member account is applying");
		}
		ensure!(Self::applications_counted(), "the count of applications does not match them");
		let mut seen = BTreeSet::new();
		for (account, member) in Validators::<T>::get() {
			ensure!(
				AccountOf::<T>::get(&account) == Some(member),
				"a validator is not an account of its member"
			);
			ensure!(seen.insert(account), "a validator is approved twice");
		}
		let seats = CouncilSeats::<T>::get();
		ensure!(
			seats.windows(2).all(|pair| pair[0].0 < pair[1].0),
			"council seats are not sorted by account, or an account is seated twice"
		);
		let mut seated = BTreeSet::new();
		for (account, member) in seats.iter() {
			ensure!(
				AccountOf::<T>::get(account) == Some(*member),
				"a council seat is not an account of its member"
			);
			ensure!(
				Members::<T>::get(member).is_some_and(|info| info.status == MemberStatus::Active),
				"a council seat is held for a member that is not active"
			);
			ensure!(seated.insert(*member), "a member holds two council seats");
		}
		for (node, member) in NodeOwner::<T>::iter() {
			ensure!(Nodes::<T>::get(member).contains(&node), "a node's member does not list it");
		}
		for member in ReputationHistory::<T>::iter_keys() {
			ensure!(Members::<T>::contains_key(member), "history for an unknown member");
		}
		Ok(())
	}

	/// Whether the count of pending applications is the number stored.
	pub(crate) fn applications_counted() -> bool {
		Applications::<T>::count() as usize == Applications::<T>::iter_keys().count()
	}
}
