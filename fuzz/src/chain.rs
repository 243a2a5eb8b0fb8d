//! The real runtime on `local_testnet`'s genesis, driven as a block author drives it: each block
//! initialized with an Aura slot, its timestamp inherent, the transactions, then finalized.

use std::{
	collections::BTreeMap,
	sync::{Arc, OnceLock},
};

use codec::Encode;
use frame_support::storage::{with_transaction_unchecked, TransactionOutcome};
use frame_system::offchain::{CreateAuthorizedTransaction, CreateSignedTransaction};
use smartblocks_runtime::time::SLOT_DURATION;
use smartblocks_runtime::{
	genesis_config_presets::get_preset, AccountId, BuildStorage, Executive, Header, Runtime,
	RuntimeCall, RuntimeGenesisConfig, System, UncheckedExtrinsic,
};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{hexdisplay::HexDisplay, sr25519, storage::Storage, Pair, H256};
use sp_genesis_builder::{PresetId, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_io::TestExternalities;
use sp_keyring::Sr25519Keyring;
use sp_keystore::{testing::MemoryKeystore, KeystoreExt, KeystorePtr};
use sp_runtime::{
	traits::{Dispatchable, Header as _},
	transaction_validity::TransactionSource,
	ApplyExtrinsicResult, Digest, DigestItem, MultiSigner,
};

use crate::{
	energy,
	invariants::{self, Finding, Ledger},
};

/// The accounts the fuzzer acts as: the four founders of `local_testnet` (members, council,
/// validators) and two outsiders.
pub const ACCOUNTS: [Sr25519Keyring; 6] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
];

/// The first block's slot: Monday 2026-01-05 00:00 UTC, so that runs are the same every day.
const FIRST_SLOT: u64 = 1_767_571_200_000 / SLOT_DURATION;

/// `local_testnet`'s genesis state, built natively from the preset the node uses (the runtime's
/// tests check the native presets equal the wasm's), once per process.
fn genesis() -> &'static Storage {
	static GENESIS: OnceLock<Storage> = OnceLock::new();
	GENESIS.get_or_init(|| {
		let patch = get_preset(&PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET))
			.expect("the runtime has the local_testnet preset");
		let mut config = serde_json::to_value(RuntimeGenesisConfig::default())
			.expect("the default genesis config serializes");
		merge(&mut config, serde_json::from_slice(&patch).expect("the preset is JSON"));
		serde_json::from_value::<RuntimeGenesisConfig>(config)
			.expect("the preset patches the default genesis config")
			.build_storage()
			.expect("the genesis state builds")
	})
}

/// The accounts' keys for signing, made once per process: deriving them from their seeds costs
/// more than a short run.
fn keystore() -> KeystorePtr {
	static KEYSTORE: OnceLock<KeystorePtr> = OnceLock::new();
	KEYSTORE
		.get_or_init(|| {
			let keystore = MemoryKeystore::new();
			for account in ACCOUNTS {
				// The memory keystore derives a key from its secret at every signature: given as
				// `//Alice`, that is the development phrase's 2,048 rounds of PBKDF2 each time
				// (two thirds of a run's time); the derived seed in hex costs one hash.
				let (pair, seed) = sr25519::Pair::from_string_with_seed(&account.to_seed(), None)
					.expect("a well-known account's seed derives");
				let seed = seed.expect("a hard derivation yields a seed");
				sp_keystore::Keystore::insert(
					&keystore,
					pallet_energy_oracle::KEY_TYPE,
					&format!("0x{}", HexDisplay::from(&seed)),
					pair.public().as_ref(),
				)
				.expect("the memory keystore takes a key");
			}
			Arc::new(keystore)
		})
		.clone()
}

/// Patches `base` with `patch` as a chain spec's genesis patch is applied: objects key by key,
/// anything else replaced.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// A chain from genesis, one block open at a time.
pub struct Chain {
	ext: TestExternalities,
	parent: H256,
	number: u32,
	slot: u64,
	ledger: Ledger,
	/// What became of the transactions submitted so far.
	pub tally: Tally,
	/// How many events of each kind the blocks emitted, when counted.
	pub census: Option<BTreeMap<String, u32>>,
}

