//! What `baseline fit` and `forecast` print: the model, its statistics against ASHRAE
//! Guideline 14's limits, its uncertainty, and for a daily model the coefficients contracts
//! take.

use super::{
	daily::{DailyForm, DailyModel},
	forecast::Forecast,
	hourly::{DayTypes, HourlyModel},
	stats::FitStatistics,
	uncertainty::{Uncertainty, REPORTED_CONFIDENCE},
	ChainBaseline,
};
use serde::Serialize;
use std::fmt::{self, Display, Formatter};

/// Guideline 14's CV(RMSE) limit for daily and hourly baselines (12 to 60 months of
/// reporting), and its |NMBE| limit.
const CV_RMSE_LIMIT_DAILY: f64 = 0.25;
const CV_RMSE_LIMIT_HOURLY: f64 = 0.30;
const NMBE_LIMIT: f64 = 0.005;

/// A fitted baseline as printed and exported.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum FitReport {
	Daily {
		fit: DailyModel,
		uncertainty: Uncertainty,
		/// `None` (with the reason in `not_for_contracts`) when contracts cannot take it.
		chain_baseline: Option<ChainBaseline>,
		not_for_contracts: Option<String>,
		/// Data sufficiency problems the fit went ahead despite.
		insufficient: Vec<String>,
	},
	Hourly {
		fit: HourlyModel,
		uncertainty: Uncertainty,
		insufficient: Vec<String>,
	},
}

impl FitReport {
	pub fn daily(fit: DailyModel, insufficient: Vec<String>) -> FitReport {
		let (chain_baseline, not_for_contracts) = match super::chain_baseline(&fit) {
			Ok(baseline) => (Some(baseline), None),
			Err(error) => (None, Some(error.to_string())),
		};
		let uncertainty = Uncertainty::of(&fit.statistics, REPORTED_CONFIDENCE);
		FitReport::Daily { fit, uncertainty, chain_baseline, not_for_contracts, insufficient }
	}

	pub fn hourly(fit: HourlyModel, insufficient: Vec<String>) -> FitReport {
		let uncertainty = Uncertainty::of(&fit.statistics, REPORTED_CONFIDENCE);
		FitReport::Hourly { fit, uncertainty, insufficient }
	}
}

/// The uncertainty lines of a model whose observations are `unit` (`day` or `hour`).
fn uncertainty(f: &mut Formatter<'_>, u: &Uncertainty, unit: &str) -> fmt::Result {
	let percent = u.confidence * 100.0;
	let kwh = |wh: Option<f64>| match wh {
		Some(wh) => format!("±{:.1} kWh", wh / 1000.0),
		None => "unknown".to_string(),
	};
	writeln!(f, "{percent:.0} % of {unit}s within  {} of the prediction", kwh(u.interval))?;
	writeln!(
		f,
		"residuals ρ {:.2}: {:.0} independent observations (n′)",
		u.autocorrelation, u.effective_observations
	)?;
	writeln!(
		f,
		"savings over {} {unit}s known to  {} at {percent:.0} % (ASHRAE Guideline 14)",
		u.reporting_periods,
		kwh(u.savings_uncertainty)
	)?;
	match u.least_determined_savings {
		Some(share) => writeln!(
			f,
			"savings are determined (Guideline 14: uncertainty < 50 % at 68 %) from {:.1} % of \
			 the baseline's use",
			share * 100.0
		),
		None => writeln!(f, "savings uncertainty unknown: too few independent observations"),
	}
}

fn statistics(f: &mut Formatter<'_>, s: &FitStatistics, cv_rmse_limit: f64) -> fmt::Result {
	let verdict = |ok: bool| if ok { "meets" } else { "exceeds" };
	writeln!(f, "fitted on {} observations, {} parameters", s.observations, s.parameters)?;
	writeln!(f, "R²        {:.3}", s.r_squared)?;
	writeln!(
		f,
		"CV(RMSE)  {:.2} %  ({} ASHRAE Guideline 14's {:.0} %)",
		s.cv_rmse * 100.0,
		verdict(s.cv_rmse <= cv_rmse_limit),
		cv_rmse_limit * 100.0
	)?;
	writeln!(
		f,
		"NMBE      {:.3} %  ({} Guideline 14's ±{:.1} %)",
		s.nmbe * 100.0,
		verdict(s.nmbe.abs() <= NMBE_LIMIT),
		NMBE_LIMIT * 100.0
	)
}

