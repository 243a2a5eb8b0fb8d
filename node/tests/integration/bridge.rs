//! The BlockMeter bridge against a real node and a real Modbus TCP server (the campus
//! simulator), all three as processes: the campus is registered, its readings arrive on chain
//! with consecutive sequences, and after the node is killed and restarted mid-stream, and then
//! the bridge, every reading the bridge recorded is on chain exactly once. An energy management
//! system's CSV export dropped in a watched folder becomes a virtual meter's readings, once,
//! however often it is dropped. A meter whose counter resets is held, nothing of it reaching
//! the chain, until its owner declares the exchange; then its readings go on.

use crate::common::{
	campus::{
		all_recorded_on_chain_once, bridge, dev_node, http_get, http_get_bytes, register_campus,
		status_of, tell, too_little_history, wait_for_accepted, wait_for_sequences, write_config,
		Process,
	},
	free_port,
	meters::now_ms,
	within, FINALITY, STARTUP,
};
use smartblocks_client::{
	meters::SignedReading,
	subxt::ext::codec::{Decode, Encode},
};
use std::{path::Path, process::Command, time::Duration};

/// Long enough for a reading sent before an outage to be sent again and finalized.
const CATCH_UP: Duration = Duration::from_secs(180);

/// `rows` quarter hours of 12.5 kWh each, ending at the last full quarter hour, with local
/// times in Berlin as a German building management system writes them.
fn bms_export(rows: u64) -> String {
	let now = now_ms() / 1_000;
	let last = now / 900 * 900;
	let mut text = String::from("Zeit;Verbrauch kWh\n");
	for row in (0..rows).rev() {
		let at = last - row * 900;
		let local = Command::new("date")
			.env("TZ", "Europe/Berlin")
			.args(["-d", &format!("@{at}"), "+%d.%m.%Y %H:%M"])
			.output()
			.unwrap();
		text.push_str(&format!("{};12,5\n", String::from_utf8_lossy(&local.stdout).trim()));
	}
	text
}

