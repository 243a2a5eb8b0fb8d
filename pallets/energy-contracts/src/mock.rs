//! A test runtime: System and the contracts pallet, with member, meter, oracle and reputation
//! tables the tests fill, and a clock they set.

use crate as pallet_energy_contracts;
use crate::types::*;
use core::cell::RefCell;
use frame_support::{derive_impl, traits::ConstU32, BoundedVec};
use frame_system::EnsureRoot;
use pallet_energy_oracle::{FeedKind, FeedValues};
use pallet_meters::{
	DayIndex, DayTotal, MeterData, MeterFacts, MeterId, MeterKind, MeterStatus, PeriodAggregate,
	SiteFacts, SiteId,
};
use pallet_registry::{MemberId, Role};
use smartblocks_testing::TestClock;
pub use smartblocks_testing::{TestMembers, TestReputation};
use sp_arithmetic::Permill;
use sp_runtime::BuildStorage;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeHoldReason,
		RuntimeFreezeReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type EnergyContracts = pallet_energy_contracts;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_energy_contracts::Config for Test {
	type Members = TestMembers;
	type Reputation = TestReputation;
	type Meters = TestMeters;
	type Feeds = TestFeeds;
	type UnixTime = TestClock;
	type TemplateOrigin = EnsureRoot<u64>;
	type MaxSites = ConstU32<3>;
	type MaxMeters = ConstU32<4>;
	type MaxPeriodDays = ConstU32<31>;
	type MaxBackdateDays = ConstU32<31>;
	// Below MaxMeters, so a test can exceed it.
	type MaxIntervalMeters = ConstU32<3>;
	type MaxIntervalDays = ConstU32<7>;
	type RatingIntervalDays = ConstU32<30>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestMeters;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for TestMeters {
	fn set_time(now: u64) {
		TestClock::set(now);
	}

	fn site(
		owner: &u64,
		region: &[u8],
		kinds: &[MeterKind],
	) -> Result<(SiteId, Vec<MeterId>), sp_runtime::DispatchError> {
		use pallet_registry::MemberRegistry;
		use sp_runtime::DispatchError;
		let member = TestMembers::active_member_of(owner).ok_or(DispatchError::BadOrigin)?;
		let site = 100 + SITES.with(|s| s.borrow().len()) as SiteId;
		TestMeters::add_site(site, member, region);
		let first = 1_000 + METERS.with(|m| m.borrow().len()) as MeterId;
		let ids: Vec<MeterId> = (first..)
			.zip(kinds)
			.map(|(meter, kind)| {
				TestMeters::add_meter(meter, site, *kind);
				meter
			})
			.collect();
		Ok((site, ids))
	}

	fn period(meter: MeterId, period: u32, energy: u64, complete: bool) {
		TestMeters::set_period(meter, period, energy, complete);
	}

	fn complete_days(meters: &[MeterId], first: DayIndex, days: u32) {
		for day in first..first + days {
			for meter in meters {
				TestMeters::set_day(*meter, day, 500_000, PERIODS_PER_DAY as u16);
			}
		}
	}

	fn feed_days(kind: FeedKind, region: &[u8], first: DayIndex, days: u32) {
		for day in first..first + days {
			TestFeeds::set_mean(kind, region, day, 80, PERIODS_PER_DAY);
		}
	}
}

/// Periods in a day, as in the runtime.
pub const PERIODS_PER_DAY: u32 = 96;
/// 2026-11-01, a day number.
pub const NOV1: DayIndex = 20_758;
/// Milliseconds in a day.
pub const DAY: u64 = 86_400_000;

/// Members: 1 an ESCO, 2 and 3 building owners, 4 an auditor, 5 a utility, 6 a trader;
/// accounts are `10 × member`.
pub const ESCO: MemberId = 1;
pub const OWNER: MemberId = 2;
pub const OTHER_OWNER: MemberId = 3;
pub const AUDITOR: MemberId = 4;
pub const UTILITY: MemberId = 5;
pub const TRADER: MemberId = 6;

pub fn account(member: MemberId) -> u64 {
	u64::from(member) * 10
}

pub fn origin(member: MemberId) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(member))
}

