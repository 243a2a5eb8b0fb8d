//! Settling periods into statements, and the payments they oblige.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use pallet_registry::{MemberId, ReputationCause, ReputationReporter};
use smartblocks_rules::time::{day_of, DAY_MS};
use sp_arithmetic::Permill;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_settle(
		who: T::AccountId,
		contract_id: ContractId,
	) -> DispatchResultWithPostInfo {
		let member = Self::member_of(&who)?;
		let now = Self::now()?;
		let mut contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::UnknownContract)?;
		Self::ensure_party(&contract, member)?;
		let schedule = contract.agreement.schedule;
		let period = contract.settled;
		ensure!(
			contract.state == ContractState::Active && period < schedule.periods,
			Error::<T>::NotActive
		);
		let end = schedule.period_start(period).saturating_add(schedule.period_days.into());
		let today = day_of(now);
		ensure!(today >= end, Error::<T>::PeriodNotClosed);
		let (statement, complete) = Self::statement(contract_id, &contract, period, now)?;
		let grace_over = today >= end.saturating_add(contract.agreement.data_grace_days.into());
		ensure!(complete || grace_over, Error::<T>::DataIncomplete);
		Statements::<T>::insert(contract_id, period, statement);
		contract.settled = period.saturating_add(1);
		match statement.outcome {
			Outcome::Settled { obligation } => {
				Self::deposit_event(Event::PeriodSettled {
					contract: contract_id,
					period,
					obligation,
				});
				if contract.settled == schedule.periods {
					contract.state = ContractState::Completed;
					Self::deposit_event(Event::ContractCompleted { contract: contract_id });
				}
			}
			Outcome::InsufficientData => {
				contract.state = ContractState::Disputed { by: member, period: Some(period) };
				Self::deposit_event(Event::SettlementNeedsRuling { contract: contract_id, period });
			}
		}
		let weight = Self::settlement_weight(&contract.agreement);
		Contracts::<T>::insert(contract_id, contract);
		Ok(Some(weight).into())
	}

	/// What settling a period of `agreement` costs: its template's benchmark at its meters over
	/// the longest period the kind allows. A settlement's reads grow with meters × days, so a fit
	/// linear in both under-states the largest contracts; at the longest period a fit in meters
	/// alone bounds every shorter period, which pays at most the longer period's reads.
	pub(crate) fn settlement_weight(agreement: &AgreementOf<T>) -> Weight {
		Self::kind_settlement_weight(agreement.terms.kind(), agreement.meters.len() as u32)
	}

	/// The most settling any period can cost, charged before the contract is read: the costliest
	/// template kind at the most meters it allows.
	pub fn worst_settlement_weight() -> Weight {
		use TemplateKind::*;
		[EnergyPerformance, RenewableShare, SupplyTariff, PeerTrade, DemandResponse]
			.into_iter()
			.map(|kind| Self::kind_settlement_weight(kind, Self::settlement_limits(kind).0))
			.fold(Weight::zero(), |worst, weight| worst.max(weight))
	}

	/// The largest contract of `kind` its settlement weight was measured at, as (meters, period
	/// days): interval templates are bounded by `MaxIntervalMeters` and `MaxIntervalDays`, the
	/// others by `MaxMeters` and `MaxPeriodDays`. No contract may be larger (`try_state`).
	pub(crate) fn settlement_limits(kind: TemplateKind) -> (u32, u32) {
		match kind {
			TemplateKind::PeerTrade | TemplateKind::DemandResponse => {
				(T::MaxIntervalMeters::get(), T::MaxIntervalDays::get())
			}
			TemplateKind::EnergyPerformance
			| TemplateKind::RenewableShare
			| TemplateKind::SupplyTariff => (T::MaxMeters::get(), T::MaxPeriodDays::get()),
		}
	}

	/// Settling a period of a `kind` contract of `meters` meters at the kind's longest period.
	fn kind_settlement_weight(kind: TemplateKind, meters: u32) -> Weight {
		match kind {
			TemplateKind::EnergyPerformance => T::WeightInfo::settle_energy_performance(meters),
			TemplateKind::RenewableShare => T::WeightInfo::settle_renewable_share(meters),
			TemplateKind::SupplyTariff => T::WeightInfo::settle_supply_tariff(meters),
			TemplateKind::PeerTrade => T::WeightInfo::settle_peer_trade(meters),
			TemplateKind::DemandResponse => T::WeightInfo::settle_demand_response(meters),
		}
	}

	/// The statement of `period` from the data on chain at `now`, and whether that data is
	/// complete. Whether the period has closed is the caller's concern.
	pub(crate) fn statement(
		id: ContractId,
		contract: &ContractOf<T>,
		period: SettlementIndex,
		now: Moment,
	) -> Result<(Statement, bool), DispatchError> {
		let agreement = &contract.agreement;
		let schedule = agreement.schedule;
		let first_day = schedule.period_start(period);
		let days = schedule.period_days;
		let share = |used: u16| Permill::from_rational(u32::from(used), u32::from(days));
		let (evidence, coverage, client_owes, complete) = match &agreement.terms {
			Terms::EnergyPerformance(terms) => {
				let (result, complete) =
					Self::evaluate_performance(agreement, terms, first_day, days)?;
				let coverage = share(result.evidence.days_used);
				let evidence = Evidence::EnergyPerformance(result.evidence);
				(evidence, coverage, result.client_owes, complete)
			}
			Terms::RenewableShare(terms) => {
				let (result, complete) =
					Self::evaluate_renewable(agreement, terms, first_day, days)?;
				let coverage = share(result.evidence.days_used);
				(Evidence::RenewableShare(result.evidence), coverage, result.client_owes, complete)
			}
			Terms::SupplyTariff(terms) => {
				let (result, complete) = Self::evaluate_tariff(agreement, terms, first_day, days)?;
				let coverage = share(result.evidence.days_used);
				(Evidence::SupplyTariff(result.evidence), coverage, result.client_owes, complete)
			}
			Terms::PeerTrade(terms) => {
				let (result, complete) = Self::evaluate_trade(agreement, terms, first_day, days)?;
				let coverage = share(result.evidence.days_used);
				(Evidence::PeerTrade(result.evidence), coverage, result.client_owes, complete)
			}
			Terms::DemandResponse(terms) => {
				let (result, complete) =
					Self::evaluate_response(id, agreement, terms, first_day, days)?;
				let evidence = Evidence::DemandResponse(result.evidence);
				(evidence, result.coverage, result.client_owes, complete)
			}
		};
		let outcome = if coverage < agreement.terms.min_coverage() {
			Outcome::InsufficientData
		} else {
			Outcome::Settled { obligation: Self::obligation(contract, client_owes, now) }
		};
		let statement =
			Statement { first_day, days: schedule.period_days, evidence, outcome, settled_at: now };
		Ok((statement, complete))
	}

	/// The obligation `client_owes` (negative: the provider owes) makes, payable by `now` plus
	/// the contract's payment days; `None` when nothing is owed.
	pub(crate) fn obligation(
		contract: &ContractOf<T>,
		client_owes: i128,
		now: Moment,
	) -> Option<Obligation> {
		let agreement = &contract.agreement;
		let (debtor, creditor) = match client_owes {
			0 => return None,
			owes if owes > 0 => (agreement.client, agreement.provider),
			_ => (agreement.provider, agreement.client),
		};
		Some(Obligation {
			debtor,
			creditor,
			amount: client_owes.unsigned_abs(),
			due: now.saturating_add(u64::from(agreement.payment_days).saturating_mul(DAY_MS)),
			status: PaymentStatus::Pending,
		})
	}

	pub(crate) fn do_confirm_payment(
		who: T::AccountId,
		contract: ContractId,
		period: SettlementIndex,
	) -> DispatchResult {
		let member = Self::member_of(&who)?;
		let now = Self::now()?;
		ensure!(Contracts::<T>::contains_key(contract), Error::<T>::UnknownContract);
		let debtor = Self::update_pending(contract, period, |obligation| {
			ensure!(obligation.creditor == member, Error::<T>::NotTheCreditor);
			ensure!(now <= obligation.due, Error::<T>::DeadlinePassed);
			obligation.status = PaymentStatus::Honoured;
			Ok(())
		})?;
		Self::report(debtor, ReputationCause::SettlementHonoured);
		Self::deposit_event(Event::PaymentHonoured { contract, period, debtor });
		Ok(())
	}

	pub(crate) fn do_report_breach(
		who: T::AccountId,
		contract_id: ContractId,
		period: SettlementIndex,
	) -> DispatchResult {
		let member = Self::member_of(&who)?;
		let now = Self::now()?;
		let contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::UnknownContract)?;
		Self::ensure_party(&contract, member)?;
		let debtor = Self::update_pending(contract_id, period, |obligation| {
			ensure!(now > obligation.due, Error::<T>::DeadlineNotPassed);
			obligation.status = PaymentStatus::Breached;
			Ok(())
		})?;
		Self::report(debtor, ReputationCause::SettlementBreached);
		Self::deposit_event(Event::PaymentBreached { contract: contract_id, period, debtor });
		Ok(())
	}

	/// Applies `change` to the statement's pending obligation; returns its debtor.
	fn update_pending(
		contract: ContractId,
		period: SettlementIndex,
		change: impl FnOnce(&mut Obligation) -> DispatchResult,
	) -> Result<MemberId, DispatchError> {
		Statements::<T>::try_mutate(contract, period, |statement| {
			let statement = statement.as_mut().ok_or(Error::<T>::UnknownStatement)?;
			let Outcome::Settled { obligation: Some(obligation) } = &mut statement.outcome else {
				return Err(Error::<T>::NoPendingObligation.into());
			};
			ensure!(obligation.status == PaymentStatus::Pending, Error::<T>::NoPendingObligation);
			change(obligation)?;
			Ok(obligation.debtor)
		})
	}

	/// Moves `member`'s reputation. A member that has left keeps no score, so a failure there
	/// does not undo the payment record.
	pub(crate) fn report(member: MemberId, cause: ReputationCause) {
		let _ = T::Reputation::report(member, cause);
	}

	/// The chain's clock in ms.
	pub(crate) fn now() -> Result<Moment, DispatchError> {
		let now =
			u64::try_from(<T::UnixTime as frame_support::traits::UnixTime>::now().as_millis())
				.unwrap_or(u64::MAX);
		ensure!(now > 0, Error::<T>::NoClock);
		Ok(now)
	}
}
