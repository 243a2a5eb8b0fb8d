//! Runtime upgrades by the council: a motion of two thirds authorises the code's hash, then the
//! code is submitted.

use std::path::Path;

use anyhow::{bail, Context as _};
use smartblocks_client::{
	registry::Proposal,
	subxt_signer::sr25519::Keypair,
	upgrade::{authorize_upgrade, code_hash, supermajority},
	Client,
};

/// The runtime in `path`: the wasm the runtime's build writes (`*.compact.compressed.wasm`).
fn read_code(path: &Path) -> anyhow::Result<Vec<u8>> {
	let code = std::fs::read(path).with_context(|| format!("--wasm {}", path.display()))?;
	if code.is_empty() {
		bail!("--wasm {}: the file is empty", path.display());
	}
	Ok(code)
}

/// Proposes that the council authorise the runtime in `wasm`; a council of one
/// authorises it at once, and then the code is applied.
pub async fn propose(client: &Client, proposer: &Keypair, wasm: &Path) -> anyhow::Result<()> {
	let code = read_code(wasm)?;
	let hash = code_hash(&code);
	let seats = client.council_members().await?.len();
	if seats == 0 {
		bail!("the chain has no council to authorise an upgrade");
	}
	let threshold = supermajority(seats);
	match client.propose_to_council(proposer, threshold, authorize_upgrade(&code)).await? {
		Proposal::Executed => {
			if client.authorized_upgrade().await? != Some(hash) {
				bail!("the council's motion ran but did not authorise the runtime {hash:?}");
			}
			println!("the council authorised the runtime {hash:?}");
			apply_code(client, proposer, code).await
		}
		Proposal::Open(motion) => {
			println!(
				"motion #{} is open to authorise the runtime {hash:?}: {threshold} of the \
				 council's {seats} must vote aye (`smartblocks council vote {}`), then one closes \
				 it (`smartblocks council close {}`) and submits the code (`smartblocks council \
				 apply-upgrade --wasm {}`)",
				motion.index,
				motion.index,
				motion.index,
				wasm.display()
			);
			Ok(())
		}
	}
}

/// Submits the runtime in `wasm`, which the council must have authorised.
pub async fn apply(client: &Client, signer: &Keypair, wasm: &Path) -> anyhow::Result<()> {
	let code = read_code(wasm)?;
	let hash = code_hash(&code);
	match client.authorized_upgrade().await? {
		Some(authorized) if authorized == hash => apply_code(client, signer, code).await,
		Some(authorized) => bail!(
			"the council authorised the runtime {authorized:?}, not {hash:?} in {}",
			wasm.display()
		),
		None => bail!("the council has authorised no upgrade (`smartblocks council upgrade`)"),
	}
}

async fn apply_code(client: &Client, signer: &Keypair, code: Vec<u8>) -> anyhow::Result<()> {
	let block = client
		.apply_authorized_upgrade(signer, code)
		.await
		.context("the runtime was not applied")?;
	println!("runtime upgraded in block {block:?}; it runs from the next block");
	Ok(())
}
