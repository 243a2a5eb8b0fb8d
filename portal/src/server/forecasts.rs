//! Forecasts of a building's use from the bridges that read its meters (`--bridge`): each is
//! asked in turn until one reads the site (the others answer 404). Answers are kept a while: a
//! day's forecast is made from the hours before the day, and a page that updates with every
//! block would otherwise ask again each time.

use std::{
	collections::HashMap,
	time::{Duration, Instant},
};

use chrono::{DateTime, NaiveDate};
use http_body_util::{BodyExt, Empty};
use hyper::{body::Bytes, Request, StatusCode};
use hyper_util::rt::TokioIo;
use parking_lot::Mutex;
use serde::Deserialize;
use tokio::net::TcpStream;

use super::AppState;
use crate::{
	building::{BuildingDetail, ForecastStatus, HourInterval, TemperatureSources, UsePoint},
	kpi::Window,
	meter::ArchiveStatus,
};

/// How long a forecast is kept: it changes only if readings of the hours before its day
/// reach the bridge late.
const FORECAST_KEPT: Duration = Duration::from_secs(600);
/// How long a refusal or a failure is kept before the bridges are asked again.
const REFUSAL_KEPT: Duration = Duration::from_secs(60);
/// The longest a bridge may take to answer, so that one that hangs never holds a page up.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);
/// The most of a bridge's answer that is read: a day's forecast or an archive check is a few
/// kilobytes, and a broken or hostile bridge must not make the portal buffer without bound
/// (loopback carries gigabytes within the timeout).
const ANSWER_LIMIT: usize = 1 << 20;
/// The most of a bridge's reason for not answering that a page shows: the reason is the
/// bridge's own text.
const REASON_CHARS: usize = 300;
const HOUR_MS: i64 = smartblocks_rules::time::HOUR_MS as i64;

/// A day's forecast as a bridge serves it; what the portal does not show is left unread.
#[derive(Deserialize)]
struct Served {
	genesis: String,
	forecast: ServedForecast,
}

#[derive(Deserialize)]
struct ServedForecast {
	day: NaiveDate,
	hours: Vec<ServedHour>,
	model: ServedModel,
	/// The confidence of each hour's bounds; bridges before them serve neither.
	#[serde(default)]
	confidence: Option<f64>,
}

#[derive(Deserialize)]
struct ServedHour {
	start: String,
	energy: Option<f64>,
	#[serde(default)]
	high: Option<f64>,
	/// `forecast` or `persistence`; bridges before the oracle's forecast serve it too.
	#[serde(default)]
	temperature_source: Option<String>,
}

#[derive(Deserialize)]
struct ServedModel {
	statistics: ServedStatistics,
}

#[derive(Deserialize)]
struct ServedStatistics {
	cv_rmse: Option<f64>,
}

/// A site's forecast of one day on its clock.
#[derive(Clone, Debug, PartialEq)]
pub struct DayForecast {
	pub day: NaiveDate,
	/// Each hour's start (ms since the Unix epoch) and forecast use (Wh), `None` for an hour
	/// of the week the model never saw.
	pub hours: Vec<(i64, Option<f64>)>,
	/// The model's CV(RMSE) on the weeks it was fitted on, a fraction.
	pub cv_rmse: Option<f64>,
	/// How closely an hour's forecast holds its use, if the bridge says.
	pub hour_interval: Option<HourInterval>,
	/// Where its hours' temperatures came from, if the bridge says.
	pub temperatures: Option<TemperatureSources>,
}

/// What the bridges say of a site's day.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
	Forecast {
		bridge: String,
		forecast: DayForecast,
	},
	/// The bridge that reads the site cannot forecast it, or a bridge could not be asked.
	Unavailable {
		bridge: String,
		reason: String,
	},
	/// Every bridge answered that it does not read the site.
	NotRead,
}

/// A site and a day on its clock (`None`: today).
type SiteDay = (u32, Option<NaiveDate>);

/// The bridges a portal asks, and their recent answers with the time each is kept until.
pub struct Bridges {
	/// Each bridge's `host:port`, and after a space the token it requires, if any.
	addresses: Vec<String>,
	kept: Mutex<HashMap<SiteDay, (Instant, Answer)>>,
	/// Each meter's archive verification, with the time it is kept until.
	pub(super) archives: Mutex<HashMap<u32, (Instant, ArchiveStatus)>>,
}

