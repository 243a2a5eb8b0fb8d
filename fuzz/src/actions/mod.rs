//! What the fuzzer does, read from its input: time passing (a block at the next slot or days
//! later), transfers, membership, council motions and votes, oracle values, sites and meters with
//! their readings, skips, exchanges and keys, contracts from proposal through settlement and
//! disputes, and any call the input's bytes decode to, from any account or none.
//!
//! Arguments are read to be mostly valid (the chain's next numbers, its clock, its parties), so
//! that runs get past the first check of each call; the rest of each byte's range makes them
//! wrong in the ways a hostile sender would.

mod contracts;
mod governance;
mod meters;
mod oracle;

use arbitrary::Unstructured;
use codec::DecodeLimit;
use pallet_balances::Call as BalancesCall;
use smartblocks_runtime::{currency::UNIT, RuntimeCall};
use sp_keyring::Sr25519Keyring;
use sp_runtime::MultiAddress;

use crate::{
	chain::{Chain, ACCOUNTS},
	invariants::Finding,
};

/// One step of a run; `Ok(false)` when the input is used up.
pub fn step(chain: &mut Chain, input: &mut Unstructured) -> Result<bool, Finding> {
	// arbitrary reads zeros from an input that is used up: the run ends there.
	if input.is_empty() {
		return Ok(false);
	}
	let Ok(choice) = input.int_in_range(0u8..=23) else { return Ok(false) };
	// An input too short for the action's arguments reads zeros: still an action.
	match choice {
		0 => next_block(chain, input)?,
		1 => transfer(chain, input)?,
		2 => meters::register_site(chain, input)?,
		3 => meters::register_meter(chain, input)?,
		4 | 5 => meters::readings(chain, input)?,
		6 => meters::skip(chain, input)?,
		7 => meters::set_status(chain, input)?,
		8 => meters::exchange(chain, input)?,
		9 => meters::rotate_key(chain, input)?,
		10 => governance::apply(chain, input)?,
		11 => governance::propose(chain, input)?,
		12 => governance::vote(chain, input)?,
		13 => governance::close(chain, input)?,
		14 => oracle::submit(chain, input)?,
		15 => oracle::finalize(chain, input)?,
		16 => contracts::propose(chain, input)?,
		17 => contracts::sign_or_withdraw(chain, input)?,
		18 => contracts::settle(chain, input)?,
		19 => contracts::after_settlement(chain, input)?,
		20 => contracts::dispute(chain, input)?,
		21 => contracts::end(chain, input)?,
		22 => contracts::call_event(chain, input)?,
		_ => any_call(chain, input)?,
	}
	Ok(true)
}

/// A byte of the input, 0 once it is used up.
pub(crate) fn byte(input: &mut Unstructured) -> u8 {
	input.arbitrary().unwrap_or(0)
}

/// Two bytes of the input, 0 once it is used up.
pub(crate) fn word(input: &mut Unstructured) -> u32 {
	u32::from(input.arbitrary::<u16>().unwrap_or(0))
}

/// One of `items`, by a byte of the input (the first once it is used up).
pub(crate) fn pick<T: Copy>(input: &mut Unstructured, items: &[T]) -> T {
	items[usize::from(byte(input)) % items.len()]
}

/// One of the fuzzer's accounts.
pub(crate) fn account(input: &mut Unstructured) -> Sr25519Keyring {
	pick(input, &ACCOUNTS)
}

/// `call` signed by `who`, offered to the pool and to the open block.
pub(crate) fn send(
	chain: &mut Chain,
	who: Sr25519Keyring,
	call: RuntimeCall,
) -> Result<(), Finding> {
	let extrinsic = chain.signed(who, call);
	chain.submit(extrinsic).map(|_| ())
}

/// Closes the block and opens the next: mostly at the next slot, sometimes hours or days on.
fn next_block(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let slots = match byte(input) {
		0..=199 => 1,
		200..=239 => 1 + u64::from(byte(input)),
		_ => 1 + u64::from(word(input)),
	};
	chain.next_block(slots)
}

fn transfer(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let (from, to) = (account(input), account(input));
	let value = u128::from(byte(input)) * UNIT / 10 + u128::from(word(input));
	let dest = MultiAddress::Id(to.to_account_id());
	send(chain, from, RuntimeCall::Balances(BalancesCall::transfer_keep_alive { dest, value }))
}

/// Whether `call` asks for Root, directly or as a council motion: two thirds of the council may
/// rewrite any storage by design, which no invariant survives. The motions' own menu
/// (`governance`) holds what Root does in a consortium.
fn acts_as_root(call: &RuntimeCall) -> bool {
	match call {
		RuntimeCall::CouncilRoot(_) | RuntimeCall::Sudo(_) => true,
		RuntimeCall::Council(
			pallet_collective::Call::propose { proposal, .. }
			| pallet_collective::Call::execute { proposal, .. },
		) => acts_as_root(proposal),
		_ => false,
	}
}

/// Any call the bytes decode to, from an account or as a transaction with no account.
fn any_call(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = byte(input);
	let len = usize::from(byte(input));
	let bytes = input.bytes(len.min(input.len())).unwrap_or_default();
	// As deep as the runtime decodes a transaction's call (sp_api's MAX_EXTRINSIC_DEPTH).
	let Ok(call) = RuntimeCall::decode_with_depth_limit(256, &mut &bytes[..]) else {
		return Ok(());
	};
	if acts_as_root(&call) {
		return Ok(());
	}
	match who % 8 {
		6 | 7 => chain.submit(Chain::authorized(call)).map(|_| ()),
		index => send(chain, ACCOUNTS[usize::from(index)], call),
	}
}
