//! `meter-bridge outbox status`: each configured meter's readings by status, and whether a
//! counter reset holds it, from the outbox file.

use crate::{config::Config, outbox::Outbox, run::outbox_path};
use std::fmt::Write as _;

/// The outbox's state as a table for the operator.
pub fn outbox_status(config: &Config) -> anyhow::Result<String> {
	let outbox = Outbox::open(&outbox_path(&config.bridge.data_dir))?;
	let counts = outbox.counts()?;
	let mut text = String::new();
	writeln!(
		text,
		"{:<28} {:>6} {:>9} {:>10} {:>9}  state",
		"meter", "chain", "pending", "accepted", "rejected"
	)?;
	for meter in config.identities() {
		let Some(chain_meter) = crate::run::chain_meter_of(&outbox, meter.name)? else {
			writeln!(text, "{:<28} {:>6}  not registered yet", meter.name, "-")?;
			continue;
		};
		let count = counts.get(&chain_meter).cloned().unwrap_or_default();
		let state = match outbox.meter_state(chain_meter)?.and_then(|state| state.held) {
			Some(held) => format!("held: counter fell from {} to {}", held.last, held.now),
			None => "ok".to_string(),
		};
		writeln!(
			text,
			"{:<28} {:>6} {:>9} {:>10} {:>9}  {state}",
			meter.name, chain_meter, count.pending, count.accepted, count.rejected
		)?;
	}
	match outbox.fact::<u64>(crate::run::reconcile::RECONCILED)? {
		Some(block) => writeln!(text, "reconciled with finalized blocks up to #{block}")?,
		None => writeln!(text, "not reconciled with the chain yet")?,
	}
	Ok(text)
}
