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
