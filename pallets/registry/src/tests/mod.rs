//! Unit tests on the mock runtime; each ends with the pallet's `try_state` checks.

mod accounts;
mod applications;
mod council;
mod extension;
mod members;
mod nodes;
mod reputation;
mod validators;

use crate::{mock::*, pallet::*, types::*};
use frame_support::{assert_ok, traits::fungible::InspectHold};
use sp_core::H256;

pub const CONTACT: H256 = H256::repeat_byte(7);

pub fn hold_of(account: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::MembershipDeposit.into(), &account)
}

pub fn esco() -> RoleSet {
	RoleSet::of(&[Role::Esco])
}

/// Account `who` applies as "Delta" for the ESCO role.
pub fn apply(who: u64) {
	assert_ok!(Registry::apply(RuntimeOrigin::signed(who), b"Delta".to_vec(), esco(), CONTACT));
}

/// Account `who` applies and is admitted with `roles`; returns the new member's number.
pub fn admit(who: u64, roles: RoleSet) -> MemberId {
	apply(who);
	assert_ok!(Registry::admit(RuntimeOrigin::root(), who, roles));
	AccountOf::<Test>::get(who).unwrap()
}
