//! The runtime as the node loads it: genesis presets built through the wasm blob, metadata that
//! polkadot-js and subxt read, and the pallets' integrity tests.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codec::Decode;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use frame_support::traits::IntegrityTest;
use sc_chain_spec::GenesisConfigBuilderRuntimeCaller;
use smartblocks_runtime::{
	genesis_config_presets::{DEVELOPMENT_SESSION_LENGTH, LOCAL_TESTNET_SESSION_LENGTH},
	AllPalletsWithSystem, Runtime, WASM_BINARY,
};
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_io::TestExternalities;

/// The metadata the shared client is generated from; `client/build.rs` never regenerates it.
const CLIENT_METADATA: &str =
	concat!(env!("CARGO_MANIFEST_DIR"), "/../client/metadata/smartblocks.scale");
/// The metadata version the client's codegen reads.
const CLIENT_METADATA_VERSION: u32 = 16;

fn runtime_caller() -> GenesisConfigBuilderRuntimeCaller<'static> {
	GenesisConfigBuilderRuntimeCaller::new(
		WASM_BINARY.expect("the runtime was built with its wasm"),
	)
}

/// Genesis state of the named preset, built by the wasm runtime as `--chain` would.
fn preset_state(name: &str) -> TestExternalities {
	let storage = runtime_caller()
		.get_storage_for_named_preset(Some(&name.to_string()))
		.unwrap_or_else(|e| panic!("preset {name} does not build: {e}"));
	TestExternalities::new(storage)
}

#[test]
fn runtime_offers_exactly_the_documented_presets() {
	let mut names: Vec<String> = runtime_caller()
		.preset_names()
		.unwrap()
		.into_iter()
		.map(|id| String::from_utf8(AsRef::<[u8]>::as_ref(&id).to_vec()).unwrap())
		.collect();
	names.sort();
	assert_eq!(
		names,
		vec![DEV_RUNTIME_PRESET.to_string(), LOCAL_TESTNET_RUNTIME_PRESET.to_string()]
	);
}

#[test]
fn development_preset_has_one_validator_and_a_sudo_key() {
	preset_state(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = sp_keyring::Sr25519Keyring::Alice.to_account_id();
		assert_eq!(pallet_session::Validators::<Runtime>::get(), vec![alice.clone()]);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		assert!(pallet_balances::Pallet::<Runtime>::free_balance(&alice) > 0);
		assert_eq!(
			smartblocks_runtime::session_length::Length::<Runtime>::get(),
			DEVELOPMENT_SESSION_LENGTH
		);
	});
}

#[test]
fn local_testnet_preset_has_four_validators_and_no_sudo_key() {
	preset_state(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let expected: Vec<_> = [
			sp_keyring::Sr25519Keyring::Alice,
			sp_keyring::Sr25519Keyring::Bob,
			sp_keyring::Sr25519Keyring::Charlie,
			sp_keyring::Sr25519Keyring::Dave,
		]
		.into_iter()
		.map(|k| k.to_account_id())
		.collect();
		assert_eq!(pallet_session::Validators::<Runtime>::get(), expected);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_grandpa::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(
			smartblocks_runtime::session_length::Length::<Runtime>::get(),
			LOCAL_TESTNET_SESSION_LENGTH
		);
	});
}

/// The node's `--dev` and `--chain local` specs carry the preset as the runtime compiled into the
/// node gives it (node/src/chain_spec.rs), not as the wasm does: both must be the same JSON.
#[test]
fn the_native_presets_are_the_wasms() {
	let caller = runtime_caller();
	for name in smartblocks_runtime::genesis_config_presets::preset_names() {
		let native = smartblocks_runtime::genesis_config_presets::get_preset(&name).unwrap();
		let native: serde_json::Value = serde_json::from_slice(&native).unwrap();
		let wasm = caller.get_named_preset(Some(&name)).unwrap();
		assert_eq!(native, wasm, "preset {name}");
	}
}

