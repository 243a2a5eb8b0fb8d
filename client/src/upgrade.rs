//! Runtime upgrades on a chain without a sudo key: a council motion of at least two thirds
//! authorises the new code's hash as Root (`councilRoot.dispatch(system.authorizeUpgrade)`), then
//! anyone submits the code (`system.applyAuthorizedUpgrade`), which the chain takes only for
//! that hash and only with a higher `spec_version`.

use subxt::utils::H256;
use subxt_signer::sr25519::Keypair;

use crate::{chain, registry::RuntimeCall, BlockHash, Client, ClientError};

type CouncilRootCall = chain::runtime_types::pallet_council_root::pallet::Call;
type SystemCall = chain::runtime_types::frame_system::pallet::Call;

/// The hash under which the council authorises `code`: BLAKE2-256 of the wasm.
pub fn code_hash(code: &[u8]) -> H256 {
	H256(sp_crypto_hashing::blake2_256(code))
}

/// The call a council motion carries to authorise `code` as the next runtime, as Root.
pub fn authorize_upgrade(code: &[u8]) -> RuntimeCall {
	let authorize = SystemCall::authorize_upgrade { code_hash: code_hash(code) };
	RuntimeCall::CouncilRoot(CouncilRootCall::dispatch {
		call: Box::new(RuntimeCall::System(authorize)),
	})
}

/// The ayes a motion acting as Root needs of a council of `seats`: two thirds, rounded up
/// (the runtime's `CouncilSupermajority`).
pub fn supermajority(seats: usize) -> u32 {
	u32::try_from((2 * seats).div_ceil(3)).unwrap_or(u32::MAX)
}

impl Client {
	/// Submits `code` as the runtime the council authorised; returns the block it took effect
	/// in (the new runtime runs from the next block). A runtime the chain will not run (its
	/// `spec_version` no higher than the running one's, another `spec_name`) is refused with
	/// the chain's reason, and the chain drops the authorisation.
	pub async fn apply_authorized_upgrade(
		&self,
		signer: &Keypair,
		code: Vec<u8>,
	) -> Result<BlockHash, ClientError> {
		let call = chain::transactions().system().apply_authorized_upgrade(code);
		let (block, events) = self.submit_finalized(&call, signer).await?;
		let rejected = events
			.find_first::<chain::system::events::RejectedInvalidAuthorizedUpgrade>()
			.transpose()
			.map_err(ClientError::chain("decode System.RejectedInvalidAuthorizedUpgrade"))?;
		if let Some(rejected) = rejected {
			return Err(ClientError::Refused {
				reason: format!(
					"the chain rejected the authorised runtime and dropped its authorisation: {}",
					self.error_name(&rejected.error).await
				),
			});
		}
		events
			.find_first::<chain::system::events::CodeUpdated>()
			.transpose()
			.map_err(ClientError::chain("decode System.CodeUpdated"))?
			.ok_or_else(|| ClientError::Refused {
				reason: "the chain took the code but did not update its runtime".into(),
			})?;
		Ok(block)
	}

	/// The `spec_version` of the runtime the chain runs at its latest finalized block.
	pub async fn spec_version(&self) -> Result<u32, ClientError> {
		let at = self.reading().await?;
		Ok(at.spec_version())
	}

	/// The code hash an executed council motion authorised, if one waits to be applied.
	pub async fn authorized_upgrade(&self) -> Result<Option<H256>, ClientError> {
		let at = self.reading().await?;
		let entry = at
			.storage()
			.entry(chain::storage().system().authorized_upgrade())
			.map_err(ClientError::chain("find System.AuthorizedUpgrade"))?;
		match entry
			.try_fetch(())
			.await
			.map_err(ClientError::chain("read System.AuthorizedUpgrade"))?
		{
			Some(value) => {
				let value = value
					.decode()
					.map_err(ClientError::chain("decode System.AuthorizedUpgrade"))?;
				Ok(Some(value.code_hash))
			}
			None => Ok(None),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_supermajority_is_two_thirds_of_the_seats_rounded_up() {
		let needed: Vec<u32> = (1..=7).map(supermajority).collect();
		assert_eq!(needed, vec![1, 2, 2, 3, 4, 4, 5]);
	}
}
