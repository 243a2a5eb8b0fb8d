//! Benchmarks for every call, each in its worst case. Settlement has one benchmark per template
//! kind, each with `m` meters over the kind's longest period with every day complete, because
//! the kinds read different evidence: meter days and temperatures (energy performance), meter
//! days of each kind (renewable share), meter days and market prices (indexed supply tariff),
//! every 15-minute period of the window for each meter (peer trade), and for each day's event the
//! window's periods and the day's temperatures (demand response with a model baseline).
//! `settle_period` is charged the most expensive of them at its kind's largest contract and
//! refunded to what its own kind costs.

use super::*;
use crate::types::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_energy_oracle::FeedKind;
use pallet_meters::{DayIndex, MeterData, MeterId, MeterKind, SiteId};
use pallet_registry::{MemberId, MemberRegistry, ReputationReporter, Role};
use smartblocks_rules::time::{self, DAY_MS};
use sp_arithmetic::Permill;

/// 2027-01-15T12:00:00Z.
const T0: Moment = 1_810_468_800_000;
const REGION: &[u8] = b"DE-BE";
/// A window over the whole day: the most periods an interval contract reads.
fn whole_day<T: Config>() -> DailyWindow {
	let periods = u16::try_from(T::Meters::periods_per_day()).unwrap_or(u16::MAX);
	DailyWindow { first_period: 0, periods }
}

fn today() -> DayIndex {
	time::day_of(T0)
}

struct Parties<T: Config> {
	/// The account the provider (an ESCO unless a benchmark names another role) acts through.
	provider_account: T::AccountId,
	provider: MemberId,
	owner: T::AccountId,
	client: MemberId,
}

/// A provider in `role` and a building owner.
fn parties_as<T: Config>(role: Role) -> Parties<T> {
	let provider_account: T::AccountId = account("provider", 0, 0);
	let owner: T::AccountId = whitelisted_caller();
	let provider = T::Members::enrol_for_benchmark(&provider_account, role);
	let client = T::Members::enrol_for_benchmark(&owner, Role::BuildingOwner);
	Parties { provider_account, provider, owner, client }
}

fn parties<T: Config>() -> Parties<T> {
	parties_as(Role::Esco)
}

fn baseline() -> DailyBaseline {
	DailyBaseline {
		intercept: 1_000_000,
		heating_slope: 120_000,
		heating_balance: 150,
		cooling_slope: 80_000,
		cooling_balance: 240,
		cv_rmse: Permill::from_percent(12),
		nmbe: 1_000,
		r_squared: Permill::from_percent(91),
		observations: 365,
		parameters: 3,
		autocorrelation: Permill::from_percent(30),
		// Degree-days from the table, the costlier path of a day's prediction.
		temperature_spread: 30,
	}
}

/// Energy performance terms: ASHRAE Guideline 14's thresholds for `days` days, 10 % guaranteed.
fn performance_terms(days: u32) -> Terms {
	Terms::EnergyPerformance(EnergyPerformanceTerms {
		baseline: baseline(),
		max_cv_rmse: ashrae14::max_cv_rmse(days),
		max_nmbe: ashrae14::MAX_NMBE,
		guaranteed_share: Permill::from_percent(10),
		provider_share: Permill::from_percent(50),
		price: 150_000,
		min_coverage: Permill::from_percent(75),
		confidence: Some(SavingsConfidence::Percent90),
	})
}

/// An agreement on `terms` (version 1 of their template) over `sites` and `meters`, starting
/// `back` days ago, with `periods` periods of `days` days.
fn agreement_on<T: Config>(
	parties: &Parties<T>,
	terms: Terms,
	sites: Vec<SiteId>,
	meters: Vec<MeterId>,
	back: u32,
	days: u32,
	periods: u16,
) -> AgreementOf<T> {
	Agreement {
		template: TemplateRef { kind: terms.kind(), version: 1 },
		provider: parties.provider,
		client: parties.client,
		sites: BoundedVec::truncate_from(sites),
		meters: BoundedVec::truncate_from(meters),
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule { first_day: today() - back, period_days: days as u16, periods },
		payment_days: 14,
		data_grace_days: 3,
		terms,
	}
}

/// An energy performance agreement over `sites` and `meters`, starting `back` days ago, with
/// `periods` periods of `days` days.
fn agreement<T: Config>(
	parties: &Parties<T>,
	sites: Vec<SiteId>,
	meters: Vec<MeterId>,
	back: u32,
	days: u32,
	periods: u16,
) -> AgreementOf<T> {
	let terms = performance_terms(days * u32::from(periods));
	agreement_on(parties, terms, sites, meters, back, days, periods)
}

