//! Importing interval data from before the bridge: Green Button and CSV read into hours (units,
//! time zones and both clock changes, duplicates, overlaps and gaps), every mistake named by
//! file and line, the history store keeping hours once, and imported hours filling a site's
//! history where the bridge has no readings, so baselines and forecasts have a year at once.

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use meter_bridge::{
	baseline::{daily, forecast, history, sufficiency},
	config::Config,
	import::{
		self,
		csv::Times,
		green_button, into_hours,
		store::{history_path, HistoryStore, StoreError, Stored},
		Channel, Hours, ImportError, Limits, HOUR_MS,
	},
	outbox::Outbox,
	simulator::{Campus, CAMPUS_TIME_ZONE},
};

/// 2026-01-05 00:00 UTC, a Monday, in seconds.
const MONDAY_S: u64 = 1_767_571_200;
const BASE: &str = "https://utility.example/espi/1_1/resource/Subscription/9";
/// 2026-12-03 00:00 UTC: the tests' now.
const NOW_MS: u64 = 1_796_256_000_000;

fn berlin(format: Option<&str>) -> Times<'_> {
	Times { format, zone: chrono_tz::Europe::Berlin }
}

fn hour_ms(hours_after_monday: u64) -> u64 {
	MONDAY_S * 1000 + hours_after_monday * HOUR_MS
}

/// A Green Button entry of a `ReadingType` at `number`.
fn reading_type(number: u32, fields: &str) -> String {
	format!(
		"<entry><link rel=\"self\" href=\"{BASE}/ReadingType/{number}\"/><content>\
		 <ReadingType xmlns=\"http://naesb.org/espi\">{fields}</ReadingType></content></entry>\n"
	)
}

/// A `MeterReading` linked to its blocks and to `ReadingType/{number}`.
fn meter_reading(number: u32) -> String {
	let reading = format!("{BASE}/UsagePoint/1/MeterReading/{number}");
	format!(
		"<entry><link rel=\"self\" href=\"{reading}\"/>\
		 <link rel=\"related\" href=\"{reading}/IntervalBlock\"/>\
		 <link rel=\"related\" href=\"{BASE}/ReadingType/{number}\"/>\
		 <content><MeterReading xmlns=\"http://naesb.org/espi\"/></content></entry>\n"
	)
}

/// A block of `MeterReading/{number}`: (start s, duration s, value) per reading, one a line.
fn block(number: u32, readings: &[(u64, u64, i64)]) -> String {
	let mut xml = format!(
		"<entry><link rel=\"up\" href=\"{BASE}/UsagePoint/1/MeterReading/{number}/IntervalBlock\"/>\
		 <content><espi:IntervalBlock xmlns:espi=\"http://naesb.org/espi\">\n"
	);
	for (start, duration, value) in readings {
		xml.push_str(&format!(
			"<espi:IntervalReading><espi:timePeriod><espi:duration>{duration}</espi:duration>\
			 <espi:start>{start}</espi:start></espi:timePeriod><espi:value>{value}</espi:value>\
			 </espi:IntervalReading>\n"
		));
	}
	xml.push_str("</espi:IntervalBlock></content></entry>\n");
	xml
}

fn feed(entries: &[String]) -> String {
	format!(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
		 <feed xmlns=\"http://www.w3.org/2005/Atom\">\n{}</feed>\n",
		entries.concat()
	)
}

const WH_FORWARD: &str = "<accumulationBehaviour>4</accumulationBehaviour>\
	<flowDirection>1</flowDirection><powerOfTenMultiplier>0</powerOfTenMultiplier><uom>72</uom>";

/// Now, and no meter limits.
fn now() -> Limits {
	Limits { now_ms: NOW_MS, ..Limits::default() }
}

fn green_button_hours(xml: &str) -> Result<Hours, ImportError> {
	into_hours(green_button::read(xml, "usage.xml")?, "usage.xml", &now())
}

