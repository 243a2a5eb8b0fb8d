//! The contract wizard: a template the council approved, the parties, their sites and meters
//! and the template's parameters within its bounds become a draft; the server checks it as the
//! chain would and says what it agrees in plain words; the proposer's wallet signs it, and the
//! other party signs it on the contract's page.

mod form;
mod inputs;
mod review;

use std::collections::BTreeMap;

use leptos::{prelude::*, server_fn::codec::Json, task::spawn_local};

use form::Form;
use inputs::{check_box, field_input, party_select};
use review::review_section;

use crate::{
	pages::{
		sign_in::SessionChanges,
		transact::{reason, Outcome},
	},
	session::WalletRequest,
	widgets::{loaded, NodeBanner},
	wizard::{Draft, Review, SiteChoice, WizardOptions},
};

/// What the wizard offers the signed-in member.
#[server]
pub async fn load_wizard() -> Result<WizardOptions, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	let proposer = crate::server::session::request_session(&state)
		.and_then(|(_, session)| state.signed_in(&session).member);
	Ok(state.chain.campus().wizard_options(proposer, state.chain.status()))
}

/// `draft` checked as the chain would check it, in words; or every problem with it.
#[server(input = Json)]
pub async fn review_draft(draft: Draft) -> Result<Review, ServerFnError> {
	use crate::server::refusal::refused;
	let state = expect_context::<crate::server::AppState>();
	let proposer = state.session_member().map_err(refused)?;
	let (_, review) = state.chain.campus().check_draft(&draft, proposer).map_err(refused)?;
	Ok(review)
}

/// The proposal of `draft`, checked again, for the signed-in member's wallet to sign.
#[server(input = Json)]
pub async fn prepare_proposal(draft: Draft) -> Result<WalletRequest, ServerFnError> {
	use crate::server::refusal::refused;
	let state = expect_context::<crate::server::AppState>();
	let proposer = state.session_member().map_err(refused)?;
	let (agreement, _) = state.chain.campus().check_draft(&draft, proposer).map_err(refused)?;
	let call =
		smartblocks_client::chain::transactions().energy_contracts().propose_contract(agreement);
	state.prepare_for_wallet(&call).await.map_err(refused)
}

#[component]
pub fn ContractWizardPage() -> impl IntoView {
	let changes = expect_context::<SessionChanges>();
	// Read once per visit and sign-in, not each block: what is typed must not be redrawn.
	let options = Resource::new(move || changes.0.get(), |_| load_wizard());
	view! {
		<p class="crumbs">
			<a href="/contracts">"Contracts"</a>
			" › Draft a contract"
		</p>
		<h1>"Draft a contract"</h1>
		{loaded(options, "templates", |options| view! { <Wizard options /> })}
	}
}

