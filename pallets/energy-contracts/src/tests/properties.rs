use super::*;
use crate::{daily_prediction, value_of_energy};
use frame_support::assert_ok;
use proptest::prelude::*;
use sp_arithmetic::{FixedPointNumber, FixedU128, Permill};

#[test]
fn values_energy_in_minor_units_rounding_half_away_from_zero() {
	let wh = |wh: u128| FixedU128::from_inner(wh * FixedU128::DIV);
	// 100 Wh at 150 EUR/MWh is 1.5 cents → 2; 99 Wh is 1.485 → 1; 1 Wh 0.015 → 0.
	assert_eq!(value_of_energy(wh(100), 150_000, Permill::one(), 2), Some(2));
	assert_eq!(value_of_energy(wh(99), 150_000, Permill::one(), 2), Some(1));
	assert_eq!(value_of_energy(wh(1), 150_000, Permill::one(), 2), Some(0));
	// Half of 1 MWh at 150.000 JPY/MWh (no decimals) is 75 yen.
	assert_eq!(value_of_energy(wh(1_000_000), 150_000, Permill::from_percent(50), 0), Some(75));
	// Overflow is `None`, not a wrapped amount.
	assert_eq!(
		value_of_energy(FixedU128::from_inner(u128::MAX), 5_000_000, Permill::one(), 6),
		None
	);
}

#[test]
fn predicts_with_degree_days_on_either_side_of_the_balance_points() {
	let mut model = crate::mock::baseline();
	model.cooling_slope = 200_000;
	// 15.0 °C: neither heating nor cooling; 9.5 °C: 5.5 K·d heating; 25.1 °C: 1.1 K·d cooling.
	assert_eq!(daily_prediction(&model, 150), Some((10_000_000, 0, 0)));
	assert_eq!(daily_prediction(&model, 95), Some((10_000_000 + 120_000 * 55, 5_500_000, 0)));
	assert_eq!(daily_prediction(&model, 251), Some((10_000_000 + 200_000 * 11, 0, 1_100_000)));
	// A term the model lacks counts no degree-days from its unused balance point (a fit
	// without cooling writes 0.0 °C there): none in a winter statement.
	model.cooling_slope = 0;
	model.cooling_balance = 0;
	assert_eq!(daily_prediction(&model, 14), Some((10_000_000 + 120_000 * 136, 13_600_000, 0)));
	model.heating_slope = 0;
	assert_eq!(daily_prediction(&model, -50), Some((10_000_000, 0, 0)));
}

