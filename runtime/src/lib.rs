//! The SmartBlocks runtime: a permissioned Substrate chain for energy use and energy contracts.
//!
//! Aura produces a block every 6 s and GRANDPA finalizes them; the validator set is managed by
//! `pallet-session`, whose session length each genesis preset chooses. The pallets that make this
//! an energy ledger (registry, meters, contracts) plug in here as they land.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` expands to large types; the default limit is too small.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// Declared first: it defines the `list_benchmarks!` and `add_benchmarks!` macros `apis` uses.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod session_length;
pub mod upgrade_rehearsal;

use alloc::{borrow::Cow, vec::Vec};
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

mod token;
pub use token::{TOKEN_DECIMALS, TOKEN_SYMBOL};
/// The generic Substrate address format: members' existing keys and wallets work unchanged.
pub const SS58_PREFIX: u16 = 42;

/// Currency units of the native token.
pub mod currency {
	use super::Balance;
	/// One SBT.
	pub const UNIT: Balance = 1_000_000_000_000;
	pub const MILLI_UNIT: Balance = UNIT / 1_000;
	/// The smallest balance an account may hold; below it the account is reaped.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;
}

/// Time, in blocks and milliseconds.
pub mod time {
	use super::BlockNumber;
	/// Target block time; Aura's slot duration is the same.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6_000;
	// Changing the slot duration of a running chain stops block production.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	pub const HOURS: BlockNumber = MINUTES * 60;
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// An index to a block.
pub type BlockNumber = u32;
/// Signatures of transactions: sr25519, ed25519 or ecdsa, as wallets choose.
pub type Signature = MultiSignature;
/// An account is identified by the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account, in the smallest unit (10^-12 SBT).
pub type Balance = u128;
/// Index of a transaction in an account's history.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions every signed transaction carries, in order.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	pallet_registry::CheckMember<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations, each run once at the storage version it upgrades.
type Migrations = (
	pallet_meters::migrations::V1ToV2<Runtime>,
	pallet_meters::migrations::V2ToV3<Runtime>,
	pallet_registry::migrations::V1ToV2<Runtime>,
	pallet_energy_contracts::migrations::V1ToV2<Runtime>,
	pallet_energy_contracts::migrations::V2ToV3<Runtime>,
	pallet_registry::migrations::V2ToV3<Runtime, configs::governance::CouncilMembers>,
	frame_support::migrations::RemovePallet<
		CouncilMembershipPallet,
		<Runtime as frame_system::Config>::DbWeight,
	>,
	upgrade_rehearsal::Migrations,
);

frame_support::parameter_types! {
	/// The storage prefix of `pallet_membership`, which kept the council's seats until spec 116.
	pub const CouncilMembershipPallet: &'static str = "CouncilMembership";
}

/// Executive: dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;

	impl_opaque_keys! {
		/// The keys a validator registers for a session.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}

/// Declares [`VERSION`] with `spec_version` `$spec` (`runtime_version` reads it as a literal).
macro_rules! version_with_spec {
	($spec:tt, $impl_name:tt) => {
		/// The runtime's version, which nodes and signers read.
		#[runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: Cow::Borrowed("smartblocks"),
			impl_name: Cow::Borrowed($impl_name),
			authoring_version: 1,
			spec_version: $spec,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			// Bump when the format or meaning of transactions changes.
			transaction_version: 5,
			system_version: 1,
		};
	};
}

// Bump on every change of the runtime's sources (runtime/tests/version.rs fails until then);
// nodes compare it to pick the runtime. The upgrade rehearsal is always one above.
#[cfg(not(feature = "upgrade-rehearsal"))]
version_with_spec!(124, "smartblocks");
#[cfg(feature = "upgrade-rehearsal")]
version_with_spec!(125, "smartblocks-upgrade-rehearsal");

// The wasm builder passes the host's features to the wasm: a node built with the rehearsal
// would run it as its runtime.
#[cfg(all(feature = "std", feature = "upgrade-rehearsal"))]
compile_error!(
	"`upgrade-rehearsal` is for runtime/build.rs's second wasm only, never a host build"
);

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type SessionLength = crate::session_length;

	// Declared before Session: genesis builds pallets in this order, and the registry's
	// validators must exist when the session pallet asks its session manager for them.
	#[runtime::pallet_index(9)]
	pub type Registry = pallet_registry;

	#[runtime::pallet_index(7)]
	pub type Session = pallet_session;

	// Only the development preset sets a key; on other chains sudo has no key and does nothing.
	#[runtime::pallet_index(8)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(10)]
	pub type Council = pallet_collective<Instance1>;

	// Index 11 was `CouncilMembership` (pallet_membership) until the registry kept the seats.

	#[runtime::pallet_index(12)]
	pub type Meters = pallet_meters;

	#[runtime::pallet_index(13)]
	pub type Oracle = pallet_energy_oracle;

	#[runtime::pallet_index(14)]
	pub type EnergyContracts = pallet_energy_contracts;

	// Root for chains without a sudo key: a motion of two thirds of the council.
	#[runtime::pallet_index(15)]
	pub type CouncilRoot = pallet_council_root;
}