/// What the asker makes of one bridge's answer other than 404.
pub(super) enum Step<T> {
	/// What was asked for.
	Done(T),
	/// Not usable (the reason): another bridge may give it.
	Failed(String),
	/// The bridge that reads it says it cannot be given (the reason): no other is asked.
	Refused(String),
}

/// What asking the bridges in turn gave.
pub(super) enum Asked<T> {
	Done {
		bridge: String,
		value: T,
	},
	/// The first bridge that failed or refused, and why, when none gave it.
	Unavailable {
		bridge: String,
		reason: String,
	},
	/// Every bridge answered that it does not read it (404).
	NotRead,
}

/// A `--bridge` value as the `host:port` its HTTP server listens on, `http://` and a trailing
/// slash allowed, as operators copy URLs; then, after a space, the file (mode 0600) holding the
/// token a bridge listening beyond its machine requires. The token read follows the address
/// after a space.
pub fn bridge_address(value: &str) -> Result<String, String> {
	let mut fields = value.split_whitespace();
	let address = host_and_port(fields.next().unwrap_or_default())?;
	match (fields.next(), fields.next()) {
		(None, _) => Ok(address),
		(Some(file), None) => {
			let token = smartblocks_client::token::read_token_file(std::path::Path::new(file))
				.map_err(|error| error.to_string())?;
			Ok(format!("{address} {token}"))
		}
		_ => Err(format!("{value:?}: give the bridge's host:port and at most a token file")),
	}
}

/// A bridge's `host:port`.
fn host_and_port(text: &str) -> Result<String, String> {
	if text.starts_with("https://") {
		return Err("a bridge serves plain HTTP at its bridge.http address: give host:port".into());
	}
	let address = text.strip_prefix("http://").unwrap_or(text).trim_end_matches('/');
	match address.rsplit_once(':') {
		Some((host, port))
			if !host.is_empty() && !host.contains('/') && port.parse::<u16>().is_ok() =>
		{
			Ok(address.to_string())
		}
		_ => Err(format!("{text:?} is no bridge address: give host:port, as in bridge.http")),
	}
}

impl Bridges {
	/// Whether the portal was started without a bridge to ask.
	pub fn is_empty(&self) -> bool {
		self.addresses.is_empty()
	}

	pub fn new(addresses: Vec<String>) -> Self {
		Bridges {
			addresses,
			kept: Mutex::new(HashMap::new()),
			archives: Mutex::new(HashMap::new()),
		}
	}

	/// Sets the forecast of each of `periods` (settlement periods of `period_ms`) from the
	/// forecasts of the days on `site`'s clock they fall in, and says where they came from.
	/// `genesis` is the chain's, when the node answers: a bridge of another chain is not asked.
	pub async fn forecast_periods(
		&self,
		site: u32,
		periods: &mut [UsePoint],
		period_ms: u64,
		genesis: Option<&str>,
	) -> ForecastStatus {
		if self.is_empty() {
			return ForecastStatus::NoBridge;
		}
		let (bridge, today) = match self.forecast(site, None, genesis).await {
			Answer::Forecast { bridge, forecast } => (bridge, forecast),
			Answer::Unavailable { bridge, reason } => {
				return ForecastStatus::Unavailable { bridge, reason }
			}
			Answer::NotRead => return ForecastStatus::NotRead,
		};
		let mut hours = today.hours.clone();
		let mut days = vec![today.day.to_string()];
		// The last 24 hours begin on the day before on the site's clock, mostly.
		let window_start = periods.first().map(|point| point.start_ms as i64);
		let today_start = today.hours.first().map(|(start, _)| *start);
		if let (Some(window_start), Some(today_start), Some(day_before)) =
			(window_start, today_start, today.day.pred_opt())
		{
			if window_start < today_start {
				if let Answer::Forecast { forecast, .. } =
					self.forecast(site, Some(day_before), genesis).await
				{
					hours.splice(0..0, forecast.hours);
					days.insert(0, forecast.day.to_string());
				}
			}
		}
		overlay(periods, period_ms, &hours);
		ForecastStatus::Shown {
			bridge,
			days,
			cv_rmse_percent: today.cv_rmse.map(|cv| cv * 100.0),
			hour_interval: today.hour_interval,
			temperatures: today.temperatures,
		}
	}

