//! The member directory with the applications waiting, and each member's page with its
//! reputation history.

use leptos::prelude::*;

use crate::{
	charts::ScoreChart,
	live::{use_finalized_head, use_page_of_id},
	members::{Directory, MemberPage, MemberRow, ROLES},
	pages::transact::{sign_in_wallet, Outcome},
	session::WalletRequest,
	widgets::{column_heads, loaded, NodeBanner},
};

/// The directory as of the portal's latest block.
#[server]
pub async fn load_directory() -> Result<Directory, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.chain.campus().directory(state.chain.status()))
}

/// Member `id`'s page; `None` if there is no such member.
#[server]
pub async fn load_member(id: u32) -> Result<Option<MemberPage>, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.chain.campus().member_page(id, state.chain.status()))
}

/// An application for membership from the signed-in account, for its wallet to sign: `roles`
/// are the registry's role names, comma-separated; only a hash of `contact` goes on chain.
#[server]
pub async fn prepare_application(
	name: String,
	roles: String,
	contact: String,
) -> Result<WalletRequest, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	let call =
		crate::server::members::application_call(&name, &roles, &contact).map_err(|error| {
			crate::server::refusal::bad_request(format!("The application is incomplete: {error}."))
		})?;
	state.prepare_for_wallet(&call).await.map_err(crate::server::refusal::refused)
}

#[component]
pub fn MembersPage() -> impl IntoView {
	let head = use_finalized_head();
	let directory = Resource::new(move || head.get(), |_| load_directory());
	view! {
		<h1>"Members"</h1>
		{loaded(directory, "members", |directory| view! { <DirectoryBody directory /> })}
		<ApplicationForm />
	}
}

