//! `GET /metrics` through the portal's router: each request is timed under the route it matched
//! (a path with a number counts under its pattern, an unknown path as `other`), and the
//! follower's snapshot block, age and the node's state are there as they are now.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{net::SocketAddr, sync::Arc};

use axum::{
	body::{to_bytes, Body},
	extract::connect_info::MockConnectInfo,
	http::{Request, StatusCode},
	Router,
};
use smartblocks_portal::server::{follow::ChainView, router, sample, AppState};
use tower::ServiceExt;

fn portal(chain: Arc<ChainView>) -> Router {
	let state = AppState { chain, ..common::state() };
	let peer: SocketAddr = "127.0.0.1:50000".parse().unwrap();
	router(state).layer(MockConnectInfo(peer))
}

async fn get(portal: &Router, path: &str) -> (StatusCode, String) {
	let request = Request::get(path).body(Body::empty()).unwrap();
	let response = portal.clone().oneshot(request).await.unwrap();
	let status = response.status();
	let body = to_bytes(response.into_body(), 10 << 20).await.unwrap();
	(status, String::from_utf8_lossy(&body).to_string())
}

#[tokio::test]
async fn metrics_time_each_route_by_its_pattern_and_show_the_followers_snapshot() {
	let chain = ChainView::new();
	let portal = portal(chain.clone());
	let (status, before) = get(&portal, "/metrics").await;
	assert_eq!(status, StatusCode::OK);
	assert!(before.contains("\nsmartblocks_portal_node_up 0\n"), "{before}");
	assert!(before.contains("\nsmartblocks_portal_snapshot_block 0\n"), "{before}");

	let mut campus = sample::campus(2, 2, 3, 20_000);
	campus.block = 42;
	chain.publish(campus);
	assert_eq!(get(&portal, "/api/v1/sites/0").await.0, StatusCode::OK);
	assert_eq!(get(&portal, "/api/v1/sites/1").await.0, StatusCode::OK);
	assert_eq!(get(&portal, "/no/such/page").await.0, StatusCode::NOT_FOUND);
	// Any method name reaches the portal: each would be a series kept forever.
	let odd = Request::builder().method("AAAB").uri("/").body(Body::empty()).unwrap();
	portal.clone().oneshot(odd).await.unwrap();

	let (_, after) = get(&portal, "/metrics").await;
	let count = |route: &str, status: &str| {
		let prefix = format!(
			"smartblocks_portal_request_seconds_count{{method=\"GET\",route=\"{route}\",status=\"{status}\"}} "
		);
		after.lines().find_map(|line| line.strip_prefix(prefix.as_str())?.parse::<u64>().ok())
	};
	assert_eq!(count("/api/v1/sites/{id}", "2xx"), Some(2), "{after}");
	assert_eq!(count("other", "4xx"), Some(1), "{after}");
	assert_eq!(count("/metrics", "2xx"), Some(1), "{after}");
	assert!(!after.contains("AAAB") && after.contains("method=\"other\""), "{after}");
	assert!(after.contains("\nsmartblocks_portal_node_up 1\n"), "{after}");
	assert!(after.contains("\nsmartblocks_portal_snapshot_block 42\n"), "{after}");
	assert!(after.contains("\nsmartblocks_portal_snapshot_age_seconds "), "{after}");
}
