//! Where `baseline fit` and `forecast` get a site's series: a CSV file, or the bridge's own
//! readings, from the outbox file or, while the bridge runs and holds that file, from the
//! bridge's `GET /history`.

use super::{history, series, series::Series};
use crate::{
	config::Config,
	outbox::{Outbox, OutboxError},
};
use anyhow::Context as _;
use std::path::Path;

/// The series in a CSV file.
pub fn from_csv(path: &Path) -> anyhow::Result<Series> {
	let file = std::fs::File::open(path)
		.with_context(|| format!("{}: cannot open the file", path.display()))?;
	Ok(series::read_csv(file, &path.display().to_string())?)
}

/// `site`'s hours from the bridge's readings.
pub async fn from_bridge(config: &Config, site: &str) -> anyhow::Result<Series> {
	let path = Outbox::file_in(&config.bridge.data_dir);
	match Outbox::open(&path) {
		Ok(outbox) => Ok(Series::Hourly(history::site_hours(config, &outbox, site)?)),
		Err(OutboxError::Open { reason, .. }) if config.bridge.http.is_some() => {
			let address = config.bridge.http.as_deref().unwrap_or_default();
			tracing::info!(%reason, %address, "outbox in use: asking the running bridge");
			let path = format!("/history?site={}", crate::ask::encode(site));
			let text = crate::ask::get(config, address, &path).await?;
			let file = format!("http://{address}/history");
			Ok(Series::Hourly(series::read_hours_csv(text.as_bytes(), &file)?))
		}
		Err(error) => Err(error).with_context(|| {
			format!(
				"{}: cannot read the outbox (if the bridge is running, set bridge.http so its \
				 history can be asked for)",
				path.display()
			)
		}),
	}
}
