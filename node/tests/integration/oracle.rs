//! Oracle feeds on a real `--dev` node: Alice (the one provider, quorum 1) submits a day-ahead
//! price and an observed temperature; the runtime API returns them as the periods' values, and an
//! observation of a period that has not ended fails with its reason. Then the node's off-chain
//! worker does the same from a real local HTTP server: sources from `--oracle-sources`, and more
//! set over RPC while the node runs; and from the simulated campus's feeds, set up as the demo
//! sets them up.

use crate::common::{
	campus::{bridge, http_get, wait_until_listening, Process},
	free_port,
	meters::now_ms,
	run_node, serve_http, serve_raw, within, Node, FINALITY, STARTUP,
};
use smartblocks_client::{
	oracle::{feed, Feed, FeedKind, FeedUnit, Submission},
	subxt::rpcs::rpc_params,
	subxt_signer::sr25519::dev,
	Client,
};
use std::{
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::Duration,
};

/// The runtime's settlement period.
const PERIOD_MS: u64 = 15 * 60 * 1000;

#[tokio::test(flavor = "multi_thread")]
async fn a_providers_values_become_the_periods_values() {
	let mut node = Node::start("oracle", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let alice = dev::alice();
	assert_eq!(client.oracle_quorum().await.unwrap(), 1);

	let now = now_ms();
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

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Serves `/temperature` (hourly from the start of the hour before last, in Unix seconds:
/// −1.5 °C, 4.2 °C, and 7 °C for the hour running now) and `/price` (91.25 per MWh now) over HTTP
/// on a free port. Returns the port, the count of requests and the first hour's start.
async fn feed_server() -> (u16, Arc<AtomicUsize>, u64) {
	let first_hour = now_ms() / 1_000 / 3_600 * 3_600 - 7_200;
	let requests = Arc::new(AtomicUsize::new(0));
	let counted = requests.clone();
	let port = serve_http(move |path| {
		counted.fetch_add(1, Ordering::SeqCst);
		let body = match path {
			"/temperature" => format!(
				r#"{{"hourly":{{"time":[{first_hour},{},{}],"temperature_2m":[-1.5,4.2,7.0]}}}}"#,
				first_hour + 3_600,
				first_hour + 7_200
			),
			"/price" => r#"{"now":91.25}"#.to_string(),
			_ => String::new(),
		};
		("200 OK", "application/json", body.into_bytes())
	})
	.await;
	(port, requests, first_hour)
}

/// Gives the node's keystore Alice's `orcl` key, so its worker submits as her (a provider in
/// the development genesis).
async fn insert_alices_oracle_key(client: &Client) {
	let public = format!("0x{}", hex(&dev::alice().public_key().0));
	client
		.rpc()
		.request::<()>("author_insertKey", rpc_params!["orcl", "//Alice", public])
		.await
		.unwrap();
}

/// The value of `feed` for `period` once it has one.
async fn value_of(client: &Client, feed: Feed, period: u32) -> i64 {
	loop {
		let series = client.oracle_values(feed.clone(), period, 1).await.unwrap();
		if let Some(value) = series.periods[0].as_ref().and_then(|p| p.value) {
			return value;
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn the_offchain_worker_submits_configured_feeds() {
	let (port, requests, first_hour) = feed_server().await;
	let dir = tempfile::tempdir().unwrap();
	let sources = dir.path().join("sources.json");
	let temperature = format!(
		r#"[{{"kind":"OutdoorTemperature","region":"DE-BE",
		"url":"http://127.0.0.1:{port}/temperature","times":"/hourly/time",
		"values":"/hourly/temperature_2m","scale":10,"interval_secs":3600,"every_blocks":2}}]"#
	);
	std::fs::write(&sources, temperature).unwrap();

	let mut node =
		Node::start("oracle-worker", &["--dev", "--oracle-sources", sources.to_str().unwrap()]);
	let client = node.client(STARTUP).await;
	// The dev node has no `orcl` key yet: the worker waits and fetches nothing.
	within("finality of block 2", STARTUP, client.wait_for_finalized(2)).await.unwrap();
	assert_eq!(requests.load(Ordering::SeqCst), 0);
	assert!(node.log().contains("no `orcl` key in the keystore"), "{}", node.log());

	insert_alices_oracle_key(&client).await;

	// Both hours that have ended fill their four periods each.
	let first_period = (first_hour * 1_000 / PERIOD_MS) as u32;
	let last_hour = first_period + 4;
	let region = feed(FeedKind::OutdoorTemperature, "DE-BE");
	let value = within(
		"the last hour's temperature",
		FINALITY,
		value_of(&client, region.clone(), last_hour + 3),
	)
	.await;
	assert_eq!(value, 42);
	assert_eq!(value_of(&client, region.clone(), last_hour).await, 42);
	assert_eq!(value_of(&client, region, first_period).await, -15);

	// A price source set over RPC while the node runs replaces the file's.
	let price = format!(
		r#"[{{"kind":"MarketPrice","region":"DE-LU","url":"http://127.0.0.1:{port}/price",
		"values":"/now","scale":1000,"every_blocks":1}}]"#
	);
	let key = format!("0x{}", hex(b"smartblocks::oracle::sources"));
	client
		.rpc()
		.request::<()>(
			"offchain_localStorageSet",
			rpc_params!["PERSISTENT", key, format!("0x{}", hex(price.as_bytes()))],
		)
		.await
		.unwrap();
	assert_eq!(current_price(&client, "the current price").await, 91_250);

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}

