//! The bridge over HTTP, when `bridge.http` is set: `GET /status` (the outbox's counts per
//! meter with any counter reset it holds, failing meters and the reconciled block, JSON) for the operator while the bridge
//! runs, and `GET /pending?limit=N` (pending signed readings, oldest first per meter, as the
//! SCALE encoding of `Vec<SignedReading>`) for a member's node that pulls readings with its
//! off-chain worker, and `GET /history?site=NAME` (the site's hours of use and temperature as
//! the CSV that `baseline fit` and `forecast` read, since the outbox file is locked while the
//! bridge runs), and `GET /forecast?site=NAME` or `?chain_site=N`, with `&day=YYYY-MM-DD` (the
//! site's forecast of the day, today on its clock if not named, made from its hours before the
//! day, as JSON, for the portal to set against the day's use), and `GET /verify?chain_meter=N`
//! (whether the outbox's readings of the meter reproduce its hash chain's checkpoints on chain,
//! as `meter-bridge verify` says it, JSON, for the portal's meter page), and `GET /metrics`
//! (Prometheus' text format: `run/metrics.rs`). It serves signed readings,
//! counts and measurements, never a secret. Listening beyond this machine it answers only
//! requests bearing the token of `bridge.http_token_file`; it serves a few connections at once,
//! each for a bounded time, and fits a site's model at most once a minute per site and day.

use super::{
	guard::{bears, for_loopback, AnswerCache, Kept, PeerPlaces},
	query::{fit_key, parameter, DAY_FORMAT},
	reconcile::RECONCILED,
	weather, Shared,
};
use crate::{
	baseline::{
		forecast,
		history::{self, HistoryError},
		series, FitError,
	},
	config::{Config, SiteConfig},
	registration::chain_site,
	verify,
};
use anyhow::Context as _;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use http_body_util::Full;
use hyper::{
	body::{Bytes, Incoming},
	server::conn::http1,
	service::service_fn,
	Method, Request, Response, StatusCode,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use smartblocks_client::subxt::ext::codec::{Compact, Encode};
use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Semaphore};

/// Pending readings served per request when the request names no limit, and at most.
const DEFAULT_LIMIT: usize = 256;
const MAX_LIMIT: usize = 4_096;
/// Connections served at once, and by one peer address.
pub const MAX_CONNECTIONS: usize = 32;
pub const CONNECTIONS_PER_PEER: usize = 8;
/// How long one connection may last, requests and answers included, and how long a request's
/// head may take to arrive.
pub const CONNECTION_DEADLINE: Duration = Duration::from_secs(30);
pub const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How long a history or forecast answer is served again before its site is fitted anew.
const FIT_FRESH: Duration = Duration::from_secs(60);
/// History and forecast answers kept.
const FITS_KEPT: usize = 64;
/// How long a meter's verification is served again before the archive is chained anew (a
/// year of one meter's minutes is half a million readings), and how many are kept.
const VERIFY_FRESH: Duration = Duration::from_secs(600);
const VERIFICATIONS_KEPT: usize = 1_024;
/// How long the metrics are served again before the outbox is counted anew: counting walks the
/// pending readings, which grow while the node is away, and any number of scrapers may ask.
const METRICS_FRESH: Duration = Duration::from_secs(10);
/// The longest one verification may take, the node's answers included.
const VERIFY_DEADLINE: Duration = Duration::from_secs(20);
/// The longest the chain may take to give a site's temperature forecast; persistence stands in
/// after it.
const WEATHER_DEADLINE: Duration = Duration::from_secs(5);
/// How many days back a forecast may be asked for over HTTP, so the days a client can name (each
/// a fit) stay few.
const FORECAST_DAYS_BACK: i64 = 7;

/// Binds `address`; then serves until the task is dropped.
pub async fn bind(address: SocketAddr) -> anyhow::Result<TcpListener> {
	TcpListener::bind(address)
		.await
		.with_context(|| format!("bridge.http: cannot listen on {address}"))
}

