//! The council's motions on the four-member `local_testnet` (no sudo key): two thirds of it act
//! as Root, fewer do not.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codec::Encode;
use frame_support::{assert_ok, dispatch::GetDispatchInfo, traits::Get};
use pallet_collective::Instance1;
use sc_chain_spec::GenesisConfigBuilderRuntimeCaller;
use smartblocks_runtime::{
	Council, CouncilMembership, CouncilRoot, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System, WASM_BINARY,
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

/// `proposer` proposes `call` needing `threshold` ayes (executed at once for a threshold of 1),
/// `voters` vote aye, and `proposer` closes the motion once its votes are in (`at_its_end`:
/// once its time is up); returns the motion's outcome as the collective reports it, or `None`
/// if it did not pass.
fn motion(
	proposer: Sr25519Keyring,
	threshold: u32,
	voters: &[Sr25519Keyring],
	call: RuntimeCall,
	at_its_end: bool,
) -> Option<Result<(), DispatchError>> {
	let (length, weight) = (call.encoded_size() as u32, call.get_dispatch_info().call_weight);
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, Instance1>::get();
	let signed = |key: Sr25519Keyring| RuntimeOrigin::signed(key.to_account_id());
	assert_ok!(Council::propose(signed(proposer), threshold, Box::new(call), length));
	if threshold > 1 {
		for voter in voters {
			assert_ok!(Council::vote(signed(*voter), hash, index, true));
		}
		if at_its_end {
			type Duration = <Runtime as pallet_collective::Config<Instance1>>::MotionDuration;
			let duration: u32 = Duration::get();
			System::set_block_number(System::block_number() + duration);
		}
		assert_ok!(Council::close(signed(proposer), hash, index, weight, length));
	}
	System::events().into_iter().find_map(|record| match record.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(result),
		_ => None,
	})
}

#[test]
fn three_of_the_four_founders_authorise_an_upgrade_as_root() {
	local_testnet().execute_with(|| {
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], as_root(), false), Some(Ok(())));

		assert_eq!(upgrades_authorized(), vec![CODE_HASH]);
		System::assert_has_event(pallet_council_root::Event::Dispatched { result: Ok(()) }.into());
	});
}

#[test]
fn two_of_the_four_founders_cannot_act_as_root() {
	local_testnet().execute_with(|| {
		// The motion carries with its own threshold of two, but two of four is no supermajority.
		assert_eq!(
			motion(Alice, 2, &[Alice, Bob], as_root(), false),
			Some(Err(DispatchError::BadOrigin))
		);

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
		// A motion of one, executed at once, is one of four.
		assert_eq!(motion(Dave, 1, &[], as_root(), false), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(upgrades_authorized(), vec![]);
	});
}

#[test]
fn the_prime_alone_cannot_carry_a_motion_by_the_others_abstaining() {
	local_testnet().execute_with(|| {
		let alice = Alice.to_account_id();
		assert_ok!(CouncilMembership::set_prime(RuntimeOrigin::root(), alice.into()));

		// Alice, the prime, votes for her motion; the others let its week pass without a vote.
		assert_eq!(motion(Alice, 3, &[Alice], as_root(), true), None);

		assert_eq!(upgrades_authorized(), vec![]);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Council(pallet_collective::Event::Closed { yes: 1, no: 3, .. })
		)));
	});
}

#[test]
fn a_seat_holder_cannot_move_its_seat_by_its_own_signature() {
	use sp_runtime::traits::Dispatchable;
	local_testnet().execute_with(|| {
		let seats = || pallet_collective::Members::<Runtime, Instance1>::get();
		let before = seats();
		// Ferdie is no member: a seat there would be out of the registry's reach.
		let ferdie = sp_keyring::Sr25519Keyring::Ferdie.to_account_id();
		let call = RuntimeCall::CouncilMembership(pallet_membership::Call::change_key {
			new: ferdie.into(),
		});

		let result = call.dispatch(RuntimeOrigin::signed(Alice.to_account_id()));

		assert_eq!(
			result.map_err(|error| error.error),
			Err(frame_system::Error::<Runtime>::CallFiltered.into())
		);
		assert_eq!(seats(), before);
	});
}