	/// `site`'s forecast of `day` from the first bridge that reads the site.
	pub async fn forecast(
		&self,
		site: u32,
		day: Option<NaiveDate>,
		genesis: Option<&str>,
	) -> Answer {
		let now = Instant::now();
		if let Some((until, answer)) = self.kept.lock().get(&(site, day)) {
			if *until > now {
				return answer.clone();
			}
		}
		let answer = self.ask_forecast(site, day, genesis).await;
		let kept_for =
			if matches!(answer, Answer::Forecast { .. }) { FORECAST_KEPT } else { REFUSAL_KEPT };
		let mut kept = self.kept.lock();
		kept.retain(|_, (until, _)| *until > now);
		kept.insert((site, day), (now + kept_for, answer.clone()));
		answer
	}

	async fn ask_forecast(
		&self,
		site: u32,
		day: Option<NaiveDate>,
		genesis: Option<&str>,
	) -> Answer {
		let path = match day {
			Some(day) => format!("/forecast?chain_site={site}&day={day}"),
			None => format!("/forecast?chain_site={site}"),
		};
		let asked = self
			.ask_each(&path, |status, body| match status {
				StatusCode::OK => match read_forecast(body) {
					Ok((served_genesis, _))
						if genesis.is_some_and(|ours| ours != served_genesis) =>
					{
						Step::Failed(format!(
							"it reads the meters of another chain ({served_genesis})"
						))
					}
					Ok((_, forecast)) => Step::Done(forecast),
					Err(reason) => Step::Failed(format!("its forecast is unreadable: {reason}")),
				},
				StatusCode::UNPROCESSABLE_ENTITY => Step::Refused(body.trim().to_string()),
				status => Step::Failed(format!("it answered {status}: {}", body.trim())),
			})
			.await;
		match asked {
			Asked::Done { bridge, value } => Answer::Forecast { bridge, forecast: value },
			Asked::Unavailable { bridge, reason } => Answer::Unavailable { bridge, reason },
			Asked::NotRead => Answer::NotRead,
		}
	}

	/// Asks each bridge for `path` in turn until one that reads it (an answer other than 404)
	/// gives what `judge` makes of its answer. A bridge that cannot be asked, or whose answer
	/// fails, is passed over; the first such reason is kept for when none gives it.
	pub(super) async fn ask_each<T>(
		&self,
		path: &str,
		judge: impl Fn(StatusCode, &str) -> Step<T>,
	) -> Asked<T> {
		let mut failure = None;
		for entry in &self.addresses {
			let mut fields = entry.split(' ');
			let (bridge, token) = (fields.next().unwrap_or_default().to_string(), fields.next());
			let (status, body) =
				match tokio::time::timeout(ANSWER_TIMEOUT, get(&bridge, token, path)).await {
					Ok(Ok(answer)) => answer,
					Ok(Err(reason)) => {
						failure.get_or_insert(Asked::Unavailable { bridge, reason });
						continue;
					}
					Err(_) => {
						let reason =
							format!("it did not answer within {} s", ANSWER_TIMEOUT.as_secs());
						failure.get_or_insert(Asked::Unavailable { bridge, reason });
						continue;
					}
				};
			if status == StatusCode::NOT_FOUND {
				continue;
			}
			match judge(status, &body) {
				Step::Done(value) => return Asked::Done { bridge, value },
				Step::Failed(reason) => {
					failure.get_or_insert(Asked::Unavailable { bridge, reason: shown(reason) });
				}
				Step::Refused(reason) => {
					return Asked::Unavailable { bridge, reason: shown(reason) }
				}
			}
		}
		failure.unwrap_or(Asked::NotRead)
	}
}

/// `reason` cut to [`REASON_CHARS`] characters, so that what a bridge says cannot make a page
/// long.
fn shown(reason: String) -> String {
	match reason.char_indices().nth(REASON_CHARS) {
		Some((cut, _)) => format!("{}…", &reason[..cut]),
		None => reason,
	}
}

