//! Transactions signed by a wallet outside this process (a browser extension that keeps the key):
//! the client prepares the transaction and describes it in the fields injected-web3 wallets sign
//! (`SignerPayloadJSON` of polkadot{.js}, Talisman, SubWallet), then checks the wallet's signature
//! and submits the transaction, so the key never reaches the server.

use serde::{Deserialize, Serialize};
use subxt::{
	extrinsics::ExtrinsicEvents,
	transactions::{Payload, ValidationResult},
	utils::{AccountId32, MultiSignature},
};
use subxt_signer::sr25519::{verify, PublicKey, Signature};

use crate::{finalized, refusal, BlockHash, Client, ClientError, Config};

/// Blocks a prepared transaction stays valid: time for a person to read and sign it (at 6 s
/// blocks, about six minutes), short enough that a signature left unused soon expires.
pub const MORTAL_BLOCKS: u64 = 64;

/// A transaction in the form injected-web3 wallets take to `signPayload` (field names and hex
/// encodings as polkadot{.js} writes them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletPayload {
	pub address: String,
	pub block_hash: String,
	pub block_number: String,
	pub era: String,
	pub genesis_hash: String,
	/// The encoded call.
	pub method: String,
	pub nonce: String,
	pub spec_version: String,
	pub tip: String,
	pub transaction_version: String,
	/// The chain's transaction extensions by name, in order.
	pub signed_extensions: Vec<String>,
	pub version: u8,
	/// `CheckMetadataHash` mode: 0, no metadata hash.
	pub mode: u8,
	pub metadata_hash: Option<String>,
	pub with_signed_transaction: bool,
}

/// A transaction prepared for `account`'s wallet: what it signs, and what the client needs to
/// finish it once signed.
#[derive(Clone, Debug)]
pub struct PreparedTransaction {
	pub account: AccountId32,
	pub payload: WalletPayload,
	call_data: Vec<u8>,
	nonce: u64,
	block_number: u64,
	block_hash: BlockHash,
	/// The bytes the signature covers (hashed when longer than 256 bytes).
	signer_payload: Vec<u8>,
}

impl Client {
	/// Prepares `call` as a transaction from `account` at its next nonce, mortal for
	/// [`MORTAL_BLOCKS`] from the latest finalized block, for a wallet to sign.
	pub async fn prepare_for_wallet<Call: Payload>(
		&self,
		call: &Call,
		account: &AccountId32,
	) -> Result<PreparedTransaction, ClientError> {
		let at = self.latest().await?;
		let call_data =
			at.transactions().call_data(call).map_err(ClientError::chain("encode the call"))?;
		let nonce = at
			.transactions()
			.account_nonce(account)
			.await
			.map_err(ClientError::chain("read the account nonce"))?;
		let (block_number, block_hash) = (at.block_number(), at.block_hash());
		let signer_payload =
			self.signer_payload(&call_data, nonce, block_number, block_hash).await?;
		let hex = |bytes: &[u8]| format!("0x{}", hex::encode(bytes));
		let payload = WalletPayload {
			address: account.to_string(),
			block_hash: hex(block_hash.as_bytes()),
			block_number: format!("0x{:08x}", block_number),
			era: hex(&mortal_era(MORTAL_BLOCKS, block_number)),
			genesis_hash: hex(self.api.genesis_hash().as_bytes()),
			method: hex(&call_data),
			nonce: format!("0x{nonce:08x}"),
			spec_version: format!("0x{:08x}", at.spec_version()),
			tip: format!("0x{:032x}", 0),
			transaction_version: format!("0x{:08x}", at.transaction_version()),
			signed_extensions: at
				.metadata_ref()
				.extrinsic()
				.transaction_extensions_by_version(0)
				.map(|extensions| extensions.map(|e| e.identifier().to_string()).collect())
				.unwrap_or_default(),
			version: 4,
			mode: 0,
			metadata_hash: None,
			with_signed_transaction: false,
		};
		Ok(PreparedTransaction {
			account: *account,
			payload,
			call_data,
			nonce,
			block_number,
			block_hash,
			signer_payload,
		})
	}

