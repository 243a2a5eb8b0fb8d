//! What must hold after every block whatever was sent: our pallets' `try_state`, money neither
//! made nor lost, blocks within their weight in use and in time, no call using more weight than
//! it declared, and every meter's readings counted once.

use std::{collections::BTreeMap, time::Instant};

use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
use smartblocks_runtime::{Runtime, RuntimeEvent, RuntimeOrigin, System, UncheckedExtrinsic};
use sp_runtime::{generic::Preamble, MultiAddress};

use crate::chain::dispatch_and_roll_back;

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
	/// When the open block began executing.
	started: Option<Instant>,
}

impl Ledger {
	/// Notes that a block begins executing now.
	pub fn block_started(&mut self) {
		self.started = Some(Instant::now());
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
	Ok(())
}

/// Our pallets' invariants (their `try_state`, which needs no try-runtime build). FRAME's own
/// pallets' checks need one: the coverage-guided build will have it.
fn try_state() -> Result<(), sp_runtime::TryRuntimeError> {
	pallet_registry::Pallet::<Runtime>::do_try_state()?;
	pallet_meters::Pallet::<Runtime>::do_try_state()?;
	pallet_energy_oracle::Pallet::<Runtime>::do_try_state()?;
	pallet_energy_contracts::Pallet::<Runtime>::do_try_state()?;
	Ok(())
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
	if let Some(started) = ledger.started.take() {
		let picoseconds = started.elapsed().as_nanos().saturating_mul(1_000);
		if picoseconds > u128::from(max.ref_time()) {
			return Err(finding(format!(
				"the block took {:.3} s, over its weight's {:.3} s",
				picoseconds as f64 / 1e12,
				max.ref_time() as f64 / 1e12
			)));
		}
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
	let reported = match dispatch_and_roll_back(extrinsic.function.clone(), origin) {
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
