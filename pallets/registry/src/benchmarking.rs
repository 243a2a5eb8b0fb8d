//! Benchmarks for every call and the `CheckMember` extension, each in its worst case:
//! full validator set, full account lists, longest names and reasons.

use super::*;
use crate::types::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get, IsSubType};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let amount = T::ApplicationDeposit::get().saturating_mul(10u32.into()).saturating_add(
		<T::Currency as frame_support::traits::fungible::Inspect<T::AccountId>>::minimum_balance(),
	);
	T::Currency::set_balance(&who, amount);
	who
}

fn longest_name<T: Config>() -> alloc::vec::Vec<u8> {
	vec![b'n'; T::MaxNameLen::get() as usize]
}

fn all_roles() -> RoleSet {
	RoleSet(RoleSet::KNOWN)
}

/// An active member with every role whose first account is `account(name, index)`.
fn member<T: Config>(name: &'static str, index: u32) -> (MemberId, T::AccountId) {
	let who = funded::<T>(name, index);
	let bounded = longest_name::<T>().try_into().unwrap_or_default();
	let member = Pallet::<T>::enrol(bounded, who.clone(), all_roles(), H256::zero(), Zero::zero())
		.unwrap_or_default();
	(member, who)
}

/// Approved validators up to `MaxValidators - room`, each of its own member.
fn fill_validators<T: Config>(room: u32) {
	let target = T::MaxValidators::get().saturating_sub(room) as usize;
	let mut index = 0;
	while Validators::<T>::get().len() < target {
		let (member, who) = member::<T>("validator", index);
		Validators::<T>::mutate(|validators| {
			let _ = validators.try_push((who, member));
		});
		index += 1;
	}
}

/// Council seats up to `MaxCouncilSeats - room`, each of its own member.
fn fill_seats<T: Config>(room: u32) {
	let target = T::MaxCouncilSeats::get().saturating_sub(room) as usize;
	let mut index = 0;
	while CouncilSeats::<T>::get().len() < target {
		let (_, who) = member::<T>("councillor", index);
		let _ = Pallet::<T>::do_grant_council_seat(who);
		index += 1;
	}
}

/// A peer id of the longest length, distinct for each `index`.
fn peer_id<T: Config>(index: u32) -> alloc::vec::Vec<u8> {
	let mut peer_id = vec![b'p'; T::MaxPeerIdLen::get() as usize];
	peer_id[..4].copy_from_slice(&index.to_le_bytes());
	peer_id
}

/// Registers `count` nodes for `member`.
fn add_nodes<T: Config>(member: MemberId, count: u32) {
	for index in 0..count {
		if let Ok(node) = PeerIdOf::<T>::try_from(peer_id::<T>(member * 1000 + index)) {
			Nodes::<T>::mutate(member, |nodes| {
				let _ = nodes.try_push(node.clone());
			});
			NodeOwner::<T>::insert(node, member);
		}
	}
}

/// A member with a validator among a full set, a seat on a full council, `MaxAccounts`
/// accounts and `MaxNodes` nodes.
fn full_validator_member<T: Config>() -> (MemberId, T::AccountId) {
	fill_validators::<T>(1);
	fill_seats::<T>(1);
	let (member, who) = member::<T>("subject", 0);
	Validators::<T>::mutate(|validators| {
		let _ = validators.try_push((who.clone(), member));
	});
	for index in 1..T::MaxAccounts::get() {
		let extra: T::AccountId = account("operator", index, 0);
		Accounts::<T>::mutate(member, |accounts| {
			let _ = accounts.try_push(extra.clone());
		});
		AccountOf::<T>::insert(extra, member);
	}
	add_nodes::<T>(member, T::MaxNodes::get());
	let _ = Pallet::<T>::do_grant_council_seat(who.clone());
	(member, who)
}

fn council<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::CouncilOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// The origin that may take seats (and passes `CouncilOrigin` too).
fn seat_origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::SeatOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

