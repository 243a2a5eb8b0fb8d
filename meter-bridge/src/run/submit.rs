//! Sending: pending readings go to the node in batches as general transactions their own
//! signatures authorize, so the building needs no account key. Each meter has one run of
//! readings in flight at a time, always from its oldest pending reading and at most what a block
//! takes of one meter, so the chain never sees a gap in a meter's sequence: its next run goes
//! once the chain has finalized the last, or after `RESEND_AFTER` without that (the node
//! restarted and lost its pool, or dropped the batch), again from the oldest pending reading.
//! A run counts as in flight while its first reading is pending: a block takes a run whole, so
//! whichever run of the meter the chain took (this one, or another the pool held from before a
//! restart of the bridge), the readings behind it go as soon as it is settled.
//! Rounds start where the last one stopped, so every meter gets its turn however many have
//! readings waiting. The pool keeps one copy of each reading.
//!
//! A reading the pool refuses for good (the chain would refuse it: implausible, too soon, …)
//! is rejected in the outbox with the reason. The numbers the outbox rejected that the chain
//! still expects are then skipped with the device's signed skip, ahead of the meter's next run,
//! so the meter's later readings land. Readings of a retired meter are rejected; readings
//! signed with a key the meter no longer has are signed again with the bridge's key for it.

use super::{RoundError, Shared};
use smartblocks_client::{
	meters::{
		refusal_text, sign_reading, sign_skip, signing_payload, PoolRefusal, ReadingsSender,
		SequenceSkip, SignedReading, SignedSkip,
	},
	subxt::ext::codec::Encode,
	subxt_signer::sr25519,
	ClientError,
};
use std::{
	collections::HashMap,
	sync::Arc,
	time::{Duration, Instant},
};

/// How long a sent reading waits for finality before it is sent again.
pub const RESEND_AFTER: Duration = Duration::from_secs(30);
/// How often the outbox is looked at when nothing new was recorded.
const IDLE: Duration = Duration::from_secs(3);
/// Batches sent per round at most, so reconciling keeps up with sending.
const BATCHES_PER_ROUND: usize = 8;

/// The first reading of each run in flight (and each skip, by its last number), by (meter,
/// sequence), and when it was sent.
type InFlight = HashMap<(u32, u64), Instant>;

/// Sends pending readings until the task is dropped.
pub async fn send_pending(shared: Arc<Shared>) {
	let mut sent = InFlight::new();
	let mut sender: Option<ReadingsSender> = None;
	let mut start = 0usize;
	loop {
		let _ = tokio::time::timeout(IDLE, shared.wait_recorded()).await;
		sent.retain(|_, at| at.elapsed() < RESEND_AFTER);
		if let Err(error) = super::bounded(round(&shared, &mut sender, &mut sent, &mut start)).await
		{
			sender = None;
			error.report(&shared.node).await;
		}
	}
}

/// One round: the skips owed, then the pending readings not in flight, in batches; meters are
/// taken from `start` on, which moves past the last meter served.
async fn round(
	shared: &Shared,
	sender: &mut Option<ReadingsSender>,
	sent: &mut InFlight,
	start: &mut usize,
) -> Result<(), RoundError> {
	let sender = match sender {
		Some(sender) => sender,
		None => sender.insert(shared.node.client().await?.readings_sender().await?),
	};
	let max_batch = sender.max_batch() as usize;
	let per_meter = sender.max_per_meter().max(1) as usize;
	let limit = max_batch * BATCHES_PER_ROUND;
	let meters = shared.chain_meters();
	let mut due = Vec::new();
	let mut served = 0;
	for offset in 0..meters.len() {
		if due.len() >= limit {
			break;
		}
		served += 1;
		let meter = meters[(*start + offset) % meters.len()];
		let pending = shared.outbox.pending_of(meter, per_meter)?;
		let Some(first) = pending.first() else { continue };
		if sent.contains_key(&(meter, first.sequence)) {
			continue;
		}
		if let Some(skipped) = owed_skip(shared, meter, first.sequence) {
			if sent.contains_key(&(meter, first.sequence - 1)) {
				continue;
			}
			send_skip(sender, skipped, sent).await?;
		}
		for reading in pending {
			match reading.signed() {
				Ok(signed) => due.push(signed),
				Err(error) => {
					// Sent without it, the meter's run would have a gap: the rest waits for
					// the next round, which skips its number.
					let reason = error.to_string();
					tracing::error!(meter, sequence = reading.sequence, %reason);
					shared.outbox.reject(meter, reading.sequence, &reason)?;
					break;
				}
			}
		}
	}
	*start = (*start + served) % meters.len().max(1);
	for batch in due.chunks(max_batch) {
		send(shared, sender, batch, sent).await?;
	}
	Ok(())
}

