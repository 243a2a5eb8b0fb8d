//! The bridge's Prometheus metrics, served at `GET /metrics` (text format 0.0.4) beside
//! `/status` and behind the same token: per meter, its readings in the outbox by state (what the
//! chain accepted, what it refused, what waits) and in all, whether it is failing, and how long
//! each poll of a Modbus meter took and how many failed; and the newest finalized block the
//! outbox was reconciled with. Counts are read from the outbox (at most every ten seconds, see
//! `http.rs`), so they are the archive's, restarts included.

use super::{reconcile::RECONCILED, Shared};
use prometheus::{
	Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
	TextEncoder,
};

/// Poll durations, in seconds: a Modbus read answers in milliseconds on a LAN, a gateway on
/// RS-485 in tens to hundreds, a timeout after seconds.
const POLL_BUCKETS: [f64; 10] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// What the bridge measures as it runs.
pub struct Metrics {
	registry: Registry,
	polls: HistogramVec,
	poll_failures: IntCounterVec,
}

impl Metrics {
	pub fn new() -> prometheus::Result<Self> {
		let registry = Registry::new();
		let polls = HistogramVec::new(
			HistogramOpts::new(
				"smartblocks_bridge_poll_seconds",
				"Time to read a meter over Modbus: waiting for a shared RS-485 line and retries \
				 included, failed reads too.",
			)
			.buckets(POLL_BUCKETS.to_vec()),
			&["meter"],
		)?;
		let poll_failures = IntCounterVec::new(
			Opts::new("smartblocks_bridge_poll_failures_total", "Reads of a meter that failed."),
			&["meter"],
		)?;
		registry.register(Box::new(polls.clone()))?;
		registry.register(Box::new(poll_failures.clone()))?;
		Ok(Self { registry, polls, poll_failures })
	}

	/// One read of `meter` that took `seconds` and succeeded or not.
	pub fn poll(&self, meter: &str, seconds: f64, succeeded: bool) {
		self.polls.with_label_values(&[meter]).observe(seconds);
		// Asked for on every poll so each meter's series exists, at 0, before its first failure.
		let failures = self.poll_failures.with_label_values(&[meter]);
		if !succeeded {
			failures.inc();
		}
	}

	/// Every metric in Prometheus' text format, the outbox's counts as they are now.
	pub fn render(&self, shared: &Shared) -> anyhow::Result<String> {
		let now = Registry::new();
		let readings = IntGaugeVec::new(
			Opts::new(
				"smartblocks_bridge_readings",
				"Readings of a meter in the outbox by state: accepted or refused by the chain, or \
				 pending.",
			),
			&["meter", "chain_meter", "state"],
		)?;
		let recorded = IntGaugeVec::new(
			Opts::new("smartblocks_bridge_readings_recorded", "Readings of a meter recorded."),
			&["meter", "chain_meter"],
		)?;
		let failing = IntGaugeVec::new(
			Opts::new(
				"smartblocks_bridge_meter_failing",
				"1 while a meter's last read failed or a counter reset holds it.",
			),
			&["meter"],
		)?;
		let reconciled = IntGauge::new(
			"smartblocks_bridge_reconciled_block",
			"The newest finalized block the outbox was settled against.",
		)?;
		let counts = shared.outbox.counts()?;
		let failing_now = shared.failing();
		for &meter in shared.chain_meters() {
			let name = shared.name(meter).unwrap_or_default();
			let number = meter.to_string();
			let count = counts.get(&meter).cloned().unwrap_or_default();
			for (state, value) in [
				("accepted", count.accepted),
				("refused", count.rejected),
				("pending", count.pending),
			] {
				readings.with_label_values(&[name, &number, state]).set(gauge(value));
			}
			let all = count.accepted.saturating_add(count.rejected).saturating_add(count.pending);
			recorded.with_label_values(&[name, &number]).set(gauge(all));
			let is_failing = failing_now.iter().any(|failing| failing == name);
			failing.with_label_values(&[name]).set(i64::from(is_failing));
		}
		now.register(Box::new(readings))?;
		now.register(Box::new(recorded))?;
		now.register(Box::new(failing))?;
		// Left out until the first reconciliation, rather than a 0 that reads as far behind.
		if let Some(block) = shared.outbox.fact::<u64>(RECONCILED)? {
			reconciled.set(gauge(block));
			now.register(Box::new(reconciled))?;
		}

		let mut families = self.registry.gather();
		families.extend(now.gather());
		let mut text = Vec::new();
		TextEncoder::new().encode(&families, &mut text)?;
		Ok(String::from_utf8(text)?)
	}
}

fn gauge(count: impl TryInto<i64>) -> i64 {
	count.try_into().unwrap_or(i64::MAX)
}
