use super::*;
use frame_support::{assert_noop, assert_ok, BoundedVec};
use pallet_meters::MeterStatus;
use sp_arithmetic::Permill;

/// The mock agreement changed by `change`.
fn with(change: impl FnOnce(&mut AgreementOf<Test>)) -> AgreementOf<Test> {
	let mut agreement = agreement();
	change(&mut agreement);
	agreement
}

fn with_terms(change: impl FnOnce(&mut EnergyPerformanceTerms)) -> AgreementOf<Test> {
	with(|agreement| {
		let Terms::EnergyPerformance(terms) = &mut agreement.terms else {
			panic!("not energy performance")
		};
		change(terms)
	})
}

fn refused(agreement: AgreementOf<Test>, error: Error<Test>) {
	assert_noop!(EnergyContracts::propose_contract(origin(ESCO), agreement), error);
}

#[test]
fn a_proposal_carries_the_proposers_signature_and_the_other_party_activates_it() {
	run(|| {
		let id = propose(agreement());
		System::assert_last_event(Event::ContractProposed { contract: id, proposer: ESCO }.into());
		let contract = Contracts::<Test>::get(id).unwrap();
		assert_eq!(contract.agreement, agreement());
		assert_eq!((contract.provider_signed, contract.client_signed), (true, false));
		assert_eq!(contract.state, ContractState::Draft);
		assert!(MemberContracts::<Test>::contains_key(ESCO, id));
		assert!(MemberContracts::<Test>::contains_key(OWNER, id));

		assert_noop!(
			EnergyContracts::sign_contract(origin(ESCO), id),
			Error::<Test>::AlreadySigned
		);
		assert_noop!(EnergyContracts::sign_contract(origin(AUDITOR), id), Error::<Test>::NotAParty);
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		System::assert_has_event(Event::ContractSigned { contract: id, member: OWNER }.into());
		System::assert_last_event(Event::ContractActivated { contract: id }.into());
		assert_eq!(Contracts::<Test>::get(id).unwrap().state, ContractState::Active);
		assert_noop!(EnergyContracts::sign_contract(origin(OWNER), id), Error::<Test>::NotADraft);
		assert_noop!(
			EnergyContracts::sign_contract(origin(OWNER), 7),
			Error::<Test>::UnknownContract
		);
	});
}

#[test]
fn the_client_may_propose_too() {
	run(|| {
		assert_ok!(EnergyContracts::propose_contract(origin(OWNER), agreement()));
		let contract = Contracts::<Test>::get(0).unwrap();
		assert_eq!(
			(contract.proposer, contract.provider_signed, contract.client_signed),
			(OWNER, false, true)
		);
	});
}

#[test]
fn a_draft_can_be_withdrawn_by_either_party() {
	run(|| {
		let id = propose(agreement());
		assert_noop!(
			EnergyContracts::withdraw_contract(origin(AUDITOR), id),
			Error::<Test>::NotAParty
		);
		assert_ok!(EnergyContracts::withdraw_contract(origin(OWNER), id));
		System::assert_last_event(Event::ContractWithdrawn { contract: id }.into());
		assert!(Contracts::<Test>::get(id).is_none());
		assert!(!MemberContracts::<Test>::contains_key(ESCO, id));
		assert_noop!(
			EnergyContracts::withdraw_contract(origin(OWNER), id),
			Error::<Test>::UnknownContract
		);
		let active = active_contract();
		assert_noop!(
			EnergyContracts::withdraw_contract(origin(OWNER), active),
			Error::<Test>::NotADraft
		);
	});
}

#[test]
fn refuses_a_proposer_that_is_not_a_party_or_not_a_member() {
	run(|| {
		assert_noop!(
			EnergyContracts::propose_contract(origin(OTHER_OWNER), agreement()),
			Error::<Test>::NotAParty
		);
		assert_noop!(
			EnergyContracts::propose_contract(RuntimeOrigin::signed(99), agreement()),
			Error::<Test>::NotAMember
		);
		TestMembers::suspend(ESCO);
		refused(agreement(), Error::<Test>::NotAMember);
	});
}