fn csv_hours(text: &str, times: Times) -> Result<Hours, ImportError> {
	into_hours(import::csv::read(text.as_bytes(), "export.csv", times)?, "export.csv", &now())
}

#[test]
fn a_green_button_feed_becomes_hours_of_import_and_export_in_wh() {
	// Import in Wh by the quarter hour; export in mWh (10^-3) by the hour; linked by their
	// MeterReadings, the export's ReadingType listed first.
	let quarters: Vec<(u64, u64, i64)> =
		(0..8).map(|q| (MONDAY_S + q * 900, 900, 250 + q as i64)).collect();
	let xml = feed(&[
		reading_type(
			2,
			"<accumulationBehaviour>4</accumulationBehaviour><flowDirection>19</flowDirection>\
			 <powerOfTenMultiplier>-3</powerOfTenMultiplier><uom>72</uom>",
		),
		reading_type(1, WH_FORWARD),
		meter_reading(1),
		meter_reading(2),
		block(1, &quarters),
		block(2, &[(MONDAY_S, 3600, 1_500), (MONDAY_S + 3600, 3600, 0)]),
	]);
	let hours = green_button_hours(&xml).unwrap();
	let value = |channel, hour| hours.values.get(&(channel, hour_ms(hour))).copied();
	assert_eq!(value(Channel::GridImport, 0), Some((250 + 251 + 252 + 253) as f64));
	assert_eq!(value(Channel::GridImport, 1), Some((254 + 255 + 256 + 257) as f64));
	assert_eq!(value(Channel::GridExport, 0), Some(1.5));
	assert_eq!(value(Channel::GridExport, 1), Some(0.0));
	assert_eq!(hours.values.len(), 4);
	assert!(hours.incomplete.is_empty());

	// Net flow: the sign says the direction.
	let net = "<flowDirection>4</flowDirection><uom>72</uom>";
	let xml = feed(&[
		reading_type(1, net),
		meter_reading(1),
		block(1, &[(MONDAY_S, 3600, 700), (MONDAY_S + 3600, 3600, -300)]),
	]);
	let hours = green_button_hours(&xml).unwrap();
	assert_eq!(hours.values[&(Channel::GridImport, hour_ms(0))], 700.0);
	assert_eq!(hours.values[&(Channel::GridExport, hour_ms(0))], 0.0);
	assert_eq!(hours.values[&(Channel::GridImport, hour_ms(1))], 0.0);
	assert_eq!(hours.values[&(Channel::GridExport, hour_ms(1))], 300.0);
}