/// Serves `listener` until the task is dropped: at most [`MAX_CONNECTIONS`] connections at once
/// (more wait to be accepted), [`CONNECTIONS_PER_PEER`] of one peer address (more are closed at
/// once), each for at most [`CONNECTION_DEADLINE`] and its request heads within
/// [`HEAD_DEADLINE`], so a client that trickles its request or never reads the answer holds a
/// place that long only, and one client cannot hold them all.
pub async fn serve(server: Arc<Server>, listener: TcpListener) {
	let places = Arc::new(Semaphore::new(MAX_CONNECTIONS));
	let peers = PeerPlaces::new(CONNECTIONS_PER_PEER);
	loop {
		let Ok(place) = places.clone().acquire_owned().await else { return };
		let (stream, peer_place) = match listener.accept().await {
			Ok((stream, peer)) => match peers.take(peer.ip()) {
				Some(peer_place) => (stream, peer_place),
				None => {
					tracing::debug!(%peer, "HTTP: a peer over its share of connections, closed");
					continue;
				}
			},
			Err(error) => {
				tracing::warn!(%error, "HTTP: cannot accept a connection");
				continue;
			}
		};
		let server = server.clone();
		tokio::spawn(async move {
			let _places = (place, peer_place);
			let service = service_fn(move |request| {
				// Reading the outbox (a site's whole history for /history) blocks: off the
				// runtime's worker, so polling goes on meanwhile.
				let kept = tokio::task::block_in_place(|| server.answer(&request));
				async move { Ok::<_, Infallible>(respond(kept)) }
			});
			let connection = http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(HEAD_DEADLINE)
				.serve_connection(TokioIo::new(stream), service);
			match tokio::time::timeout(CONNECTION_DEADLINE, connection).await {
				Ok(Ok(())) => {}
				Ok(Err(error)) => tracing::debug!(%error, "HTTP connection ended"),
				Err(_) => tracing::debug!("HTTP connection closed at its deadline"),
			}
		});
	}
}

/// What the bridge's HTTP needs besides the bridge: the token requests must bear, the answers
/// kept.
pub struct Server {
	shared: Arc<Shared>,
	config: Arc<Config>,
	token: Option<String>,
	fitted: AnswerCache,
	verified: AnswerCache,
	measured: AnswerCache,
	/// One meter's archive verified at a time: the others are asked to come back.
	verifying: Semaphore,
}

impl Server {
	pub fn new(shared: Arc<Shared>, config: Arc<Config>, token: Option<String>) -> Self {
		Server {
			shared,
			config,
			token,
			fitted: AnswerCache::new(FIT_FRESH, FITS_KEPT),
			verified: AnswerCache::new(VERIFY_FRESH, VERIFICATIONS_KEPT),
			measured: AnswerCache::new(METRICS_FRESH, 1),
			verifying: Semaphore::new(1),
		}
	}

	/// The answer to `request`: refused without the token when one is set; a site's history
	/// and forecast (a fit of all its hours) at most once a minute per site and day, and a
	/// meter's verification (its whole archive chained) at most once in ten minutes per meter and
	/// one meter at a time, however the query is written and however many ask at once.
	fn answer(&self, request: &Request<Incoming>) -> Kept {
		let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
		match &self.token {
			Some(token) if !bears(header("authorization"), token) => {
				return plain(
					StatusCode::UNAUTHORIZED,
					"this bridge answers requests bearing its token: Authorization: Bearer …\n",
				);
			}
			// Without a token the bridge listens on loopback only (the configuration says so).
			None if !for_loopback(header("host")) => {
				return plain(
					StatusCode::FORBIDDEN,
					"this bridge answers requests for localhost only (Host: 127.0.0.1)\n",
				);
			}
			_ => {}
		}
		let (shared, config) = (&*self.shared, &*self.config);
		match request.uri().path() {
			"/metrics" if request.method() == Method::GET => {
				self.measured.answer("", || answer(shared, config, request))
			}
			"/history" | "/forecast" if request.method() == Method::GET => {
				let key = fit_key(request.uri().path(), request.uri().query());
				self.fitted.answer(&key, || answer(shared, config, request))
			}
			"/verify" if request.method() == Method::GET => {
				let meter = parameter(request.uri().query(), "chain_meter")
					.and_then(|number| number.parse::<u32>().ok());
				match meter {
					Some(meter) if shared.is_ours(meter) => {
						self.verified.answer(&meter.to_string(), || {
							match self.verifying.try_acquire() {
							Ok(_one) => verification(shared, meter),
							Err(_) => plain(
								StatusCode::SERVICE_UNAVAILABLE,
								"verifying another meter's archive: ask again in a few seconds\n",
							),
						}
						})
					}
					Some(meter) => plain(
						StatusCode::NOT_FOUND,
						&format!("this bridge does not read chain meter {meter}\n"),
					),
					None => {
						plain(StatusCode::BAD_REQUEST, "name the meter: /verify?chain_meter=N\n")
					}
				}
			}
			_ => answer(shared, config, request),
		}
	}
}