#[test]
fn refuses_parties_in_the_wrong_roles_or_twice() {
	run(|| {
		refused(with(|a| a.client = ESCO), Error::<Test>::SamePartyTwice);
		refused(with(|a| a.client = AUDITOR), Error::<Test>::WrongPartyRole);
		assert_noop!(
			EnergyContracts::propose_contract(origin(OWNER), with(|a| a.provider = OTHER_OWNER)),
			Error::<Test>::WrongPartyRole
		);
	});
}

#[test]
fn refuses_an_unknown_template_version() {
	run(|| {
		let unknown = TemplateRef { kind: TemplateKind::EnergyPerformance, version: 2 };
		refused(with(|a| a.template = unknown), Error::<Test>::UnknownTemplate);
	});
}

#[test]
fn refuses_parameters_outside_the_templates_bounds() {
	run(|| {
		refused(with(|a| a.schedule.period_days = 32), Error::<Test>::ParameterOutOfBounds);
		refused(with(|a| a.schedule.periods = 121), Error::<Test>::ParameterOutOfBounds);
		refused(with(|a| a.payment_days = 0), Error::<Test>::ParameterOutOfBounds);
		refused(with(|a| a.data_grace_days = 31), Error::<Test>::ParameterOutOfBounds);
		refused(
			with_terms(|t| t.guaranteed_share = Permill::from_percent(51)),
			Error::<Test>::ParameterOutOfBounds,
		);
		refused(with_terms(|t| t.price = 5_000_001), Error::<Test>::ParameterOutOfBounds);
		refused(
			with_terms(|t| t.min_coverage = Permill::from_percent(49)),
			Error::<Test>::ParameterOutOfBounds,
		);
		refused(
			with_terms(|t| t.max_cv_rmse = Permill::from_percent(31)),
			Error::<Test>::ParameterOutOfBounds,
		);
		refused(
			with_terms(|t| t.max_nmbe = Permill::from_parts(5_001)),
			Error::<Test>::ParameterOutOfBounds,
		);
	});
}

#[test]
fn a_baseline_that_fails_the_contracts_criteria_cannot_be_agreed() {
	run(|| {
		// The contract's thresholds are ASHRAE Guideline 14's for a four-week term: CV(RMSE)
		// 20 %, |NMBE| 0.5 %.
		refused(
			with_terms(|t| t.baseline.cv_rmse = Permill::from_parts(200_001)),
			Error::<Test>::BaselineFailsCriteria,
		);
		refused(with_terms(|t| t.baseline.nmbe = -5_001), Error::<Test>::BaselineFailsCriteria);
		// At the thresholds it is agreed.
		assert_ok!(EnergyContracts::propose_contract(
			origin(ESCO),
			with_terms(|t| {
				t.baseline.cv_rmse = Permill::from_percent(20);
				t.baseline.nmbe = -5_000;
			})
		));
	});
}

#[test]
fn refuses_a_baseline_settlement_cannot_use() {
	run(|| {
		refused(with_terms(|t| t.baseline.intercept = -1), Error::<Test>::InvalidBaseline);
		refused(with_terms(|t| t.baseline.observations = 2), Error::<Test>::InvalidBaseline);
		refused(with_terms(|t| t.baseline.parameters = 0), Error::<Test>::InvalidBaseline);
		refused(
			with_terms(|t| {
				t.baseline.temperature_spread = smartblocks_rules::degree_days::MAX_SPREAD + 1
			}),
			Error::<Test>::InvalidBaseline,
		);
		// Residuals so autocorrelated that the independent days, n (1 − ρ) / (1 + ρ), are no
		// more than the parameters: 365 × 0.011 / 1.989 ≈ 2.02 days for ρ = 98.9 % and 2
		// parameters is just enough, ρ = 99 % (1.83 days) is not.
		refused(
			with_terms(|t| t.baseline.autocorrelation = Permill::from_percent(99)),
			Error::<Test>::InvalidBaseline,
		);
		refused(
			with_terms(|t| t.baseline.autocorrelation = Permill::one()),
			Error::<Test>::InvalidBaseline,
		);
		assert_ok!(EnergyContracts::propose_contract(
			origin(ESCO),
			with_terms(|t| t.baseline.autocorrelation = Permill::from_parts(989_000))
		));
		// A new contract states the savings' uncertainty at a confidence it agrees.
		refused(with_terms(|t| t.confidence = None), Error::<Test>::SavingsConfidenceMissing);
		refused(
			with_terms(|t| {
				t.baseline.cooling_slope = 1;
				t.baseline.cooling_balance = 140;
			}),
			Error::<Test>::InvalidBaseline,
		);
	});
}