/// What became of the transactions a run submitted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
	/// In a block, their call succeeding.
	pub succeeded: u32,
	/// In a block, their call failing (fees paid, state unchanged but for them).
	pub failed: u32,
	/// Left out of the block: invalid there (a bad signature, nonce, fee or authorization).
	pub left_out: u32,
}

impl Default for Chain {
	fn default() -> Self {
		Self::new()
	}
}

impl Chain {
	/// `local_testnet` at genesis, with the accounts' keys in the keystore for signing, and the
	/// first block open.
	pub fn new() -> Self {
		let mut ext = TestExternalities::new(genesis().clone());
		ext.register_extension(KeystoreExt::from(keystore()));
		let parent = ext.execute_with(|| System::block_hash(0));
		let mut chain = Self {
			ext,
			parent,
			number: 0,
			slot: FIRST_SLOT - 1,
			ledger: Ledger::default(),
			tally: Tally::default(),
			census: None,
		};
		chain.open_block(1);
		chain
	}

	/// Runs `f` in the chain's state.
	pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// The number of the open block.
	pub fn number(&self) -> u32 {
		self.number
	}

	/// Finalizes the open block, checks every invariant, and opens the next `slots` slots later.
	pub fn next_block(&mut self, slots: u64) -> Result<(), Finding> {
		self.close_block()?;
		self.open_block(slots.max(1));
		Ok(())
	}

	fn open_block(&mut self, slots: u64) {
		self.number += 1;
		self.slot = self.slot.saturating_add(slots);
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(self.slot).encode())],
		};
		let header = Header::new(self.number, H256::zero(), H256::zero(), self.parent, digest);
		let now = self.slot * SLOT_DURATION;
		let ledger = &mut self.ledger;
		self.ext.execute_with(|| {
			let applied = ledger.timed(|| {
				let _mode = Executive::initialize_block(&header);
				let inherent = RuntimeCall::Timestamp(pallet_timestamp::Call::set { now });
				Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(inherent))
			});
			assert!(matches!(applied, Ok(Ok(()))), "the timestamp inherent failed: {applied:?}");
		});
	}

	fn close_block(&mut self) -> Result<(), Finding> {
		let ledger = &mut self.ledger;
		let header = self.ext.execute_with(|| ledger.timed(Executive::finalize_block));
		self.parent = header.hash();
		self.ext.execute_with(|| invariants::after_block(ledger))?;
		if let Some(census) = &mut self.census {
			self.ext.execute_with(|| count_events(census));
		}
		// Only what the block wrote stays: the next block starts from a committed state, as a
		// node's would.
		self.ext.commit_all().expect("the test externalities commit");
		Ok(())
	}

	/// `call` signed by `who` at its account's next nonce, as its wallet would sign it.
	pub fn signed(&mut self, who: Sr25519Keyring, call: RuntimeCall) -> UncheckedExtrinsic {
		self.ext.execute_with(|| {
			let account: AccountId = who.to_account_id();
			let nonce = System::account_nonce(&account);
			<Runtime as CreateSignedTransaction<RuntimeCall>>::create_signed_transaction::<
				pallet_energy_oracle::crypto::ProviderKey,
			>(call, MultiSigner::from(who.public()), account, nonce)
			.expect("the keystore signs for the fuzzer's accounts")
		})
	}

	/// `call` as a general transaction with no account, as a bridge sends readings.
	pub fn authorized(call: RuntimeCall) -> UncheckedExtrinsic {
		<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_authorized_transaction(call)
	}

	/// Offers `extrinsic` to the pool, then applies it in the open block as a block author does:
	/// in a storage transaction, rolled back if the block cannot take it (whatever its checks
	/// wrote before refusing it). A hostile author includes what the pool refuses too; what the
	/// pool found ready must go in (unless the block is full), or anyone could fill the pool and
	/// the network with transactions that cost nothing. The weight the call declared is checked
	/// against what dispatching it reports.
	pub fn submit(
		&mut self,
		extrinsic: UncheckedExtrinsic,
	) -> Result<ApplyExtrinsicResult, Finding> {
		let parent = self.parent;
		let ledger = &mut self.ledger;
		let applied = self.ext.execute_with(|| {
			let validity = with_transaction_unchecked(|| {
				TransactionOutcome::Rollback(Executive::validate_transaction(
					TransactionSource::External,
					extrinsic.clone(),
					parent,
				))
			});
			invariants::declared_weight_covers_dispatch(&extrinsic)?;
			let call = extrinsic.function.clone();
			let meters = energy::before();
			let applied = with_transaction_unchecked(|| {
				let applied = ledger.timed(|| Executive::apply_extrinsic(extrinsic));
				match applied {
					Ok(_) => TransactionOutcome::Commit(applied),
					Err(_) => TransactionOutcome::Rollback(applied),
				}
			});
			invariants::ready_goes_in(&validity, &applied, &call)?;
			if applied.is_ok() {
				ledger.odometers.after(&call, meters);
			}
			Ok::<_, Finding>(applied)
		})?;
		match applied {
			Ok(Ok(())) => self.tally.succeeded += 1,
			Ok(Err(_)) => self.tally.failed += 1,
			Err(_) => self.tally.left_out += 1,
		}
		Ok(applied)
	}

	/// The hash of the chain's genesis block, which readings are signed over.
	pub fn genesis_hash(&mut self) -> H256 {
		self.ext.execute_with(|| System::block_hash(0))
	}
}

