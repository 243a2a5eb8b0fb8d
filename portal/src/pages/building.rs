//! A building's page: its KPIs, use per settlement period over the last day against its bridge's
//! forecast and per day over the last 30 against its agreed baseline, and each meter's health and
//! hash-chain status.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
	building::{BuildingDetail, ChainStatus, ForecastStatus, MeterHealth, TemperatureSources},
	charts::UseChart,
	format::{intensity, number, optional, significant},
	kpi::Window,
	live::use_finalized_head,
	widgets::{card, column_heads, loaded, NodeBanner},
};

/// Site `site`'s page over `window`; `None` if the chain has no such site.
#[server]
pub async fn load_building(
	site: u32,
	window: Window,
) -> Result<Option<BuildingDetail>, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.building_detail(site, window).await)
}

#[component]
pub fn BuildingPage() -> impl IntoView {
	let params = use_params_map();
	let query = use_query_map();
	let head = use_finalized_head();
	let site = move || params.get().get("id").and_then(|id| id.parse::<u32>().ok());
	let window =
		move || query.get().get("window").and_then(|w| Window::parse(&w)).unwrap_or_default();
	let detail = Resource::new(
		move || (site(), window(), head.get()),
		|(site, window, _)| async move {
			match site {
				Some(site) => load_building(site, window).await,
				None => Ok(None),
			}
		},
	);
	view! {
		{loaded(
			detail,
			"building",
			move |detail| match detail {
				Some(detail) => view! { <BuildingBody detail window=window() /> }.into_any(),
				None => view! {
					<h1>"No such building"</h1>
					<p class="notice">
						"The chain has no site with this number. " <a href="/">"Back to the campus"</a>
					</p>
				}
				.into_any(),
			},
		)}
	}
}

#[component]
fn BuildingBody(detail: BuildingDetail, window: Window) -> impl IntoView {
	let k = detail.kpis.clone();
	let tabs = Window::ALL
		.into_iter()
		.map(|w| {
			let current = (w == window).then_some("page");
			view! {
				<a href=format!("/buildings/{}?window={}", k.site, w.key()) aria-current=current>
					{w.label()}
				</a>
			}
		})
		.collect_view();
	let meters = detail.meters.into_iter().map(|meter| view! { <MeterRow meter /> }).collect_view();
	view! {
		<p class="crumbs">
			<a href="/">"Campus"</a>
			" › "
			{k.name.clone()}
		</p>
		<h1>{k.name.clone()}</h1>
		<NodeBanner status=detail.node block=detail.block />
		<p class="facts">
			{k.use_type.clone()} " · " {number(f64::from(k.floor_area_m2), 0)} " m² · member #" {k.owner}
			" · " {detail.region} " · " {detail.time_zone} " · " {format!("{:.4}, {:.4}", k.latitude, k.longitude)}
		</p>
		<nav class="tabs" aria-label="Period">{tabs}</nav>
		<dl class="totals" aria-label="Building KPIs">
			{card("Energy use", significant(Some(k.energy_kwh), " kWh"))}
			{k.heat_kwh.map(|heat| card("District heat", significant(Some(heat), " kWh")))}
			{card("Intensity", intensity(k.intensity_kwh_per_m2))}
			{card("Intensity, annualised", significant(k.intensity_kwh_per_m2_year, " kWh/m²·a"))}
			{card("Savings vs baseline", optional(k.savings_percent, 1, " %"))}
			{card("Renewable share", optional(k.renewable_percent, 1, " %"))}
			{card("Carbon", optional(k.carbon_kg, 1, " kg CO₂"))}
			{card("Cost", optional(k.cost_eur, 2, " €"))}
			{card("Data completeness", optional(k.completeness_percent, 1, " %"))}
		</dl>
		<section aria-labelledby="periods-heading">
			<h2 id="periods-heading">"Use per settlement period against the forecast, last 24 hours"</h2>
			<UseChart title="Energy use per 15-minute period (UTC)".to_string() points=detail.periods label_every=16 />
			<ForecastNote status=detail.forecast />
		</section>
		<section aria-labelledby="days-heading">
			<h2 id="days-heading">"Use per day against the baseline, last 30 days"</h2>
			<UseChart title="Energy use per day (UTC)".to_string() points=detail.days label_every=5 />
			<p class="note" data-baseline>
				{match detail.baseline_contract {
					Some(contract) => view! {
						"Baseline: what the baseline of "
						<a href=format!("/contracts/{contract}")>{format!("contract #{contract}")}</a>
						" predicts from the oracle's mean outdoor temperature, on the days its meters' data is complete."
					}
					.into_any(),
					None => view! { "No baseline: no energy performance contract in force covers this building." }.into_any(),
				}}
			</p>
		</section>
		<section aria-labelledby="meters-heading">
			<h2 id="meters-heading">"Meters"</h2>
			<div class="table-scroll">
				<table class="kpis meters">
					{column_heads(
						&[
							"Meter",
							"Status",
							"Last reading (UTC)",
							"Readings",
							"Refused",
							"Exchanges",
							"Complete today (%)",
							"Hash chain",
						],
					)}
					<tbody>{meters}</tbody>
				</table>
			</div>
		</section>
	}
}