#[benchmarks(where T: Send + Sync, T::RuntimeCall: IsSubType<Call<T>> + From<Call<T>>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply() {
		let applicant = funded::<T>("applicant", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(applicant.clone()), longest_name::<T>(), all_roles(), H256::zero());
		assert!(Applications::<T>::contains_key(&applicant));
	}

	#[benchmark]
	fn withdraw_application() -> Result<(), BenchmarkError> {
		let applicant = funded::<T>("applicant", 0);
		Pallet::<T>::do_apply(applicant.clone(), longest_name::<T>(), all_roles(), H256::zero())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(applicant.clone()));
		assert!(!Applications::<T>::contains_key(&applicant));
		Ok(())
	}

	#[benchmark]
	fn admit() -> Result<(), BenchmarkError> {
		let applicant = funded::<T>("applicant", 0);
		Pallet::<T>::do_apply(applicant.clone(), longest_name::<T>(), all_roles(), H256::zero())?;
		let origin = council::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, applicant.clone(), all_roles());
		assert!(AccountOf::<T>::contains_key(&applicant));
		Ok(())
	}

	#[benchmark]
	fn reject() -> Result<(), BenchmarkError> {
		let applicant = funded::<T>("applicant", 0);
		Pallet::<T>::do_apply(applicant.clone(), longest_name::<T>(), all_roles(), H256::zero())?;
		let origin = council::<T>()?;
		let slash = T::ApplicationDeposit::get() / 2u32.into();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, applicant.clone(), slash, vec![b'r'; 256]);
		assert!(!Applications::<T>::contains_key(&applicant));
		Ok(())
	}

	#[benchmark]
	fn suspend() -> Result<(), BenchmarkError> {
		let (member, _) = full_validator_member::<T>();
		let origin = seat_origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, member);
		assert_eq!(
			Members::<T>::get(member).map(|info| info.status),
			Some(MemberStatus::Suspended)
		);
		Ok(())
	}

	#[benchmark]
	fn reinstate() -> Result<(), BenchmarkError> {
		let (member, _) = full_validator_member::<T>();
		Pallet::<T>::do_suspend(member)?;
		let origin = council::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, member);
		assert_eq!(Members::<T>::get(member).map(|info| info.status), Some(MemberStatus::Active));
		Ok(())
	}

	#[benchmark]
	fn retire() -> Result<(), BenchmarkError> {
		let (member, who) = full_validator_member::<T>();
		let origin = seat_origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, member);
		assert!(!AccountOf::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn grant_roles() -> Result<(), BenchmarkError> {
		let (member, _) = member::<T>("subject", 0);
		Pallet::<T>::do_revoke_roles(member, all_roles())?;
		let origin = council::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, member, all_roles());
		assert_eq!(Members::<T>::get(member).map(|info| info.roles), Some(all_roles()));
		Ok(())
	}

	#[benchmark]
	fn revoke_roles() -> Result<(), BenchmarkError> {
		let (member, _) = full_validator_member::<T>();
		let origin = council::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, member, all_roles());
		assert!(Members::<T>::get(member).is_some_and(|info| info.roles.is_empty()));
		Ok(())
	}

	#[benchmark]
	fn add_account() {
		let (member, who) = member::<T>("subject", 0);
		for index in 2..T::MaxAccounts::get() {
			let extra: T::AccountId = account("operator", index, 0);
			let _ = Pallet::<T>::do_add_account(who.clone(), extra);
		}
		let added: T::AccountId = account("operator", 1, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), added.clone());
		assert_eq!(AccountOf::<T>::get(&added), Some(member));
	}

	#[benchmark]
	fn remove_account() {
		let (_, who) = full_validator_member::<T>();
		let removed: T::AccountId = account("operator", 1, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), removed.clone());
		assert!(!AccountOf::<T>::contains_key(&removed));
	}

	#[benchmark]
	fn approve_validator() -> Result<(), BenchmarkError> {
		fill_validators::<T>(1);
		let (_, who) = member::<T>("subject", 0);
		let origin = council::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(Validators::<T>::get().iter().any(|(validator, _)| *validator == who));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let (_, who) = full_validator_member::<T>();
		let origin = council::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Validators::<T>::get().iter().any(|(validator, _)| *validator == who));
		Ok(())
	}

	#[benchmark]
	fn check_member() {
		let (_, who) = member::<T>("subject", 0);
		let call: T::RuntimeCall = Call::<T>::withdraw_application {}.into();
		let checked;
		#[block]
		{
			checked = CheckMember::<T>::check(&who, &call);
		}
		assert!(checked.is_ok());
	}

	#[benchmark]
	fn add_node() {
		let (member, who) = member::<T>("subject", 0);
		add_nodes::<T>(member, T::MaxNodes::get() - 1);
		let added = peer_id::<T>(u32::MAX);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), added.clone());
		assert_eq!(Nodes::<T>::get(member).len() as u32, T::MaxNodes::get());
	}

	#[benchmark]
	fn remove_node() {
		let (member, who) = member::<T>("subject", 0);
		add_nodes::<T>(member, T::MaxNodes::get());
		let removed = peer_id::<T>(member * 1000);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), removed);
		assert_eq!(Nodes::<T>::get(member).len() as u32, T::MaxNodes::get() - 1);
	}

	#[benchmark]
	fn enforce_node_allowlist() -> Result<(), BenchmarkError> {
		let (member, _) = member::<T>("subject", 0);
		add_nodes::<T>(member, 1);
		let origin = council::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, true);
		assert!(NodeAllowlistEnforced::<T>::get());
		Ok(())
	}

	#[benchmark]
	fn grant_council_seat() -> Result<(), BenchmarkError> {
		fill_seats::<T>(1);
		let (member, who) = member::<T>("subject", 0);
		let origin = seat_origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(CouncilSeats::<T>::get().contains(&(who, member)));
		Ok(())
	}

	#[benchmark]
	fn revoke_council_seat() -> Result<(), BenchmarkError> {
		fill_seats::<T>(1);
		let (member, who) = member::<T>("subject", 0);
		Pallet::<T>::do_grant_council_seat(who.clone())?;
		let origin = seat_origin::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!CouncilSeats::<T>::get().contains(&(who, member)));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
