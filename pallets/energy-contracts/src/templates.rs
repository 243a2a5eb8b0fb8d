//! Template versions and checking an agreement against its template.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use pallet_meters::{MeterData, MeterKind, MeterStatus};
use pallet_registry::{MemberId, MemberRegistry, Role};
use sp_arithmetic::Permill;

/// Most decimals a contract currency may have: ISO 4217 has at most 4.
pub const MAX_DECIMALS: u8 = 6;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_approve_template(
		common: CommonBounds,
		bounds: TemplateBounds,
	) -> Result<TemplateVersion, DispatchError> {
		Self::check_bounds(&common, &bounds)?;
		let kind = bounds.kind();
		let version = LatestVersion::<T>::get(kind)
			.unwrap_or_default()
			.checked_add(1)
			.ok_or(Error::<T>::TooManyVersions)?;
		Templates::<T>::insert(kind, version, Template { common, bounds, retired: false });
		LatestVersion::<T>::insert(kind, version);
		Self::deposit_event(Event::TemplateApproved { kind, version });
		Ok(version)
	}

	pub(crate) fn do_retire_template(
		kind: TemplateKind,
		version: TemplateVersion,
	) -> DispatchResult {
		Templates::<T>::try_mutate(kind, version, |template| {
			let template = template.as_mut().ok_or(Error::<T>::UnknownTemplate)?;
			ensure!(!template.retired, Error::<T>::TemplateRetired);
			template.retired = true;
			Self::deposit_event(Event::TemplateRetired { kind, version });
			Ok(())
		})
	}

	fn check_bounds(common: &CommonBounds, bounds: &TemplateBounds) -> DispatchResult {
		let CommonBounds { period_days, periods, payment_days, data_grace_days } = common;
		// No contract of the template may be longer than its kind's settlement was measured at.
		let (_, longest) = Self::settlement_limits(bounds.kind());
		let valid = period_days.is_valid()
			&& period_days.min >= 1
			&& u32::from(period_days.max) <= longest
			&& periods.is_valid()
			&& periods.min >= 1
			&& payment_days.is_valid()
			&& data_grace_days.is_valid();
		ensure!(valid, Error::<T>::InvalidBounds);
		match bounds {
			TemplateBounds::EnergyPerformance(ep) => {
				let valid = ep.guaranteed_share.is_valid()
					&& ep.provider_share.is_valid()
					&& ep.price.is_valid()
					&& ep.min_coverage.is_valid();
				ensure!(valid, Error::<T>::InvalidBounds);
			}
			TemplateBounds::SupplyTariff(st) => {
				let valid = st.fixed_price.is_valid()
					&& st.adder.is_valid()
					&& st.cap.is_valid()
					&& st.min_coverage.is_valid();
				ensure!(valid, Error::<T>::InvalidBounds);
			}
			TemplateBounds::PeerTrade(pt) => {
				let valid = pt.quantity.is_valid()
					&& pt.price.is_valid()
					&& pt.min_coverage.is_valid()
					&& u32::from(data_grace_days.max) <= T::MaxIntervalDays::get();
				ensure!(valid, Error::<T>::InvalidBounds);
			}
			TemplateBounds::DemandResponse(dr) => {
				let max_days = T::MaxIntervalDays::get();
				let valid = dr.reward.is_valid()
					&& dr.baseline_days.is_valid()
					&& dr.baseline_days.min >= 1
					&& u32::from(dr.baseline_days.max) <= max_days
					&& dr.min_coverage.is_valid()
					&& u32::from(data_grace_days.max) <= max_days;
				ensure!(valid, Error::<T>::InvalidBounds);
			}
			TemplateBounds::RenewableShare(rs) => {
				let valid = rs.target.is_valid()
					&& rs.penalty.is_valid()
					&& rs.bonus.is_valid()
					&& rs.min_coverage.is_valid();
				ensure!(valid, Error::<T>::InvalidBounds);
			}
		}
		Ok(())
	}

	/// Checks everything an agreement says against its template, the registry and the meters;
	/// returns the template.
	pub(crate) fn check_agreement(
		agreement: &AgreementOf<T>,
		today: pallet_meters::DayIndex,
	) -> Result<Template, DispatchError> {
		let (provider, client) = (agreement.provider, agreement.client);
		ensure!(provider != client, Error::<T>::SamePartyTwice);
		let owner = T::Members::has_role(client, Role::BuildingOwner);
		let roles = match agreement.terms {
			Terms::EnergyPerformance(_) => T::Members::has_role(provider, Role::Esco) && owner,
			Terms::RenewableShare(_) => {
				(T::Members::has_role(provider, Role::Esco)
					|| T::Members::has_role(provider, Role::Utility))
					&& owner
			}
			Terms::SupplyTariff(_) | Terms::DemandResponse(_) => {
				T::Members::has_role(provider, Role::Utility) && owner
			}
			Terms::PeerTrade(_) => {
				T::Members::has_role(provider, Role::Trader)
					&& (owner || T::Members::has_role(client, Role::Trader))
			}
		};
		ensure!(roles, Error::<T>::WrongPartyRole);
		let TemplateRef { kind, version } = agreement.template;
		let template = Templates::<T>::get(kind, version).ok_or(Error::<T>::UnknownTemplate)?;
		ensure!(!template.retired, Error::<T>::TemplateRetired);
		ensure!(agreement.terms.kind() == kind, Error::<T>::TermsDoNotMatchTemplate);

		let common = &template.common;
		let schedule = &agreement.schedule;
		let in_bounds = common.period_days.contains(&schedule.period_days)
			&& common.periods.contains(&schedule.periods)
			&& common.payment_days.contains(&agreement.payment_days)
			&& common.data_grace_days.contains(&agreement.data_grace_days);
		// However wide a template an older runtime admitted, no contract is larger than its
		// kind's settlement was measured at.
		let (most_meters, longest) = Self::settlement_limits(kind);
		let measured = agreement.meters.len() as u32 <= most_meters
			&& u32::from(schedule.period_days) <= longest;
		ensure!(in_bounds && measured, Error::<T>::ParameterOutOfBounds);
		let end = u32::from(schedule.periods)
			.checked_mul(u32::from(schedule.period_days))
			.and_then(|days| schedule.first_day.checked_add(days));
		ensure!(
			end.is_some() && schedule.first_day >= today.saturating_sub(T::MaxBackdateDays::get()),
			Error::<T>::InvalidSchedule
		);
		let Currency { code, decimals } = agreement.currency;
		ensure!(
			code.iter().all(u8::is_ascii_uppercase) && decimals <= MAX_DECIMALS,
			Error::<T>::InvalidCurrency
		);
		Self::check_coverage(agreement)?;
		match (&template.bounds, &agreement.terms) {
			(TemplateBounds::EnergyPerformance(bounds), Terms::EnergyPerformance(terms)) => {
				Self::check_performance_terms(bounds, terms)?
			}
			(TemplateBounds::RenewableShare(bounds), Terms::RenewableShare(terms)) => {
				let in_bounds = bounds.target.contains(&terms.target)
					&& bounds.penalty.contains(&terms.penalty)
					&& bounds.bonus.contains(&terms.bonus)
					&& bounds.min_coverage.contains(&terms.min_coverage);
				ensure!(in_bounds, Error::<T>::ParameterOutOfBounds);
			}
			(TemplateBounds::SupplyTariff(bounds), Terms::SupplyTariff(terms)) => {
				let pricing = match &terms.pricing {
					Pricing::Fixed { price } => bounds.fixed_price.contains(price),
					Pricing::Indexed { market, adder, cap } => {
						bounds.adder.contains(adder)
							&& bounds.cap.contains(cap)
							&& smartblocks_primitives::is_region_code(market)
					}
				};
				ensure!(
					pricing && bounds.min_coverage.contains(&terms.min_coverage),
					Error::<T>::ParameterOutOfBounds
				);
			}
			(TemplateBounds::PeerTrade(bounds), Terms::PeerTrade(terms)) => {
				let window_fits = Self::window_fits(terms.window);
				ensure!(
					window_fits
						&& bounds.quantity.contains(&terms.quantity)
						&& bounds.price.contains(&terms.price)
						&& bounds.min_coverage.contains(&terms.min_coverage),
					Error::<T>::ParameterOutOfBounds
				);
			}
			(TemplateBounds::DemandResponse(bounds), Terms::DemandResponse(terms)) => {
				let baseline = match &terms.baseline {
					EventBaseline::PreviousDays { days } => bounds.baseline_days.contains(days),
					EventBaseline::Model(model) => {
						Self::check_model(model)?;
						true
					}
				};
				ensure!(
					baseline
						&& bounds.reward.contains(&terms.reward)
						&& bounds.min_coverage.contains(&terms.min_coverage),
					Error::<T>::ParameterOutOfBounds
				);
			}
			_ => return Err(Error::<T>::TermsDoNotMatchTemplate.into()),
		}
		Ok(template)
	}

	/// Sites owned by a party (for energy performance all in one weather region); meters on
	/// those sites of the kinds the template reads.
	fn check_coverage(agreement: &AgreementOf<T>) -> DispatchResult {
		ensure!(
			!agreement.sites.is_empty() && !agreement.meters.is_empty(),
			Error::<T>::NothingCovered
		);
		let parties: [MemberId; 2] = [agreement.provider, agreement.client];
		let one_region = match &agreement.terms {
			Terms::EnergyPerformance(_) => true,
			Terms::DemandResponse(terms) => matches!(terms.baseline, EventBaseline::Model(_)),
			_ => false,
		};
		let mut region = None;
		let mut owners = alloc::vec::Vec::new();
		for (index, site) in agreement.sites.iter().enumerate() {
			let facts = T::Meters::site(*site).ok_or(Error::<T>::InvalidSite)?;
			let first_region = region.get_or_insert_with(|| facts.region.clone());
			ensure!(
				!agreement.sites.iter().take(index).any(|seen| seen == site)
					&& parties.contains(&facts.owner)
					&& (!one_region || *first_region == facts.region),
				Error::<T>::InvalidSite
			);
			owners.push((*site, facts.owner));
		}
		// Kinds the contract must have at least one meter of: generation; seller's, buyer's.
		let (mut generation, mut sold, mut bought) = (false, false, false);
		for (index, meter) in agreement.meters.iter().enumerate() {
			let facts = T::Meters::meter(*meter).ok_or(Error::<T>::InvalidMeter)?;
			let owner = owners.iter().find(|(site, _)| *site == facts.site).map(|(_, o)| *o);
			let kind = facts.kind;
			let readable = match agreement.terms {
				Terms::EnergyPerformance(_) | Terms::SupplyTariff(_) | Terms::DemandResponse(_) => {
					matches!(kind, MeterKind::GridImport | MeterKind::SubMeter | MeterKind::Heat)
				}
				Terms::RenewableShare(_) => matches!(
					kind,
					MeterKind::GridImport | MeterKind::GridExport | MeterKind::Generation
				),
				Terms::PeerTrade(_) => {
					let selling = matches!(kind, MeterKind::GridExport | MeterKind::Generation)
						&& owner == Some(agreement.provider);
					let buying = kind == MeterKind::GridImport && owner == Some(agreement.client);
					sold |= selling;
					bought |= buying;
					selling || buying
				}
			};
			generation |= kind == MeterKind::Generation;
			ensure!(
				!agreement.meters.iter().take(index).any(|seen| seen == meter)
					&& owner.is_some()
					&& readable && facts.status != MeterStatus::Retired,
				Error::<T>::InvalidMeter
			);
		}
		let covered = match agreement.terms {
			Terms::RenewableShare(_) => generation,
			Terms::PeerTrade(_) => sold && bought,
			Terms::EnergyPerformance(_) | Terms::SupplyTariff(_) | Terms::DemandResponse(_) => true,
		};
		ensure!(covered, Error::<T>::NothingCovered);
		Ok(())
	}

	/// A daily model settlement can use: a non-negative intercept, the heating balance point
	/// not above the cooling one when both slopes are in use, a temperature spread of at most
	/// `smartblocks_rules::degree_days::MAX_SPREAD`, and more observations than
	/// parameters also when only the independent ones count, `n (1 − ρ) / (1 + ρ) > p` for the
	/// residuals' autocorrelation ρ (see [`crate::ashrae14::savings_uncertainty`]).
	fn check_model(baseline: &DailyBaseline) -> DispatchResult {
		let both_slopes = baseline.heating_slope > 0 && baseline.cooling_slope > 0;
		let million = u64::from(Permill::one().deconstruct());
		let rho = u64::from(baseline.autocorrelation.deconstruct());
		let parameters = u64::from(baseline.parameters);
		// n (1 − ρ) > p (1 + ρ), in millionths; at most 65 535 × 10⁶, far inside u64.
		let independent = u64::from(baseline.observations)
			.saturating_mul(million.saturating_sub(rho))
			> parameters.saturating_mul(million.saturating_add(rho));
		ensure!(
			baseline.intercept >= 0
				&& parameters >= 1
				&& independent
				&& baseline.temperature_spread <= smartblocks_rules::degree_days::MAX_SPREAD
				&& !(both_slopes && baseline.heating_balance > baseline.cooling_balance),
			Error::<T>::InvalidBaseline
		);
		Ok(())
	}

	fn check_performance_terms(
		bounds: &EnergyPerformanceBounds,
		terms: &EnergyPerformanceTerms,
	) -> DispatchResult {
		let in_bounds = terms.max_cv_rmse <= bounds.max_cv_rmse
			&& terms.max_nmbe <= bounds.max_nmbe
			&& bounds.guaranteed_share.contains(&terms.guaranteed_share)
			&& bounds.provider_share.contains(&terms.provider_share)
			&& bounds.price.contains(&terms.price)
			&& bounds.min_coverage.contains(&terms.min_coverage);
		ensure!(in_bounds, Error::<T>::ParameterOutOfBounds);
		ensure!(terms.confidence.is_some(), Error::<T>::SavingsConfidenceMissing);
		let baseline = &terms.baseline;
		Self::check_model(baseline)?;
		ensure!(
			baseline.cv_rmse <= terms.max_cv_rmse
				&& baseline.nmbe.unsigned_abs() <= terms.max_nmbe.deconstruct(),
			Error::<T>::BaselineFailsCriteria
		);
		Ok(())
	}
}

