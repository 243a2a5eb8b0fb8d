use crate::{
	sources::{parse_sources, FeedSource, ResponseError, SourceError, DEFAULT_EVERY_BLOCKS},
	types::FeedKind,
};

/// 15 minutes.
const PERIOD_MS: u64 = 900_000;

fn price_source() -> FeedSource {
	FeedSource {
		kind: FeedKind::MarketPrice,
		region: "DE-LU".into(),
		url: "https://api.energy-charts.info/price?bzn=DE-LU".into(),
		values: "/price".into(),
		times: Some("/unix_seconds".into()),
		scale: 1000.0,
		interval_secs: None,
		every_blocks: DEFAULT_EVERY_BLOCKS,
	}
}

#[test]
fn parses_a_list_of_sources_with_defaults() {
	let json = br#"[
		{ "kind": "MarketPrice", "region": "DE-LU",
		  "url": "https://api.energy-charts.info/price?bzn=DE-LU",
		  "times": "/unix_seconds", "values": "/price", "scale": 1000 },
		{ "kind": "OutdoorTemperature", "region": "DE-BE", "url": "http://127.0.0.1:8080/now",
		  "values": "/current/temperature_2m", "scale": 10, "every_blocks": 50 }
	]"#;
	let sources = parse_sources(json).unwrap();
	assert_eq!(sources[0], price_source());
	assert_eq!(sources[1].times, None);
	assert_eq!(sources[1].every_blocks, 50);
}

#[test]
fn names_the_source_and_field_that_cannot_work() {
	let with = |field: &str, value: &str| {
		let mut source = serde_json::to_value(price_source()).unwrap();
		source[field] = serde_json::from_str(value).unwrap();
		let json = format!("[{}, {source}]", serde_json::to_string(&price_source()).unwrap());
		parse_sources(json.as_bytes()).unwrap_err()
	};
	let field = |field, value: &str| {
		let SourceError::Field { source, field: named, problem: said } = with(field, value) else {
			panic!("not a field error")
		};
		assert_eq!((source, named), (2, field));
		said
	};
	assert!(field("region", r#""DE BE""#).contains("ASCII"));
	assert!(field("region", r#""ABCDEFGHIJKLMNOPQ""#).contains("1-16"));
	assert!(field("url", r#""ftp://example.org""#).contains("http"));
	assert!(field("values", r#""price""#).contains("pointer"));
	assert!(field("times", r#""unix""#).contains("pointer"));
	assert!(field("scale", "0").contains("other than 0"));
	assert!(field("interval_secs", "86401").contains("86400"));
	assert!(field("every_blocks", "0").contains("at least 1"));

	let message = with("kind", r#""Humidity""#).to_string();
	assert!(message.starts_with("not a JSON list of feed sources: unknown variant"), "{message}");
	let message = with("scael", "10").to_string();
	assert!(message.contains("unknown field `scael`"), "{message}");
	let message = SourceError::Field { source: 2, field: "url", problem: "p" }.to_string();
	assert_eq!(message, "feed source 2, field `url`: p");
}

#[test]
fn a_series_fills_the_periods_its_values_cover() {
	// Two hourly temperatures from 10:00 on 2026-11-26 (1 795 687 200 s): 4.26 °C and −0.35 °C,
	// then a missing hour. Each hour covers four 15-minute periods; 4.26 °C × 10 = 42.6 rounds
	// to 43 and −3.5 rounds away from zero to −4.
	let ten = 1_795_687_200u64;
	let source = FeedSource {
		kind: FeedKind::OutdoorTemperature,
		interval_secs: Some(3_600),
		scale: 10.0,
		values: "/hourly/temperature_2m".into(),
		times: Some("/hourly/time".into()),
		..price_source()
	};
	let body = format!(
		r#"{{"hourly":{{"time":[{ten},{},{}],"temperature_2m":[4.26,-0.35,null]}}}}"#,
		ten + 3_600,
		ten + 7_200
	);
	let first = (ten * 1_000 / PERIOD_MS) as u32;
	let all = source.read_response(body.as_bytes(), PERIOD_MS, first + 12, 0..=u32::MAX).unwrap();
	let expected: Vec<_> =
		(0..4).map(|i| (first + i, 43)).chain((4..8).map(|i| (first + i, -4))).collect();
	assert_eq!(all, expected);

	// Only periods in the range asked for.
	let some = source.read_response(body.as_bytes(), PERIOD_MS, first + 12, first + 3..=first + 4);
	assert_eq!(some.unwrap(), vec![(first + 3, 43), (first + 4, -4)]);
}

#[test]
fn a_single_number_is_the_current_price_or_the_last_observation() {
	let price = FeedSource { times: None, values: "/now".into(), ..price_source() };
	let body = br#"{"now": 91.25}"#;
	assert_eq!(price.read_response(body, PERIOD_MS, 500, 0..=1_000).unwrap(), vec![(500, 91_250)]);
	let temperature = FeedSource { kind: FeedKind::OutdoorTemperature, scale: 10.0, ..price };
	assert_eq!(
		temperature.read_response(body, PERIOD_MS, 500, 0..=1_000).unwrap(),
		vec![(499, 913)]
	);
	assert!(temperature.read_response(body, PERIOD_MS, 500, 0..=498).unwrap().is_empty());
}

#[test]
fn a_response_that_does_not_fit_says_why() {
	let source = price_source();
	let read = |body: &str| source.read_response(body.as_bytes(), PERIOD_MS, 0, 0..=u32::MAX);
	assert!(matches!(read("<html>"), Err(ResponseError::NotJson(_))));
	assert_eq!(read(r#"{"price":[1]}"#), Err(ResponseError::Missing("/unix_seconds".into())));
	assert_eq!(read(r#"{"unix_seconds":1,"price":1}"#), Err(ResponseError::NotArrays));
	assert_eq!(
		read(r#"{"unix_seconds":[0,900],"price":[1]}"#),
		Err(ResponseError::LengthMismatch { times: 2, values: 1 })
	);
	assert_eq!(read(r#"{"unix_seconds":[-900],"price":[1]}"#), Err(ResponseError::BadTime));
	assert_eq!(
		read(r#"{"unix_seconds":[0],"price":["1"]}"#),
		Err(ResponseError::NotNumber("/price".into()))
	);
	assert_eq!(
		read(r#"{"unix_seconds":[0],"price":[1e300]}"#),
		Err(ResponseError::OutOfRange("/price".into()))
	);
	assert_eq!(ResponseError::Missing("/a".into()).to_string(), "nothing at `/a`");
}
