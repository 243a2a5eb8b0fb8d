//! The simulated campus's market and weather feeds, served over HTTP in the JSON shapes public
//! services use, so a node's oracle worker reads them as it would the real ones: hourly outdoor
//! temperature as Open-Meteo serves it (`/temperature`, observed hours; `/temperature-forecast`,
//! the forecast issued this hour), day-ahead prices as Energy-Charts serves them (`/price`,
//! EUR/MWh) and grid carbon intensity in Energy-Charts' `co2eq` shape (`/carbon`, g/kWh).
//!
//! Every value follows from the campus's seed and the hour, like its meters: the temperature is
//! the hourly mean of what the campus's sensors read, and prices and carbon fall when its panels
//! see the sun. The forecast is that temperature with an error that grows with the lead (about
//! ±0.25 °C times the square root of the hours ahead) and changes with every hour's issue, as a
//! weather service's revisions do. Each list runs from the start of yesterday to the end of
//! tomorrow (UTC).

use super::{mix, sun, unit, Campus, DAY_MINUTES};
use anyhow::Context as _;
use http_body_util::Full;
use hyper::{
	body::{Bytes, Incoming},
	server::conn::http1,
	service::service_fn,
	Method, Request, Response, StatusCode,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Semaphore};

/// Connections served at once; more wait.
const MAX_CONNECTIONS: usize = 16;
/// How long a connection may last, and how long a request's head may take.
const CONNECTION_DEADLINE: Duration = Duration::from_secs(10);
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// Minutes in an hour.
const HOUR_MINUTES: u64 = 60;

/// Which feed a path serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feed {
	Temperature,
	Price,
	Carbon,
	TemperatureForecast,
}

impl Feed {
	pub const ALL: [Feed; 4] =
		[Feed::Temperature, Feed::Price, Feed::Carbon, Feed::TemperatureForecast];

	pub fn path(self) -> &'static str {
		match self {
			Feed::Temperature => "/temperature",
			Feed::Price => "/price",
			Feed::Carbon => "/carbon",
			Feed::TemperatureForecast => "/temperature-forecast",
		}
	}

	fn of_path(path: &str) -> Option<Feed> {
		Feed::ALL.into_iter().find(|feed| feed.path() == path)
	}

	/// The oracle's name for what the feed carries.
	fn oracle_kind(self) -> &'static str {
		match self {
			Feed::Temperature => "OutdoorTemperature",
			Feed::Price => "MarketPrice",
			Feed::Carbon => "CarbonIntensity",
			Feed::TemperatureForecast => "TemperatureForecast",
		}
	}

	/// JSON pointers to the list of hour starts (Unix seconds) and to the values, as the
	/// public service's shape has them.
	fn pointers(self) -> (&'static str, &'static str) {
		match self {
			Feed::Temperature | Feed::TemperatureForecast => {
				("/hourly/time", "/hourly/temperature_2m")
			}
			Feed::Price => ("/unix_seconds", "/price"),
			Feed::Carbon => ("/unix_seconds", "/co2eq"),
		}
	}

	/// What the oracle multiplies a served value by to store it: tenths of a °C, EUR/MWh in
	/// thousandths, whole g/kWh.
	fn scale(self) -> u32 {
		match self {
			Feed::Temperature | Feed::TemperatureForecast => 10,
			Feed::Price => 1_000,
			Feed::Carbon => 1,
		}
	}
}

/// `document` with `value` at `pointer`, the objects on the way made as needed.
fn insert_at(document: &mut serde_json::Value, pointer: &str, value: serde_json::Value) {
	let mut place = document;
	for key in pointer.trim_start_matches('/').split('/') {
		if !place.is_object() {
			*place = serde_json::json!({});
		}
		place = &mut place[key];
	}
	*place = value;
}

impl Campus {
	/// Mean outdoor temperature over hour `hour` (hours since the epoch), °C.
	pub fn hourly_temperature(&self, hour: u64) -> f64 {
		let first = hour * HOUR_MINUTES;
		let sum: f64 = (first..first + HOUR_MINUTES).map(|m| self.outdoor_temperature(m)).sum();
		sum / HOUR_MINUTES as f64
	}

