//! The bridge over HTTP, when `bridge.http` is set: `GET /status` (the outbox's counts per
//! meter with any counter reset it holds, failing meters and the reconciled block, JSON) for the operator while the bridge
//! runs, and `GET /pending?limit=N` (pending signed readings, oldest first per meter, as the
//! SCALE encoding of `Vec<SignedReading>`) for a member's node that pulls readings with its
//! off-chain worker, and `GET /history?site=NAME` (the site's hours of use and temperature as
//! the CSV that `baseline fit` and `forecast` read, since the outbox file is locked while the
//! bridge runs), and `GET /forecast?site=NAME` or `?chain_site=N`, with `&day=YYYY-MM-DD` (the
//! site's forecast of the day, today on its clock if not named, made from its hours before the
//! day, as JSON, for the portal to set against the day's use). It serves signed readings,
//! counts and measurements, never a secret.

use super::{reconcile::RECONCILED, Shared};
use crate::{
	baseline::{
		forecast,
		history::{self, HistoryError},
		series, FitError,
	},
	config::{Config, SiteConfig},
	register::chain_site,
};
use anyhow::Context as _;
use chrono::{NaiveDate, TimeDelta, Utc};
use http_body_util::Full;
use hyper::{
	body::{Bytes, Incoming},
	server::conn::http1,
	service::service_fn,
	Method, Request, Response, StatusCode,
};
use hyper_util::rt::TokioIo;
use smartblocks_client::subxt::ext::codec::{Compact, Encode};
use std::{convert::Infallible, net::SocketAddr, sync::Arc};
use tokio::net::TcpListener;

/// Pending readings served per request when the request names no limit, and at most.
const DEFAULT_LIMIT: usize = 256;
const MAX_LIMIT: usize = 4_096;

/// Binds `address`; then serves until the task is dropped.
pub async fn bind(address: SocketAddr) -> anyhow::Result<TcpListener> {
	TcpListener::bind(address)
		.await
		.with_context(|| format!("bridge.http: cannot listen on {address}"))
}

pub async fn serve(shared: Arc<Shared>, config: Arc<Config>, listener: TcpListener) {
	loop {
		let stream = match listener.accept().await {
			Ok((stream, _)) => stream,
			Err(error) => {
				tracing::warn!(%error, "HTTP: cannot accept a connection");
				continue;
			}
		};
		let (shared, config) = (shared.clone(), config.clone());
		tokio::spawn(async move {
			let service = service_fn(move |request| {
				// Reading the outbox (a site's whole history for /history) blocks: off the
				// runtime's worker, so polling goes on meanwhile.
				let response = tokio::task::block_in_place(|| answer(&shared, &config, &request));
				async move { Ok::<_, Infallible>(response) }
			});
			if let Err(error) =
				http1::Builder::new().serve_connection(TokioIo::new(stream), service).await
			{
				tracing::debug!(%error, "HTTP connection ended");
			}
		});
	}
}

fn answer(shared: &Shared, config: &Config, request: &Request<Incoming>) -> Response<Full<Bytes>> {
	if request.method() != Method::GET {
		return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET\n");
	}
	let result = match request.uri().path() {
		"/status" => status(shared).map(|json| ("application/json", json.into_bytes())),
		"/pending" => match limit(request.uri().query()) {
			Ok(limit) => pending(shared, limit).map(|body| ("application/octet-stream", body)),
			Err(problem) => return plain(StatusCode::BAD_REQUEST, &problem),
		},
		"/history" => match parameter(request.uri().query(), "site") {
			Some(site) => match history::site_hours(config, &shared.outbox, &site) {
				Err(error @ HistoryError::UnknownSite(_)) => {
					return plain(StatusCode::NOT_FOUND, &format!("{error}\n"))
				}
				hours => hours
					.map(|hours| ("text/csv", series::write_csv(&hours).into_bytes()))
					.map_err(Into::into),
			},
			None => return plain(StatusCode::BAD_REQUEST, "name the site: /history?site=NAME\n"),
		},
		"/forecast" => return site_forecast(shared, config, request.uri().query()),
		_ => {
			return plain(
				StatusCode::NOT_FOUND,
				"GET /status, /pending?limit=N, /history?site=NAME or /forecast?site=NAME\n",
			)
		}
	};
	match result {
		Ok((kind, body)) => Response::builder()
			.header("content-type", kind)
			.body(Full::new(Bytes::from(body)))
			.unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "no response\n")),
		Err(error) => plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{error}\n")),
	}
}

