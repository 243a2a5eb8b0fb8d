//! Per-client limits through the portal's router: behind a reverse proxy the operator trusts,
//! each client the proxy names has its own share; from anyone else, the headers change nothing.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{net::SocketAddr, sync::Arc};

use axum::{
	body::Body,
	extract::connect_info::MockConnectInfo,
	http::{Request, StatusCode},
	Router,
};
use smartblocks_portal::server::{
	clients::{ProxyHeader, TrustedProxies},
	router, AppState,
};
use tower::ServiceExt;

/// Sign-ins one client may have under way (the portal's limit).
const CHALLENGES_PER_CLIENT: usize = 8;

/// The portal's router as a connection from `peer` reaches it, trusting the proxy 10.0.0.1.
fn portal_from(peer: &str) -> Router {
	let proxies =
		TrustedProxies::new(vec!["10.0.0.1".parse().unwrap()], ProxyHeader::XForwardedFor);
	let state = AppState { proxies: Arc::new(proxies), ..common::state() };
	let peer: SocketAddr = format!("{peer}:50000").parse().unwrap();
	router(state).layer(MockConnectInfo(peer))
}

async fn challenge(portal: &Router, forwarded_for: &str) -> StatusCode {
	let request = Request::post("/api/v1/session/challenge")
		.header("x-forwarded-for", forwarded_for)
		.body(Body::empty())
		.unwrap();
	portal.clone().oneshot(request).await.unwrap().status()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_it_names_has_its_own_share() {
	let portal = portal_from("10.0.0.1");
	for _ in 0..CHALLENGES_PER_CLIENT {
		assert_eq!(challenge(&portal, "192.0.2.1").await, StatusCode::OK);
	}
	assert_eq!(challenge(&portal, "192.0.2.1").await, StatusCode::TOO_MANY_REQUESTS);
	// Another user behind the same proxy is not locked out by the first.
	assert_eq!(challenge(&portal, "192.0.2.2").await, StatusCode::OK);
	// A client cannot pose as another by writing the header before the proxy appends its own.
	assert_eq!(challenge(&portal, "192.0.2.99, 192.0.2.1").await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn from_an_untrusted_peer_the_header_changes_nothing() {
	let portal = portal_from("198.51.100.7");
	for n in 0..CHALLENGES_PER_CLIENT {
		assert_eq!(challenge(&portal, &format!("192.0.2.{n}")).await, StatusCode::OK);
	}
	assert_eq!(challenge(&portal, "192.0.2.200").await, StatusCode::TOO_MANY_REQUESTS);
}
