//! Proposing, signing and withdrawing contracts; disputes, rulings and early termination.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use pallet_registry::{MemberId, MemberRegistry, ReputationCause, Role};
use smartblocks_rules::time::day_of;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_propose(who: T::AccountId, agreement: AgreementOf<T>) -> DispatchResult {
		let proposer = Self::member_of(&who)?;
		ensure!(
			proposer == agreement.provider || proposer == agreement.client,
			Error::<T>::NotAParty
		);
		let today = day_of(Self::now()?);
		Self::check_agreement(&agreement, today)?;
		let id = NextContractId::<T>::get();
		NextContractId::<T>::put(id.checked_add(1).ok_or(Error::<T>::TooManyContracts)?);
		MemberContracts::<T>::insert(agreement.provider, id, ());
		MemberContracts::<T>::insert(agreement.client, id, ());
		let contract = Contract {
			provider_signed: proposer == agreement.provider,
			client_signed: proposer == agreement.client,
			agreement,
			proposer,
			state: ContractState::Draft,
			settled: 0,
			termination_requested: None,
		};
		Contracts::<T>::insert(id, contract);
		Self::deposit_event(Event::ContractProposed { contract: id, proposer });
		Ok(())
	}

	pub(crate) fn do_sign(who: T::AccountId, contract_id: ContractId) -> DispatchResult {
		let member = Self::member_of(&who)?;
		Contracts::<T>::try_mutate(contract_id, |contract| {
			let contract = contract.as_mut().ok_or(Error::<T>::UnknownContract)?;
			Self::ensure_party(contract, member)?;
			ensure!(contract.state == ContractState::Draft, Error::<T>::NotADraft);
			let signed = match member == contract.agreement.provider {
				true => &mut contract.provider_signed,
				false => &mut contract.client_signed,
			};
			ensure!(!*signed, Error::<T>::AlreadySigned);
			*signed = true;
			Self::deposit_event(Event::ContractSigned { contract: contract_id, member });
			if contract.provider_signed && contract.client_signed {
				contract.state = ContractState::Active;
				Self::deposit_event(Event::ContractActivated { contract: contract_id });
			}
			Ok(())
		})
	}

	pub(crate) fn do_withdraw(who: T::AccountId, contract_id: ContractId) -> DispatchResult {
		let member = Self::member_of(&who)?;
		let contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::UnknownContract)?;
		Self::ensure_party(&contract, member)?;
		ensure!(contract.state == ContractState::Draft, Error::<T>::NotADraft);
		Contracts::<T>::remove(contract_id);
		MemberContracts::<T>::remove(contract.agreement.provider, contract_id);
		MemberContracts::<T>::remove(contract.agreement.client, contract_id);
		Self::deposit_event(Event::ContractWithdrawn { contract: contract_id });
		Ok(())
	}

	pub(crate) fn do_open_dispute(
		who: T::AccountId,
		contract_id: ContractId,
		period: Option<SettlementIndex>,
	) -> DispatchResult {
		let member = Self::member_of(&who)?;
		Contracts::<T>::try_mutate(contract_id, |contract| {
			let contract = contract.as_mut().ok_or(Error::<T>::UnknownContract)?;
			Self::ensure_party(contract, member)?;
			ensure!(contract.state == ContractState::Active, Error::<T>::NotActive);
			if let Some(period) = period {
				ensure!(
					Statements::<T>::contains_key(contract_id, period),
					Error::<T>::UnknownStatement
				);
			}
			contract.state = ContractState::Disputed { by: member, period };
			Self::deposit_event(Event::DisputeOpened { contract: contract_id, by: member, period });
			Ok(())
		})
	}

	pub(crate) fn do_resolve_dispute(
		who: T::AccountId,
		contract_id: ContractId,
		ruling: Ruling,
	) -> DispatchResult {
		let auditor = Self::member_of(&who)?;
		let now = Self::now()?;
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::UnknownContract)?;
		let agreement = &contract.agreement;
		let parties = [agreement.provider, agreement.client];
		ensure!(
			T::Members::has_role(auditor, Role::Auditor) && !parties.contains(&auditor),
			Error::<T>::NotAnAuditor
		);
		let ContractState::Disputed { period, .. } = contract.state else {
			return Err(Error::<T>::NotDisputed.into());
		};
		let loser = match ruling.in_favour_of {
			winner if winner == agreement.provider => agreement.client,
			winner if winner == agreement.client => agreement.provider,
			_ => return Err(Error::<T>::InvalidRuling.into()),
		};
		if let Some(award) = ruling.award {
			let (Some(period), true) = (period, parties.contains(&award.debtor)) else {
				return Err(Error::<T>::InvalidRuling.into());
			};
			let client_owes = match award.debtor == agreement.client {
				true => i128::try_from(award.amount),
				false => i128::try_from(award.amount).map(i128::saturating_neg),
			}
			.map_err(|_| Error::<T>::InvalidRuling)?;
			let obligation = Self::obligation(&contract, client_owes, now);
			Statements::<T>::try_mutate(contract_id, period, |statement| -> DispatchResult {
				let statement = statement.as_mut().ok_or(Error::<T>::InvalidRuling)?;
				statement.outcome = Outcome::Settled { obligation };
				Ok(())
			})?;
		}
		Self::report(ruling.in_favour_of, ReputationCause::DisputeWon);
		Self::report(loser, ReputationCause::DisputeLost);
		Self::deposit_event(Event::DisputeResolved { contract: contract_id, auditor, ruling });
		contract.state = if ruling.terminate {
			Self::deposit_event(Event::ContractTerminated {
				contract: contract_id,
				reason: Termination::Ruling,
			});
			ContractState::Terminated(Termination::Ruling)
		} else if contract.settled == contract.agreement.schedule.periods {
			Self::deposit_event(Event::ContractCompleted { contract: contract_id });
			ContractState::Completed
		} else {
			ContractState::Active
		};
		Contracts::<T>::insert(contract_id, contract);
		Ok(())
	}

	pub(crate) fn do_request_termination(
		who: T::AccountId,
		contract_id: ContractId,
	) -> DispatchResult {
		let member = Self::member_of(&who)?;
		Contracts::<T>::try_mutate(contract_id, |contract| {
			let contract = contract.as_mut().ok_or(Error::<T>::UnknownContract)?;
			Self::ensure_party(contract, member)?;
			ensure!(contract.state == ContractState::Active, Error::<T>::NotActive);
			match contract.termination_requested {
				Some(by) if by == member => Err(Error::<T>::AlreadyRequested.into()),
				Some(_) => {
					let reason = Termination::ByAgreement;
					contract.state = ContractState::Terminated(reason);
					Self::deposit_event(Event::ContractTerminated {
						contract: contract_id,
						reason,
					});
					Ok(())
				}
				None => {
					contract.termination_requested = Some(member);
					Self::deposit_event(Event::TerminationRequested {
						contract: contract_id,
						by: member,
					});
					Ok(())
				}
			}
		})
	}

	pub(crate) fn do_terminate_for_breach(
		who: T::AccountId,
		contract_id: ContractId,
		period: SettlementIndex,
	) -> DispatchResult {
		let member = Self::member_of(&who)?;
		Contracts::<T>::try_mutate(contract_id, |contract| {
			let contract = contract.as_mut().ok_or(Error::<T>::UnknownContract)?;
			Self::ensure_party(contract, member)?;
			ensure!(contract.state == ContractState::Active, Error::<T>::NotActive);
			let statement =
				Statements::<T>::get(contract_id, period).ok_or(Error::<T>::UnknownStatement)?;
			let Outcome::Settled { obligation: Some(obligation) } = statement.outcome else {
				return Err(Error::<T>::NoBreachAgainstCounterparty.into());
			};
			ensure!(
				obligation.status == PaymentStatus::Breached && obligation.creditor == member,
				Error::<T>::NoBreachAgainstCounterparty
			);
			let reason = Termination::Breach { debtor: obligation.debtor };
			contract.state = ContractState::Terminated(reason);
			Self::deposit_event(Event::ContractTerminated { contract: contract_id, reason });
			Ok(())
		})
	}

	/// The active member `who` acts for.
	pub(crate) fn member_of(who: &T::AccountId) -> Result<MemberId, DispatchError> {
		T::Members::active_member_of(who).ok_or_else(|| Error::<T>::NotAMember.into())
	}

	pub(crate) fn ensure_party(contract: &ContractOf<T>, member: MemberId) -> DispatchResult {
		let agreement = &contract.agreement;
		ensure!(member == agreement.provider || member == agreement.client, Error::<T>::NotAParty);
		Ok(())
	}
}
