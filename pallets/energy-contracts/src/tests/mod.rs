mod disputes;
mod lifecycle;
mod migrations;
mod payments;
mod properties;
mod ratings;
mod renewable;
mod response;
mod runtime_api;
mod settlement;
mod tariff;
mod templates;
mod trade;
mod uncertainty;

use crate::{mock::*, pallet::*, types::*};
use frame_support::assert_ok;

/// The ESCO proposes `agreement`; returns the contract's number.
pub fn propose(agreement: AgreementOf<Test>) -> ContractId {
	let id = NextContractId::<Test>::get();
	assert_ok!(EnergyContracts::propose_contract(origin(ESCO), agreement));
	id
}

/// The ESCO proposes the mock's agreement and the owner signs it.
pub fn active_contract() -> ContractId {
	let id = propose(agreement());
	assert_ok!(EnergyContracts::sign_contract(origin(OWNER), id));
	id
}

/// Closed days from `first` for meter 11, and daily mean temperatures in `DE-BE` (all 96
/// periods): `(temperature in 0.1 °C, metered Wh)` per day.
pub fn feed_days(first: pallet_meters::DayIndex, days: &[(i64, u64)]) {
	for (offset, (temperature, energy)) in days.iter().enumerate() {
		let day = first + offset as u32;
		TestFeeds::set_temperature(b"DE-BE", day, *temperature, PERIODS_PER_DAY);
		TestMeters::set_day(11, day, *energy, PERIODS_PER_DAY as u16);
	}
}

/// The first worked week (1–7 November), see `settlement::a_week_beyond_the_guarantee...`.
pub const FIRST_WEEK: [(i64, u64); 7] = [
	(50, 1_900_000),
	(70, 1_700_000),
	(100, 1_400_000),
	(150, 900_000),
	(170, 850_000),
	(30, 2_100_000),
	(80, 1_600_000),
];