/// Sets the clock to `hours` into `day`.
pub fn set_time(day: DayIndex, hours: u64) {
	TestClock::set(u64::from(day) * DAY + hours * 3_600_000);
}

/// Daily means by (feed kind, region, first period of the day): (mean, periods with a value).
type DailyMeans = BTreeMap<(FeedKind, Vec<u8>, u32), (i64, u32)>;

std::thread_local! {
	static SITES: RefCell<BTreeMap<SiteId, SiteFacts>> = const { RefCell::new(BTreeMap::new()) };
	static METERS: RefCell<BTreeMap<MeterId, MeterFacts>> = const { RefCell::new(BTreeMap::new()) };
	static DAYS: RefCell<BTreeMap<(MeterId, DayIndex), DayTotal>> =
		const { RefCell::new(BTreeMap::new()) };
	static PERIODS: RefCell<BTreeMap<(MeterId, u32), PeriodAggregate>> =
		const { RefCell::new(BTreeMap::new()) };
	static TEMPERATURES: RefCell<DailyMeans> = const { RefCell::new(BTreeMap::new()) };
}

/// The meters pallet as the tests set it up.
pub struct TestMeters;

impl TestMeters {
	pub fn add_site(site: SiteId, owner: MemberId, region: &[u8]) {
		SITES.with(|s| s.borrow_mut().insert(site, SiteFacts { owner, region: region.to_vec() }));
	}

	pub fn add_meter(meter: MeterId, site: SiteId, kind: MeterKind) {
		let facts = MeterFacts { site, kind, status: MeterStatus::Active };
		METERS.with(|m| m.borrow_mut().insert(meter, facts));
	}

	pub fn set_status(meter: MeterId, status: MeterStatus) {
		METERS.with(|m| m.borrow_mut().get_mut(&meter).map(|facts| facts.status = status));
	}

	pub fn remove_meter(meter: MeterId) {
		METERS.with(|m| m.borrow_mut().remove(&meter));
	}

	/// A closed period of `energy` Wh, complete or not.
	pub fn set_period(meter: MeterId, period: u32, energy: u64, complete: bool) {
		let aggregate = PeriodAggregate { energy, complete, readings: 1, ..Default::default() };
		PERIODS.with(|p| p.borrow_mut().insert((meter, period), aggregate));
	}

	/// A closed day of `energy` Wh with `complete_periods` complete periods.
	pub fn set_day(meter: MeterId, day: DayIndex, energy: u64, complete_periods: u16) {
		let total = DayTotal { energy, complete_periods, ..Default::default() };
		DAYS.with(|d| d.borrow_mut().insert((meter, day), total));
	}
}

impl MeterData for TestMeters {
	fn site(site: SiteId) -> Option<SiteFacts> {
		SITES.with(|s| s.borrow().get(&site).cloned())
	}
	fn meter(meter: MeterId) -> Option<MeterFacts> {
		METERS.with(|m| m.borrow().get(&meter).copied())
	}
	fn day_total(meter: MeterId, day: DayIndex) -> Option<DayTotal> {
		DAYS.with(|d| d.borrow().get(&(meter, day)).copied())
	}
	fn period_aggregate(meter: MeterId, period: u32) -> Option<PeriodAggregate> {
		PERIODS.with(|p| p.borrow().get(&(meter, period)).copied())
	}
	fn periods_per_day() -> u32 {
		PERIODS_PER_DAY
	}
}

/// The oracle's daily mean temperatures as the tests set them.
pub struct TestFeeds;

impl TestFeeds {
	/// `day`'s mean outdoor temperature in `region` (0.1 °C) from `count` periods' values.
	pub fn set_temperature(region: &[u8], day: DayIndex, mean: i64, count: u32) {
		Self::set_mean(FeedKind::OutdoorTemperature, region, day, mean, count);
	}

	/// `day`'s mean market price in `market` (thousandths per MWh) from `count` periods' values.
	pub fn set_price(market: &[u8], day: DayIndex, mean: i64, count: u32) {
		Self::set_mean(FeedKind::MarketPrice, market, day, mean, count);
	}

	/// `day`'s mean of `kind` in `region` from `count` periods' values.
	pub fn set_mean(kind: FeedKind, region: &[u8], day: DayIndex, mean: i64, count: u32) {
		let first = day * PERIODS_PER_DAY;
		TEMPERATURES.with(|t| t.borrow_mut().insert((kind, region.to_vec(), first), (mean, count)));
	}
}

