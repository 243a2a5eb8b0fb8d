//! The HTTP JSON API for other systems (building management, finance, spreadsheets): sites, KPIs
//! as JSON or CSV, the node's status and a stream of new finalized blocks, described by an
//! OpenAPI document at `/api/v1/openapi.json`.

use std::{
	collections::{HashMap, VecDeque},
	convert::Infallible,
	sync::Arc,
};

use axum::{
	extract::{Path, Query, State},
	http::{header, HeaderMap, StatusCode},
	response::{
		sse::{Event, KeepAlive, Sse},
		IntoResponse, Response,
	},
	routing::{get, post},
	Json, Router,
};
use futures::Stream;
use leptos_router::params::ParamsMap;
use serde::{Deserialize, Serialize};

use super::{
	campus::use_type_name,
	clients::{Client, StreamRefusal},
	events::{ChainEvent, Cursor, EventFilter, ResumeError},
	refusal::HttpStatus,
	session::{now_ms, SignInError},
	table, AppState,
};
use crate::{
	building::BuildingDetail,
	contracts::{ContractList, ContractPage},
	kpi::{Kpi, Overview, Window},
	members::{CouncilView, Directory, MemberPage},
	meter::MeterDetail,
	pages::overview::query_of,
	session::{Challenge, SignedIn},
	status::NodeStatus,
};

/// The portal's style sheet, compiled into the server so pages are styled without a build step.
const STYLE: &str = include_str!("../../style/portal.css");

pub fn routes() -> Router<AppState> {
	Router::new()
		.route("/api/v1/openapi.json", get(openapi))
		.route("/api/v1/status", get(status))
		.route("/api/v1/sites", get(sites))
		.route("/api/v1/sites/{id}", get(site))
		.route("/api/v1/meters/{id}", get(meter))
		.route("/api/v1/members", get(members))
		.route("/api/v1/members.csv", get(members_csv))
		.route("/api/v1/members/{id}", get(member))
		.route("/api/v1/council", get(council))
		.route("/api/v1/contracts", get(contracts))
		.route("/api/v1/contracts.csv", get(contracts_csv))
		.route("/api/v1/contracts/{id}", get(contract))
		.route("/api/v1/kpis", get(kpis))
		.route("/api/v1/kpis.csv", get(kpis_csv))
		.route("/api/v1/events/head", get(heads))
		.route("/api/v1/events", get(chain_events))
		.route("/api/v1/session/challenge", post(new_challenge))
		.route("/api/v1/session", get(current_session).post(sign_in).delete(sign_out))
		.route("/pkg/portal.css", get(style))
}

/// A request the API cannot answer, with what is wrong.
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		(self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
	}
}

