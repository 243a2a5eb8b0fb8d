use super::*;
use crate::templates::default_energy_performance;
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Permill;
use sp_runtime::DispatchError;

fn tighter() -> (CommonBounds, TemplateBounds) {
	let (common, TemplateBounds::EnergyPerformance(mut bounds)) = default_energy_performance()
	else {
		panic!("not energy performance")
	};
	bounds.max_cv_rmse = Permill::from_percent(20);
	(common, TemplateBounds::EnergyPerformance(bounds))
}

#[test]
fn genesis_approves_the_built_in_template() {
	run(|| {
		let (common, bounds) = default_energy_performance();
		let expected = Template { common, bounds, retired: false };
		assert_eq!(Templates::<Test>::get(TemplateKind::EnergyPerformance, 1), Some(expected));
		assert_eq!(LatestVersion::<Test>::get(TemplateKind::EnergyPerformance), Some(1));
		let (common, bounds) = crate::default_renewable_share();
		let expected = Template { common, bounds, retired: false };
		assert_eq!(Templates::<Test>::get(TemplateKind::RenewableShare, 1), Some(expected));
	});
}

#[test]
fn the_council_approves_new_versions() {
	run(|| {
		let (common, bounds) = tighter();
		assert_ok!(EnergyContracts::approve_template(RuntimeOrigin::root(), common, bounds));
		System::assert_last_event(
			Event::TemplateApproved { kind: TemplateKind::EnergyPerformance, version: 2 }.into(),
		);
		assert_eq!(
			Templates::<Test>::get(TemplateKind::EnergyPerformance, 2).unwrap().bounds,
			bounds
		);
		assert_noop!(
			EnergyContracts::approve_template(origin(ESCO), common, bounds),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn refuses_empty_or_unsupported_bounds() {
	run(|| {
		let (common, bounds) = default_energy_performance();
		let empty_days = CommonBounds { period_days: Bounds { min: 8, max: 7 }, ..common };
		let too_long = CommonBounds { period_days: Bounds { min: 1, max: 32 }, ..common };
		let no_periods = CommonBounds { periods: Bounds { min: 0, max: 3 }, ..common };
		for common in [empty_days, too_long, no_periods] {
			assert_noop!(
				EnergyContracts::approve_template(RuntimeOrigin::root(), common, bounds),
				Error::<Test>::InvalidBounds
			);
		}
		let TemplateBounds::EnergyPerformance(mut ep) = bounds else {
			panic!("not energy performance")
		};
		ep.price = Bounds { min: 10, max: 1 };
		assert_noop!(
			EnergyContracts::approve_template(
				RuntimeOrigin::root(),
				common,
				TemplateBounds::EnergyPerformance(ep)
			),
			Error::<Test>::InvalidBounds
		);
	});
}

#[test]
fn a_kind_runs_out_of_version_numbers_with_an_error() {
	run(|| {
		LatestVersion::<Test>::insert(TemplateKind::EnergyPerformance, u16::MAX);
		let (common, bounds) = tighter();
		assert_noop!(
			EnergyContracts::approve_template(RuntimeOrigin::root(), common, bounds),
			Error::<Test>::TooManyVersions
		);
	});
}

#[test]
fn a_retired_version_takes_no_new_contracts_and_its_contracts_run_on() {
	run(|| {
		let id = active_contract();
		assert_ok!(EnergyContracts::retire_template(
			RuntimeOrigin::root(),
			TemplateKind::EnergyPerformance,
			1
		));
		System::assert_last_event(
			Event::TemplateRetired { kind: TemplateKind::EnergyPerformance, version: 1 }.into(),
		);
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), agreement()),
			Error::<Test>::TemplateRetired
		);
		assert_noop!(
			EnergyContracts::retire_template(
				RuntimeOrigin::root(),
				TemplateKind::EnergyPerformance,
				1
			),
			Error::<Test>::TemplateRetired
		);
		assert_noop!(
			EnergyContracts::retire_template(
				RuntimeOrigin::root(),
				TemplateKind::EnergyPerformance,
				7
			),
			Error::<Test>::UnknownTemplate
		);
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 7, 0);
		assert_ok!(EnergyContracts::settle_period(origin(ESCO), id));
	});
}