impl FeedValues for TestFeeds {
	fn value(_: FeedKind, _: &[u8], _: u32) -> Option<i64> {
		None
	}
	fn mean(kind: FeedKind, region: &[u8], first: u32, periods: u32) -> Option<(i64, u32)> {
		assert_eq!(periods, PERIODS_PER_DAY);
		TEMPERATURES.with(|t| t.borrow().get(&(kind, region.to_vec(), first)).copied())
	}
}

/// Site 1 (`DE-BE`, the owner's) with grid import meter 11, sub-meter 12, generation meter 13
/// and grid export meter 14; site 2 (`DE-BE`, the other owner's) with meter 21; site 3 (`DE-BY`,
/// the owner's) with meter 31; site 4 (`DE-BY`, the trader's) with grid export meter 41 and
/// generation meter 42.
pub fn set_up_sites() {
	TestMeters::add_site(1, OWNER, b"DE-BE");
	TestMeters::add_site(2, OTHER_OWNER, b"DE-BE");
	TestMeters::add_site(3, OWNER, b"DE-BY");
	TestMeters::add_meter(11, 1, MeterKind::GridImport);
	TestMeters::add_meter(12, 1, MeterKind::SubMeter);
	TestMeters::add_meter(13, 1, MeterKind::Generation);
	TestMeters::add_meter(14, 1, MeterKind::GridExport);
	TestMeters::add_meter(21, 2, MeterKind::GridImport);
	TestMeters::add_meter(31, 3, MeterKind::GridImport);
	TestMeters::add_site(4, TRADER, b"DE-BY");
	TestMeters::add_meter(41, 4, MeterKind::GridExport);
	TestMeters::add_meter(42, 4, MeterKind::Generation);
}

/// The baseline of the worked examples: 1 000 kWh a day plus 120 kWh per heating degree-day
/// below 15.0 °C, no cooling term; fitted on 365 days with 2 parameters, CV(RMSE) 12 %, NMBE
/// 0.1 %, R² 0.91, its residuals' autocorrelation 30 %.
pub fn baseline() -> DailyBaseline {
	DailyBaseline {
		intercept: 1_000_000,
		heating_slope: 120_000,
		heating_balance: 150,
		cooling_slope: 0,
		cooling_balance: 240,
		cv_rmse: Permill::from_percent(12),
		nmbe: 1_000,
		r_squared: Permill::from_percent(91),
		observations: 365,
		parameters: 2,
		autocorrelation: Permill::from_percent(30),
		temperature_spread: 0,
	}
}

/// Energy performance terms of the worked examples: ASHRAE Guideline 14's thresholds for the
/// four-week term, 10 % of the baseline guaranteed, half the excess to the ESCO, savings valued
/// at 150 EUR/MWh, three quarters of the days needed, savings uncertainty stated at 90 %.
pub fn performance_terms() -> EnergyPerformanceTerms {
	EnergyPerformanceTerms {
		baseline: baseline(),
		max_cv_rmse: crate::ashrae14::max_cv_rmse(28),
		max_nmbe: crate::ashrae14::MAX_NMBE,
		guaranteed_share: Permill::from_percent(10),
		provider_share: Permill::from_percent(50),
		price: 150_000,
		min_coverage: Permill::from_percent(75),
		confidence: Some(SavingsConfidence::Percent90),
	}
}

/// An energy performance agreement between the ESCO and the owner over site 1's import meter:
/// four weekly periods from 1 November, EUR, 14 days to pay, 3 days' grace.
pub fn agreement() -> AgreementOf<Test> {
	Agreement {
		template: TemplateRef { kind: TemplateKind::EnergyPerformance, version: 1 },
		provider: ESCO,
		client: OWNER,
		sites: BoundedVec::truncate_from(vec![1]),
		meters: BoundedVec::truncate_from(vec![11]),
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule { first_day: NOV1, period_days: 7, periods: 4 },
		payment_days: 14,
		data_grace_days: 3,
		terms: Terms::EnergyPerformance(performance_terms()),
	}
}