async fn style() -> impl IntoResponse {
	([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

#[derive(Serialize)]
struct Status {
	node: NodeStatus,
	/// The finalized block the data is read at.
	block: u64,
}

async fn status(State(state): State<AppState>) -> Json<Status> {
	Json(Status { node: state.chain.status(), block: state.chain.campus().block })
}

#[derive(Serialize)]
struct SiteSummary {
	id: u32,
	name: String,
	owner: u32,
	use_type: String,
	floor_area_m2: u32,
	latitude: f64,
	longitude: f64,
	region: String,
	time_zone: String,
	meters: Vec<MeterSummary>,
}

#[derive(Serialize)]
struct MeterSummary {
	id: u32,
	kind: String,
	status: String,
	/// The newest accepted reading's time, milliseconds since the Unix epoch.
	last_reading_ms: Option<u64>,
	/// Accepted readings in the meter's hash chain.
	readings: u64,
	/// Readings the chain refused.
	refused: u32,
}

async fn sites(State(state): State<AppState>) -> Json<Vec<SiteSummary>> {
	let campus = state.chain.campus();
	let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
	Json(
		campus
			.sites
			.iter()
			.map(|site| SiteSummary {
				id: site.id,
				name: text(&site.name),
				owner: site.owner,
				use_type: use_type_name(&site.use_type),
				floor_area_m2: site.floor_area,
				latitude: f64::from(site.latitude) / 1e6,
				longitude: f64::from(site.longitude) / 1e6,
				region: text(&site.region),
				time_zone: text(&site.time_zone),
				meters: site
					.meters
					.iter()
					.map(|meter| MeterSummary {
						id: meter.id,
						kind: format!("{:?}", meter.kind),
						status: format!("{:?}", meter.status),
						last_reading_ms: meter.last_timestamp,
						readings: meter.chain.length,
						refused: meter.refused,
					})
					.collect(),
			})
			.collect(),
	)
}

async fn members(State(state): State<AppState>) -> Json<Directory> {
	Json(state.chain.campus().directory(state.chain.status()))
}

async fn member(
	State(state): State<AppState>,
	Path(id): Path<u32>,
) -> Result<Json<MemberPage>, ApiError> {
	state
		.chain
		.campus()
		.member_page(id, state.chain.status())
		.map(Json)
		.ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no member {id} on chain")))
}

async fn council(State(state): State<AppState>) -> Json<CouncilView> {
	Json(state.chain.campus().council_view(state.chain.status()))
}

async fn contracts(State(state): State<AppState>) -> Json<ContractList> {
	Json(state.chain.campus().contract_list(state.chain.status()))
}

async fn contract(
	State(state): State<AppState>,
	Path(id): Path<u32>,
) -> Result<Json<ContractPage>, ApiError> {
	state
		.chain
		.campus()
		.contract_page(id, state.chain.status())
		.map(Json)
		.ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no contract {id} on chain")))
}

async fn contracts_csv(State(state): State<AppState>) -> Result<Response, ApiError> {
	let list = state.chain.campus().contract_list(state.chain.status());
	let csv = contracts_table(&list)
		.map_err(|error| ApiError(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()))?;
	Ok(csv_response(csv, format!("contracts-block-{}.csv", list.block)))
}

/// The contracts as CSV, one row each.
pub fn contracts_table(list: &ContractList) -> Result<String, csv::Error> {
	let header = [
		"contract", "template", "provider", "client", "sites", "state", "from", "to", "periods",
		"settled",
	];
	table::csv(
		header,
		list.contracts.iter().map(|c| {
			let sites = c.sites.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>();
			[
				c.id.to_string(),
				c.kind.clone(),
				table::text(&c.provider.1),
				table::text(&c.client.1),
				table::text(&sites.join("; ")),
				c.state.clone(),
				c.from.clone(),
				c.to.clone(),
				c.periods.to_string(),
				c.settled.to_string(),
			]
		}),
	)
}

async fn members_csv(State(state): State<AppState>) -> Result<Response, ApiError> {
	let directory = state.chain.campus().directory(state.chain.status());
	let csv = members_table(&directory)
		.map_err(|error| ApiError(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()))?;
	Ok(csv_response(csv, format!("members-block-{}.csv", directory.block)))
}

/// The directory's members as CSV, one row each.
pub fn members_table(directory: &Directory) -> Result<String, csv::Error> {
	let header = [
		"member",
		"name",
		"roles",
		"status",
		"reputation",
		"admitted_block",
		"accounts",
		"validators",
		"nodes",
	];
	table::csv(
		header,
		directory.members.iter().map(|m| {
			[
				m.id.to_string(),
				table::text(&m.name),
				m.roles.join(" "),
				m.status.clone(),
				m.score.to_string(),
				m.admitted.to_string(),
				m.accounts.join(" "),
				m.validators.to_string(),
				m.nodes.to_string(),
			]
		}),
	)
}

/// A CSV download named `file`.
fn csv_response(csv: String, file: String) -> Response {
	let disposition = format!("attachment; filename=\"{file}\"");
	(
		[
			(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
			(header::CONTENT_DISPOSITION, disposition),
		],
		csv,
	)
		.into_response()
}

/// A 400 for a parameter `what` whose `value` is none of `known`.
fn unknown(what: &str, value: &str, known: Vec<&str>) -> ApiError {
	ApiError(
		StatusCode::BAD_REQUEST,
		format!("unknown {what} '{value}': one of {}", known.join(", ")),
	)
}

/// The `window` parameter, today when absent.
fn window_param(params: &HashMap<String, String>) -> Result<Window, ApiError> {
	match params.get("window") {
		None => Ok(Window::default()),
		Some(key) => Window::parse(key)
			.ok_or_else(|| unknown("window", key, Window::ALL.iter().map(|w| w.key()).collect())),
	}
}

/// One site's detail: KPIs over `window`, use per period and per day, meters' health and
/// hash-chain status.
async fn site(
	State(state): State<AppState>,
	Path(id): Path<u32>,
	Query(params): Query<HashMap<String, String>>,
) -> Result<Json<BuildingDetail>, ApiError> {
	let window = window_param(&params)?;
	state
		.building_detail(id, window)
		.await
		.map(Json)
		.ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no site {id} on chain")))
}

/// One meter: its health, energy per period and per day, its hash chain's day checkpoints, and
/// what its bridge says of its archive.
async fn meter(
	State(state): State<AppState>,
	Path(id): Path<u32>,
) -> Result<Json<MeterDetail>, ApiError> {
	state
		.meter_detail(id)
		.await
		.map(Json)
		.ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no meter {id} on chain")))
}

/// The overview the query parameters ask for; an unknown window or KPI is a 400 that says
/// which values there are.
fn overview(state: &AppState, params: HashMap<String, String>) -> Result<Overview, ApiError> {
	window_param(&params)?;
	if let Some(sort) = params.get("sort").filter(|s| Kpi::parse(s).is_none()) {
		return Err(unknown("sort", sort, Kpi::ALL.iter().map(|k| k.key()).collect()));
	}
	let mut map = ParamsMap::new();
	for (key, value) in params {
		map.insert(key, value);
	}
	let (query, _) = query_of(&map);
	Ok(state.chain.campus().overview(&query, state.chain.status()))
}

async fn kpis(
	State(state): State<AppState>,
	Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Overview>, ApiError> {
	overview(&state, params).map(Json)
}

async fn kpis_csv(
	State(state): State<AppState>,
	Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
	let overview = overview(&state, params)?;
	let csv = kpi_csv(&overview)
		.map_err(|error| ApiError(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()))?;
	Ok(csv_response(csv, format!("campus-kpis-{}-{}.csv", overview.from, overview.to)))
}

/// The overview's buildings as CSV, one row each, unknown values empty.
pub fn kpi_csv(overview: &Overview) -> Result<String, csv::Error> {
	let header = [
		"site",
		"name",
		"use_type",
		"floor_area_m2",
		"energy_kwh",
		"intensity_kwh_per_m2",
		"intensity_kwh_per_m2_year",
		"baseline_kwh",
		"savings_kwh",
		"savings_percent",
		"renewable_percent",
		"carbon_kg",
		"cost_eur",
		"completeness_percent",
		"from",
		"to",
		"block",
		"heat_kwh",
	];
	let optional = |value: Option<f64>| value.map(|v| format!("{v:.3}")).unwrap_or_default();
	table::csv(
		header,
		overview.buildings.iter().map(|b| {
			[
				b.site.to_string(),
				table::text(&b.name),
				b.use_type.clone(),
				b.floor_area_m2.to_string(),
				format!("{:.3}", b.energy_kwh),
				optional(b.intensity_kwh_per_m2),
				optional(b.intensity_kwh_per_m2_year),
				optional(b.baseline_kwh),
				optional(b.savings_kwh),
				optional(b.savings_percent),
				optional(b.renewable_percent),
				optional(b.carbon_kg),
				optional(b.cost_eur),
				optional(b.completeness_percent),
				overview.from.clone(),
				overview.to.clone(),
				overview.block.to_string(),
				optional(b.heat_kwh),
			]
		}),
	)
}

/// A number parameter, `None` when absent.
fn number_param(params: &HashMap<String, String>, name: &str) -> Result<Option<u32>, ApiError> {
	params
		.get(name)
		.map(|text| {
			text.parse().map_err(|_| {
				ApiError(StatusCode::BAD_REQUEST, format!("{name} '{text}' is not a number"))
			})
		})
		.transpose()
}

/// Server-sent events of the finalized chain's events that concern the site, member or contract
/// asked for, each with its cursor `block:index` as id, from after `Last-Event-ID` or `?after=`
/// (or the oldest event kept), then live. A cursor the log has dropped the events after is a 410.
async fn chain_events(
	State(state): State<AppState>,
	client: Client,
	headers: HeaderMap,
	Query(params): Query<HashMap<String, String>>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
	let filter = EventFilter {
		site: number_param(&params, "site")?,
		member: number_param(&params, "member")?,
		contract: number_param(&params, "contract")?,
	};
	let resume = headers.get("last-event-id").and_then(|id| id.to_str().ok());
	let after = match resume.or(params.get("after").map(String::as_str)) {
		None => None,
		Some(text) => Some(Cursor::parse(text).ok_or_else(|| {
			ApiError(StatusCode::BAD_REQUEST, format!("cursor '{text}' is not block:index"))
		})?),
	};
	let gone = |error: ResumeError| match error {
		ResumeError::TooOld { oldest } => ApiError(
			StatusCode::GONE,
			format!(
				"the events after {} are no longer kept; the oldest kept is {}",
				after.map(|c| c.to_string()).unwrap_or_default(),
				oldest.map(|c| c.to_string()).unwrap_or_else(|| "none".into())
			),
		),
	};
	state.events.after(after, &filter, 0).map_err(gone)?;
	// Each stream holds its place until the consumer goes.
	let place = state.streams.open(client).map_err(|refusal| stream_refused("event", refusal))?;
	let log = state.events.clone();
	let newest = log.subscribe();
	let start = (log, newest, after, filter, VecDeque::new(), place);
	let stream = futures::stream::unfold(
		start,
		|(log, mut newest, mut scanned, filter, mut pending, place)| async move {
			loop {
				if let Some(event) = pending.pop_front() {
					let event: Arc<ChainEvent> = event;
					let data = serde_json::to_string(&*event).unwrap_or_default();
					let sse = Event::default().id(event.cursor.to_string()).data(data);
					return Some((Ok(sse), (log, newest, scanned, filter, pending, place)));
				}
				// Marks what is seen before reading, so an event added meanwhile wakes the wait.
				let latest = *newest.borrow_and_update();
				match log.after(scanned, &filter, 256) {
					Ok((found, upto)) => {
						scanned = upto;
						if found.is_empty() {
							// A bounded step of the log was looked at: wait for news only at
							// its end, and let other tasks run between steps.
							if scanned >= latest {
								newest.changed().await.ok()?;
							} else {
								tokio::task::yield_now().await;
							}
						}
						pending.extend(found);
					}
					// Fell behind what the log keeps: end the stream; resuming says why.
					Err(_) => return None,
				}
			}
		},
	);
	Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Why a stream of `what` did not open, as the client is told.
fn stream_refused(what: &str, refusal: StreamRefusal) -> ApiError {
	match refusal {
		StreamRefusal::Client(limit) => ApiError(
			StatusCode::TOO_MANY_REQUESTS,
			format!("your address has {limit} {what} streams open, the most it may"),
		),
		StreamRefusal::Portal(limit) => ApiError(
			StatusCode::SERVICE_UNAVAILABLE,
			format!("the portal serves {limit} {what} streams, the most it does: try again later"),
		),
	}
}

/// Server-sent events: the block of each new snapshot, starting with the current one.
async fn heads(
	State(state): State<AppState>,
	client: Client,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
	let place = state.heads.open(client).map_err(|refusal| stream_refused("block", refusal))?;
	let heads = state.chain.heads();
	let start = (heads, true, place);
	let stream = futures::stream::unfold(start, |(mut heads, first, place)| async move {
		if !first && heads.changed().await.is_err() {
			return None;
		}
		let block = *heads.borrow_and_update();
		Some((Ok(Event::default().event("message").data(block.to_string())), (heads, false, place)))
	});
	Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn new_challenge(
	State(state): State<AppState>,
	client: Client,
) -> Result<Json<Challenge>, ApiError> {
	state.sessions.challenge(now_ms(), client).map(Json).map_err(refused)
}

/// A wallet's answer to a sign-in challenge.
#[derive(Debug, Deserialize)]
pub struct SignInRequest {
	/// SS58 address of the account that signed.
	pub account: String,
	/// The challenge's message, exactly as issued.
	pub message: String,
	/// The sr25519 signature, hex, of the message or of `<Bytes>message</Bytes>`.
	pub signature: String,
}

async fn sign_in(
	State(state): State<AppState>,
	client: Client,
	Json(request): Json<SignInRequest>,
) -> Result<Response, ApiError> {
	let (token, session) = state
		.sessions
		.sign_in(
			&request.account,
			&request.message,
			&request.signature,
			now_ms(),
			client,
			|account| state.is_member(account),
		)
		.map_err(refused)?;
	let cookie = state.sessions.cookie(&token);
	Ok(([(header::SET_COOKIE, cookie)], Json(state.signed_in(&session))).into_response())
}

async fn current_session(
	State(state): State<AppState>,
	headers: HeaderMap,
) -> Result<Json<SignedIn>, ApiError> {
	let (_, session) = state.session_of(&headers).ok_or_else(|| {
		ApiError(StatusCode::UNAUTHORIZED, "not signed in, or the session expired".into())
	})?;
	Ok(Json(state.signed_in(&session)))
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
	if let Some((token, _)) = state.session_of(&headers) {
		state.sessions.sign_out(&token);
	}
	(StatusCode::NO_CONTENT, [(header::SET_COOKIE, state.sessions.cookie(""))]).into_response()
}

/// A refused sign-in as the API answers it.
fn refused(error: SignInError) -> ApiError {
	ApiError(error.status(), error.to_string())
}

async fn openapi() -> Json<serde_json::Value> {
	Json(openapi_document())
}

/// The OpenAPI 3.1 description of this API.
pub fn openapi_document() -> serde_json::Value {
	use serde_json::json;
	let query = |name: &str, description: &str, values: Vec<&str>| {
		json!({
			"name": name, "in": "query", "required": false, "description": description,
			"schema": { "type": "string", "enum": values }
		})
	};
	let overview_parameters = json!([
		query("window", "Days covered, ending today (UTC); default today.",
			Window::ALL.iter().map(|w| w.key()).collect()),
		query("sort", "The column to sort buildings by; default energy.",
			Kpi::ALL.iter().map(|k| k.key()).collect()),
		{ "name": "desc", "in": "query", "required": false,
		  "description": "1 (default) sorts highest first, 0 lowest first.",
		  "schema": { "type": "string", "enum": ["0", "1"] } },
		{ "name": "q", "in": "query", "required": false,
		  "description": "Only buildings whose name contains this text (case-insensitive).",
		  "schema": { "type": "string" } },
		{ "name": "use", "in": "query", "required": false,
		  "description": "Only buildings of this use, e.g. Office.", "schema": { "type": "string" } }
	]);
	let number = json!({ "type": ["number", "null"] });
	let error = json!({ "description": "An unknown parameter value; the body says which values there are.",
		"content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
	json!({
		"openapi": "3.1.0",
		"info": {
			"title": "BlockPortal API",
			"version": env!("CARGO_PKG_VERSION"),
			"description": "Sites, KPIs and live updates of a SmartBlocks campus, read from the chain's finalized blocks."
		},
		"paths": {
			"/api/v1/status": { "get": {
				"summary": "Whether the portal reads its node, and the finalized block its data is at.",
				"responses": { "200": { "description": "The status.", "content": { "application/json": {
					"schema": { "$ref": "#/components/schemas/Status" } } } } } } },
			"/api/v1/sites": { "get": {
				"summary": "Every site with its meters.",
				"responses": { "200": { "description": "The sites.", "content": { "application/json": {
					"schema": { "type": "array", "items": { "$ref": "#/components/schemas/Site" } } } } } } } },
			"/api/v1/sites/{id}": { "get": {
				"summary": "One site: KPIs over a window, use per settlement period (last 24 hours, with the forecast of its bridge made before each day: forecast_kwh, and in forecast where it came from or why there is none) and per day (last 30 days, with the prediction of the baseline_contract's baseline: baseline_kwh, and what that contract's meters on the site measured: contract_kwh), and each meter's health and hash-chain continuity.",
				"parameters": [
					{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
					query("window", "Days the KPIs cover, ending today (UTC); default today.",
						Window::ALL.iter().map(|w| w.key()).collect())
				],
				"responses": {
					"200": { "description": "The site.", "content": { "application/json": { "schema": { "type": "object" } } } },
					"400": error,
					"404": { "description": "No site with this number on chain.",
						"content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
			"/api/v1/meters/{id}": { "get": {
				"summary": "One meter: its status, register, readings, refusals and exchanges, its energy per settlement period (last 24 hours) and per day (last 30 days; none for a temperature sensor), and each day checkpoint of its hash chain with the length the day before's and the day's readings make (expected_length) against the length the chain records, and in archive what the bridge keeping its raw readings says of them against the chain's checkpoints (state: no_bridge, not_read, unavailable with the reason, or verified with verdict matches, differs or unchecked and the bridge's text naming the first reading that differs).",
				"parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } } ],
				"responses": {
					"200": { "description": "The meter.", "content": { "application/json": { "schema": { "type": "object" } } } },
					"404": { "description": "No meter with this number on chain.",
						"content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
			"/api/v1/kpis": { "get": {
				"summary": "Each building's KPIs over a window, with campus totals.",
				"parameters": overview_parameters,
				"responses": {
					"200": { "description": "The overview.", "content": { "application/json": {
						"schema": { "$ref": "#/components/schemas/Overview" } } } },
					"400": error } } },
			"/api/v1/kpis.csv": { "get": {
				"summary": "The same buildings' KPIs as CSV, one row each; unknown values are empty.",
				"parameters": overview_parameters,
				"responses": {
					"200": { "description": "CSV with a header row.", "content": { "text/csv": { "schema": { "type": "string" } } } },
					"400": error } } },
			"/api/v1/events": { "get": {
				"summary": "Server-sent events: every event of the chain's finalized blocks that concerns the site, member or contract asked for (all when none is), oldest kept first, then live. Each message's id is its cursor block:index and its data the event as JSON (cursor, pallet, name, fields, sites, members, contracts). A consumer resumes after a disconnect by sending the last id as Last-Event-ID (browsers' EventSource does) or ?after=, and gets every later event exactly once, in order.",
				"parameters": [
					{ "name": "site", "in": "query", "required": false, "schema": { "type": "integer" },
					  "description": "Only events naming this site, or one of its meters." },
					{ "name": "member", "in": "query", "required": false, "schema": { "type": "integer" } },
					{ "name": "contract", "in": "query", "required": false, "schema": { "type": "integer" } },
					{ "name": "after", "in": "query", "required": false, "schema": { "type": "string", "pattern": "^[0-9]+:[0-9]+$" },
					  "description": "Start after this cursor (Last-Event-ID wins when both are sent)." },
					{ "name": "Last-Event-ID", "in": "header", "required": false, "schema": { "type": "string" } }
				],
				"responses": {
					"200": { "description": "An event stream.", "content": { "text/event-stream": { "schema": { "type": "string" } } } },
					"400": { "description": "A filter that is not a number, or a cursor that is not block:index.",
						"content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
					"410": { "description": "The portal no longer keeps the events right after the cursor; the body names the oldest it keeps.",
						"content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
			"/api/v1/events/head": { "get": {
				"summary": "Server-sent events: the number of each finalized block the portal has read, starting with the current one.",
				"responses": { "200": { "description": "An event stream; each message's data is a block number.",
					"content": { "text/event-stream": { "schema": { "type": "string" } } } } } } },
			"/api/v1/members": { "get": {
				"summary": "Every member (roles, status, reputation, accounts) and the applications waiting for the council.",
				"responses": { "200": { "description": "The directory.", "content": { "application/json": { "schema": { "type": "object" } } } } } } },
			"/api/v1/members.csv": { "get": {
				"summary": "The members as CSV, one row each.",
				"responses": { "200": { "description": "CSV with a header row.", "content": { "text/csv": { "schema": { "type": "string" } } } } } } },
			"/api/v1/members/{id}": { "get": {
				"summary": "One member with its reputation history and its sites.",
				"parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } } ],
				"responses": {
					"200": { "description": "The member.", "content": { "application/json": { "schema": { "type": "object" } } } },
					"404": { "description": "No member with this number.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
			"/api/v1/council": { "get": {
				"summary": "The council's members and its open motions with their votes.",
				"responses": { "200": { "description": "The council.", "content": { "application/json": { "schema": { "type": "object" } } } } } } },
			"/api/v1/contracts": { "get": {
				"summary": "Every contract, newest first: template, parties, sites, state, schedule and periods settled.",
				"responses": { "200": { "description": "The contracts.", "content": { "application/json": { "schema": { "type": "object" } } } } } } },
			"/api/v1/contracts.csv": { "get": {
				"summary": "The contracts as CSV, one row each.",
				"responses": { "200": { "description": "CSV with a header row.", "content": { "text/csv": { "schema": { "type": "string" } } } } } } },
			"/api/v1/contracts/{id}": { "get": {
				"summary": "One contract: its terms in plain words and each settled period's statement with its outcome, payment and evidence.",
				"parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } } ],
				"responses": {
					"200": { "description": "The contract.", "content": { "application/json": { "schema": { "type": "object" } } } },
					"404": { "description": "No contract with this number.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
			"/api/v1/session/challenge": { "post": {
				"summary": "A one-time sign-in challenge: sign its message with the account's sr25519 key (a wallet's signRaw wraps it in <Bytes>…</Bytes>, which is accepted, as is the bare message) before it expires, then POST /api/v1/session.",
				"responses": {
					"200": { "description": "The challenge.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Challenge" } } } },
					"503": { "description": "Too many challenges are open.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
			"/api/v1/session": {
				"get": {
					"summary": "Who the session cookie signs in.",
					"responses": {
						"200": { "description": "The account and its member.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SignedIn" } } } },
						"401": { "description": "No open session.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } },
				"post": {
					"summary": "Signs in with a signed challenge; the challenge is spent either way. Sets the HttpOnly session cookie.",
					"requestBody": { "required": true, "content": { "application/json": { "schema": {
						"type": "object", "required": ["account", "message", "signature"], "properties": {
							"account": { "type": "string", "description": "SS58 address." },
							"message": { "type": "string", "description": "The challenge's message, exactly as issued." },
							"signature": { "type": "string", "description": "Hex sr25519 signature, 64 bytes." } } } } } },
					"responses": {
						"200": { "description": "Signed in.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SignedIn" } } } },
						"400": { "description": "An address or signature that cannot be read.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
						"401": { "description": "An unknown, spent or expired challenge, or a signature that does not match.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } },
				"delete": {
					"summary": "Signs out: ends the session and clears its cookie.",
					"responses": { "204": { "description": "Signed out." } } } }
		},
		"components": { "schemas": {
			"Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } },
			"Challenge": { "type": "object", "required": ["message", "expires_at"], "properties": {
				"message": { "type": "string" }, "expires_at": { "type": "string", "format": "date-time" } } },
			"SignedIn": { "type": "object", "required": ["account", "expires_at"], "properties": {
				"account": { "type": "string" },
				"member": { "type": ["array", "null"], "description": "The member's id and name, if the account is a member's.",
					"prefixItems": [ { "type": "integer" }, { "type": "string" } ] },
				"expires_at": { "type": "string", "format": "date-time" } } },
			"Status": { "type": "object", "required": ["node", "block"], "properties": {
				"node": { "type": "object", "required": ["state"], "properties": {
					"state": { "type": "string", "enum": ["connecting", "live", "down"] },
					"block": { "type": "integer" }, "reason": { "type": "string" } } },
				"block": { "type": "integer" } } },
			"Site": { "type": "object", "properties": {
				"id": { "type": "integer" }, "name": { "type": "string" }, "owner": { "type": "integer" },
				"use_type": { "type": "string" }, "floor_area_m2": { "type": "integer" },
				"latitude": { "type": "number" }, "longitude": { "type": "number" },
				"region": { "type": "string" }, "time_zone": { "type": "string" },
				"meters": { "type": "array", "items": { "type": "object", "properties": {
					"id": { "type": "integer" }, "kind": { "type": "string" }, "status": { "type": "string" },
					"last_reading_ms": { "type": ["integer", "null"] }, "readings": { "type": "integer" },
					"refused": { "type": "integer" } } } } } },
			"Building": { "type": "object", "properties": {
				"site": { "type": "integer" }, "name": { "type": "string" }, "owner": { "type": "integer" },
				"use_type": { "type": "string" }, "floor_area_m2": { "type": "integer" },
				"latitude": { "type": "number" }, "longitude": { "type": "number" },
				"energy_meters": { "type": "integer" },
				"energy_kwh": { "type": "number", "description": "Grid import plus on-site generation minus export." },
				"intensity_kwh_per_m2": number,
				"intensity_kwh_per_m2_year": { "type": ["number", "null"], "description": "Use over floor area in the window's time so far, scaled to a year (kWh/m²·a)." },
				"baseline_kwh": { "type": ["number", "null"], "description": "What the baseline of the energy performance contract covering the site predicts for the window's days with complete data and the oracle's outdoor temperature (the contract's prediction shared among its sites by metered use)." },
				"savings_kwh": { "type": ["number", "null"], "description": "That baseline minus the contract meters' use on those days." },
				"savings_percent": { "type": ["number", "null"], "description": "Savings as a share of the baseline." },
				"renewable_percent": { "type": ["number", "null"], "description": "On-site generation as a share of use." },
				"carbon_kg": { "type": ["number", "null"], "description": "Grid import times the oracle's carbon intensity, period by period." },
				"cost_eur": { "type": ["number", "null"], "description": "Net grid import times the oracle's market price, period by period." },
				"completeness_percent": { "type": ["number", "null"], "description": "Complete settlement periods over those since the meters' first data in the window; null until one has ended." },
				"heat_kwh": { "type": ["number", "null"], "description": "Heat the site's heat meters counted (district heating), final energy beside the electricity of energy_kwh; null without a heat meter." } } },
			"Overview": { "type": "object", "properties": {
				"window": { "type": "string" }, "block": { "type": "integer" },
				"from": { "type": "string", "format": "date" }, "to": { "type": "string", "format": "date" },
				"node": { "$ref": "#/components/schemas/Status/properties/node" },
				"buildings": { "type": "array", "items": { "$ref": "#/components/schemas/Building" } },
				"totals": { "type": "object" } } }
		} }
	})
}
