//! BlockPortal: the campus web portal of SmartBlocks. Pages render on the server (feature `ssr`)
//! from a snapshot of the chain that follows finalized blocks, and hydrate in the browser
//! (feature `hydrate`, built for wasm32 by scripts/build-portal).

pub mod app;
pub mod building;
pub mod charts;
pub mod contracts;
pub mod format;
pub mod kpi;
pub mod live;
pub mod members;
pub mod meter;
pub mod pages;
pub mod session;
pub mod status;
pub mod wallet;
pub mod widgets;
pub mod wizard;

#[cfg(feature = "ssr")]
pub mod server;

/// The browser half's entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
	console_error_panic_hook::set_once();
	leptos::mount::hydrate_body(app::App);
}
