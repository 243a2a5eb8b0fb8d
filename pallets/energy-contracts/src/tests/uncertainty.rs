//! The savings uncertainty statements state: ASHRAE Guideline 14's formula in fixed point, its
//! table of Student's t, and a contract that agreed none.

use super::*;
use crate::ashrae14::{savings_uncertainty, student_t};
use frame_support::assert_ok;
use sp_arithmetic::Permill;

#[test]
fn students_t_is_the_row_at_or_below_the_degrees_of_freedom() {
	use SavingsConfidence::*;
	assert_eq!(student_t(Percent90, 0), None);
	assert_eq!(student_t(Percent90, 1), Some(6_314));
	assert_eq!(student_t(Percent95, 30), Some(2_043));
	// 363 lies between the rows of 300 and 500: 300's, the wider.
	assert_eq!(student_t(Percent90, 363), Some(1_650));
	assert_eq!(student_t(Percent68, 363), Some(997));
	// Beyond the last row, its value, a little above the normal quantile.
	assert_eq!(student_t(Percent80, u16::MAX), Some(1_283));
	for confidence in [Percent68, Percent80, Percent90, Percent95] {
		let column: Vec<_> = (1..=u16::MAX).map(|f| student_t(confidence, f).unwrap()).collect();
		assert!(column.windows(2).all(|pair| pair[0] >= pair[1]), "t never grows with freedom");
	}
}

/// The Guideline's formula in floating point, with the same t.
fn by_formula(
	baseline: &DailyBaseline,
	confidence: SavingsConfidence,
	days: u16,
	use_wh: i64,
) -> f64 {
	let freedom = baseline.observations - u16::from(baseline.parameters);
	let t = f64::from(student_t(confidence, freedom).unwrap()) / 1_000.0;
	let rho = f64::from(baseline.autocorrelation.deconstruct()) / 1e6;
	let n = f64::from(baseline.observations);
	let effective = n * (1.0 - rho) / (1.0 + rho);
	let cv = f64::from(baseline.cv_rmse.deconstruct()) / 1e6;
	1.26 * t
		* cv * ((n / effective) * (1.0 + 2.0 / effective) / f64::from(days)).sqrt()
		* (use_wh as f64).abs()
}

#[test]
fn the_uncertainty_is_guideline_14s_formula_rounded_up_to_a_watt_hour() {
	let mut baseline = baseline();
	for rho in [0, 10, 30, 60, 90, 99] {
		for days in [1, 7, 28, 31, 365] {
			for cv_rmse in [3, 12, 30] {
				for confidence in [SavingsConfidence::Percent68, SavingsConfidence::Percent95] {
					baseline.autocorrelation = Permill::from_percent(rho);
					baseline.cv_rmse = Permill::from_percent(cv_rmse);
					let use_wh = 1_000_000 * i64::from(days);
					let exact = by_formula(&baseline, confidence, days, use_wh);
					let stated = savings_uncertainty(&baseline, confidence, days, use_wh).unwrap();
					let stated = stated as f64;
					assert!(
						stated >= exact - 1e-3 && stated <= exact + 1.0 + 1e-6 * exact,
						"ρ {rho} %, {days} days, CV {cv_rmse} %: {stated} Wh for {exact:.3}"
					);
				}
			}
		}
	}
}

#[test]
fn autocorrelated_residuals_widen_the_band_and_more_days_narrow_its_share() {
	let mut baseline = baseline();
	let at = |baseline: &DailyBaseline, days: u16| {
		savings_uncertainty(
			baseline,
			SavingsConfidence::Percent90,
			days,
			1_000_000 * i64::from(days),
		)
		.unwrap()
	};
	baseline.autocorrelation = Permill::zero();
	let independent = at(&baseline, 28);
	baseline.autocorrelation = Permill::from_percent(60);
	let correlated = at(&baseline, 28);
	// n / n′ = 1.6 / 0.4 = 4: twice the band, and a little more for 1 + 2 / n′.
	assert!(correlated > 2 * independent && correlated < 2 * independent * 101 / 100);
	// A year's share of its use is about √13 times smaller than four weeks'.
	let year = at(&baseline, 364);
	let (share_28, share_364) = (correlated as f64 / 28e6, year as f64 / 364e6);
	assert!((share_28 / share_364 - 13f64.sqrt()).abs() < 0.01, "{share_28} {share_364}");
	// Savings below the baseline are as uncertain as above it.
	assert_eq!(
		savings_uncertainty(&baseline, SavingsConfidence::Percent90, 28, -28_000_000),
		Some(correlated)
	);
}

#[test]
fn no_uncertainty_without_a_day_freedom_or_an_independent_day() {
	let mut baseline = baseline();
	assert_eq!(savings_uncertainty(&baseline, SavingsConfidence::Percent90, 0, 1), None);
	baseline.autocorrelation = Permill::one();
	assert_eq!(savings_uncertainty(&baseline, SavingsConfidence::Percent90, 7, 1), None);
	baseline.autocorrelation = Permill::zero();
	baseline.parameters = 2;
	baseline.observations = 2;
	assert_eq!(savings_uncertainty(&baseline, SavingsConfidence::Percent90, 7, 1), None);
	// Energy beyond what fixed point holds is refused, not wrapped.
	baseline.observations = 365;
	baseline.autocorrelation = Permill::from_parts(999_999);
	assert_eq!(savings_uncertainty(&baseline, SavingsConfidence::Percent95, 1, i64::MIN), None);
}

#[test]
fn a_contract_agreed_before_statements_stated_uncertainty_states_none() {
	run(|| {
		let id = active_contract();
		// As the migration to storage version 2 left a contract agreed before it.
		Contracts::<Test>::mutate(id, |contract| {
			let contract = contract.as_mut().unwrap();
			let Terms::EnergyPerformance(terms) = &mut contract.agreement.terms else {
				unreachable!()
			};
			terms.confidence = None;
		});
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 7, 1);
		assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
		let Evidence::EnergyPerformance(evidence) =
			Statements::<Test>::get(id, 0).unwrap().evidence
		else {
			panic!("not energy performance")
		};
		assert_eq!(evidence.savings, 1_590_000);
		assert_eq!(evidence.savings_uncertainty, None);
	});
}
