//! Storage migrations of the registry pallet.

use crate::pallet::*;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// Version 1 to 2: pending applications are counted (they became a `CountedStorageMap` so that
/// `MaxApplications` can bound them). Counting reads each pending application once; there are
/// few, since each holds a deposit until the council decides.
pub type V1ToV2<T> = VersionedMigration<
	1,
	2,
	CountApplications<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Sets the count of pending applications from the applications stored.
pub struct CountApplications<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for CountApplications<T> {
	fn on_runtime_upgrade() -> Weight {
		let counted = Applications::<T>::initialize_counter();
		T::DbWeight::get().reads_writes(u64::from(counted).saturating_add(1), 1)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		ensure!(
			Pallet::<T>::applications_counted(),
			"the count of applications does not match them"
		);
		Ok(())
	}
}

/// Version 2 to 3: the registry keeps the council's seats (before, `pallet_membership` did,
/// out of the registry's reach). The council's current members become its seats, except an
/// account that does not act for an active member or whose member already has one (the
/// earlier in account order keeps it): those leave the council, since a seat out of the
/// registry's reach would survive its member's suspension. `CouncilMembers` reads the
/// collective's members.
pub type V2ToV3<T, CouncilMembers> = VersionedMigration<
	2,
	3,
	SeatCouncil<T, CouncilMembers>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Takes the collective's members as the registry's council seats.
pub struct SeatCouncil<T, CouncilMembers>(core::marker::PhantomData<(T, CouncilMembers)>);

impl<T: Config, CouncilMembers: Get<alloc::vec::Vec<T::AccountId>>> UncheckedOnRuntimeUpgrade
	for SeatCouncil<T, CouncilMembers>
{
	fn on_runtime_upgrade() -> Weight {
		use frame_support::traits::ChangeMembers;
		let mut members = CouncilMembers::get();
		members.sort();
		let (mut seats, mut unseated) = (BoundedVec::new(), alloc::vec::Vec::new());
		for account in &members {
			let seat = Pallet::<T>::acting_member(account)
				.ok()
				.filter(|member| !seats.iter().any(|(_, of)| of == member));
			match seat {
				Some(member) if seats.try_push((account.clone(), member)).is_ok() => {}
				_ => unseated.push(account.clone()),
			}
		}
		let seated = Pallet::<T>::seated_accounts(&seats);
		// Also resets the collective's prime, which nothing sets any more.
		T::Council::change_members_sorted(&[], &unseated, &seated);
		CouncilSeats::<T>::put(seats);
		// Each member: its account and its record; then the seats and the collective.
		let reads = (members.len() as u64).saturating_mul(2).saturating_add(1);
		T::DbWeight::get().reads_writes(reads, 1).saturating_add(T::CouncilChangeWeight::get())
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok(CouncilMembers::get().encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let before = alloc::vec::Vec::<T::AccountId>::decode(&mut &before[..])
			.map_err(|_| "the council before the upgrade does not decode")?;
		let seats = CouncilSeats::<T>::get();
		let seated = Pallet::<T>::seated_accounts(&seats);
		ensure!(seated.iter().all(|a| before.contains(a)), "a seat went to a new account");
		ensure!(CouncilMembers::get() == seated, "the council is not its seats");
		ensure!(
			seats.len() >= T::MinCouncilSeats::get() as usize,
			"the council has fewer seats than MinCouncilSeats"
		);
		Pallet::<T>::do_try_state()
	}
}
