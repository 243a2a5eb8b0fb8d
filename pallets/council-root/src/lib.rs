//! # Council root
//!
//! A consortium's chain has no sudo key (only the development chain does), yet some calls only
//! Root may make: a runtime upgrade (`system.authorize_upgrade`, after which anyone submits the
//! code with `system.apply_authorized_upgrade`), a change of a parameter, the recovery of a
//! validator set. This pallet lets the council make them, and only a supermajority of it: its
//! one call, [`Pallet::dispatch`], dispatches a call as Root for
//! [`Config::SupermajorityOrigin`], which the SmartBlocks runtime sets to a council motion
//! approved by at least two thirds of the seats. A bare majority, a single member or anyone else
//! gets `BadOrigin`.
//!
//! As with `pallet-sudo`, the call bypasses the runtime's call filter (Root is never filtered),
//! its result is reported in [`Event::Dispatched`], and `dispatch` itself succeeds whatever that
//! result, so the motion that carried it closes as executed. A failed call changes nothing.
//!
//! Why a pallet of our own: `pallet-sudo` takes one key, which one founder would hold. The
//! whitelist-then-dispatch flow (`pallet-whitelist` with `pallet-preimage`) exists so that a
//! large call need not sit in a motion; an upgrade's motion carries only the code's hash
//! (`authorize_upgrade`), so a motion whose proposal is the call itself is enough, and one
//! motion is what a council votes on.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

// The pallet macros expand to `expect` on metadata lookups that cannot fail.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{extract_actual_weight, GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::UnfilteredDispatchable,
	};
	use frame_system::{pallet_prelude::*, RawOrigin};
	use sp_runtime::traits::Dispatchable;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The runtime's call, any of which a supermajority may dispatch as Root.
		type RuntimeCall: Parameter
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ Dispatchable<PostInfo = PostDispatchInfo>
			+ GetDispatchInfo;
		/// Who may act as Root: at least two thirds of the council in the SmartBlocks runtime.
		type SupermajorityOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		type WeightInfo: WeightInfo;
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A supermajority dispatched a call as Root; `result` is the call's own.
		Dispatched { result: DispatchResult },
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatch `call` as Root.
		///
		/// Origin: `SupermajorityOrigin` (a council motion of at least two thirds). Dispatches
		/// `call` with the Root origin, past the call filter, and emits `Dispatched` with its
		/// result; succeeds whatever that result (a failed call changes nothing). Weighs the
		/// call's weight besides its own, refunded down to what the call used, in the normal
		/// class whatever the call's: only a motion's `close` carries it, and a signed `dispatch`,
		/// which always fails, gets no operational priority.
		///
		/// Errors: `BadOrigin` for any other origin.
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::WeightInfo::dispatch().saturating_add(info.call_weight), DispatchClass::Normal)
		})]
		pub fn dispatch(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			T::SupermajorityOrigin::ensure_origin(origin)?;
			let info = call.get_dispatch_info();
			let result = call.dispatch_bypass_filter(RawOrigin::Root.into());
			let used = extract_actual_weight(&result, &info);
			Self::deposit_event(Event::Dispatched {
				result: result.map(|_| ()).map_err(|error| error.error),
			});
			Ok(Some(T::WeightInfo::dispatch().saturating_add(used)).into())
		}
	}
}
