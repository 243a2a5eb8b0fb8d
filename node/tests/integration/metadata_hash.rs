//! The metadata hash as signers use it. polkadot-js and Ledger-style signers turn the
//! `CheckMetadataHash` extension on (mode 1) and sign, with the transaction, the hash of the
//! metadata the node serves (RFC 78: its merkleized types, spec name and version, address
//! prefix, token symbol and decimals). The runtime the production node carries
//! (`--features metadata-hash`, built here by `runtime/metadata-hash`) has the hash of its own
//! metadata compiled in: it accepts such a transaction, and refuses one signed over any other
//! hash. A runtime built without the hash cannot check one and refuses mode 1 outright.

use crate::common::{run_node, within, Node, STARTUP};
use codec::{Decode, Encode};
use merkleized_metadata::{generate_metadata_digest, ExtraInfo};
use scale_info::PortableRegistry;
use smartblocks_client::{
	chain,
	subxt::{
		self,
		config::{
			transaction_extensions::{self as ext, Params},
			ClientState, SubstrateConfig, TransactionExtension,
		},
		ext::{frame_decode, frame_metadata::RuntimeMetadataPrefixed},
		rpcs::rpc_params,
		transactions::{TransactionInvalid, TransactionUnknown, ValidationResult},
		Config, OnlineClient,
	},
	subxt_signer::sr25519::dev,
	Client,
};
use std::{sync::Arc, time::Duration};

