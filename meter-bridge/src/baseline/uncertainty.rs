//! How far a baseline's predictions can be trusted.
//!
//! - **One day or hour.** Its use lies within `ŷ ± t · s · √(1 + h)` at the confidence, given
//!   its temperature: the regression's prediction interval with `t` Student's at `n − p`
//!   degrees of freedom, `h` the mean leverage of an observation in the model that predicts it
//!   ([`FitStatistics::leverage`]) and `s` the residuals' standard deviation over the degrees of
//!   freedom that leverage leaves (`RMSE` for one model). The mean leverage stands for the
//!   point's own, so an interval is too narrow for temperatures beyond the baseline's range. A
//!   single prediction's error is its own noise and the coefficients' error, so the residuals'
//!   autocorrelation is left out here: it matters when errors are added up.
//! - **Savings over a reporting period** of `m` days or hours whose adjusted baseline use is
//!   `E`, as ASHRAE Guideline 14 (2014, annex B) states it for regression baselines:
//!   `ΔE = 1.26 · t · CV · √((n / n′) · (1 + 2 / n′) / m) · |E|`, the Guideline's fractional
//!   savings uncertainty `ΔE / savings` times the savings. `n′ = n (1 − ρ) / (1 + ρ)` counts
//!   the baseline's observations that are independent given the lag-1 autocorrelation `ρ` of
//!   its residuals (a negative `ρ` is taken as 0, which never narrows the band); `t` is at
//!   `n − p` degrees of freedom as in the Guideline (some tools take `n′ − p`, wider for
//!   short baselines); `CV` is `s / ȳ`, CV(RMSE) for one model; and 1.26 is the Guideline's
//!   empirical factor, derived for monthly data and kept here for days and hours.

use super::stats::FitStatistics;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Guideline 14's empirical factor of its savings uncertainty approximation.
const GUIDELINE_FACTOR: f64 = 1.26;
/// The confidence Guideline 14 judges savings uncertainty at: savings are reported as
/// determined when their uncertainty is below half of them at this confidence.
pub const GUIDELINE_CONFIDENCE: f64 = 0.68;
/// The largest fractional savings uncertainty Guideline 14 accepts at 68 % confidence.
pub const GUIDELINE_MAX_FSU: f64 = 0.5;
/// The confidence of the intervals this bridge reports unless told otherwise.
pub const REPORTED_CONFIDENCE: f64 = 0.9;

/// Student's t for a two-sided interval at `confidence` (0–1) with `freedom` degrees of
/// freedom; `None` for a confidence outside (0, 1) or no freedom.
pub fn student_t(confidence: f64, freedom: f64) -> Option<f64> {
	let usable = confidence > 0.0 && confidence < 1.0 && freedom >= 1.0;
	if !usable {
		return None;
	}
	let t = StudentsT::new(0.0, 1.0, freedom).ok()?;
	Some(t.inverse_cdf(0.5 + confidence / 2.0))
}

impl FitStatistics {
	/// `n′ = n (1 − ρ) / (1 + ρ)`: the observations that count as independent given the
	/// residuals' lag-1 autocorrelation ρ (taken as 0 when negative).
	pub fn effective_observations(&self) -> f64 {
		let rho =
			if self.autocorrelation.is_nan() { 1.0 } else { self.autocorrelation.clamp(0.0, 1.0) };
		self.observations as f64 * (1.0 - rho) / (1.0 + rho)
	}

	/// The residuals' standard deviation over the degrees of freedom the model's leverage
	/// leaves: RMSE for one model, more for a model per month. Wh per day or hour; `None`
	/// without freedom or a mean (statistics from before the bridge kept it).
	pub fn residual_deviation(&self) -> Option<f64> {
		let n = self.observations as f64;
		let used = n - self.parameters as f64;
		let left = n * (1.0 - self.leverage);
		if used <= 0.0 || left <= 0.0 || self.mean == 0.0 {
			return None;
		}
		finite((self.cv_rmse * self.mean).abs() * (used / left).sqrt())
	}

	/// Half the width of the interval that holds one new day's or hour's use (Wh) with
	/// probability `confidence`, around the model's prediction at its temperature.
	pub fn prediction_interval(&self, confidence: f64) -> Option<f64> {
		let freedom = self.observations.checked_sub(self.parameters)? as f64;
		let t = student_t(confidence, freedom)?;
		finite(t * self.residual_deviation()? * (1.0 + self.leverage).sqrt())
	}

	/// Guideline 14's uncertainty (Wh, ±) of the savings over `periods` reporting days or
	/// hours whose adjusted baseline use is `baseline_use` (Wh), at `confidence`.
	pub fn savings_uncertainty(
		&self,
		confidence: f64,
		periods: usize,
		baseline_use: f64,
	) -> Option<f64> {
		let effective = self.effective_observations();
		if periods == 0 || effective.is_nan() || effective <= 0.0 {
			return None;
		}
		let freedom = self.observations.checked_sub(self.parameters)? as f64;
		let t = student_t(confidence, freedom)?;
		let cv = self.residual_deviation()? / self.mean.abs();
		let n = self.observations as f64;
		let spread = (n / effective) * (1.0 + 2.0 / effective) / periods as f64;
		finite(GUIDELINE_FACTOR * t * cv * spread.sqrt() * baseline_use.abs())
	}
}

/// `value` if it is a number.
fn finite(value: f64) -> Option<f64> {
	value.is_finite().then_some(value)
}

/// What a fit tells of its own uncertainty: its prediction interval and, for a reporting
/// period as long as its baseline with the baseline's mean use, the savings uncertainty and
/// the least savings Guideline 14 would call determined.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Uncertainty {
	/// The confidence of `interval` and `savings_uncertainty`, 0–1.
	pub confidence: f64,
	/// ± Wh around a day's or hour's prediction.
	pub interval: Option<f64>,
	/// ρ, and `n′` of `n` observations.
	pub autocorrelation: f64,
	pub effective_observations: f64,
	/// The reporting days or hours assumed: as many as the baseline's.
	pub reporting_periods: usize,
	/// ± Wh of savings over those periods at `confidence`.
	pub savings_uncertainty: Option<f64>,
	/// The smallest share of the baseline's use that savings must reach for Guideline 14 to
	/// call them determined (fractional savings uncertainty below 50 % at 68 %).
	pub least_determined_savings: Option<f64>,
}

impl Uncertainty {
	/// `statistics`' uncertainty at `confidence` over a reporting period like its baseline.
	pub fn of(statistics: &FitStatistics, confidence: f64) -> Uncertainty {
		let periods = statistics.observations;
		let baseline_use = statistics.mean * periods as f64;
		let at_guideline =
			statistics.savings_uncertainty(GUIDELINE_CONFIDENCE, periods, baseline_use);
		Uncertainty {
			confidence,
			interval: statistics.prediction_interval(confidence),
			autocorrelation: statistics.autocorrelation,
			effective_observations: statistics.effective_observations(),
			reporting_periods: periods,
			savings_uncertainty: statistics.savings_uncertainty(confidence, periods, baseline_use),
			least_determined_savings: at_guideline
				.filter(|_| baseline_use != 0.0)
				.map(|uncertainty| uncertainty / GUIDELINE_MAX_FSU / baseline_use.abs()),
		}
	}
}