/// The device's skip of the numbers the chain still expects of `meter` below its oldest
/// pending reading `first`: every one of them is settled in the outbox (rejected, or accepted in
/// a block not reconciled yet, whose skip the chain refuses as stale), so none is a reading the
/// chain could still take.
fn owed_skip(shared: &Shared, meter: u32, first: u64) -> Option<SignedSkip> {
	let next = shared.chain_next(meter)?;
	if first <= next {
		return None;
	}
	let key = shared.key(meter)?;
	let skip = SequenceSkip { meter, first: next, last: first - 1 };
	tracing::info!(meter, first = next, last = first - 1, "skipping numbers the outbox rejected");
	Some(sign_skip(key, shared.genesis, skip))
}

async fn send_skip(
	sender: &ReadingsSender,
	skip: SignedSkip,
	sent: &mut InFlight,
) -> Result<(), RoundError> {
	let (meter, last) = (skip.skip.meter, skip.skip.last);
	match sender.send_skip(skip).await {
		// A banned skip was refused lately: it is sent again after the ban.
		Ok(_) | Err(ClientError::AlreadyInPool | ClientError::Banned) => {}
		Err(ClientError::ReadingsRefused { reason, .. }) => {
			tracing::warn!(meter, reason, "the node refused the meter's skip")
		}
		Err(other) => return Err(other.into()),
	}
	sent.insert((meter, last), Instant::now());
	Ok(())
}

/// Sends `batch`; a batch the pool refuses is split by meter, so one meter's trouble (a
/// suspended meter, a rotated key) does not hold the others' readings back, and a meter's run
/// with a reading that can never land is sent reading by reading to find it.
async fn send(
	shared: &Shared,
	sender: &ReadingsSender,
	batch: &[SignedReading],
	sent: &mut InFlight,
) -> Result<(), RoundError> {
	let mut parts = vec![batch.to_vec()];
	let mut split = false;
	while let Some(part) = parts.pop() {
		match sender.send(part.clone()).await {
			Ok(_) | Err(ClientError::AlreadyInPool) => {}
			// Refused lately (say, while its meter was suspended): the pool looks at these very
			// bytes again after its ban; a run that grew in the meantime goes sooner.
			Err(ClientError::Banned) => {
				let meter = part.first().map_or(0, |signed| signed.reading.meter);
				tracing::debug!(meter, "the node banned this batch for a while");
			}
			Err(ClientError::ReadingsRefused { reason, .. }) if !split && spans_meters(&part) => {
				tracing::debug!(reason, "batch refused; sending it meter by meter");
				parts.extend(by_meter(&part));
				split = true;
				continue;
			}
			Err(ClientError::ReadingsRefused { refusal: PoolRefusal::Reading(_), .. }) => {
				send_until_refused(shared, sender, &part, sent).await?;
				continue;
			}
			Err(ClientError::ReadingsRefused { refusal: PoolRefusal::Retired, reason }) => {
				for signed in &part {
					let (meter, sequence) = (signed.reading.meter, signed.reading.sequence);
					shared.outbox.reject(meter, sequence, reason)?;
				}
				continue;
			}
			Err(ClientError::ReadingsRefused { refusal: PoolRefusal::Signature, reason }) => {
				if sign_again(shared, &part)? {
					// The next round sends them as signed again.
					tracing::info!(reason, "readings signed again with the meter's current key");
					continue;
				}
			}
			// Part of the run is in a block already (after a restart, or its resend): it goes
			// again from the oldest reading still pending once that block is settled.
			Err(ClientError::ReadingsRefused { refusal: PoolRefusal::Stale, .. }) => {
				let meter = part.first().map_or(0, |signed| signed.reading.meter);
				tracing::debug!(meter, "part of the run is on chain already");
			}
			Err(ClientError::ReadingsRefused { reason, .. }) => {
				let meter = part.first().map_or(0, |signed| signed.reading.meter);
				tracing::warn!(meter, reason, "the node refused the meter's readings");
			}
			Err(other) => return Err(other.into()),
		}
		mark_sent(&part, sent);
	}
	Ok(())
}

