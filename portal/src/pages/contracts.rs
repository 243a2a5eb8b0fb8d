//! Energy contracts: the list, and each contract with its terms in plain words and its
//! settlement statements with their evidence.

use leptos::prelude::*;

use crate::{
	contracts::{ContractList, ContractPage, ContractRow, StatementRow},
	live::{use_finalized_head, use_page_of_id},
	pages::transact::{Outcome, SignButton},
	session::WalletRequest,
	widgets::{column_heads, loaded, NodeBanner},
};

/// Every contract as of the portal's latest block.
#[server]
pub async fn load_contracts() -> Result<ContractList, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.chain.campus().contract_list(state.chain.status()))
}

/// Contract `id`'s page; `None` if there is no such contract.
#[server]
pub async fn load_contract(id: u32) -> Result<Option<ContractPage>, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.chain.campus().contract_page(id, state.chain.status()))
}

/// The signature of draft `id` by the signed-in member's wallet.
#[server]
pub async fn prepare_signature(id: u32) -> Result<WalletRequest, ServerFnError> {
	use crate::server::refusal::{bad_request, refused};
	let state = expect_context::<crate::server::AppState>();
	let member = state.session_member().map_err(refused)?;
	if let Some(refusal) = state.chain.campus().signature_refusal(id, member) {
		return Err(bad_request(refusal));
	}
	let call = smartblocks_client::chain::transactions().energy_contracts().sign_contract(id);
	state.prepare_for_wallet(&call).await.map_err(refused)
}

fn signatures(contract: &ContractRow) -> String {
	match (contract.provider_signed, contract.client_signed) {
		(true, true) => "both parties".into(),
		(true, false) => format!("{} only", contract.provider.1),
		(false, true) => format!("{} only", contract.client.1),
		(false, false) => "nobody yet".into(),
	}
}

#[component]
pub fn ContractsPage() -> impl IntoView {
	let head = use_finalized_head();
	let list = Resource::new(move || head.get(), |_| load_contracts());
	view! {
		<h1>"Contracts"</h1>
		<p>
			<a href="/contracts/new">"Draft a contract"</a>
		</p>
		{loaded(list, "contracts", |list| view! { <ContractTable list /> })}
		<p>
			<a href="/api/v1/contracts.csv">"Download as CSV"</a>
		</p>
	}
}

#[component]
fn ContractTable(list: ContractList) -> impl IntoView {
	let none = list.contracts.is_empty().then(|| {
		view! { <p class="notice">"No contract has been proposed yet."</p> }
	});
	let rows = list
		.contracts
		.into_iter()
		.map(|contract| {
			view! {
				<tr data-contract=contract.id>
					<th scope="row">
						<a href=format!(
							"/contracts/{}",
							contract.id,
						)>{format!("#{} {}", contract.id, contract.kind)}</a>
					</th>
					<td class="text">{contract.provider.1.clone()}</td>
					<td class="text">{contract.client.1.clone()}</td>
					<td class="text">
						{contract
							.sites
							.iter()
							.map(|(_, name)| name.clone())
							.collect::<Vec<_>>()
							.join(", ")}
					</td>
					<td class="text state">{contract.state.clone()}</td>
					<td class="text">{format!("{} to {}", contract.from, contract.to)}</td>
					<td>{format!("{} of {}", contract.settled, contract.periods)}</td>
				</tr>
			}
		})
		.collect_view();
	view! {
		<NodeBanner status=list.node block=list.block />
		{none}
		<div class="table-scroll">
			<table class="kpis">
				{column_heads(
					&["Contract", "Provider", "Client", "Sites", "State", "Period", "Settled"],
				)}
				<tbody>{rows}</tbody>
			</table>
		</div>
	}
}

#[component]
pub fn ContractDetailPage() -> impl IntoView {
	let page = use_page_of_id(load_contract);
	// Outside the body, which is redrawn each block.
	let outcome = RwSignal::new(None::<Outcome>);
	view! {
		{loaded(
			page,
			"contract",
			move |page| match page {
				Some(page) => view! { <ContractBody page outcome /> }.into_any(),
				None => view! {
					<h1>"No such contract"</h1>
					<p class="notice">"The chain has no contract with this number."</p>
				}
					.into_any(),
			},
		)}
	}
}

