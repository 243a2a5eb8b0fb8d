//! The demo's energy performance contract on the demo's composition, set up as `scripts/demo`
//! sets it up: a `--dev` node whose oracle worker brings the simulated campus's weather and market
//! feeds, the campus simulator (with PV) whose building-01 energy management system exports its
//! HVAC sub-meter's log, the bridge, BlockPortal and the `smartblocks` command line. The ESCO fits
//! the baseline on the plant's year before its retrofit; the parties agree a contract from the
//! retrofit's commissioning, yesterday (UTC); within minutes yesterday's statement is settled from
//! the readings the bridge signed from those exports, with the savings the retrofit made, and the
//! portal shows them.

use crate::common::{
	campus::{
		bridge, browser_parts, http_get, run_browser_script, smartblocks, succeeded,
		wait_until_listening, Process,
	},
	clear_of_midnight, free_port,
	meters::now_ms,
	run_node, within, Node, STARTUP,
};
use smartblocks_client::{
	contracts::{ContractState, Evidence, Outcome},
	draft::day_text,
	meters::DAY_MS,
	Client,
};
use std::{
	path::Path,
	time::{Duration, Instant},
};

/// Registration, yesterday's log through the bridge to finality, the oracle's catch-up and the
/// settlement.
const SETTLED: Duration = Duration::from_secs(420);
/// The well-known development account //Bob, as `scripts/demo` names it.
const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

/// Runs the bridge with `args`; what it printed, or a failure with its stderr.
fn bridge_ok(args: &[&str]) -> String {
	succeeded(bridge(args))
}