/// Whether chain meter `meter`'s readings in the outbox reproduce its hash chain on chain, as
/// JSON: the verdict's fields, its text as `meter-bridge verify` prints it, and the chain's
/// genesis; 503 while the node cannot be asked. Runs off the runtime's workers (the caller's
/// `block_in_place`), waiting on the node there.
fn verification(shared: &Shared, meter: u32) -> Kept {
	let checked =
		tokio::runtime::Handle::current().block_on(tokio::time::timeout(VERIFY_DEADLINE, async {
			let client = shared.node.client().await?;
			verify::verify_meter(&client, &shared.outbox, meter).await
		}));
	let verdict = match checked {
		Ok(Ok(verdict)) => verdict,
		Ok(Err(error)) => {
			let text = format!("cannot verify chain meter {meter} now: {error:#}\n");
			return plain(StatusCode::SERVICE_UNAVAILABLE, &text);
		}
		Err(_) => {
			let text = format!(
				"verifying chain meter {meter} took longer than {} s; ask again later\n",
				VERIFY_DEADLINE.as_secs()
			);
			return plain(StatusCode::SERVICE_UNAVAILABLE, &text);
		}
	};
	let mut json = serde_json::to_value(&verdict).unwrap_or_default();
	json["chain_meter"] = meter.into();
	json["text"] = verify::verdict_text(&verdict).into();
	json["genesis"] = format!("0x{}", hex::encode(shared.genesis.0)).into();
	Kept {
		status: StatusCode::OK.as_u16(),
		kind: "application/json",
		body: json.to_string().into_bytes(),
	}
}

fn answer(shared: &Shared, config: &Config, request: &Request<Incoming>) -> Kept {
	if request.method() != Method::GET {
		return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET\n");
	}
	let result = match request.uri().path() {
		"/status" => status(shared).map(|json| ("application/json", json.into_bytes())),
		"/metrics" => shared
			.metrics
			.render(shared)
			.map(|text| ("text/plain; version=0.0.4", text.into_bytes())),
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
				"GET /status, /metrics, /pending?limit=N, /history?site=NAME, \
				 /forecast?site=NAME or /verify?chain_meter=N\n",
			)
		}
	};
	match result {
		Ok((kind, body)) => Kept { status: StatusCode::OK.as_u16(), kind, body },
		Err(error) => plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{error}\n")),
	}
}

/// The forecast of the site and day the query names, as JSON; 404 if this bridge has no such
/// site (so a portal asks its next bridge), 422 with the reason if it cannot be forecast yet.
fn site_forecast(shared: &Shared, config: &Config, query: Option<&str>) -> Kept {
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
		Some(text) => match NaiveDate::parse_from_str(&text, DAY_FORMAT) {
			Ok(day) if day > today + TimeDelta::days(1) => {
				return plain(
					StatusCode::BAD_REQUEST,
					&format!(
						"{day} is more than a day after {today}, today on the site's clock: a \
						 forecast reaches one day ahead\n"
					),
				)
			}
			Ok(day) if day < today - TimeDelta::days(FORECAST_DAYS_BACK) => {
				return plain(
					StatusCode::BAD_REQUEST,
					&format!(
						"{day} is more than {FORECAST_DAYS_BACK} days before {today}, today on the \
						 site's clock: for an older day, give `meter-bridge forecast` the site's \
						 /history up to that day\n"
					),
				)
			}
			Ok(day) => day,
			Err(_) => return plain(StatusCode::BAD_REQUEST, "day must be a date: YYYY-MM-DD\n"),
		},
	};
	let unprocessable = |reason: String| plain(StatusCode::UNPROCESSABLE_ENTITY, &reason);
	let hours = match history::site_hours(config, &shared.outbox, &site.name) {
		Ok(hours) => hours,
		Err(error @ (HistoryError::Outbox(_) | HistoryError::Imported(_))) => {
			return plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{error}\n"))
		}
		Err(error) => return unprocessable(format!("{error}\n")),
	};
	// A past day is forecast as it could have been at its start, without the forecasts the
	// chain kept from later in the day (each period's last before it began).
	let temperatures = match day >= today {
		true => chain_forecast(shared, &site.region, day),
		false => Vec::new(),
	};
	let forecast = match forecast::day_ahead(&hours, day, &temperatures, Some(zone)) {
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
	Kept {
		status: StatusCode::OK.as_u16(),
		kind: "application/json",
		body: body.to_string().into(),
	}
}