/// The membership application, signed by the applicant's wallet. It sits outside the directory,
/// so what is typed survives the directory's refresh at each block.
#[component]
fn ApplicationForm() -> impl IntoView {
	let name = RwSignal::new(String::new());
	let contact = RwSignal::new(String::new());
	let roles = RwSignal::new(Vec::<&'static str>::new());
	let outcome = RwSignal::new(None::<Outcome>);
	let submit = move |event: leptos::ev::SubmitEvent| {
		event.prevent_default();
		let prepare = prepare_application(name.get(), roles.get().join(","), contact.get());
		let organisation = name.get();
		sign_in_wallet(outcome, prepare, move |block| {
			format!(
				"{organisation} applied (block {block}): the council decides, and the deposit is \
				 held until then."
			)
		});
	};
	let role_boxes = ROLES
		.iter()
		.map(|(key, label)| {
			let key = *key;
			let toggle = move |event: leptos::ev::Event| {
				let checked = event_target_checked(&event);
				roles.update(|roles| {
					roles.retain(|role| *role != key);
					if checked {
						roles.push(key);
					}
				});
			};
			view! {
				<label class="check">
					<input type="checkbox" name="roles" value=key on:change=toggle />
					{*label}
				</label>
			}
		})
		.collect_view();
	view! {
		<section aria-labelledby="apply-heading" class="apply">
			<h2 id="apply-heading">"Apply for membership"</h2>
			<p class="lead">
				"Sign in with the account your organisation will act with; its wallet signs the \
				 application, and the registry holds a deposit until the council decides."
			</p>
			<form on:submit=submit>
				<label>
					"Organisation"
					<input
						type="text"
						name="name"
						required
						prop:value=move || name.get()
						on:input=move |event| name.set(event_target_value(&event))
					/>
				</label>
				<fieldset>
					<legend>"Roles"</legend>
					{role_boxes}
				</fieldset>
				<label>
					"Contact for the council (stays off chain: only its hash is stored)"
					<textarea
						name="contact"
						required
						prop:value=move || contact.get()
						on:input=move |event| contact.set(event_target_value(&event))
					></textarea>
				</label>
				<button type="submit">"Sign and apply"</button>
			</form>
			{move || outcome.get().map(Outcome::view)}
		</section>
	}
}

#[component]
fn DirectoryBody(directory: Directory) -> impl IntoView {
	let members = directory
		.members
		.into_iter()
		.map(|member| {
			view! {
				<tr data-member=member.id>
					<th scope="row">
						<a href=format!("/members/{}", member.id)>{member.name.clone()}</a>
						<span class="use">{format!("#{}", member.id)}</span>
					</th>
					<td class="text">{member.roles.join(", ")}</td>
					<td class="text">{member.status.clone()}</td>
					<td>{member.score}</td>
					<td>{member.admitted}</td>
					<td>{member.accounts.len()}</td>
					<td>{member.validators}</td>
					<td>{member.nodes}</td>
				</tr>
			}
		})
		.collect_view();
	let waiting = directory.applications.is_empty().then(|| {
		view! { <p class="notice">"No application is waiting for the council."</p> }
	});
	let applications = directory
		.applications
		.into_iter()
		.map(|application| {
			view! {
				<tr>
					<th scope="row">{application.name}</th>
					<td class="text account">{application.applicant}</td>
					<td class="text">{application.roles.join(", ")}</td>
					<td>{format!("{:.2}", application.deposit_sbt)}</td>
					<td>{application.submitted}</td>
				</tr>
			}
		})
		.collect_view();
	view! {
		<NodeBanner status=directory.node block=directory.block />
		<div class="table-scroll">
			<table class="kpis">
				{column_heads(
					&[
						"Member",
						"Roles",
						"Status",
						"Reputation",
						"Admitted (block)",
						"Accounts",
						"Validators",
						"Nodes",
					],
				)}
				<tbody>{members}</tbody>
			</table>
		</div>
		<section aria-labelledby="applications-heading">
			<h2 id="applications-heading">"Applications waiting for the council"</h2>
			{waiting}
			<div class="table-scroll">
				<table class="kpis">
					{column_heads(
						&[
							"Organisation",
							"Applicant account",
							"Roles asked",
							"Deposit (SBT)",
							"Submitted (block)",
						],
					)}
					<tbody>{applications}</tbody>
				</table>
			</div>
		</section>
	}
}

#[component]
pub fn MemberDetailPage() -> impl IntoView {
	let page = use_page_of_id(load_member);
	view! {
		{loaded(
			page,
			"member",
			|page| match page {
				Some(page) => view! { <MemberBody page /> }.into_any(),
				None => view! {
					<h1>"No such member"</h1>
					<p class="notice">
						"The chain has no member with this number. " <a href="/members">"All members"</a>
					</p>
				}
				.into_any(),
			},
		)}
	}
}

#[component]
fn MemberBody(page: MemberPage) -> impl IntoView {
	let MemberRow { id, name, roles, status, score, admitted, accounts, validators, nodes } =
		page.member;
	let sites = page
		.sites
		.into_iter()
		.map(|(site, name)| view! { <li><a href=format!("/buildings/{site}")>{name}</a></li> })
		.collect_view();
	let accounts = accounts
		.into_iter()
		.map(|account| view! { <li class="account">{account}</li> })
		.collect_view();
	view! {
		<p class="crumbs">
			<a href="/members">"Members"</a>
			" › "
			{name.clone()}
		</p>
		<h1>{name}</h1>
		<NodeBanner status=page.node block=page.block />
		<p class="facts">
			{format!("Member #{id} · {status} · {} · admitted in block {admitted} · {validators} validators · {nodes} nodes", roles.join(", "))}
		</p>
		<section aria-labelledby="reputation-heading">
			<h2 id="reputation-heading">"Reputation: " {score} " of 1000"</h2>
			{if page.history.is_empty() {
				view! { <p class="notice">"No change since admission."</p> }.into_any()
			} else {
				view! { <ScoreChart points=page.history /> }.into_any()
			}}
		</section>
		<section aria-labelledby="accounts-heading">
			<h2 id="accounts-heading">"Accounts acting for it"</h2>
			<ul>{accounts}</ul>
		</section>
		<section aria-labelledby="sites-heading">
			<h2 id="sites-heading">"Sites"</h2>
			<ul>{sites}</ul>
		</section>
	}
}