/// The forecast of the site and day the query names, as JSON; 404 if this bridge has no such
/// site (so a portal asks its next bridge), 422 with the reason if it cannot be forecast yet.
fn site_forecast(shared: &Shared, config: &Config, query: Option<&str>) -> Response<Full<Bytes>> {
	let site = match (parameter(query, "site"), parameter(query, "chain_site")) {
		(Some(name), None) => config.sites.iter().find(|site| site.name == name),
		(None, Some(number)) => match number.parse::<u32>() {
			Ok(number) => match site_numbered(shared, config, number) {
				Ok(site) => site,
				Err(error) => {
					return plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{error}\n"))
				}
			},
			Err(_) => return plain(StatusCode::BAD_REQUEST, "chain_site must be a site number\n"),
		},
		_ => {
			return plain(
				StatusCode::BAD_REQUEST,
				"name the site: /forecast?site=NAME or /forecast?chain_site=N, and the day if not \
				 today: &day=YYYY-MM-DD\n",
			)
		}
	};
	let Some(site) = site else {
		return plain(StatusCode::NOT_FOUND, "this bridge reads no such site\n");
	};
	let Some(zone) = config.time_zone(&site.name) else {
		return plain(StatusCode::INTERNAL_SERVER_ERROR, "the site's time zone is unknown\n");
	};
	let today = Utc::now().with_timezone(&zone).date_naive();
	let day = match parameter(query, "day") {
		None => today,
		Some(text) => match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
			Ok(day) if day <= today + TimeDelta::days(1) => day,
			Ok(day) => {
				return plain(
					StatusCode::BAD_REQUEST,
					&format!(
						"{day} is more than a day after {today}, today on the site's clock: a \
						 forecast reaches one day ahead\n"
					),
				)
			}
			Err(_) => return plain(StatusCode::BAD_REQUEST, "day must be a date: YYYY-MM-DD\n"),
		},
	};
	let unprocessable = |reason: String| plain(StatusCode::UNPROCESSABLE_ENTITY, &reason);
	let hours = match history::site_hours(config, &shared.outbox, &site.name) {
		Ok(hours) => hours,
		Err(error @ (HistoryError::Outbox(_) | HistoryError::Corrupt { .. })) => {
			return plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{error}\n"))
		}
		Err(error) => return unprocessable(format!("{error}\n")),
	};
	let forecast = match forecast::day_ahead(&hours, day, &[]) {
		Ok(forecast) => forecast,
		Err(FitError::Insufficient(reasons)) => {
			return unprocessable(format!("not enough data yet: {}\n", reasons.join("; ")))
		}
		Err(error) => return unprocessable(format!("{error}\n")),
	};
	let chain_site = match chain_site(&shared.outbox, site) {
		Ok(number) => number,
		Err(error) => return plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{error}\n")),
	};
	let body = serde_json::json!({
		"genesis": format!("0x{}", hex::encode(shared.genesis.0)),
		"site": site.name,
		"chain_site": chain_site,
		"time_zone": site.time_zone,
		"forecast": forecast,
	});
	Response::builder()
		.header("content-type", "application/json")
		.body(Full::new(Bytes::from(body.to_string())))
		.unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "no response\n"))
}

/// The configuration's site that is `number` on chain.
fn site_numbered<'a>(
	shared: &Shared,
	config: &'a Config,
	number: u32,
) -> anyhow::Result<Option<&'a SiteConfig>> {
	for site in &config.sites {
		if chain_site(&shared.outbox, site)? == Some(number) {
			return Ok(Some(site));
		}
	}
	Ok(None)
}

fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
	let mut response = Response::new(Full::new(Bytes::from(text.to_string())));
	*response.status_mut() = status;
	response
}

/// The `limit` of a query such as `limit=100`.
fn limit(query: Option<&str>) -> Result<usize, String> {
	let Some(value) = parameter(query, "limit") else {
		return Ok(DEFAULT_LIMIT);
	};
	match value.parse::<usize>() {
		Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(limit),
		_ => Err(format!("limit must be a number from 1 to {MAX_LIMIT}\n")),
	}
}

/// The value of `name` in a query such as `limit=100&site=a`.
fn parameter(query: Option<&str>, name: &str) -> Option<String> {
	query.into_iter().flat_map(|q| q.split('&')).find_map(|pair| {
		let (key, value) = pair.split_once('=')?;
		(key == name).then(|| decode(value))
	})
}

/// A percent-encoded query value decoded; malformed escapes are kept as they are.
fn decode(value: &str) -> String {
	let bytes = value.as_bytes();
	let mut decoded = Vec::with_capacity(bytes.len());
	let mut index = 0;
	while index < bytes.len() {
		let escaped = (bytes[index] == b'%')
			.then(|| value.get(index + 1..index + 3))
			.flatten()
			.and_then(|hex| u8::from_str_radix(hex, 16).ok());
		match escaped {
			Some(byte) => {
				decoded.push(byte);
				index += 3;
			}
			None => {
				decoded.push(if bytes[index] == b'+' { b' ' } else { bytes[index] });
				index += 1;
			}
		}
	}
	String::from_utf8_lossy(&decoded).into_owned()
}

fn status(shared: &Shared) -> anyhow::Result<String> {
	let counts = shared.outbox.counts()?;
	let meters: Vec<_> = shared
		.chain_meters()
		.iter()
		.map(|meter| {
			let count = counts.get(meter).cloned().unwrap_or_default();
			// A counter reset held: the register the readings fell from, the one it fell to,
			// and the register now, which the owner's exchange declaration takes as baseline.
			let held =
				shared.outbox.meter_state(*meter)?.and_then(|state| state.held).map(|held| {
					serde_json::json!({
						"last_register": held.last,
						"fell_to": held.now,
						"new_register": held.latest.unwrap_or(held.now),
					})
				});
			Ok(serde_json::json!({
				"chain_meter": meter,
				"pending": count.pending,
				"accepted": count.accepted,
				"rejected": count.rejected,
				"held": held,
			}))
		})
		.collect::<anyhow::Result<_>>()?;
	let body = serde_json::json!({
		"genesis": format!("0x{}", hex::encode(shared.genesis.0)),
		"meters": meters,
		"failing": shared.failing(),
		"reconciled_block": shared.outbox.fact::<u64>(RECONCILED)?,
	});
	Ok(body.to_string())
}

/// Up to `limit` pending readings as `SCALE(Vec<SignedReading>)`: the outbox keeps each one's
/// encoding, so the vector is their count and their bytes.
fn pending(shared: &Shared, limit: usize) -> anyhow::Result<Vec<u8>> {
	let mut payloads = Vec::new();
	for &meter in shared.chain_meters() {
		let left = limit - payloads.len();
		if left == 0 {
			break;
		}
		payloads.extend(shared.outbox.pending_of(meter, left)?.into_iter().map(|p| p.payload));
	}
	let mut body = Compact(payloads.len() as u32).encode();
	for payload in payloads {
		body.extend(payload);
	}
	Ok(body)
}
