// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use parking_lot::Mutex;
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};

use super::*;

pub(crate) const GENESIS: &str =
	"0x0101010101010101010101010101010101010101010101010101010101010101";
/// 2026-11-27 00:00 UTC.
const MIDNIGHT_MS: i64 = 1_795_737_600_000;

/// A day's forecast as `meter-bridge` serves it at `/forecast`, its hours on `offset`
/// (`+01:00`) and each hour's use 1000 Wh times its hour of day (none for hour 5).
fn served(day: &str, offset: &str) -> String {
	let hours: Vec<_> = (0..24)
		.map(|hour| {
			serde_json::json!({
				"start": format!("{day}T{hour:02}:00:00{offset}"),
				"temperature": 4.5,
				"temperature_source": "persistence",
				"energy": (hour != 5).then_some(1000.0 * f64::from(hour)),
				"low": (hour != 5).then_some(1000.0 * f64::from(hour) - 600.0),
				"high": (hour != 5).then_some(1000.0 * f64::from(hour) + 600.0),
			})
		})
		.collect();
	serde_json::json!({
		"genesis": GENESIS,
		"site": "building-00",
		"chain_site": 7,
		"time_zone": "Europe/Berlin",
		"forecast": {
			"day": day,
			"hours": hours,
			"total": 275_000.0,
			"confidence": 0.9,
			"model": {
				"segmentation": "single",
				"segments": [],
				"statistics": { "observations": 400, "parameters": 190, "r_squared": 0.9, "cv_rmse": 0.125, "nmbe": 0.0 }
			}
		}
	})
	.to_string()
}

/// A bridge's HTTP server on a free port answering each path with `answer`; it records the
/// paths asked.
pub(crate) async fn bridge(answer: fn(&str) -> (u16, String)) -> (String, Arc<Mutex<Vec<String>>>) {
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let address = listener.local_addr().unwrap().to_string();
	let asked = Arc::new(Mutex::new(Vec::new()));
	let log = asked.clone();
	tokio::spawn(async move {
		loop {
			let (mut stream, _) = listener.accept().await.unwrap();
			let mut head = Vec::new();
			let mut byte = [0u8; 1];
			while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap() == 1 {
				head.push(byte[0]);
			}
			let head = String::from_utf8_lossy(&head).into_owned();
			let path = head.split(' ').nth(1).unwrap_or_default().to_string();
			log.lock().push(path.clone());
			let (status, body) = answer(&path);
			let response = format!(
				"HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
				body.len()
			);
			// The portal may stop reading an answer it finds too long.
			let _ = stream.write_all(response.as_bytes()).await;
		}
	});
	(address, asked)
}

pub(crate) fn not_found(_: &str) -> (u16, String) {
	(404, "this bridge reads no such site\n".into())
}

fn point(start_ms: i64) -> UsePoint {
	UsePoint {
		start_ms: start_ms as u64,
		label: String::new(),
		actual_kwh: None,
		complete: false,
		forecast_kwh: None,
		baseline_kwh: None,
		contract_kwh: None,
	}
}

#[test]
fn each_period_gets_its_share_of_the_hours_that_cover_it() {
	let quarter = 900_000;
	// Hours starting at half past, as on a clock half an hour off UTC; the last unknown.
	let hours =
		[(MIDNIGHT_MS + 1_800_000, Some(4_000.0)), (MIDNIGHT_MS + 5_400_000, Some(8_000.0))];
	let unknown = [(MIDNIGHT_MS + 9_000_000, None)];
	let all: Vec<_> = hours.iter().chain(&unknown).copied().collect();
	let mut periods: Vec<UsePoint> = (0..12).map(|i| point(MIDNIGHT_MS + i * quarter)).collect();
	overlay(&mut periods, quarter as u64, &all);
	let forecast: Vec<_> = periods.iter().map(|p| p.forecast_kwh).collect();
	assert_eq!(
		forecast,
		[None, None, Some(1.0), Some(1.0), Some(1.0), Some(1.0), Some(2.0), Some(2.0), Some(2.0)]
			.into_iter()
			.chain([Some(2.0), None, None])
			.collect::<Vec<_>>()
	);
	// A period across two hours takes a part of each.
	let mut straddling = [point(MIDNIGHT_MS + 5_400_000 - 450_000)];
	overlay(&mut straddling, quarter as u64, &all);
	assert_eq!(straddling[0].forecast_kwh, Some(0.5 + 1.0));
}