	/// Checks that `signature` (sr25519, 64 bytes, or 65 with the MultiSignature variant byte) is
	/// the account's signature of `prepared`, has the node validate the transaction, submits it
	/// and waits until it is in a finalized block and succeeded.
	pub async fn submit_wallet_signed(
		&self,
		prepared: &PreparedTransaction,
		signature: &[u8],
	) -> Result<(BlockHash, ExtrinsicEvents<Config>), ClientError> {
		let raw = sr25519_signature(signature).ok_or_else(|| ClientError::WalletSignature {
			reason: format!("{} bytes, not an sr25519 signature's 64", signature.len()),
		})?;
		if !verify(&Signature(raw), &prepared.signer_payload, &PublicKey(prepared.account.0)) {
			return Err(ClientError::WalletSignature {
				reason: "it does not match the account and the transaction".into(),
			});
		}
		let at = self
			.api
			.at_block(prepared.block_hash)
			.await
			.map_err(ClientError::chain("read block"))?;
		let call = at
			.transactions()
			.from_call_data_bytes(&prepared.call_data)
			.map_err(ClientError::chain("decode the call"))?;
		let mut signable = at
			.transactions()
			.create_v4_signable_offline(
				&call,
				params(prepared.nonce, prepared.block_number, prepared.block_hash),
			)
			.map_err(ClientError::chain("prepare the transaction"))?;
		let transaction = signable
			.sign_with_account_and_signature(&prepared.account, &MultiSignature::Sr25519(raw))
			.map_err(ClientError::chain("sign the transaction"))?;
		let validity =
			transaction.validate().await.map_err(ClientError::chain("validate the transaction"))?;
		if let ValidationResult::Invalid(invalid) = validity {
			return Err(refusal(prepared.account, invalid));
		}
		finalized(transaction).await
	}

	/// The bytes a signature of the transaction covers.
	async fn signer_payload(
		&self,
		call_data: &[u8],
		nonce: u64,
		block_number: u64,
		block_hash: BlockHash,
	) -> Result<Vec<u8>, ClientError> {
		let at = self.api.at_block(block_hash).await.map_err(ClientError::chain("read block"))?;
		let call = at
			.transactions()
			.from_call_data_bytes(call_data)
			.map_err(ClientError::chain("decode the call"))?;
		at.transactions()
			.create_v4_signable_offline(&call, params(nonce, block_number, block_hash))
			.and_then(|signable| signable.signer_payload())
			.map_err(ClientError::chain("prepare the transaction"))
	}
}

/// The 64 bytes of an sr25519 signature as wallets give it: bare, or as a MultiSignature
/// (the variant byte 1, then the same 64 bytes).
pub fn sr25519_signature(bytes: &[u8]) -> Option<[u8; 64]> {
	match bytes {
		[1, rest @ ..] if rest.len() == 64 => rest.try_into().ok(),
		raw => raw.try_into().ok(),
	}
}

fn params(
	nonce: u64,
	block_number: u64,
	block_hash: BlockHash,
) -> <<Config as subxt::Config>::TransactionExtensions as subxt::config::TransactionExtensions<
	Config,
>>::Params {
	subxt::config::SubstrateExtrinsicParamsBuilder::<Config>::new()
		.nonce(nonce)
		.mortal_from_unchecked(MORTAL_BLOCKS, block_number, block_hash)
		.build()
}

/// The SCALE encoding of a mortal era of `period` blocks (rounded up to a power of two, 4 to
/// 65536) that starts at block `current`, as `CheckMortality` encodes it.
pub fn mortal_era(period: u64, current: u64) -> [u8; 2] {
	let period = period.checked_next_power_of_two().unwrap_or(1 << 16).clamp(4, 1 << 16);
	let quantize = (period >> 12).max(1);
	let phase = current % period / quantize * quantize;
	let low = u64::from(period.trailing_zeros().saturating_sub(1).clamp(1, 15));
	let encoded = low | ((phase / quantize) << 4);
	u16::try_from(encoded).unwrap_or(u16::MAX).to_le_bytes()
}

#[cfg(test)]
mod tests {
	use super::mortal_era;

	#[test]
	fn mortal_eras_encode_as_the_runtime_decodes_them() {
		// sp_runtime's own cases: Era::mortal(64, 42) and Era::mortal(32768, 20000).
		assert_eq!(mortal_era(64, 42), [0xa5, 0x02]);
		assert_eq!(mortal_era(32768, 20000), [0x4e, 0x9c]);
		// A period that is no power of two rounds up.
		assert_eq!(mortal_era(50, 42), mortal_era(64, 42));
	}
}
