//! Energy performance settlement: the baseline's prediction for each day from the oracle's
//! temperatures, against the contract meters' metered use, and the value of the difference.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use pallet_energy_oracle::FeedKind;
use pallet_meters::DayIndex;
use smartblocks_rules::degree_days::micro_degree_days;
use sp_arithmetic::{
	traits::{CheckedMul, CheckedSub, Zero},
	FixedI128, FixedPointNumber, FixedU128, Permill,
};

/// The baseline's predicted use on a day with mean outdoor temperature `temperature` (0.1 °C),
/// in tenths of a watt-hour (rounded down), with the day's heating and cooling degree-days in
/// millionths of a K·day, of the terms the baseline has: a model without a cooling term
/// (slope 0) has no cooling balance point to count from, so its statements show no cooling
/// degree-days in winter.
pub fn daily_prediction(baseline: &DailyBaseline, temperature: i64) -> Option<(i128, i64, i64)> {
	// Degree-days in millionths of a K·day.
	let degree_days = |slope: u64, difference: i64| match slope {
		0 => Some(0),
		_ => micro_degree_days(difference, baseline.temperature_spread),
	};
	let heating =
		degree_days(baseline.heating_slope, i64::from(baseline.heating_balance) - temperature)?;
	let cooling =
		degree_days(baseline.cooling_slope, temperature - i64::from(baseline.cooling_balance))?;
	// Wh/K·d × 10⁻⁶ K·d, in tenths of a Wh: ÷ 10⁵.
	let term = |slope: u64, micro: i64| {
		i128::from(slope).checked_mul(i128::from(micro)).map(|product| product / 100_000)
	};
	let tenths = i128::from(baseline.intercept)
		.checked_mul(10)?
		.checked_add(term(baseline.heating_slope, heating)?)?
		.checked_add(term(baseline.cooling_slope, cooling)?)?;
	Some((tenths, heating, cooling))
}

/// Millionths of a K·day in tenths, rounded to nearest (saturating).
fn tenths_of_degree_days(micro: i128) -> u32 {
	u32::try_from(micro.saturating_add(50_000) / 100_000).unwrap_or(u32::MAX)
}

/// The value of `energy` Wh at `price` (thousandths of the currency per MWh) times `share`, in
/// minor units of a currency with `decimals`, rounded half away from zero. `None` on overflow.
pub fn value_of_energy(
	energy: FixedU128,
	price: u64,
	share: Permill,
	decimals: u8,
) -> Option<u128> {
	let megawatt_hours = energy.checked_div(&FixedU128::from_u32(1_000_000))?;
	let price = FixedU128::checked_from_rational(price, 1_000u32)?;
	let share = FixedU128::checked_from_rational(share.deconstruct(), 1_000_000u32)?;
	let minor_per_unit = FixedU128::checked_from_integer(10u128.checked_pow(decimals.into())?)?;
	let amount =
		megawatt_hours.checked_mul(&price)?.checked_mul(&share)?.checked_mul(&minor_per_unit)?;
	let unit = FixedU128::DIV;
	Some(amount.into_inner().checked_add(unit / 2)? / unit)
}

/// What an energy performance period comes to before its obligation is written.
pub(crate) struct PerformanceResult {
	pub evidence: PerformanceEvidence,
	/// Positive: the client owes the provider; negative: the provider owes the client (minor
	/// units).
	pub client_owes: i128,
}

impl<T: Config> Pallet<T> {
	/// The day's metered use (Wh) and mean temperature (0.1 °C), if it has both.
	fn day_data(
		meters: &[pallet_meters::MeterId],
		region: &[u8],
		day: DayIndex,
	) -> Option<(u64, i64)> {
		let metered = Self::day_energy(meters, day)?;
		Some((metered, Self::daily_mean(FeedKind::OutdoorTemperature, region, day)?))
	}

