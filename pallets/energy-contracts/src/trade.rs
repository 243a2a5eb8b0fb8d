//! Peer trade settlement: in each day's window, the seller's export matched period by period to
//! the buyer's import, up to the daily quantity.

use crate::{pallet::*, performance::value_of_energy, types::*};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use pallet_meters::{DayIndex, MeterData, MeterId, MeterKind};
use sp_arithmetic::{FixedPointNumber, FixedU128, Permill};

/// What a peer trade period comes to before its obligation is written.
pub(crate) struct TradeResult {
	pub evidence: TradeEvidence,
	/// What the buyer (client) owes the seller (provider), in minor units.
	pub client_owes: i128,
}

/// A day's window totals: (exported, imported, matched) Wh.
type WindowTotals = (u64, u64, u64);

impl<T: Config> Pallet<T> {
	/// The window's totals on `day`, if every meter has a complete aggregate for each of its
	/// periods.
	fn window_totals(
		sellers: &[MeterId],
		buyers: &[MeterId],
		window: DailyWindow,
		day: DayIndex,
	) -> Option<WindowTotals> {
		let first = day
			.checked_mul(T::Meters::periods_per_day())?
			.checked_add(window.first_period.into())?;
		let mut totals = (0u64, 0u64, 0u64);
		for period in first..first.checked_add(window.periods.into())? {
			let exported = Self::period_energy(sellers, period)?;
			let imported = Self::period_energy(buyers, period)?;
			totals.0 = totals.0.checked_add(exported)?;
			totals.1 = totals.1.checked_add(imported)?;
			totals.2 = totals.2.checked_add(exported.min(imported))?;
		}
		Some(totals)
	}

	/// Evaluates period days `first_day..first_day + days`; whether every day had its data.
	pub(crate) fn evaluate_trade(
		agreement: &AgreementOf<T>,
		terms: &PeerTradeTerms,
		first_day: DayIndex,
		days: u16,
	) -> Result<(TradeResult, bool), DispatchError> {
		let overflow: DispatchError = Error::<T>::ArithmeticOverflow.into();
		// The seller's meters export or generate; the buyer's import (checked at proposal).
		let (sellers, buyers): (Vec<MeterId>, Vec<MeterId>) =
			agreement.meters.iter().partition(|meter| {
				T::Meters::meter(**meter).is_some_and(|facts| facts.kind != MeterKind::GridImport)
			});
		let mut evidence = TradeEvidence {
			days_used: 0,
			days_missing: 0,
			exported: 0,
			imported: 0,
			matched: 0,
			delivered: 0,
		};
		for day in (0..u32::from(days)).map(|offset| first_day.saturating_add(offset)) {
			let Some((exported, imported, matched)) =
				Self::window_totals(&sellers, &buyers, terms.window, day)
			else {
				evidence.days_missing = evidence.days_missing.saturating_add(1);
				continue;
			};
			evidence.exported = evidence.exported.checked_add(exported).ok_or(overflow)?;
			evidence.imported = evidence.imported.checked_add(imported).ok_or(overflow)?;
			evidence.matched = evidence.matched.checked_add(matched).ok_or(overflow)?;
			let delivered = matched.min(terms.quantity);
			evidence.delivered = evidence.delivered.checked_add(delivered).ok_or(overflow)?;
			evidence.days_used = evidence.days_used.saturating_add(1);
		}
		let delivered =
			FixedU128::checked_from_integer(u128::from(evidence.delivered)).ok_or(overflow)?;
		let amount =
			value_of_energy(delivered, terms.price, Permill::one(), agreement.currency.decimals)
				.ok_or(overflow)?;
		let client_owes = i128::try_from(amount).map_err(|_| overflow)?;
		let complete = evidence.days_missing == 0;
		Ok((TradeResult { evidence, client_owes }, complete))
	}
}
