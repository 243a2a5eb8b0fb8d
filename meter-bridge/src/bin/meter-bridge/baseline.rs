//! `meter-bridge baseline fit`: a CalTRACK baseline of a site's use, and with a reporting
//! period, the avoided energy.

use crate::input::Input;
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use meter_bridge::baseline::{
	daily, hourly, report::FitReport, reporting::ReportingPeriod, series::Series, source,
	sufficiency, FitError,
};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum BaselineCommand {
	/// Fit the daily model (its coefficients are what energy performance contracts take, on the
	/// chain's days, UTC, the days contracts settle) or the hourly model (on the site's wall
	/// clock), after checking the data suffice for a baseline.
	Fit(Fit),
}

#[derive(Args)]
pub struct Fit {
	#[command(flatten)]
	input: Input,
	#[arg(long, value_enum, default_value_t = ModelKind::Daily)]
	model: ModelKind,
	/// How the hourly model (not the daily) splits the year: one model (best on use it has
	/// not seen, in `scripts/compare-eemeter`), or CalTRACK 2.0's model per month fitted on
	/// the month and its neighbours at half weight (for buildings whose schedule follows the
	/// season).
	#[arg(long, value_enum, default_value_t = hourly::Segmentation::Single)]
	segmentation: hourly::Segmentation,
	/// First day of the baseline period, a chain day (UTC) for hours (default: the data's
	/// first).
	#[arg(long)]
	from: Option<NaiveDate>,
	/// Last day of the baseline period, a chain day (UTC) for hours (default: the data's
	/// last).
	#[arg(long)]
	to: Option<NaiveDate>,
	/// A CSV of the reporting period (columns as for --csv; for the daily model, hours are
	/// summed into the chain's days, UTC, and days without every hour are left out): prints
	/// each day's or hour's adjusted baseline (the model's prediction at its temperature) and
	/// the avoided energy, with its uncertainty.
	#[arg(long, value_name = "FILE")]
	reporting: Option<PathBuf>,
	/// Fit even if the data do not suffice for a baseline (a year, 90 % complete),
	/// with a warning.
	#[arg(long)]
	allow_insufficient: bool,
	/// Print JSON instead of a summary.
	#[arg(long)]
	json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModelKind {
	Daily,
	Hourly,
}

impl Fit {
	/// Fits the model and prints it, with the reporting period's avoided energy if given.
	pub async fn run(self) -> anyhow::Result<()> {
		let series = self.input.series().await?.between(self.from, self.to);
		let reporting = self.reporting.as_deref().map(reporting_series).transpose()?;
		let (report, period) = match self.model {
			ModelKind::Daily => {
				let days = series.days();
				let insufficient = sufficiency::daily(&days);
				if !self.allow_insufficient && !insufficient.is_empty() {
					return Err(FitError::Insufficient(insufficient).into());
				}
				let fit = daily::fit(
					&days,
					&daily::DailySettings::default(),
					&mut progress("balance points"),
				)?;
				let period = reporting.map(|series| ReportingPeriod::daily(&fit, &series.days()));
				(FitReport::daily(fit, insufficient), period)
			}
			ModelKind::Hourly => {
				let Series::Hourly(hours) = series else {
					anyhow::bail!("the hourly model needs hourly data; these are days");
				};
				let insufficient = sufficiency::hourly(&hours);
				if !self.allow_insufficient && !insufficient.is_empty() {
					return Err(FitError::Insufficient(insufficient).into());
				}
				let fit = hourly::fit(&hours, self.segmentation, &mut progress("segments"))?;
				let period = match reporting {
					Some(Series::Hourly(hours)) => Some(ReportingPeriod::hourly(&fit, &hours)),
					Some(Series::Daily(_)) => {
						anyhow::bail!(
							"--reporting: the hourly model needs hourly data; these are days"
						)
					}
					None => None,
				};
				(FitReport::hourly(fit, insufficient), period)
			}
		};
		if self.json {
			let mut value = serde_json::to_value(&report)?;
			if let (Some(period), Some(object)) = (&period, value.as_object_mut()) {
				object.insert("reporting".into(), serde_json::to_value(period)?);
			}
			println!("{}", serde_json::to_string_pretty(&value)?);
		} else {
			print!("{report}");
			if let Some(period) = &period {
				print!("{period}");
			}
		}
		Ok(())
	}
}

/// The reporting period's series from `path`: it must hold metered use.
fn reporting_series(path: &Path) -> anyhow::Result<Series> {
	let series = source::from_csv(path)?;
	let metered = match &series {
		Series::Hourly(hours) => hours.iter().any(|h| h.energy.is_some()),
		Series::Daily(days) => !days.is_empty(),
	};
	anyhow::ensure!(
		metered,
		"--reporting {}: no metered use (an energy_wh or energy_kwh column)",
		path.display()
	);
	Ok(series)
}

/// Prints `done of total` on one line of stderr.
fn progress(what: &'static str) -> impl FnMut(usize, usize) {
	move |done, total| {
		eprint!("\r{what}: {done}/{total}");
		if done == total {
			eprintln!();
		}
	}
}
