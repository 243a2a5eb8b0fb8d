//! What the calls do: applications, members, accounts and validators (council seats are in
//! `council.rs`).

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::{Fortitude, Precision},
	},
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_apply(
		applicant: T::AccountId,
		name: Vec<u8>,
		roles: RoleSet,
		contact: H256,
	) -> DispatchResult {
		ensure!(!AccountOf::<T>::contains_key(&applicant), Error::<T>::AlreadyMember);
		ensure!(!Applications::<T>::contains_key(&applicant), Error::<T>::ApplicationPending);
		ensure!(
			Applications::<T>::count() < T::MaxApplications::get(),
			Error::<T>::TooManyApplications
		);
		let name = Self::checked_name(name)?;
		Self::check_roles(roles)?;
		let deposit = T::ApplicationDeposit::get();
		T::Currency::hold(&HoldReason::MembershipDeposit.into(), &applicant, deposit)
			.map_err(|_| Error::<T>::CannotAffordDeposit)?;
		let submitted = frame_system::Pallet::<T>::block_number();
		Applications::<T>::insert(
			&applicant,
			Application { name, roles, contact, deposit, submitted },
		);
		Self::deposit_event(Event::Applied { applicant, roles, deposit });
		Ok(())
	}

	pub(crate) fn do_withdraw_application(applicant: T::AccountId) -> DispatchResult {
		let application = Applications::<T>::take(&applicant).ok_or(Error::<T>::NoApplication)?;
		let deposit = Self::release_deposit(&applicant, application.deposit)?;
		Self::deposit_event(Event::ApplicationWithdrawn { applicant, deposit });
		Ok(())
	}

	pub(crate) fn do_admit(applicant: T::AccountId, roles: RoleSet) -> DispatchResult {
		Self::check_roles(roles)?;
		let application = Applications::<T>::get(&applicant).ok_or(Error::<T>::NoApplication)?;
		let member = Self::enrol(
			application.name,
			applicant.clone(),
			roles,
			application.contact,
			application.deposit,
		)?;
		Applications::<T>::remove(&applicant);
		Self::deposit_event(Event::Admitted { member, account: applicant, roles });
		Ok(())
	}

	pub(crate) fn do_reject(
		applicant: T::AccountId,
		slash: BalanceOf<T>,
		reason: Vec<u8>,
	) -> DispatchResult {
		let application = Applications::<T>::get(&applicant).ok_or(Error::<T>::NoApplication)?;
		let reason: BoundedVec<u8, MaxReasonLen> =
			reason.try_into().map_err(|_| Error::<T>::ReasonTooLong)?;
		let slash = slash.min(application.deposit);
		let hold = HoldReason::MembershipDeposit.into();
		let slashed = if slash.is_zero() {
			slash
		} else {
			T::Currency::burn_held(
				&hold,
				&applicant,
				slash,
				Precision::BestEffort,
				Fortitude::Force,
			)?
		};
		// Whatever the burn did not take goes back; `saturating_sub` because `slashed <= deposit`.
		Self::release_deposit(&applicant, application.deposit.saturating_sub(slashed))?;
		Applications::<T>::remove(&applicant);
		Self::deposit_event(Event::Rejected { applicant, slashed, reason });
		Ok(())
	}

	pub(crate) fn do_suspend(member: MemberId) -> DispatchResult {
		let mut info = Self::member(member)?;
		ensure!(info.status == MemberStatus::Active, Error::<T>::MemberNotActive);
		Self::ensure_validators_remain(|_, of| of == member)?;
		Self::ensure_seat_may_go(member)?;
		Self::unseat(member);
		info.status = MemberStatus::Suspended;
		Members::<T>::insert(member, info);
		Self::deposit_event(Event::Suspended { member });
		Ok(())
	}

	pub(crate) fn do_reinstate(member: MemberId) -> DispatchResult {
		let mut info = Self::member(member)?;
		ensure!(info.status == MemberStatus::Suspended, Error::<T>::NotSuspended);
		info.status = MemberStatus::Active;
		Members::<T>::insert(member, info);
		Self::deposit_event(Event::Reinstated { member });
		Ok(())
	}

	pub(crate) fn do_retire(member: MemberId) -> DispatchResult {
		let mut info = Self::member(member)?;
		ensure!(info.status != MemberStatus::Retired, Error::<T>::MemberRetired);
		Self::ensure_validators_remain(|_, of| of == member)?;
		Self::ensure_seat_may_go(member)?;
		Self::unseat(member);
		Validators::<T>::mutate(|validators| validators.retain(|(_, of)| *of != member));
		for account in Accounts::<T>::take(member) {
			AccountOf::<T>::remove(account);
		}
		Self::remove_nodes_of(member);
		let deposit_returned = Self::release_deposit(&info.depositor, info.deposit)?;
		info.status = MemberStatus::Retired;
		info.deposit = Zero::zero();
		Members::<T>::insert(member, info);
		// Every non-retired member was counted once on admission.
		MemberCount::<T>::mutate(|count| *count = count.saturating_sub(1));
		Self::deposit_event(Event::Retired { member, deposit_returned });
		Ok(())
	}

	pub(crate) fn do_grant_roles(member: MemberId, granted: RoleSet) -> DispatchResult {
		Self::check_roles(granted)?;
		let mut info = Self::member(member)?;
		ensure!(info.status != MemberStatus::Retired, Error::<T>::MemberRetired);
		info.roles = info.roles.union(granted);
		let roles = info.roles;
		Members::<T>::insert(member, info);
		Self::deposit_event(Event::RolesGranted { member, granted, roles });
		Ok(())
	}

	pub(crate) fn do_revoke_roles(member: MemberId, revoked: RoleSet) -> DispatchResult {
		Self::check_roles(revoked)?;
		let mut info = Self::member(member)?;
		ensure!(info.status != MemberStatus::Retired, Error::<T>::MemberRetired);
		if revoked.contains(Role::ValidatorOperator) {
			Self::ensure_validators_remain(|_, of| of == member)?;
		}
		info.roles = info.roles.without(revoked);
		let roles = info.roles;
		Members::<T>::insert(member, info);
		Self::deposit_event(Event::RolesRevoked { member, revoked, roles });
		Ok(())
	}

	pub(crate) fn do_add_account(who: T::AccountId, account: T::AccountId) -> DispatchResult {
		let member = Self::acting_member(&who)?;
		ensure!(!AccountOf::<T>::contains_key(&account), Error::<T>::AlreadyMember);
		ensure!(!Applications::<T>::contains_key(&account), Error::<T>::ApplicationPending);
		Accounts::<T>::try_mutate(member, |accounts| accounts.try_push(account.clone()))
			.map_err(|_| Error::<T>::TooManyAccounts)?;
		AccountOf::<T>::insert(&account, member);
		Self::deposit_event(Event::AccountAdded { member, account });
		Ok(())
	}

	pub(crate) fn do_remove_account(who: T::AccountId, account: T::AccountId) -> DispatchResult {
		let member = Self::acting_member(&who)?;
		ensure!(AccountOf::<T>::get(&account) == Some(member), Error::<T>::NotMemberAccount);
		ensure!(!Self::is_approved_validator(&account), Error::<T>::AccountIsValidator);
		ensure!(!Self::is_seated(&account), Error::<T>::AccountHoldsSeat);
		let mut accounts = Accounts::<T>::get(member);
		ensure!(accounts.len() > 1, Error::<T>::LastAccount);
		accounts.retain(|a| *a != account);
		Accounts::<T>::insert(member, accounts);
		AccountOf::<T>::remove(&account);
		Self::deposit_event(Event::AccountRemoved { member, account });
		Ok(())
	}

	pub(crate) fn do_approve_validator(account: T::AccountId) -> DispatchResult {
		let member = AccountOf::<T>::get(&account).ok_or(Error::<T>::NotAMember)?;
		let info = Self::member(member)?;
		ensure!(info.status == MemberStatus::Active, Error::<T>::MemberNotActive);
		ensure!(info.roles.contains(Role::ValidatorOperator), Error::<T>::NotValidatorOperator);
		ensure!(!Self::is_approved_validator(&account), Error::<T>::AlreadyValidator);
		Validators::<T>::try_mutate(|validators| validators.try_push((account.clone(), member)))
			.map_err(|_| Error::<T>::TooManyValidators)?;
		Self::deposit_event(Event::ValidatorApproved { member, account });
		Ok(())
	}

	pub(crate) fn do_remove_validator(account: T::AccountId) -> DispatchResult {
		let member = Validators::<T>::get()
			.iter()
			.find(|(validator, _)| *validator == account)
			.map(|(_, member)| *member)
			.ok_or(Error::<T>::NotAValidator)?;
		Self::ensure_validators_remain(|validator, _| *validator == account)?;
		Validators::<T>::mutate(|validators| validators.retain(|(v, _)| *v != account));
		Self::deposit_event(Event::ValidatorRemoved { member, account });
		Ok(())
	}

	/// The founding members, council, validators and nodes of a genesis config.
	pub(crate) fn build_genesis(config: &GenesisConfig<T>) -> Result<(), &'static str> {
		for (name, account, roles) in &config.members {
			if AccountOf::<T>::contains_key(account) {
				return Err("an account is listed for two founding members");
			}
			let name = Self::checked_name(name.as_bytes().to_vec())
				.map_err(|_| "a founding member's name is empty or too long")?;
			let roles = RoleSet::of(roles);
			if roles.is_empty() {
				return Err("a founding member has no roles");
			}
			Self::enrol(name, account.clone(), roles, H256::zero(), Zero::zero())
				.map_err(|_| "too many founding members")?;
		}
		Self::seat_founders(&config.council)?;
		for account in &config.validators {
			Self::do_approve_validator(account.clone())
				.map_err(|_| "a genesis validator is not an account of a validator operator")?;
		}
		for (account, peer_id) in &config.nodes {
			Self::do_add_node(account.clone(), peer_id.clone())
				.map_err(|_| "a genesis node is invalid, taken, or not of a founding member")?;
		}
		Self::do_enforce_node_allowlist(config.enforce_node_allowlist)
			.map_err(|_| "the node allowlist is enforced with no genesis nodes")?;
		Ok(())
	}

	/// Records a new active member with `account` as its first account.
	pub(crate) fn enrol(
		name: BoundedVec<u8, T::MaxNameLen>,
		account: T::AccountId,
		roles: RoleSet,
		contact: H256,
		deposit: BalanceOf<T>,
	) -> Result<MemberId, DispatchError> {
		let member = NextMemberId::<T>::get();
		let next = member.checked_add(1).ok_or(Error::<T>::TooManyMembers)?;
		let accounts = BoundedVec::try_from(alloc::vec![account.clone()])
			.map_err(|_| Error::<T>::TooManyAccounts)?;
		Members::<T>::insert(
			member,
			MemberInfo {
				name,
				roles,
				status: MemberStatus::Active,
				contact,
				depositor: account.clone(),
				deposit,
				admitted: frame_system::Pallet::<T>::block_number(),
				score: INITIAL_SCORE,
			},
		);
		Accounts::<T>::insert(member, accounts);
		AccountOf::<T>::insert(account, member);
		NextMemberId::<T>::put(next);
		// Fewer members than member numbers, and the numbers did not overflow.
		MemberCount::<T>::mutate(|count| *count = count.saturating_add(1));
		Ok(member)
	}

	/// Releases up to `amount` of the registry's hold on `who`; returns what was released.
	fn release_deposit(
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let hold = HoldReason::MembershipDeposit.into();
		let held = T::Currency::balance_on_hold(&hold, who);
		T::Currency::release(&hold, who, amount.min(held), Precision::BestEffort)
	}

	fn checked_name(name: Vec<u8>) -> Result<BoundedVec<u8, T::MaxNameLen>, Error<T>> {
		ensure!(!name.is_empty(), Error::<T>::EmptyName);
		name.try_into().map_err(|_| Error::<T>::NameTooLong)
	}

	fn check_roles(roles: RoleSet) -> Result<(), Error<T>> {
		ensure!(roles.is_known(), Error::<T>::UnknownRole);
		ensure!(!roles.is_empty(), Error::<T>::NoRoles);
		Ok(())
	}

	/// A member's record, or `UnknownMember`.
	pub fn member(member: MemberId) -> Result<MemberInfoOf<T>, Error<T>> {
		Members::<T>::get(member).ok_or(Error::<T>::UnknownMember)
	}

	/// The active member `who` acts for, or why it cannot act.
	pub fn acting_member(who: &T::AccountId) -> Result<MemberId, Error<T>> {
		let member = AccountOf::<T>::get(who).ok_or(Error::<T>::NotAMember)?;
		ensure!(Self::member(member)?.status == MemberStatus::Active, Error::<T>::MemberNotActive);
		Ok(member)
	}

	fn is_approved_validator(account: &T::AccountId) -> bool {
		Validators::<T>::get().iter().any(|(validator, _)| validator == account)
	}

	/// Whether a member's approved validators may validate: active and a validator operator.
	pub(crate) fn may_validate(member: MemberId) -> bool {
		Members::<T>::get(member).is_some_and(|info| {
			info.status == MemberStatus::Active && info.roles.contains(Role::ValidatorOperator)
		})
	}

	/// Refuses a change that takes the validators matched by `leaving` out of the set when it
	/// would leave fewer than `MinValidators`. A change that takes none out always passes, so
	/// a set already below the minimum (a one-validator dev chain) can still be governed.
	fn ensure_validators_remain(
		leaving: impl Fn(&T::AccountId, MemberId) -> bool,
	) -> Result<(), Error<T>> {
		let (mut remaining, mut left) = (0u32, 0u32);
		for (account, member) in Validators::<T>::get().iter() {
			if !Self::may_validate(*member) {
				continue;
			}
			// Counts are bounded by `MaxValidators`, a `u32`.
			if leaving(account, *member) {
				left = left.saturating_add(1);
			} else {
				remaining = remaining.saturating_add(1);
			}
		}
		ensure!(left == 0 || remaining >= T::MinValidators::get(), Error::<T>::TooFewValidators);
		Ok(())
	}

	/// Everything about a member in one answer, for the runtime API.
	pub fn member_details(member: MemberId) -> Option<MemberDetailsOf<T>> {
		let info = Members::<T>::get(member)?;
		Some(MemberDetails {
			id: member,
			name: info.name.into_inner(),
			roles: info.roles.roles().collect(),
			status: info.status,
			contact: info.contact,
			deposit: info.deposit,
			admitted: info.admitted,
			score: info.score,
			accounts: Accounts::<T>::get(member).into_inner(),
			validators: Validators::<T>::get()
				.into_iter()
				.filter(|(_, of)| *of == member)
				.map(|(account, _)| account)
				.collect(),
			nodes: Nodes::<T>::get(member).into_iter().map(|node| node.into_inner()).collect(),
			reputation_history: ReputationHistory::<T>::get(member).into_inner(),
		})
	}

	/// The member an account acts for, with everything about it.
	pub fn member_details_of(account: &T::AccountId) -> Option<MemberDetailsOf<T>> {
		Self::member_details(AccountOf::<T>::get(account)?)
	}

	/// The block number, for history entries.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}
}
