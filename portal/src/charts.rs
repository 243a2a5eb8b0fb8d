//! Charts as SVG: the campus map coloured by a KPI. The table under each chart carries the same
//! figures for screen readers.

use leptos::prelude::*;

use crate::{
	building::UsePoint,
	format::optional,
	kpi::{BuildingKpis, Kpi},
	widgets::figures_table,
};

/// Colours for a KPI's values: red for the worst building, green for the best.
#[derive(Clone, Debug, PartialEq)]
pub struct ColourScale {
	pub kpi: Kpi,
	pub low: f64,
	pub high: f64,
}

impl ColourScale {
	/// The fill for `value`, grey where it is unknown.
	pub fn colour(&self, value: Option<f64>) -> String {
		let Some(value) = value else { return "#b8bcc2".into() };
		let span = self.high - self.low;
		let mut position = if span > 0.0 { (value - self.low) / span } else { 0.5 };
		if !self.kpi.higher_is_better() {
			position = 1.0 - position;
		}
		// Hue 0 (red) to 130 (green).
		format!("hsl({:.0} 65% 45%)", position.clamp(0.0, 1.0) * 130.0)
	}
}

/// The scale spanning the buildings' values of `kpi`.
pub fn colour_scale(buildings: &[BuildingKpis], kpi: Kpi) -> ColourScale {
	let values = buildings.iter().filter_map(|b| kpi.value(b));
	let (low, high) =
		values.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), v| (low.min(v), high.max(v)));
	if low.is_finite() {
		ColourScale { kpi, low, high }
	} else {
		ColourScale { kpi, low: 0.0, high: 0.0 }
	}
}

const MAP_WIDTH: f64 = 640.0;
const MAP_HEIGHT: f64 = 360.0;
const MAP_MARGIN: f64 = 20.0;

