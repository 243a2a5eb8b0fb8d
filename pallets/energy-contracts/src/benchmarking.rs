//! Benchmarks for every call, each in its worst case; settlement with `m` meters over `d` days
//! of complete data (every meter day and every period's temperature read). Energy performance
//! is the costliest kind to settle: a renewable share period reads the same meter days and no
//! oracle values, an indexed supply tariff the same meter days and as many oracle values, and a
//! peer trade at most `MaxIntervalMeters` × 96 periods × `MaxIntervalDays` aggregates (the runtime
//! keeps that below the worst case here), so the energy performance weight bounds them all.

use super::*;
use crate::types::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_meters::{DayIndex, MeterId, SiteId};
use pallet_registry::{MemberId, MemberRegistry, Role};
use sp_arithmetic::Permill;

/// 2027-01-15T12:00:00Z.
const T0: Moment = 1_810_468_800_000;
const DAY_MS: Moment = 86_400_000;
const REGION: &[u8] = b"DE-BE";

fn today() -> DayIndex {
	(T0 / DAY_MS) as DayIndex
}

struct Parties<T: Config> {
	esco: T::AccountId,
	provider: MemberId,
	owner: T::AccountId,
	client: MemberId,
}

fn parties<T: Config>() -> Parties<T> {
	let esco: T::AccountId = account("esco", 0, 0);
	let owner: T::AccountId = whitelisted_caller();
	let provider = T::Members::enrol_for_benchmark(&esco, Role::Esco);
	let client = T::Members::enrol_for_benchmark(&owner, Role::BuildingOwner);
	Parties { esco, provider, owner, client }
}

/// An energy performance agreement over `sites` and `meters`, starting `back` days ago, with
/// `periods` periods of `days` days: ASHRAE Guideline 14's thresholds, 10 % guaranteed.
fn agreement<T: Config>(
	parties: &Parties<T>,
	sites: Vec<SiteId>,
	meters: Vec<MeterId>,
	back: u32,
	days: u32,
	periods: u16,
) -> AgreementOf<T> {
	let baseline = DailyBaseline {
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
	};
	Agreement {
		template: TemplateRef { kind: TemplateKind::EnergyPerformance, version: 1 },
		provider: parties.provider,
		client: parties.client,
		sites: BoundedVec::truncate_from(sites),
		meters: BoundedVec::truncate_from(meters),
		currency: Currency { code: *b"EUR", decimals: 2 },
		schedule: Schedule { first_day: today() - back, period_days: days as u16, periods },
		payment_days: 14,
		data_grace_days: 3,
		terms: Terms::EnergyPerformance(EnergyPerformanceTerms {
			baseline,
			max_cv_rmse: ashrae14::max_cv_rmse(days * u32::from(periods)),
			max_nmbe: ashrae14::MAX_NMBE,
			guaranteed_share: Permill::from_percent(10),
			provider_share: Permill::from_percent(50),
			price: 150_000,
			min_coverage: Permill::from_percent(75),
		}),
	}
}

/// Makes sure version 1 of the energy performance template exists.
fn template<T: Config>() -> Result<(), BenchmarkError> {
	if Templates::<T>::get(TemplateKind::EnergyPerformance, 1).is_none() {
		let (common, bounds) = default_energy_performance();
		Pallet::<T>::do_approve_template(common, bounds)
			.map_err(|_| BenchmarkError::Stop("the built-in template was refused"))?;
	}
	Ok(())
}

/// Contract 0: a draft the ESCO proposed over one meter, waiting for the owner.
fn draft<T: Config>() -> Result<Parties<T>, BenchmarkError> {
	T::BenchmarkHelper::set_time(T0);
	template::<T>()?;
	let parties = parties::<T>();
	let (site, meters) = T::BenchmarkHelper::site(&parties.owner, REGION, 1)
		.map_err(|_| BenchmarkError::Stop("the site could not be set up"))?;
	Pallet::<T>::do_propose(parties.esco.clone(), agreement(&parties, vec![site], meters, 0, 7, 4))
		.map_err(|_| BenchmarkError::Stop("the proposal was refused"))?;
	Ok(parties)
}

/// An active contract with `meters` meters, `periods` periods of `days` days starting `days`
/// days ago, and complete data for its first period.
fn active<T: Config>(
	meters: u32,
	days: u32,
	periods: u16,
) -> Result<(ContractId, Parties<T>), BenchmarkError> {
	T::BenchmarkHelper::set_time(T0);
	template::<T>()?;
	let parties = parties::<T>();
	let (site, meter_ids) = T::BenchmarkHelper::site(&parties.owner, REGION, meters)
		.map_err(|_| BenchmarkError::Stop("the site could not be set up"))?;
	T::BenchmarkHelper::complete_days(&meter_ids, REGION, today() - days, days);
	let id = NextContractId::<T>::get();
	let proposal = agreement(&parties, vec![site], meter_ids, days, days, periods);
	Pallet::<T>::do_propose(parties.esco.clone(), proposal)
		.map_err(|_| BenchmarkError::Stop("the proposal was refused"))?;
	Pallet::<T>::do_sign(parties.owner.clone(), id)
		.map_err(|_| BenchmarkError::Stop("the signature was refused"))?;
	Ok((id, parties))
}

