//! The upgrade rehearsal: this runtime built once more with the `upgrade-rehearsal` feature,
//! one `spec_version` higher and with one versioned storage migration ([`Migrations`]). The
//! node tests upgrade a running four-validator network to it by a council motion and watch
//! blocks, finality, sessions and the migration across the upgrade, so the way every real
//! upgrade takes is tried before one runs on a chain that matters.
//!
//! The migration reads and writes back the session length and moves `SessionLength`'s storage
//! version from 0 to 1; its checks (under `try-runtime`) hold when the length is the same
//! after as before and not zero.

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary_upgrade_rehearsal.rs"));

/// The runtime's own build has nothing to rehearse.
#[cfg(not(feature = "upgrade-rehearsal"))]
pub type Migrations = ();

/// `SessionLength` from storage version 0 to 1, once.
#[cfg(feature = "upgrade-rehearsal")]
pub type Migrations = frame_support::migrations::VersionedMigration<
	0,
	1,
	RewriteSessionLength,
	crate::SessionLength,
	<crate::Runtime as frame_system::Config>::DbWeight,
>;

/// Reads the session length and writes it back.
#[cfg(feature = "upgrade-rehearsal")]
pub struct RewriteSessionLength;

#[cfg(feature = "upgrade-rehearsal")]
impl frame_support::traits::UncheckedOnRuntimeUpgrade for RewriteSessionLength {
	fn on_runtime_upgrade() -> frame_support::weights::Weight {
		let length = crate::session_length::Length::<crate::Runtime>::get();
		crate::session_length::Length::<crate::Runtime>::put(length);
		<crate::Runtime as frame_system::Config>::DbWeight::get().reads_writes(1, 1)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok(crate::session_length::Length::<crate::Runtime>::get().encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(before: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let before = crate::BlockNumber::decode(&mut &before[..])
			.map_err(|_| "the session length before the upgrade does not decode")?;
		let after = crate::session_length::Length::<crate::Runtime>::get();
		frame_support::ensure!(after == before, "the session length changed");
		frame_support::ensure!(after > 0, "the session length is zero");
		Ok(())
	}
}