	/// The outdoor temperature of hour `hour` as forecast at the start of hour `issued`, °C:
	/// the hour's mean with an error of up to ±0.25 °C × √(hours ahead), fresh with each issue.
	/// Hours that have begun by the issue are forecast without error.
	pub fn forecast_temperature(&self, hour: u64, issued: u64) -> f64 {
		let lead = hour.saturating_sub(issued) as f64;
		let draw =
			unit(mix(self.seed ^ issued.wrapping_mul(0x2545_F491_4F6C_DD1D), u64::MAX - 3, hour));
		self.hourly_temperature(hour) + (draw - 0.5) * 0.5 * lead.sqrt()
	}

	/// The day-ahead price of hour `hour`, EUR/MWh to the cent: dear in the morning and evening
	/// peaks, cheap at night and when the sun shines.
	pub fn market_price(&self, hour: u64) -> f64 {
		let minute = hour * HOUR_MINUTES + HOUR_MINUTES / 2;
		let local = (hour + 1) % 24;
		let peak = |at: f64, height: f64| height * (-((local as f64 - at).powi(2)) / 4.0).exp();
		let noise = (unit(mix(self.seed, u64::MAX - 1, hour)) - 0.5) * 16.0;
		let price = 80.0 + peak(8.0, 25.0) + peak(19.0, 40.0) - 45.0 * sun(minute) + noise;
		(price * 100.0).round() / 100.0
	}

	/// The grid's carbon intensity in hour `hour`, g/kWh: coal and gas at night and in the
	/// evening, solar at noon.
	pub fn carbon_intensity(&self, hour: u64) -> f64 {
		let minute = hour * HOUR_MINUTES + HOUR_MINUTES / 2;
		let local = (hour + 1) % 24;
		let evening = 60.0 * (-((local as f64 - 19.0).powi(2)) / 6.0).exp();
		let noise = (unit(mix(self.seed, u64::MAX - 2, hour)) - 0.5) * 40.0;
		(380.0 + evening - 160.0 * sun(minute) + noise).round()
	}

	/// `feed`'s JSON from the start of yesterday to the end of tomorrow, around `now_ms`.
	pub fn feed_json(&self, feed: Feed, now_ms: u64) -> String {
		let today = now_ms / 60_000 / DAY_MINUTES * (DAY_MINUTES / HOUR_MINUTES);
		let issued = now_ms / 60_000 / HOUR_MINUTES;
		let hours: Vec<u64> = (today.saturating_sub(24)..today + 48).collect();
		let starts: Vec<u64> = hours.iter().map(|hour| hour * 3_600).collect();
		let values = |value: &dyn Fn(u64) -> f64| -> Vec<f64> {
			hours.iter().map(|hour| value(*hour)).collect()
		};
		let served: Vec<f64> = match feed {
			Feed::Temperature => {
				values(&|hour| (self.hourly_temperature(hour) * 10.0).round() / 10.0)
			}
			Feed::TemperatureForecast => {
				values(&|hour| (self.forecast_temperature(hour, issued) * 10.0).round() / 10.0)
			}
			Feed::Price => values(&|hour| self.market_price(hour)),
			Feed::Carbon => values(&|hour| self.carbon_intensity(hour)),
		};
		let mut document = match feed {
			Feed::Temperature | Feed::TemperatureForecast => serde_json::json!({
				"hourly_units": { "time": "unixtime", "temperature_2m": "°C" },
			}),
			Feed::Price => serde_json::json!({ "unit": "EUR / MWh" }),
			Feed::Carbon => serde_json::json!({ "unit": "g/kWh" }),
		};
		let (times, values) = feed.pointers();
		insert_at(&mut document, times, serde_json::json!(starts));
		insert_at(&mut document, values, serde_json::json!(served));
		document.to_string()
	}

