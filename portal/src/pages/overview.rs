//! The campus overview: every building's KPIs for a chosen window, sortable and filterable, with
//! the campus's totals and a map coloured by a chosen KPI.

use leptos::prelude::*;
use leptos_router::{components::Form, hooks::use_query_map, params::ParamsMap};

use crate::{
	charts::{colour_scale, CampusMap},
	format::{intensity, number, optional, significant},
	kpi::{BuildingKpis, CampusTotals, Kpi, Overview, OverviewQuery, Window},
	live::use_finalized_head,
	widgets::{card, loaded, NodeBanner},
};

/// The overview's figures as the server computes them from its latest snapshot.
#[server]
pub async fn campus_overview(query: OverviewQuery) -> Result<Overview, ServerFnError> {
	let state = expect_context::<crate::server::AppState>();
	Ok(state.chain.campus().overview(&query, state.chain.status()))
}

/// The overview query and the colouring KPI a page's URL asks for; unknown values fall back to
/// the defaults.
pub fn query_of(params: &ParamsMap) -> (OverviewQuery, Kpi) {
	let text = |key: &str| params.get(key).unwrap_or_default();
	let query = OverviewQuery {
		window: Window::parse(&text("window")).unwrap_or_default(),
		sort: Kpi::parse(&text("sort")).unwrap_or_default(),
		descending: text("desc") != "0",
		search: text("q"),
		use_type: text("use"),
	};
	(query, Kpi::parse(&text("colour")).unwrap_or(Kpi::Intensity))
}

/// The URL of the overview for `query` coloured by `colour`.
pub fn href_of(query: &OverviewQuery, colour: Kpi) -> String {
	let mut url = format!(
		"/?window={}&sort={}&desc={}&colour={}",
		query.window.key(),
		query.sort.key(),
		u8::from(query.descending),
		colour.key()
	);
	for (key, value) in [("q", &query.search), ("use", &query.use_type)] {
		if !value.is_empty() {
			url.push_str(&format!("&{key}={}", encode(value)));
		}
	}
	url
}

fn encode(text: &str) -> String {
	text.bytes()
		.map(|byte| match byte {
			b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
				(byte as char).to_string()
			}
			_ => format!("%{byte:02X}"),
		})
		.collect()
}

#[component]
pub fn CampusOverview() -> impl IntoView {
	let params = use_query_map();
	let head = use_finalized_head();
	let overview = Resource::new(
		move || (query_of(&params.get()).0, head.get()),
		|(query, _)| campus_overview(query),
	);
	view! {
		<h1>"Campus overview"</h1>
		{loaded(
			overview,
			"campus",
			move |overview| {
				let (query, colour) = query_of(&params.get());
				view! { <OverviewBody overview query colour /> }
			},
		)}
	}
}

#[component]
fn OverviewBody(overview: Overview, query: OverviewQuery, colour: Kpi) -> impl IntoView {
	if overview.block == 0 {
		return view! {
			<NodeBanner status=overview.node block=0 />
			<p class="notice">"The portal has not read the chain yet; this page fills in once it has."</p>
		}
		.into_any();
	}
	let csv = format!("/api/v1/kpis.csv?window={}", overview.window.key());
	let scale = colour_scale(&overview.buildings, colour);
	view! {
		<NodeBanner status=overview.node.clone() block=overview.block />
		<WindowTabs query=query.clone() colour />
		<Filters query=query.clone() colour />
		<p class="period">
			{overview.window.label()} " · " {overview.from.clone()} " to " {overview.to.clone()}
			" (UTC days)"
		</p>
		<Totals totals=overview.totals.clone() />
		<section aria-labelledby="map-heading">
			<h2 id="map-heading">"Buildings by " {colour.label()}</h2>
			<CampusMap buildings=overview.buildings.clone() colour scale=scale.clone() />
		</section>
		<section aria-labelledby="table-heading">
			<h2 id="table-heading">
				"Buildings " <a class="export" href=csv download>
					"Export CSV"
				</a>
			</h2>
			<KpiTable buildings=overview.buildings query colour />
		</section>
	}
	.into_any()
}

#[component]
fn WindowTabs(query: OverviewQuery, colour: Kpi) -> impl IntoView {
	let tabs = Window::ALL
		.into_iter()
		.map(|window| {
			let href = href_of(&OverviewQuery { window, ..query.clone() }, colour);
			// A plain link: the router's <A> marks every link to this path as current.
			let current = (window == query.window).then_some("page");
			view! {
				<a href=href aria-current=current>
					{window.label()}
				</a>
			}
		})
		.collect_view();
	view! { <nav class="tabs" aria-label="Period">{tabs}</nav> }
}

const USE_TYPES: [&str; 12] = [
	"Office",
	"Education",
	"Laboratory",
	"Residential",
	"Retail",
	"Healthcare",
	"Hotel",
	"Sports",
	"Industrial",
	"Warehouse",
	"DataCentre",
	"Mixed",
];

