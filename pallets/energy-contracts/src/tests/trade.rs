use super::*;
use frame_support::{assert_noop, assert_ok, BoundedVec};

/// Every window period of the first week: the seller exports `exported` Wh and the buyer
/// imports `imported` Wh.
fn feed_window(exported: u64, imported: u64) {
	for day in NOV1..NOV1 + 7 {
		for period in day * PERIODS_PER_DAY + 40..day * PERIODS_PER_DAY + 56 {
			TestMeters::set_period(41, period, exported, true);
			TestMeters::set_period(11, period, imported, true);
		}
	}
}

fn settle_week(agreement: AgreementOf<Test>) -> Statement {
	let id = NextContractId::<Test>::get();
	assert_ok!(EnergyContracts::propose_contract(origin(TRADER), agreement));
	assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
	set_time(NOV1 + 10, 0);
	assert_ok!(EnergyContracts::settle_period(origin(OWNER), id));
	Statements::<Test>::get(id, 0).unwrap()
}

#[test]
fn the_buyer_pays_for_export_matched_to_its_import_up_to_the_daily_quantity() {
	run(|| {
		feed_window(25_000, 20_000);
		let statement = settle_week(trade_agreement());
		// Worked by hand. Sixteen window periods a day: the seller exports 25 kWh and the buyer
		// imports 20 kWh in each, so 20 kWh a period match: 320 kWh a day, capped at the 300 kWh
		// agreed. A week: 2.1 MWh at 70 EUR/MWh, the buyer owes 147.00 EUR.
		let Evidence::PeerTrade(evidence) = statement.evidence else { panic!("not a trade") };
		assert_eq!(
			evidence,
			TradeEvidence {
				days_used: 7,
				days_missing: 0,
				exported: 2_800_000,
				imported: 2_240_000,
				matched: 2_240_000,
				delivered: 2_100_000,
			}
		);
		let Outcome::Settled { obligation: Some(obligation) } = statement.outcome else {
			panic!("no obligation")
		};
		assert_eq!(
			(obligation.debtor, obligation.creditor, obligation.amount),
			(OWNER, TRADER, 14_700)
		);
	});
}

#[test]
fn a_day_with_an_incomplete_window_period_is_left_out() {
	run(|| {
		feed_window(10_000, 20_000);
		// 10 kWh a period match: 160 kWh a day, under the quantity. One period of the third day
		// is incomplete: that day is left out, 6 × 160 kWh = 0.96 MWh → 67.20 EUR.
		TestMeters::set_period(41, (NOV1 + 2) * PERIODS_PER_DAY + 47, 10_000, false);
		let statement = settle_week(trade_agreement());
		let Evidence::PeerTrade(evidence) = statement.evidence else { panic!("not a trade") };
		assert_eq!(
			(evidence.days_used, evidence.days_missing, evidence.delivered),
			(6, 1, 960_000)
		);
		let Outcome::Settled { obligation: Some(obligation) } = statement.outcome else {
			panic!("no obligation")
		};
		assert_eq!(obligation.amount, 6_720);
	});
}

#[test]
fn a_trade_needs_a_trader_selling_and_a_buyer_importing_within_its_bounds() {
	run(|| {
		let refused = |agreement: AgreementOf<Test>, error: Error<Test>| {
			assert_noop!(EnergyContracts::propose_contract(origin(TRADER), agreement), error);
		};
		let mut esco = trade_agreement();
		esco.provider = ESCO;
		assert_noop!(
			EnergyContracts::propose_contract(origin(ESCO), esco),
			Error::<Test>::WrongPartyRole
		);
		// The buyer's import meter is missing; the seller's export is missing.
		let mut no_buyer = trade_agreement();
		no_buyer.meters = BoundedVec::truncate_from(vec![41]);
		refused(no_buyer, Error::<Test>::NothingCovered);
		let mut no_seller = trade_agreement();
		no_seller.meters = BoundedVec::truncate_from(vec![11]);
		refused(no_seller, Error::<Test>::NothingCovered);
		// The buyer's sub-meter is not an import meter.
		let mut sub_meter = trade_agreement();
		sub_meter.meters = BoundedVec::truncate_from(vec![41, 12]);
		refused(sub_meter, Error::<Test>::InvalidMeter);
		// More meters than a trade reads, a window past midnight, a longer period.
		TestMeters::add_meter(43, 4, pallet_meters::MeterKind::GridExport);
		let mut many = trade_agreement();
		many.meters = BoundedVec::truncate_from(vec![41, 42, 43, 11]);
		refused(many, Error::<Test>::ParameterOutOfBounds);
		let mut late = trade_agreement();
		let Terms::PeerTrade(terms) = &mut late.terms else { panic!("not a trade") };
		terms.window = DailyWindow { first_period: 90, periods: 7 };
		refused(late, Error::<Test>::ParameterOutOfBounds);
		let mut monthly = trade_agreement();
		monthly.schedule.period_days = 8;
		refused(monthly, Error::<Test>::ParameterOutOfBounds);
	});
}