fn plus(sequences: &[u64], more: u64) -> Vec<u64> {
	sequences.iter().map(|s| s + more).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_reading_of_a_simulated_campus_is_on_chain_once_through_outages() {
	let (mut node, _) = dev_node("bridge-chain").await;
	let dir = tempfile::tempdir().unwrap();
	let config = dir.path().join("bridge.toml");
	let config_arg = config.to_str().unwrap();
	let modbus = format!("127.0.0.1:{}", free_port());

	// A campus of three buildings; building 0 has PV, so it has an export meter and its
	// inverter a generation meter too; the district heats building 2, which has a heat meter.
	let campus = ["--buildings", "3", "--seed", "5", "--listen", &modbus];
	let http = format!("127.0.0.1:{}", free_port());
	let mut text = write_config(&campus, &config, &node, &http);
	// A building management system's export of the chillers' interval energy, German style.
	let bms = dir.path().join("bms");
	std::fs::create_dir(&bms).unwrap();
	text.push_str(
		"\n[[csv_meters]]\nname = \"chillers\"\nsite = \"building-00\"\nkind = \"sub_meter\"\n\
		 max_power = 300000\nfolder = \"bms\"\ndelimiter = \";\"\n\
		 timestamp = { column = \"Zeit\", format = \"%d.%m.%Y %H:%M\" }\n\
		 energy = { column = \"Verbrauch kWh\", scale = 1000.0 }\n",
	);
	std::fs::write(&config, text).unwrap();
	let mut simulator =
		Process::start(&[&["simulate"][..], &campus].concat(), dir.path().join("simulator.log"));

	let (out, meters) = register_campus(config_arg, "//Alice").await;
	assert_eq!(out.matches("registered as chain site").count(), 3, "{out}");
	assert_eq!(meters.len(), 10, "{out}");
	let (meters, chillers) = (meters[..9].to_vec(), meters[9]);
	// Registering again changes nothing.
	let again = bridge(&["register", "--config", config_arg, "--suri", "//Alice"]);
	assert_eq!(String::from_utf8_lossy(&again.stdout).matches("already chain meter").count(), 10);

	let bridge_log = dir.path().join("bridge.log");
	let mut running = Process::start(&["run", "--config", config_arg], bridge_log.clone());
	let first = wait_for_sequences(&node, &meters, &[3; 9], FINALITY).await;
	wait_for_accepted(&http, &meters, &[3; 9]).await;
	// While it runs, the bridge says how it stands and serves its pending signed readings.
	let status = http_get(&http, "/status").await;
	assert!(status.starts_with("HTTP/1.0 200"), "{status}");
	assert!(status.contains("\"reconciled_block\":"), "{status}");
	assert_eq!(status.matches("\"chain_meter\":").count(), 10, "{status}");
	// ...and its metrics for Prometheus: each meter's readings by state (the three readings
	// each Modbus meter has on chain among the accepted), its polls and failures.
	let metrics = http_get(&http, "/metrics").await;
	assert!(metrics.starts_with("HTTP/1.0 200"), "{metrics}");
	assert!(metrics.contains("text/plain; version=0.0.4"), "{metrics}");
	assert_eq!(metrics.matches("\nsmartblocks_bridge_readings_recorded{").count(), 10, "{metrics}");
	for meter in &meters {
		let accepted = metrics
			.lines()
			.filter(|line| line.starts_with("smartblocks_bridge_readings{"))
			.filter(|line| line.contains(&format!("chain_meter=\"{meter}\"")))
			.find(|line| line.contains("state=\"accepted\""))
			.and_then(|line| line.rsplit(' ').next()?.parse::<u64>().ok());
		assert!(accepted.is_some_and(|count| count >= 3), "meter {meter}: {metrics}");
	}
	assert_eq!(metrics.matches("\nsmartblocks_bridge_poll_seconds_count{").count(), 9, "{metrics}");
	assert!(metrics.contains("\nsmartblocks_bridge_poll_failures_total{"), "{metrics}");
	assert!(metrics.contains("\nsmartblocks_bridge_reconciled_block "), "{metrics}");
	// `outbox status` cannot open the file the running bridge holds: it asks the bridge.
	let asked = bridge(&["outbox", "status", "--config", config_arg]);
	let table = String::from_utf8_lossy(&asked.stdout).to_string();
	assert!(asked.status.success(), "{table}{}", String::from_utf8_lossy(&asked.stderr));
	assert!(table.contains("reconciled with finalized blocks up to #"), "{table}");
	assert!(table.contains("building-00-grid"), "{table}");
	let pending = http_get_bytes(&http, "/pending?limit=50").await;
	let body = &pending[pending.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
	let readings = Vec::<SignedReading>::decode(&mut &body[..]).unwrap();
	assert!(readings.len() <= 50);
	assert!(readings.iter().all(|signed| meters.contains(&signed.reading.meter)));
	assert!(http_get(&http, "/pending?limit=0").await.starts_with("HTTP/1.0 400"));
	// ...and a site's hours of use and outdoor temperature, as `baseline fit` and `forecast`
	// read them while the bridge holds the outbox.
	// ...and whether a meter's readings in its outbox reproduce the meter's hash chain on chain.
	let verified = http_get(&http, &format!("/verify?chain_meter={}", meters[0])).await;
	assert!(verified.starts_with("HTTP/1.0 200"), "{verified}");
	assert!(verified.contains("\"verdict\":\"matches\""), "{verified}");
	assert!(http_get(&http, "/verify?chain_meter=99999").await.starts_with("HTTP/1.0 404"));
	assert!(http_get(&http, "/verify").await.starts_with("HTTP/1.0 400"));
	let history = http_get(&http, "/history?site=building-00").await;
	assert!(history.starts_with("HTTP/1.0 200"), "{history}");
	let rows = &history
		[history.find("start,energy_wh,temperature_c\n").unwrap_or_else(|| panic!("{history}"))..];
	assert!(rows.lines().nth(1).is_some_and(|row| row.contains(":00:00+0")), "{history}");
	let unknown = http_get(&http, "/history?site=nowhere").await;
	assert!(unknown.starts_with("HTTP/1.0 404"), "{unknown}");
	// ...and the site's forecast of today, named or numbered, from a week of hours before
	// today: it has minutes of today. A site it does not read is not found, so a portal asks its next bridge.
	let site: u32 = out
		.lines()
		.find(|line| line.contains("building-00") && line.contains("registered as chain site"))
		.and_then(|line| line.split("registered as chain site ").nth(1))
		.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
		.unwrap_or_else(|| panic!("{out}"))
		.parse()
		.unwrap();
	for query in ["site=building-00".to_string(), format!("chain_site={site}")] {
		let forecast = http_get(&http, &format!("/forecast?{query}")).await;
		assert!(forecast.starts_with("HTTP/1.0 422"), "{forecast}");
		assert!(too_little_history(&forecast), "{forecast}");
	}
	let elsewhere = http_get(&http, &format!("/forecast?chain_site={}", site + 100)).await;
	assert!(elsewhere.starts_with("HTTP/1.0 404"), "{elsewhere}");
	let far = http_get(&http, "/forecast?site=building-00&day=2999-01-01").await;
	assert!(far.starts_with("HTTP/1.0 400") && far.contains("one day ahead"), "{far}");
	let export = bms_export(4);
	std::fs::write(bms.join("chillers-1.csv"), &export).unwrap();
	wait_for_sequences(&node, &[chillers], &[4], FINALITY).await;
	assert!(bms.join("done/chillers-1.csv").exists());
	// The same export dropped again records nothing twice.
	std::fs::write(bms.join("chillers-2.csv"), &export).unwrap();

	// The node dies mid-stream; the bridge keeps recording, and sends all once it is back.
	node.kill();
	tokio::time::sleep(Duration::from_secs(10)).await;
	node.restart();
	let after_node = wait_for_sequences(&node, &meters, &plus(&first, 8), CATCH_UP).await;

	// The bridge dies mid-stream; started again, it goes on from its outbox.
	running.kill();
	tokio::time::sleep(Duration::from_secs(4)).await;
	let mut running = Process::start(&["run", "--config", config_arg], bridge_log.clone());
	let after_bridge = wait_for_sequences(&node, &meters, &plus(&after_node, 4), CATCH_UP).await;
	assert!(after_bridge.iter().zip(&first).all(|(later, earlier)| later > earlier));

	// The campus goes quiet: the bridge brings what it has to the chain and settles it.
	simulator.kill();
	let client = node.client(STARTUP).await;
	let settled =
		all_recorded_on_chain_once(&client, &http, &mut running, config_arg, &meters, CATCH_UP)
			.await;
	assert!(bms.join("done/chillers-2.csv").exists());
	let info = client.meter(chillers).await.unwrap().unwrap();
	assert_eq!(
		(info.last_sequence, info.chain.length, info.last_register),
		(Some(4), 4, Some(4 * 12_500))
	);
	let log = std::fs::read_to_string(&bridge_log).unwrap();
	assert!(log.contains("lost the node"), "the outage went unnoticed:\n{log}");

	// The outbox, the archive of every reading, reproduces the chain's checkpoints of every
	// meter...
	let verified = bridge(&["verify", "--config", config_arg]);
	let report = String::from_utf8_lossy(&verified.stdout).to_string();
	assert!(verified.status.success(), "{report}{}", String::from_utf8_lossy(&verified.stderr));
	assert_eq!(report.matches("): matches: ").count(), 10, "{report}");
	// ...and copies someone edited are caught: one reading's register raised, the reading named
	// against the block that carried it; one reading deleted.
	let verify_copy = |name: &str, edit: &dyn Fn(&Path)| {
		let copy = dir.path().join(name);
		std::fs::copy(dir.path().join("bridge-data/outbox.redb"), &copy).unwrap();
		edit(&copy);
		let verified =
			bridge(&["verify", "--config", config_arg, "--outbox", copy.to_str().unwrap()]);
		let report = String::from_utf8_lossy(&verified.stdout).to_string();
		let errors = String::from_utf8_lossy(&verified.stderr).to_string();
		(verified.status.success(), report, errors)
	};
	let (passed, report, errors) = verify_copy("raised.redb", &|copy| {
		edit_settled(copy, meters[0], 5, |signed| signed.reading.register += 1)
	});
	assert!(!passed && errors.contains("the archive differs from the chain"), "{report}{errors}");
	let line = report.lines().find(|line| line.starts_with("building-00-grid ")).unwrap();
	assert!(line.contains("DIFFERS from sequence 5: the archive holds sequence 5 at "), "{report}");
	assert!(line.contains("; block 0x"), "{report}");
	assert_eq!(report.matches("): matches: ").count(), 9, "{report}");
	let (passed, report, _) = verify_copy("deleted.redb", &|copy| {
		delete_settled(copy, meters[0], 5);
	});
	let line = report.lines().find(|line| line.starts_with("building-00-grid ")).unwrap();
	assert!(!passed && line.contains("DIFFERS"), "{report}");
	// A deleted reading is named when a block carried it beside the reading after it.
	assert!(
		!line.contains("DIFFERS from") || line.contains("DIFFERS from sequence 5: "),
		"{report}"
	);
	// A copy taken before the bridge settled its newest reading is no forgery.
	let (passed, report, errors) = verify_copy("unsettled.redb", &|copy| {
		unsettle(copy, meters[1], settled[1]);
	});
	assert!(passed, "{report}{errors}");
	assert!(report.contains("(1 of them on chain but not yet settled in the outbox)"), "{report}");
}

/// The outbox's table of settled readings: (meter, sequence) to the payload and its status
/// (JSON).
const SETTLED: redb::TableDefinition<(u32, u64), &[u8]> = redb::TableDefinition::new("settled");

/// Edits the outbox file at `path` as someone with the file could: `meter`'s settled reading
/// `sequence` changed by `edit`.
fn edit_settled(path: &Path, meter: u32, sequence: u64, edit: fn(&mut SignedReading)) {
	use redb::ReadableTable as _;
	let db = redb::Database::open(path).unwrap();
	let txn = db.begin_write().unwrap();
	{
		let mut table = txn.open_table(SETTLED).unwrap();
		let bytes = table.get((meter, sequence)).unwrap().unwrap().value().to_vec();
		let mut entry: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
		let payload: Vec<u8> = serde_json::from_value(entry["payload"].clone()).unwrap();
		let mut signed = SignedReading::decode(&mut &payload[..]).unwrap();
		edit(&mut signed);
		entry["payload"] = serde_json::to_value(signed.encode()).unwrap();
		table.insert((meter, sequence), serde_json::to_vec(&entry).unwrap().as_slice()).unwrap();
	}
	txn.commit().unwrap();
}

/// Deletes `meter`'s settled reading `sequence` from the outbox file at `path`; returns its
/// payload.
fn delete_settled(path: &Path, meter: u32, sequence: u64) -> Vec<u8> {
	let db = redb::Database::open(path).unwrap();
	let txn = db.begin_write().unwrap();
	let bytes = {
		let mut table = txn.open_table(SETTLED).unwrap();
		let removed = table.remove((meter, sequence)).unwrap().unwrap().value().to_vec();
		removed
	};
	txn.commit().unwrap();
	let entry: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
	serde_json::from_value(entry["payload"].clone()).unwrap()
}

/// Moves `meter`'s settled reading `sequence` back to the pending readings of the outbox file at
/// `path`, as it stood before the bridge settled it.
fn unsettle(path: &Path, meter: u32, sequence: u64) {
	const PENDING: redb::TableDefinition<(u32, u64), &[u8]> = redb::TableDefinition::new("pending");
	let payload = delete_settled(path, meter, sequence);
	let db = redb::Database::open(path).unwrap();
	let txn = db.begin_write().unwrap();
	txn.open_table(PENDING).unwrap().insert((meter, sequence), payload.as_slice()).unwrap();
	txn.commit().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_counter_reset_holds_the_meter_until_its_owner_declares_the_exchange() {
	let (node, client) = dev_node("bridge-exchange").await;
	let dir = tempfile::tempdir().unwrap();
	let config = dir.path().join("bridge.toml");
	let config_arg = config.to_str().unwrap();
	let modbus = format!("127.0.0.1:{}", free_port());
	let http = format!("127.0.0.1:{}", free_port());
	// Building 1 has no panels: building 0's may export all day on a sunny afternoon, and an
	// import register that never rose shows no fall when it restarts.
	let campus = ["--buildings", "2", "--seed", "8", "--listen", &modbus];
	write_config(&campus, &config, &node, &http);
	let mut simulator =
		Process::start(&[&["simulate"][..], &campus].concat(), dir.path().join("simulator.log"));

	let registered = tokio::task::spawn_blocking({
		let config = config_arg.to_string();
		move || bridge(&["register", "--config", &config, "--suri", "//Alice"])
	})
	.await
	.unwrap();
	let out = String::from_utf8_lossy(&registered.stdout).to_string();
	assert!(registered.status.success(), "{out}{}", String::from_utf8_lossy(&registered.stderr));
	let grid: u32 = out
		.lines()
		.find_map(|line| line.strip_prefix("meter building-01-grid: registered as chain meter "))
		.and_then(|rest| rest.split(' ').next())
		.unwrap_or_else(|| panic!("no grid meter in\n{out}"))
		.parse()
		.unwrap();
	let _running = Process::start(&["run", "--config", config_arg], dir.path().join("bridge.log"));
	wait_for_sequences(&node, &[grid], &[3], FINALITY).await;

	// The meter's counter restarts from zero: the bridge holds it and says where it fell to.
	tell(&mut simulator, "fault 1:reset");
	let held = within(
		"the reset held",
		FINALITY,
		status_of(&http, grid, |entry| !entry["held"].is_null()),
	)
	.await;
	let last_register = held["held"]["last_register"].as_u64().unwrap();
	assert!(held["held"]["fell_to"].as_u64().unwrap() < last_register, "{held}");
	// Nothing of it reaches the chain meanwhile; nothing is refused.
	tokio::time::sleep(Duration::from_secs(20)).await;
	let before = client.meter(grid).await.unwrap().unwrap();
	tokio::time::sleep(Duration::from_secs(12)).await;
	let still = client.meter(grid).await.unwrap().unwrap();
	assert_eq!(still.last_sequence, before.last_sequence, "a held meter sends nothing");
	assert_eq!(still.refused, 0);

	// The owner declares the exchange: the old register closed at the chain's last, the new
	// one starting where the bridge last saw it, at the time it did. The building runs at its
	// load meanwhile: energy since then judged from the declaration's block would look like
	// more than the meter can measure.
	let final_register = still.last_register.unwrap();
	let held = status_of(&http, grid, |entry| !entry["held"].is_null()).await;
	let new_register = held["held"]["new_register"].as_u64().unwrap();
	let read_at = held["held"]["new_register_at"].as_u64().unwrap();
	let alice = smartblocks_client::subxt_signer::sr25519::dev::alice();
	within(
		"the exchange",
		FINALITY,
		client.declare_exchange(&alice, grid, final_register, new_register, read_at, None),
	)
	.await
	.unwrap();
	within("the hold lifted", FINALITY, status_of(&http, grid, |entry| entry["held"].is_null()))
		.await;
	let resumed =
		wait_for_sequences(&node, &[grid], &[still.last_sequence.unwrap() + 3], CATCH_UP).await;
	let info = client.meter(grid).await.unwrap().unwrap();
	assert_eq!(info.exchanges, 1);
	assert_eq!(info.refused, 0, "{info:?}");
	assert_eq!(info.chain.length, resumed[0], "consecutive sequences, every one accepted");
	assert!(info.last_register.unwrap() >= new_register);

	// Forecasts while the bridge runs come from its /history; a minute of data is too little.
	let forecast = bridge(&["forecast", "--config", config_arg]);
	let out = String::from_utf8_lossy(&forecast.stdout).to_string();
	assert!(forecast.status.success(), "{out}{}", String::from_utf8_lossy(&forecast.stderr));
	assert!(out.starts_with("site building-00: no forecast: not enough data"), "{out}");
	assert!(out.contains("a forecast needs 168"), "{out}");
}