impl Display for FitReport {
	fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
		let insufficient = match self {
			FitReport::Daily { insufficient, .. } | FitReport::Hourly { insufficient, .. } => {
				insufficient
			}
		};
		for problem in insufficient {
			writeln!(f, "warning: fitted despite insufficient data: {problem}")?;
		}
		match self {
			FitReport::Daily {
				fit,
				uncertainty: uncertainty_of,
				chain_baseline,
				not_for_contracts,
				..
			} => {
				let form = match fit.form {
					DailyForm::InterceptOnly => "intercept only",
					DailyForm::Heating => "intercept + heating degree-days",
					DailyForm::Cooling => "intercept + cooling degree-days",
					DailyForm::HeatingCooling => "intercept + heating and cooling degree-days",
				};
				writeln!(f, "daily model: {form}")?;
				writeln!(f, "intercept        {:.0} Wh/day", fit.intercept)?;
				if let Some(balance) = fit.heating_balance {
					writeln!(
						f,
						"heating          {:.0} Wh per K·day below {balance:.1} °C",
						fit.heating_slope
					)?;
				}
				if let Some(balance) = fit.cooling_balance {
					writeln!(
						f,
						"cooling          {:.0} Wh per K·day above {balance:.1} °C",
						fit.cooling_slope
					)?;
				}
				if fit.temperature_spread > 0.0 {
					writeln!(
						f,
						"degree-days of days whose temperatures spread {:.1} K around their mean",
						fit.temperature_spread
					)?;
				}
				statistics(f, &fit.statistics, CV_RMSE_LIMIT_DAILY)?;
				uncertainty(f, uncertainty_of, "day")?;
				match (chain_baseline, not_for_contracts) {
					(Some(baseline), _) => writeln!(
						f,
						"contract baseline (DailyBaseline): {}",
						serde_json::to_string(baseline).map_err(|_| fmt::Error)?
					),
					(None, Some(why)) => writeln!(f, "{why}"),
					(None, None) => Ok(()),
				}
			}
			FitReport::Hourly { fit, uncertainty: uncertainty_of, .. } => {
				let (occupied, days) = match fit.segments.first() {
					Some(segment) => (
						segment.occupied.iter().filter(|o| **o).count(),
						match segment.day_types {
							DayTypes::AllDays => "every day alike",
							DayTypes::WeekdaysAndWeekend => "weekdays and weekend",
							DayTypes::EachDay => "each day its own",
						},
					),
					None => (0, "none"),
				};
				writeln!(
					f,
					"hourly model: time of week and temperature, {} segment(s); first segment: \
					 {days}, {occupied} of 168 hours of the week occupied",
					fit.segments.len()
				)?;
				statistics(f, &fit.statistics, CV_RMSE_LIMIT_HOURLY)?;
				uncertainty(f, uncertainty_of, "hour")
			}
		}
	}
}

impl Display for Forecast {
	fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
		writeln!(f, "forecast for {}: {:.1} kWh", self.day, self.total / 1000.0)?;
		let range = format!("{:.0} % within", self.confidence * 100.0);
		writeln!(f, "{:<27} {:>8} {:>10} {:>17}  temperature from", "hour", "°C", "kWh", range)?;
		for hour in &self.hours {
			let energy = hour.energy.map(|e| format!("{:.2}", e / 1000.0));
			let range = match (hour.low, hour.high) {
				(Some(low), Some(high)) => format!("{:.2}–{:.2}", low / 1000.0, high / 1000.0),
				_ => "unknown".to_string(),
			};
			writeln!(
				f,
				"{:<27} {:>8.1} {:>10} {:>17}  {}",
				hour.start.to_rfc3339(),
				hour.temperature,
				energy.as_deref().unwrap_or("unknown"),
				range,
				match hour.temperature_source {
					super::forecast::TemperatureSource::Forecast => "forecast",
					super::forecast::TemperatureSource::Persistence => "same hour, last day",
				}
			)?;
		}
		let s = &self.model.statistics;
		writeln!(
			f,
			"model fitted on the last {} hours: CV(RMSE) {:.1} %, R² {:.3}",
			s.observations,
			s.cv_rmse * 100.0,
			s.r_squared
		)
	}
}