#[test]
fn green_button_it_cannot_sum_into_hours_is_refused_by_line() {
	let one = |fields: &str, readings: &[(u64, u64, i64)]| {
		feed(&[reading_type(1, fields), meter_reading(1), block(1, readings)])
	};
	let hour = [(MONDAY_S, 3600, 100)];
	// The ReadingType is on line 3, the block's first reading on line 6.
	let cases = [
		(one("<uom>38</uom>", &hour), Some(3), "uom 38: only energy in Wh (uom 72)"),
		(
			one("<accumulationBehaviour>1</accumulationBehaviour><uom>72</uom>", &hour),
			Some(3),
			"only interval deltas (4) are imported",
		),
		(one("<flowDirection>7</flowDirection><uom>72</uom>", &hour), Some(3), "flowDirection 7"),
		(
			one(WH_FORWARD, &[(MONDAY_S, 3600, 100), (MONDAY_S + 3600, 3600, -5)]),
			Some(7),
			"negative",
		),
		(one(WH_FORWARD, &[(MONDAY_S, 86_400, 2_400)]), Some(6), "an interval of 86400 s"),
		(one(WH_FORWARD, &[(MONDAY_S, 3600, 100), (MONDAY_S, 3600, 90)]), Some(7), "given again"),
		(
			one(WH_FORWARD, &[(MONDAY_S, 3600, 100), (MONDAY_S + 1800, 3600, 90)]),
			Some(7),
			"overlaps",
		),
		(feed(&[reading_type(1, WH_FORWARD)]), None, "no IntervalBlock"),
		("<usage><value>1</value></usage>".to_string(), Some(1), "its root is <usage>"),
		(one(WH_FORWARD, &hour).replace("</feed>", ""), None, "not well-formed XML"),
		(
			feed(&[reading_type(1, WH_FORWARD), reading_type(2, WH_FORWARD), block(1, &hour)]),
			Some(5),
			"cannot tell which ReadingType",
		),
		// A second ReadingType under one name, or unnamed ones among several, could give a
		// block another's unit: refused rather than guessed.
		(
			feed(&[reading_type(1, WH_FORWARD), reading_type(1, "<uom>72</uom>"), block(1, &hour)]),
			Some(4),
			"a second ReadingType at",
		),
		(
			feed(&[
				reading_type(1, WH_FORWARD)
					.replace("<link rel=\"self\" href=\"", "<link rel=\"x\" href=\""),
				reading_type(2, "<uom>72</uom>")
					.replace("<link rel=\"self\" href=\"", "<link rel=\"x\" href=\""),
				meter_reading(1),
				block(1, &hour),
			]),
			None,
			"a ReadingType without a `self` link among several",
		),
		(
			feed(&[
				"<entry><content><UsagePoint/></content></entry>\n".to_string(),
				"<entry><content><UsagePoint/></content></entry>\n".to_string(),
				reading_type(1, WH_FORWARD),
				block(1, &hour),
			]),
			Some(4),
			"a second UsagePoint",
		),
	];
	for (xml, line, expected) in cases {
		let error = green_button_hours(&xml).unwrap_err().to_string();
		assert!(error.contains(expected), "{error:?} should say {expected:?}");
		let place = match line {
			Some(line) => format!("usage.xml: line {line}: "),
			None => "usage.xml: ".to_string(),
		};
		assert!(error.starts_with(&place), "{error:?} should start with {place:?}\n{xml}");
	}
	// A value that is no number is named on its own line.
	let xml = one(WH_FORWARD, &[(MONDAY_S, 3600, 100)]).replace(">100<", ">1e3<");
	let error = green_button_hours(&xml).unwrap_err().to_string();
	assert_eq!(error, "usage.xml: line 6: <value> `1e3` is no whole number");
}

