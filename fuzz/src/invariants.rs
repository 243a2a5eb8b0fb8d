//! What must hold after every block whatever was sent: every pallet's `try_state`, money neither
//! made nor lost (and none moved by meters, oracle or contracts), blocks within their weight in
//! use and in time, no call using more weight than it declared, what the pool found ready
//! included, every meter's readings counted once and its aggregates their sum, and every
//! settlement's obligation between its contract's two parties.

use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
use smartblocks_runtime::{
	Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System, UncheckedExtrinsic,
};
use sp_runtime::{
	generic::Preamble,
	transaction_validity::{InvalidTransaction, TransactionValidity, TransactionValidityError},
	ApplyExtrinsicResult, MultiAddress,
};

use crate::{chain::dispatch_and_roll_back, energy::Odometers};

/// An invariant that did not hold, with what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding(pub String);

impl std::fmt::Display for Finding {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(&self.0)
	}
}

/// What the checks carry from block to block.
#[derive(Default)]
pub struct Ledger {
	/// Per meter, the readings accepted so far and the last accepted number, from the events.
	accepted: BTreeMap<u32, (u64, u64)>,
	/// How long the open block's own execution took so far (its initialization, extrinsics and
	/// finalization, not the harness's checks between them).
	executing: Duration,
	/// What each energy meter's readings and exchanges add up to.
	pub odometers: Odometers,
}

impl Ledger {
	/// Runs `f`, part of the open block's execution, adding its time to the block's.
	pub fn timed<R>(&mut self, f: impl FnOnce() -> R) -> R {
		let started = Instant::now();
		let result = f();
		self.executing += started.elapsed();
		result
	}
}

fn finding(text: impl Into<String>) -> Finding {
	Finding(text.into())
}

/// Every check after a block's `finalize_block`, in its state.
pub fn after_block(ledger: &mut Ledger) -> Result<(), Finding> {
	let number = System::block_number();
	let at = |what: String| finding(format!("block {number}: {what}"));
	try_state().map_err(|error| at(format!("try_state: {error:?}")))?;
	issuance_is_every_balance().map_err(|f| at(f.0))?;
	within_block_weight(ledger).map_err(|f| at(f.0))?;
	readings_counted_once(ledger).map_err(|f| at(f.0))?;
	ledger.odometers.check().map_err(|f| at(f.0))?;
	obligations_between_parties().map_err(|f| at(f.0))?;
	Ok(())
}

/// Every pallet's `try_state` where the build has try-runtime (the coverage-guided fuzzer's);
/// otherwise (the tests') our pallets' own, which need no such build.
#[cfg(feature = "try-runtime")]
fn try_state() -> Result<(), sp_runtime::TryRuntimeError> {
	use frame_support::traits::{TryState, TryStateSelect};
	<smartblocks_runtime::AllPalletsWithSystem as TryState<u32>>::try_state(
		System::block_number(),
		TryStateSelect::All,
	)
}

/// Our pallets' invariants: every pallet's need a try-runtime build.
#[cfg(not(feature = "try-runtime"))]
fn try_state() -> Result<(), sp_runtime::TryRuntimeError> {
	pallet_registry::Pallet::<Runtime>::do_try_state()?;
	pallet_meters::Pallet::<Runtime>::do_try_state()?;
	pallet_energy_oracle::Pallet::<Runtime>::do_try_state()?;
	pallet_energy_contracts::Pallet::<Runtime>::do_try_state()?;
	Ok(())
}

/// Every settled period's obligation (and every award) is owed by one of its contract's two
/// parties to the other.
fn obligations_between_parties() -> Result<(), Finding> {
	use pallet_energy_contracts::{Contracts, Outcome, Statements};
	for (contract, period, statement) in Statements::<Runtime>::iter() {
		let Outcome::Settled { obligation: Some(obligation) } = statement.outcome else {
			continue;
		};
		let Some(record) = Contracts::<Runtime>::get(contract) else {
			return Err(finding(format!("contract {contract} is gone but period {period} stays")));
		};
		let parties = (record.agreement.provider, record.agreement.client);
		let owed = (obligation.debtor, obligation.creditor);
		if owed != parties && owed != (parties.1, parties.0) {
			return Err(finding(format!(
				"contract {contract} period {period}: {} owes {} but the parties are {parties:?}",
				obligation.debtor, obligation.creditor
			)));
		}
	}
	Ok(())
}

/// Every account's free and reserved balance.
fn balances() -> Vec<(smartblocks_runtime::AccountId, u128, u128)> {
	frame_system::Account::<Runtime>::iter()
		.map(|(account, info)| (account, info.data.free, info.data.reserved))
		.collect()
}

/// The total issuance is the sum of every account's free and reserved balance (holds are
/// reserved): no call makes or loses money.
fn issuance_is_every_balance() -> Result<(), Finding> {
	let held: u128 = frame_system::Account::<Runtime>::iter()
		.map(|(_, info)| info.data.free.saturating_add(info.data.reserved))
		.fold(0u128, u128::saturating_add);
	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	match held == issuance {
		true => Ok(()),
		false => Err(finding(format!("total issuance {issuance} but the accounts hold {held}"))),
	}
}