#[test]
fn a_bridge_address_is_host_and_port() {
	assert_eq!(bridge_address("127.0.0.1:9100").unwrap(), "127.0.0.1:9100");
	assert_eq!(bridge_address("http://bridge.campus:9100/").unwrap(), "bridge.campus:9100");
	assert!(bridge_address("https://bridge:9100").unwrap_err().contains("plain HTTP"));
	assert!(bridge_address("bridge").unwrap_err().contains("host:port"));
	assert!(bridge_address("bridge:http").is_err());
	assert!(bridge_address("http://bridge:9100/forecast").is_err());
}

#[tokio::test]
async fn the_first_bridge_that_reads_the_site_forecasts_it_and_is_asked_once() {
	let (elsewhere, asked_elsewhere) = bridge(not_found).await;
	let (reads, asked) = bridge(|path| {
		if path.ends_with("&day=2026-11-26") {
			(200, served("2026-11-26", "+01:00"))
		} else {
			(200, served("2026-11-27", "+01:00"))
		}
	})
	.await;
	let bridges = Bridges::new(vec![elsewhere.clone(), reads.clone()]);
	// The last 24 hours up to 2026-11-27 10:00 UTC, 11:00 in Berlin.
	let quarter = 900_000;
	let first = MIDNIGHT_MS + 10 * HOUR_MS - 24 * HOUR_MS + quarter;
	let mut periods: Vec<UsePoint> = (0..96).map(|i| point(first + i * quarter)).collect();
	let status = bridges.forecast_periods(7, &mut periods, quarter as u64, Some(GENESIS)).await;
	assert_eq!(
		status,
		ForecastStatus::Shown {
			bridge: reads.clone(),
			days: vec!["2026-11-26".into(), "2026-11-27".into()],
			cv_rmse_percent: Some(12.5),
			hour_interval: Some(HourInterval { confidence_percent: 90.0, kwh: 0.6 }),
			temperatures: Some(TemperatureSources { forecast: 0, hours: 24 }),
		}
	);
	// 2026-11-27 10:00 UTC is 11:00 in Berlin: 11 000 Wh in the hour, a quarter a period.
	assert_eq!(periods[95].forecast_kwh, Some(2.75));
	// 2026-11-26 10:15 UTC is 11:15 the day before.
	assert_eq!(periods[0].forecast_kwh, Some(2.75));
	// 04:00 UTC is 05:00 in Berlin, an hour the model never saw.
	let unseen = periods.iter().find(|p| p.start_ms as i64 == MIDNIGHT_MS + 4 * HOUR_MS).unwrap();
	assert_eq!(unseen.forecast_kwh, None);
	assert_eq!(*asked.lock(), ["/forecast?chain_site=7", "/forecast?chain_site=7&day=2026-11-26"]);
	assert_eq!(asked_elsewhere.lock().len(), 2);

	// The next page asks no one: the answers are kept.
	bridges.forecast_periods(7, &mut periods, quarter as u64, Some(GENESIS)).await;
	assert_eq!(asked.lock().len(), 2);
	assert_eq!(asked_elsewhere.lock().len(), 2);
}

#[tokio::test]
async fn a_site_no_bridge_can_forecast_says_why() {
	let (elsewhere, _) = bridge(not_found).await;
	let (young, _) = bridge(|_| {
		(422, "not enough data yet: there is no history before 2026-11-27\n".to_string())
	})
	.await;
	let mut periods = vec![point(MIDNIGHT_MS)];
	let status = Bridges::new(vec![elsewhere.clone(), young.clone()])
		.forecast_periods(7, &mut periods, 900_000, Some(GENESIS))
		.await;
	assert_eq!(
		status,
		ForecastStatus::Unavailable {
			bridge: young,
			reason: "not enough data yet: there is no history before 2026-11-27".into(),
		}
	);
	assert_eq!(periods[0].forecast_kwh, None);

	let status = Bridges::new(vec![elsewhere.clone()])
		.forecast_periods(7, &mut periods, 900_000, Some(GENESIS))
		.await;
	assert_eq!(status, ForecastStatus::NotRead);
	let status =
		Bridges::new(Vec::new()).forecast_periods(7, &mut periods, 900_000, Some(GENESIS)).await;
	assert_eq!(status, ForecastStatus::NoBridge);

	// A bridge that is down may be the one that reads the site: the page says so.
	let down = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().to_string();
	let status = Bridges::new(vec![down.clone(), elsewhere.clone()])
		.forecast_periods(7, &mut periods, 900_000, Some(GENESIS))
		.await;
	let ForecastStatus::Unavailable { bridge: asked, reason } = status else {
		panic!("{status:?}")
	};
	assert_eq!(asked, down);
	assert!(reason.starts_with("cannot reach it: "), "{reason}");

	// A bridge of another chain has other sites under the same numbers.
	let (other_chain, _) = bridge(|_| (200, served("2026-11-27", "+01:00"))).await;
	let answer = Bridges::new(vec![other_chain]).forecast(7, None, Some("0x02")).await;
	let Answer::Unavailable { reason, .. } = answer else { panic!("{answer:?}") };
	assert!(reason.contains("another chain"), "{reason}");

	let (garbled, _) = bridge(|_| (200, "{\"genesis\": 1}".to_string())).await;
	let answer = Bridges::new(vec![garbled]).forecast(7, None, None).await;
	let Answer::Unavailable { reason, .. } = answer else { panic!("{answer:?}") };
	assert!(reason.starts_with("its forecast is unreadable"), "{reason}");
}