#[test]
fn csv_local_times_follow_the_sites_clock_through_both_clock_changes() {
	// Europe/Berlin leaves summer time on 2026-10-25: 02:00 to 03:00 comes twice. A day of
	// local hours from midnight has 25 rows, each its own hour, the repeated one first in
	// summer time.
	let mut text = String::from("start;import_kwh;temperature_c\n");
	let mut local_hours = Vec::new();
	for hour in 0..24u32 {
		local_hours.push(hour);
		if hour == 2 {
			local_hours.push(2);
		}
	}
	for (row, hour) in local_hours.iter().enumerate() {
		text.push_str(&format!("2026-10-25 {hour:02}:00;{},5;10,{row}\n", row + 1));
	}
	let hours = csv_hours(&text, berlin(Some("%Y-%m-%d %H:%M"))).unwrap();
	let imports: Vec<(u64, f64)> = hours
		.values
		.iter()
		.filter(|((channel, _), _)| *channel == Channel::GridImport)
		.map(|((_, hour), value)| (*hour, *value))
		.collect();
	assert_eq!(imports.len(), 25, "a 25-hour day");
	// Local midnight in summer time is 22:00 UTC the day before; every UTC hour follows.
	let first = Utc.with_ymd_and_hms(2026, 10, 24, 22, 0, 0).unwrap().timestamp_millis() as u64;
	for (index, (hour, value)) in imports.iter().enumerate() {
		assert_eq!(*hour, first + index as u64 * HOUR_MS);
		assert_eq!(*value, (index as f64 + 1.5) * 1000.0, "decimal commas, kWh in Wh");
	}
	assert_eq!(hours.values[&(Channel::Temperature, first + 3 * HOUR_MS)], 10.3);

	// On 2026-03-29 the clocks skip 02:00 to 03:00: a row at 02:30 names a time that never was.
	let text = "start,import_wh\n2026-03-29 01:00,10\n2026-03-29 02:30,10\n";
	let error = csv_hours(text, berlin(Some("%Y-%m-%d %H:%M"))).unwrap_err().to_string();
	assert!(error.starts_with("export.csv: line 3: column `start`:"), "{error}");
	assert!(error.contains("does not exist in Europe/Berlin"), "{error}");
	// Quarter hours with an `end` through the hour the clocks pass twice: an interval ends at the
	// first instant after its start its end can be, so "02:45 to 03:00" of the first pass is a
	// quarter hour, not an hour and a quarter.
	let mut text = String::from("start;end;import_wh\n");
	for _pass in 0..2 {
		for quarter in 0..4 {
			let (from, to) = (quarter * 15, quarter * 15 + 15);
			let end = if to == 60 { "03:00".to_string() } else { format!("02:{to:02}") };
			text.push_str(&format!("2026-10-25 02:{from:02};2026-10-25 {end};10\n"));
		}
	}
	let hours = csv_hours(&text, berlin(Some("%Y-%m-%d %H:%M"))).unwrap();
	let midnight = Utc.with_ymd_and_hms(2026, 10, 25, 0, 0, 0).unwrap().timestamp_millis() as u64;
	assert_eq!(hours.values[&(Channel::GridImport, midnight)], 40.0);
	assert_eq!(hours.values[&(Channel::GridImport, midnight + HOUR_MS)], 40.0);
	assert!(hours.incomplete.is_empty());
	// Local times are told apart by their order, so they must run forward; a format with an
	// offset would read offsets as the site's clock, and is refused.
	let text = "start,import_wh\n2026-01-05 02:00,1\n2026-01-05 01:00,1\n";
	let error = csv_hours(text, berlin(Some("%Y-%m-%d %H:%M"))).unwrap_err().to_string();
	assert!(
		error.starts_with("export.csv: line 3: column `start`: `2026-01-05 01:00` is before"),
		"{error}"
	);
	let error = csv_hours(text, berlin(Some("%Y-%m-%d %H:%M %z"))).unwrap_err().to_string();
	assert!(error.contains("has an offset"), "{error}");
	// Local hours over the spring change make a 23-hour day.
	let text: String = std::iter::once("start,import_wh\n".to_string())
		.chain((0..24).filter(|h| *h != 2).map(|h| format!("2026-03-29 {h:02}:00,10\n")))
		.collect();
	let hours = csv_hours(&text, berlin(Some("%Y-%m-%d %H:%M"))).unwrap();
	assert_eq!(hours.values.len(), 23);
	assert!(hours.incomplete.is_empty());
}

