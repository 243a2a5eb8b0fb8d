//! Pages follow finalized blocks without reloading: the server streams each new snapshot's block
//! number, and resources that read it fetch again.

use leptos::prelude::*;

/// The page of the thing numbered by the URL's `:id`, loaded by `load` and again at each new
/// block; `None` when the URL's id is not a number or names nothing.
pub fn use_page_of_id<T, Fut>(
	load: impl Fn(u32) -> Fut + Clone + Send + Sync + 'static,
) -> Resource<Result<Option<T>, ServerFnError>>
where
	T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
	Fut: std::future::Future<Output = Result<Option<T>, ServerFnError>> + Send + 'static,
{
	let params = leptos_router::hooks::use_params_map();
	let head = use_finalized_head();
	let id = move || params.get().get("id").and_then(|id| id.parse::<u32>().ok());
	Resource::new(
		move || (id(), head.get()),
		move |(id, _)| {
			let load = load.clone();
			async move {
				match id {
					Some(id) => load(id).await,
					None => Ok(None),
				}
			}
		},
	)
}

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
