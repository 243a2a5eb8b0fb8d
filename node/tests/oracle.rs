//! Oracle feeds on a real `--dev` node: Alice (the one provider, quorum 1) submits a day-ahead
//! price and an observed temperature; the runtime API returns them as the periods' values, and an
//! observation of a period that has not ended fails with its reason.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{within, Node};
use smartblocks_client::{
	oracle::{feed, FeedKind, FeedUnit, Submission},
	subxt_signer::sr25519::dev,
};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const STARTUP: Duration = Duration::from_secs(120);
const FINALITY: Duration = Duration::from_secs(90);
/// The runtime's settlement period.
const PERIOD_MS: u64 = 15 * 60 * 1000;

#[tokio::test(flavor = "multi_thread")]
async fn a_providers_values_become_the_periods_values() {
	let mut node = Node::start("oracle", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let alice = dev::alice();
	assert_eq!(client.oracle_quorum().await.unwrap(), 1);

	let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
	let current = (now / PERIOD_MS) as u32;
	let price = feed(FeedKind::MarketPrice, "DE-LU");
	let temperature = feed(FeedKind::OutdoorTemperature, "DE-BE");
	let values = vec![
		Submission { feed: price.clone(), period: current + 8, value: 91_250 },
		Submission { feed: temperature.clone(), period: current - 1, value: -35 },
	];
	let outcome =
		within("a provider's batch", FINALITY, client.submit_oracle_values(&alice, values))
			.await
			.unwrap();
	assert_eq!(outcome.finalized.len(), 2);
	assert!(outcome.outliers.is_empty());

	let series = client.oracle_values(temperature.clone(), current - 2, 2).await.unwrap();
	assert_eq!(series.unit, FeedUnit::DeciCelsius);
	assert!(series.periods[0].is_none());
	assert_eq!(series.periods[1].as_ref().and_then(|p| p.value), Some(-35));
	let series = client.oracle_values(price, current + 8, 1).await.unwrap();
	assert_eq!(series.periods[0].as_ref().and_then(|p| p.value), Some(91_250));

	// An observation of a period still running fails with its reason.
	let early = vec![Submission { feed: temperature, period: current + 1, value: 10 }];
	let refusal = client.submit_oracle_values(&alice, early).await.unwrap_err();
	assert!(refusal.to_string().contains("PeriodNotEnded"), "{refusal}");

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}