#[test]
fn csv_units_columns_and_intervals_become_hours_in_wh_and_celsius() {
	// RFC 3339 times with offsets, quarter hours with an `end`, every energy column and °F.
	let mut text =
		String::from("start,end,energy_kwh,import_wh,export_wh,generation_wh,temperature_f\n");
	for quarter in 0..4u64 {
		let start = Utc.timestamp_opt((MONDAY_S + quarter * 900) as i64, 0).unwrap();
		let end = start + chrono::TimeDelta::minutes(15);
		text.push_str(&format!(
			"{},{},0.25,300,,{},50\n",
			start.with_timezone(&chrono_tz::Europe::Berlin).to_rfc3339(),
			end.to_rfc3339(),
			quarter * 10
		));
	}
	let hours = csv_hours(&text, berlin(None)).unwrap();
	let value = |channel| hours.values[&(channel, hour_ms(0))];
	assert_eq!(value(Channel::Use), 1_000.0);
	assert_eq!(value(Channel::GridImport), 1_200.0);
	assert_eq!(value(Channel::Generation), 60.0);
	assert!((value(Channel::Temperature) - 10.0).abs() < 1e-9, "50 °F is 10 °C");
	assert!(!hours.values.contains_key(&(Channel::GridExport, hour_ms(0))), "empty cells");

	for (text, expected) in [
		(
			"start,import_wh\n2026-01-05T00:00:00Z,-4\n",
			"line 2: column `import_wh`: `-4`: energy cannot be negative",
		),
		(
			"start,import_wh\n2026-01-05T00:00:00Z,lots\n",
			"line 2: column `import_wh`: `lots` is no number",
		),
		(
			"start,import_wh\n2026-01-05 00:00,4\n",
			"line 2: column `start`: `2026-01-05 00:00` is no RFC 3339 time",
		),
		(
			"start,end,import_wh\n2026-01-05T00:00:00Z,2026-01-05T00:00:00Z,4\n",
			"line 2: column `end`",
		),
		(
			"start,end,import_wh\n2026-01-05T00:00:00Z,2026-01-05T02:00:00Z,4\n",
			"line 2: an interval of 7200 s",
		),
		("start,import_wh,import_kwh\n", "line 1: both `import_wh` and `import_kwh`"),
		("start,power_w\n2026-01-05T00:00:00Z,4\n", "line 1: no value column"),
		("when,import_wh\n", "line 1: no `start` column"),
		("start,import_wh\n", "no values"),
		(
			"start,import_wh\n1970-01-21T06:00:00Z,4\n",
			"line 2: the interval from 1970-01-21T06:00:00+00:00 is before 2000",
		),
		(
			"start,import_wh\n2027-01-01T00:00:00Z,4\n",
			"line 2: the interval from 2027-01-01T00:00:00+00:00 is in the future",
		),
		(
			"start,import_wh\n2026-01-05T00:00:00Z,4\n2026-01-05T00:30:00Z,4\n",
			"line 3: the grid import from 2026-01-05T00:30:00+00:00 overlaps line 2's",
		),
	] {
		let error = csv_hours(text, berlin(None)).unwrap_err().to_string();
		assert!(error.starts_with("export.csv: "), "{error}");
		assert!(error.contains(expected), "{error:?} should say {expected:?}");
	}
}

#[test]
fn energy_more_than_the_sites_meters_carry_is_refused_as_a_unit_mistake() {
	// A grid connection of 50 kW cannot import 80 kWh in an hour: kWh written as Wh, or an
	// hour's total where a quarter's was meant.
	let limits = Limits {
		now_ms: NOW_MS,
		max_power_w: [(Channel::GridImport, 50_000.0)].into_iter().collect(),
	};
	let text =
		"start,import_kwh,export_kwh\n2026-01-05T00:00:00Z,40,900\n2026-01-05T01:00:00Z,80,0\n";
	let intervals = import::csv::read(text.as_bytes(), "export.csv", berlin(None)).unwrap();
	let error = into_hours(intervals, "export.csv", &limits).unwrap_err().to_string();
	assert_eq!(
		error,
		"export.csv: line 3: 80000 Wh in 3600 s is 80000 W on average, more than the grid import \
		 meters carry (50000 W): is it in the unit the column or ReadingType says?"
	);
}