/// Adds the block's events to `census`, by pallet and kind (`Meters::ReadingsAccepted`), and
/// failed calls by their pallet error too (`System::ExtrinsicFailed::InvalidMeter`): where runs
/// stop short.
fn count_events(census: &mut BTreeMap<String, u32>) {
	for record in System::events() {
		if let smartblocks_runtime::RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
			dispatch_error: sp_runtime::DispatchError::Module(error),
			..
		}) = record.event
		{
			*census
				.entry(format!("System::ExtrinsicFailed::{}", error_name(error)))
				.or_default() += 1;
		}
		let text = format!("{:?}", record.event);
		let mut parts = text
			.split(|c: char| !c.is_alphanumeric() && c != '_')
			.filter(|part| !part.is_empty() && *part != "Event");
		let (Some(pallet), Some(kind)) = (parts.next(), parts.next()) else { continue };
		*census.entry(format!("{pallet}::{kind}")).or_default() += 1;
	}
}

/// A pallet error's name (events keep only its pallet index and encoding).
fn error_name(error: sp_runtime::ModuleError) -> String {
	fn named<P: 'static, E: codec::Decode + std::fmt::Debug>(
		error: &sp_runtime::ModuleError,
	) -> Option<String> {
		let index =
			<smartblocks_runtime::PalletInfo as frame_support::traits::PalletInfo>::index::<P>()?;
		(index == usize::from(error.index))
			.then(|| E::decode(&mut &error.error[..]).ok().map(|error| format!("{error:?}")))
			.flatten()
	}
	named::<smartblocks_runtime::Meters, pallet_meters::Error<Runtime>>(&error)
		.or_else(|| {
			named::<smartblocks_runtime::EnergyContracts, pallet_energy_contracts::Error<Runtime>>(
				&error,
			)
		})
		.or_else(|| named::<smartblocks_runtime::Registry, pallet_registry::Error<Runtime>>(&error))
		.or_else(|| {
			named::<smartblocks_runtime::Oracle, pallet_energy_oracle::Error<Runtime>>(&error)
		})
		.unwrap_or_else(|| format!("pallet {} error {:?}", error.index, error.error))
}

/// What dispatching `call` as `origin` reports, and whether `observe` saw the state differently
/// before and after, in a storage transaction that is rolled back.
pub(crate) fn dispatch_and_roll_back<T: PartialEq>(
	call: RuntimeCall,
	origin: smartblocks_runtime::RuntimeOrigin,
	observe: impl Fn() -> T,
) -> (frame_support::dispatch::DispatchResultWithPostInfo, bool) {
	with_transaction_unchecked(|| {
		let before = observe();
		let dispatched = call.dispatch(origin);
		TransactionOutcome::Rollback((dispatched, observe() != before))
	})
}
