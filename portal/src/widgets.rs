//! Small pieces every page uses: KPI cards, table headings, the node's banner, and a loaded
//! resource with its loading and error states.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use crate::status::NodeStatus;

/// A labelled figure in a `dl.totals` grid.
pub fn card(label: &'static str, value: String) -> impl IntoView {
	view! {
		<div class="card">
			<dt>{label}</dt>
			<dd>{value}</dd>
		</div>
	}
}

/// A table's head row: one column heading per name.
pub fn column_heads(names: &[&'static str]) -> impl IntoView {
	let heads = names.iter().map(|name| view! { <th scope="col">{*name}</th> }).collect_view();
	view! {
		<thead>
			<tr>{heads}</tr>
		</thead>
	}
}

/// A chart's figures as a table folded under it, for screen readers and for copying.
pub fn figures_table(
	summary: &'static str,
	heads: &[&'static str],
	rows: impl IntoView + 'static,
) -> AnyView {
	// Type-erased: inside the charts' views the nested types would exceed the compiler's limit.
	view! {
		<details>
			<summary>{summary}</summary>
			<table class="figures">
				{column_heads(heads)}
				<tbody>{rows}</tbody>
			</table>
		</details>
	}
	.into_any()
}

/// `resource` once it has loaded, shown by `body`: meanwhile a line saying `what` is loading, and
/// a server error as an alert, never a broken page. A refetch (each new block) keeps the figures
/// shown until the new ones arrive, so pages do not blink once a block.
pub fn loaded<T, V>(
	resource: Resource<Result<T, ServerFnError>>,
	what: &'static str,
	body: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
	T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
	V: IntoView + 'static,
{
	view! {
		<Transition fallback=move || view! { <p class="notice">{format!("Loading {what}…")}</p> }>
			{move || {
				let body = body.clone();
				Suspend::new(async move {
					match resource.await {
						Ok(value) => body(value).into_any(),
						Err(error) => view! {
							<p class="notice error" role="alert">
								{format!("The {what} could not be loaded: {error}")}
							</p>
						}
						.into_any(),
					}
				})
			}}
		</Transition>
	}
}

/// A line that says whether the figures are live, or why they are not.
#[component]
pub fn NodeBanner(status: NodeStatus, block: u64) -> impl IntoView {
	match status {
		NodeStatus::Live { block } => view! {
			<p class="node live" role="status">
				"Live · finalized block #"
				{block}
			</p>
		}
		.into_any(),
		NodeStatus::Connecting => view! {
			<p class="node connecting" role="status">
				"Connecting to the node…"
			</p>
		}
		.into_any(),
		NodeStatus::Down { reason } => view! {
			<p class="node down" role="alert">
				"The node is not answering ("
				{reason}
				"). Figures are as of block #"
				{block}
				"; the portal reconnects by itself."
			</p>
		}
		.into_any(),
	}
}