#[test]
fn duplicates_are_taken_once_conflicts_named_and_gaps_left_out() {
	let text = "start,end,import_wh\n\
		2026-01-05T00:00:00Z,2026-01-05T00:30:00Z,10\n\
		2026-01-05T00:30:00Z,2026-01-05T01:00:00Z,20\n\
		2026-01-05T00:30:00Z,2026-01-05T01:00:00Z,20\n\
		2026-01-05T01:00:00Z,2026-01-05T01:30:00Z,30\n\
		2026-01-05T02:00:00Z,2026-01-05T02:30:00Z,40\n\
		2026-01-05T02:30:00Z,2026-01-05T03:00:00Z,50\n";
	let hours = csv_hours(text, berlin(None)).unwrap();
	assert_eq!(hours.duplicates, 1);
	assert_eq!(hours.values[&(Channel::GridImport, hour_ms(0))], 30.0);
	assert_eq!(hours.values[&(Channel::GridImport, hour_ms(2))], 90.0);
	// 01:30 to 02:00 is missing: that hour is left out, not guessed, and reported.
	assert_eq!(hours.incomplete, vec![(Channel::GridImport, hour_ms(1))]);
	assert_eq!(hours.values.len(), 2);

	let conflicting = text.replacen(",20\n", ",21\n", 1);
	let error = csv_hours(&conflicting, berlin(None)).unwrap_err().to_string();
	assert_eq!(
		error,
		"export.csv: line 4: the grid import from 2026-01-05T00:30:00+00:00 is given again, as \
		 20: line 3 gave 21"
	);
}

/// The history store of a bridge whose config is `config`, in `dir`.
fn hall_config(dir: &std::path::Path) -> Config {
	let text = "[bridge]\nnode = \"ws://127.0.0.1:9944\"\n\
		[[sites]]\nname = \"hall\"\nlatitude = 48.1\nlongitude = 11.6\nregion = \"DE-BY\"\n\
		floor_area = 1000\nuse_type = \"office\"\ntime_zone = \"Europe/Berlin\"\n\
		[[meters]]\nname = \"grid\"\nsite = \"hall\"\nkind = \"grid_import\"\nmax_power = 500000\n\
		connection = { tcp = \"127.0.0.1:502\" }\nunit = 1\nmap = \"sunspec\"\n\
		[[meters]]\nname = \"export\"\nsite = \"hall\"\nkind = \"grid_export\"\n\
		max_power = 200000\n\
		connection = { tcp = \"127.0.0.1:502\" }\nunit = 1\nmap = \"sunspec\"\n\
		[[meters]]\nname = \"pv\"\nsite = \"hall\"\nkind = \"generation\"\nmax_power = 200000\n\
		connection = { tcp = \"127.0.0.1:502\" }\nunit = 2\nmap = \"sunspec\"\n\
		[[meters]]\nname = \"outdoor\"\nsite = \"hall\"\nkind = \"temperature\"\n\
		connection = { tcp = \"127.0.0.1:502\" }\nunit = 1\nmap = \"sensor\"\n\
		[[maps]]\nname = \"sensor\"\n\
		temperature = { address = 0, register = \"input\", type = \"i16\", scale = 0.1 }\n";
	let path = dir.join("bridge.toml");
	std::fs::write(&path, text).unwrap();
	Config::load(&path).unwrap()
}

#[test]
fn the_store_keeps_hours_once_and_refuses_other_values_unless_told() {
	let dir = tempfile::tempdir().unwrap();
	let path = history_path(dir.path());
	let store = HistoryStore::open(&path).unwrap();
	let text = "start,import_wh,temperature_c\n\
		2026-01-05T00:00:00Z,100,1.5\n2026-01-05T01:00:00Z,200,2.5\n";
	let hours = csv_hours(text, berlin(None)).unwrap();
	let stored = store.import("hall", &hours, false, "a.csv", 1).unwrap();
	assert_eq!(stored, Stored { added: 4, same: 0, replaced: 0 });
	let stored = store.import("hall", &hours, false, "a.csv", 2).unwrap();
	assert_eq!(stored, Stored { added: 0, same: 4, replaced: 0 });

	let corrected = csv_hours(&text.replace(",200,", ",210,"), berlin(None)).unwrap();
	let error = store.import("hall", &corrected, false, "b.csv", 3).unwrap_err();
	let StoreError::Conflict { conflicts, held, given, .. } = &error else {
		panic!("{error}");
	};
	assert_eq!((*conflicts, *held, *given), (1, 200.0, 210.0));
	assert!(error.to_string().contains("nothing was imported: give --replace"), "{error}");
	assert_eq!(store.site_hours("hall").unwrap()[&hour_ms(1)][&Channel::GridImport], 200.0);
	let stored = store.import("hall", &corrected, true, "b.csv", 4).unwrap();
	assert_eq!(stored, Stored { added: 0, same: 3, replaced: 1 });
	// Another site's hours are its own.
	assert!(store.site_hours("annex").unwrap().is_empty());
	// The site's use as such for hours that have it from grid import would be a second answer.
	let using = csv_hours("start,energy_wh\n2026-01-05T01:00:00Z,300\n", berlin(None)).unwrap();
	let error = store.import("hall", &using, true, "c.csv", 5).unwrap_err();
	assert!(matches!(error, StoreError::MixedUse { hours: 1, .. }), "{error}");
	drop(store);
	let hours = HistoryStore::site_hours_at(&path, "hall").unwrap();
	assert_eq!(hours[&hour_ms(1)][&Channel::GridImport], 210.0);
	assert_eq!(hours[&hour_ms(0)][&Channel::Temperature], 1.5);
}