/// Makes sure version 1 of the built-in template of `kind` exists.
fn template_of<T: Config>(kind: TemplateKind) -> Result<(), BenchmarkError> {
	if Templates::<T>::get(kind, 1).is_none() {
		let (common, bounds) = match kind {
			TemplateKind::EnergyPerformance => default_energy_performance(),
			TemplateKind::RenewableShare => default_renewable_share(),
			TemplateKind::SupplyTariff => default_supply_tariff(),
			TemplateKind::PeerTrade => default_peer_trade(),
			TemplateKind::DemandResponse => default_demand_response(),
		};
		Pallet::<T>::do_approve_template(common, bounds)
			.map_err(|_| BenchmarkError::Stop("a built-in template was refused"))?;
	}
	Ok(())
}

/// Makes sure version 1 of the energy performance template exists.
fn template<T: Config>() -> Result<(), BenchmarkError> {
	template_of::<T>(TemplateKind::EnergyPerformance)
}

/// A site of `owner`'s member in the benchmarks' region with a meter of each of `kinds`.
fn site_of<T: Config>(
	owner: &T::AccountId,
	kinds: &[MeterKind],
) -> Result<(SiteId, Vec<MeterId>), BenchmarkError> {
	T::BenchmarkHelper::site(owner, REGION, kinds)
		.map_err(|_| BenchmarkError::Stop("a site could not be set up"))
}

/// Contract 0: a draft the ESCO proposed over one meter, waiting for the owner.
fn draft<T: Config>() -> Result<Parties<T>, BenchmarkError> {
	T::BenchmarkHelper::set_time(T0);
	template::<T>()?;
	let parties = parties::<T>();
	let (site, meters) = site_of::<T>(&parties.owner, &[MeterKind::GridImport])?;
	Pallet::<T>::do_propose(
		parties.provider_account.clone(),
		agreement(&parties, vec![site], meters, 0, 7, 4),
	)
	.map_err(|_| BenchmarkError::Stop("the proposal was refused"))?;
	Ok(parties)
}

/// `proposal` proposed by the provider and signed by the owner; its number.
fn sign<T: Config>(
	parties: &Parties<T>,
	proposal: AgreementOf<T>,
) -> Result<ContractId, BenchmarkError> {
	let id = NextContractId::<T>::get();
	Pallet::<T>::do_propose(parties.provider_account.clone(), proposal)
		.map_err(|_| BenchmarkError::Stop("the proposal was refused"))?;
	Pallet::<T>::do_sign(parties.owner.clone(), id)
		.map_err(|_| BenchmarkError::Stop("the signature was refused"))?;
	Ok(id)
}

/// An active energy performance contract with `meters` meters, `periods` periods of `days`
/// days starting `days` days ago, and complete data for its first period.
fn active<T: Config>(
	meters: u32,
	days: u32,
	periods: u16,
) -> Result<(ContractId, Parties<T>), BenchmarkError> {
	T::BenchmarkHelper::set_time(T0);
	template::<T>()?;
	let parties = parties::<T>();
	let kinds = vec![MeterKind::GridImport; meters as usize];
	let (site, meter_ids) = site_of::<T>(&parties.owner, &kinds)?;
	T::BenchmarkHelper::complete_days(&meter_ids, today() - days, days);
	T::BenchmarkHelper::feed_days(FeedKind::OutdoorTemperature, REGION, today() - days, days);
	let proposal = agreement(&parties, vec![site], meter_ids, days, days, periods);
	Ok((sign(&parties, proposal)?, parties))
}

/// An active contract on `terms` between a provider in `role` and the owner, over the owner's
/// meters of `kinds` and, when `sold` is not empty, the provider's meters of `sold`: one period
/// of `days` days that has just closed.
fn active_on<T: Config>(
	role: Role,
	terms: Terms,
	kinds: &[MeterKind],
	sold: &[MeterKind],
	days: u32,
) -> Result<(ContractId, Parties<T>, Vec<MeterId>), BenchmarkError> {
	T::BenchmarkHelper::set_time(T0);
	template_of::<T>(terms.kind())?;
	let parties = parties_as::<T>(role);
	let (site, mut meters) = site_of::<T>(&parties.owner, kinds)?;
	let mut sites = vec![site];
	if !sold.is_empty() {
		// The provider registers its own site (as a building owner too) for its selling meters.
		T::Members::enrol_for_benchmark(&parties.provider_account, Role::BuildingOwner);
		let (site, selling) = site_of::<T>(&parties.provider_account, sold)?;
		sites.push(site);
		meters.extend(selling);
	}
	let proposal = agreement_on(&parties, terms, sites, meters.clone(), days, days, 1);
	Ok((sign(&parties, proposal)?, parties, meters))
}

