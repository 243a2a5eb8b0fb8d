//! The length of a validator session, chosen by the chain's genesis.
//!
//! A development chain wants long sessions; a local test network wants short ones so its tests see
//! validator-set rotations. `pallet_session::PeriodicSessions` reads the length through
//! [`Pallet`]'s `Get` implementation, so each genesis preset can pick its own.

pub use pallet::*;

// The pallet macro's expansion calls `expect` on lookups that cannot fail.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::BlockNumberFor;

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The session length used when genesis does not choose one.
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;
	}

	/// The storage layout's version: 1 only in the upgrade rehearsal, whose migration
	/// (`crate::upgrade_rehearsal`) moves it there.
	const STORAGE_VERSION: StorageVersion =
		StorageVersion::new(if cfg!(feature = "upgrade-rehearsal") { 1 } else { 0 });

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Blocks per session, as set by genesis.
	#[pallet::storage]
	pub type Length<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultSessionLength>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per session; `None` keeps `DefaultSessionLength`.
		pub length: Option<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(length) = self.length {
				assert!(!length.is_zero(), "session length must be at least one block");
				Length::<T>::put(length);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::DefaultSessionLength::get().is_zero(), "DefaultSessionLength must be > 0");
		}
	}

	impl<T: Config> Get<BlockNumberFor<T>> for Pallet<T> {
		fn get() -> BlockNumberFor<T> {
			Length::<T>::get()
		}
	}
}
