//! Goodness of fit as ASHRAE Guideline 14 states it for whole-building baselines.

use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

/// How well a model reproduces the data it was fitted on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FitStatistics {
	/// Observations the model was fitted on.
	pub observations: usize,
	/// Parameters counted in the degrees of freedom.
	pub parameters: usize,
	pub r_squared: f64,
	/// `√(Σ(yᵢ − ŷᵢ)² / (n − p)) / ȳ`.
	pub cv_rmse: f64,
	/// `Σ(yᵢ − ŷᵢ) / ((n − p) · ȳ)`.
	pub nmbe: f64,
	/// `ȳ`, the mean use per observation.
	#[serde(default)]
	pub mean: f64,
	/// The lag-1 autocorrelation ρ of the residuals in time order, which Guideline 14's
	/// savings uncertainty corrects for ([`super::uncertainty`]).
	#[serde(default)]
	pub autocorrelation: f64,
	/// The mean leverage of an observation in the model that predicts it: `p / n` for one
	/// model; more where each month has its own ([`super::hourly`]).
	#[serde(default)]
	pub leverage: f64,
}

impl FitStatistics {
	/// The statistics of `fitted` against `observed`, for a model of `parameters` parameters.
	/// `None` when there are no degrees of freedom left or the mean is zero.
	pub fn of(
		observed: ArrayView1<f64>,
		fitted: ArrayView1<f64>,
		parameters: usize,
	) -> Option<FitStatistics> {
		let observations = observed.len();
		let freedom = observations.checked_sub(parameters).filter(|f| *f > 0)? as f64;
		let mean = observed.mean()?;
		if mean == 0.0 {
			return None;
		}
		let residuals = &observed - &fitted;
		let residual_squares = residuals.mapv(|r| r * r).sum();
		let residual_mean = residuals.sum() / observations as f64;
		let lagged: f64 = residuals
			.iter()
			.zip(residuals.iter().skip(1))
			.map(|(before, after)| (before - residual_mean) * (after - residual_mean))
			.sum();
		let centred_squares = residuals.mapv(|r| (r - residual_mean).powi(2)).sum();
		let total_squares = observed.mapv(|y| (y - mean) * (y - mean)).sum();
		let r_squared =
			if total_squares > 0.0 { 1.0 - residual_squares / total_squares } else { 0.0 };
		Some(FitStatistics {
			observations,
			parameters,
			r_squared,
			cv_rmse: (residual_squares / freedom).sqrt() / mean,
			nmbe: residuals.sum() / (freedom * mean),
			mean,
			autocorrelation: if centred_squares > 0.0 { lagged / centred_squares } else { 0.0 },
			leverage: parameters as f64 / observations as f64,
		})
	}
}

/// R² adjusted for the `parameters` a model of `observations` used, by which candidate models
/// are compared.
pub fn adjusted_r_squared(r_squared: f64, observations: usize, parameters: usize) -> f64 {
	let (n, p) = (observations as f64, parameters as f64);
	1.0 - (1.0 - r_squared) * (n - 1.0) / (n - p)
}
