//! `meter-bridge import`: a site's interval data from before the bridge into its history store.

use clap::Args;
use meter_bridge::run::now_ms;
use std::path::PathBuf;

#[derive(Args)]
pub struct Import {
	#[arg(long, short, default_value = "bridge.toml")]
	config: PathBuf,
	/// The configured site the files measure.
	#[arg(long)]
	site: String,
	/// Green Button (ESPI XML: forward and reverse flow, Wh, in UTC) or CSV: `start`,
	/// optionally `end` (else each row is an hour), any of `energy` (the site's use),
	/// `import`, `export`, `generation` as `_wh` or `_kwh`, and `temperature_c` or
	/// `temperature_f`.
	#[arg(required = true)]
	files: Vec<PathBuf>,
	/// CSV times are local times on the site's clock in this format (e.g.
	/// "%Y-%m-%d %H:%M"); without it, RFC 3339 with offset.
	#[arg(long)]
	time_format: Option<String>,
	/// Take the file's values for hours the store holds with others (a utility's corrected
	/// data); without it, such a file is refused whole.
	#[arg(long)]
	replace: bool,
}

impl Import {
	/// Imports the files and prints what each brought.
	pub fn run(self) -> anyhow::Result<()> {
		let config = crate::load(&self.config)?;
		let said = meter_bridge::import::import_files(
			&config,
			&self.site,
			&self.files,
			self.time_format.as_deref(),
			self.replace,
			now_ms(),
		)?;
		for line in said {
			println!("{line}");
		}
		Ok(())
	}
}
