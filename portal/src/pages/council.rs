//! The council: its members and the motions open for votes, with who voted which way.

use leptos::prelude::*;

use crate::{
	live::use_finalized_head,
	members::{CouncilView, Voter},
	pages::transact::{Outcome, SignButton},
	session::WalletRequest,
	widgets::{column_heads, loaded, NodeBanner},
};

/// The council as of the portal's latest block.
#[server]
pub async fn load_council() -> Result<CouncilView, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.chain.campus().council_view(state.chain.status()))
}

/// A council proposal to admit `applicant`, for the signed-in council member's wallet.
#[server]
pub async fn prepare_admission(applicant: String) -> Result<WalletRequest, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	let call = state
		.chain
		.campus()
		.admission_call(&applicant)
		.map_err(crate::server::refusal::bad_request)?;
	state.prepare_for_wallet(&call).await.map_err(crate::server::refusal::refused)
}

/// A vote on motion `index`, for the signed-in council member's wallet.
#[server]
pub async fn prepare_vote(index: u32, aye: bool) -> Result<WalletRequest, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	let call =
		state.chain.campus().vote_call(index, aye).map_err(crate::server::refusal::bad_request)?;
	state.prepare_for_wallet(&call).await.map_err(crate::server::refusal::refused)
}

/// Closing motion `index`, for the signed-in account's wallet.
#[server]
pub async fn prepare_close(index: u32) -> Result<WalletRequest, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	let call =
		state.chain.campus().close_call(index).map_err(crate::server::refusal::bad_request)?;
	state.prepare_for_wallet(&call).await.map_err(crate::server::refusal::refused)
}

fn voter_name(voter: &Voter) -> String {
	match &voter.member {
		Some(member) => format!("{member} ({})", voter.account),
		None => voter.account.clone(),
	}
}

#[component]
pub fn CouncilPage() -> impl IntoView {
	let head = use_finalized_head();
	let council = Resource::new(move || head.get(), |_| load_council());
	// Kept by the page: the council's figures refresh at each block, the outcome stays.
	let outcome = RwSignal::new(None::<Outcome>);
	view! {
		<h1>"Council"</h1>
		{move || outcome.get().map(Outcome::view)}
		{loaded(council, "council", move |council| view! { <CouncilBody council outcome /> })}
	}
}

#[component]
fn CouncilBody(council: CouncilView, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
	let waiting = council.applications.is_empty().then(|| {
		view! { <p class="notice">"No application is waiting."</p> }
	});
	let applications = council
		.applications
		.into_iter()
		.map(|application| {
			let applicant = application.applicant.clone();
			view! {
				<tr>
					<th scope="row">{application.name.clone()}</th>
					<td class="text account">{application.applicant.clone()}</td>
					<td class="text">{application.roles.join(", ")}</td>
					<td class="text">
						<SignButton
							label=format!("Propose admitting {}", application.name)
							prepare=move || prepare_admission(applicant.clone())
							done=format!("The admission of {} was proposed", application.name)
							outcome
						/>
					</td>
				</tr>
			}
		})
		.collect_view();
	let members =
		council.members.iter().map(|voter| view! { <li>{voter_name(voter)}</li> }).collect_view();
	let none_open = council.motions.is_empty().then(|| {
		view! { <p class="notice">"No motion is open."</p> }
	});
	let motions = council
		.motions
		.into_iter()
		.map(|motion| {
			let names =
				|voters: &[Voter]| voters.iter().map(voter_name).collect::<Vec<_>>().join("; ");
			view! {
				<article class="motion" data-motion=motion.index>
					<h3>{format!("Motion #{}", motion.index)}</h3>
					<p class="proposal">{motion.proposal.clone()}</p>
					<p>
						{format!(
							"{} aye, {} nay of {} ayes needed; open until block {}",
							motion.ayes.len(),
							motion.nays.len(),
							motion.threshold,
							motion.end,
						)}
					</p>
					<dl class="votes">
						<dt>"Aye"</dt>
						<dd>{names(&motion.ayes)}</dd>
						<dt>"Nay"</dt>
						<dd>{names(&motion.nays)}</dd>
					</dl>
					<p class="hash">{motion.hash}</p>
					<p class="actions">
						<SignButton
							label="Vote aye".to_string()
							prepare=move || prepare_vote(motion.index, true)
							done=format!("You voted aye on motion #{}", motion.index)
							outcome
						/>
						<SignButton
							label="Vote nay".to_string()
							prepare=move || prepare_vote(motion.index, false)
							done=format!("You voted nay on motion #{}", motion.index)
							outcome
						/>
						<SignButton
							label="Close".to_string()
							prepare=move || prepare_close(motion.index)
							done=format!("Motion #{} was closed", motion.index)
							outcome
						/>
					</p>
				</article>
			}
		})
		.collect_view();
	view! {
		<NodeBanner status=council.node block=council.block />
		<section aria-labelledby="council-members">
			<h2 id="council-members">"Members of the council"</h2>
			<ul>{members}</ul>
		</section>
		<section aria-labelledby="decide-heading">
			<h2 id="decide-heading">"Applications to decide"</h2>
			{waiting}
			<div class="table-scroll">
				<table class="kpis">
					{column_heads(&["Organisation", "Applicant account", "Roles asked", ""])}
					<tbody>{applications}</tbody>
				</table>
			</div>
		</section>
		<section aria-labelledby="motions-heading">
			<h2 id="motions-heading">"Open motions"</h2>
			{none_open}
			{motions}
		</section>
	}
}
