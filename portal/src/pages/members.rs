//! The member directory with the applications waiting, and each member's page with its
//! reputation history.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
	app::NodeBanner,
	charts::ScoreChart,
	live::use_finalized_head,
	members::{Directory, MemberPage, MemberRow},
	widgets::{column_heads, loaded},
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

#[component]
pub fn MembersPage() -> impl IntoView {
	let head = use_finalized_head();
	let directory = Resource::new(move || head.get(), |_| load_directory());
	view! {
		<h1>"Members"</h1>
		{loaded(directory, "members", |directory| view! { <DirectoryBody directory /> })}
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
	let params = use_params_map();
	let head = use_finalized_head();
	let id = move || params.get().get("id").and_then(|id| id.parse::<u32>().ok());
	let page = Resource::new(
		move || (id(), head.get()),
		|(id, _)| async move {
			match id {
				Some(id) => load_member(id).await,
				None => Ok(None),
			}
		},
	);
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
