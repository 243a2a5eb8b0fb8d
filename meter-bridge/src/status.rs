//! `meter-bridge outbox status`: each configured meter's readings by status, and whether a
//! counter reset holds it: from the outbox file or, while the running bridge holds that file,
//! from the bridge's `GET /status`.

use crate::{
	config::Config,
	outbox::{Outbox, OutboxError},
};
use anyhow::Context as _;
use std::fmt::Write as _;

/// One meter's line of the table.
struct Line {
	name: String,
	chain_meter: Option<u32>,
	pending: u64,
	accepted: u64,
	rejected: u64,
	state: String,
}

/// The outbox's state as a table for the operator.
pub async fn outbox_status(config: &Config) -> anyhow::Result<String> {
	let path = Outbox::file_in(&config.bridge.data_dir);
	match Outbox::open(&path) {
		Ok(outbox) => from_outbox(config, &outbox),
		Err(OutboxError::Open { reason, .. }) => match config.bridge.http.as_deref() {
			Some(address) => {
				tracing::info!(%reason, %address, "outbox in use: asking the running bridge");
				from_bridge(&crate::ask::get(config, address, "/status").await?)
			}
			None => anyhow::bail!(
				"{}: the running bridge holds the outbox ({reason}); stop it to read the file, or \
				 set bridge.http in the configuration so this command can ask the bridge",
				path.display()
			),
		},
		Err(error) => Err(error.into()),
	}
}

fn from_outbox(config: &Config, outbox: &Outbox) -> anyhow::Result<String> {
	let counts = outbox.counts()?;
	let mut lines = Vec::new();
	for meter in config.identities() {
		let Some(chain_meter) = outbox.chain_meter(meter.name)? else {
			lines.push(Line {
				name: meter.name.to_string(),
				chain_meter: None,
				pending: 0,
				accepted: 0,
				rejected: 0,
				state: "not registered yet".into(),
			});
			continue;
		};
		let count = counts.get(&chain_meter).cloned().unwrap_or_default();
		let state = match outbox.meter_state(chain_meter)?.and_then(|state| state.held) {
			Some(held) => {
				held_state(held.last, held.now, held.latest.unwrap_or(held.now), held.latest_at)
			}
			None => "ok".to_string(),
		};
		lines.push(Line {
			name: meter.name.to_string(),
			chain_meter: Some(chain_meter),
			pending: count.pending,
			accepted: count.accepted,
			rejected: count.rejected,
			state,
		});
	}
	table(&lines, outbox.fact::<u64>(crate::run::reconcile::RECONCILED)?)
}

/// The table from the running bridge's `GET /status` answer.
fn from_bridge(json: &str) -> anyhow::Result<String> {
	let status: serde_json::Value =
		serde_json::from_str(json).context("the bridge's /status is not JSON")?;
	let number = |value: &serde_json::Value, key: &str| value[key].as_u64().unwrap_or(0);
	let lines: Vec<Line> = status["meters"]
		.as_array()
		.context("the bridge's /status lists no meters")?
		.iter()
		.map(|meter| Line {
			name: meter["name"].as_str().unwrap_or("?").to_string(),
			chain_meter: meter["chain_meter"].as_u64().and_then(|id| u32::try_from(id).ok()),
			pending: number(meter, "pending"),
			accepted: number(meter, "accepted"),
			rejected: number(meter, "rejected"),
			state: match &meter["held"] {
				serde_json::Value::Null => "ok".to_string(),
				held => held_state(
					number(held, "last_register"),
					number(held, "fell_to"),
					number(held, "new_register"),
					held["new_register_at"].as_u64(),
				),
			},
		})
		.collect();
	table(&lines, status["reconciled_block"].as_u64())
}

/// A held meter's state: where its counter fell, and what the owner's exchange declaration
/// takes as baseline and time.
fn held_state(last: u64, fell_to: u64, new_register: u64, read_at: Option<u64>) -> String {
	let read_at = read_at.map_or_else(|| "an unknown time".to_string(), |at| format!("{at} ms"));
	format!(
		"held: counter fell from {last} to {fell_to}; declare the exchange with baseline \
		 {new_register} at {read_at}"
	)
}

fn table(lines: &[Line], reconciled: Option<u64>) -> anyhow::Result<String> {
	let mut text = String::new();
	writeln!(
		text,
		"{:<28} {:>6} {:>9} {:>10} {:>9}  state",
		"meter", "chain", "pending", "accepted", "rejected"
	)?;
	for line in lines {
		let chain = line.chain_meter.map_or("-".to_string(), |id| id.to_string());
		writeln!(
			text,
			"{:<28} {:>6} {:>9} {:>10} {:>9}  {}",
			line.name, chain, line.pending, line.accepted, line.rejected, line.state
		)?;
	}
	match reconciled {
		Some(block) => writeln!(text, "reconciled with finalized blocks up to #{block}")?,
		None => writeln!(text, "not reconciled with the chain yet")?,
	}
	Ok(text)
}
