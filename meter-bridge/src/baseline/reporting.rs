//! Avoided energy use over a reporting period, as IPMVP defines it: the baseline model
//! predicts each day or hour of the period from its outdoor temperature (the adjusted
//! baseline), the metered use is subtracted, and the savings come with ASHRAE Guideline 14's
//! uncertainty ([`super::uncertainty`]). Only days or hours with both metered use and a
//! prediction count; every row is reported with what it had.

use super::{
	daily::DailyModel,
	hourly::HourlyModel,
	series::{DailyObservation, HourlyObservation},
	stats::FitStatistics,
	uncertainty::REPORTED_CONFIDENCE,
};
use serde::Serialize;
use std::fmt::{self, Display, Formatter};

/// One day or hour of the reporting period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportingRow {
	/// The hour's start (RFC 3339) or the day (YYYY-MM-DD).
	pub start: String,
	/// Wh; `None` if not metered.
	pub metered: Option<f64>,
	/// The baseline's prediction at the row's temperature, Wh; `None` without a temperature
	/// or where the model does not cover the hour.
	pub adjusted_baseline: Option<f64>,
}

/// The savings of a reporting period against a fitted baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportingPeriod {
	pub rows: Vec<ReportingRow>,
	/// The rows with both metered use and an adjusted baseline, over which the sums run.
	pub counted: usize,
	/// Wh.
	pub metered: f64,
	pub adjusted_baseline: f64,
	/// `adjusted_baseline − metered`, Wh.
	pub avoided: f64,
	/// ± Wh of `avoided` at `confidence`; `None` when the baseline's statistics cannot say.
	pub uncertainty: Option<f64>,
	pub confidence: f64,
	/// `day` or `hour`.
	pub unit: &'static str,
}

impl ReportingPeriod {
	/// The reporting `days` against the daily `model`.
	pub fn daily(model: &DailyModel, days: &[DailyObservation]) -> ReportingPeriod {
		let rows = days
			.iter()
			.map(|day| ReportingRow {
				start: day.day.to_string(),
				metered: Some(day.energy),
				adjusted_baseline: Some(model.predict(day.temperature)),
			})
			.collect();
		Self::of(rows, &model.statistics, "day")
	}

	/// The reporting `hours` against the hourly `model`.
	pub fn hourly(model: &HourlyModel, hours: &[HourlyObservation]) -> ReportingPeriod {
		let rows = hours
			.iter()
			.map(|hour| ReportingRow {
				start: hour.start.to_rfc3339(),
				metered: hour.energy,
				adjusted_baseline: hour.temperature.and_then(|t| model.predict(hour, t)),
			})
			.collect();
		Self::of(rows, &model.statistics, "hour")
	}

	fn of(rows: Vec<ReportingRow>, statistics: &FitStatistics, unit: &'static str) -> Self {
		let counted: Vec<(f64, f64)> =
			rows.iter().filter_map(|row| Some((row.metered?, row.adjusted_baseline?))).collect();
		let metered = counted.iter().map(|(metered, _)| metered).sum();
		let adjusted_baseline = counted.iter().map(|(_, baseline)| baseline).sum();
		ReportingPeriod {
			counted: counted.len(),
			metered,
			adjusted_baseline,
			avoided: adjusted_baseline - metered,
			uncertainty: statistics.savings_uncertainty(
				REPORTED_CONFIDENCE,
				counted.len(),
				adjusted_baseline,
			),
			confidence: REPORTED_CONFIDENCE,
			unit,
			rows,
		}
	}
}

impl Display for ReportingPeriod {
	fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
		let kwh = |wh: f64| format!("{:.1} kWh", wh / 1000.0);
		writeln!(
			f,
			"reporting period: {} {unit}s, {} with metered use and a prediction",
			self.rows.len(),
			self.counted,
			unit = self.unit
		)?;
		writeln!(f, "metered            {}", kwh(self.metered))?;
		writeln!(f, "adjusted baseline  {}", kwh(self.adjusted_baseline))?;
		let share = if self.adjusted_baseline != 0.0 {
			format!(" ({:.1} %)", self.avoided / self.adjusted_baseline * 100.0)
		} else {
			String::new()
		};
		let uncertainty = match self.uncertainty {
			Some(wh) => format!("± {} at {:.0} %", kwh(wh), self.confidence * 100.0),
			None => "uncertainty unknown".to_string(),
		};
		writeln!(f, "avoided            {}{share} {uncertainty}", kwh(self.avoided))
	}
}