/// The buildings at their coordinates, coloured by `colour`.
#[component]
pub fn CampusMap(buildings: Vec<BuildingKpis>, colour: Kpi, scale: ColourScale) -> impl IntoView {
	let bounds = |pick: fn(&BuildingKpis) -> f64| {
		buildings
			.iter()
			.map(pick)
			.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
	};
	let (west, east) = bounds(|b| b.longitude);
	let (south, north) = bounds(|b| b.latitude);
	let place = |value: f64, low: f64, high: f64, size: f64| {
		if high > low {
			MAP_MARGIN + (value - low) / (high - low) * (size - 2.0 * MAP_MARGIN)
		} else {
			size / 2.0
		}
	};
	let dots = buildings
		.iter()
		.map(|b| {
			let x = place(b.longitude, west, east, MAP_WIDTH);
			let y = MAP_HEIGHT - place(b.latitude, south, north, MAP_HEIGHT);
			let value = colour.value(b);
			let title = format!("{}: {}", b.name, optional(value, 2, ""));
			view! {
				<circle
					cx=format!("{x:.1}")
					cy=format!("{y:.1}")
					r="9"
					fill=scale.colour(value)
					data-site=b.site
				>
					<title>{title}</title>
				</circle>
			}
		})
		.collect_view();
	let label = format!(
		"Map of {} buildings coloured by {}: red is the worst, green the best. The table below lists the values.",
		buildings.len(),
		colour.label()
	);
	view! {
		<figure class="map">
			<svg viewBox=format!("0 0 {MAP_WIDTH} {MAP_HEIGHT}") role="img" aria-label=label>
				{dots}
			</svg>
			<figcaption class="legend">
				<span>{optional(Some(scale.low), 2, "")}</span>
				<span
					class="gradient"
					style=format!(
						"background: linear-gradient(to right, {}, {})",
						scale.colour(Some(scale.low)),
						scale.colour(Some(scale.high)),
					)
				></span>
				<span>{optional(Some(scale.high), 2, "")}</span>
			</figcaption>
		</figure>
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_best_building_is_green_whichever_way_is_better() {
		let lower_better = ColourScale { kpi: Kpi::Intensity, low: 1.0, high: 3.0 };
		assert_eq!(lower_better.colour(Some(1.0)), "hsl(130 65% 45%)");
		assert_eq!(lower_better.colour(Some(3.0)), "hsl(0 65% 45%)");
		let higher_better = ColourScale { kpi: Kpi::RenewableShare, low: 0.0, high: 50.0 };
		assert_eq!(higher_better.colour(Some(50.0)), "hsl(130 65% 45%)");
		assert_eq!(higher_better.colour(None), "#b8bcc2");
	}
}

const CHART_WIDTH: f64 = 720.0;
const CHART_HEIGHT: f64 = 220.0;
const AXIS: f64 = 28.0;

/// A line drawn over a use chart: one level per interval that has a value.
#[derive(Clone, Copy)]
struct Overlay {
	class: &'static str,
	legend: &'static str,
	/// Its column in the table under the chart.
	head: &'static str,
	value: fn(&UsePoint) -> Option<f64>,
}

const OVERLAYS: [Overlay; 3] = [
	Overlay {
		class: "forecast",
		legend: "Forecast",
		head: "Forecast (kWh)",
		value: |p| p.forecast_kwh,
	},
	Overlay {
		class: "baseline",
		legend: "Baseline",
		head: "Baseline (kWh)",
		value: |p| p.baseline_kwh,
	},
	Overlay {
		class: "contract",
		legend: "Contract meters",
		head: "Contract meters (kWh)",
		value: |p| p.contract_kwh,
	},
];

/// `overlay`'s levels as an SVG path, with the pen lifted over intervals without a value.
fn overlay_path(
	points: &[UsePoint],
	overlay: Overlay,
	slot: f64,
	y: impl Fn(f64) -> f64,
) -> String {
	let mut path = String::new();
	for (i, point) in points.iter().enumerate() {
		if let Some(value) = (overlay.value)(point) {
			let x = i as f64 * slot;
			path.push_str(&format!("M{x:.1},{:.1}h{slot:.1}", y(value)));
		}
	}
	path
}

/// Bars of a building's use over time, lighter where data is incomplete, with the forecast, the
/// baseline and the contract meters' use as lines where the points have them, and the figures
/// in a table under the chart.
#[component]
pub fn UseChart(
	/// What the chart shows, also its accessible name.
	title: String,
	points: Vec<UsePoint>,
	/// Show every n-th label on the axis.
	label_every: usize,
) -> impl IntoView {
	let overlays: Vec<Overlay> = OVERLAYS
		.into_iter()
		.filter(|overlay| points.iter().any(|point| (overlay.value)(point).is_some()))
		.collect();
	let top = points
		.iter()
		.flat_map(|p| std::iter::once(p.actual_kwh).chain(overlays.iter().map(|o| (o.value)(p))))
		.flatten()
		.fold(0.0_f64, f64::max);
	let scale = if top > 0.0 { (CHART_HEIGHT - AXIS - 8.0) / top } else { 0.0 };
	let y = move |kwh: f64| CHART_HEIGHT - AXIS - kwh.max(0.0) * scale;
	let slot = CHART_WIDTH / points.len().max(1) as f64;
	let bars = points
		.iter()
		.enumerate()
		.map(|(i, point)| {
			let height = point.actual_kwh.unwrap_or(0.0).max(0.0) * scale;
			let x = i as f64 * slot;
			let class = if point.complete { "bar" } else { "bar partial" };
			let label = (i % label_every.max(1) == 0).then(|| {
				view! {
					<text x=format!("{:.1}", x + slot / 2.0) y=format!("{:.1}", CHART_HEIGHT - 8.0) class="tick">
						{point.label.clone()}
					</text>
				}
			});
			let expected = overlays
				.iter()
				.map(|o| format!(", {} {}", o.legend.to_lowercase(), optional((o.value)(point), 2, " kWh")))
				.collect::<String>();
			view! {
				<rect
					class=class
					x=format!("{:.1}", x + slot * 0.1)
					y=format!("{:.1}", CHART_HEIGHT - AXIS - height)
					width=format!("{:.1}", slot * 0.8)
					height=format!("{height:.1}")
				>
					<title>{format!("{}: {}{expected}", point.label, optional(point.actual_kwh, 2, " kWh"))}</title>
				</rect>
				{label}
			}
		})
		.collect_view();
	let lines = overlays
		.iter()
		.map(
			|&overlay| view! { <path class=overlay.class d=overlay_path(&points, overlay, slot, y) /> },
		)
		.collect_view();
	let legend = overlays
		.iter()
		.map(
			|overlay| view! { " " <span class=format!("key {}", overlay.class)>{overlay.legend}</span> },
		)
		.collect_view();
	let mut heads = vec!["Interval (UTC)", "Use (kWh)"];
	heads.extend(overlays.iter().map(|overlay| overlay.head));
	heads.push("Complete");
	let rows = points
		.iter()
		.map(|point| {
			let expected = overlays
				.iter()
				.map(|o| view! { <td>{optional((o.value)(point), 2, "")}</td> })
				.collect_view();
			view! {
				<tr>
					<th scope="row">{point.label.clone()}</th>
					<td>{optional(point.actual_kwh, 2, "")}</td>
					{expected}
					<td>{if point.complete { "yes" } else { "no" }}</td>
				</tr>
			}
		})
		.collect_view();
	view! {
		<figure class="chart">
			<svg viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}") role="img" aria-label=title.clone()>
				<line class="axis" x1="0" x2=CHART_WIDTH y1=CHART_HEIGHT - AXIS y2=CHART_HEIGHT - AXIS />
				{bars}
				{lines}
			</svg>
			<figcaption>
				{title.clone()} ", top " {optional(Some(top), 2, " kWh")}
				". Bars: use, lighter where data is not complete." {legend}
			</figcaption>
			{figures_table("The figures as a table", &heads, rows)}
		</figure>
	}
}

