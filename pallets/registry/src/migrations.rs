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
