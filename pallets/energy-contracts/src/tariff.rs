//! Supply tariff settlement: the energy the client's meters measured, each day at the day's
//! price.

use crate::{pallet::*, performance::value_of_energy, types::*};
use frame_support::pallet_prelude::*;
use pallet_energy_oracle::{FeedKind, FeedValues};
use pallet_meters::{DayIndex, MeterData};
use sp_arithmetic::{FixedPointNumber, FixedU128, Permill};

/// A day's mean market price needs final values for nine tenths of its periods.
const MIN_PRICE_SHARE: (u32, u32) = (9, 10);

/// What a supply tariff period comes to before its obligation is written.
pub(crate) struct TariffResult {
	pub evidence: TariffEvidence,
	/// What the client owes the provider, in minor units.
	pub client_owes: i128,
}

impl<T: Config> Pallet<T> {
	/// The price of `day` under `pricing`, and whether the cap limited it; `None` without a
	/// market price for the day.
	fn day_price(pricing: &Pricing, day: DayIndex) -> Option<(u64, bool)> {
		match pricing {
			Pricing::Fixed { price } => Some((*price, false)),
			Pricing::Indexed { market, adder, cap } => {
				let periods_per_day = T::Meters::periods_per_day();
				let first = day.checked_mul(periods_per_day)?;
				let (mean, count) =
					T::Feeds::mean(FeedKind::MarketPrice, market, first, periods_per_day)?;
				let (needed, of) = MIN_PRICE_SHARE;
				if count.saturating_mul(of) < periods_per_day.saturating_mul(needed) {
					return None;
				}
				let price = u64::try_from(mean.saturating_add(*adder).max(0)).ok()?;
				Some((price.min(*cap), price > *cap))
			}
		}
	}

	/// The day's metered energy, if every meter has complete data for it.
	fn day_energy(meters: &[pallet_meters::MeterId], day: DayIndex) -> Option<u64> {
		let periods_per_day = T::Meters::periods_per_day();
		meters.iter().try_fold(0u64, |sum, meter| {
			let total = T::Meters::day_total(*meter, day)?;
			(u32::from(total.complete_periods) >= periods_per_day)
				.then_some(())
				.and_then(|()| sum.checked_add(total.energy))
		})
	}

	/// Evaluates period days `first_day..first_day + days`; whether every day had its data.
	pub(crate) fn evaluate_tariff(
		agreement: &AgreementOf<T>,
		terms: &SupplyTariffTerms,
		first_day: DayIndex,
		days: u16,
	) -> Result<(TariffResult, bool), DispatchError> {
		let overflow: DispatchError = Error::<T>::ArithmeticOverflow.into();
		let mut evidence = TariffEvidence {
			days_used: 0,
			days_missing: 0,
			energy: 0,
			mean_price: 0,
			capped_days: 0,
		};
		// Σ Wh × thousandths per MWh: exact in integers until the one rounding at the end.
		let mut cost = 0u128;
		for day in (0..u32::from(days)).map(|offset| first_day.saturating_add(offset)) {
			let data =
				Self::day_energy(&agreement.meters, day).zip(Self::day_price(&terms.pricing, day));
			let Some((energy, (price, capped))) = data else {
				evidence.days_missing = evidence.days_missing.saturating_add(1);
				continue;
			};
			let day_cost = u128::from(energy).checked_mul(u128::from(price)).ok_or(overflow)?;
			cost = cost.checked_add(day_cost).ok_or(overflow)?;
			evidence.energy = evidence.energy.checked_add(energy).ok_or(overflow)?;
			evidence.capped_days = evidence.capped_days.saturating_add(u16::from(capped));
			evidence.days_used = evidence.days_used.saturating_add(1);
		}
		if evidence.energy > 0 {
			let energy = u128::from(evidence.energy);
			let mean = cost.checked_add(energy / 2).ok_or(overflow)? / energy;
			evidence.mean_price = u64::try_from(mean).map_err(|_| overflow)?;
		}
		// `cost` Wh at 1 thousandth per MWh is the period's cost.
		let cost = FixedU128::checked_from_integer(cost).ok_or(overflow)?;
		let amount = value_of_energy(cost, 1, Permill::one(), agreement.currency.decimals)
			.ok_or(overflow)?;
		let client_owes = i128::try_from(amount).map_err(|_| overflow)?;
		let complete = evidence.days_missing == 0;
		Ok((TariffResult { evidence, client_owes }, complete))
	}
}
