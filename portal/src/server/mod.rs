//! The server half: the chain follower, the JSON API and event stream, and the axum app that
//! renders pages.

pub mod api;
pub mod archives;
pub mod building;
pub mod campus;
pub mod clients;
pub mod contracts;
pub mod events;
pub mod follow;
pub mod forecasts;
pub mod members;
pub mod meter;
pub mod metrics;
pub mod pending;
pub mod refusal;
pub mod sample;
pub mod savings;
pub mod session;
pub mod table;
pub mod wizard;

use std::{
	future::Future,
	net::SocketAddr,
	sync::{Arc, OnceLock},
	time::Duration,
};

use axum::{extract::FromRef, serve::ListenerExt, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::compression::CompressionLayer;

use crate::app::{shell, App};
use follow::ChainView;

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
	pub chain: Arc<ChainView>,
	pub events: Arc<events::EventLog>,
	pub sessions: Arc<session::Sessions>,
	/// Open event streams, bounded per client and in all.
	pub streams: Arc<clients::Streams>,
	/// Open streams of new blocks (one per open page), bounded the same way, more widely.
	pub heads: Arc<clients::Streams>,
	pub pending: Arc<pending::Pending>,
	pub bridges: Arc<forecasts::Bridges>,
	/// The reverse proxies whose word on a request's client address is taken.
	pub proxies: Arc<clients::TrustedProxies>,
	pub options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
	fn from_ref(state: &AppState) -> Self {
		state.options.clone()
	}
}

/// The portal's routes: pages, server functions, the API and the browser half's files under
/// `site_root`, compressed for browsers that accept it.
pub fn router(state: AppState) -> Router {
	let routes = page_routes().to_vec();
	let context = state.clone();
	let shell_options = state.options.clone();
	// Registering a handful of fixed metrics fails only on a name clash, a bug of this file.
	#[allow(clippy::expect_used)]
	let metrics = metrics::Metrics::new().expect("the portal's metrics have distinct names");
	let metrics_state = state.clone();
	let served_metrics = metrics.clone();
	Router::new()
		.leptos_routes_with_context(
			&state,
			routes,
			move || provide_context(context.clone()),
			move || shell(shell_options.clone()),
		)
		.merge(api::routes())
		.route(
			"/metrics",
			axum::routing::get(move || {
				metrics::serve(served_metrics.clone(), metrics_state.clone())
			}),
		)
		.fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
		.layer(axum::middleware::from_fn_with_state(metrics, metrics::measure))
		.layer(CompressionLayer::new())
		// Outermost: every handler and server function sees the client it finds.
		.layer(axum::middleware::from_fn_with_state(state.proxies.clone(), clients::resolve))
		.with_state(state)
}

/// The pages' routes, listed once for the process by rendering the app, before any router serves.
/// Listing is not safe beside other rendering: leptos_server's "load no resources" switch for it is
/// one process-wide flag, so two listings at once load resources without the portal's state (the
/// first to finish turns it off) and a page rendered during one never loads (leptos#4773).
fn page_routes() -> &'static [AxumRouteListing] {
	static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
	ROUTES.get_or_init(|| generate_route_list(App))
}

/// How long data the portal sent may stay unacknowledged, or unsent because the client's window
/// is shut, before the connection is dropped: a client that stops reading while the portal has
/// data for it (an event stream catching up, a page) frees its connection and its stream's place
/// within this. (A consumer that reads, however slowly, is a consumer: the per-client stream
/// limits bound those.)
pub const STALLED_READER: Duration = Duration::from_secs(60);

/// Serves `app` on `listener` until `shutdown`, each connection's peer address given to the
/// handlers (per-client limits count it), each connection dropped by the kernel once the portal's
/// data has waited `stalled` for its client (`TCP_USER_TIMEOUT`).
pub async fn serve(
	listener: tokio::net::TcpListener,
	app: Router,
	stalled: Duration,
	shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
	let listener = listener.tap_io(move |stream| {
		// Linux's option; elsewhere a stalled client holds its connection until it goes.
		#[cfg(any(target_os = "linux", target_os = "android"))]
		if let Err(error) = socket2::SockRef::from(&*stream).set_tcp_user_timeout(Some(stalled)) {
			tracing::warn!(%error, "cannot bound how long a connection may stall");
		}
		#[cfg(not(any(target_os = "linux", target_os = "android")))]
		let _ = (stream, stalled);
	});
	axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
		.with_graceful_shutdown(shutdown)
		.await
}
