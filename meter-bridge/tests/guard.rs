//! What guards the bridge's HTTP: a request bears the token or is refused, and an answer that
//! fits a model is made once a minute however often it is asked for.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meter_bridge::run::guard::{bears, for_loopback, AnswerCache, Kept, PeerPlaces};
use std::{cell::Cell, net::IpAddr, time::Duration};

#[test]
fn a_request_bears_exactly_the_token() {
	let token = "s3cr3t-token-of-the-campus";
	assert!(bears(Some("Bearer s3cr3t-token-of-the-campus"), token));
	assert!(!bears(Some("Bearer s3cr3t-token-of-the-campu"), token));
	assert!(!bears(Some("Bearer s3cr3t-token-of-the-campusX"), token));
	assert!(!bears(Some("Basic s3cr3t-token-of-the-campus"), token));
	assert!(!bears(None, token));
}

fn kept(body: &str) -> Kept {
	Kept { status: 200, kind: "text/csv", body: body.as_bytes().to_vec() }
}

#[test]
fn an_answer_is_made_once_while_fresh_and_the_cache_stays_bounded() {
	let cache = AnswerCache::new(Duration::from_secs(60), 2);
	let fits = Cell::new(0);
	let fit = || {
		fits.set(fits.get() + 1);
		kept("hours")
	};
	for _ in 0..100 {
		assert_eq!(cache.answer("/history?site=a", fit), kept("hours"));
	}
	assert_eq!(fits.get(), 1);
	cache.answer("/history?site=b", fit);
	cache.answer("/history?site=c", fit);
	// Two kept: the oldest (a) went, so asking for it fits again.
	cache.answer("/history?site=a", fit);
	assert_eq!(fits.get(), 4);
	// Stale answers are made anew.
	let brief = AnswerCache::new(Duration::ZERO, 8);
	brief.answer("/forecast?site=a", fit);
	brief.answer("/forecast?site=a", fit);
	assert_eq!(fits.get(), 6);
}

#[test]
fn a_server_error_is_not_kept() {
	let cache = AnswerCache::new(Duration::from_secs(60), 8);
	let fits = Cell::new(0);
	let failing = || {
		fits.set(fits.get() + 1);
		Kept { status: 500, kind: "text/plain", body: b"outbox unreadable".to_vec() }
	};
	cache.answer("/history?site=a", failing);
	cache.answer("/history?site=a", failing);
	assert_eq!(fits.get(), 2);
}

#[test]
fn a_peer_holds_its_share_of_connections_and_no_more() {
	let places = PeerPlaces::new(2);
	let (greedy, other): (IpAddr, IpAddr) =
		("10.0.0.9".parse().unwrap(), "10.0.0.1".parse().unwrap());
	let first = places.take(greedy).expect("a first place");
	let _second = places.take(greedy).expect("a second place");
	assert!(places.take(greedy).is_none(), "a third connection of one peer is refused");
	let _others = places.take(other).expect("another peer still gets a place");
	drop(first);
	assert_eq!(places.held_by(greedy), 1);
	assert!(places.take(greedy).is_some(), "a closed connection frees its place");
}

#[test]
fn without_a_token_only_requests_for_loopback_are_answered() {
	for host in ["127.0.0.1:8088", "localhost:8088", "LOCALHOST", "[::1]:8088", "127.0.0.2"] {
		assert!(for_loopback(Some(host)), "{host}");
	}
	// A page that rebinds its own name to 127.0.0.1 still sends its own name.
	for host in ["evil.example:8088", "127.0.0.1.evil.example", "[::2]:80", "10.0.0.1", ""] {
		assert!(!for_loopback(Some(host)), "{host}");
	}
	assert!(!for_loopback(None));
}

#[test]
fn clients_asking_for_one_answer_at_once_cost_one_fit() {
	use std::sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Barrier,
	};
	let cache = Arc::new(AnswerCache::new(Duration::from_secs(60), 8));
	let fits = Arc::new(AtomicUsize::new(0));
	let askers = 8;
	let start = Arc::new(Barrier::new(askers));
	let threads: Vec<_> = (0..askers)
		.map(|_| {
			let (cache, fits, start) = (cache.clone(), fits.clone(), start.clone());
			std::thread::spawn(move || {
				start.wait();
				cache.answer("/forecast\nsite=4:hall", || {
					fits.fetch_add(1, Ordering::SeqCst);
					// A fit takes a while: the others ask meanwhile.
					std::thread::sleep(Duration::from_millis(300));
					kept("forecast")
				})
			})
		})
		.collect();
	for thread in threads {
		assert_eq!(thread.join().unwrap(), kept("forecast"));
	}
	assert_eq!(fits.load(Ordering::SeqCst), 1);
}

#[test]
fn a_query_written_another_way_asks_for_the_same_fit() {
	use meter_bridge::run::query::fit_key;
	let key = fit_key("/forecast", Some("site=Main%20Hall&day=2026-12-02"));
	for same in [
		"day=2026-12-02&site=Main%20Hall",
		"site=Main+Hall&day=2026-12-2",
		"site=Main%20Hall&day=2026-12-02&cachebust=1",
		"site=Main%20Hall&day=2026-12-02&site=Other",
	] {
		assert_eq!(fit_key("/forecast", Some(same)), key, "{same}");
	}
	for other in
		["site=Main%20Hall&day=2026-12-01", "site=Main%20Hall", "chain_site=3&day=2026-12-02"]
	{
		assert_ne!(fit_key("/forecast", Some(other)), key, "{other}");
	}
	assert_eq!(
		fit_key("/forecast", Some("chain_site=003&day=2026-12-02")),
		fit_key("/forecast", Some("chain_site=3&day=2026-12-02"))
	);
	// A history is the site's whole history: nothing else in its query asks for another.
	let history = fit_key("/history", Some("site=Main%20Hall"));
	assert_ne!(history, key);
	assert_eq!(fit_key("/history", Some("day=1999-01-01&site=Main%20Hall&chain_site=9")), history);
	// No value can spell out another parameter.
	assert_ne!(
		fit_key("/forecast", Some("site=a%0Aday%3D10%3A2026-12-02")),
		fit_key("/forecast", Some("site=a&day=2026-12-02"))
	);
}

#[test]
fn cheap_refusals_are_not_kept_and_push_no_fit_out() {
	let cache = AnswerCache::new(Duration::from_secs(60), 2);
	let fits = Cell::new(0);
	let fit = || {
		fits.set(fits.get() + 1);
		kept("forecast")
	};
	let too_early = || {
		fits.set(fits.get() + 1);
		Kept { status: 422, kind: "text/plain", body: b"not enough data yet".to_vec() }
	};
	cache.answer("/forecast\nsite=1:a", fit);
	cache.answer("/forecast\nsite=1:b", too_early);
	for n in 0..100 {
		let unknown = Kept { status: 404, kind: "text/plain", body: b"no such site".to_vec() };
		assert_eq!(cache.answer(&format!("/forecast\nsite=x{n}"), || unknown.clone()).status, 404);
	}
	// Both fits (the answer and the "cannot yet") are still kept.
	cache.answer("/forecast\nsite=1:a", fit);
	cache.answer("/forecast\nsite=1:b", too_early);
	assert_eq!(fits.get(), 2);
}
