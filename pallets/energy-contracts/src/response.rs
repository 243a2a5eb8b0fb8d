//! Demand response: calling events, with their previous-days baselines, and settling the
//! reductions below the baselines in their windows.

use crate::{pallet::*, performance::value_of_energy, types::*, weights::WeightInfo};
use frame_support::{ensure, pallet_prelude::*, traits::Get};
use pallet_energy_oracle::FeedKind;
use pallet_meters::{DayIndex, MeterData, MeterId};
use smartblocks_rules::time;
use sp_arithmetic::{FixedPointNumber, FixedU128, Permill};

/// What a demand response period comes to before its obligation is written.
pub(crate) struct ResponseResult {
	pub evidence: ResponseEvidence,
	/// Negative: the provider owes the client the reward, in minor units.
	pub client_owes: i128,
	/// Share of the period's events with complete data.
	pub coverage: Permill,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_call_event(
		who: T::AccountId,
		contract_id: ContractId,
		day: DayIndex,
		window: DailyWindow,
	) -> DispatchResultWithPostInfo {
		let member = Self::member_of(&who)?;
		let now = Self::now()?;
		let contract = Contracts::<T>::get(contract_id).ok_or(Error::<T>::UnknownContract)?;
		let agreement = &contract.agreement;
		ensure!(member == agreement.provider, Error::<T>::NotAParty);
		ensure!(contract.state == ContractState::Active, Error::<T>::NotActive);
		let Terms::DemandResponse(terms) = &agreement.terms else {
			return Err(Error::<T>::NotDemandResponse.into());
		};
		ensure!(Self::window_fits(window), Error::<T>::ParameterOutOfBounds);
		let schedule = agreement.schedule;
		let period_ms = time::DAY_MS / u64::from(T::Meters::periods_per_day().max(1));
		let start = time::day_start(day)
			.saturating_add(u64::from(window.first_period).saturating_mul(period_ms));
		ensure!(
			(schedule.first_day..schedule.end()).contains(&day) && now < start,
			Error::<T>::EventNotAhead
		);
		ensure!(!Events::<T>::contains_key(contract_id, day), Error::<T>::EventAlreadyCalled);
		let baseline = match terms.baseline {
			EventBaseline::Model(_) => None,
			EventBaseline::PreviousDays { days } => Some(Self::previous_days_baseline(
				contract_id,
				&agreement.meters,
				window,
				time::day_of(now),
				days,
			)?),
		};
		Events::<T>::insert(contract_id, day, ResponseEvent { window, baseline });
		Self::deposit_event(Event::EventCalled { contract: contract_id, day, window, baseline });
		let weight = T::WeightInfo::call_event(agreement.meters.len() as u32);
		Ok(Some(weight).into())
	}

	/// Whether `window` lies within one day.
	pub(crate) fn window_fits(window: DailyWindow) -> bool {
		window.periods >= 1
			&& u32::from(window.first_period) + u32::from(window.periods)
				<= T::Meters::periods_per_day()
	}

	/// The mean use in `window` over the `days` most recent days before `today` without an
	/// event of the contract and with complete data, looking back as far as the meters keep
	/// periods (twice `MaxIntervalDays`).
	fn previous_days_baseline(
		contract: ContractId,
		meters: &[MeterId],
		window: DailyWindow,
		today: DayIndex,
		days: u8,
	) -> Result<u64, DispatchError> {
		let lookback = T::MaxIntervalDays::get().saturating_mul(2);
		let mut found = 0u8;
		let mut sum = 0u128;
		for day in (today.saturating_sub(lookback)..today).rev() {
			if found == days {
				break;
			}
			if Events::<T>::contains_key(contract, day) {
				continue;
			}
			if let Some(energy) = Self::window_energy(meters, window, day) {
				sum = sum.saturating_add(u128::from(energy));
				found = found.saturating_add(1);
			}
		}
		ensure!(found == days && days > 0, Error::<T>::BaselineDataMissing);
		let mean = (sum + u128::from(days) / 2) / u128::from(days);
		u64::try_from(mean).map_err(|_| Error::<T>::ArithmeticOverflow.into())
	}

	/// The model's prediction for `window` on `day`, Wh: the day's prediction times the window's
	/// share of the day, rounded half up.
	fn model_baseline(
		baseline: &DailyBaseline,
		region: &[u8],
		window: DailyWindow,
		day: DayIndex,
	) -> Option<u64> {
		let periods_per_day = T::Meters::periods_per_day();
		let mean = Self::daily_mean(FeedKind::OutdoorTemperature, region, day)?;
		let (tenths, _, _) = crate::daily_prediction(baseline, mean)?;
		let tenths = u128::try_from(tenths).ok()?;
		let denominator = 10u128.checked_mul(u128::from(periods_per_day))?;
		let scaled = tenths.checked_mul(u128::from(window.periods))?;
		u64::try_from(scaled.checked_add(denominator / 2)? / denominator).ok()
	}

	/// Evaluates the events on period days `first_day..first_day + days`; whether every event
	/// had its data.
	pub(crate) fn evaluate_response(
		contract: ContractId,
		agreement: &AgreementOf<T>,
		terms: &DemandResponseTerms,
		first_day: DayIndex,
		days: u16,
	) -> Result<(ResponseResult, bool), DispatchError> {
		let overflow: DispatchError = Error::<T>::ArithmeticOverflow.into();
		let region = Self::contract_region(agreement);
		let mut evidence = ResponseEvidence {
			events: 0,
			events_missing: 0,
			baseline: 0,
			metered: 0,
			reduction: 0,
		};
		for day in (0..u32::from(days)).map(|offset| first_day.saturating_add(offset)) {
			let Some(event) = Events::<T>::get(contract, day) else { continue };
			evidence.events = evidence.events.saturating_add(1);
			let baseline = match (&terms.baseline, event.baseline) {
				(_, Some(baseline)) => Some(baseline),
				(EventBaseline::Model(model), None) => {
					Self::model_baseline(model, &region, event.window, day)
				}
				(EventBaseline::PreviousDays { .. }, None) => None,
			};
			let metered = Self::window_energy(&agreement.meters, event.window, day);
			let Some((baseline, metered)) = baseline.zip(metered) else {
				evidence.events_missing = evidence.events_missing.saturating_add(1);
				continue;
			};
			evidence.baseline = evidence.baseline.checked_add(baseline).ok_or(overflow)?;
			evidence.metered = evidence.metered.checked_add(metered).ok_or(overflow)?;
			let reduction = baseline.saturating_sub(metered);
			evidence.reduction = evidence.reduction.checked_add(reduction).ok_or(overflow)?;
		}
		let reduction =
			FixedU128::checked_from_integer(u128::from(evidence.reduction)).ok_or(overflow)?;
		let reward =
			value_of_energy(reduction, terms.reward, Permill::one(), agreement.currency.decimals)
				.ok_or(overflow)?;
		let client_owes = i128::try_from(reward).map_err(|_| overflow)?.saturating_neg();
		let with_data = evidence.events.saturating_sub(evidence.events_missing);
		let coverage = match evidence.events {
			0 => Permill::one(),
			events => Permill::from_rational(u32::from(with_data), u32::from(events)),
		};
		let complete = evidence.events_missing == 0;
		Ok((ResponseResult { evidence, client_owes, coverage }, complete))
	}
}
