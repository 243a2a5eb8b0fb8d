use crate::{mock::*, offchain::*, types::*, Call};
use codec::{Decode, Encode};
use frame_support::{assert_ok, traits::Hooks};
use smartblocks_testing::{with_offchain, Shared};
use sp_core::offchain::testing::{OffchainState, PendingRequest, PoolState};
use sp_runtime::generic::Preamble;

const BRIDGE: &str = "http://10.1.2.3:8088";
/// MaxBatch (16) × 4 batches per pull.
const PENDING_URL: &str = "http://10.1.2.3:8088/pending?limit=64";

/// The test chain with offchain storage, HTTP and a pool, pulling from `bridges`.
fn worker_ext(
	bridges: &str,
) -> (sp_io::TestExternalities, Shared<OffchainState>, Shared<PoolState>) {
	let mut ext = new_test_ext();
	let (state, pool) = with_offchain(&mut ext, BRIDGES_KEY, bridges.as_bytes());
	(ext, state, pool)
}

/// Serves `body` for the next GET of `url`.
fn expect_get(state: &Shared<OffchainState>, url: &str, body: Vec<u8>) {
	expect_get_with(state, url, vec![("Accept".into(), "application/octet-stream".into())], body);
}

/// Serves `body` for the next GET of `url` with exactly `headers`.
fn expect_get_with(
	state: &Shared<OffchainState>,
	url: &str,
	headers: Vec<(String, String)>,
	body: Vec<u8>,
) {
	state.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: url.into(),
		headers,
		response: Some(body),
		sent: true,
		..Default::default()
	});
}

/// The batches the worker put in the pool, checking each is a general transaction.
fn submitted(pool: &Shared<PoolState>) -> Vec<Vec<SignedReading>> {
	std::mem::take(&mut pool.write().transactions)
		.iter()
		.map(|bytes| {
			let extrinsic = Extrinsic::decode(&mut &bytes[..]).unwrap();
			assert!(matches!(extrinsic.preamble, Preamble::General(_)), "a general transaction");
			let RuntimeCall::Meters(Call::submit_readings { readings }) = extrinsic.function else {
				panic!("not a batch of readings: {:?}", extrinsic.function)
			};
			readings
		})
		.collect()
}

#[test]
fn bridges_are_one_url_per_line() {
	assert_eq!(
		parse_bridges("http://a:8088/\n\n  # the annex\nhttp://b:8088 s3cr3t-token-of-b\n"),
		vec![("http://a:8088", None), ("http://b:8088", Some("s3cr3t-token-of-b"))]
	);
}

#[test]
fn pulls_a_bridges_pending_readings_and_submits_them_as_authorized_batches() {
	let (mut ext, state, pool) = worker_ext(&format!("# main hall\n{BRIDGE}/\n"));
	ext.execute_with(|| {
		campus();
		// Reading 1 is on chain already; the bridge still serves it with 2..=20.
		assert_ok!(Meters::submit_readings(
			RuntimeOrigin::signed(1),
			vec![signed(1, energy(0, 1, 600, 0))]
		));
		let served: Vec<SignedReading> =
			(1..=20).map(|s| signed(1, energy(0, s, 600 + s, s * 10))).collect();
		expect_get(&state, PENDING_URL, served.encode());
		Meters::offchain_worker(2);

		// The stale reading is left out; the rest go in batches of at most what a block judges
		// of one meter (12), each following the one before.
		let batches = submitted(&pool);
		let expected: Vec<_> = served[1..].chunks(12).map(<[_]>::to_vec).collect();
		assert_eq!(batches, expected);
		// What the worker submitted, the chain takes without an account, a batch a block (the
		// relayed reading 1 took some of this block's).
		next_block();
		for readings in batches {
			assert_ok!(Meters::submit_readings(
				RuntimeOrigin::from(frame_system::RawOrigin::Authorized),
				readings
			));
			next_block();
		}
		assert_eq!(crate::pallet::Meters::<Test>::get(0).unwrap().last_sequence, Some(20));

		// Pulled once per block: a second worker on block 2 does not fetch again.
		Meters::offchain_worker(2);
		assert!(submitted(&pool).is_empty());
	});
}

