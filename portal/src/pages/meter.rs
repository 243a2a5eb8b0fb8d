//! A meter's page: its health, its energy per settlement period over the last day and per day
//! over the last 30, its hash chain's day checkpoints, each checked against the day before, and
//! what the bridge keeping its archive of raw readings says of that archive against the chain.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
	charts::UseChart,
	format::optional,
	live::use_finalized_head,
	meter::{ArchiveStatus, Checkpoint, MeterDetail},
	pages::building::chain_text,
	widgets::{card, column_heads, loaded, NodeBanner},
};

/// Meter `meter`'s page; `None` if the chain has no such meter.
#[server]
pub async fn load_meter(meter: u32) -> Result<Option<MeterDetail>, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.meter_detail(meter).await)
}

#[component]
pub fn MeterPage() -> impl IntoView {
	let params = use_params_map();
	let head = use_finalized_head();
	let meter = move || params.get().get("id").and_then(|id| id.parse::<u32>().ok());
	let detail = Resource::new(
		move || (meter(), head.get()),
		|(meter, _)| async move {
			match meter {
				Some(meter) => load_meter(meter).await,
				None => Ok(None),
			}
		},
	);
	view! {
		{loaded(
			detail,
			"meter",
			move |detail| match detail {
				Some(detail) => view! { <MeterBody detail /> }.into_any(),
				None => view! {
					<h1>"No such meter"</h1>
					<p class="notice">
						"The chain has no meter with this number. " <a href="/">"Back to the campus"</a>
					</p>
				}
				.into_any(),
			},
		)}
	}
}

#[component]
fn MeterBody(detail: MeterDetail) -> impl IntoView {
	let health = detail.health.clone();
	let title = format!("Meter #{} · {}", health.id, health.kind);
	let charts = (!detail.days.is_empty()).then(|| {
		view! {
			<section aria-labelledby="periods-heading">
				<h2 id="periods-heading">"Energy per settlement period, last 24 hours"</h2>
				<UseChart title="Energy per 15-minute period (UTC)".to_string() points=detail.periods.clone() label_every=16 />
			</section>
			<section aria-labelledby="days-heading">
				<h2 id="days-heading">"Energy per day, last 30 days"</h2>
				<UseChart title="Energy per day (UTC)".to_string() points=detail.days.clone() label_every=5 />
			</section>
		}
	});
	let rows = detail.checkpoints.iter().rev().map(checkpoint_row).collect_view();
	view! {
		<p class="crumbs">
			<a href="/">"Campus"</a>
			" › "
			<a href=format!("/buildings/{}", detail.site)>{detail.site_name.clone()}</a>
			" › "
			{format!("Meter #{}", health.id)}
		</p>
		<h1>{title}</h1>
		<NodeBanner status=detail.node.clone() block=detail.block />
		<p class="facts">
			{health.status.clone()} " · ×" {detail.multiplier} " Wh per register unit · max power "
			{if detail.max_power_w > 0 { format!("{} W", detail.max_power_w) } else { "not set".to_string() }}
			" · device key " <code>{detail.device_key.clone()}</code>
		</p>
		<dl class="totals" aria-label="Meter health">
			{card("Last reading (UTC)", health.last_reading.clone().unwrap_or_else(|| "—".into()))}
			{card("Register", optional(detail.last_register_wh.map(|wh| wh as f64 / 1000.0), 3, " kWh"))}
			{card("Readings", health.readings.to_string())}
			{card("Refused", health.refused.to_string())}
			{card("Exchanges", health.exchanges.to_string())}
			{card("Complete today", optional(health.completeness_today_percent, 1, " %"))}
		</dl>
		{charts}
		<section aria-labelledby="chain-heading">
			<h2 id="chain-heading">"Hash chain"</h2>
			<p class="chain">{chain_text(&health.chain)}</p>
			<p class="chain" data-archive>{archive_text(&detail.archive)}</p>
			<div class="table-scroll">
				<table class="kpis checkpoints">
					{column_heads(&["Day (UTC)", "Readings", "Chain length", "Expected", "Head", "Continues"])}
					<tbody>{rows}</tbody>
				</table>
			</div>
		</section>
	}
}

/// What the bridge keeping the meter's archive of raw readings says of it, in words.
fn archive_text(status: &ArchiveStatus) -> AnyView {
	match status.clone() {
		ArchiveStatus::NoBridge => view! {
			<span>"Archive not checked: the portal asks no bridge (start it with --bridge)."</span>
		}
		.into_any(),
		ArchiveStatus::NotRead => view! {
			<span>"Archive not checked: none of the portal's bridges keeps this meter's readings."</span>
		}
		.into_any(),
		ArchiveStatus::Unavailable { bridge, reason } => view! {
			<span class="warn">{format!("Archive not checked: the bridge at {bridge}: {reason}")}</span>
		}
		.into_any(),
		ArchiveStatus::Verified { bridge, verdict, text } => match verdict.as_str() {
			"matches" => view! {
				<span class="ok">{format!("✓ Archive at the bridge at {bridge} {text}")}</span>
			}
			.into_any(),
			"differs" => view! {
				<span class="error" role="alert">
					{format!("✗ Archive at the bridge at {bridge} {text}")}
				</span>
			}
			.into_any(),
			_ => view! { <span class="warn">{format!("Archive at the bridge at {bridge} {text}")}</span> }
				.into_any(),
		},
	}
}

fn checkpoint_row(checkpoint: &Checkpoint) -> impl IntoView {
	let continues = match (checkpoint.expected_length, checkpoint.continues()) {
		(None, _) => view! { <span>"first day kept"</span> }.into_any(),
		(Some(_), true) => view! { <span class="ok">"✓"</span> }.into_any(),
		(Some(_), false) => {
			view! { <span class="error" role="alert">"✗ does not follow"</span> }.into_any()
		}
	};
	view! {
		<tr>
			<th scope="row">{checkpoint.day.clone()}</th>
			<td>{checkpoint.readings}</td>
			<td>{checkpoint.length}</td>
			<td>{checkpoint.expected_length.map_or_else(|| "—".to_string(), |e| e.to_string())}</td>
			<td><code>{checkpoint.head.clone()}</code></td>
			<td>{continues}</td>
		</tr>
	}
}
