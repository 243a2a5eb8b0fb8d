//! The shipped Grafana dashboard (`deploy/grafana/smartblocks.json`) asks only for metrics that
//! exist: every `substrate_*` name in its queries is one a running node exports, every
//! `smartblocks_bridge_*` one the bridge registers, every `smartblocks_portal_*` one the portal
//! registers. (The bridge's and the portal's own tests scrape theirs.) The node's memory gauges
//! read its allocator's real figures.

use crate::common::{within, Node, STARTUP};
use std::{collections::BTreeSet, path::Path};

/// The metric names in a PromQL expression: words with one of the prefixes.
fn metric_names(expr: &str) -> Vec<String> {
	expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
		.filter(|word| {
			["substrate_", "smartblocks_bridge_", "smartblocks_portal_"]
				.iter()
				.any(|prefix| word.starts_with(prefix))
		})
		.map(str::to_string)
		.collect()
}

/// A histogram's series name without `_bucket`, `_count` or `_sum`.
fn family(name: &str) -> &str {
	["_bucket", "_count", "_sum"]
		.iter()
		.find_map(|suffix| name.strip_suffix(suffix))
		.unwrap_or(name)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_asks_only_for_metrics_that_exist() {
	let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
	let text = std::fs::read_to_string(root.join("deploy/grafana/smartblocks.json")).unwrap();
	let dashboard: serde_json::Value = serde_json::from_str(&text).unwrap();
	let mut asked = BTreeSet::new();
	for panel in dashboard["panels"].as_array().unwrap() {
		for target in panel["targets"].as_array().into_iter().flatten() {
			asked.extend(metric_names(target["expr"].as_str().unwrap()));
		}
	}
	assert!(asked.len() >= 15, "{asked:?}");

	let mut node = Node::start("dashboard", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let url = format!("127.0.0.1:{}", node.prometheus_port);
	let scraped = crate::common::campus::http_get(&url, "/metrics").await;
	let exported: BTreeSet<&str> = scraped
		.lines()
		.filter(|line| line.starts_with("substrate_"))
		.filter_map(|line| line.split(['{', ' ']).next())
		.collect();
	// The dashboard picks the chain by the nodes' `chain` label.
	let heights = scraped.lines().find(|line| line.starts_with("substrate_block_height{"));
	assert!(heights.is_some_and(|line| line.contains("chain=\"")), "{scraped}");
	// The node's own memory gauges read jemalloc's statistics, which exist only when the node
	// allocates with it and built it with them: a megabyte at least held, and no more than the
	// pages holding it.
	let gauge = |name: &str| -> f64 {
		let line = scraped.lines().find(|line| line.starts_with(name));
		line.and_then(|line| line.rsplit(' ').next()?.parse().ok())
			.unwrap_or_else(|| panic!("no {name} in {scraped}"))
	};
	let allocated = gauge("substrate_memory_allocated_bytes");
	let resident = gauge("substrate_memory_resident_bytes");
	assert!(allocated > 1_048_576.0 && allocated <= resident, "{allocated} of {resident}");
	let bridge = std::fs::read_to_string(root.join("meter-bridge/src/run/metrics.rs")).unwrap();
	let portal = std::fs::read_to_string(root.join("portal/src/server/metrics.rs")).unwrap();
	for name in &asked {
		let registered = |source: &str| source.contains(&format!("\"{}\"", family(name)));
		let exists = match name {
			n if n.starts_with("substrate_") => exported.contains(n.as_str()),
			n if n.starts_with("smartblocks_bridge_") => registered(&bridge),
			_ => registered(&portal),
		};
		assert!(exists, "the dashboard asks for {name}, which nothing exports");
	}
	node.stop();
}