#[test]
fn a_simulated_campus_year_imported_gives_a_baseline_and_a_forecast_at_once() {
	let dir = tempfile::tempdir().unwrap();
	let config = hall_config(dir.path());
	// Building 0 has PV: the utility's file has import and export, the site's generation and
	// the outdoor temperature. A year up to Monday 2026-01-05 00:00 UTC.
	let campus = Campus::new(7, 1, 0);
	let end_ms = MONDAY_S * 1000;
	let files =
		campus.write_history(&dir.path().join("past"), end_ms, 365, CAMPUS_TIME_ZONE).unwrap();
	let names: Vec<_> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy()).collect();
	assert_eq!(names, ["building-00-utility.xml", "building-00-site.csv"]);

	let store = HistoryStore::open(&history_path(&config.bridge.data_dir)).unwrap();
	for file in &files {
		let hours = import::read_file(file, berlin(None), &now()).unwrap();
		assert!(hours.incomplete.is_empty(), "{}", file.display());
		store.import("hall", &hours, false, &file.display().to_string(), 1).unwrap();
	}
	drop(store);

	// No meter is registered yet: the site's history is the imported year alone.
	let outbox = Outbox::open(&dir.path().join("outbox.redb")).unwrap();
	let hours = history::site_hours(&config, &outbox, "hall").unwrap();
	assert_eq!(hours.len(), 365 * 24);
	assert_eq!(hours.last().unwrap().start.timestamp() as u64 * 1000, end_ms - HOUR_MS);
	// Use is import − export + generation: the campus's load, to the utility's whole Wh.
	for hour in [0, 4_000, 8_759] {
		let observation = &hours[hour];
		let past = campus.past_hour(0, observation.start.timestamp() as u64 / 3600);
		let load = past.imported - past.exported + past.generated;
		let energy = observation.energy.unwrap();
		assert!((energy - load).abs() < 2.1, "hour {hour}: {energy} against {load}");
		assert!((observation.temperature.unwrap() - past.temperature).abs() < 0.006);
	}

	// A year is enough for CalTRACK, and the seasons give the daily model heating.
	let days = meter_bridge::baseline::series::days_of(&hours);
	assert!(sufficiency::daily(&days).is_empty(), "{:?}", sufficiency::daily(&days));
	let fit = daily::fit(&days, &daily::DailySettings::default(), &mut |_, _| {}).unwrap();
	assert!(fit.heating_slope > 0.0, "{fit:?}");
	meter_bridge::baseline::chain_baseline(&fit).unwrap();
	// And the next day's forecast, on the site's clock.
	let day = Utc.timestamp_millis_opt(end_ms as i64).unwrap().with_timezone(&CAMPUS_TIME_ZONE);
	let forecast =
		forecast::day_ahead(&hours, day.date_naive(), &[], Some(CAMPUS_TIME_ZONE)).unwrap();
	assert_eq!(forecast.hours.len(), 24);
}
