//! Signing in with a wallet: the page that asks the browser's injected-web3 wallets for an account
//! and a signature of a server challenge, and the header's sign-in link or signed-in account.

use leptos::{prelude::*, task::spawn_local};

use crate::{
	pages::transact::{reason, Outcome},
	session::{Challenge, SignedIn},
	wallet::{self, WalletAccount},
};

/// A one-time challenge for a wallet to sign.
#[server]
pub async fn sign_in_challenge() -> Result<Challenge, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	let now = crate::server::session::now_ms();
	let client = crate::server::clients::Client::of_request(&expect_context());
	state.sessions.challenge(now, client).map_err(crate::server::refusal::refused)
}

/// Opens a session for `account` if `signature` is its signature of `message`, a challenge of this
/// portal that has not expired, and sets the session cookie.
#[server]
pub async fn sign_in(
	account: String,
	message: String,
	signature: String,
) -> Result<SignedIn, ServerFnError> {
	use crate::server::session::{now_ms, respond_with_cookie};
	let state = expect_context::<crate::server::AppState>();
	let client = crate::server::clients::Client::of_request(&expect_context());
	let (token, session) = state
		.sessions
		.sign_in(&account, &message, &signature, now_ms(), client, |account| {
			state.is_member(account)
		})
		.map_err(crate::server::refusal::refused)?;
	respond_with_cookie(&state, &token);
	Ok(state.signed_in(&session))
}

/// Ends the request's session and clears its cookie.
#[server]
pub async fn sign_out() -> Result<(), ServerFnError> {
	use crate::server::session::{request_session, respond_with_cookie};
	let state = expect_context::<crate::server::AppState>();
	if let Some((token, _)) = request_session(&state) {
		state.sessions.sign_out(&token);
	}
	respond_with_cookie(&state, "");
	Ok(())
}

/// Who the request's session signs in, if anyone.
#[server]
pub async fn current_session() -> Result<Option<SignedIn>, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(crate::server::session::request_session(&state)
		.map(|(_, session)| state.signed_in(&session)))
}

/// Counts sign-ins and sign-outs in this page, so what shows the session reads it again.
#[derive(Clone, Copy)]
pub struct SessionChanges(pub RwSignal<u64>);

impl SessionChanges {
	pub fn provide() {
		provide_context(Self(RwSignal::new(0)));
	}

	fn changed(self) {
		self.0.update(|count| *count += 1);
	}
}

/// The member or account `signed_in` names, for a line of text.
fn label(signed_in: &SignedIn) -> String {
	match &signed_in.member {
		Some((_, name)) => name.clone(),
		None => short_address(&signed_in.account),
	}
}

fn short_address(address: &str) -> String {
	match (address.get(..6), address.get(address.len().saturating_sub(6)..)) {
		(Some(head), Some(tail)) if address.len() > 14 => format!("{head}…{tail}"),
		_ => address.to_string(),
	}
}

/// The header's part: a sign-in link, or the signed-in member with a sign-out button.
#[component]
pub fn SessionMenu() -> impl IntoView {
	let changes = expect_context::<SessionChanges>();
	let sign_out = ServerAction::<SignOut>::new();
	let session =
		Resource::new(move || (changes.0.get(), sign_out.version().get()), |_| current_session());
	view! {
		<div class="session">
			<Transition fallback=|| ()>
				{move || Suspend::new(async move {
				match session.await {
					Ok(Some(signed_in)) => {
						let home = match signed_in.member {
							Some((id, _)) => format!("/members/{id}"),
							None => "/sign-in".to_string(),
						};
						view! {
							<a href=home title=signed_in.account.clone()>{label(&signed_in)}</a>
							<ActionForm action=sign_out>
								<button type="submit">"Sign out"</button>
							</ActionForm>
						}
						.into_any()
					}
					_ => view! { <a href="/sign-in">"Sign in"</a> }.into_any(),
				}
			})}
			</Transition>
		</div>
	}
}