#[component]
fn Wizard(options: WizardOptions) -> impl IntoView {
	let WizardOptions { block, node, proposer, templates, members, sites, max_sites, max_meters } =
		options;
	let form = Form {
		template: RwSignal::new(String::new()),
		provider: RwSignal::new(None),
		client: RwSignal::new(None),
		sites: RwSignal::new(Vec::new()),
		meters: RwSignal::new(Vec::new()),
		values: RwSignal::new(BTreeMap::new()),
		review: RwSignal::new(None),
	};
	if let Some(first) = templates.first() {
		form.choose(first);
	}
	let outcome = RwSignal::new(None::<Outcome>);
	// Effects run in the browser only: the form works once the page is hydrated.
	let ready = RwSignal::new(false);
	Effect::new(move |_| ready.set(true));
	let templates = StoredValue::new(templates);
	let sites = StoredValue::new(sites);
	let chosen_template = move || {
		let key = form.template.get();
		templates.with_value(|all| all.iter().find(|template| template.key == key).cloned())
	};

	let signed_in = match &proposer {
		Some((_, name)) => view! {
			<p class="lead">
				{format!(
					"You propose for {name}, which must be a party; its wallet signs the proposal, \
					 then the other party signs the contract on its page.",
				)}
			</p>
		}
		.into_any(),
		None => view! {
			<p class="notice error" role="alert">
				"Only a member proposes contracts: "
				<a href="/sign-in">"sign in"</a>
				" with an account of yours to draft one."
			</p>
		}
		.into_any(),
	};
	let template_options = templates.with_value(|all| {
		all.iter()
			.map(|template| {
				view! {
					<option value=template.key.clone()>
						{format!("{} (version {})", template.name, template.version)}
					</option>
				}
			})
			.collect_view()
	});
	let choose_template = move |event: leptos::ev::Event| {
		let key = event_target_value(&event);
		templates.with_value(|all| {
			if let Some(template) = all.iter().find(|template| template.key == key) {
				form.choose(template);
			}
		});
	};
	let site_boxes = move || {
		let parties = [form.provider.get(), form.client.get()];
		sites.with_value(|all| {
			let owned: Vec<_> =
				all.iter().filter(|site| parties.contains(&Some(site.owner))).cloned().collect();
			if owned.is_empty() {
				return view! {
					<p class="notice">"Choose the parties: their sites are listed here."</p>
				}
				.into_any();
			}
			owned
				.into_iter()
				.map(|site| {
					check_box(form, form.sites, site.id, format!("{} ({})", site.name, site.region))
				})
				.collect_view()
				.into_any()
		})
	};
	let meter_boxes = move || {
		let chosen = form.sites.get();
		let kinds = chosen_template().map(|template| template.meter_kinds).unwrap_or_default();
		let boxes: Vec<_> = sites.with_value(|all| {
			all.iter()
				.filter(|site| chosen.contains(&site.id))
				.flat_map(|site: &SiteChoice| {
					site.meters
						.iter()
						.filter(|meter| kinds.contains(&meter.kind))
						.map(|meter| {
							(
								meter.id,
								format!("{}: meter #{} ({})", site.name, meter.id, meter.kind),
							)
						})
						.collect::<Vec<_>>()
				})
				.collect()
		});
		if boxes.is_empty() {
			return view! {
				<p class="notice">"Choose sites: their meters this template reads are listed here."</p>
			}
			.into_any();
		}
		boxes
			.into_iter()
			.map(|(id, label)| check_box(form, form.meters, id, label))
			.collect_view()
			.into_any()
	};
	let fields = move || {
		let Some(template) = chosen_template() else {
			return view! { <p class="notice">"The council has approved no template yet."</p> }
				.into_any();
		};
		let parties = template.parties.clone();
		let inputs =
			template.fields.into_iter().map(move |field| field_input(form, field)).collect_view();
		view! {
			<p class="lead">{parties}</p>
			{inputs}
		}
		.into_any()
	};

	let review = move |event: leptos::ev::SubmitEvent| {
		event.prevent_default();
		let draft = form.draft();
		outcome.set(None);
		spawn_local(async move {
			form.review.set(Some(review_draft(draft).await.map_err(reason)));
		});
	};
	view! {
		<NodeBanner status=node block=block />
		{signed_in}
		<form class="wizard" on:submit=review data-ready=move || ready.get().then_some("")>
			<div class="party">
				<label for="template">"Template"</label>
				<select id="template" on:change=choose_template>
					{template_options}
				</select>
			</div>
			{party_select(form, "Provider", form.provider, &members)}
			{party_select(form, "Client", form.client, &members)}
			<fieldset>
				<legend>{format!("Sites (at most {max_sites})")}</legend>
				{site_boxes}
			</fieldset>
			<fieldset>
				<legend>{format!("Meters (at most {max_meters})")}</legend>
				{meter_boxes}
			</fieldset>
			<fieldset>
				<legend>"Terms"</legend>
				{fields}
			</fieldset>
			<button type="submit" disabled=move || !ready.get()>
				"Review the draft"
			</button>
		</form>
		{review_section(form, outcome)}
		{move || outcome.get().map(Outcome::view)}
	}
}
