//! The campus overview at the size `scripts/bench-portal` times it (50 buildings, 500 meters, 30
//! days of data), through the portal's router: every window answers with a row for every
//! building. The benchmark (`benches/overview.rs`, feature bench) renders the same pages.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::{
	body::{to_bytes, Body},
	http::{Request, StatusCode},
};
use smartblocks_portal::server::{router, sample};
use tower::ServiceExt;

/// The size `benches/overview.rs` renders.
const BUILDINGS: u32 = 50;
const METERS_PER_BUILDING: u32 = 10;

#[tokio::test(flavor = "multi_thread")]
async fn a_fifty_building_campus_has_every_building_in_every_window() {
	let state = common::state();
	state.chain.publish(sample::campus(BUILDINGS, METERS_PER_BUILDING, 30, 20_000));
	let app = router(state);
	for window in ["today", "week", "month"] {
		let path = format!("/?window={window}&sort=carbon");
		let response =
			app.clone().oneshot(Request::get(&path).body(Body::empty()).unwrap()).await.unwrap();
		assert_eq!(response.status(), StatusCode::OK, "GET {path}");
		let html = to_bytes(response.into_body(), usize::MAX).await.unwrap();
		let html = String::from_utf8(html.to_vec()).unwrap();
		assert_eq!(
			html.matches("<tr data-site").count(),
			BUILDINGS as usize,
			"GET {path}: a row for every building"
		);
	}
}
