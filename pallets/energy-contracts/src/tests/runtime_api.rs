use super::*;
use frame_support::assert_ok;

#[test]
fn a_contract_comes_with_its_statements_and_a_preview_of_the_next() {
	run(|| {
		let id = active_contract();
		assert_eq!(EnergyContracts::contracts_of(OWNER), vec![id]);
		assert_eq!(EnergyContracts::contracts_of(AUDITOR), Vec::<ContractId>::new());
		feed_days(NOV1, &FIRST_WEEK);
		// Before the period closes the preview settles on the data on chain so far (here the
		// whole week already) and writes nothing.
		set_time(NOV1 + 3, 12);
		let preview = EnergyContracts::preview(id).unwrap();
		let Evidence::EnergyPerformance(evidence) = preview.evidence else {
			panic!("not energy performance")
		};
		assert_eq!((evidence.days_used, evidence.days_missing), (7, 0));
		assert_eq!(
			preview.outcome,
			Outcome::Settled {
				obligation: Some(Obligation {
					debtor: OWNER,
					creditor: ESCO,
					amount: 2_895,
					due: u64::from(NOV1 + 3) * DAY + 12 * 3_600_000 + 14 * DAY,
					status: PaymentStatus::Pending,
				})
			}
		);
		assert!(Statements::<Test>::get(id, 0).is_none());

		set_time(NOV1 + 7, 1);
		assert_ok!(EnergyContracts::settle_period(origin(ESCO), id));
		let info = EnergyContracts::contract_info(id).unwrap();
		assert_eq!(info.statements, vec![Statements::<Test>::get(id, 0).unwrap()]);
		assert_eq!((info.provider, info.client, info.settled), (ESCO, OWNER, 1));
		assert_eq!(info.meters, vec![11]);
		// The second week has no data yet: everything missing, so it would go to an auditor.
		let Evidence::EnergyPerformance(next) = EnergyContracts::preview(id).unwrap().evidence
		else {
			panic!("not energy performance")
		};
		assert_eq!(next.days_missing, 7);
		assert_eq!(EnergyContracts::preview(id).unwrap().outcome, Outcome::InsufficientData);
		assert!(EnergyContracts::contract_info(9).is_none());
	});
}