#[test]
fn a_sources_file_with_a_mistake_stops_the_node_with_the_file_and_problem() {
	let dir = tempfile::tempdir().unwrap();
	let sources = dir.path().join("sources.json");
	std::fs::write(
		&sources,
		r#"[{"kind":"MarketPrice","region":"DE-LU","url":"ftp://x","values":"/p","scale":1}]"#,
	)
	.unwrap();
	let output = run_node(&["--dev", "--tmp", "--oracle-sources", sources.to_str().unwrap()]);
	assert!(!output.status.success());
	let stderr = String::from_utf8_lossy(&output.stderr);
	let expected = format!(
		"--oracle-sources {}: feed source 1, field `url`: must start with http:// or https://",
		sources.display()
	);
	assert!(stderr.contains(&expected), "{stderr}");
	assert!(!run_node(&["--dev", "--tmp", "--oracle-sources", "/nonexistent.json"])
		.status
		.success());
}

/// The DE-LU market price of the current period once the worker fixed it: the period may turn
/// while the worker runs, so the next one's is as right.
async fn current_price(client: &Client, what: &str) -> i64 {
	let current = (now_ms() / PERIOD_MS) as u32;
	let price_feed = feed(FeedKind::MarketPrice, "DE-LU");
	within(what, FINALITY, async {
		loop {
			for period in [current, current + 1] {
				let series = client.oracle_values(price_feed.clone(), period, 1).await.unwrap();
				if let Some(value) = series.periods[0].as_ref().and_then(|p| p.value) {
					return value;
				}
			}
			tokio::time::sleep(Duration::from_secs(2)).await;
		}
	})
	.await
}

/// Serves, on a free loopback port, `/price` as a good feed, `/trickle` as a feed that sends its
/// headers and then a byte a second for ever, and `/flood` as one that sends 100 MiB. Returns the
/// port and when `/trickle` was first asked for.
async fn hostile_feeds() -> (u16, Arc<std::sync::Mutex<Option<std::time::Instant>>>) {
	use tokio::io::AsyncWriteExt;
	let asked = Arc::new(std::sync::Mutex::new(None));
	let first_trickle = asked.clone();
	let port = serve_raw(move |path, mut stream| {
		let first_trickle = first_trickle.clone();
		async move {
			let head = |length: usize| {
				format!(
					"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \
					 {length}\r\nConnection: close\r\n\r\n"
				)
			};
			match path.as_str() {
				"/trickle" => {
					first_trickle.lock().unwrap().get_or_insert_with(std::time::Instant::now);
					let _ = stream.write_all(head(1 << 20).as_bytes()).await;
					while stream.write_all(b" ").await.is_ok() {
						tokio::time::sleep(Duration::from_secs(1)).await;
					}
				}
				"/flood" => {
					let _ = stream.write_all(head(100 << 20).as_bytes()).await;
					let chunk = vec![b' '; 64 << 10];
					for _ in 0..1_600 {
						if stream.write_all(&chunk).await.is_err() {
							return;
						}
					}
				}
				_ => {
					let body = r#"{"now":91.25}"#;
					let _ = stream.write_all(head(body.len()).as_bytes()).await;
					let _ = stream.write_all(body.as_bytes()).await;
				}
			}
		}
	})
	.await;
	(port, asked)
}