/// Gives the node's keystore Alice's `orcl` key, as the demo does, so its worker submits the
/// feeds as her.
fn insert_oracle_key(node: &Node) {
	let base_path = node.base_path();
	let base_path = base_path.to_str().unwrap();
	let key = ["--key-type", "orcl", "--scheme", "sr25519", "--suri", "//Alice"];
	let inserted = run_node(
		&[&["key", "insert", "--base-path", base_path, "--chain", "dev"][..], &key].concat(),
	);
	assert!(inserted.status.success(), "{}", String::from_utf8_lossy(&inserted.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demos_retrofit_settles_yesterday_from_the_bridges_readings_within_minutes() {
	// The retrofit is the day before the simulator starts, and the simulator starts three
	// times: keep its starts and the settlement on one side of midnight.
	clear_of_midnight(Duration::from_secs(900)).await;
	let dir = tempfile::tempdir().unwrap();
	let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
	let (modbus, feeds) =
		(format!("127.0.0.1:{}", free_port()), format!("127.0.0.1:{}", free_port()));
	let bridge_http = format!("127.0.0.1:{}", free_port());
	let (ems, sources, config, past) =
		(path("ems"), path("oracle-sources.json"), path("bridge.toml"), path("past"));
	let campus = [
		"--buildings",
		"2",
		"--seed",
		"11",
		"--listen",
		&modbus,
		"--feeds",
		&feeds,
		"--ems-export",
		&ems,
	];
	bridge_ok(&[&["simulate"][..], &campus, &["--write-sources", &sources]].concat());
	let node = Node::start("retrofit", &["--dev", "--oracle-sources", &sources]);
	let ws = node.ws_url();
	let setup = [
		&["--write-config", &config, "--node", &ws, "--poll-seconds", "2", "--http", &bridge_http]
			[..],
		&["--write-history", &past, "--history-days", "366"],
	];
	let said: Vec<String> = setup
		.iter()
		.map(|written| bridge_ok(&[&["simulate"][..], &campus, written].concat()))
		.collect();
	// The contract starts on the retrofit's day, as the demo takes it from the simulator.
	let retrofit_day = said[1]
		.split_once("HVAC plant was retrofitted on ")
		.and_then(|(_, rest)| rest.split_whitespace().next())
		.unwrap_or_else(|| panic!("no retrofit day in {}", said[1]))
		.to_string();
	let yesterday = (now_ms() / DAY_MS - 1) as u32;
	assert_eq!(retrofit_day, day_text(yesterday));
	let _simulator =
		Process::start(&[&["simulate"][..], &campus].concat(), dir.path().join("sim.log"));
	// The ESCO's baseline: the daily model on the plant's year before the retrofit.
	let hvac_log = Path::new(&past).join("building-01-hvac.csv");
	let fit = bridge_ok(&["baseline", "fit", "--csv", hvac_log.to_str().unwrap(), "--json"]);
	let baseline = path("baseline.json");
	std::fs::write(&baseline, &fit).unwrap();

	insert_oracle_key(&node);
	let client: Client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let cli = |args: &[&str]| succeeded(smartblocks(&ws, args));
	let company = ["--name", "Bob Campus Estates", "--role", "BuildingOwner"];
	cli(&[&["member", "apply", "--suri", "//Bob"][..], &company].concat());
	cli(&["council", "admit", "--suri", "//Alice", "--applicant", BOB]);
	let registered =
		bridge_ok(&["register", "--config", &config, "--suri", "//Bob", "--site", "building-01"]);
	assert!(registered.contains("building-01-hvac"), "{registered}");
	bridge_ok(&["register", "--config", &config, "--suri", "//Alice"]);
	let _bridge = Process::start(&["run", "--config", &config], dir.path().join("bridge.log"));

	// The demo's draft: Bob proposes, Alice's ESCO signs, from the retrofit on the sub-meter.
	let draft = Path::new(env!("CARGO_MANIFEST_DIR"))
		.join("../scripts/demo-contracts/energy-performance.json");
	let proposed = cli(&[
		"contract",
		"propose",
		"--suri",
		"//Bob",
		draft.to_str().unwrap(),
		"--baseline",
		&baseline,
		"--site",
		"building-01=SubMeter",
		"--first-day",
		&retrofit_day,
	]);
	assert!(proposed.starts_with("contract #0: proposed"), "{proposed}");
	cli(&["contract", "sign", "--suri", "//Alice", "0"]);

	// Bob settles as the demo does, until yesterday's period is settled.
	let started = Instant::now();
	let info = loop {
		cli(&["contract", "settle", "--suri", "//Bob"]);
		let info = client.contract(0).await.unwrap().unwrap();
		if info.settled > 0 {
			break info;
		}
		assert!(started.elapsed() < SETTLED, "yesterday not settled within {SETTLED:?}");
		tokio::time::sleep(Duration::from_secs(10)).await;
	};
	println!(
		"settled {:?} after the contract was signed: {:?}",
		started.elapsed(),
		info.statements[0]
	);
	assert_eq!(info.state, ContractState::Active);
	let statement = &info.statements[0];
	let Evidence::EnergyPerformance(evidence) = &statement.evidence else {
		panic!("not an energy performance statement: {:?}", statement.evidence)
	};
	// What the chain metered is the sub-meter's day, from the readings the bridge signed.
	let meter = info.meters[0];
	let days = client.days(meter, yesterday, 1).await.unwrap().unwrap();
	let day = days.days[0].as_ref().expect("yesterday closed");
	assert_eq!(day.complete_periods, 96);
	assert_eq!((evidence.days_used, evidence.days_missing), (1, 0));
	assert_eq!(evidence.metered, day.energy);
	// And that is what the energy management system logged: the 96 intervals after the opening
	// row of its first export, in kWh to the Wh.
	let folder = Path::new(&ems).join("building-01-hvac/done");
	let mut exports: Vec<_> =
		std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().path()).collect();
	exports.sort();
	let first = std::fs::read_to_string(&exports[0]).unwrap();
	let logged: u64 = first
		.lines()
		.skip(2)
		.take(96)
		.map(|row| {
			let kwh = row.split_once(',').unwrap().1.replace('.', "");
			kwh.parse::<u64>().unwrap()
		})
		.sum();
	assert_eq!(evidence.metered, logged);
	// Savings are the baseline's prediction less the metered use, known to ± the Guideline's
	// uncertainty, and the obligation runs the way they fall against the 10 % guarantee (in a
	// heating season the retrofit's fifth less beats it; in summer the plant has little to
	// save).
	assert_eq!(evidence.savings, evidence.baseline - evidence.metered as i64);
	assert!(evidence.savings_uncertainty.is_some_and(|band| band > 0), "{evidence:?}");
	let Outcome::Settled { obligation: Some(obligation) } = &statement.outcome else {
		panic!("no obligation: {:?}", statement.outcome)
	};
	let (esco, bob) = (0, 1);
	let expected = match evidence.savings > evidence.guaranteed {
		true => (bob, esco),
		false => (esco, bob),
	};
	assert_eq!((obligation.debtor, obligation.creditor), expected);
	assert!(obligation.amount > 0, "{obligation:?}");

	// BlockPortal shows the savings of the week for building-01, and in Chromium its page draws
	// the baseline beside what the sub-meter measured.
	let (site_root, tests) = browser_parts();
	let portal = format!("127.0.0.1:{}", free_port());
	let site_root = site_root.to_str().unwrap();
	let portal_args =
		["--node", &ws, "--listen", &portal, "--bridge", &bridge_http, "--site-root", site_root];
	let _portal = Process::spawn("smartblocks-portal", &portal_args, dir.path().join("portal.log"));
	wait_until_listening(&portal, Duration::from_secs(30)).await;
	// The portal reads the chain in the background: until it has, the overview is empty.
	let started = Instant::now();
	let building = loop {
		let response = http_get(&portal, "/api/v1/kpis?window=week").await;
		let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
		let kpis: serde_json::Value = serde_json::from_str(body).unwrap();
		let listed = kpis["buildings"].as_array().cloned().unwrap_or_default();
		if let Some(building) = listed.into_iter().find(|b| b["name"] == "building-01") {
			break building;
		}
		assert!(started.elapsed() < STARTUP, "no building-01 in {kpis}");
		tokio::time::sleep(Duration::from_secs(1)).await;
	};
	let savings = building["savings_kwh"].as_f64().unwrap_or_else(|| panic!("{building}"));
	assert!((savings * 1000.0 - evidence.savings as f64).abs() < 1.0, "{building}");
	let site = building["site"].to_string();
	let output = run_browser_script(&tests, "retrofit.mjs", &portal, &[("SITE", &site)]).await;
	assert!(output.contains("the baseline and the contract meters' use drawn"), "{output}");
}
