//! Sites, meters and what their owners and devices send: readings (well formed or not, signed by
//! the meter's key or another, with no account or relayed by any account), skips, statuses,
//! exchanges and key rotations.

use std::sync::OnceLock;

use arbitrary::Unstructured;
use frame_support::BoundedVec;
use pallet_meters::{
	signing_payload, skip_payload, Call as MetersCall, Location, Meter, MeterKind, MeterSpec,
	MeterStatus, Reading, SequenceSkip, SignedReading, SignedSkip, SiteDetails, UseType,
};
use smartblocks_runtime::{configs::meters::PERIOD_MS, Runtime, RuntimeCall};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;

use super::{account, byte, pick, send, word};
use crate::{
	chain::{Chain, ACCOUNTS},
	invariants::Finding,
};

/// Device keys the fuzzer's meters are registered with (and sign with, or forge with).
const DEVICE_KEYS: usize = 8;

/// The regions the fuzzer's sites and feeds are in.
pub(crate) const REGIONS: [&[u8]; 3] = [b"DE-BY", b"DE-BE", b"FR"];

fn device_keys() -> &'static [sr25519::Pair] {
	static KEYS: OnceLock<Vec<sr25519::Pair>> = OnceLock::new();
	KEYS.get_or_init(|| {
		(0..DEVICE_KEYS)
			.map(|index| {
				sr25519::Pair::from_string(&format!("//fuzz/meter/{index}"), None)
					.expect("a derivation path is a key")
			})
			.collect()
	})
}

/// Who acts for a site: mostly Bob, `local_testnet`'s one building owner, sometimes anyone.
fn owner(input: &mut Unstructured) -> Sr25519Keyring {
	match byte(input) {
		0..=191 => Sr25519Keyring::Bob,
		_ => account(input),
	}
}

/// One of the device keys.
fn device_key(input: &mut Unstructured) -> &'static sr25519::Pair {
	&device_keys()[usize::from(byte(input)) % DEVICE_KEYS]
}

/// A meter number, mostly of a meter that exists, and the meter if it does.
fn meter(chain: &mut Chain, input: &mut Unstructured) -> (u32, Option<Meter>) {
	let choice = u32::from(byte(input));
	chain.execute_with(|| {
		let meter = choice % pallet_meters::NextMeterId::<Runtime>::get().saturating_add(1);
		(meter, pallet_meters::Meters::<Runtime>::get(meter))
	})
}

/// The chain's clock (ms).
fn now(chain: &mut Chain) -> u64 {
	chain.execute_with(pallet_timestamp::Now::<Runtime>::get)
}

/// The index of `key` among the device keys (0 for a key not among them).
fn key_index(key: &sr25519::Public) -> usize {
	device_keys().iter().position(|pair| pair.public() == *key).unwrap_or(0)
}

pub(super) fn register_site(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let owner = owner(input);
	let zones: [&[u8]; 3] = [b"Europe/Berlin", b"UTC", b"America/New_York"];
	let details = SiteDetails {
		name: BoundedVec::truncate_from(b"Fuzzed building".to_vec()),
		location: Location {
			latitude: i32::from(byte(input)) * 300_000,
			longitude: i32::from(byte(input)) * 600_000 - 70_000_000,
			region: BoundedVec::truncate_from(pick(input, &REGIONS).to_vec()),
		},
		floor_area: word(input),
		use_type: UseType::Office,
		time_zone: BoundedVec::truncate_from(pick(input, &zones).to_vec()),
	};
	send(chain, owner, RuntimeCall::Meters(MetersCall::register_site { details }))
}

pub(super) fn register_meter(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let owner = owner(input);
	let choice = u32::from(byte(input));
	let site = chain.execute_with(|| choice % pallet_meters::NextSiteId::<Runtime>::get().max(1));
	let kinds = [
		MeterKind::GridImport,
		MeterKind::GridExport,
		MeterKind::Generation,
		MeterKind::SubMeter,
		MeterKind::Heat,
		MeterKind::Temperature,
	];
	let spec = MeterSpec {
		kind: pick(input, &kinds),
		multiplier: u32::from(byte(input) % 4).pow(3).max(1),
		max_power: word(input).saturating_mul(100),
		device_key: device_key(input).public(),
	};
	send(chain, owner, RuntimeCall::Meters(MetersCall::register_meter { site, spec }))
}

