use super::*;
use crate::migrations::{v1, v2};
use codec::Encode;
use frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};
use sp_arithmetic::Permill;

#[test]
fn version_2_keeps_every_contract_and_statement_and_states_no_uncertainty_for_them() {
	run(|| {
		let id = active_contract();
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 7, 1);
		assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
		let contract = Contracts::<Test>::get(id).unwrap();
		let statement = Statements::<Test>::get(id, 0).unwrap();
		let Terms::EnergyPerformance(terms) = contract.agreement.terms.clone() else {
			unreachable!()
		};
		let Evidence::EnergyPerformance(evidence) = statement.evidence else { unreachable!() };
		assert!(evidence.savings_uncertainty.is_some());

		// Both as version 1 wrote them.
		let b = terms.baseline;
		let old_baseline = v1::DailyBaseline {
			intercept: b.intercept,
			heating_slope: b.heating_slope,
			heating_balance: b.heating_balance,
			cooling_slope: b.cooling_slope,
			cooling_balance: b.cooling_balance,
			cv_rmse: b.cv_rmse,
			nmbe: b.nmbe,
			r_squared: b.r_squared,
			observations: b.observations,
			parameters: b.parameters,
		};
		let a = contract.agreement.clone();
		let old_contract = v1::ContractOf::<Test> {
			template: a.template,
			provider: a.provider,
			client: a.client,
			sites: a.sites,
			meters: a.meters,
			currency: a.currency,
			schedule: a.schedule,
			payment_days: a.payment_days,
			data_grace_days: a.data_grace_days,
			terms: v1::Terms::EnergyPerformance(v1::EnergyPerformanceTerms {
				baseline: old_baseline,
				max_cv_rmse: terms.max_cv_rmse,
				max_nmbe: terms.max_nmbe,
				guaranteed_share: terms.guaranteed_share,
				provider_share: terms.provider_share,
				price: terms.price,
				min_coverage: terms.min_coverage,
			}),
			proposer: contract.proposer,
			provider_signed: contract.provider_signed,
			client_signed: contract.client_signed,
			state: contract.state,
			settled: contract.settled,
			termination_requested: contract.termination_requested,
		};
		let old_statement = v1::Statement {
			first_day: statement.first_day,
			days: statement.days,
			evidence: v1::Evidence::EnergyPerformance(v1::PerformanceEvidence {
				days_used: evidence.days_used,
				days_missing: evidence.days_missing,
				baseline: evidence.baseline,
				metered: evidence.metered,
				savings: evidence.savings,
				guaranteed: evidence.guaranteed,
				heating_degree_days: evidence.heating_degree_days,
				cooling_degree_days: evidence.cooling_degree_days,
			}),
			outcome: statement.outcome,
			settled_at: statement.settled_at,
		};
		unhashed::put_raw(&Contracts::<Test>::hashed_key_for(id), &old_contract.encode());
		unhashed::put_raw(&Statements::<Test>::hashed_key_for(id, 0), &old_statement.encode());
		StorageVersion::new(1).put::<EnergyContracts>();

		crate::migrations::V1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(EnergyContracts::on_chain_storage_version(), StorageVersion::new(2));
		crate::migrations::V2ToV3::<Test>::on_runtime_upgrade();

		let mut expected = contract.clone();
		let Terms::EnergyPerformance(expected_terms) = &mut expected.agreement.terms else {
			unreachable!()
		};
		expected_terms.confidence = None;
		expected_terms.baseline.autocorrelation = Permill::zero();
		assert_eq!(Contracts::<Test>::get(id).unwrap(), expected);
		let expected_statement = Statement {
			evidence: Evidence::EnergyPerformance(PerformanceEvidence {
				savings_uncertainty: None,
				..evidence
			}),
			..statement
		};
		assert_eq!(Statements::<Test>::get(id, 0).unwrap(), expected_statement);
		assert_eq!(EnergyContracts::on_chain_storage_version(), StorageVersion::new(3));
		// Run again at version 3 they change nothing.
		crate::migrations::V1ToV2::<Test>::on_runtime_upgrade();
		crate::migrations::V2ToV3::<Test>::on_runtime_upgrade();
		assert_eq!(Contracts::<Test>::get(id).unwrap(), expected);
		assert_eq!(Statements::<Test>::get(id, 0).unwrap(), expected_statement);
	});
}

#[test]
fn version_3_keeps_every_contract_with_degree_days_from_the_days_mean() {
	run(|| {
		let id = active_contract();
		let contract = Contracts::<Test>::get(id).unwrap();
		let a = contract.agreement.clone();
		let Terms::EnergyPerformance(terms) = a.terms.clone() else { unreachable!() };
		let b = terms.baseline;
		assert_eq!(b.temperature_spread, 0);
		let old_contract = v2::ContractOf::<Test> {
			agreement: v2::Agreement {
				template: a.template,
				provider: a.provider,
				client: a.client,
				sites: a.sites,
				meters: a.meters,
				currency: a.currency,
				schedule: a.schedule,
				payment_days: a.payment_days,
				data_grace_days: a.data_grace_days,
				terms: v2::Terms::EnergyPerformance(v2::EnergyPerformanceTerms {
					baseline: v2::DailyBaseline {
						intercept: b.intercept,
						heating_slope: b.heating_slope,
						heating_balance: b.heating_balance,
						cooling_slope: b.cooling_slope,
						cooling_balance: b.cooling_balance,
						cv_rmse: b.cv_rmse,
						nmbe: b.nmbe,
						r_squared: b.r_squared,
						observations: b.observations,
						parameters: b.parameters,
						autocorrelation: b.autocorrelation,
					},
					max_cv_rmse: terms.max_cv_rmse,
					max_nmbe: terms.max_nmbe,
					guaranteed_share: terms.guaranteed_share,
					provider_share: terms.provider_share,
					price: terms.price,
					min_coverage: terms.min_coverage,
					confidence: terms.confidence,
				}),
			},
			proposer: contract.proposer,
			provider_signed: contract.provider_signed,
			client_signed: contract.client_signed,
			state: contract.state,
			settled: contract.settled,
			termination_requested: contract.termination_requested,
		};
		unhashed::put_raw(&Contracts::<Test>::hashed_key_for(id), &old_contract.encode());
		StorageVersion::new(2).put::<EnergyContracts>();
		// Version 2's bytes are not version 3's: the contract reads only after the migration.
		assert!(Contracts::<Test>::get(id).is_none());

		crate::migrations::V2ToV3::<Test>::on_runtime_upgrade();

		assert_eq!(Contracts::<Test>::get(id).unwrap(), contract);
		assert_eq!(EnergyContracts::on_chain_storage_version(), StorageVersion::new(3));
		// It settles as before.
		feed_days(NOV1, &FIRST_WEEK);
		set_time(NOV1 + 7, 1);
		assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
	});
}
