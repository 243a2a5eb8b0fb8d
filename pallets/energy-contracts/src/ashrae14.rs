//! ASHRAE Guideline 14 acceptance criteria for whole-building regression baselines, the default
//! thresholds of energy performance contracts.
//!
//! Guideline 14's whole-building (option C) path asks the baseline model for a net
//! determination bias of at most 0.005 (0.5 %) and a CV(RMSE) of at most 20 % when savings are
//! reported for under 12 months, 25 % for 12 to 60 months and 30 % beyond, both computed with
//! `n − p` degrees of freedom (see [`crate::DailyBaseline`]). A least-squares fit with an
//! intercept has a net bias of zero on its own data, so the NMBE limit mostly catches models
//! that were adjusted after fitting.

use sp_arithmetic::Permill;

/// The largest |NMBE|: 0.5 %.
pub const MAX_NMBE: Permill = Permill::from_parts(5_000);

/// The largest CV(RMSE) for a contract reporting savings over `reporting_days`.
pub fn max_cv_rmse(reporting_days: u32) -> Permill {
	match reporting_days {
		days if days < 365 => Permill::from_percent(20),
		days if days <= 5 * 365 => Permill::from_percent(25),
		_ => Permill::from_percent(30),
	}
}

/// The loosest CV(RMSE) any contract may accept: the criterion for the longest terms.
pub const LOOSEST_CV_RMSE: Permill = Permill::from_percent(30);