	/// The oracle sources (`--oracle-sources` of the node) that read this campus's feeds
	/// served at `address`, for the campus's region.
	pub fn oracle_sources(&self, address: SocketAddr) -> String {
		let base = format!("http://{address}");
		let region = super::REGION;
		let sources: Vec<serde_json::Value> = Feed::ALL
			.into_iter()
			.map(|feed| {
				let (times, values) = feed.pointers();
				serde_json::json!({
					"kind": feed.oracle_kind(),
					"region": region,
					"url": format!("{base}{}", feed.path()),
					"times": times,
					"values": values,
					"scale": feed.scale(),
					"interval_secs": 3_600,
					// A fresh chain takes the served day and a half in batches of 128 values,
					// one batch per fetch: every other block catches up within a minute or two.
					"every_blocks": 2,
				})
			})
			.collect();
		let sources = serde_json::Value::Array(sources);
		format!("{sources:#}\n")
	}
}

/// Serves `campus`'s feeds on `listener` at the times `clock` gives, until the task is dropped.
pub async fn serve(
	campus: Arc<Campus>,
	listener: TcpListener,
	clock: fn() -> u64,
) -> anyhow::Result<()> {
	let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
	loop {
		let (stream, _) = listener.accept().await.context("the feed server stopped")?;
		let Ok(slot) = slots.clone().acquire_owned().await else { return Ok(()) };
		let campus = campus.clone();
		tokio::spawn(async move {
			let service = service_fn(move |request| {
				let response = answer(&campus, &request, clock());
				async move { Ok::<_, Infallible>(response) }
			});
			let connection = http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(HEAD_DEADLINE)
				.serve_connection(TokioIo::new(stream), service);
			// A client that holds its connection open loses it at the deadline.
			let _ = tokio::time::timeout(CONNECTION_DEADLINE, connection).await;
			drop(slot);
		});
	}
}