/// Every 15-minute period of `days` days before today complete for `meters`.
fn complete_periods<T: Config>(meters: &[MeterId], days: u32) {
	let periods_per_day = T::Meters::periods_per_day();
	let first = (today() - days) * periods_per_day;
	for period in first..today() * periods_per_day {
		for meter in meters {
			T::BenchmarkHelper::period(*meter, period, 10_000, true);
		}
	}
}

/// The contract's first period settled on each of its `days` days (for demand response, on each
/// of its `days` events), none missing: the benchmark took the path that reads every day's
/// evidence, not one that stopped early.
fn assert_settled_in_full<T: Config>(id: ContractId, days: u32) {
	let (used, missing) = match Statements::<T>::get(id, 0).map(|statement| statement.evidence) {
		Some(Evidence::EnergyPerformance(e)) => (e.days_used, e.days_missing),
		Some(Evidence::RenewableShare(e)) => (e.days_used, e.days_missing),
		Some(Evidence::SupplyTariff(e)) => (e.days_used, e.days_missing),
		Some(Evidence::PeerTrade(e)) => (e.days_used, e.days_missing),
		Some(Evidence::DemandResponse(e)) => (e.events, e.events_missing),
		None => panic!("the period did not settle"),
	};
	assert_eq!((u32::from(used), missing), (days, 0));
}