/// Sends one meter's `run` a reading at a time up to the first the chain would refuse for good,
/// which is rejected in the outbox with the reason (the next round skips its number).
async fn send_until_refused(
	shared: &Shared,
	sender: &ReadingsSender,
	run: &[SignedReading],
	sent: &mut InFlight,
) -> Result<(), RoundError> {
	for signed in run {
		let (meter, sequence) = (signed.reading.meter, signed.reading.sequence);
		match sender.send(vec![signed.clone()]).await {
			Ok(_) | Err(ClientError::AlreadyInPool | ClientError::Banned) => {
				mark_sent(std::slice::from_ref(signed), sent)
			}
			Err(ClientError::ReadingsRefused { refusal: PoolRefusal::Reading(reason), .. }) => {
				let text = refusal_text(&reason);
				tracing::warn!(
					meter,
					sequence,
					reason = text,
					"the chain would refuse it: rejected"
				);
				shared.outbox.reject(meter, sequence, text)?;
				return Ok(());
			}
			Err(ClientError::ReadingsRefused { reason, .. }) => {
				tracing::warn!(meter, sequence, reason, "the node refused the meter's reading");
				mark_sent(std::slice::from_ref(signed), sent);
				return Ok(());
			}
			Err(other) => return Err(other.into()),
		}
	}
	Ok(())
}

/// Signs `run` again with the bridge's key of its meter where an older key signed it (the key
/// was rotated while they waited), so the next round sends them anew; whether any was. None
/// was when the chain's key of the meter is not the bridge's: they wait for the owner.
fn sign_again(shared: &Shared, run: &[SignedReading]) -> Result<bool, RoundError> {
	let mut again = false;
	for signed in run {
		let (meter, sequence) = (signed.reading.meter, signed.reading.sequence);
		let Some(key) = shared.key(meter) else { continue };
		let payload = signing_payload(shared.genesis, &signed.reading);
		let current = sr25519::Signature(signed.signature);
		if sr25519::verify(&current, &payload, &key.public_key()) {
			continue;
		}
		let resigned = sign_reading(key, shared.genesis, signed.reading.clone());
		shared.outbox.replace_pending(meter, sequence, &resigned.encode())?;
		again = true;
	}
	if !again {
		let meter = run.first().map_or(0, |signed| signed.reading.meter);
		tracing::error!(
			meter,
			"the chain's device key of the meter is not the bridge's: its readings wait until \
			 the owner rotates the key to the bridge's (its public key is logged at start)"
		);
	}
	Ok(again)
}

/// Counts each meter's run in `readings` in flight, by its first reading.
fn mark_sent(readings: &[SignedReading], sent: &mut InFlight) {
	let now = Instant::now();
	for run in readings.chunk_by(|a, b| a.reading.meter == b.reading.meter) {
		sent.insert((run[0].reading.meter, run[0].reading.sequence), now);
	}
}

fn spans_meters(batch: &[SignedReading]) -> bool {
	batch.windows(2).any(|pair| pair[0].reading.meter != pair[1].reading.meter)
}

/// `batch` cut into runs of one meter each (a batch holds each meter's readings together).
fn by_meter(batch: &[SignedReading]) -> Vec<Vec<SignedReading>> {
	batch.chunk_by(|a, b| a.reading.meter == b.reading.meter).map(<[_]>::to_vec).collect()
}