#[test]
fn readings_the_pool_would_refuse_are_left_out_not_the_batch() {
	let (mut ext, state, pool) = worker_ext(BRIDGE);
	ext.execute_with(|| {
		campus();
		let good = signed(1, energy(0, 1, 600, 0));
		// Signed by the wrong device, and for a meter that does not exist.
		let forged = signed(9, energy(0, 2, 601, 5));
		let unknown = signed(1, energy(7, 1, 600, 0));
		expect_get(&state, PENDING_URL, vec![good.clone(), forged, unknown].encode());
		Meters::offchain_worker(1);
		assert_eq!(submitted(&pool), vec![vec![good]]);
	});
}

#[test]
fn a_meters_readings_after_one_left_out_are_left_out_too() {
	let (mut ext, state, pool) = worker_ext(BRIDGE);
	ext.execute_with(|| {
		campus();
		// Reading 2 implies more than the meter's 100 kW; 3 would have to wait for it.
		let served = vec![
			signed(1, energy(0, 1, 600, 0)),
			signed(1, energy(0, 2, 601, 5_000)),
			signed(1, energy(0, 3, 602, 5_010)),
		];
		expect_get(&state, PENDING_URL, served.encode());
		Meters::offchain_worker(1);
		assert_eq!(submitted(&pool), vec![served[..1].to_vec()]);
	});
}

#[test]
fn batches_take_each_meters_runs_in_rounds() {
	// Signatures are randomised: each reading is signed once.
	let a: Vec<_> = (1..=3).map(|s| signed(1, energy(0, s, 600 + s, s))).collect();
	let b: Vec<_> = (1..=2)
		.map(|s| signed(2, Reading { temperature: Some(200), ..energy(1, s, 600 + s, 0) }))
		.collect();
	let readings = [a.clone(), b.clone()].concat();
	assert_eq!(
		batches(readings, 3, 2),
		vec![
			vec![a[0].clone(), a[1].clone(), b[0].clone()],
			vec![b[1].clone()],
			vec![a[2].clone()]
		]
	);
}

#[test]
fn a_bridge_that_fails_or_answers_garbage_submits_nothing() {
	let (mut ext, state, pool) = worker_ext(BRIDGE);
	ext.execute_with(|| {
		campus();
		state.write().expect_request(PendingRequest {
			method: "GET".into(),
			uri: PENDING_URL.into(),
			headers: vec![("Accept".into(), "application/octet-stream".into())],
			response: Some(b"busy".to_vec()),
			response_headers: vec![],
			sent: true,
			..Default::default()
		});
		Meters::offchain_worker(1);
		assert!(submitted(&pool).is_empty());
		// Trailing bytes after the readings.
		let mut body = vec![signed(1, energy(0, 1, 600, 0))].encode();
		body.push(0);
		expect_get(&state, PENDING_URL, body);
		Meters::offchain_worker(2);
		assert!(submitted(&pool).is_empty());
	});
}

#[test]
fn an_answer_over_the_size_cap_is_refused_whole() {
	let (mut ext, state, pool) = worker_ext(BRIDGE);
	ext.execute_with(|| {
		campus();
		// A valid vector of one good reading, repeated past the 4 MiB a worker reads.
		let good = signed(1, energy(0, 1, 600, 0));
		let copies = smartblocks_primitives::offchain::MAX_BODY / good.encoded_size() + 1;
		expect_get(&state, PENDING_URL, vec![good; copies].encode());
		Meters::offchain_worker(1);
		assert!(submitted(&pool).is_empty());
	});
}

#[test]
fn a_bridges_token_goes_with_the_request() {
	let (mut ext, state, pool) = worker_ext(&format!("{BRIDGE} s3cr3t-token-of-the-campus"));
	ext.execute_with(|| {
		campus();
		let good = signed(1, energy(0, 1, 600, 0));
		let headers = vec![
			("Accept".into(), "application/octet-stream".into()),
			("Authorization".into(), "Bearer s3cr3t-token-of-the-campus".into()),
		];
		expect_get_with(&state, PENDING_URL, headers, vec![good.clone()].encode());
		Meters::offchain_worker(1);
		assert_eq!(submitted(&pool), vec![vec![good]]);
	});
}

#[test]
fn without_bridges_the_worker_does_nothing() {
	let (mut ext, _state, pool) = worker_ext("");
	ext.execute_with(|| {
		Meters::offchain_worker(1);
		assert!(submitted(&pool).is_empty());
	});
}
