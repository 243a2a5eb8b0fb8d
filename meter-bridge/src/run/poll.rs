//! Polling one meter: read it on the poll grid, turn the sample into a reading, sign it and
//! record it in the outbox before anything else sees it. A counter reset holds the meter until
//! the chain explains it.

use super::{connection::NodeConnection, Shared, Target};
use crate::{
	measure::{measure, HeldReset, MeasureError, MeterState},
	modbus::{Health, MeterReader},
};
use smartblocks_client::{
	meters::{sign_reading, Reading},
	subxt::ext::codec::Encode,
};
use std::{sync::Arc, time::Duration};
use tokio::time::MissedTickBehavior;

/// Polls `target` every `period` until the task is dropped.
pub async fn poll_meter(shared: Arc<Shared>, target: Target, period: Duration) {
	let mut reader = MeterReader::on_bus(target.config.clone(), &target.maps, target.bus.clone());
	let mut ticks = tokio::time::interval_at(next_slot(period), period);
	ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
	let name = target.config.name.as_str();
	// The last trouble logged: the same trouble again is not logged every poll.
	let mut trouble: Option<String> = None;
	loop {
		ticks.tick().await;
		let started = std::time::Instant::now();
		let read = reader.read().await;
		shared.metrics.poll(name, started.elapsed().as_secs_f64(), read.is_ok());
		let outcome = match read {
			Ok(sample) => {
				// When the meter was read, before any network call the sample waits for.
				let read_at = super::now_ms();
				shared.set_health(name, Health::Ok);
				match record(&shared, &target, &sample, read_at).await {
					Ok(true) => Ok(()),
					Ok(false) => {
						let error = HELD.to_string();
						shared.set_health(
							name,
							Health::Failing { consecutive: 1, error: error.clone() },
						);
						Err(error)
					}
					Err(error) => Err(format!("no reading: {error}")),
				}
			}
			Err(error) => {
				shared.set_health(name, reader.health().clone());
				Err(format!("read failed: {error}"))
			}
		};
		match outcome {
			Ok(()) => {
				if trouble.take().is_some() {
					tracing::info!(meter = name, "readings again");
				}
			}
			Err(message) => {
				if trouble.as_deref() != Some(message.as_str()) {
					tracing::warn!(meter = name, "{message}");
					trouble = Some(message);
				}
			}
		}
	}
}

const HELD: &str = "held: the register fell; no readings until the owner declares a meter exchange";

/// The next instant on the grid of `period` (wall clock), so readings fall on round times.
fn next_slot(period: Duration) -> tokio::time::Instant {
	let period_ms = period.as_millis().max(1) as u64;
	let now = super::now_ms();
	let wait = period_ms - now % period_ms;
	tokio::time::Instant::now() + Duration::from_millis(wait)
}

/// Records the reading `sample` (read at `read_at`, ms since the epoch) makes; `false` if a
/// counter reset holds the meter.
async fn record(
	shared: &Shared,
	target: &Target,
	sample: &crate::modbus::Sample,
	read_at: u64,
) -> anyhow::Result<bool> {
	let name = target.config.name.as_str();
	let meter = target.chain_meter;
	let mut state = shared.outbox.meter_state(meter)?.unwrap_or_default();
	if state.held.is_some()
		&& !explain_reset(&shared.node, &shared.outbox, meter, &mut state).await?
	{
		// The register as a new meter's, measured from scratch: what the owner declares.
		let fresh = &mut MeterState::default();
		let latest = measure(target.config.kind, target.multiplier, sample, fresh).ok();
		if let (Some(held), Some(measured)) = (state.held.as_mut(), latest) {
			held.latest = Some(measured.register);
			held.latest_at = Some(read_at);
			shared.outbox.save_state(meter, &state)?;
		}
		return Ok(false);
	}
	let measured = match measure(target.config.kind, target.multiplier, sample, &mut state) {
		Ok(measured) => measured,
		Err(MeasureError::Reset { last, now }) => {
			let exchanges = exchanges(&shared.node, meter).await;
			state.held = Some(HeldReset {
				last,
				now,
				exchanges,
				latest: Some(now),
				latest_at: Some(read_at),
			});
			shared.outbox.save_state(meter, &state)?;
			tracing::error!(
				meter = name,
				last,
				now,
				"the register fell: a counter reset; no readings until the owner declares a meter \
				 exchange (extrinsic meters.declare_exchange, with the new register and its time \
				 from the bridge's /status)"
			);
			return Ok(false);
		}
		Err(error) => return Err(error.into()),
	};
	let timestamp = read_at.max(state.last_timestamp.map_or(0, |last| last + 1));
	state.last_timestamp = Some(timestamp);
	let sequence = shared.outbox.record(meter, &state, |sequence| {
		let reading = Reading {
			meter,
			sequence,
			timestamp,
			register: measured.register,
			demand: measured.demand,
			temperature: measured.temperature,
		};
		sign_reading(&target.key, shared.genesis, reading).encode()
	})?;
	tracing::debug!(meter = name, sequence, register = measured.register, "recorded");
	shared.recorded();
	Ok(true)
}

/// The meter's declared exchanges on chain, if the node answers.
async fn exchanges(node: &NodeConnection, meter: u32) -> Option<u16> {
	let client = node.client().await.ok()?;
	client.meter(meter).await.ok().flatten().map(|info| info.exchanges)
}

/// Whether the chain explains a held counter reset: the owner declared a meter exchange (the
/// register restarts from the new meter's), or the chain refused the readings the register fell
/// from (it goes on from the chain's last). Keeps `state` either way.
async fn explain_reset(
	node: &NodeConnection,
	outbox: &crate::outbox::Outbox,
	meter: u32,
	state: &mut MeterState,
) -> anyhow::Result<bool> {
	let Some(held) = state.held else { return Ok(true) };
	let Ok(client) = node.client().await else { return Ok(false) };
	let Some(info) = client.meter(meter).await.ok().flatten() else { return Ok(false) };
	let Some(exchanges) = held.exchanges else {
		state.held = Some(HeldReset { exchanges: Some(info.exchanges), ..held });
		outbox.save_state(meter, state)?;
		return Ok(false);
	};
	if info.exchanges > exchanges {
		tracing::info!(meter, "meter exchange declared: the register restarts from the new meter");
		// The new meter's readings come after the exchange, whichever clock dated it.
		let last_timestamp = state.last_timestamp.max(info.last_timestamp);
		*state = MeterState { last_timestamp, ..MeterState::default() };
		return Ok(true);
	}
	let nothing_pending = outbox.pending_through(meter, u64::MAX)?.is_empty();
	if nothing_pending && info.last_register.is_some_and(|last| last <= held.now) {
		tracing::info!(
			meter,
			"the chain refused the readings the register fell from: going on from its last"
		);
		state.unwrapper.resume();
		state.last_register = info.last_register;
		state.held = None;
		return Ok(true);
	}
	Ok(false)
}