#[component]
pub fn SignInPage() -> impl IntoView {
	let changes = expect_context::<SessionChanges>();
	let session = Resource::new(move || changes.0.get(), |_| current_session());
	// Filled in the browser only: the server sees no wallet.
	let wallets = RwSignal::new(None::<Vec<String>>);
	Effect::new(move |_| wallets.set(Some(wallet::installed())));
	let accounts = RwSignal::new(Vec::<(String, WalletAccount)>::new());
	let notice = RwSignal::new(None::<Outcome>);

	let connect = move |name: String| {
		notice.set(Some(Outcome::Working(format!("Asking {name} for its accounts…"))));
		spawn_local(async move {
			match wallet::accounts(&name).await {
				Ok(list) if list.is_empty() => notice.set(Some(Outcome::Refused(format!(
					"{name} shares no account with BlockPortal: add one, or allow this site, in \
					 the wallet"
				)))),
				Ok(list) => {
					accounts.set(list.into_iter().map(|account| (name.clone(), account)).collect());
					notice.set(None);
				}
				Err(error) => {
					notice.set(Some(Outcome::Refused(format!("{name} did not connect: {error}"))))
				}
			}
		});
	};
	let sign = move |wallet_name: String, address: String| {
		notice.set(Some(Outcome::Working("Waiting for the wallet's signature…".into())));
		spawn_local(async move {
			let signed_in = async {
				let challenge = sign_in_challenge().await.map_err(reason)?;
				let signature = wallet::sign_message(&wallet_name, &address, &challenge.message)
					.await
					.map_err(|error| format!("The wallet did not sign: {error}"))?;
				sign_in(address, challenge.message, signature).await.map_err(reason)
			};
			match signed_in.await {
				Ok(signed_in) => {
					notice.set(Some(Outcome::Done(format!("Signed in as {}.", label(&signed_in)))));
					changes.changed();
				}
				Err(error) => notice.set(Some(Outcome::Refused(error))),
			}
		});
	};

	let wallet_list = move || match wallets.get() {
		None => view! {
			<p class="notice">
				"Signing in needs JavaScript and a wallet extension (polkadot{.js}, Talisman or \
				 SubWallet) in this browser."
			</p>
		}
		.into_any(),
		Some(names) if names.is_empty() => view! {
			<p class="notice error" role="alert">
				"No wallet found in this browser: install polkadot{.js}, Talisman or SubWallet, \
				 add your organisation's account, and reload this page."
			</p>
		}
		.into_any(),
		Some(names) => names
			.into_iter()
			.map(|name| {
				let wallet_name = name.clone();
				view! {
					<button type="button" class="wallet" on:click=move |_| connect(wallet_name.clone())>
						{format!("Connect {name}")}
					</button>
				}
			})
			.collect_view()
			.into_any(),
	};
	let account_list = move || {
		accounts
			.get()
			.into_iter()
			.map(|(wallet_name, account)| {
				let title = match &account.name {
					Some(name) => format!("{name} ({})", short_address(&account.address)),
					None => account.address.clone(),
				};
				let address = account.address.clone();
				view! {
					<li>
						<button
							type="button"
							class="account"
							on:click=move |_| sign(wallet_name.clone(), address.clone())
						>
							{format!("Sign in as {title}")}
						</button>
					</li>
				}
			})
			.collect_view()
	};
	view! {
		<h1>"Sign in"</h1>
		<p class="lead">
			"Your wallet signs a one-time challenge from this portal: your key never leaves the \
			 wallet, and the signature is no transaction and costs nothing."
		</p>
		<Transition fallback=|| ()>
			{move || Suspend::new(async move {
				session.await.ok().flatten().map(|signed_in| view! {
					<p class="notice done">
						{format!(
							"Signed in as {} ({}) until {}.",
							label(&signed_in),
							signed_in.account,
							signed_in.expires_at
						)}
					</p>
				})
			})}
		</Transition>
		<div class="wallets">{wallet_list}</div>
		<ul class="accounts">{account_list}</ul>
		{move || notice.get().map(Outcome::view)}
	}
}