#[test]
fn unknown_preset_is_refused() {
	assert!(runtime_caller().get_named_preset(Some(&"mainnet".to_string())).is_err());
}

#[test]
fn integrity_tests_pass() {
	TestExternalities::new_empty().execute_with(AllPalletsWithSystem::integrity_test);
}

fn metadata_at(version: u32) -> RuntimeMetadataPrefixed {
	let opaque = Runtime::metadata_at_version(version)
		.unwrap_or_else(|| panic!("runtime offers no metadata V{version}"));
	RuntimeMetadataPrefixed::decode(&mut &opaque[..]).expect("metadata decodes")
}

#[test]
fn metadata_v15_and_v16_decode_with_our_pallets() {
	assert!(Runtime::metadata_versions().contains(&15));
	assert!(Runtime::metadata_versions().contains(&16));
	match metadata_at(15).1 {
		RuntimeMetadata::V15(m) => {
			let names: Vec<_> = m.pallets.iter().map(|p| p.name.as_str()).collect();
			for pallet in ["System", "Aura", "Grandpa", "Balances", "Session", "Sudo"] {
				assert!(names.contains(&pallet), "{pallet} missing from V15 metadata: {names:?}");
			}
		}
		other => panic!("asked for V15, got V{}", other.version()),
	}
	match metadata_at(16).1 {
		RuntimeMetadata::V16(m) => assert!(m.pallets.iter().any(|p| p.name == "Balances")),
		other => panic!("asked for V16, got V{}", other.version()),
	}
}

/// The shared client is generated from `client/metadata/smartblocks.scale`. This fails when the
/// runtime changed and the file did not; `SMARTBLOCKS_BLESS=1` writes the current metadata.
#[test]
fn client_metadata_matches_the_runtime() {
	let current = Runtime::metadata_at_version(CLIENT_METADATA_VERSION)
		.expect("runtime offers the client's metadata version");
	let current: &[u8] = &current;
	if std::env::var_os("SMARTBLOCKS_BLESS").is_some() {
		std::fs::write(CLIENT_METADATA, current).expect("write client metadata");
		return;
	}
	let committed = std::fs::read(CLIENT_METADATA).unwrap_or_default();
	assert!(
		committed == current,
		"{CLIENT_METADATA} is stale: run `SMARTBLOCKS_BLESS=1 scripts/test -- client_metadata` \
		 and commit the file"
	);
}

/// What filling the block's room for normal transactions with `call` costs in fees.
fn fee_of_a_block_of(call: smartblocks_runtime::RuntimeCall) -> u128 {
	use frame_support::dispatch::GetDispatchInfo;
	use smartblocks_runtime::configs::{RuntimeBlockLength, RuntimeBlockWeights};
	let info = call.get_dispatch_info();
	// The signed extrinsic: the call, an address, a signature and the extensions' data.
	let length = codec::Encode::encoded_size(&call) as u32 + 110;
	let class = frame_support::dispatch::DispatchClass::Normal;
	let weights = RuntimeBlockWeights::get();
	let room = weights.get(class).max_total.unwrap_or(weights.max_block);
	let per_call = info.total_weight().saturating_add(weights.get(class).base_extrinsic);
	let by_weight = room.ref_time() / per_call.ref_time().max(1);
	let by_length = u64::from(*RuntimeBlockLength::get().max.get(class)) / u64::from(length);
	let fee = TestExternalities::new_empty().execute_with(|| {
		pallet_transaction_payment::Pallet::<Runtime>::compute_fee(length, &info, 0)
	});
	fee * u128::from(by_weight.min(by_length))
}

