//! Council seats: who sits on the council, kept here and passed to the council's collective in
//! the same call, so a suspended or retired member never keeps a vote.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{ChangeMembers, InitializeMembers},
};
use frame_system::pallet_prelude::OriginFor;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_grant_council_seat(account: T::AccountId) -> DispatchResult {
		let member = Self::acting_member(&account)?;
		let mut seats = CouncilSeats::<T>::get();
		ensure!(Self::seat_index(&seats, member).is_none(), Error::<T>::MemberHasSeat);
		// An account acts for one member, so a member without a seat has no account seated.
		let at = seats
			.binary_search_by(|(seated, _)| seated.cmp(&account))
			.err()
			.ok_or(Error::<T>::MemberHasSeat)?;
		seats.try_insert(at, (account.clone(), member)).map_err(|_| Error::<T>::TooManySeats)?;
		Self::seat_council(seats, core::slice::from_ref(&account), &[]);
		Self::deposit_event(Event::CouncilSeatGranted { member, account });
		Ok(())
	}

	pub(crate) fn do_revoke_council_seat(account: T::AccountId) -> DispatchResult {
		let member = CouncilSeats::<T>::get()
			.iter()
			.find(|(seated, _)| *seated == account)
			.map(|(_, member)| *member)
			.ok_or(Error::<T>::NoCouncilSeat)?;
		Self::ensure_seat_may_go(member)?;
		Self::unseat(member);
		Ok(())
	}

	/// Passes an origin that may suspend or retire `member`: `CouncilOrigin`, and `SeatOrigin`
	/// too when that takes the member's seat. Returns whether the member holds a seat.
	pub(crate) fn ensure_may_unseat(
		origin: OriginFor<T>,
		member: MemberId,
	) -> Result<bool, DispatchError> {
		T::CouncilOrigin::ensure_origin(origin.clone())?;
		let seated = Self::seat_index(&CouncilSeats::<T>::get(), member).is_some();
		if seated {
			T::SeatOrigin::ensure_origin(origin)?;
		}
		Ok(seated)
	}

	/// Refuses taking `member`'s seat (if it holds one) when that leaves fewer than
	/// `MinCouncilSeats`.
	pub(crate) fn ensure_seat_may_go(member: MemberId) -> Result<(), Error<T>> {
		let seats = CouncilSeats::<T>::get();
		if Self::seat_index(&seats, member).is_some() {
			let remaining = seats.len().saturating_sub(1);
			ensure!(remaining >= T::MinCouncilSeats::get() as usize, Error::<T>::CouncilTooSmall);
		}
		Ok(())
	}

	/// Takes `member`'s seat, if it holds one, and tells the council.
	pub(crate) fn unseat(member: MemberId) {
		let mut seats = CouncilSeats::<T>::get();
		let Some(at) = Self::seat_index(&seats, member) else { return };
		let (account, _) = seats.remove(at);
		Self::seat_council(seats, &[], core::slice::from_ref(&account));
		Self::deposit_event(Event::CouncilSeatRevoked { member, account });
	}

	/// Whether `account` holds a council seat.
	pub(crate) fn is_seated(account: &T::AccountId) -> bool {
		CouncilSeats::<T>::get().iter().any(|(seated, _)| seated == account)
	}

	/// The founding council of a genesis config: one account of each seated founding member.
	pub(crate) fn seat_founders(council: &[T::AccountId]) -> Result<(), &'static str> {
		let mut seats = BoundedVec::<_, T::MaxCouncilSeats>::new();
		for account in council {
			let member = AccountOf::<T>::get(account)
				.ok_or("a council seat is not an account of a founding member")?;
			if Self::seat_index(&seats, member).is_some() {
				return Err("a founding member holds two council seats");
			}
			seats.try_push((account.clone(), member)).map_err(|_| "too many council seats")?;
		}
		seats.sort_by(|(a, _), (b, _)| a.cmp(b));
		T::Council::initialize_members(&Self::seated_accounts(&seats));
		CouncilSeats::<T>::put(seats);
		Ok(())
	}

	/// Stores the seats and gives the council its new members.
	fn seat_council(
		seats: BoundedVec<(T::AccountId, MemberId), T::MaxCouncilSeats>,
		incoming: &[T::AccountId],
		outgoing: &[T::AccountId],
	) {
		T::Council::change_members_sorted(incoming, outgoing, &Self::seated_accounts(&seats));
		CouncilSeats::<T>::put(seats);
	}

	/// The seated accounts, in the seats' (sorted) order.
	pub(crate) fn seated_accounts(seats: &[(T::AccountId, MemberId)]) -> Vec<T::AccountId> {
		seats.iter().map(|(account, _)| account.clone()).collect()
	}

	fn seat_index(seats: &[(T::AccountId, MemberId)], member: MemberId) -> Option<usize> {
		seats.iter().position(|(_, of)| *of == member)
	}
}
