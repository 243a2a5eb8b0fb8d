//! Transactions a member's wallet signs: the server prepares one for the signed-in account, the
//! wallet that holds it signs in the browser, and the server checks the signature and sends it.

use std::future::Future;

use leptos::{prelude::*, task::spawn_local};

use crate::{session::WalletRequest, wallet};

/// Sends prepared transaction `id` with its wallet's `signature`; answers once it is in a
/// finalized block, with that block's hash.
#[server]
pub async fn submit_signed(id: String, signature: String) -> Result<String, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	state.send_signed(&id, &signature).await.map_err(crate::server::refusal::refused)
}

/// A server function's error in words for the page.
pub fn reason(error: ServerFnError) -> String {
	match error {
		ServerFnError::ServerError(message) => message,
		other => other.to_string(),
	}
}

/// Has the wallet holding the prepared transaction's account sign it, and sends it; the block
/// it is finalized in, or what went wrong, in words.
pub async fn sign_and_send(
	prepared: Result<WalletRequest, ServerFnError>,
) -> Result<String, String> {
	let request = prepared.map_err(reason)?;
	let wallet = wallet::wallet_holding(&request.account).await?;
	let signature = wallet::sign_payload(&wallet, &request.payload)
		.await
		.map_err(|error| format!("The wallet did not sign: {error}"))?;
	submit_signed(request.id, signature).await.map_err(reason)
}

/// What an action last has to say: progress, success or a refusal.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
	Working(String),
	Done(String),
	Refused(String),
}

impl Outcome {
	pub fn view(self) -> AnyView {
		match self {
			Outcome::Working(text) => {
				view! { <p class="notice" role="status">{text}</p> }.into_any()
			}
			Outcome::Done(text) => {
				view! { <p class="notice done" role="status">{text}</p> }.into_any()
			}
			Outcome::Refused(text) => {
				view! { <p class="notice error" role="alert">{text}</p> }.into_any()
			}
		}
	}
}

/// Runs `prepare`, has the wallet sign and sends the transaction, writing progress and the
/// outcome to `outcome`; `done` says in words what happened, given the block.
pub fn sign_in_wallet<Fut>(
	outcome: RwSignal<Option<Outcome>>,
	prepare: Fut,
	done: impl FnOnce(String) -> String + 'static,
) where
	Fut: Future<Output = Result<WalletRequest, ServerFnError>> + 'static,
{
	outcome.set(Some(Outcome::Working("Waiting for your wallet's signature…".into())));
	spawn_local(async move {
		outcome.set(Some(match sign_and_send(prepare.await).await {
			Ok(block) => Outcome::Done(done(block)),
			Err(error) => Outcome::Refused(error),
		}));
	});
}

/// A button that has the signed-in member's wallet sign the transaction `prepare` makes; its
/// progress and outcome go to `outcome`, which the page keeps across refreshes.
#[component]
pub fn SignButton<F, Fut>(
	label: String,
	prepare: F,
	done: String,
	outcome: RwSignal<Option<Outcome>>,
) -> impl IntoView
where
	F: Fn() -> Fut + Clone + 'static,
	Fut: Future<Output = Result<WalletRequest, ServerFnError>> + 'static,
{
	let click = move |_| {
		let done = done.clone();
		sign_in_wallet(outcome, prepare(), move |block| format!("{done} (block {block})."))
	};
	view! {
		<button type="button" class="sign" on:click=click>
			{label}
		</button>
	}
}