/// Where today's forecast took its temperatures from.
fn temperature_sentence(sources: TemperatureSources) -> String {
	let TemperatureSources { forecast, hours } = sources;
	match forecast {
		0 => " Temperatures: the same hours of the last day measured; no oracle temperature \
		      forecast reached the bridge."
			.into(),
		_ if forecast == hours => " Temperatures: the oracle's forecast.".into(),
		_ => format!(
			" Temperatures: the oracle's forecast for {forecast} of {hours} hours, the same hours \
			 of the last day measured for the rest."
		),
	}
}

/// Where the interval chart's forecast comes from, or why it has none.
#[component]
fn ForecastNote(status: ForecastStatus) -> impl IntoView {
	let text = match status {
		ForecastStatus::Shown { bridge, days, cv_rmse_percent, hour_interval, temperatures } => {
			format!(
			"Forecast by the bridge at {bridge} for {}: each hour from the building's hours before \
			 its day, by a time-of-week and temperature model{}.{}{}",
			days.join(" and "),
			cv_rmse_percent.map(|cv| format!(" (CV(RMSE) {cv:.1} % on its weeks)")).unwrap_or_default(),
			hour_interval
				.map(|i| format!(
					" {:.0} % of hours use within ±{:.2} kWh of it.",
					i.confidence_percent, i.kwh
				))
				.unwrap_or_default(),
			temperatures.map(temperature_sentence).unwrap_or_default()
		)
		}
		ForecastStatus::Unavailable { bridge, reason } => {
			format!("No forecast yet from the bridge at {bridge}: {reason}")
		}
		ForecastStatus::NotRead => {
			"No forecast: none of the portal's bridges reads this building.".into()
		}
		ForecastStatus::NoBridge => {
			"No forecast: the portal asks no bridge (start it with --bridge).".into()
		}
	};
	view! { <p class="note" data-forecast>{text}</p> }
}

/// A meter's hash-chain status in words, marked as ok or as an alert.
pub fn chain_text(status: &ChainStatus) -> AnyView {
	match status.clone() {
		ChainStatus::Empty => view! { <span>"no readings yet"</span> }.into_any(),
		ChainStatus::Continuous { days, length, head } => view! {
			<span class="ok" title=format!("head {head}")>
				{format!(
					"✓ continuous over {days} day{}, {length} reading{}",
					if days == 1 { "" } else { "s" },
					if length == 1 { "" } else { "s" },
				)}
			</span>
		}
		.into_any(),
		ChainStatus::Broken { day, expected_length, found_length } => view! {
			<span class="error" role="alert">
				{format!("✗ broken on {day}: length {found_length}, expected {expected_length}")}
			</span>
		}
		.into_any(),
	}
}

#[component]
fn MeterRow(meter: MeterHealth) -> impl IntoView {
	let chain = chain_text(&meter.chain);
	view! {
		<tr data-meter=meter.id>
			<th scope="row">
				<a href=format!("/meters/{}", meter.id)>{format!("#{} {}", meter.id, meter.kind)}</a>
			</th>
			<td>{meter.status}</td>
			<td>{meter.last_reading.unwrap_or_else(|| "—".into())}</td>
			<td>{meter.readings}</td>
			<td>{meter.refused}</td>
			<td>{meter.exchanges}</td>
			<td>{optional(meter.completeness_today_percent, 1, "")}</td>
			<td class="chain">{chain}</td>
		</tr>
	}
}