/// A feed that trickles its body for ever and one that sends 100 MiB hold the worker no longer
/// than its deadline and its cap; the node names the cause, and the good feed's values still
/// reach the chain.
#[tokio::test(flavor = "multi_thread")]
async fn a_trickling_or_flooding_feed_stalls_nothing() {
	let (port, first_trickle) = hostile_feeds().await;
	let dir = tempfile::tempdir().unwrap();
	let sources = dir.path().join("sources.json");
	let source = |region: &str, path: &str| {
		format!(
			r#"{{"kind":"MarketPrice","region":"{region}","url":"http://127.0.0.1:{port}{path}",
			"values":"/now","scale":1000,"every_blocks":1}}"#
		)
	};
	let list = [source("FR", "/trickle"), source("NL", "/flood"), source("DE-LU", "/price")];
	std::fs::write(&sources, format!("[{}]", list.join(","))).unwrap();
	let mut node =
		Node::start("oracle-hostile", &["--dev", "--oracle-sources", sources.to_str().unwrap()]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	insert_alices_oracle_key(&client).await;

	// The causes, each named with its source, within the worker's deadline (10 s) and a margin.
	let logged = within("the causes in the log", FINALITY, async {
		loop {
			let log = node.log();
			let trickled = log.contains(&format!(
				"127.0.0.1:{port}/trickle: the body was not complete within the deadline"
			));
			let flooded =
				log.contains(&format!("127.0.0.1:{port}/flood: the body is larger than the cap"));
			if trickled && flooded {
				return std::time::Instant::now();
			}
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	})
	.await;
	let asked = first_trickle.lock().unwrap().expect("the trickling feed was asked");
	assert!(logged - asked < Duration::from_secs(25), "the cause came after {:?}", logged - asked);

	assert_eq!(current_price(&client, "the good feed's price").await, 91_250);

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}

/// The value the simulated campus's feed at `path` serves for the hour of `period`, in the
/// feed's unit on chain (`scale` per served unit).
async fn served(
	feeds: &str,
	path: &str,
	times: &str,
	values: &str,
	period: u32,
	scale: f64,
) -> i64 {
	let response = http_get(feeds, path).await;
	let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
	let document: serde_json::Value =
		serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}\n{response}"));
	let hour = u64::from(period) * PERIOD_MS / 3_600_000 * 3_600;
	let times = document.pointer(times).and_then(|times| times.as_array()).unwrap();
	let at = times.iter().position(|time| time.as_u64() == Some(hour)).unwrap();
	let value = document.pointer(values).and_then(|values| values.get(at)).unwrap();
	(value.as_f64().unwrap() * scale).round() as i64
}

/// The simulated campus's feeds, set up as `scripts/demo` sets them up (sources written by the
/// simulator, Alice's `orcl` key put in the node's keystore with `key insert`), bring the
/// campus region's day-ahead price, observed temperature, carbon intensity and temperature
/// forecast to the chain as the simulator serves them.
#[tokio::test(flavor = "multi_thread")]
async fn the_simulated_campus_feeds_reach_the_chain() {
	let dir = tempfile::tempdir().unwrap();
	let feeds = format!("127.0.0.1:{}", free_port());
	let modbus = format!("127.0.0.1:{}", free_port());
	let sources = dir.path().join("oracle-sources.json");
	let campus = ["--buildings", "1", "--seed", "5", "--listen", &modbus, "--feeds", &feeds];
	let sources_arg = ["--write-sources", sources.to_str().unwrap()];
	let written = bridge(&[&["simulate"][..], &campus, &sources_arg].concat());
	assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
	let _simulator =
		Process::start(&[&["simulate"][..], &campus].concat(), dir.path().join("simulator.log"));
	wait_until_listening(&feeds, STARTUP).await;

	let args = ["--dev", "--oracle-sources", sources.to_str().unwrap()];
	let node =
		Node::start_with_keys("campus-feeds", &args, "dev", &[("sr25519", "orcl", "//Alice")]);
	let client = node.client(STARTUP).await;

	let current = (now_ms() / PERIOD_MS) as u32;
	let (ahead, ended) = (current + 4, current - 1);
	let price = served(&feeds, "/price", "/unix_seconds", "/price", ahead, 1_000.0).await;
	let temperature =
		served(&feeds, "/temperature", "/hourly/time", "/hourly/temperature_2m", ended, 10.0).await;
	let carbon = served(&feeds, "/carbon", "/unix_seconds", "/co2eq", ended, 1.0).await;
	// The worker submits a day and a half of values, oldest first, 128 a batch every other
	// block: the periods asked for come within a few batches.
	let catch_up = Duration::from_secs(240);
	let region = |kind| feed(kind, "DE-BY");
	let price_on_chain = value_of(&client, region(FeedKind::MarketPrice), ahead);
	assert_eq!(within("the campus's price", catch_up, price_on_chain).await, price);
	let temperature_on_chain = value_of(&client, region(FeedKind::OutdoorTemperature), ended);
	assert_eq!(
		within("the campus's temperature", catch_up, temperature_on_chain).await,
		temperature
	);
	let carbon_on_chain = value_of(&client, region(FeedKind::CarbonIntensity), ended);
	assert_eq!(within("the campus's carbon", catch_up, carbon_on_chain).await, carbon);
	// The forecast of two hours ahead as the feed's latest issue has it: each hour's issue
	// revises it, and the worker sends the revision.
	let later = current + 8;
	let forecast = region(FeedKind::TemperatureForecast);
	within("the campus's temperature forecast", catch_up, async {
		loop {
			let path = "/temperature-forecast";
			let issued =
				served(&feeds, path, "/hourly/time", "/hourly/temperature_2m", later, 10.0).await;
			let series = client.oracle_values(forecast.clone(), later, 1).await.unwrap();
			if series.periods[0].as_ref().and_then(|p| p.value) == Some(issued) {
				return;
			}
			tokio::time::sleep(Duration::from_secs(2)).await;
		}
	})
	.await;
}