/// A non-member may apply for membership (and withdraw) with nothing but a balance, so what a
/// block of such calls costs is what spam costs: a sum a member notices, not a rounding error.
#[test]
fn a_block_of_spam_costs_a_member_visible_amount() {
	use pallet_registry::{Call as RegistryCall, Role, RoleSet};
	use smartblocks_runtime::{currency::UNIT, RuntimeCall};
	let apply = RuntimeCall::Registry(RegistryCall::apply {
		name: b"Spam Ltd".to_vec(),
		roles: RoleSet::of(&[Role::Esco]),
		contact: sp_core::H256::zero(),
	});
	let withdraw = RuntimeCall::Registry(RegistryCall::withdraw_application {});
	for call in [apply, withdraw] {
		let fee = fee_of_a_block_of(call);
		assert!(fee >= 100 * UNIT, "a block of spam costs {} SBT", fee / UNIT);
	}
	// The longest name a block's length allows costs as much in length fees.
	let huge = RuntimeCall::Registry(RegistryCall::apply {
		name: vec![b'x'; 3_000_000],
		roles: RoleSet::of(&[Role::Esco]),
		contact: sp_core::H256::zero(),
	});
	assert!(fee_of_a_block_of(huge) >= 100 * UNIT);
}

/// Settling is charged the costliest template kind at the largest contract it allows; that
/// charge must still fit one normal transaction, or the largest contracts could never settle.
#[test]
fn the_costliest_settlement_fits_a_block() {
	use smartblocks_runtime::configs::RuntimeBlockWeights;
	let class = frame_support::dispatch::DispatchClass::Normal;
	let limit = RuntimeBlockWeights::get().get(class).max_extrinsic.unwrap();
	let worst = pallet_energy_contracts::Pallet::<Runtime>::worst_settlement_weight();
	assert!(worst.all_lte(limit), "settlement {worst:?} exceeds a transaction's {limit:?}");
}

/// The runtime hands the meters pallet's completeness reports to the registry: a day that a
/// member's meter owed and left empty costs the member reputation in an idle block.
#[test]
fn an_idle_block_reports_a_silent_meters_day_to_the_registry() {
	use frame_support::{assert_ok, traits::Hooks, weights::Weight, BoundedVec};
	use pallet_meters::types::{Location, MeterKind, MeterSpec, SiteDetails, UseType, DAY_MS};
	use pallet_registry::ReputationCause;
	use smartblocks_runtime::{Meters, RuntimeOrigin};
	preset_state(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = sp_keyring::Sr25519Keyring::Alice.to_account_id();
		let member = pallet_registry::AccountOf::<Runtime>::get(&alice).unwrap();
		let score = || pallet_registry::Members::<Runtime>::get(member).unwrap().score;
		let before = score();
		// Noon (UTC) of a day in 2027: the meter owes the next day.
		let noon = 1_810_425_600_000 + DAY_MS / 2;
		pallet_timestamp::Now::<Runtime>::put(noon);
		let details = SiteDetails {
			name: BoundedVec::truncate_from(b"Main hall".to_vec()),
			location: Location {
				latitude: 52_520_000,
				longitude: 13_405_000,
				region: BoundedVec::truncate_from(b"DE-BE".to_vec()),
			},
			floor_area: 12_000,
			use_type: UseType::Education,
			time_zone: BoundedVec::truncate_from(b"Europe/Berlin".to_vec()),
		};
		let origin = RuntimeOrigin::signed(alice);
		assert_ok!(Meters::register_site(origin.clone(), details));
		let device_key = sp_keyring::Sr25519Keyring::Ferdie.public();
		let spec = MeterSpec {
			kind: MeterKind::GridImport,
			multiplier: 1,
			max_power: 100_000,
			device_key,
		};
		assert_ok!(Meters::register_meter(origin, 0, spec));

		pallet_timestamp::Now::<Runtime>::put(noon + 3 * DAY_MS);
		// One round reports the day of registration (owed nothing), the next the day after.
		<Meters as Hooks<u32>>::on_idle(2, Weight::MAX);
		assert_eq!(score(), before);
		<Meters as Hooks<u32>>::on_idle(3, Weight::MAX);
		assert_eq!(score(), before - 15);
		let history = pallet_registry::ReputationHistory::<Runtime>::get(member);
		let last = history.last().unwrap();
		assert_eq!(last.cause, ReputationCause::DataCompleteness { per_mille: 0 });
	});
}
