//! The series a baseline or a forecast is made of.

use clap::Args;
use meter_bridge::baseline::{series::Series, source};
use std::path::PathBuf;

/// A site's series: from a CSV file, or from the bridge's readings of a configured site.
#[derive(Args)]
pub struct Input {
	/// CSV with `start` (RFC 3339), `energy_wh` or `energy_kwh`, `temperature_c` or
	/// `temperature_f`, one row per hour or per day.
	#[arg(long, conflicts_with = "site")]
	pub csv: Option<PathBuf>,
	#[arg(long, short, default_value = "bridge.toml")]
	pub config: PathBuf,
	/// The configured site whose readings to use.
	#[arg(long)]
	pub site: Option<String>,
}

impl Input {
	pub async fn series(&self) -> anyhow::Result<Series> {
		match (&self.csv, &self.site) {
			(Some(csv), _) => source::from_csv(csv),
			(None, Some(site)) => source::from_bridge(&crate::load(&self.config)?, site).await,
			(None, None) => anyhow::bail!("give --csv FILE or --site NAME"),
		}
	}
}
