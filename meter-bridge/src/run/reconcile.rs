//! Reconciling: the outbox follows the chain's finalized blocks one by one and settles each
//! reading the chain accepted or refused there, with the reason, and each number its device
//! skipped. The chain judges a meter's readings strictly in sequence and reports refusals only
//! of readings its device signed, so an accepted run is exactly the numbers below its last and a
//! forgery a relay brings settles nothing. The block it got to is kept, so after a restart it
//! goes on from there; blocks whose state the node no longer keeps are settled from the meters'
//! hash chains instead.

use super::{RoundError, Shared};
use crate::outbox::{signed_reading, Outbox};
use smartblocks_client::{
	meters::{chain_over, refusal_text, BlockReadings, HashChain, SignedReading},
	subxt::utils::H256,
	Client, ClientError,
};
use std::{sync::Arc, time::Duration};

/// The fact naming the last finalized block reconciled.
pub const RECONCILED: &str = "reconciled_block";
/// How often the finalized head is looked at.
const EVERY: Duration = Duration::from_secs(2);
/// Blocks reconciled per round at most, so a long catch-up reports progress.
const BLOCKS_PER_ROUND: u64 = 200;
/// Subsets tried when settling from a hash chain, before giving up on a meter.
const MAX_TRIES: usize = 100_000;

/// Reconciles until the task is dropped.
pub async fn follow_finality(shared: Arc<Shared>) {
	loop {
		tokio::time::sleep(EVERY).await;
		if let Err(error) = super::bounded(round(&shared)).await {
			error.report(&shared.node).await;
		}
	}
}

async fn round(shared: &Shared) -> Result<(), RoundError> {
	let client = shared.node.client().await?;
	let (finalized, head) = client.finalized_head().await?;
	let Some(reconciled) = shared.outbox.fact::<u64>(RECONCILED)? else {
		// A new outbox: nothing it holds can be in blocks before this one.
		shared.outbox.keep_fact(RECONCILED, &finalized)?;
		return Ok(());
	};
	learn_chain_next(shared, &client).await?;
	let last = finalized.min(reconciled.saturating_add(BLOCKS_PER_ROUND));
	for number in reconciled.saturating_add(1)..=last {
		match client.readings_in_block(number).await {
			Ok(block) => {
				settle_block(&shared.outbox, |meter| shared.is_ours(meter), &block)?;
				note_judged(shared, &block);
			}
			Err(error) if state_discarded(&error) => {
				tracing::warn!(
					from = number,
					to = finalized,
					"the node no longer keeps these blocks' events; settling from hash chains"
				);
				settle_from_hash_chains(shared, &client, head.0).await?;
				shared.outbox.keep_fact(RECONCILED, &finalized)?;
				return Ok(());
			}
			Err(error) => return Err(error.into()),
		}
		shared.outbox.keep_fact(RECONCILED, &number)?;
	}
	Ok(())
}

/// Asks the chain where the meters whose next sequence the bridge does not know yet stand
/// (the node was away when the bridge started).
async fn learn_chain_next(shared: &Shared, client: &Client) -> Result<(), RoundError> {
	for &meter in shared.chain_meters() {
		if shared.chain_next(meter).is_none() {
			if let Some(info) = client.meter(meter).await? {
				shared.chain_passed(meter, info.last_sequence.unwrap_or(0));
			}
		}
	}
	Ok(())
}

/// Notes how far `block` took each meter's numbers.
fn note_judged(shared: &Shared, block: &BlockReadings) {
	for run in &block.accepted {
		shared.chain_passed(run.meter, run.last_sequence);
	}
	for refused in &block.refused {
		shared.chain_passed(refused.meter, refused.sequence);
	}
	for skipped in &block.skipped {
		shared.chain_passed(skipped.meter, skipped.last);
	}
}

fn state_discarded(error: &ClientError) -> bool {
	let text = error.to_string();
	text.contains("discarded") || text.contains("UnknownBlock") || text.contains("not found")
}