/// The block's transactions used no more weight than their class may (mandatory work, such as a
/// session's rotation, which pallet_session charges as a whole block, is over any limit by
/// design), and the block took no longer to execute than a block's weight allows (here
/// natively, faster than the wasm validators run: a bound, not a figure).
fn within_block_weight(ledger: &mut Ledger) -> Result<(), Finding> {
	let weights = <Runtime as frame_system::Config>::BlockWeights::get();
	let used = System::block_weight();
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		let limit = weights.get(class).max_total.unwrap_or(weights.max_block);
		if !used.get(class).all_lte(limit) {
			return Err(finding(format!(
				"{class:?} transactions used {:?} of {limit:?}",
				used.get(class)
			)));
		}
	}
	let max = weights.max_block;
	let picoseconds = std::mem::take(&mut ledger.executing).as_nanos().saturating_mul(1_000);
	if picoseconds > u128::from(max.ref_time()) {
		return Err(finding(format!(
			"the block took {:.3} s, over its weight's {:.3} s",
			picoseconds as f64 / 1e12,
			max.ref_time() as f64 / 1e12
		)));
	}
	Ok(())
}

/// Every accepted run follows the meter's last accepted number (no reading twice), and each
/// meter's hash chain is as long as its accepted readings.
fn readings_counted_once(ledger: &mut Ledger) -> Result<(), Finding> {
	for record in System::events() {
		let RuntimeEvent::Meters(pallet_meters::Event::ReadingsAccepted { runs }) = record.event
		else {
			continue;
		};
		for run in runs {
			let (count, last) = ledger.accepted.entry(run.meter).or_default();
			let first = run.last_sequence.saturating_sub(u64::from(run.count)).saturating_add(1);
			if run.count == 0 || (*count > 0 && first <= *last) {
				return Err(finding(format!(
					"meter {}: readings {first}..={} accepted after {last}",
					run.meter, run.last_sequence
				)));
			}
			*count = count.saturating_add(u64::from(run.count));
			*last = run.last_sequence;
		}
	}
	for (meter, record) in pallet_meters::Meters::<Runtime>::iter() {
		let counted = ledger.accepted.get(&meter).map_or(0, |(count, _)| *count);
		if record.chain.length != counted {
			return Err(finding(format!(
				"meter {meter}: hash chain of {} readings, {counted} accepted",
				record.chain.length
			)));
		}
	}
	Ok(())
}

/// The weight `extrinsic`'s call declares covers what dispatching it reports it used: the fee
/// and the block's room are charged on the declared weight before dispatch.
pub fn declared_weight_covers_dispatch(extrinsic: &UncheckedExtrinsic) -> Result<(), Finding> {
	let origin = match &extrinsic.preamble {
		Preamble::Signed(MultiAddress::Id(account), _, _) => RuntimeOrigin::signed(account.clone()),
		Preamble::Signed(..) => return Ok(()),
		Preamble::General(..) => RuntimeOrigin::from(
			frame_system::RawOrigin::<smartblocks_runtime::AccountId>::Authorized,
		),
		Preamble::Bare(_) => RuntimeOrigin::none(),
	};
	let declared = extrinsic.function.get_dispatch_info().call_weight;
	// Meters, oracle and contracts keep records; payments are made off chain.
	let moves_no_money = matches!(
		extrinsic.function,
		RuntimeCall::Meters(_) | RuntimeCall::Oracle(_) | RuntimeCall::EnergyContracts(_)
	);
	let (dispatched, moved) = dispatch_and_roll_back(extrinsic.function.clone(), origin, || {
		moves_no_money.then(balances).unwrap_or_default()
	});
	if moved {
		return Err(finding(format!("{:?} moved money", extrinsic.function)));
	}
	let reported = match dispatched {
		Ok(post) => post.actual_weight,
		Err(error) => error.post_info.actual_weight,
	};
	match reported {
		Some(used) if !used.all_lte(declared) => Err(finding(format!(
			"{:?} declared {declared:?} and reported {used:?}",
			extrinsic.function
		))),
		_ => Ok(()),
	}
}

/// A transaction the pool found ready (requiring nothing before it) goes into the block: the
/// pool takes, keeps and gossips only what it validated, and a transaction valid there but
/// refused in blocks is one nobody pays for. Only a full block leaves it out.
pub fn ready_goes_in(
	validity: &TransactionValidity,
	applied: &ApplyExtrinsicResult,
	call: &RuntimeCall,
) -> Result<(), Finding> {
	let Ok(valid) = validity else { return Ok(()) };
	match applied {
		Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => Ok(()),
		Err(refused) if valid.requires.is_empty() => Err(finding(format!(
			"the pool found {call:?} ready but the block refused it: {refused:?}"
		))),
		_ => Ok(()),
	}
}
