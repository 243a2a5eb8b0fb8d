//! What the fuzzer does, read from its input: time passing (a block at the next slot or days
//! later), transfers, sites and meters registered, readings (well formed or not, signed by the
//! meter's key or another, with no account or relayed by any account), skips, meters suspended
//! and retired, and any call the input's bytes decode to, from any account or none.

use std::sync::OnceLock;

use arbitrary::Unstructured;
use codec::DecodeLimit;
use frame_support::BoundedVec;
use pallet_meters::{
	signing_payload, skip_payload, Location, MeterKind, MeterSpec, MeterStatus, Reading,
	SequenceSkip, SignedReading, SignedSkip, SiteDetails, UseType,
};
use smartblocks_runtime::{currency::UNIT, Runtime, RuntimeCall};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;
use sp_runtime::MultiAddress;

use crate::{
	chain::{Chain, ACCOUNTS},
	invariants::Finding,
};

/// Device keys the fuzzer's meters are registered with (and sign with, or forge with).
const DEVICE_KEYS: usize = 8;

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

/// One step of a run; `Ok(false)` when the input is used up.
pub fn step(chain: &mut Chain, input: &mut Unstructured) -> Result<bool, Finding> {
	// arbitrary reads zeros from an input that is used up: the run ends there.
	if input.is_empty() {
		return Ok(false);
	}
	let Ok(choice) = input.int_in_range(0u8..=8) else { return Ok(false) };
	// An input too short for the action's arguments reads zeros: still an action.
	let extrinsic = match choice {
		0 => return next_block(chain, input).map(|()| true),
		1 => {
			let (from, to) = (account(input), account(input));
			let amount = u128::from(byte(input)) * UNIT / 10 + u128::from(word(input));
			let dest = MultiAddress::Id(to.to_account_id());
			let call = pallet_balances::Call::transfer_keep_alive { dest, value: amount };
			chain.signed(from, RuntimeCall::Balances(call))
		}
		2 => {
			let owner = account(input);
			chain.signed(owner, RuntimeCall::Meters(register_site(input)))
		}
		3 => {
			let owner = account(input);
			let site = u32::from(byte(input) % 8);
			let kinds = [
				MeterKind::GridImport,
				MeterKind::GridExport,
				MeterKind::Generation,
				MeterKind::SubMeter,
				MeterKind::Heat,
				MeterKind::Temperature,
			];
			let kind = kinds[usize::from(byte(input)) % kinds.len()];
			let key = &device_keys()[usize::from(byte(input)) % DEVICE_KEYS];
			let spec = MeterSpec {
				kind,
				multiplier: u32::from(byte(input) % 4).pow(3).max(1),
				max_power: word(input).saturating_mul(100),
				device_key: key.public(),
			};
			chain.signed(
				owner,
				RuntimeCall::Meters(pallet_meters::Call::register_meter { site, spec }),
			)
		}
		4 => return readings(chain, input).map(|()| true),
		5 => return skip(chain, input).map(|()| true),
		6 => {
			let who = account(input);
			let meter = u32::from(byte(input) % 8);
			let statuses = [
				MeterStatus::Active,
				MeterStatus::Suspended,
				MeterStatus::Retired,
				MeterStatus::SuspendedByCouncil,
			];
			let status = statuses[usize::from(byte(input)) % statuses.len()];
			chain.signed(
				who,
				RuntimeCall::Meters(pallet_meters::Call::set_meter_status { meter, status }),
			)
		}
		_ => {
			// Any call the bytes decode to, from an account or as a transaction with no account.
			let who = byte(input);
			let len = usize::from(byte(input));
			let bytes = input.bytes(len.min(input.len())).unwrap_or_default();
			// As deep as the runtime decodes a transaction's call (sp_api's MAX_EXTRINSIC_DEPTH).
			let Ok(call) = RuntimeCall::decode_with_depth_limit(256, &mut &bytes[..]) else {
				return Ok(true);
			};
			match who % 8 {
				6 | 7 => Chain::authorized(call),
				index => chain.signed(ACCOUNTS[usize::from(index)], call),
			}
		}
	};
	// Whether the block took it or left it out, the invariants hold.
	let _applied = chain.submit(extrinsic)?;
	Ok(true)
}

/// A byte of the input, 0 once it is used up.
fn byte(input: &mut Unstructured) -> u8 {
	input.arbitrary().unwrap_or(0)
}

/// Two bytes of the input, 0 once it is used up.
fn word(input: &mut Unstructured) -> u32 {
	u32::from(input.arbitrary::<u16>().unwrap_or(0))
}