#[component]
fn Filters(query: OverviewQuery, colour: Kpi) -> impl IntoView {
	let uses = USE_TYPES
		.iter()
		.map(|name| {
			view! {
				<option value=*name selected=query.use_type == *name>
					{*name}
				</option>
			}
		})
		.collect_view();
	let colours = Kpi::ALL
		.into_iter()
		.filter(|kpi| *kpi != Kpi::Name)
		.map(|kpi| {
			view! {
				<option value=kpi.key() selected=kpi == colour>
					{kpi.label()}
				</option>
			}
		})
		.collect_view();
	view! {
		<Form method="GET" action="/" attr:class="filters">
			<input type="hidden" name="window" value=query.window.key() />
			<input type="hidden" name="sort" value=query.sort.key() />
			<input type="hidden" name="desc" value=u8::from(query.descending).to_string() />
			<label>
				"Name contains" <input type="search" name="q" value=query.search.clone() />
			</label>
			<label>
				"Use" <select name="use">
					<option value="">"Any"</option>
					{uses}
				</select>
			</label>
			<label>"Colour by" <select name="colour">{colours}</select></label>
			<button type="submit">"Apply"</button>
		</Form>
	}
}

#[component]
fn Totals(totals: CampusTotals) -> impl IntoView {
	view! {
		<dl class="totals" aria-label="Campus totals">
			{card("Buildings", totals.buildings.to_string())}
			{card("Floor area", format!("{} m²", number(totals.floor_area_m2 as f64, 0)))}
			{card("Energy use", significant(Some(totals.energy_kwh), " kWh"))}
			{totals.heat_kwh.map(|heat| card("District heat", significant(Some(heat), " kWh")))}
			{card("Intensity", intensity(totals.intensity_kwh_per_m2))}
			{card("Intensity, annualised", significant(totals.intensity_kwh_per_m2_year, " kWh/m²·a"))}
			{card("Savings vs baseline", optional(totals.savings_percent, 1, " %"))}
			{card("Renewable share", optional(totals.renewable_percent, 1, " %"))}
			{card("Carbon", optional(totals.carbon_kg, 1, " kg CO₂"))}
			{card("Cost", optional(totals.cost_eur, 2, " €"))}
			{card("Data completeness", optional(totals.completeness_percent, 1, " %"))}
		</dl>
	}
}

#[component]
fn KpiTable(buildings: Vec<BuildingKpis>, query: OverviewQuery, colour: Kpi) -> impl IntoView {
	let headers = Kpi::ALL
		.into_iter()
		.map(|kpi| {
			let sorted = query.sort == kpi;
			// A click on the sorted column reverses it; a new column starts with the highest.
			let descending = if sorted { !query.descending } else { kpi != Kpi::Name };
			let href = href_of(&OverviewQuery { sort: kpi, descending, ..query.clone() }, colour);
			let aria_sort = match (sorted, query.descending) {
				(false, _) => "none",
				(true, true) => "descending",
				(true, false) => "ascending",
			};
			let arrow = match (sorted, query.descending) {
				(false, _) => "",
				(true, true) => " ▼",
				(true, false) => " ▲",
			};
			view! {
				<th scope="col" aria-sort=aria_sort>
					<a href=href>{kpi.label()} {arrow}</a>
				</th>
			}
		})
		.collect_view();
	let window = query.window;
	let rows = buildings
		.into_iter()
		.map(|b| {
			view! {
				<tr data-site=b.site>
					<th scope="row">
						<a href=format!("/buildings/{}?window={}", b.site, window.key())>
							{b.name.clone()}
						</a>
						<span class="use">{b.use_type.clone()}</span>
					</th>
					<td>{significant(Some(b.energy_kwh), "")}</td>
					<td>{significant(b.intensity_kwh_per_m2_year, "")}</td>
					<td>{optional(b.savings_percent, 1, "")}</td>
					<td>{optional(b.renewable_percent, 1, "")}</td>
					<td>{optional(b.carbon_kg, 1, "")}</td>
					<td>{optional(b.cost_eur, 2, "")}</td>
					<td>{optional(b.completeness_percent, 1, "")}</td>
				</tr>
			}
		})
		.collect_view();
	view! {
		<div class="table-scroll">
			<table class="kpis">
				<thead>
					<tr>{headers}</tr>
				</thead>
				<tbody>{rows}</tbody>
			</table>
		</div>
	}
}

#[cfg(test)]
mod tests {
	use leptos_router::location::Url;

	use super::*;

	#[test]
	fn a_page_url_gives_back_its_query() {
		let query = OverviewQuery {
			window: Window::Week,
			sort: Kpi::Carbon,
			descending: false,
			search: "Lab & Co".into(),
			use_type: "Laboratory".into(),
		};
		let url = href_of(&query, Kpi::Cost);
		assert_eq!(
			url,
			"/?window=week&sort=carbon&desc=0&colour=cost&q=Lab%20%26%20Co&use=Laboratory"
		);
		let params: ParamsMap = url
			.trim_start_matches("/?")
			.split('&')
			.filter_map(|pair| pair.split_once('='))
			.map(|(key, value)| (key.to_string(), Url::unescape(value)))
			.collect();
		assert_eq!(query_of(&params), (query, Kpi::Cost));
	}

	#[test]
	fn unknown_values_fall_back_to_defaults() {
		let mut params = ParamsMap::new();
		params.insert("window", "year".to_string());
		params.insert("sort", "height".to_string());
		let (query, colour) = query_of(&params);
		assert_eq!(query.window, Window::Today);
		assert_eq!(query.sort, Kpi::Energy);
		assert!(query.descending);
		assert_eq!(colour, Kpi::Intensity);
	}
}
