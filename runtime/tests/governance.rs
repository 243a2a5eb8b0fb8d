//! The council's motions on the four-member `local_testnet` (no sudo key): two thirds of it act
//! as Root, fewer do not.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codec::Encode;
use frame_support::{assert_ok, dispatch::GetDispatchInfo};
use sc_chain_spec::GenesisConfigBuilderRuntimeCaller;
use smartblocks_runtime::{
	Council, CouncilRoot, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System, WASM_BINARY,
};
use sp_core::H256;
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_io::TestExternalities;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use sp_runtime::{traits::Hash, DispatchError};

fn local_testnet() -> TestExternalities {
	let caller: GenesisConfigBuilderRuntimeCaller<'static> = GenesisConfigBuilderRuntimeCaller::new(
		WASM_BINARY.expect("the runtime was built with its wasm"),
	);
	let storage = caller
		.get_storage_for_named_preset(Some(&LOCAL_TESTNET_RUNTIME_PRESET.to_string()))
		.expect("the preset builds");
	let mut ext = TestExternalities::new(storage);
	// Events are recorded from block 1 on.
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Root's call the motions carry: authorise a runtime upgrade to code of hash `CODE_HASH`.
const CODE_HASH: H256 = H256::repeat_byte(7);

fn upgrade() -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash: CODE_HASH }))
}

fn as_root() -> RuntimeCall {
	RuntimeCall::CouncilRoot(pallet_council_root::Call::dispatch { call: upgrade() })
}

/// The code hashes of the upgrades authorised so far.
fn upgrades_authorized() -> Vec<H256> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { code_hash, .. }) => {
				Some(code_hash)
			}
			_ => None,
		})
		.collect()
}

/// `proposer` proposes `call` needing `threshold` ayes, `voters` vote aye, and `proposer`
/// closes the motion; returns the motion's outcome as the collective reports it.
fn motion(
	proposer: Sr25519Keyring,
	threshold: u32,
	voters: &[Sr25519Keyring],
	call: RuntimeCall,
) -> Option<Result<(), DispatchError>> {
	let (length, weight) = (call.encoded_size() as u32, call.get_dispatch_info().call_weight);
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	let signed = |key: Sr25519Keyring| RuntimeOrigin::signed(key.to_account_id());
	assert_ok!(Council::propose(signed(proposer), threshold, Box::new(call), length));
	for voter in voters {
		assert_ok!(Council::vote(signed(*voter), hash, index, true));
	}
	assert_ok!(Council::close(signed(proposer), hash, index, weight, length));
	System::events().into_iter().find_map(|record| match record.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(result),
		_ => None,
	})
}

#[test]
fn three_of_the_four_founders_authorise_an_upgrade_as_root() {
	local_testnet().execute_with(|| {
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], as_root()), Some(Ok(())));

		assert_eq!(upgrades_authorized(), vec![CODE_HASH]);
		System::assert_has_event(pallet_council_root::Event::Dispatched { result: Ok(()) }.into());
	});
}

#[test]
fn two_of_the_four_founders_cannot_act_as_root() {
	local_testnet().execute_with(|| {
		// The motion carries with its own threshold of two, but two of four is no supermajority.
		assert_eq!(motion(Alice, 2, &[Alice, Bob], as_root()), Some(Err(DispatchError::BadOrigin)));

		assert_eq!(upgrades_authorized(), vec![]);
	});
}

#[test]
fn no_founder_alone_can_act_as_root() {
	local_testnet().execute_with(|| {
		for founder in [Alice, Dave] {
			let origin = RuntimeOrigin::signed(founder.to_account_id());
			assert_eq!(
				CouncilRoot::dispatch(origin, upgrade()).map_err(|error| error.error),
				Err(DispatchError::BadOrigin)
			);
		}
		assert_eq!(upgrades_authorized(), vec![]);
	});
}
