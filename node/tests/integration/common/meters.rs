//! A meter for tests that submit readings themselves: its device key, its laboratory and the clock
//! its readings are stamped by.

use super::{within, FINALITY};
use smartblocks_client::{
	meters::{device_public, DeviceKey, MeterKind, MeterSpec, NewSite, UseType},
	subxt_signer::{
		sr25519::{dev, Keypair},
		SecretUri,
	},
	Client,
};
use std::{
	str::FromStr,
	time::{SystemTime, UNIX_EPOCH},
};

/// The device key derived from `uri` (`//building/meter`).
pub fn device(uri: &str) -> DeviceKey {
	DeviceKey::from_uri(&SecretUri::from_str(uri).unwrap()).unwrap()
}

/// Now, in ms since the epoch, as readings are stamped.
pub fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

/// Registers a laboratory with a grid meter whose device key is `meter_key`, for Alice's
/// member; returns the meter's number.
pub async fn physics_meter(client: &Client, meter_key: &DeviceKey) -> u32 {
	let building = NewSite {
		name: "Physics building",
		latitude: 48.137,
		longitude: 11.575,
		region: "DE-BY",
		floor_area: 8_400,
		use_type: UseType::Laboratory,
		time_zone: "Europe/Berlin",
	};
	grid_meter(client, &dev::alice(), &building, meter_key).await.1
}

/// Registers `building` for `owner`'s member with a grid meter (up to 250 kW) whose device key
/// is `meter_key`; returns the site's number and the meter's.
pub async fn grid_meter(
	client: &Client,
	owner: &Keypair,
	building: &NewSite<'_>,
	meter_key: &DeviceKey,
) -> (u32, u32) {
	let site =
		within("site registration", FINALITY, client.register_site(owner, building)).await.unwrap();
	let spec = MeterSpec {
		kind: MeterKind::GridImport,
		multiplier: 1,
		max_power: 250_000,
		device_key: device_public(meter_key),
	};
	let meter = within("meter registration", FINALITY, client.register_meter(owner, site, spec))
		.await
		.unwrap();
	(site, meter)
}