fn answer(campus: &Campus, request: &Request<Incoming>, now_ms: u64) -> Response<Full<Bytes>> {
	let reply = |status: StatusCode, kind: &str, body: String| {
		let mut response = Response::new(Full::new(Bytes::from(body)));
		*response.status_mut() = status;
		if let Ok(value) = kind.parse() {
			response.headers_mut().insert(hyper::header::CONTENT_TYPE, value);
		}
		response
	};
	if request.method() != Method::GET {
		return reply(StatusCode::METHOD_NOT_ALLOWED, "text/plain", "only GET\n".into());
	}
	match Feed::of_path(request.uri().path()) {
		Some(feed) => reply(StatusCode::OK, "application/json", campus.feed_json(feed, now_ms)),
		None => reply(
			StatusCode::NOT_FOUND,
			"text/plain",
			"feeds: /temperature, /temperature-forecast, /price, /carbon\n".into(),
		),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// 2026-12-03T00:00:00Z.
	const DAY: u64 = 1_796_256_000_000;

	fn series(json: &str, times: &str, values: &str) -> Vec<(u64, f64)> {
		let document: serde_json::Value = serde_json::from_str(json).unwrap();
		let times = document.pointer(times).unwrap().as_array().unwrap();
		let values = document.pointer(values).unwrap().as_array().unwrap();
		times.iter().zip(values).map(|(t, v)| (t.as_u64().unwrap(), v.as_f64().unwrap())).collect()
	}

	#[test]
	fn each_feed_runs_hourly_from_yesterday_to_the_end_of_tomorrow() {
		let campus = Campus::new(3, 2, DAY);
		let paths = [
			(Feed::Temperature, "/hourly/time", "/hourly/temperature_2m"),
			(Feed::Price, "/unix_seconds", "/price"),
			(Feed::Carbon, "/unix_seconds", "/co2eq"),
			(Feed::TemperatureForecast, "/hourly/time", "/hourly/temperature_2m"),
		];
		for (feed, times, values) in paths {
			let hours = series(&campus.feed_json(feed, DAY + 13 * 3_600_000), times, values);
			assert_eq!(hours.len(), 72, "{feed:?}");
			assert_eq!(hours[0].0, DAY / 1_000 - 86_400, "{feed:?}");
			assert!(hours.windows(2).all(|pair| pair[1].0 == pair[0].0 + 3_600), "{feed:?}");
		}
	}

	#[test]
	fn temperatures_are_the_hourly_means_of_the_campus_sensors() {
		let campus = Campus::new(3, 2, DAY);
		let json = campus.feed_json(Feed::Temperature, DAY);
		let hours = series(&json, "/hourly/time", "/hourly/temperature_2m");
		let (start, served) = hours[30];
		let minute = start / 60;
		let mean = (minute..minute + 60).map(|m| campus.outdoor_temperature(m)).sum::<f64>() / 60.0;
		assert!((served - mean).abs() <= 0.05, "{served} against {mean}");
	}

	#[test]
	fn the_forecast_errs_more_the_further_ahead_and_is_revised_each_hour() {
		let campus = Campus::new(3, 2, DAY);
		let issued = DAY / 3_600_000 + 6;
		let error = |lead: u64, issued: u64| {
			let hour = issued + lead;
			campus.forecast_temperature(hour, issued) - campus.hourly_temperature(hour)
		};
		assert_eq!(error(0, issued), 0.0);
		let mean_error = |lead: u64| {
			(0..200).map(|issue| error(lead, issued + issue).abs()).sum::<f64>() / 200.0
		};
		// Uniform on ±0.25 √lead: a mean magnitude of 0.125 √lead.
		let (near, far) = (mean_error(1), mean_error(36));
		assert!((0.09..=0.16).contains(&near), "{near}");
		assert!((0.6..=0.9).contains(&far), "{far}");
		// Each hour's issue revises the hours ahead.
		assert_ne!(error(12, issued), error(11, issued + 1));
		let json = campus.feed_json(Feed::TemperatureForecast, issued * 3_600_000);
		let hours = series(&json, "/hourly/time", "/hourly/temperature_2m");
		let (start, served) =
			hours.iter().find(|(start, _)| *start == (issued + 10) * 3_600).unwrap();
		let expected = campus.forecast_temperature(start / 3_600, issued);
		assert!((served - expected).abs() <= 0.05, "{served} against {expected}");
	}

	#[test]
	fn prices_and_carbon_fall_when_the_sun_shines_and_stay_plausible() {
		let campus = Campus::new(3, 2, DAY);
		let hour = DAY / 3_600_000;
		// 12:00 UTC against 19:00 UTC, the evening peak (20:00 in Munich).
		assert!(campus.market_price(hour + 12) < campus.market_price(hour + 18));
		assert!(campus.carbon_intensity(hour + 12) < campus.carbon_intensity(hour + 18));
		for hour in hour..hour + 24 * 7 {
			assert!((-100.0..=300.0).contains(&campus.market_price(hour)));
			assert!((0.0..=2_000.0).contains(&campus.carbon_intensity(hour)));
			assert!((-90.0..=60.0).contains(&campus.hourly_temperature(hour)));
		}
		// The same seed and hour give the same values.
		assert_eq!(Campus::new(3, 5, 0).market_price(hour), campus.market_price(hour));
	}

	#[test]
	fn the_oracle_sources_read_the_served_feeds() {
		let campus = Campus::new(3, 2, DAY);
		let sources: serde_json::Value =
			serde_json::from_str(&campus.oracle_sources("127.0.0.1:9200".parse().unwrap()))
				.unwrap();
		let sources = sources.as_array().unwrap();
		assert_eq!(sources.len(), 4);
		for source in sources {
			let url = source["url"].as_str().unwrap();
			let path = url.strip_prefix("http://127.0.0.1:9200").unwrap();
			let feed = Feed::of_path(path).unwrap();
			let json = campus.feed_json(feed, DAY);
			let times = source["times"].as_str().unwrap();
			let values = source["values"].as_str().unwrap();
			assert_eq!(series(&json, times, values).len(), 72, "{url}");
			assert_eq!(source["region"], super::super::REGION);
		}
	}
}
