//! `meter-bridge register`: puts the config's sites and meters on chain for the member whose
//! account signs, each meter with its device key (made if the bridge has none yet). Whatever is
//! on chain already is left alone, so it can be run again after adding meters.

use crate::{
	config::{Config, Kind, SiteConfig, SiteUse},
	keys,
	outbox::{Outbox, OutboxError},
};
use anyhow::Context as _;
use smartblocks_client::{
	meters::{MeterKind, MeterSpec, NewSite, UseType},
	subxt_signer::sr25519::Keypair,
	Client,
};
use std::collections::BTreeMap;

/// What `register` did, for the operator.
#[derive(Debug, Default)]
pub struct Registered {
	/// Sites registered now: (name, chain site).
	pub sites: Vec<(String, u32)>,
	/// Meters registered now: (name, chain meter, device key).
	pub meters: Vec<(String, u32, [u8; 32])>,
	/// Meters that were on chain already: (name, chain meter).
	pub known: Vec<(String, u32)>,
}

/// Registers the sites and meters of `config` not on chain yet, signed by `owner`: those of
/// `only` (site names) when it names any, else all.
pub async fn register(
	config: &Config,
	owner: &Keypair,
	only: &[String],
) -> anyhow::Result<Registered> {
	if let Some(unknown) = only.iter().find(|name| !config.sites.iter().any(|s| s.name == **name)) {
		anyhow::bail!("--site {unknown}: the configuration has no site of that name");
	}
	let chosen = |site: &str| only.is_empty() || only.iter().any(|name| name == site);
	let data_dir = &config.bridge.data_dir;
	std::fs::create_dir_all(data_dir)
		.with_context(|| format!("{}: cannot create the data directory", data_dir.display()))?;
	let outbox = Outbox::open(&Outbox::file_in(data_dir))?;
	let client = Client::connect(&config.bridge.node).await?;
	let mut done = Registered::default();

	let mut unregistered = Vec::new();
	let key_dir = data_dir.join("keys");
	for meter in config.identities().into_iter().filter(|meter| chosen(meter.site)) {
		let key = keys::load_or_create(&key_dir, meter.name)?;
		let public = key.keypair.public_key().0;
		match client.meter_of_key(public).await? {
			Some(info) => done.known.push((meter.name.to_string(), info.id)),
			None => unregistered.push((meter, public)),
		}
	}

	let mut site_ids: BTreeMap<&str, u32> = BTreeMap::new();
	let mut new_sites = Vec::new();
	for site in &config.sites {
		if !unregistered.iter().any(|(meter, _)| meter.site == site.name) {
			continue;
		}
		match chain_site(&outbox, site)? {
			Some(id) => {
				site_ids.insert(&site.name, id);
			}
			None => new_sites.push(site),
		}
	}
	let details: Vec<NewSite> = new_sites.iter().map(|site| new_site(site)).collect();
	if !details.is_empty() {
		let ids = client.register_sites(owner, &details).await?;
		for (site, id) in new_sites.iter().zip(ids) {
			outbox.keep_fact(&site_fact(&site.name), &id)?;
			site_ids.insert(&site.name, id);
			done.sites.push((site.name.clone(), id));
		}
	}

	let mut specs = Vec::new();
	for (meter, public) in &unregistered {
		let site = *site_ids.get(meter.site).context("every meter's site is checked")?;
		let spec = MeterSpec {
			kind: meter_kind(meter.kind),
			multiplier: meter.multiplier,
			max_power: meter.max_power.unwrap_or_default(),
			device_key: *public,
		};
		specs.push((site, spec));
	}
	if !specs.is_empty() {
		let ids = client.register_meters(owner, specs).await?;
		for ((meter, public), id) in unregistered.iter().zip(ids) {
			done.meters.push((meter.name.to_string(), id, *public));
		}
	}
	Ok(done)
}

/// The fact holding the chain number of the config's site `name`.
fn site_fact(name: &str) -> String {
	format!("site:{name}")
}

/// The chain's number of `site`: the configuration's, else the one this bridge registered.
pub fn chain_site(outbox: &Outbox, site: &SiteConfig) -> Result<Option<u32>, OutboxError> {
	Ok(site.chain_site.or(outbox.fact::<u32>(&site_fact(&site.name))?))
}

fn new_site(site: &SiteConfig) -> NewSite<'_> {
	NewSite {
		name: &site.name,
		latitude: site.latitude,
		longitude: site.longitude,
		region: &site.region,
		floor_area: site.floor_area,
		use_type: use_type(site.use_type),
		time_zone: &site.time_zone,
	}
}

fn use_type(use_type: SiteUse) -> UseType {
	match use_type {
		SiteUse::Office => UseType::Office,
		SiteUse::Education => UseType::Education,
		SiteUse::Laboratory => UseType::Laboratory,
		SiteUse::Residential => UseType::Residential,
		SiteUse::Retail => UseType::Retail,
		SiteUse::Healthcare => UseType::Healthcare,
		SiteUse::Hotel => UseType::Hotel,
		SiteUse::Sports => UseType::Sports,
		SiteUse::Industrial => UseType::Industrial,
		SiteUse::Warehouse => UseType::Warehouse,
		SiteUse::DataCentre => UseType::DataCentre,
		SiteUse::Mixed => UseType::Mixed,
		SiteUse::Other => UseType::Other,
	}
}

fn meter_kind(kind: Kind) -> MeterKind {
	match kind {
		Kind::GridImport => MeterKind::GridImport,
		Kind::GridExport => MeterKind::GridExport,
		Kind::Generation => MeterKind::Generation,
		Kind::SubMeter => MeterKind::SubMeter,
		Kind::Heat => MeterKind::Heat,
		Kind::Temperature => MeterKind::Temperature,
	}
}