#[tokio::test]
async fn a_bridge_cannot_make_the_portal_read_or_show_more_than_a_forecast_needs() {
	let (flooding, _) = bridge(|_| (200, " ".repeat(ANSWER_LIMIT + 1))).await;
	let answer = Bridges::new(vec![flooding.clone()]).forecast(7, None, None).await;
	assert_eq!(
		answer,
		Answer::Unavailable { bridge: flooding, reason: "its answer is longer than 1 MiB".into() }
	);
	// One as long as allowed is read, and judged on what it says; what a page shows of a
	// bridge's reason is cut short.
	let (verbose, _) = bridge(|_| (200, "é".repeat(ANSWER_LIMIT / 2))).await;
	let answer = Bridges::new(vec![verbose]).forecast(7, None, None).await;
	let Answer::Unavailable { reason, .. } = answer else { panic!("{answer:?}") };
	assert!(reason.starts_with("its forecast is unreadable"), "{reason}");
	let (failing, _) = bridge(|_| (500, "é".repeat(10_000))).await;
	let answer = Bridges::new(vec![failing]).forecast(7, None, None).await;
	let Answer::Unavailable { reason, .. } = answer else { panic!("{answer:?}") };
	let said = "it answered 500 Internal Server Error: ";
	assert_eq!(reason, format!("{said}{}…", "é".repeat(REASON_CHARS - said.len())));
	let (refusing, _) = bridge(|_| (422, "é".repeat(10_000))).await;
	let answer = Bridges::new(vec![refusing]).forecast(7, None, None).await;
	let Answer::Unavailable { reason, .. } = answer else { panic!("{answer:?}") };
	assert_eq!(reason, format!("{}…", "é".repeat(REASON_CHARS)));
}

#[test]
fn an_hours_interval_is_shown_only_as_a_bridge_states_it() {
	let (_, forecast) = read_forecast(&served("2026-11-27", "+01:00")).unwrap();
	assert_eq!(forecast.hour_interval, Some(HourInterval { confidence_percent: 90.0, kwh: 0.6 }));
	// A bridge from before intervals serves neither confidence nor bounds.
	let older = served("2026-11-27", "+01:00").replace(r#""confidence":0.9,"#, "");
	assert!(!older.contains("confidence"), "{older}");
	assert_eq!(read_forecast(&older).unwrap().1.hour_interval, None);
	// A confidence that is no probability, or bounds below the forecast, show nothing.
	let certain =
		served("2026-11-27", "+01:00").replace(r#""confidence":0.9"#, r#""confidence":1.0"#);
	assert_eq!(read_forecast(&certain).unwrap().1.hour_interval, None);
	let inverted = served("2026-11-27", "+01:00").replace(r#""high":600.0"#, r#""high":-600.0"#);
	assert_eq!(read_forecast(&inverted).unwrap().1.hour_interval, None);
}

#[test]
fn a_forecast_says_how_many_hours_took_the_oracles_temperature() {
	let served = served("2026-11-27", "+01:00");
	let (_, forecast) = read_forecast(&served).unwrap();
	assert_eq!(forecast.temperatures, Some(TemperatureSources { forecast: 0, hours: 24 }));
	let some = served.replacen(
		r#""temperature_source":"persistence""#,
		r#""temperature_source":"forecast""#,
		7,
	);
	let (_, forecast) = read_forecast(&some).unwrap();
	assert_eq!(forecast.temperatures, Some(TemperatureSources { forecast: 7, hours: 24 }));
	// A bridge that does not say where its temperatures came from: nothing is claimed.
	let mut older: serde_json::Value = serde_json::from_str(&served).unwrap();
	for hour in older["forecast"]["hours"].as_array_mut().unwrap() {
		hour.as_object_mut().unwrap().remove("temperature_source");
	}
	let older = older.to_string();
	assert!(!older.contains("temperature_source"), "{older}");
	assert_eq!(read_forecast(&older).unwrap().1.temperatures, None);
}
