//! `meter-bridge register`: the configured sites and meters on chain.

use clap::Args;
use smartblocks_client::subxt_signer::{sr25519::Keypair, SecretUri};
use std::{path::PathBuf, str::FromStr};

#[derive(Args)]
pub struct Register {
	#[arg(long, short, default_value = "bridge.toml")]
	config: PathBuf,
	/// The signing account's secret URI (a mnemonic, a 0x seed, or `//Alice` on a dev chain).
	#[arg(long, env = "SMARTBLOCKS_SURI", hide_env_values = true)]
	suri: String,
	/// Register only this configured site and its meters (repeat for several): sites of
	/// different owners register with each owner's account.
	#[arg(long = "site")]
	sites: Vec<String>,
}

impl Register {
	/// Registers what is missing and prints each site's and meter's chain number.
	pub async fn run(self) -> anyhow::Result<()> {
		let config = crate::load(&self.config)?;
		let signer = keypair(&self.suri)?;
		let done = meter_bridge::registration::register(&config, &signer, &self.sites).await?;
		for (name, id) in &done.sites {
			println!("site {name}: registered as chain site {id}");
		}
		for (name, id, key) in &done.meters {
			println!(
				"meter {name}: registered as chain meter {id} (device key 0x{})",
				hex::encode(key)
			);
		}
		for (name, id) in &done.known {
			println!("meter {name}: already chain meter {id}");
		}
		Ok(())
	}
}

fn keypair(suri: &str) -> anyhow::Result<Keypair> {
	let uri = SecretUri::from_str(suri).map_err(|e| anyhow::anyhow!("--suri: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow::anyhow!("--suri: {e}"))
}
