//! `meter-bridge forecast`: a site's use hour by hour for the next day.

use crate::input::Input;
use chrono::{DateTime, FixedOffset};
use clap::Args;
use meter_bridge::baseline::{forecast, series::Series, source};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct Forecast {
	#[command(flatten)]
	input: Input,
	/// Forecast temperatures: CSV with `start` and `temperature_c` or `temperature_f` per
	/// hour. Hours it leaves out take the same hour's temperature on the last day measured.
	#[arg(long)]
	temperatures: Option<PathBuf>,
	/// Print JSON instead of a table.
	#[arg(long)]
	json: bool,
}

impl Forecast {
	/// Forecasts the site given, or every configured site, and prints the forecasts.
	pub async fn run(self) -> anyhow::Result<()> {
		let temperatures = match &self.temperatures {
			Some(path) => forecast_temperatures(path)?,
			None => Vec::new(),
		};
		// A site's day runs on its time zone; a CSV's at the offset of its last hour.
		let forecast_of = |series: Series, zone| -> anyhow::Result<forecast::Forecast> {
			let Series::Hourly(history) = series else {
				anyhow::bail!("a forecast needs hourly data; these are days");
			};
			Ok(forecast::next_day(&history, &temperatures, zone)?)
		};
		let input = &self.input;
		if input.csv.is_some() || input.site.is_some() {
			let zone = match (&input.csv, &input.site) {
				(None, Some(site)) => crate::load(&input.config)?.time_zone(site),
				_ => None,
			};
			let forecast = forecast_of(input.series().await?, zone)?;
			if self.json {
				println!("{}", serde_json::to_string_pretty(&forecast)?);
			} else {
				print!("{forecast}");
			}
			return Ok(());
		}
		// Every site of the campus, each on its own: one without enough data says why.
		let config = crate::load(&input.config)?;
		let mut all = Vec::new();
		for site in config.sites.iter().map(|site| site.name.as_str()) {
			let forecast = match source::from_bridge(&config, site).await {
				Ok(series) => forecast_of(series, config.time_zone(site)),
				Err(error) => Err(error),
			};
			if self.json {
				all.push(match forecast {
					Ok(forecast) => serde_json::json!({ "site": site, "forecast": forecast }),
					Err(error) => serde_json::json!({ "site": site, "error": error.to_string() }),
				});
			} else {
				match forecast {
					Ok(forecast) => print!("site {site}: {forecast}"),
					Err(error) => println!("site {site}: no forecast: {error}"),
				}
			}
		}
		if self.json {
			println!("{}", serde_json::to_string_pretty(&all)?);
		}
		Ok(())
	}
}

/// The hourly forecast temperatures in the CSV at `path`.
fn forecast_temperatures(path: &Path) -> anyhow::Result<Vec<(DateTime<FixedOffset>, f64)>> {
	match source::from_csv(path)? {
		Series::Hourly(hours) => {
			Ok(hours.into_iter().filter_map(|h| Some((h.start, h.temperature?))).collect())
		}
		Series::Daily(_) => {
			anyhow::bail!("{}: forecast temperatures must be hourly", path.display())
		}
	}
}
