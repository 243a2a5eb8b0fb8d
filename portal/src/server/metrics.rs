//! The portal's Prometheus metrics at `GET /metrics` (text format 0.0.4): how long each route
//! takes to answer, by route, method and status class, and how the follower keeps up with the
//! chain: the block of the snapshot pages render from, its age, how long the last refresh took,
//! and whether the node answers. Meant for a Prometheus on the portal's own network: the shipped
//! nginx configuration does not pass `/metrics` on.

use super::AppState;
use axum::{
	extract::{MatchedPath, Request, State},
	http::{header, Method, StatusCode},
	middleware::Next,
	response::{IntoResponse, Response},
};
use prometheus::{Encoder, Gauge, HistogramOpts, HistogramVec, IntGauge, Registry, TextEncoder};
use std::{sync::Arc, time::Instant};

/// Answer times, in seconds: a page from the snapshot in milliseconds, a forecast that asks a
/// bridge in up to seconds.
const ANSWER_BUCKETS: [f64; 11] =
	[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

/// What the portal measures as it serves.
pub struct Metrics {
	registry: Registry,
	answers: HistogramVec,
}

impl Metrics {
	pub fn new() -> prometheus::Result<Arc<Self>> {
		let registry = Registry::new();
		let answers = HistogramVec::new(
			HistogramOpts::new(
				"smartblocks_portal_request_seconds",
				"Time from a request to its answer's head (a stream's first byte), by route.",
			)
			.buckets(ANSWER_BUCKETS.to_vec()),
			&["route", "method", "status"],
		)?;
		registry.register(Box::new(answers.clone()))?;
		Ok(Arc::new(Self { registry, answers }))
	}

	/// Every metric in Prometheus' text format, the follower's as they are now.
	fn render(&self, state: &AppState) -> anyhow::Result<String> {
		let now = Registry::new();
		let block = IntGauge::new(
			"smartblocks_portal_snapshot_block",
			"The finalized block of the snapshot pages render from.",
		)?;
		let age = Gauge::new(
			"smartblocks_portal_snapshot_age_seconds",
			"Time since the follower last published a snapshot (it publishes one per new \
			 finalized block).",
		)?;
		let refresh = Gauge::new(
			"smartblocks_portal_refresh_seconds",
			"Time the follower's last snapshot took to read from the node.",
		)?;
		let up = IntGauge::new("smartblocks_portal_node_up", "1 while the node answers.")?;
		let follower = state.chain.follower();
		block.set(i64::try_from(follower.block).unwrap_or(i64::MAX));
		age.set(follower.published.map_or(f64::NAN, |at| at.elapsed().as_secs_f64()));
		refresh.set(follower.refresh.map_or(f64::NAN, |took| took.as_secs_f64()));
		up.set(i64::from(follower.node_up));
		now.register(Box::new(block))?;
		now.register(Box::new(age))?;
		now.register(Box::new(refresh))?;
		now.register(Box::new(up))?;

		let mut families = self.registry.gather();
		families.extend(now.gather());
		let mut text = Vec::new();
		TextEncoder::new().encode(&families, &mut text)?;
		Ok(String::from_utf8(text)?)
	}
}

/// Times every request; a request no route matched (files, unknown paths) counts as `other`, and
/// so does a method outside HTTP's usual ones.
pub async fn measure(
	State(metrics): State<Arc<Metrics>>,
	request: Request,
	next: Next,
) -> Response {
	let route = match request.extensions().get::<MatchedPath>() {
		Some(path) => path.as_str().to_owned(),
		None => "other".to_owned(),
	};
	// A fixed set: a client can send any method name, and each would be a series kept forever.
	let method = match *request.method() {
		Method::GET => "GET",
		Method::HEAD => "HEAD",
		Method::POST => "POST",
		Method::PUT => "PUT",
		Method::DELETE => "DELETE",
		Method::PATCH => "PATCH",
		Method::OPTIONS => "OPTIONS",
		_ => "other",
	};
	let started = Instant::now();
	let response = next.run(request).await;
	let status = format!("{}xx", response.status().as_u16() / 100);
	metrics
		.answers
		.with_label_values(&[route.as_str(), method, status.as_str()])
		.observe(started.elapsed().as_secs_f64());
	response
}

/// `GET /metrics`.
pub async fn serve(metrics: Arc<Metrics>, state: AppState) -> Response {
	match metrics.render(&state) {
		Ok(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
		Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}\n")).into_response(),
	}
}