/// The built-in energy performance template's first version: ASHRAE Guideline 14's loosest
/// criteria as the limits, guarantees up to half the baseline, monthly or shorter periods over
/// up to ten years.
pub fn default_energy_performance() -> (CommonBounds, TemplateBounds) {
	let common = CommonBounds {
		period_days: Bounds { min: 1, max: 31 },
		periods: Bounds { min: 1, max: 120 },
		payment_days: Bounds { min: 1, max: 90 },
		data_grace_days: Bounds { min: 0, max: 30 },
	};
	let bounds = EnergyPerformanceBounds {
		max_cv_rmse: crate::ashrae14::LOOSEST_CV_RMSE,
		max_nmbe: crate::ashrae14::MAX_NMBE,
		guaranteed_share: Bounds { min: Permill::zero(), max: Permill::from_percent(50) },
		provider_share: Bounds { min: Permill::zero(), max: Permill::one() },
		// Up to 5 000 per MWh (5 per kWh) in the contract's currency.
		price: Bounds { min: 1, max: 5_000_000 },
		min_coverage: Bounds { min: Permill::from_percent(50), max: Permill::one() },
	};
	(common, TemplateBounds::EnergyPerformance(bounds))
}

/// The built-in renewable share template's first version: targets up to the whole use,
/// penalties and bonuses up to 1 000 per MWh.
pub fn default_renewable_share() -> (CommonBounds, TemplateBounds) {
	let (common, _) = default_energy_performance();
	let bounds = RenewableShareBounds {
		target: Bounds { min: Permill::zero(), max: Permill::one() },
		penalty: Bounds { min: 0, max: 1_000_000 },
		bonus: Bounds { min: 0, max: 1_000_000 },
		min_coverage: Bounds { min: Permill::from_percent(50), max: Permill::one() },
	};
	(common, TemplateBounds::RenewableShare(bounds))
}

