//! Pages follow finalized blocks without reloading: the server streams each new snapshot's block
//! number, and resources that read it fetch again.

use leptos::prelude::*;

/// The latest finalized block the server has read, as a signal: 0 on the server and until the
/// stream's first message in the browser.
pub fn use_finalized_head() -> ReadSignal<u64> {
	let (head, set_head) = signal(0u64);
	#[cfg(feature = "hydrate")]
	Effect::new(move |_| listen(set_head));
	#[cfg(not(feature = "hydrate"))]
	let _ = set_head;
	head
}

#[cfg(feature = "hydrate")]
fn listen(set_head: WriteSignal<u64>) {
	use wasm_bindgen::{closure::Closure, JsCast};
	let Ok(source) = web_sys::EventSource::new("/api/v1/events/head") else { return };
	let on_message =
		Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
			if let Some(block) = event.data().as_string().and_then(|text| text.parse::<u64>().ok())
			{
				// A signal of a page that is gone is left alone.
				let _ = set_head.try_set(block);
			}
		});
	source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
	// The handler lives as long as the page; the browser reconnects the stream after an outage.
	on_message.forget();
	let source = send_wrapper::SendWrapper::new(source);
	on_cleanup(move || source.close());
}