#[test]
fn a_template_an_older_runtime_admitted_takes_no_contract_larger_than_settlement_was_measured_at() {
	run(|| {
		// A runtime with a longer interval limit approved the trade template for fortnights.
		let TemplateRef { kind, version } = trade_agreement().template;
		Templates::<Test>::mutate(kind, version, |template| {
			template.as_mut().expect("the default trade template").common.period_days.max = 14;
		});
		let mut fortnightly = trade_agreement();
		fortnightly.schedule.period_days = 8;
		assert_noop!(
			EnergyContracts::propose_contract(origin(TRADER), fortnightly),
			Error::<Test>::ParameterOutOfBounds
		);
		let mut weekly = trade_agreement();
		weekly.schedule.period_days = 7;
		assert_ok!(EnergyContracts::propose_contract(origin(TRADER), weekly));
	});
}

#[test]
fn a_trade_template_cannot_outlast_the_meters_period_retention() {
	run(|| {
		let (common, bounds) = crate::default_peer_trade();
		let long = CommonBounds { data_grace_days: Bounds { min: 0, max: 8 }, ..common };
		assert_noop!(
			EnergyContracts::approve_template(RuntimeOrigin::root(), long, bounds),
			Error::<Test>::InvalidBounds
		);
	});
}

/// A trade reads every window period of its meters, far more than an energy performance
/// contract's days: settling is charged the costliest kind and refunded to the trade's own.
#[test]
fn settling_is_charged_the_costliest_kind_and_refunded_to_the_contracts_own() {
	use crate::weights::WeightInfo;
	use frame_support::dispatch::GetDispatchInfo;
	run(|| {
		feed_window(25_000, 20_000);
		let agreement = trade_agreement();
		let meters = agreement.meters.len() as u32;
		let id = NextContractId::<Test>::get();
		assert_ok!(EnergyContracts::propose_contract(origin(TRADER), agreement));
		assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
		set_time(NOV1 + 10, 0);
		let charged =
			crate::Call::<Test>::settle_period { contract: id }.get_dispatch_info().call_weight;
		type Measured = ();
		for worst in [
			<Measured as WeightInfo>::settle_energy_performance(4),
			<Measured as WeightInfo>::settle_renewable_share(4),
			<Measured as WeightInfo>::settle_supply_tariff(4),
			<Measured as WeightInfo>::settle_peer_trade(3),
			<Measured as WeightInfo>::settle_demand_response(3),
		] {
			assert!(charged.all_gte(worst), "charged {charged:?}, a kind costs {worst:?}");
		}
		let settled = EnergyContracts::settle_period(origin(OWNER), id).unwrap();
		assert_eq!(
			settled.actual_weight,
			Some(<Measured as WeightInfo>::settle_peer_trade(meters))
		);
	});
}

/// Settlement is charged at the longest period a kind allows: a contract longer than that, as a
/// runtime that lowered `MaxIntervalDays` would leave behind, breaks the pallet's invariants.
#[test]
fn a_contract_longer_than_its_settlement_was_measured_at_breaks_the_invariants() {
	run(|| {
		let id = NextContractId::<Test>::get();
		assert_ok!(EnergyContracts::propose_contract(origin(TRADER), trade_agreement()));
		let set_period_days = |days| {
			Contracts::<Test>::mutate(id, |contract| {
				if let Some(contract) = contract {
					contract.agreement.schedule.period_days = days;
				}
			})
		};
		set_period_days(8);
		assert_eq!(
			EnergyContracts::do_try_state(),
			Err("a contract is larger than its settlement weight was measured at".into())
		);
		set_period_days(7);
		assert_ok!(EnergyContracts::do_try_state());
	});
}
