//! The server half: the chain follower, the JSON API and event stream, and the axum app that
//! renders pages.

pub mod api;
pub mod building;
pub mod campus;
pub mod clients;
pub mod contracts;
pub mod events;
pub mod follow;
pub mod forecasts;
pub mod members;
pub mod meter;
pub mod pending;
pub mod refusal;
pub mod sample;
pub mod savings;
pub mod session;
pub mod table;
pub mod wizard;

use std::sync::Arc;

use axum::{extract::FromRef, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
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
	let routes = generate_route_list(App);
	let context = state.clone();
	let shell_options = state.options.clone();
	Router::new()
		.leptos_routes_with_context(
			&state,
			routes,
			move || provide_context(context.clone()),
			move || shell(shell_options.clone()),
		)
		.merge(api::routes())
		.fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
		.layer(CompressionLayer::new())
		.with_state(state)
}
