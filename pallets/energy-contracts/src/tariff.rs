//! Supply tariff settlement: the energy the client's meters measured, each day at the day's
//! price.

use crate::{pallet::*, performance::value_of_energy, types::*};
use frame_support::pallet_prelude::*;
use pallet_energy_oracle::FeedKind;
use pallet_meters::DayIndex;
use sp_arithmetic::{FixedPointNumber, FixedU128, Permill};

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
				let mean = Self::daily_mean(FeedKind::MarketPrice, market, day)?;
				let price = u64::try_from(mean.saturating_add(*adder).max(0)).ok()?;
				Some((price.min(*cap), price > *cap))
			}
		}
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