/// A member's reputation over time as a step line (0 to 1000 against block numbers), with the
/// changes and their causes in a table under it.
#[component]
pub fn ScoreChart(points: Vec<crate::members::ReputationPoint>) -> impl IntoView {
	let first = points.first().map_or(0, |p| p.block);
	let last = points.last().map_or(0, |p| p.block);
	let span = f64::from(last.saturating_sub(first).max(1));
	let x = |block: u32| {
		AXIS + f64::from(block.saturating_sub(first)) / span * (CHART_WIDTH - 2.0 * AXIS)
	};
	let y = |score: u16| {
		(CHART_HEIGHT - AXIS) - f64::from(score) / 1000.0 * (CHART_HEIGHT - AXIS - 8.0)
	};
	let mut path = String::new();
	for (i, point) in points.iter().enumerate() {
		let (px, py) = (x(point.block), y(point.score));
		if i == 0 {
			path.push_str(&format!("M{px:.1},{py:.1}"));
		} else {
			path.push_str(&format!(" H{px:.1} V{py:.1}"));
		}
	}
	let dots = points
		.iter()
		.map(|point| {
			view! {
				<circle cx=format!("{:.1}", x(point.block)) cy=format!("{:.1}", y(point.score)) r="3.5">
					<title>{format!("block {}: {} ({})", point.block, point.score, point.cause)}</title>
				</circle>
			}
		})
		.collect_view();
	let rows = points
		.iter()
		.map(|point| {
			view! {
				<tr>
					<th scope="row">{point.block}</th>
					<td>{point.score}</td>
					<td class="text">{point.cause.clone()}</td>
				</tr>
			}
		})
		.collect_view();
	let label = format!("Reputation over {} changes, from block {first} to {last}", points.len());
	view! {
		<figure class="chart score">
			<svg viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}") role="img" aria-label=label.clone()>
				<line class="axis" x1=AXIS x2=CHART_WIDTH - AXIS y1=CHART_HEIGHT - AXIS y2=CHART_HEIGHT - AXIS />
				<text class="tick" x=AXIS y=CHART_HEIGHT - 8.0>{format!("block {first}")}</text>
				<text class="tick" x=CHART_WIDTH - AXIS y=CHART_HEIGHT - 8.0>{format!("block {last}")}</text>
				<path class="line" d=path />
				{dots}
			</svg>
			<figcaption>{label}</figcaption>
			{figures_table("The changes as a table", &["Block", "Score", "Cause"], rows)}
		</figure>
	}
}