#[test]
fn refuses_sites_and_meters_the_contract_cannot_cover() {
	run(|| {
		let sites = |ids: Vec<u32>| BoundedVec::truncate_from(ids);
		refused(with(|a| a.sites = sites(vec![])), Error::<Test>::NothingCovered);
		refused(with(|a| a.meters = BoundedVec::new()), Error::<Test>::NothingCovered);
		// Unknown, twice, owned by another member, in another weather region.
		for bad in [vec![9], vec![1, 1], vec![1, 2], vec![1, 3]] {
			refused(with(|a| a.sites = sites(bad)), Error::<Test>::InvalidSite);
		}
		// Unknown, twice, on a site the contract does not cover, generation.
		for bad in [vec![99], vec![11, 11], vec![31], vec![13]] {
			refused(
				with(|a| a.meters = BoundedVec::truncate_from(bad)),
				Error::<Test>::InvalidMeter,
			);
		}
		TestMeters::set_status(11, MeterStatus::Retired);
		refused(agreement(), Error::<Test>::InvalidMeter);
	});
}

#[test]
fn refuses_a_bad_currency_or_schedule() {
	run(|| {
		refused(with(|a| a.currency.code = *b"eur"), Error::<Test>::InvalidCurrency);
		refused(with(|a| a.currency.decimals = 7), Error::<Test>::InvalidCurrency);
		// 31 days back is allowed, 32 not.
		set_time(NOV1 + 31, 12);
		assert_ok!(EnergyContracts::propose_contract(origin(ESCO), agreement()));
		set_time(NOV1 + 32, 12);
		refused(agreement(), Error::<Test>::InvalidSchedule);
		refused(with(|a| a.schedule.first_day = u32::MAX - 3), Error::<Test>::InvalidSchedule);
	});
}

#[test]
fn refuses_a_proposal_when_contract_numbers_run_out() {
	run(|| {
		NextContractId::<Test>::put(u32::MAX);
		refused(agreement(), Error::<Test>::TooManyContracts);
	});
}

#[test]
fn nothing_happens_before_the_clock_starts() {
	run(|| {
		smartblocks_testing::TestClock::set(0);
		refused(agreement(), Error::<Test>::NoClock);
	});
}

#[test]
fn both_parties_end_a_contract_by_agreement() {
	run(|| {
		let id = active_contract();
		assert_ok!(EnergyContracts::request_termination(origin(OWNER), id));
		System::assert_last_event(Event::TerminationRequested { contract: id, by: OWNER }.into());
		assert_noop!(
			EnergyContracts::request_termination(origin(OWNER), id),
			Error::<Test>::AlreadyRequested
		);
		assert_ok!(EnergyContracts::request_termination(origin(ESCO), id));
		let reason = Termination::ByAgreement;
		System::assert_last_event(Event::ContractTerminated { contract: id, reason }.into());
		assert_eq!(Contracts::<Test>::get(id).unwrap().state, ContractState::Terminated(reason));
		assert_noop!(
			EnergyContracts::request_termination(origin(ESCO), id),
			Error::<Test>::NotActive
		);
	});
}
