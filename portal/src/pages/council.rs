//! The council: its members and the motions open for votes, with who voted which way.

use leptos::prelude::*;

use crate::{
	app::NodeBanner,
	live::use_finalized_head,
	members::{CouncilView, Voter},
	widgets::loaded,
};

/// The council as of the portal's latest block.
#[server]
pub async fn load_council() -> Result<CouncilView, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.chain.campus().council_view(state.chain.status()))
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
	view! {
		<h1>"Council"</h1>
		{loaded(council, "council", |council| view! { <CouncilBody council /> })}
	}
}

#[component]
fn CouncilBody(council: CouncilView) -> impl IntoView {
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
		<section aria-labelledby="motions-heading">
			<h2 id="motions-heading">"Open motions"</h2>
			{none_open}
			{motions}
		</section>
	}
}