/// A renewable share agreement between the ESCO and the owner over site 1's import,
/// generation and export meters: 40 % target, 80 EUR/MWh penalty, 40 EUR/MWh bonus, otherwise as
/// [`agreement`].
pub fn renewable_agreement() -> AgreementOf<Test> {
	Agreement {
		template: TemplateRef { kind: TemplateKind::RenewableShare, version: 1 },
		meters: BoundedVec::truncate_from(vec![11, 13, 14]),
		terms: Terms::RenewableShare(RenewableShareTerms {
			target: Permill::from_percent(40),
			penalty: 80_000,
			bonus: 40_000,
			min_coverage: Permill::from_percent(75),
		}),
		..agreement()
	}
}

/// A supply tariff between the utility and the owner over site 1's import meter at `pricing`,
/// otherwise as [`agreement`].
pub fn tariff_agreement(pricing: Pricing) -> AgreementOf<Test> {
	Agreement {
		template: TemplateRef { kind: TemplateKind::SupplyTariff, version: 1 },
		provider: UTILITY,
		terms: Terms::SupplyTariff(SupplyTariffTerms {
			pricing,
			min_coverage: Permill::from_percent(75),
		}),
		..agreement()
	}
}

/// A peer trade: the trader sells the owner what its export meter 41 delivers between 10:00 and
/// 14:00 (periods 40 to 55) matched to the owner's import meter 11, up to 300 kWh a day at
/// 70 EUR/MWh, in weekly periods, otherwise as [`agreement`].
pub fn trade_agreement() -> AgreementOf<Test> {
	Agreement {
		template: TemplateRef { kind: TemplateKind::PeerTrade, version: 1 },
		provider: TRADER,
		sites: BoundedVec::truncate_from(vec![4, 1]),
		meters: BoundedVec::truncate_from(vec![41, 11]),
		terms: Terms::PeerTrade(PeerTradeTerms {
			window: DailyWindow { first_period: 40, periods: 16 },
			quantity: 300_000,
			price: 70_000,
			min_coverage: Permill::from_percent(75),
		}),
		..agreement()
	}
}

/// A demand response contract between the utility and the owner over site 1's import meter
/// 11 with `baseline`: 500 EUR/MWh of reduction, weekly periods, otherwise as [`agreement`].
pub fn response_agreement(baseline: EventBaseline) -> AgreementOf<Test> {
	Agreement {
		template: TemplateRef { kind: TemplateKind::DemandResponse, version: 1 },
		provider: UTILITY,
		terms: Terms::DemandResponse(DemandResponseTerms {
			baseline,
			reward: 500_000,
			min_coverage: Permill::from_percent(50),
		}),
		..agreement()
	}
}

/// A chain at genesis with the built-in templates, the members, the sites and the clock at noon
/// on 1 November.
pub fn new_test_ext() -> sp_io::TestExternalities {
	TestMembers::set(&[
		(account(ESCO), ESCO, &[Role::Esco]),
		(account(OWNER), OWNER, &[Role::BuildingOwner]),
		(account(OTHER_OWNER), OTHER_OWNER, &[Role::BuildingOwner]),
		(account(AUDITOR), AUDITOR, &[Role::Auditor]),
		(account(UTILITY), UTILITY, &[Role::Utility]),
		(account(TRADER), TRADER, &[Role::Trader]),
	]);
	SITES.with(|s| s.borrow_mut().clear());
	METERS.with(|m| m.borrow_mut().clear());
	DAYS.with(|d| d.borrow_mut().clear());
	PERIODS.with(|p| p.borrow_mut().clear());
	TEMPERATURES.with(|t| t.borrow_mut().clear());
	TestReputation::clear();
	set_up_sites();
	set_time(NOV1, 12);
	let storage = RuntimeGenesisConfig {
		energy_contracts: pallet_energy_contracts::GenesisConfig {
			templates: vec![
				crate::templates::default_energy_performance(),
				crate::templates::default_renewable_share(),
				crate::templates::default_supply_tariff(),
				crate::templates::default_peer_trade(),
				crate::templates::default_demand_response(),
			],
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.unwrap_or_default();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test and checks the pallet's invariants after it.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().unwrap_or_else(|e| panic!("invariant broken: {e:?}"));
	});
}