/// The chain oracle's temperature forecast for `region` around `day`; none (so persistence)
/// while the node cannot be asked. Runs off the runtime's workers, as `verification` does.
fn chain_forecast(
	shared: &Shared,
	region: &str,
	day: NaiveDate,
) -> Vec<(DateTime<FixedOffset>, f64)> {
	let fetched =
		tokio::runtime::Handle::current().block_on(tokio::time::timeout(WEATHER_DEADLINE, async {
			let client = shared.node.client().await?;
			weather::temperature_forecast(&client, region, day).await
		}));
	match fetched {
		Ok(Ok(temperatures)) => temperatures,
		Ok(Err(error)) => {
			tracing::debug!(%error, region, "no temperature forecast from the chain");
			Vec::new()
		}
		Err(_) => {
			tracing::debug!(region, "the chain's temperature forecast took too long");
			Vec::new()
		}
	}
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

fn plain(status: StatusCode, text: &str) -> Kept {
	Kept {
		status: status.as_u16(),
		kind: "text/plain; charset=utf-8",
		body: text.as_bytes().to_vec(),
	}
}

/// `kept` as the response sent.
fn respond(kept: Kept) -> Response<Full<Bytes>> {
	let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
	let mut response = Response::new(Full::new(Bytes::from(kept.body)));
	*response.status_mut() = status;
	if let Ok(kind) = hyper::header::HeaderValue::from_str(kept.kind) {
		response.headers_mut().insert(hyper::header::CONTENT_TYPE, kind);
	}
	if status == StatusCode::UNAUTHORIZED {
		response.headers_mut().insert(
			hyper::header::WWW_AUTHENTICATE,
			hyper::header::HeaderValue::from_static("Bearer"),
		);
		// A client without the token keeps no connection open.
		response
			.headers_mut()
			.insert(hyper::header::CONNECTION, hyper::header::HeaderValue::from_static("close"));
	}
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

fn status(shared: &Shared) -> anyhow::Result<String> {
	let counts = shared.outbox.counts()?;
	let meters: Vec<_> = shared
		.chain_meters()
		.iter()
		.map(|meter| {
			let count = counts.get(meter).cloned().unwrap_or_default();
			// A counter reset held: the register the readings fell from, the one it fell to,
			// and the register now and when it was read, which the owner's exchange
			// declaration takes as baseline and time.
			let held =
				shared.outbox.meter_state(*meter)?.and_then(|state| state.held).map(|held| {
					serde_json::json!({
						"last_register": held.last,
						"fell_to": held.now,
						"new_register": held.latest.unwrap_or(held.now),
						"new_register_at": held.latest_at,
					})
				});
			Ok(serde_json::json!({
				"name": shared.name(*meter),
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

/// Up to `limit` pending readings as `SCALE(Vec<SignedReading>)`, each meter given its fair
/// share: the outbox keeps each one's encoding, so the vector is their count and their bytes.
fn pending(shared: &Shared, limit: usize) -> anyhow::Result<Vec<u8>> {
	let payloads: Vec<Vec<u8>> = shared
		.outbox
		.pending_fairly(shared.chain_meters(), limit)?
		.into_iter()
		.map(|pending| pending.payload)
		.collect();
	let mut body = Compact(payloads.len() as u32).encode();
	for payload in payloads {
		body.extend(payload);
	}
	Ok(body)
}
