use crate::{mock::*, pallet::*, sources::SOURCES_KEY, types::*};
use codec::Decode;
use frame_support::{assert_ok, traits::Hooks, BoundedVec};
use smartblocks_testing::{with_offchain, Shared};
use sp_core::offchain::testing::{OffchainState, PendingRequest, PoolState};
use sp_runtime::{generic::Preamble, testing::UintAuthorityId};
use FeedKind::*;

const TEMPERATURE_URL: &str = "http://127.0.0.1:8080/temperature";
const PRICE_URL: &str = "http://127.0.0.1:8080/price";
/// 10:00 on the test day in Unix seconds.
const TEN: u64 = (DAY0 + 10 * 3_600_000) / 1_000;

/// The test chain with offchain storage, HTTP and a transaction pool, and `sources` configured.
fn worker_ext(
	sources: &str,
) -> (sp_io::TestExternalities, Shared<OffchainState>, Shared<PoolState>) {
	let mut ext = new_test_ext();
	let (state, pool) = with_offchain(&mut ext, SOURCES_KEY, sources.as_bytes());
	(ext, state, pool)
}

fn temperature_source(scale: u32) -> String {
	format!(
		r#"{{"kind":"OutdoorTemperature","region":"DE-BE","url":"{TEMPERATURE_URL}",
		"times":"/t","values":"/v","scale":{scale},"interval_secs":3600}}"#
	)
}

fn price_source() -> String {
	format!(
		r#"{{"kind":"MarketPrice","region":"DE-BE","url":"{PRICE_URL}","times":"/t","values":"/v",
		"scale":1000,"every_blocks":1}}"#
	)
}

/// Serves `body` for the next GET of `url`.
fn expect_get(state: &Shared<OffchainState>, url: &str, body: String) {
	state.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: url.into(),
		headers: vec![("Accept".into(), "application/json".into())],
		response: Some(body.into_bytes()),
		sent: true,
		..Default::default()
	});
}

/// Hourly temperatures from 10:00: 5.04 °C, 6.0 °C and (not ended yet) 6.5 °C at noon.
fn temperatures() -> String {
	format!(r#"{{"t":[{TEN},{},{}],"v":[5.04,6.0,6.5]}}"#, TEN + 3_600, TEN + 7_200)
}

/// The submissions in the one transaction the worker sent, checking it was signed by `account`.
fn sent_by(pool: &Shared<PoolState>, account: u64) -> Vec<Submission> {
	let transactions = std::mem::take(&mut pool.write().transactions);
	assert_eq!(transactions.len(), 1, "one transaction per block");
	let extrinsic = Extrinsic::decode(&mut &transactions[0][..]).unwrap();
	assert_eq!(extrinsic.preamble, Preamble::Signed(account, (), ()));
	let RuntimeCall::Oracle(Call::submit_values { values }) = extrinsic.function else {
		panic!("not a submission: {:?}", extrinsic.function)
	};
	values.into_inner()
}

fn submissions(
	kind: FeedKind,
	values: impl IntoIterator<Item = (PeriodIndex, i64)>,
) -> Vec<Submission> {
	values
		.into_iter()
		.map(|(period, value)| Submission { feed: feed(kind), period, value })
		.collect()
}

#[test]
fn fetches_due_sources_and_submits_new_values_signed_by_the_provider_key() {
	let (mut ext, state, pool) = worker_ext(&format!("[{}]", temperature_source(10)));
	ext.execute_with(|| {
		// Key 7 acts for a building owner; key 2 for provider 2.
		UintAuthorityId::set_all_keys([7u64, 2]);
		expect_get(&state, TEMPERATURE_URL, temperatures());
		Oracle::offchain_worker(1);

		// 10:00 and 11:00 each fill four periods; noon's hour has not ended.
		let expected = submissions(
			OutdoorTemperature,
			(NOON - 8..NOON - 4).map(|p| (p, 50)).chain((NOON - 4..NOON).map(|p| (p, 60))),
		);
		let values = sent_by(&pool, 2);
		assert_eq!(values, expected);
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(2),
			BoundedVec::truncate_from(values)
		));

		// Not due again for ten blocks; then nothing new to submit.
		Oracle::offchain_worker(2);
		Oracle::offchain_worker(10);
		expect_get(&state, TEMPERATURE_URL, temperatures());
		Oracle::offchain_worker(11);
		assert!(pool.read().transactions.is_empty());
	});
}

#[test]
fn fills_a_batch_earliest_first_and_submits_the_rest_when_due_again() {
	let sources = format!("[{}, {}]", temperature_source(10), price_source());
	let (mut ext, state, pool) = worker_ext(&sources);
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys([3u64]);
		// Day-ahead prices for noon to 13:00, 15-minute resolution: 91.25, 92.25, … per MWh.
		let starts: Vec<String> = (0..4).map(|i| (TEN + 7_200 + i * 900).to_string()).collect();
		let prices = format!(r#"{{"t":[{}],"v":[91.25,92.25,93.25,94.25]}}"#, starts.join(","));
		expect_get(&state, TEMPERATURE_URL, temperatures());
		expect_get(&state, PRICE_URL, prices.clone());
		Oracle::offchain_worker(1);
		// Eight temperatures fill the batch (MaxBatch is 8); the prices wait.
		let values = sent_by(&pool, 3);
		assert!(values.iter().all(|submission| submission.feed.kind == OutdoorTemperature));
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(3),
			BoundedVec::truncate_from(values)
		));

		expect_get(&state, PRICE_URL, prices.clone());
		Oracle::offchain_worker(2);
		let expected =
			submissions(MarketPrice, (0..4).map(|i| (NOON + i, 91_250 + 1_000 * i as i64)));
		assert_eq!(sent_by(&pool, 3), expected);
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(3),
			BoundedVec::truncate_from(expected)
		));

		// The batch at block 1 was full, so the temperatures' source came round again two blocks
		// on rather than in ten (a source fetched hourly would never reach its far periods).
		expect_get(&state, TEMPERATURE_URL, temperatures());
		expect_get(&state, PRICE_URL, prices);
		Oracle::offchain_worker(3);
		assert!(pool.read().transactions.is_empty());
	});
}