/// A draft's button for the party that has not signed it yet.
fn signature_button(contract: &ContractRow, outcome: RwSignal<Option<Outcome>>) -> Option<AnyView> {
	let waiting_for = match (contract.provider_signed, contract.client_signed) {
		(true, false) => &contract.client,
		(false, true) => &contract.provider,
		_ => return None,
	};
	let id = contract.id;
	Some(
		view! {
			<SignButton
				label=format!("Sign the contract as {}", waiting_for.1)
				prepare=move || prepare_signature(id)
				done=format!("{} signed contract #{id}", waiting_for.1)
				outcome
			/>
		}
		.into_any(),
	)
}

#[component]
fn ContractBody(page: ContractPage, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
	let contract = page.contract;
	let sign = signature_button(&contract, outcome);
	// The body is drawn anew each block: once signed, the outcome stays with the active contract.
	let signing = (sign.is_some() || outcome.get_untracked().is_some()).then(|| {
		view! {
			<dt>"Signing"</dt>
			<dd class="actions">{sign} {move || outcome.get().map(Outcome::view)}</dd>
		}
	});
	let terms = page.terms.into_iter().map(|sentence| view! { <li>{sentence}</li> }).collect_view();
	let none_settled = page.statements.is_empty().then(|| {
		view! { <p class="notice">"No period has been settled yet."</p> }
	});
	let statements = page.statements.into_iter().map(statement_row).collect_view();
	let meters = page.meters.iter().map(|meter| format!("#{meter}")).collect::<Vec<_>>().join(", ");
	view! {
		<h1>{format!("Contract #{}: {}", contract.id, contract.kind)}</h1>
		<NodeBanner status=page.node block=page.block />
		<dl class="facts">
			<dt>"State"</dt>
			<dd class="state">{contract.state.clone()}</dd>
			<dt>"Provider"</dt>
			<dd>
				<a href=format!("/members/{}", contract.provider.0)>{contract.provider.1.clone()}</a>
			</dd>
			<dt>"Client"</dt>
			<dd>
				<a href=format!("/members/{}", contract.client.0)>{contract.client.1.clone()}</a>
			</dd>
			<dt>"Signed by"</dt>
			<dd>{signatures(&contract)}</dd>
			{signing}
			<dt>"Sites"</dt>
			<dd>
				{contract
					.sites
					.iter()
					.map(|(id, name)| {
						view! { <a href=format!("/buildings/{id}")>{name.clone()}</a>" " }
					})
					.collect_view()}
			</dd>
			<dt>"Meters"</dt>
			<dd>{meters}</dd>
			<dt>"Period"</dt>
			<dd>
				{format!(
					"{} to {}: {} settlement periods, {} settled; payment within {} days; amounts in {}",
					contract.from,
					contract.to,
					contract.periods,
					contract.settled,
					page.payment_days,
					page.currency,
				)}
			</dd>
		</dl>
		<section aria-labelledby="terms-heading">
			<h2 id="terms-heading">"What the parties agreed"</h2>
			<ul class="terms">{terms}</ul>
		</section>
		<section aria-labelledby="statements-heading">
			<h2 id="statements-heading">"Settlement statements"</h2>
			{none_settled}
			<div class="table-scroll">
				<table class="kpis statements">
					{column_heads(&["Period", "Days", "Outcome", "Payment", "Evidence", "Settled at"])}
					<tbody>{statements}</tbody>
				</table>
			</div>
		</section>
	}
}

fn statement_row(statement: StatementRow) -> impl IntoView {
	let evidence = statement
		.evidence
		.into_iter()
		.map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
		.collect_view();
	view! {
		<tr>
			<th scope="row">{format!("{} (from {})", statement.period, statement.from)}</th>
			<td>{statement.days}</td>
			<td class="text">{statement.outcome}</td>
			<td class="text">{statement.payment.unwrap_or_else(|| "—".into())}</td>
			<td class="text">
				<dl class="evidence">{evidence}</dl>
			</td>
			<td class="text">{statement.settled_at}</td>
		</tr>
	}
}
