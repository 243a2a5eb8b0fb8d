//! Transactions built inside the runtime: off-chain workers sign them with a keystore key, or
//! submit general transactions that the call itself authorizes (readings pulled from bridges),
//! carrying the same extensions wallets and bridges send.

use codec::Encode;
use frame_system::offchain::{
	AppCrypto, CreateAuthorizedTransaction, CreateSignedTransaction, CreateTransaction,
	CreateTransactionBase, SigningTypes,
};
use sp_runtime::{generic::Era, MultiSigner, SaturatedConversion};

use super::BlockHashCount;
use crate::{
	AccountId, Address, Nonce, Runtime, RuntimeCall, Signature, SignedPayload, System, TxExtension,
	UncheckedExtrinsic,
};

impl SigningTypes for Runtime {
	type Public = MultiSigner;
	type Signature = Signature;
}

impl<C> CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> CreateSignedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_signed_transaction<A: AppCrypto<MultiSigner, Signature>>(
		call: RuntimeCall,
		public: MultiSigner,
		account: AccountId,
		nonce: Nonce,
	) -> Option<UncheckedExtrinsic> {
		// Valid for the largest power of two of blocks that stays within the kept block hashes,
		// counted from the block the worker runs on.
		let period = BlockHashCount::get().checked_next_power_of_two().map_or(2, |n| n / 2);
		let current = System::block_number().saturating_sub(1);
		let era = Era::mortal(u64::from(period), current.saturated_into());
		let payload = SignedPayload::new(call, extension(era, nonce)).ok()?;
		let signature = payload.using_encoded(|bytes| A::sign(bytes, public))?;
		let (call, extension, _) = payload.deconstruct();
		Some(UncheckedExtrinsic::new_signed(call, Address::Id(account), signature, extension))
	}
}

impl<C> CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

impl<C> CreateAuthorizedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	/// As a bridge sends its batches: immortal, no nonce, no tip, no metadata hash; with no
	/// signer, only the call's own authorization (`AuthorizeCall`) gives the origin.
	fn create_extension() -> TxExtension {
		extension(Era::Immortal, 0)
	}
}

/// The extensions of a transaction a worker makes: no tip, and no metadata hash (nobody reviews
/// a worker's transaction on a hardware wallet).
fn extension(era: Era, nonce: Nonce) -> TxExtension {
	(
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		pallet_registry::CheckMember::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(era),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}