#[test]
fn a_feed_in_two_sources_is_submitted_once() {
	let sources = format!("[{}, {}]", price_source(), price_source().replace("8080", "8081"));
	let (mut ext, state, pool) = worker_ext(&sources);
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys([1u64]);
		let prices = format!(r#"{{"t":[{}],"v":[91.25]}}"#, TEN + 7_200);
		expect_get(&state, PRICE_URL, prices.clone());
		expect_get(&state, &PRICE_URL.replace("8080", "8081"), prices);
		Oracle::offchain_worker(1);
		assert_eq!(sent_by(&pool, 1), submissions(MarketPrice, [(NOON, 91_250)]));
	});
}

#[test]
fn implausible_values_are_dropped_and_the_rest_submitted() {
	// A scale of 100 reads 5.04 °C as 504 tenths (50.4 °C, plausible) and 6.5 °C as 650 tenths
	// (65 °C, beyond the +60 °C limit): 10:00's four periods go, 11:00's are dropped.
	let (mut ext, state, pool) = worker_ext(&format!("[{}]", temperature_source(100)));
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys([1u64]);
		let body = format!(r#"{{"t":[{TEN},{}],"v":[5.04,6.5]}}"#, TEN + 3_600);
		expect_get(&state, TEMPERATURE_URL, body);
		Oracle::offchain_worker(1);
		let expected = submissions(OutdoorTemperature, (NOON - 8..NOON - 4).map(|p| (p, 504)));
		assert_eq!(sent_by(&pool, 1), expected);
	});
}

#[test]
fn does_nothing_without_a_provider_key_or_with_unusable_sources() {
	// No local key acts for a provider: no request is made (an unexpected one would panic).
	let (mut ext, _, pool) = worker_ext(&format!("[{}]", temperature_source(10)));
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys([7u64, 99]);
		Oracle::offchain_worker(1);
		assert!(pool.read().transactions.is_empty());
	});
	let (mut ext, _, pool) = worker_ext(r#"[{"kind":"MarketPrice"}]"#);
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys([1u64]);
		Oracle::offchain_worker(1);
		assert!(pool.read().transactions.is_empty());
	});
}

#[test]
fn a_response_that_does_not_fit_is_skipped_until_due_again() {
	let (mut ext, state, pool) = worker_ext(&format!("[{}]", temperature_source(10)));
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys([1u64]);
		expect_get(&state, TEMPERATURE_URL, "<html>busy</html>".into());
		Oracle::offchain_worker(1);
		assert!(pool.read().transactions.is_empty());
		expect_get(&state, TEMPERATURE_URL, temperatures());
		Oracle::offchain_worker(11);
		assert_eq!(sent_by(&pool, 1).len(), 8);
	});
}

#[test]
fn forecasts_go_for_periods_to_come_and_again_only_when_revised() {
	const FORECAST_URL: &str = "http://127.0.0.1:8080/forecast";
	let source = format!(
		r#"[{{"kind":"TemperatureForecast","region":"DE-BE","url":"{FORECAST_URL}","times":"/t",
		"values":"/v","scale":10,"interval_secs":3600,"every_blocks":1}}]"#
	);
	// 11:00 has gone; noon's hour has begun (its first period is current, the other three are
	// to come); 13:00 is to come.
	let body = |at_one: f64| {
		format!(
			r#"{{"t":[{},{},{}],"v":[6.0,6.5,{at_one}]}}"#,
			TEN + 3_600,
			TEN + 7_200,
			TEN + 10_800
		)
	};
	let (mut ext, state, pool) = worker_ext(&source);
	ext.execute_with(|| {
		UintAuthorityId::set_all_keys([4u64]);
		expect_get(&state, FORECAST_URL, body(7.0));
		Oracle::offchain_worker(1);
		// Noon's periods to come but the next (left out: the batch may land after it begins)
		// and 13:00's four.
		let expected = submissions(
			TemperatureForecast,
			(NOON + 2..NOON + 4).map(|p| (p, 65)).chain((NOON + 4..NOON + 8).map(|p| (p, 70))),
		);
		let values = sent_by(&pool, 4);
		assert_eq!(values, expected);
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(4),
			BoundedVec::truncate_from(values)
		));

		// The same forecast again: nothing to send.
		expect_get(&state, FORECAST_URL, body(7.0));
		Oracle::offchain_worker(2);
		assert!(pool.read().transactions.is_empty());

		// 13:00 revised: its four periods go again, noon's do not.
		expect_get(&state, FORECAST_URL, body(7.4));
		Oracle::offchain_worker(3);
		let values = sent_by(&pool, 4);
		assert_eq!(values, submissions(TemperatureForecast, (NOON + 4..NOON + 8).map(|p| (p, 74))));
		assert_ok!(Oracle::submit_values(
			RuntimeOrigin::signed(4),
			BoundedVec::truncate_from(values)
		));
		let entry = Values::<Test>::get(NOON + 5, feed(TemperatureForecast)).unwrap();
		assert_eq!(entry.submissions.to_vec(), vec![(4, 74)]);
	});
}
