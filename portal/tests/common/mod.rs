//! The portal's state as the router tests start it: an empty chain view, small limits, no
//! bridges and no trusted proxy; each test replaces the parts it is about.

use std::sync::Arc;

use leptos::prelude::LeptosOptions;
use smartblocks_portal::server::{
	clients::{Streams, TrustedProxies},
	events::EventLog,
	follow::ChainView,
	forecasts::Bridges,
	pending::Pending,
	session::Sessions,
	AppState,
};

pub fn state() -> AppState {
	AppState {
		chain: ChainView::new(),
		events: EventLog::new(1, usize::MAX),
		sessions: Arc::new(Sessions::new(60_000, 3_600_000, false)),
		streams: Streams::new(1, 1),
		heads: Streams::new(1, 1),
		pending: Arc::new(Pending::new(60_000)),
		bridges: Arc::new(Bridges::new(Vec::new())),
		proxies: Arc::new(TrustedProxies::default()),
		options: LeptosOptions::builder().output_name("portal").build(),
	}
}