fn account(input: &mut Unstructured) -> Sr25519Keyring {
	ACCOUNTS[usize::from(byte(input)) % ACCOUNTS.len()]
}

/// Closes the block and opens the next: mostly at the next slot, sometimes hours or days on.
fn next_block(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let slots = match byte(input) {
		0..=199 => 1,
		200..=239 => 1 + u64::from(byte(input)),
		_ => 1 + u64::from(word(input)),
	};
	chain.next_block(slots)
}

fn register_site(input: &mut Unstructured) -> pallet_meters::Call<Runtime> {
	let regions: [&[u8]; 3] = [b"DE-BY", b"DE-BE", b"FR"];
	let zones: [&[u8]; 3] = [b"Europe/Berlin", b"UTC", b"America/New_York"];
	let details = SiteDetails {
		name: BoundedVec::truncate_from(b"Fuzzed building".to_vec()),
		location: Location {
			latitude: i32::from(byte(input)) * 300_000,
			longitude: i32::from(byte(input)) * 600_000 - 70_000_000,
			region: BoundedVec::truncate_from(regions[usize::from(byte(input)) % 3].to_vec()),
		},
		floor_area: word(input),
		use_type: UseType::Office,
		time_zone: BoundedVec::truncate_from(zones[usize::from(byte(input)) % 3].to_vec()),
	};
	pallet_meters::Call::register_site { details }
}

/// A meter's next readings as its bridge would send them, or not quite: from its next number
/// (or a few ahead), minutes apart (or seconds, or ahead of the chain's clock), energy within or
/// over its power, signed by its key (or another), with no account or relayed by an account.
fn readings(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let meter = u32::from(byte(input) % 8);
	let Some((record, now)) = chain.execute_with(|| {
		pallet_meters::Meters::<Runtime>::get(meter)
			.map(|r| (r, pallet_timestamp::Now::<Runtime>::get()))
	}) else {
		return Ok(());
	};
	let count = 1 + usize::from(byte(input) % 8);
	let ahead = match byte(input) {
		250..=255 => u64::from(byte(input) % 4),
		_ => 0,
	};
	let step_ms = match byte(input) {
		0..=199 => 60_000,
		200..=239 => 1_000 * u64::from(byte(input)),
		_ => 900_000,
	};
	let delta = u64::from(word(input));
	let forged = byte(input) > 240;
	let relay = match byte(input) {
		0..=191 => None,
		relay => Some(ACCOUNTS[usize::from(relay) % ACCOUNTS.len()]),
	};
	let keys = device_keys();
	let key = keys
		.iter()
		.position(|key| key.public() == record.spec.device_key)
		.map_or(0, |index| if forged { (index + 1) % DEVICE_KEYS } else { index });
	let genesis = chain.genesis_hash();
	let first = record.next_sequence().unwrap_or(u64::MAX).saturating_add(ahead);
	let (mut timestamp, mut register) = match record.last {
		Some(last) => (last.timestamp, last.register),
		None => (now.saturating_sub(step_ms * count as u64), 0),
	};
	let batch: Vec<SignedReading> = (0..count as u64)
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
			let signature = keys[key].sign(&signing_payload(&genesis, &reading));
			SignedReading { reading, signature }
		})
		.collect();
	let call = RuntimeCall::Meters(pallet_meters::Call::submit_readings { readings: batch });
	let extrinsic = match relay {
		Some(who) => chain.signed(who, call),
		None => Chain::authorized(call),
	};
	chain.submit(extrinsic).map(|_| ())
}

/// A device's skip of its meter's next numbers (or numbers further on).
fn skip(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let meter = u32::from(byte(input) % 8);
	let Some(record) = chain.execute_with(|| pallet_meters::Meters::<Runtime>::get(meter)) else {
		return Ok(());
	};
	let first =
		record.next_sequence().unwrap_or(u64::MAX).saturating_add(u64::from(byte(input) % 2));
	let last = first.saturating_add(u64::from(byte(input) % 16));
	let key = device_keys()
		.iter()
		.find(|key| key.public() == record.spec.device_key)
		.unwrap_or(&device_keys()[0]);
	let genesis = chain.genesis_hash();
	let skip = SequenceSkip { meter, first, last };
	let signature = key.sign(&skip_payload(&genesis, &skip));
	let call = RuntimeCall::Meters(pallet_meters::Call::skip_sequences {
		skip: SignedSkip { skip, signature },
	});
	chain.submit(Chain::authorized(call)).map(|_| ())
}