/// The built-in supply tariff template's first version: fixed prices and caps up to 1 000 per
/// MWh, margins from −100 to +200 per MWh.
pub fn default_supply_tariff() -> (CommonBounds, TemplateBounds) {
	let (common, _) = default_energy_performance();
	let bounds = SupplyTariffBounds {
		fixed_price: Bounds { min: 0, max: 1_000_000 },
		adder: Bounds { min: -100_000, max: 200_000 },
		cap: Bounds { min: 0, max: 1_000_000 },
		min_coverage: Bounds { min: Permill::from_percent(50), max: Permill::one() },
	};
	(common, TemplateBounds::SupplyTariff(bounds))
}

/// The built-in peer trade template's first version: up to 100 MWh a day at up to 1 000 per
/// MWh, weekly periods at most (its periods are read one by one while the meters keep them).
pub fn default_peer_trade() -> (CommonBounds, TemplateBounds) {
	let (common, _) = default_energy_performance();
	let common = CommonBounds {
		period_days: Bounds { min: 1, max: 7 },
		data_grace_days: Bounds { min: 0, max: 7 },
		..common
	};
	let bounds = PeerTradeBounds {
		quantity: Bounds { min: 1, max: 100_000_000 },
		price: Bounds { min: 0, max: 1_000_000 },
		min_coverage: Bounds { min: Permill::from_percent(50), max: Permill::one() },
	};
	(common, TemplateBounds::PeerTrade(bounds))
}

/// The built-in demand response template's first version: rewards up to 2 000 per MWh,
/// baselines of 1 to 7 previous days, weekly periods at most (it reads 15-minute periods).
pub fn default_demand_response() -> (CommonBounds, TemplateBounds) {
	let (common, _) = default_peer_trade();
	let bounds = DemandResponseBounds {
		reward: Bounds { min: 0, max: 2_000_000 },
		baseline_days: Bounds { min: 1, max: 7 },
		min_coverage: Bounds { min: Permill::from_percent(50), max: Permill::one() },
	};
	(common, TemplateBounds::DemandResponse(bounds))
}
