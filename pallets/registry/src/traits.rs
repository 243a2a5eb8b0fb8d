//! What other pallets use the registry for.

use crate::types::{MemberId, ReputationCause, Role, Score};
use sp_runtime::DispatchError;

/// Reports objective on-chain events that move a member's reputation: settlements, data
/// completeness, disputes and peer ratings. Implemented by the registry's pallet.
pub trait ReputationReporter {
	/// Applies `cause` to `member`'s score and records it; returns the new score. Fails for an
	/// unknown or retired member or a cause out of range, changing nothing.
	fn report(member: MemberId, cause: ReputationCause) -> Result<Score, DispatchError>;
	/// Fills `member`'s reputation history to its bound with the longest entries: the history
	/// a report costs most to add to (it drops the oldest). Set-up for other pallets'
	/// benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn fill_history_for_benchmark(member: MemberId);
}

/// Who acts for which member, and in which roles. Implemented by the registry's pallet.
pub trait MemberRegistry<AccountId> {
	/// The active member `who` acts for, if any.
	fn active_member_of(who: &AccountId) -> Option<MemberId>;
	/// Whether `member` holds `role` (whatever its status).
	fn has_role(member: MemberId, role: Role) -> bool;
	/// Whether `member` was ever admitted (whatever its status now).
	fn is_known(member: MemberId) -> bool;
	/// Whether `member` is admitted and neither suspended nor retired.
	fn is_active(member: MemberId) -> bool;
	/// Makes `who` act for an active member holding `role`: set-up for other pallets'
	/// benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn enrol_for_benchmark(who: &AccountId, role: Role) -> MemberId;
}

impl<T: crate::Config> MemberRegistry<T::AccountId> for crate::Pallet<T> {
	fn active_member_of(who: &T::AccountId) -> Option<MemberId> {
		Self::acting_member(who).ok()
	}

	fn has_role(member: MemberId, role: Role) -> bool {
		crate::Members::<T>::get(member).is_some_and(|info| info.roles.contains(role))
	}

	fn is_known(member: MemberId) -> bool {
		crate::Members::<T>::contains_key(member)
	}

	fn is_active(member: MemberId) -> bool {
		crate::Members::<T>::get(member)
			.is_some_and(|info| info.status == crate::types::MemberStatus::Active)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn enrol_for_benchmark(who: &T::AccountId, role: Role) -> MemberId {
		use crate::types::RoleSet;
		let roles = RoleSet::of(&[role]);
		if let Ok(member) = Self::acting_member(who) {
			crate::Members::<T>::mutate(member, |info| {
				if let Some(info) = info {
					info.roles = info.roles.union(roles);
				}
			});
			return member;
		}
		let name = frame_support::BoundedVec::truncate_from(b"benchmark".to_vec());
		Self::enrol(name, who.clone(), roles, Default::default(), Default::default())
			.unwrap_or_default()
	}
}