/// An active contract of two weekly periods whose first period is settled: the owner owes.
/// Both parties' reputation histories are full, the costliest to report to.
fn settled<T: Config>() -> Result<(ContractId, Parties<T>), BenchmarkError> {
	let (id, parties) = active::<T>(1, 7, 2)?;
	Pallet::<T>::do_settle(parties.owner.clone(), id)
		.map_err(|_| BenchmarkError::Stop("settlement failed"))?;
	T::Reputation::fill_history_for_benchmark(parties.client);
	T::Reputation::fill_history_for_benchmark(parties.provider);
	Ok((id, parties))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn approve_template() -> Result<(), BenchmarkError> {
		template::<T>()?;
		let origin =
			T::TemplateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (common, bounds) = default_energy_performance();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, common, bounds);

		assert_eq!(LatestVersion::<T>::get(TemplateKind::EnergyPerformance), Some(2));
		Ok(())
	}

	#[benchmark]
	fn retire_template() -> Result<(), BenchmarkError> {
		template::<T>()?;
		let origin =
			T::TemplateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, TemplateKind::EnergyPerformance, 1);

		assert!(Templates::<T>::get(TemplateKind::EnergyPerformance, 1).is_some_and(|t| t.retired));
		Ok(())
	}

	/// `s` sites (one carries all `m` meters): every site and meter is looked up.
	#[benchmark]
	fn propose_contract(
		s: Linear<1, { T::MaxSites::get() }>,
		m: Linear<1, { T::MaxMeters::get() }>,
	) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(T0);
		template::<T>()?;
		let parties = parties::<T>();
		let mut sites = Vec::new();
		let mut meters = Vec::new();
		for index in 0..s {
			let count = if index == 0 { m } else { 0 };
			let (site, ids) =
				site_of::<T>(&parties.owner, &vec![MeterKind::GridImport; count as usize])?;
			sites.push(site);
			meters.extend(ids);
		}
		let proposal = agreement(&parties, sites, meters, 0, 31, 12);

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.provider_account), proposal);

		assert_eq!(NextContractId::<T>::get(), 1);
		Ok(())
	}

	#[benchmark]
	fn sign_contract() -> Result<(), BenchmarkError> {
		let parties = draft::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.owner), 0);

		assert!(Contracts::<T>::get(0).is_some_and(|c| c.state == ContractState::Active));
		Ok(())
	}

	#[benchmark]
	fn withdraw_contract() -> Result<(), BenchmarkError> {
		let parties = draft::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.owner), 0);

		assert!(Contracts::<T>::get(0).is_none());
		Ok(())
	}

	// Each settlement benchmark has the contract's meters as its one component, over the longest
	// period the kind allows: the reads grow with meters × days, which a fit linear in each
	// cannot follow, and a fit in meters at the longest period bounds every shorter one.

	/// Energy performance, `m` meters over the longest period of `d` days, every day complete:
	/// `m × d` day totals and the temperatures of `d` days read; the statement and the completed
	/// contract written.
	#[benchmark]
	fn settle_energy_performance(
		m: Linear<1, { T::MaxMeters::get() }>,
	) -> Result<(), BenchmarkError> {
		let d = T::MaxPeriodDays::get();
		let (id, parties) = active::<T>(m, d, 1)?;

		#[extrinsic_call]
		settle_period(RawOrigin::Signed(parties.owner), id);

		assert_settled_in_full::<T>(id, d);
		Ok(())
	}

	/// Renewable share, `m` meters (one generating) over the longest period of `d` days: each
	/// meter's kind and its `d` day totals read.
	#[benchmark]
	fn settle_renewable_share(m: Linear<1, { T::MaxMeters::get() }>) -> Result<(), BenchmarkError> {
		let d = T::MaxPeriodDays::get();
		let mut kinds = vec![MeterKind::GridImport; m as usize];
		kinds[0] = MeterKind::Generation;
		let terms = Terms::RenewableShare(RenewableShareTerms {
			target: Permill::from_percent(50),
			penalty: 100_000,
			bonus: 100_000,
			min_coverage: Permill::from_percent(75),
		});
		let (id, parties, meters) = active_on::<T>(Role::Esco, terms, &kinds, &[], d)?;
		T::BenchmarkHelper::complete_days(&meters, today() - d, d);

		#[extrinsic_call]
		settle_period(RawOrigin::Signed(parties.owner), id);

		assert_settled_in_full::<T>(id, d);
		Ok(())
	}

	/// An indexed supply tariff, `m` meters over the longest period of `d` days: `m × d` day
	/// totals and the market prices of `d` days read.
	#[benchmark]
	fn settle_supply_tariff(m: Linear<1, { T::MaxMeters::get() }>) -> Result<(), BenchmarkError> {
		let d = T::MaxPeriodDays::get();
		let terms = Terms::SupplyTariff(SupplyTariffTerms {
			pricing: Pricing::Indexed {
				market: BoundedVec::truncate_from(REGION.to_vec()),
				adder: 10_000,
				cap: 1_000_000,
			},
			min_coverage: Permill::from_percent(75),
		});
		let kinds = vec![MeterKind::GridImport; m as usize];
		let (id, parties, meters) = active_on::<T>(Role::Utility, terms, &kinds, &[], d)?;
		T::BenchmarkHelper::complete_days(&meters, today() - d, d);
		T::BenchmarkHelper::feed_days(FeedKind::MarketPrice, REGION, today() - d, d);

		#[extrinsic_call]
		settle_period(RawOrigin::Signed(parties.owner), id);

		assert_settled_in_full::<T>(id, d);
		Ok(())
	}

	/// A peer trade over the whole day, the seller's export meter and `m − 1` of the buyer's
	/// import meters over the longest interval period of `d` days: `m × 96 × d` period
	/// aggregates read.
	#[benchmark]
	fn settle_peer_trade(
		m: Linear<2, { T::MaxIntervalMeters::get() }>,
	) -> Result<(), BenchmarkError> {
		let d = T::MaxIntervalDays::get();
		let terms = Terms::PeerTrade(PeerTradeTerms {
			window: whole_day::<T>(),
			quantity: 100_000_000,
			price: 100_000,
			min_coverage: Permill::from_percent(75),
		});
		let kinds = vec![MeterKind::GridImport; m as usize - 1];
		let sold = [MeterKind::GridExport];
		let (id, parties, meters) = active_on::<T>(Role::Trader, terms, &kinds, &sold, d)?;
		complete_periods::<T>(&meters, d);

		#[extrinsic_call]
		settle_period(RawOrigin::Signed(parties.owner), id);

		assert_settled_in_full::<T>(id, d);
		Ok(())
	}

	/// Demand response with a model baseline, `m` meters over the longest interval period of
	/// `d` days with an event over the whole of each day: per event `m × 96` period aggregates
	/// and the day's temperatures read.
	#[benchmark]
	fn settle_demand_response(
		m: Linear<1, { T::MaxIntervalMeters::get() }>,
	) -> Result<(), BenchmarkError> {
		let d = T::MaxIntervalDays::get();
		let terms = Terms::DemandResponse(DemandResponseTerms {
			baseline: EventBaseline::Model(baseline()),
			reward: 500_000,
			min_coverage: Permill::from_percent(50),
		});
		let kinds = vec![MeterKind::GridImport; m as usize];
		let (id, parties, meters) = active_on::<T>(Role::Utility, terms, &kinds, &[], d)?;
		for day in today() - d..today() {
			Events::<T>::insert(
				id,
				day,
				ResponseEvent { window: whole_day::<T>(), baseline: None },
			);
		}
		complete_periods::<T>(&meters, d);
		T::BenchmarkHelper::feed_days(FeedKind::OutdoorTemperature, REGION, today() - d, d);

		#[extrinsic_call]
		settle_period(RawOrigin::Signed(parties.owner), id);

		assert_settled_in_full::<T>(id, d);
		Ok(())
	}

	#[benchmark]
	fn confirm_payment() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.provider_account), id, 0);

		Ok(())
	}

	#[benchmark]
	fn report_breach() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;
		T::BenchmarkHelper::set_time(T0 + 15 * DAY_MS);

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.provider_account), id, 0);

		Ok(())
	}

	#[benchmark]
	fn open_dispute() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.owner), id, Some(0));

		Ok(())
	}

	/// A ruling that awards a new obligation for the disputed statement.
	#[benchmark]
	fn resolve_dispute() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;
		Pallet::<T>::do_open_dispute(parties.owner.clone(), id, Some(0))
			.map_err(|_| BenchmarkError::Stop("the dispute was refused"))?;
		let auditor: T::AccountId = account("auditor", 0, 0);
		T::Members::enrol_for_benchmark(&auditor, Role::Auditor);
		let ruling = Ruling {
			in_favour_of: parties.client,
			award: Some(Award { debtor: parties.provider, amount: 1_000 }),
			terminate: false,
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(auditor), id, ruling);

		Ok(())
	}

	/// The second request, which ends the contract.
	#[benchmark]
	fn request_termination() -> Result<(), BenchmarkError> {
		let (id, parties) = active::<T>(1, 7, 2)?;
		Pallet::<T>::do_request_termination(parties.owner.clone(), id)
			.map_err(|_| BenchmarkError::Stop("the first request was refused"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.provider_account), id);

		Ok(())
	}

	#[benchmark]
	fn terminate_for_breach() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;
		T::BenchmarkHelper::set_time(T0 + 15 * DAY_MS);
		Pallet::<T>::do_report_breach(parties.provider_account.clone(), id, 0)
			.map_err(|_| BenchmarkError::Stop("the breach report was refused"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.provider_account), id, 0);

		Ok(())
	}

	/// A previous-days baseline over `m` meters and a whole-day window, in its worst case: the
	/// seven most recent days each fail on their last period, the seven before them count, so
	/// every period of fourteen days is read.
	#[benchmark]
	fn call_event(m: Linear<1, { T::MaxIntervalMeters::get() }>) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(T0);
		template_of::<T>(TemplateKind::DemandResponse)?;
		let parties = parties_as::<T>(Role::Utility);
		let (site, meters) =
			site_of::<T>(&parties.owner, &vec![MeterKind::GridImport; m as usize])?;
		let periods_per_day = T::Meters::periods_per_day();
		for day in today() - 14..today() {
			for period in day * periods_per_day..(day + 1) * periods_per_day {
				for (index, meter) in meters.iter().enumerate() {
					let last =
						period == (day + 1) * periods_per_day - 1 && index + 1 == meters.len();
					let complete = !(last && day >= today() - 7);
					T::BenchmarkHelper::period(*meter, period, 10_000, complete);
				}
			}
		}
		let terms = Terms::DemandResponse(DemandResponseTerms {
			baseline: EventBaseline::PreviousDays { days: 7 },
			reward: 500_000,
			min_coverage: Permill::from_percent(50),
		});
		let id = sign(&parties, agreement_on(&parties, terms, vec![site], meters, 0, 7, 4))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.provider_account), id, today() + 1, whole_day::<T>());

		assert!(Events::<T>::get(id, today() + 1)
			.is_some_and(|e| e.baseline == Some(960_000 * m as u64)));
		Ok(())
	}

	/// The client rates the provider of a contract terminated after a settled period, having
	/// rated it exactly `RatingIntervalDays` ago, so every check reads what it can.
	#[benchmark]
	fn rate_counterparty() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;
		for account in [&parties.owner, &parties.provider_account] {
			Pallet::<T>::do_request_termination(account.clone(), id)
				.map_err(|_| BenchmarkError::Stop("the contract was not terminated"))?;
		}
		let earlier = today().saturating_sub(T::RatingIntervalDays::get());
		LastRatings::<T>::insert(parties.client, parties.provider, earlier);

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.owner), id, 5);

		assert_eq!(Ratings::<T>::get(id, parties.client), Some(5));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
