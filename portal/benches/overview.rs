//! The campus overview for 50 buildings and 500 meters with 30 days of data: server-side
//! rendering time of the whole page through the portal's router (criterion), and the page's
//! weight as a browser fetches it, compressed (HTML, CSS, JavaScript and wasm), printed first.
//!
//! `scripts/bench-portal` builds the browser half and runs this with `PORTAL_SITE` pointing at it.

// Benchmark set-up: a panic is a failed run with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{hint::black_box, path::PathBuf};

use axum::{body::Body, http::Request, Router};
use criterion::{criterion_group, criterion_main, Criterion};
use leptos::prelude::LeptosOptions;
use smartblocks_portal::server::{router, sample, AppState};
use tower::ServiceExt;

/// The portal tests' state (empty chain view, small limits).
#[path = "../tests/common/mod.rs"]
mod common;

/// The size `tests/overview.rs` checks every window at.
const BUILDINGS: u32 = 50;
const METERS_PER_BUILDING: u32 = 10;

fn portal(site_root: &str) -> Router {
	let options = LeptosOptions::builder()
		.output_name("portal")
		.site_root(site_root)
		.site_pkg_dir("pkg")
		.build();
	let state = AppState { options, ..common::state() };
	let today = 20_000;
	state.chain.publish(sample::campus(BUILDINGS, METERS_PER_BUILDING, 30, today));
	router(state)
}

/// The body of `GET path` as the browser receives it with `encoding` (empty for none).
async fn fetch(app: &Router, path: &str, encoding: &str) -> (u16, Vec<u8>) {
	let mut request = Request::get(path);
	if !encoding.is_empty() {
		request = request.header("accept-encoding", encoding);
	}
	let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
	let status = response.status().as_u16();
	let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
	(status, body.to_vec())
}

fn page_weight(runtime: &tokio::runtime::Runtime) {
	let Ok(site) = std::env::var("PORTAL_SITE") else {
		println!("page weight: PORTAL_SITE not set (scripts/bench-portal sets it); skipped");
		return;
	};
	assert!(PathBuf::from(&site).join("pkg/portal_bg.wasm").is_file(), "no browser half in {site}");
	let app = portal(&site);
	let parts = ["/", "/pkg/portal.css", "/pkg/portal.js", "/pkg/portal_bg.wasm"];
	println!(
		"page weight of the campus overview ({BUILDINGS} buildings, {} meters):",
		BUILDINGS * METERS_PER_BUILDING
	);
	println!("{:<22} {:>12} {:>12} {:>12}", "part", "raw bytes", "gzip", "br");
	let mut totals = [0usize; 3];
	for part in parts {
		let sizes: Vec<usize> = ["", "gzip", "br"]
			.iter()
			.map(|encoding| {
				let (status, body) = runtime.block_on(fetch(&app, part, encoding));
				assert_eq!(status, 200, "GET {part} answered {status}");
				body.len()
			})
			.collect();
		for (total, size) in totals.iter_mut().zip(&sizes) {
			*total += size;
		}
		println!("{part:<22} {:>12} {:>12} {:>12}", sizes[0], sizes[1], sizes[2]);
	}
	println!("{:<22} {:>12} {:>12} {:>12}", "total", totals[0], totals[1], totals[2]);
	let limit = 1_000_000;
	let verdict = if totals[2] < limit { "within" } else { "OVER" };
	println!("page weight, brotli: {} bytes, {verdict} the 1 MB budget", totals[2]);
}

fn overview(c: &mut Criterion) {
	let runtime = tokio::runtime::Runtime::new().unwrap();
	// Routing renders the app once, and its resources spawn tasks on the runtime.
	let _runtime = runtime.enter();
	page_weight(&runtime);
	let app = portal(".");

	let mut group = c.benchmark_group("campus overview, server-side rendering");
	for window in ["today", "week", "month"] {
		let path = format!("/?window={window}&sort=carbon");
		group.bench_function(
			format!("{BUILDINGS} buildings, {} meters, {window}", BUILDINGS * METERS_PER_BUILDING),
			|b| b.to_async(&runtime).iter(|| async { black_box(fetch(&app, &path, "").await) }),
		);
	}
	group.finish();
}

criterion_group!(benches, overview);
criterion_main!(benches);