/// A meter's next readings as its bridge would send them, or not quite: from its next number
/// (or a few ahead), spread over the time since its last reading up to the chain's clock, at
/// most an hour apart (or seconds apart, or running ahead of the clock), energy within or over its power, signed by
/// its key (or another), with no account or relayed by an account.
pub(super) fn readings(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let (meter, Some(record)) = meter(chain, input) else { return Ok(()) };
	let now = now(chain);
	// A few readings, or a bridge catching up on a day: hourly readings are as far apart as a
	// reading's energy is spread over periods, and a day's 25 fit a block.
	let count = match byte(input) {
		0..=199 => 1 + u64::from(byte(input) % 8),
		_ => 25,
	};
	let ahead = match byte(input) {
		250..=255 => u64::from(byte(input) % 4),
		_ => 0,
	};
	// A meter's first readings start on a period's boundary, so that its first period counts.
	let since = record
		.last
		.map_or((now / PERIOD_MS).saturating_sub(count).saturating_mul(PERIOD_MS), |last| {
			last.timestamp
		});
	let step_ms = match byte(input) {
		0..=219 if record.last.is_none() => PERIOD_MS,
		0..=219 => (now.saturating_sub(since) / count).clamp(1_000, 4 * PERIOD_MS),
		220..=249 => 1_000 * u64::from(byte(input)),
		_ => PERIOD_MS,
	};
	let delta = u64::from(word(input));
	let forged = byte(input) > 240;
	let relay = match byte(input) {
		0..=191 => None,
		relay => Some(ACCOUNTS[usize::from(relay) % ACCOUNTS.len()]),
	};
	let key = key_index(&record.spec.device_key);
	let key = &device_keys()[if forged { (key + 1) % DEVICE_KEYS } else { key }];
	let genesis = chain.genesis_hash();
	let first = record.next_sequence().unwrap_or(u64::MAX).saturating_add(ahead);
	let (mut timestamp, mut register) = (since, record.last.map_or(0, |last| last.register));
	let batch: Vec<SignedReading> = (0..count)
		.map(|offset| {
			timestamp = timestamp.saturating_add(step_ms);
			register = register.saturating_add(delta);
			let reading = Reading {
				meter,
				sequence: first.saturating_add(offset),
				timestamp,
				register,
				demand: (delta % 3 == 0).then_some(delta as u32),
				temperature: (record.spec.kind == MeterKind::Temperature).then_some(delta as i16),
			};
			let signature = key.sign(&signing_payload(&genesis, &reading));
			SignedReading { reading, signature }
		})
		.collect();
	let call = RuntimeCall::Meters(MetersCall::submit_readings { readings: batch });
	match relay {
		Some(who) => send(chain, who, call),
		None => chain.submit(Chain::authorized(call)).map(|_| ()),
	}
}

/// A device's skip of its meter's next numbers (or numbers further on).
pub(super) fn skip(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let (meter, Some(record)) = meter(chain, input) else { return Ok(()) };
	let first =
		record.next_sequence().unwrap_or(u64::MAX).saturating_add(u64::from(byte(input) % 2));
	let last = first.saturating_add(u64::from(byte(input) % 16));
	let key = &device_keys()[key_index(&record.spec.device_key)];
	let genesis = chain.genesis_hash();
	let skip = SequenceSkip { meter, first, last };
	let signature = key.sign(&skip_payload(&genesis, &skip));
	let call =
		RuntimeCall::Meters(MetersCall::skip_sequences { skip: SignedSkip { skip, signature } });
	chain.submit(Chain::authorized(call)).map(|_| ())
}

/// A meter suspended, reinstated or retired, by its owner or anyone.
pub(super) fn set_status(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = owner(input);
	let (meter, _) = meter(chain, input);
	let statuses = [
		MeterStatus::Active,
		MeterStatus::Suspended,
		MeterStatus::Retired,
		MeterStatus::SuspendedByCouncil,
	];
	let status = pick(input, &statuses);
	send(chain, who, RuntimeCall::Meters(MetersCall::set_meter_status { meter, status }))
}

/// A meter's exchange declared: at a time after its last reading up to the clock (or outside
/// that), the old register closed a little on (or below its last), a new baseline, perhaps a
/// new key.
pub(super) fn exchange(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = owner(input);
	let (meter, record) = meter(chain, input);
	let now = now(chain);
	let last = record.and_then(|record| record.last);
	let since = last.map_or(now.saturating_sub(60_000), |last| last.timestamp);
	let at = match byte(input) {
		0..=219 => since.saturating_add(now.saturating_sub(since) / 2).max(since + 1),
		220..=239 => now.saturating_add(1),
		_ => now.saturating_sub(u64::from(word(input)) * 1_000),
	};
	let last_register = last.map_or(0, |last| last.register);
	let final_register = match byte(input) {
		0..=239 => last_register.saturating_add(u64::from(word(input))),
		_ => last_register.saturating_sub(1),
	};
	let baseline = u64::from(word(input));
	let device_key = (byte(input) > 200).then(|| device_key(input).public());
	let call = MetersCall::declare_exchange { meter, final_register, baseline, at, device_key };
	send(chain, who, RuntimeCall::Meters(call))
}

/// A meter's device key replaced, by its owner or anyone.
pub(super) fn rotate_key(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = owner(input);
	let (meter, _) = meter(chain, input);
	let device_key = device_key(input).public();
	send(chain, who, RuntimeCall::Meters(MetersCall::rotate_device_key { meter, device_key }))
}