	/// Evaluates period days `first_day..first_day + days`; whether every day had its data.
	pub(crate) fn evaluate_performance(
		agreement: &AgreementOf<T>,
		terms: &EnergyPerformanceTerms,
		first_day: DayIndex,
		days: u16,
	) -> Result<(PerformanceResult, bool), DispatchError> {
		let overflow: DispatchError = Error::<T>::ArithmeticOverflow.into();
		let region = Self::contract_region(agreement);
		let mut evidence = PerformanceEvidence {
			days_used: 0,
			days_missing: 0,
			baseline: 0,
			metered: 0,
			savings: 0,
			guaranteed: 0,
			heating_degree_days: 0,
			cooling_degree_days: 0,
			savings_uncertainty: None,
		};
		let mut baseline_tenths = 0i128;
		// Summed before rounding, so a statement's degree-days are its days' to 0.1 K·d.
		let (mut heating_micro, mut cooling_micro) = (0i128, 0i128);
		for day in (0..u32::from(days)).map(|offset| first_day.saturating_add(offset)) {
			let Some((metered, temperature)) = Self::day_data(&agreement.meters, &region, day)
			else {
				evidence.days_missing = evidence.days_missing.saturating_add(1);
				continue;
			};
			let (predicted, heating, cooling) =
				daily_prediction(&terms.baseline, temperature).ok_or(overflow)?;
			baseline_tenths = baseline_tenths.checked_add(predicted).ok_or(overflow)?;
			evidence.metered = evidence.metered.checked_add(metered).ok_or(overflow)?;
			heating_micro = heating_micro.saturating_add(i128::from(heating));
			cooling_micro = cooling_micro.saturating_add(i128::from(cooling));
			evidence.days_used = evidence.days_used.saturating_add(1);
		}
		let complete = evidence.days_missing == 0;
		evidence.heating_degree_days = tenths_of_degree_days(heating_micro);
		evidence.cooling_degree_days = tenths_of_degree_days(cooling_micro);

		let baseline = FixedI128::checked_from_rational(baseline_tenths, 10).ok_or(overflow)?;
		let metered =
			FixedI128::checked_from_integer(i128::from(evidence.metered)).ok_or(overflow)?;
		let savings = baseline.checked_sub(&metered).ok_or(overflow)?;
		let guaranteed = baseline
			.checked_mul(&share(terms.guaranteed_share).ok_or(overflow)?)
			.ok_or(overflow)?;
		evidence.baseline = whole(baseline).ok_or(overflow)?;
		evidence.savings = whole(savings).ok_or(overflow)?;
		evidence.guaranteed = whole(guaranteed).ok_or(overflow)?;
		evidence.savings_uncertainty = terms.confidence.and_then(|confidence| {
			crate::ashrae14::savings_uncertainty(
				&terms.baseline,
				confidence,
				evidence.days_used,
				evidence.baseline,
			)
		});

		// Beyond the guarantee the client shares the excess; short of it the provider pays the
		// shortfall, at most the guarantee: savings below zero count as zero.
		let counted = savings.max(FixedI128::zero());
		let beyond = counted.checked_sub(&guaranteed).ok_or(overflow)?;
		let magnitude = FixedU128::from_inner(beyond.into_inner().unsigned_abs());
		let decimals = agreement.currency.decimals;
		let client_owes = if beyond.is_positive() {
			let amount = value_of_energy(magnitude, terms.price, terms.provider_share, decimals);
			i128::try_from(amount.ok_or(overflow)?).map_err(|_| overflow)?
		} else if beyond.is_zero() {
			0
		} else {
			let amount = value_of_energy(magnitude, terms.price, Permill::one(), decimals);
			i128::try_from(amount.ok_or(overflow)?).map_err(|_| overflow)?.saturating_neg()
		};
		Ok((PerformanceResult { evidence, client_owes }, complete))
	}
}

/// `value` rounded half away from zero to a whole number.
fn whole(value: FixedI128) -> Option<i64> {
	let unit = FixedI128::DIV;
	let inner = value.into_inner();
	let rounded =
		if inner >= 0 { inner.checked_add(unit / 2)? } else { inner.checked_sub(unit / 2)? };
	i64::try_from(rounded / unit).ok()
}

fn share(share: Permill) -> Option<FixedI128> {
	FixedI128::checked_from_rational(share.deconstruct(), 1_000_000u32)
}