/// The environment variable `scripts/check-metadata-hash` names the runtime with its hash in.
const WASM_VARIABLE: &str = "SMARTBLOCKS_METADATA_HASH_WASM";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the runtime built with its metadata hash: scripts/check-metadata-hash"]
async fn the_production_runtime_accepts_a_transaction_signed_over_its_metadata_hash() {
	let wasm = std::env::var(WASM_VARIABLE)
		.unwrap_or_else(|_| panic!("{WASM_VARIABLE} is not set: run scripts/check-metadata-hash"));
	let dir = tempfile::tempdir().unwrap();
	let spec = dev_spec_with_code(&std::fs::read(&wasm).unwrap(), dir.path());
	let node = Node::start("metadata-hash", &["--dev", "--chain", spec.to_str().unwrap()]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let hash = metadata_hash(&client).await;

	let mut wrong = hash;
	wrong[31] ^= 1;
	assert_eq!(
		validate_remark(&client, Some(wrong)).await,
		ValidationResult::Invalid(TransactionInvalid::BadProof),
		"signed over another hash"
	);

	let remark = b"signed over the metadata hash".to_vec();
	let signed = remark_signed(&client, Some(hash), remark.clone()).await;
	assert!(signed.validate().await.unwrap().is_valid(), "{}", node.log());
	let progress = signed.submit_and_watch().await.unwrap();
	let events = within("the remark finalized", Duration::from_secs(90), async {
		progress.wait_for_finalized_success().await
	})
	.await
	.unwrap();
	let remarked =
		events.find_first::<chain::system::events::Remarked>().expect("System.Remarked").unwrap();
	assert_eq!(remarked.sender, dev::alice().public_key().to_account_id());
	assert_eq!(remarked.hash.0, sp_crypto_hashing::blake2_256(&remark));

	// Signers without the hash (mode 0, as subxt signs) are served as before.
	assert!(validate_remark(&client, None).await.is_valid());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runtime_built_without_the_hash_refuses_a_signer_that_checks_it() {
	let node = Node::start("no-metadata-hash", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let hash = metadata_hash(&client).await;
	assert_eq!(
		validate_remark(&client, Some(hash)).await,
		ValidationResult::Unknown(TransactionUnknown::CannotLookup)
	);
	assert!(validate_remark(&client, None).await.is_valid(), "{}", node.log());
}

/// The development chain's raw spec with `code` as its runtime, written into `dir`.
fn dev_spec_with_code(code: &[u8], dir: &std::path::Path) -> std::path::PathBuf {
	let out = run_node(&["build-spec", "--chain", "dev", "--raw", "--disable-default-bootnode"]);
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let mut spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	let code_key = sp_core::bytes::to_hex(sp_core::storage::well_known_keys::CODE, false);
	let top = &mut spec["genesis"]["raw"]["top"];
	assert!(top.get(&code_key).is_some(), "no :code in the dev spec");
	top[&code_key] = sp_core::bytes::to_hex(code, false).into();
	let path = dir.join("dev-with-metadata-hash.json");
	std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
	path
}

/// The hash a signer computes from the node's metadata (V15, the version RFC 78 covers) and
/// runtime version, with the token of the chain spec's properties.
async fn metadata_hash(client: &Client) -> [u8; 32] {
	let rpc = client.rpc();
	let answer: String = rpc
		.request("state_call", rpc_params!["Metadata_metadata_at_version", "0x0f000000"])
		.await
		.unwrap();
	let answer = sp_core::bytes::from_hex(&answer).unwrap();
	let metadata = Option::<Vec<u8>>::decode(&mut &answer[..]).unwrap().expect("metadata V15");
	let metadata = RuntimeMetadataPrefixed::decode(&mut &metadata[..]).unwrap().1;
	let version: serde_json::Value =
		rpc.request("state_getRuntimeVersion", rpc_params![]).await.unwrap();
	let properties: serde_json::Value =
		rpc.request("system_properties", rpc_params![]).await.unwrap();
	let extra = ExtraInfo {
		spec_version: version["specVersion"].as_u64().unwrap().try_into().unwrap(),
		spec_name: version["specName"].as_str().unwrap().into(),
		base58_prefix: properties["ss58Format"].as_u64().unwrap().try_into().unwrap(),
		decimals: properties["tokenDecimals"].as_u64().unwrap().try_into().unwrap(),
		token_symbol: properties["tokenSymbol"].as_str().unwrap().into(),
	};
	generate_metadata_digest(&metadata, extra).unwrap().hash()
}

/// What the node's pool says of a remark Alice signs with `hash` (mode 1) or without (mode 0).
async fn validate_remark(client: &Client, hash: Option<[u8; 32]>) -> ValidationResult {
	let signed = remark_signed(client, hash, b"checked".to_vec()).await;
	signed.validate().await.unwrap()
}

/// Alice's `System.remark_with_event`, signed as a signer that checks the metadata hash signs it.
async fn remark_signed(
	client: &Client,
	hash: Option<[u8; 32]>,
	remark: Vec<u8>,
) -> subxt::transactions::SubmittableTransaction<
	HashSigning,
	subxt::client::OnlineClientAtBlockImpl<HashSigning>,
> {
	let backend =
		subxt::backend::LegacyBackend::<HashSigning>::builder().build(client.rpc().clone());
	let api = OnlineClient::from_backend_with_config(HashSigning, Arc::new(backend)).await.unwrap();
	let params = (
		(),
		(),
		ext::CheckNonceParams::from_chain(),
		(),
		ext::CheckMortalityParams::default(),
		ext::ChargeTransactionPaymentParams::no_tip(),
		MetadataHashParams(hash),
	);
	let call = chain::transactions().system().remark_with_event(remark);
	let at = api.at_current_block().await.unwrap();
	at.transactions().create_signed(&call, &dev::alice(), params).await.unwrap()
}

/// The chain's subxt configuration with a `CheckMetadataHash` that signs a given hash: subxt's
/// own always signs mode 0.
#[derive(Debug, Clone)]
struct HashSigning;

impl Config for HashSigning {
	type AccountId = <SubstrateConfig as Config>::AccountId;
	type Address = <SubstrateConfig as Config>::Address;
	type Signature = <SubstrateConfig as Config>::Signature;
	type Hasher = <SubstrateConfig as Config>::Hasher;
	type Header = <SubstrateConfig as Config>::Header;
	type AssetId = <SubstrateConfig as Config>::AssetId;
	// Those of the runtime's extensions that put bytes in the transaction or in what is signed,
	// matched to the runtime's by name.
	type TransactionExtensions = (
		ext::CheckSpecVersion,
		ext::CheckTxVersion,
		ext::CheckNonce,
		ext::CheckGenesis<Self>,
		ext::CheckMortality<Self>,
		ext::ChargeTransactionPayment,
		SignedMetadataHash,
	);
}

/// `CheckMetadataHash` with mode 1 and `Some(hash)` signed, or mode 0 and `None`.
struct SignedMetadataHash(Option<[u8; 32]>);

/// The hash [`SignedMetadataHash`] signs, if any.
#[derive(Debug, Clone)]
struct MetadataHashParams(Option<[u8; 32]>);

impl<T: Config> Params<T> for MetadataHashParams {}

impl<T: Config> TransactionExtension<T> for SignedMetadataHash {
	type Decoded = ext::CheckMetadataHashMode;
	type Params = MetadataHashParams;

	fn new(
		_client: &ClientState<T>,
		params: MetadataHashParams,
	) -> Result<Self, subxt::error::TransactionExtensionError> {
		Ok(Self(params.0))
	}
}

impl frame_decode::extrinsics::TransactionExtension<PortableRegistry> for SignedMetadataHash {
	const NAME: &str = "CheckMetadataHash";

	fn encode_value_to(
		&self,
		_type_id: u32,
		_types: &PortableRegistry,
		out: &mut Vec<u8>,
	) -> Result<(), frame_decode::extrinsics::TransactionExtensionError> {
		// The mode: 0 disabled, 1 enabled.
		u8::from(self.0.is_some()).encode_to(out);
		Ok(())
	}

	fn encode_implicit_to(
		&self,
		_type_id: u32,
		_types: &PortableRegistry,
		out: &mut Vec<u8>,
	) -> Result<(), frame_decode::extrinsics::TransactionExtensionError> {
		self.0.encode_to(out);
		Ok(())
	}
}
