//! Sending: pending readings go to the node in batches as general transactions their own
//! signatures authorize, so the building needs no account key. Each meter has one run of
//! readings in flight at a time, always from its oldest pending reading, so the chain never sees
//! a gap in a meter's sequence: its next run goes once the chain has finalized the last, or
//! after `RESEND_AFTER` without that (the node restarted and lost its pool, or dropped the
//! batch), again from the oldest pending reading. The pool keeps one copy of each reading.

use super::{Shared, Trouble};
use smartblocks_client::{
	meters::{ReadingsSender, SignedReading},
	subxt::ext::codec::Decode,
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

/// Sends pending readings until the task is dropped.
pub async fn send_pending(shared: Arc<Shared>) {
	let mut sent: HashMap<(u32, u64), Instant> = HashMap::new();
	let mut sender: Option<ReadingsSender> = None;
	loop {
		let _ = tokio::time::timeout(IDLE, shared.wait_recorded()).await;
		sent.retain(|_, at| at.elapsed() < RESEND_AFTER);
		if let Err(trouble) = super::bounded(round(&shared, &mut sender, &mut sent)).await {
			sender = None;
			trouble.report(&shared.link).await;
		}
	}
}

/// One round: the pending readings not in flight, in batches.
async fn round(
	shared: &Shared,
	sender: &mut Option<ReadingsSender>,
	sent: &mut HashMap<(u32, u64), Instant>,
) -> Result<(), Trouble> {
	let sender = match sender {
		Some(sender) => sender,
		None => sender.insert(shared.link.client().await?.readings_sender().await?),
	};
	let max_batch = sender.max_batch() as usize;
	let limit = max_batch * BATCHES_PER_ROUND;
	let mut due = Vec::new();
	for &meter in shared.chain_meters() {
		if due.len() >= limit {
			break;
		}
		let pending = shared.outbox.pending_of(meter, max_batch)?;
		if pending.iter().any(|reading| sent.contains_key(&(meter, reading.sequence))) {
			continue;
		}
		for reading in pending {
			match SignedReading::decode(&mut reading.payload.as_slice()) {
				Ok(signed) => due.push(signed),
				Err(error) => {
					// Sent without it, the meter's run would have a gap: the rest waits for
					// the next round.
					let reason = format!("the outbox entry is no signed reading: {error}");
					tracing::error!(meter, sequence = reading.sequence, %reason);
					shared.outbox.reject(meter, reading.sequence, &reason)?;
					break;
				}
			}
		}
	}
	for batch in due.chunks(max_batch) {
		send(sender, batch, sent).await.map_err(Trouble::Chain)?;
	}
	Ok(())
}

/// Sends `batch`; a batch the pool refuses is split by meter, so one meter's trouble (a
/// suspended meter, a rotated key) does not hold the others' readings back.
async fn send(
	sender: &ReadingsSender,
	batch: &[SignedReading],
	sent: &mut HashMap<(u32, u64), Instant>,
) -> Result<(), ClientError> {
	let mut parts = vec![batch.to_vec()];
	let mut split = false;
	while let Some(part) = parts.pop() {
		match sender.send(part.clone()).await {
			Ok(_) | Err(ClientError::AlreadyInPool) => {}
			Err(ClientError::ReadingsRefused { reason }) if !split && spans_meters(&part) => {
				tracing::debug!(reason, "batch refused; sending it meter by meter");
				parts.extend(by_meter(&part));
				split = true;
				continue;
			}
			Err(ClientError::ReadingsRefused { reason }) => {
				let meter = part.first().map_or(0, |signed| signed.reading.meter);
				tracing::warn!(meter, reason, "the node refused the meter's readings");
			}
			Err(other) => return Err(other),
		}
		let now = Instant::now();
		for signed in &part {
			sent.insert((signed.reading.meter, signed.reading.sequence), now);
		}
	}
	Ok(())
}

fn spans_meters(batch: &[SignedReading]) -> bool {
	batch.windows(2).any(|pair| pair[0].reading.meter != pair[1].reading.meter)
}

/// `batch` cut into runs of one meter each (a batch holds each meter's readings together).
fn by_meter(batch: &[SignedReading]) -> Vec<Vec<SignedReading>> {
	batch.chunk_by(|a, b| a.reading.meter == b.reading.meter).map(<[_]>::to_vec).collect()
}