/// An active contract of two weekly periods whose first period is settled: the owner owes.
fn settled<T: Config>() -> Result<(ContractId, Parties<T>), BenchmarkError> {
	let (id, parties) = active::<T>(1, 7, 2)?;
	Pallet::<T>::do_settle(parties.owner.clone(), id)
		.map_err(|_| BenchmarkError::Stop("settlement failed"))?;
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
			let (site, ids) = T::BenchmarkHelper::site(&parties.owner, REGION, count)
				.map_err(|_| BenchmarkError::Stop("a site could not be set up"))?;
			sites.push(site);
			meters.extend(ids);
		}
		let proposal = agreement(&parties, sites, meters, 0, 31, 12);

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.esco), proposal);

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

	/// `m` meters over a period of `d` days, every day complete: `m × d` day totals and the
	/// temperatures of `d` days read; the statement and the completed contract written.
	#[benchmark]
	fn settle_period(
		m: Linear<1, { T::MaxMeters::get() }>,
		d: Linear<1, { T::MaxPeriodDays::get() }>,
	) -> Result<(), BenchmarkError> {
		let (id, parties) = active::<T>(m, d, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.owner), id);

		assert!(Statements::<T>::get(id, 0).is_some());
		Ok(())
	}

	#[benchmark]
	fn confirm_payment() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.esco), id, 0);

		Ok(())
	}

	#[benchmark]
	fn report_breach() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;
		T::BenchmarkHelper::set_time(T0 + 15 * DAY_MS);

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.esco), id, 0);

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
		_(RawOrigin::Signed(parties.esco), id);

		Ok(())
	}

	#[benchmark]
	fn terminate_for_breach() -> Result<(), BenchmarkError> {
		let (id, parties) = settled::<T>()?;
		T::BenchmarkHelper::set_time(T0 + 15 * DAY_MS);
		Pallet::<T>::do_report_breach(parties.esco.clone(), id, 0)
			.map_err(|_| BenchmarkError::Stop("the breach report was refused"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(parties.esco), id, 0);

		Ok(())
	}

	/// A previous-days baseline over `m` meters and a whole-day window, in its worst case: the
	/// seven most recent days each fail on their last period, the seven before them count, so
	/// every period of fourteen days is read.
	#[benchmark]
	fn call_event(m: Linear<1, { T::MaxIntervalMeters::get() }>) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(T0);
		template::<T>()?;
		if Templates::<T>::get(TemplateKind::DemandResponse, 1).is_none() {
			let (common, bounds) = default_demand_response();
			Pallet::<T>::do_approve_template(common, bounds)
				.map_err(|_| BenchmarkError::Stop("the demand response template was refused"))?;
		}
		let utility: T::AccountId = account("utility", 0, 0);
		let provider = T::Members::enrol_for_benchmark(&utility, Role::Utility);
		let owner: T::AccountId = whitelisted_caller();
		let client = T::Members::enrol_for_benchmark(&owner, Role::BuildingOwner);
		let (site, meters) = T::BenchmarkHelper::site(&owner, REGION, m)
			.map_err(|_| BenchmarkError::Stop("the site could not be set up"))?;
		let periods_per_day = 96u32;
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
		let parties =
			Parties::<T> { esco: utility.clone(), provider, owner: owner.clone(), client };
		let mut proposal = agreement(&parties, vec![site], meters, 0, 7, 4);
		proposal.template = TemplateRef { kind: TemplateKind::DemandResponse, version: 1 };
		proposal.terms = Terms::DemandResponse(DemandResponseTerms {
			baseline: EventBaseline::PreviousDays { days: 7 },
			reward: 500_000,
			min_coverage: Permill::from_percent(50),
		});
		Pallet::<T>::do_propose(utility.clone(), proposal)
			.map_err(|_| BenchmarkError::Stop("the proposal was refused"))?;
		Pallet::<T>::do_sign(owner, 0).map_err(|_| BenchmarkError::Stop("signature refused"))?;
		let window = DailyWindow { first_period: 0, periods: 96 };

		#[extrinsic_call]
		_(RawOrigin::Signed(utility), 0, today() + 1, window);

		assert!(Events::<T>::get(0, today() + 1)
			.is_some_and(|e| e.baseline == Some(960_000 * m as u64)));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
