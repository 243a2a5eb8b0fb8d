use super::*;
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_arithmetic::Permill;

/// A week of days from 1 November: (imported, generated, exported) Wh a day.
fn feed_energy(days: &[(u64, u64, u64)]) {
	for (offset, (imported, generated, exported)) in days.iter().enumerate() {
		let day = NOV1 + offset as u32;
		TestMeters::set_day(11, day, *imported, 96);
		TestMeters::set_day(13, day, *generated, 96);
		TestMeters::set_day(14, day, *exported, 96);
	}
}

fn with_target(target: u32) -> AgreementOf<Test> {
	let mut agreement = renewable_agreement();
	let Terms::RenewableShare(terms) = &mut agreement.terms else { panic!("not renewable") };
	terms.target = Permill::from_percent(target);
	agreement
}

fn settle_week(agreement: AgreementOf<Test>) -> (RenewableEvidence, Option<Obligation>) {
	let id = propose(agreement);
	assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
	set_time(NOV1 + 7, 0);
	assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
	let statement = Statements::<Test>::get(id, 0).unwrap();
	let Evidence::RenewableShare(evidence) = statement.evidence else { panic!("not renewable") };
	let Outcome::Settled { obligation } = statement.outcome else { panic!("went to an auditor") };
	(evidence, obligation)
}

#[test]
fn a_share_short_of_the_target_costs_the_provider_the_penalty() {
	run(|| {
		feed_energy(&[(700_000, 350_000, 50_000); 7]);
		let (evidence, obligation) = settle_week(renewable_agreement());
		// Worked by hand. A day: 350 kWh generated, 50 kWh exported, so 300 kWh used on site;
		// site use 700 + 300 = 1 000 kWh; share 30 %. A week: 2 100 kWh renewable of 7 000 kWh;
		// the 40 % target is 2 800 kWh; 700 kWh short at 80 EUR/MWh: the ESCO owes 56.00 EUR.
		assert_eq!(
			evidence,
			RenewableEvidence {
				days_used: 7,
				days_missing: 0,
				imported: 4_900_000,
				generated: 2_450_000,
				exported: 350_000,
				renewable_used: 2_100_000,
				site_use: 7_000_000,
				share: Permill::from_percent(30),
				target_energy: 2_800_000,
			}
		);
		let obligation = obligation.unwrap();
		assert_eq!(
			(obligation.debtor, obligation.creditor, obligation.amount),
			(ESCO, OWNER, 5_600)
		);
	});
}

#[test]
fn a_share_beyond_the_target_earns_the_provider_the_bonus() {
	run(|| {
		feed_energy(&[(700_000, 350_000, 50_000); 7]);
		// A 25 % target is 1 750 kWh: 350 kWh beyond it at 40 EUR/MWh, the owner owes 14.00 EUR.
		let (evidence, obligation) = settle_week(with_target(25));
		assert_eq!(evidence.target_energy, 1_750_000);
		let obligation = obligation.unwrap();
		assert_eq!(
			(obligation.debtor, obligation.creditor, obligation.amount),
			(OWNER, ESCO, 1_400)
		);
	});
}

#[test]
fn exports_above_generation_count_as_no_renewable_use_and_missing_days_are_left_out() {
	run(|| {
		// A day whose export exceeds generation (a battery discharging to the grid) uses no
		// renewable energy; the generation meter misses a day, which is left out.
		feed_energy(&[(1_000_000, 100_000, 150_000); 7]);
		TestMeters::set_day(13, NOV1 + 6, 0, 50);
		set_time(NOV1 + 10, 0);
		let id = propose(with_target(0));
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
		let statement = Statements::<Test>::get(id, 0).unwrap();
		let Evidence::RenewableShare(evidence) = statement.evidence else {
			panic!("not renewable")
		};
		assert_eq!((evidence.days_used, evidence.days_missing), (6, 1));
		assert_eq!((evidence.renewable_used, evidence.site_use), (0, 6_000_000));
		assert_eq!(evidence.share, Permill::zero());
		// Target 0 and nothing beyond it: nobody owes anything.
		assert_eq!(statement.outcome, Outcome::Settled { obligation: None });
	});
}

#[test]
fn refuses_terms_meters_and_parameters_the_template_does_not_take() {
	run(|| {
		let mut wrong_template = renewable_agreement();
		wrong_template.template.kind = TemplateKind::EnergyPerformance;
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), wrong_template),
			Error::<Test>::TermsDoNotMatchTemplate
		);
		let mut no_generation = renewable_agreement();
		no_generation.meters = BoundedVec::truncate_from(vec![11, 14]);
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), no_generation),
			Error::<Test>::NothingCovered
		);
		let mut sub_meter = renewable_agreement();
		sub_meter.meters = BoundedVec::truncate_from(vec![12, 13]);
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), sub_meter),
			Error::<Test>::InvalidMeter
		);
		let mut generation_in_performance = agreement();
		generation_in_performance.meters = BoundedVec::truncate_from(vec![11, 13]);
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), generation_in_performance),
			Error::<Test>::InvalidMeter
		);
		let mut steep = renewable_agreement();
		let Terms::RenewableShare(terms) = &mut steep.terms else { panic!("not renewable") };
		terms.penalty = 1_000_001;
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), steep),
			Error::<Test>::ParameterOutOfBounds
		);
	});
}
