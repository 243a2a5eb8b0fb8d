//! Session keys: what a validator operator does once the council approved its account.

use serde::Deserialize;
use subxt::{ext::codec::Decode, rpcs::rpc_params, utils::AccountId32};
use subxt_signer::sr25519::Keypair;

use crate::{chain, Client, ClientError};

/// The session keys of a validator: Aura and GRANDPA public keys.
pub type SessionKeys = chain::runtime_types::smartblocks_runtime::opaque::SessionKeys;

/// New session keys and the proof that their private keys signed the owner's account.
#[derive(Debug, Clone)]
pub struct GeneratedKeys {
	pub keys: SessionKeys,
	pub proof: Vec<u8>,
}

#[derive(Deserialize)]
struct GeneratedKeysJson {
	keys: String,
	proof: String,
}

fn from_hex(what: &'static str, text: &str) -> Result<Vec<u8>, ClientError> {
	hex::decode(text.trim_start_matches("0x")).map_err(|e| ClientError::Refused {
		reason: format!("the node sent {what} that is not hex: {e}"),
	})
}

impl Client {
	/// The current session's number, at the latest finalized block.
	pub async fn current_session(&self) -> Result<u32, ClientError> {
		let at = self.reading().await?;
		at.storage()
			.entry(chain::storage().session().current_index())
			.map_err(ClientError::chain("find Session.CurrentIndex"))?
			.fetch(())
			.await
			.map_err(ClientError::chain("read Session.CurrentIndex"))?
			.decode()
			.map_err(ClientError::chain("decode Session.CurrentIndex"))
	}

	/// The current session's validators, at the latest finalized block.
	pub async fn session_validators(&self) -> Result<Vec<AccountId32>, ClientError> {
		let at = self.reading().await?;
		at.storage()
			.entry(chain::storage().session().validators())
			.map_err(ClientError::chain("find Session.Validators"))?
			.fetch(())
			.await
			.map_err(ClientError::chain("read Session.Validators"))?
			.decode()
			.map_err(ClientError::chain("decode Session.Validators"))
	}

	/// Has the connected node generate new session keys in its keystore, with a proof of
	/// possession for `owner` (`author_rotateKeysWithOwner`, an unsafe RPC method the node
	/// serves only on its local interface or with `--rpc-methods unsafe`).
	pub async fn rotate_session_keys(
		&self,
		owner: &AccountId32,
	) -> Result<GeneratedKeys, ClientError> {
		let owner = format!("0x{}", hex::encode(owner.0));
		let generated: GeneratedKeysJson = self
			.rpc
			.request("author_rotateKeysWithOwner", rpc_params![owner])
			.await
			.map_err(ClientError::chain("rotate session keys"))?;
		let raw_keys = from_hex("session keys", &generated.keys)?;
		let keys = SessionKeys::decode(&mut &raw_keys[..]).map_err(|e| ClientError::Refused {
			reason: format!("the node's session keys do not decode: {e}"),
		})?;
		Ok(GeneratedKeys { keys, proof: from_hex("a proof", &generated.proof)? })
	}

	/// Registers `keys` as `operator`'s session keys; they validate from a coming session if the
	/// council approved `operator` as a validator.
	pub async fn set_session_keys(
		&self,
		operator: &Keypair,
		generated: GeneratedKeys,
	) -> Result<(), ClientError> {
		let call = chain::transactions().session().set_keys(generated.keys, generated.proof);
		self.submit_finalized(&call, operator).await.map(|_| ())
	}
}