/// A bridge's `/forecast` answer: the genesis of its chain and the day's forecast.
fn read_forecast(body: &str) -> Result<(String, DayForecast), String> {
	let served: Served = serde_json::from_str(body).map_err(|error| error.to_string())?;
	let hours = served
		.forecast
		.hours
		.iter()
		.map(|hour| {
			let start = DateTime::parse_from_rfc3339(&hour.start)
				.map_err(|error| format!("hour {:?}: {error}", hour.start))?;
			Ok((start.timestamp_millis(), hour.energy))
		})
		.collect::<Result<_, String>>()?;
	// Every hour's bounds lie as far from its forecast: the first hour with both tells.
	let half_width = served
		.forecast
		.hours
		.iter()
		.find_map(|hour| Some(hour.high? - hour.energy?))
		.filter(|wh| wh.is_finite() && *wh >= 0.0);
	let hour_interval = match (served.forecast.confidence, half_width) {
		(Some(confidence), Some(wh)) if confidence > 0.0 && confidence < 1.0 => {
			Some(HourInterval { confidence_percent: confidence * 100.0, kwh: wh / 1000.0 })
		}
		_ => None,
	};
	let sources: Option<Vec<&str>> =
		served.forecast.hours.iter().map(|hour| hour.temperature_source.as_deref()).collect();
	let temperatures = sources.map(|sources| TemperatureSources {
		forecast: sources.iter().filter(|source| **source == "forecast").count() as u32,
		hours: sources.len() as u32,
	});
	let forecast = DayForecast {
		day: served.forecast.day,
		hours,
		cv_rmse: served.forecast.model.statistics.cv_rmse,
		hour_interval,
		temperatures,
	};
	Ok((served.genesis, forecast))
}

/// Each period's forecast from the hours (start ms, Wh) that cover it, pro rata to the time
/// they share; `None` where the hours do not cover it all.
pub fn overlay(periods: &mut [UsePoint], period_ms: u64, hours: &[(i64, Option<f64>)]) {
	let period_ms = i64::try_from(period_ms).unwrap_or(i64::MAX);
	for point in periods {
		let start = i64::try_from(point.start_ms).unwrap_or(i64::MAX);
		let end = start.saturating_add(period_ms);
		let (mut wh, mut covered) = (0.0, 0);
		for (hour, energy) in hours {
			let shared = end.min(hour + HOUR_MS) - start.max(*hour);
			if let (true, Some(energy)) = (shared > 0, energy) {
				wh += energy * shared as f64 / HOUR_MS as f64;
				covered += shared;
			}
		}
		point.forecast_kwh = (covered == period_ms).then_some(wh / 1000.0);
	}
}

/// `GET path` from the bridge at `address`: the status and the body as text.
async fn get(
	address: &str,
	token: Option<&str>,
	path: &str,
) -> Result<(StatusCode, String), String> {
	let unreachable = |error: &dyn std::fmt::Display| format!("cannot reach it: {error}");
	let stream = TcpStream::connect(address).await.map_err(|e| unreachable(&e))?;
	let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
		.await
		.map_err(|e| unreachable(&e))?;
	tokio::spawn(connection);
	let mut request = Request::get(path).header("host", address);
	if let Some(token) = token {
		request = request.header("authorization", format!("Bearer {token}"));
	}
	let request = request.body(Empty::<Bytes>::new()).map_err(|e| e.to_string())?;
	let response = sender.send_request(request).await.map_err(|e| unreachable(&e))?;
	let status = response.status();
	// Frame by frame into one buffer: a thousand one-byte chunks cost a thousand bytes.
	let mut body = response.into_body();
	let mut bytes = Vec::new();
	while let Some(frame) = body.frame().await {
		let Ok(data) = frame.map_err(|e| unreachable(&e))?.into_data() else { continue };
		if bytes.len() + data.len() > ANSWER_LIMIT {
			return Err(format!("its answer is longer than {} MiB", ANSWER_LIMIT >> 20));
		}
		bytes.extend_from_slice(&data);
	}
	Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

impl AppState {
	/// Site `id`'s page over `window`, with its bridge's forecast on the interval chart;
	/// `None` if the chain has no such site.
	pub async fn building_detail(&self, id: u32, window: Window) -> Option<BuildingDetail> {
		let campus = self.chain.campus();
		let mut detail = campus.building_detail(id, window, self.chain.status())?;
		let genesis =
			self.chain.client().map(|client| format!("0x{}", hex::encode(client.genesis_hash().0)));
		detail.forecast = self
			.bridges
			.forecast_periods(id, &mut detail.periods, campus.period_ms, genesis.as_deref())
			.await;
		Some(detail)
	}
}

#[cfg(test)]
pub(crate) mod tests;
