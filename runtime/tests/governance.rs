//! The council's motions on the four-member `local_testnet` (no sudo key): two thirds of it act
//! as Root and give and take seats, fewer do not; a suspended member's seat goes with it.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use codec::Encode;
use frame_support::{
	assert_ok,
	dispatch::GetDispatchInfo,
	traits::{ChangeMembers, Get},
};
use pallet_collective::Instance1;
use sc_chain_spec::GenesisConfigBuilderRuntimeCaller;
use smartblocks_runtime::{
	Council, CouncilRoot, Registry, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	WASM_BINARY,
};
use sp_core::H256;
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_io::TestExternalities;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve};
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
	System::events().into_iter().rev().find_map(|record| match record.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result })
			if proposal_hash == hash =>
		{
			Some(result)
		}
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
		// Nothing on the chain appoints a prime any more; were one appointed, it would not do.
		<Council as ChangeMembers<_>>::set_prime(Some(Alice.to_account_id()));

		// Alice, the prime, votes for her motion; the others let its week pass without a vote.
		assert_eq!(motion(Alice, 3, &[Alice], as_root(), true), None);

		assert_eq!(upgrades_authorized(), vec![]);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Council(pallet_collective::Event::Closed { yes: 1, no: 3, .. })
		)));
	});
}

/// The council's members, sorted.
fn council() -> Vec<sp_runtime::AccountId32> {
	pallet_collective::Members::<Runtime, Instance1>::get()
}

fn registry(call: pallet_registry::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Registry(call)
}

#[test]
fn the_founders_sit_on_the_council_as_the_registry_seats_them() {
	local_testnet().execute_with(|| {
		let mut founders: Vec<_> = [Alice, Bob, Charlie, Dave].map(|k| k.to_account_id()).into();
		founders.sort();
		assert_eq!(council(), founders);
		let seated: Vec<_> = pallet_registry::CouncilSeats::<Runtime>::get()
			.into_iter()
			.map(|(account, _)| account)
			.collect();
		assert_eq!(seated, founders);
	});
}

#[test]
fn suspending_a_council_member_takes_its_seat_in_the_same_block() {
	local_testnet().execute_with(|| {
		let dave = Dave.to_account_id();
		let member = pallet_registry::AccountOf::<Runtime>::get(&dave).unwrap();
		let suspend = registry(pallet_registry::Call::suspend { member });

		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], suspend, false), Some(Ok(())));

		assert!(!council().contains(&dave));
		assert_eq!(council().len(), 3);
		System::assert_has_event(
			pallet_registry::Event::CouncilSeatRevoked { member, account: dave }.into(),
		);
	});
}

#[test]
fn the_council_never_falls_below_three_seats() {
	local_testnet().execute_with(|| {
		let [charlie, dave] = [Charlie, Dave].map(|k| k.to_account_id());
		let revoke = |account| registry(pallet_registry::Call::revoke_council_seat { account });
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], revoke(dave), false), Some(Ok(())));

		// Three seats left: neither revoking nor suspending takes a fourth.
		let member = pallet_registry::AccountOf::<Runtime>::get(&charlie).unwrap();
		let suspend = registry(pallet_registry::Call::suspend { member });
		let too_small = Some(Err(pallet_registry::Error::<Runtime>::CouncilTooSmall.into()));
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], revoke(charlie), false), too_small);
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], suspend, false), too_small);
		assert_eq!(council().len(), 3);
	});
}

#[test]
fn seats_are_given_by_two_thirds_of_the_council_not_by_a_majority() {
	local_testnet().execute_with(|| {
		// Eve applies (she is endowed) and a majority admits her.
		let eve = Eve.to_account_id();
		let esco = pallet_registry::RoleSet::of(&[pallet_registry::Role::Esco]);
		assert_ok!(Registry::apply(
			RuntimeOrigin::signed(eve.clone()),
			b"Eve Energy".to_vec(),
			esco,
			H256::zero()
		));
		let admit = registry(pallet_registry::Call::admit { applicant: eve.clone(), roles: esco });
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], admit, false), Some(Ok(())));

		let grant = || registry(pallet_registry::Call::grant_council_seat { account: eve.clone() });
		// Three of four carry it; then, of five seats, three are a majority but not two thirds.
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], grant(), false), Some(Ok(())));
		assert!(council().contains(&eve));
		let revoke = registry(pallet_registry::Call::revoke_council_seat { account: eve.clone() });
		let refused = Some(Err(DispatchError::BadOrigin));
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], revoke, false), refused);
		let member = pallet_registry::AccountOf::<Runtime>::get(&eve).unwrap();
		let suspend = registry(pallet_registry::Call::suspend { member });
		assert_eq!(motion(Alice, 3, &[Alice, Bob, Charlie], suspend, false), refused);
		assert!(council().contains(&eve));
	});
}
