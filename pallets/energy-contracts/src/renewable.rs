//! Renewable share settlement: the sites' own generation used on site against a target share
//! of their use.

use crate::{pallet::*, performance::value_of_energy, types::*};
use frame_support::pallet_prelude::*;
use pallet_meters::{DayIndex, MeterData, MeterKind};
use sp_arithmetic::{FixedPointNumber, FixedU128, Permill};

/// What a renewable share period comes to before its obligation is written.
pub(crate) struct RenewableResult {
	pub evidence: RenewableEvidence,
	/// Positive: the client owes the provider; negative: the provider owes the client.
	pub client_owes: i128,
}

impl<T: Config> Pallet<T> {
	/// A day's (imported, generated, exported) Wh if every meter has complete data for it.
	fn energy_by_kind(
		meters: &[(pallet_meters::MeterId, MeterKind)],
		day: DayIndex,
	) -> Option<(u64, u64, u64)> {
		let (mut imported, mut generated, mut exported) = (0u64, 0u64, 0u64);
		for (meter, kind) in meters {
			let energy = Self::meter_day(*meter, day)?;
			let sum = match kind {
				MeterKind::GridExport => &mut exported,
				MeterKind::Generation => &mut generated,
				_ => &mut imported,
			};
			*sum = sum.checked_add(energy)?;
		}
		Some((imported, generated, exported))
	}

	/// Evaluates period days `first_day..first_day + days`; whether every day had its data.
	pub(crate) fn evaluate_renewable(
		agreement: &AgreementOf<T>,
		terms: &RenewableShareTerms,
		first_day: DayIndex,
		days: u16,
	) -> Result<(RenewableResult, bool), DispatchError> {
		let overflow: DispatchError = Error::<T>::ArithmeticOverflow.into();
		let mut evidence = RenewableEvidence {
			days_used: 0,
			days_missing: 0,
			imported: 0,
			generated: 0,
			exported: 0,
			renewable_used: 0,
			site_use: 0,
			share: Permill::zero(),
			target_energy: 0,
		};
		// A meter that has since disappeared has no days either: its days count as missing.
		let meters: alloc::vec::Vec<_> = agreement
			.meters
			.iter()
			.map(|meter| {
				let kind = T::Meters::meter(*meter).map_or(MeterKind::GridImport, |m| m.kind);
				(*meter, kind)
			})
			.collect();
		for day in (0..u32::from(days)).map(|offset| first_day.saturating_add(offset)) {
			let Some((imported, generated, exported)) = Self::energy_by_kind(&meters, day) else {
				evidence.days_missing = evidence.days_missing.saturating_add(1);
				continue;
			};
			evidence.imported = evidence.imported.checked_add(imported).ok_or(overflow)?;
			evidence.generated = evidence.generated.checked_add(generated).ok_or(overflow)?;
			evidence.exported = evidence.exported.checked_add(exported).ok_or(overflow)?;
			evidence.days_used = evidence.days_used.saturating_add(1);
		}
		evidence.renewable_used = evidence.generated.saturating_sub(evidence.exported);
		evidence.site_use =
			evidence.imported.checked_add(evidence.renewable_used).ok_or(overflow)?;
		if evidence.site_use > 0 {
			evidence.share = Permill::from_rational(evidence.renewable_used, evidence.site_use);
		}
		// The target energy in fixed point, so that the money is not computed on a rounded
		// energy; the evidence shows it rounded to the watt-hour.
		let target = FixedU128::checked_from_rational(
			u128::from(evidence.site_use) * u128::from(terms.target.deconstruct()),
			1_000_000u32,
		)
		.ok_or(overflow)?;
		let target_inner = target.into_inner();
		let unit = FixedU128::DIV;
		evidence.target_energy =
			u64::try_from(target_inner.saturating_add(unit / 2) / unit).map_err(|_| overflow)?;
		let used =
			FixedU128::checked_from_integer(u128::from(evidence.renewable_used)).ok_or(overflow)?;
		let decimals = agreement.currency.decimals;
		let client_owes = if used > target {
			let excess = FixedU128::from_inner(used.into_inner() - target_inner);
			let amount = value_of_energy(excess, terms.bonus, Permill::one(), decimals);
			i128::try_from(amount.ok_or(overflow)?).map_err(|_| overflow)?
		} else {
			let shortfall = FixedU128::from_inner(target_inner - used.into_inner());
			let amount = value_of_energy(shortfall, terms.penalty, Permill::one(), decimals);
			i128::try_from(amount.ok_or(overflow)?).map_err(|_| overflow)?.saturating_neg()
		};
		let complete = evidence.days_missing == 0;
		Ok((RenewableResult { evidence, client_owes }, complete))
	}
}