/// Settles the readings of the meters `ours` picks in `block`: refusals with their reasons,
/// numbers their devices skipped, and each accepted run, which is exactly the numbers
/// `last_sequence - count + 1 ..= last_sequence`.
pub fn settle_block(
	outbox: &Outbox,
	ours: impl Fn(u32) -> bool,
	block: &BlockReadings,
) -> Result<(), RoundError> {
	for refused in block.refused.iter().filter(|r| ours(r.meter)) {
		let reason = refusal_text(&refused.reason);
		tracing::warn!(meter = refused.meter, sequence = refused.sequence, reason, "refused");
		match outbox.reject(refused.meter, refused.sequence, reason) {
			// Not in this outbox (it was replaced): nothing to settle.
			Ok(()) | Err(crate::outbox::OutboxError::Unknown { .. }) => {}
			Err(error) => return Err(error.into()),
		}
	}
	for skipped in block.skipped.iter().filter(|s| ours(s.meter)) {
		for sequence in pending_in(outbox, skipped.meter, skipped.first, skipped.last)? {
			outbox.reject(skipped.meter, sequence, SKIPPED)?;
		}
	}
	for run in block.accepted.iter().filter(|run| ours(run.meter)) {
		let first = run.last_sequence.saturating_sub(u64::from(run.count).saturating_sub(1));
		let readings: Vec<_> = pending_in(outbox, run.meter, first, run.last_sequence)?
			.into_iter()
			.map(|sequence| (run.meter, sequence))
			.collect();
		outbox.accept(&readings, block.hash.0)?;
		tracing::debug!(meter = run.meter, count = run.count, block = block.number, "final");
	}
	Ok(())
}

/// `meter`'s pending readings numbered `first..=last`.
fn pending_in(outbox: &Outbox, meter: u32, first: u64, last: u64) -> Result<Vec<u64>, RoundError> {
	let mut pending = outbox.pending_through(meter, last)?;
	pending.retain(|sequence| *sequence >= first);
	Ok(pending)
}

/// Why the outbox rejects a reading whose number its device skipped on chain.
pub const SKIPPED: &str = "skipped: the device declared on chain that it will never be delivered";
const REASON_PRUNED: &str =
	"refused by the chain; the reason is gone from the node's state (pruned)";

/// Settles each meter's pending readings the chain has already judged (sequence at or below
/// its last) from its hash chain: the chain's count of accepted readings tells how many of them
/// were accepted, and its head which ones.
async fn settle_from_hash_chains(
	shared: &Shared,
	client: &Client,
	block_hash: [u8; 32],
) -> Result<(), RoundError> {
	for &meter in shared.chain_meters() {
		let Some(info) = client.meter(meter).await? else { continue };
		let Some(last) = info.last_sequence else { continue };
		let judged = shared.outbox.pending_through(meter, last)?;
		if judged.is_empty() {
			continue;
		}
		let accepted_before = shared.outbox.accepted_payloads(meter)?;
		let newly = info.chain.length.saturating_sub(accepted_before.len() as u64) as usize;
		let readings = judged
			.iter()
			.map(|&sequence| {
				signed_reading(meter, sequence, &shared.outbox.payload(meter, sequence)?)
			})
			.collect::<Result<Vec<_>, _>>()?;
		let start = chain_over(
			HashChain { head: H256::zero(), length: 0 },
			accepted_before
				.iter()
				.map(|(&sequence, payload)| {
					signed_reading(meter, sequence, payload).map(|signed| signed.reading)
				})
				.collect::<Result<Vec<_>, _>>()?
				.iter(),
		);
		let Some(chosen) = accepted_subset(&start, &readings, newly, &info.chain) else {
			tracing::error!(
				meter,
				"cannot tell which readings the chain accepted; they stay pending: check the outbox \
				 against the chain (meters.verify_chain)"
			);
			continue;
		};
		for (index, sequence) in judged.iter().enumerate() {
			if chosen.contains(&index) {
				shared.outbox.accept(&[(meter, *sequence)], block_hash)?;
			} else {
				shared.outbox.reject(meter, *sequence, REASON_PRUNED)?;
			}
		}
	}
	Ok(())
}

/// The indexes of `count` readings (kept in order) that chained from `start` give `target`.
pub fn accepted_subset(
	start: &HashChain,
	readings: &[SignedReading],
	count: usize,
	target: &HashChain,
) -> Option<Vec<usize>> {
	if start.length + count as u64 != target.length || count > readings.len() {
		return None;
	}
	let mut chosen: Vec<usize> = (0..count).collect();
	for _ in 0..MAX_TRIES {
		let chain = chain_over(start.clone(), chosen.iter().map(|i| &readings[*i].reading));
		if chain == *target {
			return Some(chosen);
		}
		// The next combination in lexicographic order.
		let n = readings.len();
		let position = (0..count).rev().find(|&i| chosen[i] < n - count + i)?;
		chosen[position] += 1;
		for i in position + 1..count {
			chosen[i] = chosen[i - 1] + 1;
		}
	}
	None
}