#[test]
fn a_temperature_spread_smooths_the_hinges() {
	let mut model = crate::mock::baseline();
	model.cooling_slope = 200_000;
	model.temperature_spread = 20;
	// At the heating balance point (15.0 °C) with temperatures spread by 2 K, the day's
	// degree-days are 2 K × φ(0) = 0.797 884 K·d: 120 000 × 0.797 884 Wh.
	// At 18.0 °C: heating 3 K = 1.5 σ above its balance point, 2 K × (g(1.5) − 1.5) =
	// 0.058 614 K·d, cooling 6 K = 3 σ below, 2 K × (g(3) − 3) = 0.000 764 K·d.
	let (tenths, heating, cooling) = daily_prediction(&model, 150).unwrap();
	assert_eq!((heating, cooling), (797_884, 0));
	assert_eq!(tenths, 10_000_000 + 120_000 * 797_884 / 100_000);
	let (tenths, heating, cooling) = daily_prediction(&model, 180).unwrap();
	assert_eq!((heating, cooling), (58_614, 764));
	assert_eq!(tenths, 10_000_000 + 120_000 * 58_614 / 100_000 + 200_000 * 764 / 100_000);
	// Far from both balance points, the straight hinges.
	assert_eq!(daily_prediction(&model, -200).unwrap().1, 35_000_000);
	// More spread than any day has: the pool never sees it (`check_model`), and the
	// prediction refuses it rather than extrapolating a table.
	model.temperature_spread = smartblocks_rules::degree_days::MAX_SPREAD + 1;
	assert_eq!(daily_prediction(&model, 120), None);
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// A statement moves one amount from one party to the other: what the debtor pays the
	/// creditor receives, and nobody else gains. The amount is within half a minor unit of the
	/// exact value.
	#[test]
	fn settlement_balances_and_rounds_within_half_a_cent(
		days in proptest::collection::vec((-150i64..=300, 0u64..=4_000_000), 7),
		guaranteed in 0u32..=500_000,
		provider in 0u32..=1_000_000,
		price in 1u64..=5_000_000,
	) {
		new_test_ext().execute_with(|| -> Result<(), TestCaseError> {
			let mut terms = performance_terms();
			terms.guaranteed_share = Permill::from_parts(guaranteed);
			terms.provider_share = Permill::from_parts(provider);
			terms.price = price;
			let mut proposal = agreement();
			proposal.terms = Terms::EnergyPerformance(terms);
			let id = propose(proposal);
			assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
			let days: Vec<(i64, u64)> = days.clone();
			feed_days(NOV1, &days);
			set_time(NOV1 + 7, 0);
			assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
			let statement = Statements::<Test>::get(id, 0).unwrap();
			let Evidence::EnergyPerformance(evidence) = statement.evidence else {
			panic!("not energy performance")
		};

			// Exact value in millionths of a cent × 10^6 (tenths of Wh × ppm × milli-price):
			// amount_cents = beyond_Wh / 10^6 × price / 1 000 × share / 10^6 × 100.
			let baseline_tenths: i128 = days
				.iter()
				.map(|(t, _)| daily_prediction(&terms.baseline, *t).unwrap().0)
				.sum();
			let metered_tenths = 10 * days.iter().map(|(_, e)| i128::from(*e)).sum::<i128>();
			let savings = baseline_tenths - metered_tenths;
			// beyond × 10^7 = max(savings, 0) × 10^6 − baseline × guaranteed ppm (tenths × 10^6).
			let counted = savings.max(0);
			let beyond = counted * 1_000_000 - baseline_tenths * i128::from(guaranteed);
			let share = if beyond > 0 { i128::from(provider) } else { 1_000_000 };
			// cents × D = |beyond| × share × price × 100, with D = 10^7 × 10^6 × 10^3 × 10^6.
			let numerator = beyond.abs() * share * i128::from(price) * 100;
			let denominator: i128 = 10_000_000 * 1_000_000 * 1_000 * 1_000_000;

			let (owed, debtor) = match statement.outcome {
				Outcome::Settled { obligation: Some(o) } => {
					prop_assert_ne!(o.debtor, o.creditor);
					prop_assert!([ESCO, OWNER].contains(&o.debtor) && [ESCO, OWNER].contains(&o.creditor));
					(i128::try_from(o.amount).unwrap(), Some(o.debtor))
				}
				Outcome::Settled { obligation: None } => (0, None),
				Outcome::InsufficientData => return Err(TestCaseError::fail("complete data went to an auditor")),
			};
			// Rounding error at most half a cent (plus the fixed-point's 10^-18 steps).
			let error = (owed * denominator - numerator).abs();
			prop_assert!(error * 2 <= denominator + denominator / 1_000_000, "error {error} of {denominator}");
			if owed > 0 {
				prop_assert_eq!(debtor, Some(if beyond > 0 { OWNER } else { ESCO }));
			}
			prop_assert_eq!(i128::from(evidence.savings), (savings + savings.signum() * 5) / 10);
			EnergyContracts::do_try_state().map_err(|e| TestCaseError::fail(format!("{e:?}")))
		})?;
	}

	/// The order of the contract's meters does not change the statement.
	#[test]
	fn the_order_of_meters_does_not_matter(
		energies in proptest::collection::vec((0u64..=2_000_000, 0u64..=2_000_000), 7),
	) {
		let statement = |meters: Vec<u32>| {
			let mut statement = None;
			run(|| {
				let mut proposal = agreement();
				proposal.meters = frame_support::BoundedVec::truncate_from(meters);
				let id = propose(proposal);
				assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
				for (offset, (a, b)) in energies.iter().enumerate() {
					let day = NOV1 + offset as u32;
					TestFeeds::set_temperature(b"DE-BE", day, 80, PERIODS_PER_DAY);
					TestMeters::set_day(11, day, *a, 96);
					TestMeters::set_day(12, day, *b, 96);
				}
				set_time(NOV1 + 7, 0);
				assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
				statement = Statements::<Test>::get(id, 0);
			});
			statement
		};
		prop_assert_eq!(statement(vec![11, 12]), statement(vec![12, 11]));
	}
}
