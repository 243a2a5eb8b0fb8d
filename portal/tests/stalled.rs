//! A client that opens an event stream and stops reading gives its place back: the kernel drops
//! the connection once the portal's data has waited the stall time for it, the stream ends and
//! its place frees, so idle readers cannot hold the portal's streams.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use smartblocks_portal::server::{
	clients::Streams,
	events::{ChainEvent, Cursor, EventLog},
	router, serve, AppState,
};
use tokio::{io::AsyncWriteExt, net::TcpSocket};

/// Events in the log: far more than the socket buffers of both ends hold.
const EVENTS: u64 = 100_000;
/// The stall the test's portal allows.
const STALL: Duration = Duration::from_secs(2);

fn event(block: u64) -> ChainEvent {
	ChainEvent {
		cursor: Cursor { block, index: 0 },
		pallet: "Meters".into(),
		name: "ReadingsAccepted".into(),
		fields: serde_json::value::to_raw_value(
			&serde_json::json!({ "meter": 7, "note": "x".repeat(200) }),
		)
		.unwrap(),
		sites: vec![1],
		members: vec![1],
		contracts: vec![],
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_reading_frees_its_stream() {
	let events = EventLog::new(EVENTS as usize, usize::MAX);
	for block in 1..=EVENTS {
		events.push_block(block, vec![event(block)]);
	}
	// One stream in all: while the stalled reader holds it, nobody else gets one.
	let streams = Streams::new(1, 1);
	let state = AppState { events, streams: streams.clone(), ..common::state() };
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap();
	tokio::spawn(serve(listener, router(state), STALL, std::future::pending()));

	// A reader with a small window that asks for every event and never reads one.
	let socket = TcpSocket::new_v4().unwrap();
	socket.set_recv_buffer_size(4_096).unwrap();
	let mut stream = socket.connect(address).await.unwrap();
	stream.write_all(b"GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
	let started = Instant::now();
	while streams.open_count() == 0 {
		assert!(started.elapsed() < Duration::from_secs(10), "the stream never opened");
		tokio::time::sleep(Duration::from_millis(50)).await;
	}
	// Within the stall time (and the kernel's probing) the connection goes and the place frees.
	while streams.open_count() > 0 {
		assert!(
			started.elapsed() < STALL * 15,
			"a reader that stopped reading still holds its stream after {:?}",
			started.elapsed()
		);
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
	println!("freed {:?} after the stream opened", started.elapsed());
	drop(stream);
}
