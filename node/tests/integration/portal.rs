//! BlockPortal against a real node and a simulated campus brought on chain by the bridge, all as
//! processes: the overview lists every building with non-zero KPIs, sorts and filters them, the
//! API answers JSON, CSV, OpenAPI and a stream of finalized blocks, sign-in takes a wallet's
//! signature of a challenge, bad parameters get a clear 400, and when the node goes down the
//! pages say so, still render, and recover with it. In Debian's Chromium (portal/tests/browser):
//! the campus, signing in with a test wallet, and a new organisation applying and admitted.

use crate::common::{
	campus::{
		bridge, browser_parts, dev_node, http_get, http_request, run_browser_script,
		too_little_history, wait_until_listening, write_config, Process,
	},
	free_port,
	meters::now_ms,
	within, Node,
};
use smartblocks_client::{
	oracle::{feed, FeedKind, Submission},
	registry::{role_set, Proposal, RegistryCall, Role, RuntimeCall},
	subxt::utils::H256,
	subxt_signer::sr25519::dev,
	Client,
};
use std::{
	path::Path,
	time::{Duration, Instant},
};

const REGISTRATION: Duration = Duration::from_secs(270);
/// Readings polled, sent, finalized and read by the portal.
const DATA: Duration = Duration::from_secs(180);

/// The body of an HTTP response, after checking its status line.
fn body_of(response: &str, status: u16) -> &str {
	let status_line = response.lines().next().unwrap_or_default();
	assert!(status_line.contains(&format!(" {status} ")), "expected {status}, got:\n{response}");
	response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

async fn get_json(address: &str, path: &str) -> serde_json::Value {
	let response = http_get(address, path).await;
	serde_json::from_str(body_of(&response, 200)).unwrap()
}

/// Polls `path` until `ready` holds for its JSON, or fails with the last answer.
async fn wait_for_json(
	address: &str,
	path: &str,
	timeout: Duration,
	ready: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
	let deadline = Instant::now() + timeout;
	loop {
		let json = get_json(address, path).await;
		if ready(&json) {
			return json;
		}
		assert!(Instant::now() < deadline, "{path} did not get there within {timeout:?}: {json}");
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// A `--dev` node with a simulated campus of `buildings`, its bridge (with the campus's
/// `history_days` before now imported, as `scripts/demo` imports its year), and the portal (with
/// its browser half when `site_root` is given), all running until dropped.
struct LiveCampus {
	node: Node,
	portal: String,
	/// The bridge's HTTP address, which the portal asks for forecasts.
	bridge: String,
	_processes: Vec<Process>,
	_dir: tempfile::TempDir,
}

async fn live_campus(
	name: &str,
	buildings: u32,
	history_days: u32,
	site_root: Option<&Path>,
) -> LiveCampus {
	let count = buildings;
	let (node, _) = dev_node(name).await;
	let dir = tempfile::tempdir().unwrap();
	let config = dir.path().join("bridge.toml");
	let config_arg = config.to_str().unwrap().to_string();
	let modbus = format!("127.0.0.1:{}", free_port());
	let buildings = buildings.to_string();
	let campus = ["--buildings", &buildings, "--seed", "11", "--listen", &modbus];
	let bridge_http = format!("127.0.0.1:{}", free_port());
	write_config(&campus, &config, &node, &bridge_http);
	if history_days > 0 {
		let past = dir.path().join("past");
		let days = history_days.to_string();
		let past_arg = past.to_str().unwrap();
		let written = bridge(
			&[&["simulate", "--write-history", past_arg, "--history-days", &days][..], &campus]
				.concat(),
		);
		assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
		for building in 0..count {
			let site = format!("building-{building:02}");
			let utility = past.join(format!("{site}-utility.xml"));
			let own = past.join(format!("{site}-site.csv"));
			let (utility, own) = (utility.to_str().unwrap(), own.to_str().unwrap());
			let imported =
				bridge(&["import", "--config", &config_arg, "--site", &site, utility, own]);
			let said = String::from_utf8_lossy(&imported.stdout);
			assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
			assert!(
				said.contains(&format!("{} hours of grid import", history_days * 24)),
				"{said}"
			);
		}
	}
	let simulator =
		Process::start(&[&["simulate"][..], &campus].concat(), dir.path().join("simulator.log"));
	let registered = within("registration", REGISTRATION, async {
		let config = config_arg.clone();
		tokio::task::spawn_blocking(move || {
			bridge(&["register", "--config", &config, "--suri", "//Alice"])
		})
		.await
		.unwrap()
	})
	.await;
	assert!(registered.status.success(), "{}", String::from_utf8_lossy(&registered.stderr));
	let bridge = Process::start(&["run", "--config", &config_arg], dir.path().join("bridge.log"));

	let portal = format!("127.0.0.1:{}", free_port());
	let ws = node.ws_url();
	let site_root = site_root.map(|root| root.to_str().unwrap().to_string());
	// A bridge that is down comes first: the portal asks the next for the forecasts.
	let down_bridge = format!("127.0.0.1:{}", free_port());
	let mut args = vec!["--node", &ws, "--listen", &portal, "--refresh-seconds", "1"];
	args.extend(["--bridge", &down_bridge, "--bridge", &bridge_http]);
	if let Some(root) = &site_root {
		args.extend(["--site-root", root]);
	}
	let server = Process::spawn("smartblocks-portal", &args, dir.path().join("portal.log"));
	wait_until_listening(&portal, Duration::from_secs(30)).await;
	LiveCampus {
		node,
		portal,
		bridge: bridge_http,
		_processes: vec![simulator, bridge, server],
		_dir: dir,
	}
}

/// Waits until every one of `buildings` has energy and intensity above zero, and those with
/// panels (grid import, export and the PV inverter's generation meter) a renewable share, and
/// returns the overview. (Completeness waits for the end of a 15-minute settlement period.)
async fn wait_for_kpis(portal: &str, buildings: usize) -> serde_json::Value {
	wait_for_json(portal, "/api/v1/kpis", DATA, |json| {
		let listed = json["buildings"].as_array().cloned().unwrap_or_default();
		listed.len() == buildings
			&& listed.iter().all(|b| {
				let panels = b["energy_meters"].as_u64() == Some(3);
				b["energy_kwh"].as_f64() > Some(0.0)
					&& b["intensity_kwh_per_m2"].as_f64() > Some(0.0)
					&& (!panels || b["renewable_percent"].as_f64().is_some())
			})
	})
	.await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_portal_shows_the_live_campus_and_survives_a_node_outage() {
	let LiveCampus { mut node, portal, bridge, _processes, _dir } =
		live_campus("portal", 3, 0, None).await;
	let overview = wait_for_kpis(&portal, 3).await;
	assert_eq!(overview["node"]["state"], "live");
	let names: Vec<String> = overview["buildings"]
		.as_array()
		.unwrap()
		.iter()
		.map(|b| b["name"].as_str().unwrap().to_string())
		.collect();
	let total: f64 = overview["buildings"]
		.as_array()
		.unwrap()
		.iter()
		.map(|b| b["energy_kwh"].as_f64().unwrap())
		.sum();
	assert!((overview["totals"]["energy_kwh"].as_f64().unwrap() - total).abs() < 1e-6);
	// Building 0 has panels; the simulated sun stands between 06:00 and 18:00 UTC.
	let hour = now_ms() / 3_600_000 % 24;
	let pv = overview["buildings"].as_array().unwrap().iter().find(|b| b["name"] == "building-00");
	let renewable = pv.and_then(|building| building["renewable_percent"].as_f64());
	assert!(renewable.is_some_and(|share| share > 0.0 || !(7..17).contains(&hour)), "{overview}");
	// The district heats building 2: its heat meter's energy shows beside its electricity, and
	// the other buildings have none.
	let heated = |b: &serde_json::Value| b["heat_kwh"].as_f64() > Some(0.0);
	let overview = wait_for_json(&portal, "/api/v1/kpis", DATA, |json| {
		json["buildings"].as_array().is_some_and(|all| all.iter().any(heated))
	})
	.await;
	for building in overview["buildings"].as_array().unwrap() {
		let district = building["name"] == "building-02";
		assert_eq!(heated(building), district, "{building}");
		assert_eq!(building["heat_kwh"].is_null(), !district, "{building}");
	}

	// The page, rendered on the server, lists them, sorted by name when asked.
	let page = http_get(&portal, "/?sort=name&desc=0").await;
	let html = body_of(&page, 200);
	assert!(html.contains("Campus overview") && html.contains("Live"), "{html}");
	let mut sorted = names.clone();
	sorted.sort();
	let positions: Vec<usize> =
		sorted.iter().map(|name| html.find(name.as_str()).unwrap()).collect();
	assert!(
		positions.windows(2).all(|pair| pair[0] < pair[1]),
		"not sorted by name: {positions:?}"
	);
	// A filter by name keeps only matching buildings.
	let first = &sorted[0];
	let filtered = get_json(&portal, &format!("/api/v1/kpis?q={first}")).await;
	assert_eq!(filtered["buildings"].as_array().unwrap().len(), 1, "{filtered}");

	// CSV with a header and a row a building; OpenAPI; the block stream.
	let csv = http_get(&portal, "/api/v1/kpis.csv?window=week").await;
	let csv = body_of(&csv, 200);
	assert!(csv.starts_with("site,name,use_type,floor_area_m2,energy_kwh"), "{csv}");
	assert_eq!(csv.lines().count(), 4, "{csv}");
	let openapi = get_json(&portal, "/api/v1/openapi.json").await;
	assert_eq!(openapi["openapi"], "3.1.0");
	assert!(openapi["paths"]["/api/v1/kpis"]["get"].is_object());
	let head = first_event(&portal).await;
	assert!(head >= overview["block"].as_u64().unwrap(), "stream head {head}");

	// A building's page and its API: charts of its use, its meters with continuous hash chains.
	let site = overview["buildings"][0]["site"].as_u64().unwrap();
	let detail = get_json(&portal, &format!("/api/v1/sites/{site}")).await;
	assert_eq!(detail["periods"].as_array().unwrap().len(), 96);
	assert_eq!(detail["days"].as_array().unwrap().len(), 30);
	let meters = detail["meters"].as_array().unwrap();
	assert!(meters.iter().any(|m| m["readings"].as_u64() > Some(0)), "{detail}");
	for meter in meters.iter().filter(|m| m["readings"].as_u64() > Some(0)) {
		assert_eq!(meter["chain"]["state"], "continuous", "{meter}");
	}
	// The bridge has minutes of readings, all of today: its forecast of today, made from the
	// hours before it, says so; no contract gives a baseline.
	let forecast = &detail["forecast"];
	assert_eq!(forecast["state"], "unavailable", "{detail}");
	assert_eq!(forecast["bridge"].as_str(), Some(bridge.as_str()), "{forecast}");
	let reason = forecast["reason"].as_str().unwrap();
	assert!(reason.starts_with("not enough data yet") && too_little_history(reason), "{reason}");
	assert!(detail["periods"].as_array().unwrap().iter().all(|p| p["forecast_kwh"].is_null()));
	assert!(detail["baseline_contract"].is_null(), "{detail}");
	let page = http_get(&portal, &format!("/buildings/{site}")).await;
	let html = body_of(&page, 200);
	assert!(html.contains("Use per settlement period") && html.contains("✓ continuous"), "{html}");
	let said = format!("No forecast yet from the bridge at {bridge}: not enough data yet");
	assert!(html.contains(&said), "{html}");
	assert!(html.contains("No baseline: no energy performance contract"), "{html}");
	// A meter's page and API: its day checkpoints, each following from the day before's.
	let meter = meters.iter().find(|m| m["readings"].as_u64() > Some(0)).unwrap()["id"].clone();
	let meter_detail = get_json(&portal, &format!("/api/v1/meters/{meter}")).await;
	assert_eq!(meter_detail["site"].as_u64(), Some(site), "{meter_detail}");
	assert_eq!(meter_detail["health"]["chain"]["state"], "continuous", "{meter_detail}");
	let checkpoints = meter_detail["checkpoints"].as_array().unwrap();
	assert!(!checkpoints.is_empty(), "{meter_detail}");
	for checkpoint in checkpoints {
		let expected = &checkpoint["expected_length"];
		assert!(expected.is_null() || *expected == checkpoint["length"], "{checkpoint}");
	}
	// ...and what the bridge that keeps its raw readings says of them against those checkpoints.
	let archive = &meter_detail["archive"];
	assert_eq!(archive["state"], "verified", "{meter_detail}");
	assert_eq!(archive["bridge"].as_str(), Some(bridge.as_str()), "{archive}");
	assert_eq!(archive["verdict"], "matches", "{archive}");
	let meter_page = http_get(&portal, &format!("/meters/{meter}")).await;
	let html = body_of(&meter_page, 200);
	assert!(html.contains("Hash chain") && html.contains("✓ continuous"), "{html}");
	let said = format!("✓ Archive at the bridge at {bridge} matches: ");
	assert!(html.contains(&said), "{html}");
	assert!(
		body_of(&http_get(&portal, "/api/v1/meters/99999").await, 404).contains("no meter 99999")
	);
	let missing = http_get(&portal, "/api/v1/sites/999").await;
	assert!(body_of(&missing, 404).contains("no site 999 on chain"));
	assert!(body_of(&http_get(&portal, "/buildings/999").await, 200).contains("No such building"));

	// The event stream of a site: a consumer reads five events, disconnects, resumes from its last
	// cursor; what it got is exactly what one unbroken stream from the start gives, in order.
	let stream = format!("/api/v1/events?site={site}");
	let first = read_events(&portal, &stream, None, 5).await;
	tokio::time::sleep(Duration::from_secs(4)).await;
	let second = read_events(&portal, &stream, Some(&first[4].0), 5).await;
	let unbroken = read_events(&portal, &stream, None, 10).await;
	assert_eq!([first, second].concat(), unbroken);
	let cursors: Vec<(u64, u32)> = unbroken
		.iter()
		.map(|(id, _)| {
			let (block, index) = id.split_once(':').unwrap();
			(block.parse().unwrap(), index.parse().unwrap())
		})
		.collect();
	assert!(cursors.windows(2).all(|pair| pair[0] < pair[1]), "{cursors:?}");
	for (id, event) in &unbroken {
		assert_eq!(
			event["cursor"]["block"].as_u64(),
			Some(id.split(':').next().unwrap().parse().unwrap())
		);
		assert!(event["sites"].as_array().unwrap().contains(&serde_json::json!(site)), "{event}");
	}
	let bad = http_get(&portal, "/api/v1/events?after=yesterday").await;
	assert!(body_of(&bad, 400).contains("cursor 'yesterday' is not block:index"));

	// Members and the council: Bob applies, Alice (the whole council) proposes to admit him with a
	// threshold of two and votes aye, so the motion stays open.
	let client = Client::connect(&node.ws_url()).await.unwrap();
	let bob = dev::bob();
	let roles = [Role::Trader];
	client.apply(&bob, "Bob Trading", &roles, H256::repeat_byte(3)).await.unwrap();
	let bob_account = bob.public_key().to_account_id();
	let admit = RegistryCall::admit { applicant: bob_account, roles: role_set(&roles) };
	let proposal =
		client.propose_to_council(&dev::alice(), 2, RuntimeCall::Registry(admit)).await.unwrap();
	let Proposal::Open(motion) = proposal else { panic!("not open: {proposal:?}") };
	client.vote_in_council(&dev::alice(), &motion, true).await.unwrap();
	let directory = wait_for_json(&portal, "/api/v1/members", DATA, |json| {
		json["applications"].as_array().is_some_and(|a| a.len() == 1)
	})
	.await;
	assert_eq!(directory["members"][0]["name"], "Alice Energy Services");
	assert_eq!(directory["applications"][0]["name"], "Bob Trading");
	assert_eq!(directory["applications"][0]["applicant"], bob_account.to_string());
	let council = wait_for_json(&portal, "/api/v1/council", DATA, |json| {
		json["motions"][0]["ayes"].as_array().is_some_and(|ayes| ayes.len() == 1)
	})
	.await;
	let motion = &council["motions"][0];
	assert_eq!(
		(motion["threshold"].as_u64(), motion["ayes"].as_array().unwrap().len()),
		(Some(2), 1)
	);
	assert_eq!(motion["ayes"][0]["member"], "Alice Energy Services");
	assert!(motion["proposal"].as_str().unwrap().contains("admit"), "{motion}");
	let page = http_get(&portal, "/council").await;
	assert!(body_of(&page, 200).contains("1 aye, 0 nay of 2 ayes needed"));
	signing_in_answers_with_a_session_cookie(&portal).await;

	// A transaction prepared for a wallet: the payload names the chain's extensions, and a
	// signature that is not the account's is refused before anything reaches the node.
	let charlie = dev::charlie().public_key().to_account_id();
	let apply = smartblocks_client::chain::transactions().registry().apply(
		b"Charlie Grid".to_vec(),
		role_set(&[Role::Utility]),
		H256::repeat_byte(4),
	);
	let prepared = client.prepare_for_wallet(&apply, &charlie).await.unwrap();
	assert_eq!(prepared.payload.address, charlie.to_string());
	assert!(prepared.payload.signed_extensions.iter().any(|name| name == "CheckMember"));
	let forged = client.submit_wallet_signed(&prepared, &[7; 64]).await.unwrap_err();
	assert!(forged.to_string().contains("does not match the account"), "{forged}");
	let page = http_get(&portal, "/members/0").await;
	let html = body_of(&page, 200);
	assert!(html.contains("Alice Energy Services") && html.contains("Reputation: "), "{html}");
	let csv = http_get(&portal, "/api/v1/members.csv").await;
	assert!(body_of(&csv, 200).starts_with("member,name,roles,status,reputation"));
	// No contract yet: an empty list, a CSV of its head row, a 404 that says so.
	assert_eq!(get_json(&portal, "/api/v1/contracts").await["contracts"], serde_json::json!([]));
	let csv = http_get(&portal, "/api/v1/contracts.csv").await;
	assert!(body_of(&csv, 200).starts_with("contract,template,provider,client,sites,state"));
	let missing = http_get(&portal, "/api/v1/contracts/0").await;
	assert!(body_of(&missing, 404).contains("no contract 0 on chain"));

	// Bad parameters: a 400 that names the choices, for the API; the page falls back.
	let bad = http_get(&portal, "/api/v1/kpis?window=year").await;
	assert!(body_of(&bad, 400).contains("unknown window 'year': one of today, week, month"));
	body_of(&http_get(&portal, "/?window=year&sort=height").await, 200);

	// The node goes down: the status says so, pages still render with the last figures.
	node.kill();
	let down = wait_for_json(&portal, "/api/v1/status", Duration::from_secs(60), |json| {
		json["node"]["state"] == "down"
	})
	.await;
	let page = http_get(&portal, "/").await;
	let html = body_of(&page, 200);
	assert!(html.contains("The node is not answering"), "{html}");
	for name in &names {
		assert!(html.contains(name.as_str()), "{name} missing while the node is down");
	}
	// It comes back: live again, at a later block.
	node.restart();
	let last = down["block"].as_u64().unwrap();
	wait_for_json(&portal, "/api/v1/status", Duration::from_secs(120), |json| {
		json["node"]["state"] == "live" && json["block"].as_u64() > Some(last)
	})
	.await;
}

/// Signing in through the API as a wallet does: Alice's signature of a challenge wrapped in
/// `<Bytes>` opens a session for her member, in an HttpOnly cookie; a spent challenge, Bob's
/// signature for Alice and no cookie are refused with what is wrong; signing out ends it.
async fn signing_in_answers_with_a_session_cookie(portal: &str) {
	let alice = dev::alice();
	let address = alice.public_key().to_account_id().to_string();
	let answer = |key: &smartblocks_client::subxt_signer::sr25519::Keypair, message: &str| {
		let signature = key.sign(format!("<Bytes>{message}</Bytes>").as_bytes());
		serde_json::json!({
			"account": address,
			"message": message,
			"signature": signature.0.iter().map(|byte| format!("{byte:02x}")).collect::<String>(),
		})
		.to_string()
	};
	let challenge = |portal| async move {
		let response = http_request(portal, "POST", "/api/v1/session/challenge", &[], "").await;
		let json: serde_json::Value = serde_json::from_str(body_of(&response, 200)).unwrap();
		json["message"].as_str().unwrap().to_string()
	};
	let message = challenge(portal).await;
	let response =
		http_request(portal, "POST", "/api/v1/session", &[], &answer(&alice, &message)).await;
	let cookie = response
		.lines()
		.find_map(|line| {
			line.split_once(": ").filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
		})
		.map(|(_, value)| value)
		.expect("a session cookie")
		.to_string();
	assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
	let signed_in: serde_json::Value = serde_json::from_str(body_of(&response, 200)).unwrap();
	assert_eq!(signed_in["member"][1], "Alice Energy Services");
	let session = [format!("Cookie: {}", cookie.split(';').next().unwrap())];
	let who = http_request(portal, "GET", "/api/v1/session", &session, "").await;
	assert_eq!(
		serde_json::from_str::<serde_json::Value>(body_of(&who, 200)).unwrap()["account"],
		address
	);

	let spent =
		http_request(portal, "POST", "/api/v1/session", &[], &answer(&alice, &message)).await;
	assert!(body_of(&spent, 401).contains("already used"), "{spent}");
	let forged = answer(&dev::bob(), &challenge(portal).await);
	let refused = http_request(portal, "POST", "/api/v1/session", &[], &forged).await;
	assert!(body_of(&refused, 401).contains("does not match"), "{refused}");
	let anonymous = http_request(portal, "GET", "/api/v1/session", &[], "").await;
	body_of(&anonymous, 401);

	body_of(&http_request(portal, "DELETE", "/api/v1/session", &session, "").await, 204);
	body_of(&http_request(portal, "GET", "/api/v1/session", &session, "").await, 401);
}

/// The first `count` events (id and JSON data) of the server-sent events at `path`, resuming after
/// `last_event_id` if given; then disconnects.
async fn read_events(
	address: &str,
	path: &str,
	last_event_id: Option<&str>,
	count: usize,
) -> Vec<(String, serde_json::Value)> {
	use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
	let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
	let resume = last_event_id.map(|id| format!("Last-Event-ID: {id}\r\n")).unwrap_or_default();
	let request = format!("GET {path} HTTP/1.0\r\nHost: portal\r\n{resume}\r\n");
	stream.write_all(request.as_bytes()).await.unwrap();
	let mut lines = BufReader::new(stream).lines();
	let read = async {
		let (mut events, mut id, mut data) = (Vec::new(), None, None);
		while let Some(line) = lines.next_line().await.unwrap() {
			if let Some(value) = line.strip_prefix("id: ") {
				id = Some(value.to_string());
			} else if let Some(value) = line.strip_prefix("data: ") {
				data = Some(serde_json::from_str(value).unwrap());
			} else if line.is_empty() {
				if let (Some(id), Some(data)) = (id.take(), data.take()) {
					events.push((id, data));
					if events.len() == count {
						return events;
					}
				}
			}
		}
		panic!("the stream ended after {} events", events.len());
	};
	tokio::time::timeout(Duration::from_secs(120), read).await.expect("events within two minutes")
}

/// How many hours of `day` on the campus's clock hold a period of `periods`: the hours the
/// bridge's forecast of that day takes the oracle's temperature for.
fn hours_of_day(day: chrono::NaiveDate, periods: std::ops::RangeInclusive<u32>) -> u64 {
	let zone = meter_bridge::simulator::CAMPUS_TIME_ZONE;
	let hours: std::collections::BTreeSet<u32> = periods
		.filter(|period| {
			let start = chrono::DateTime::from_timestamp(i64::from(*period) * 900, 0).unwrap();
			start.with_timezone(&zone).date_naive() == day
		})
		// The campus's zone is a whole number of hours from UTC: its hours are UTC's.
		.map(|period| period / 4)
		.collect();
	hours.len() as u64
}

/// The block number of the first message of the portal's block stream.
async fn first_event(address: &str) -> u64 {
	use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
	let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
	let request = "GET /api/v1/events/head HTTP/1.0\r\nHost: portal\r\n\r\n";
	stream.write_all(request.as_bytes()).await.unwrap();
	let mut lines = BufReader::new(stream).lines();
	let read = async {
		while let Some(line) = lines.next_line().await.unwrap() {
			if let Some(data) = line.strip_prefix("data: ") {
				return data.trim().parse().unwrap();
			}
		}
		panic!("the stream ended without a message");
	};
	tokio::time::timeout(Duration::from_secs(10), read).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_browser_sees_the_campus_and_signs_in_with_a_wallet() {
	let (site, tests) = browser_parts();
	// Bound, not `..`: the fields left out would be dropped, and the node stopped, at once.
	let LiveCampus { node, portal, bridge: _, _processes, _dir } =
		live_campus("portal-browser", 4, 14, Some(&site)).await;
	// The oracle's temperature forecast for the campus's region, for the periods to come up to
	// nearly two days ahead (Alice is the development chain's provider; from the period after
	// next and short of the lead, so that the chain's clock, a period behind or ahead of this
	// one, takes them all), before any forecast is asked for.
	let client = node.client(REGISTRATION).await;
	let current = (now_ms() / 900_000) as u32;
	let forecast_periods = current + 2..=current + 180;
	let forecasts: Vec<Submission> = forecast_periods
		.clone()
		.map(|period| Submission {
			feed: feed(FeedKind::TemperatureForecast, "DE-BY"),
			period,
			value: 35,
		})
		.collect();
	for batch in forecasts.chunks(128) {
		within(
			"the temperature forecast",
			DATA,
			client.submit_oracle_values(&dev::alice(), batch.to_vec()),
		)
		.await
		.unwrap();
	}
	let overview = wait_for_kpis(&portal, 4).await;
	// With its past fortnight imported, a building has a forecast from the start: the portal
	// draws it for today from the bridge's hours before today, with the oracle's temperatures
	// for the hours from now on (the hours before have none).
	let sites = overview["buildings"].as_array().unwrap().iter().map(|b| b["site"].as_u64());
	let site_id = sites.min().flatten().unwrap();
	let path = format!("/api/v1/sites/{site_id}");
	let detail =
		wait_for_json(&portal, &path, DATA, |json| json["forecast"]["state"] == "shown").await;
	assert!(detail["periods"]
		.as_array()
		.unwrap()
		.iter()
		.any(|p| p["forecast_kwh"].as_f64() > Some(0.0)));
	// The day on the campus's clock the bridge forecast, whose hours the oracle's periods fall
	// in (in its last half hour, none: the forecast periods begin in the next day).
	let days = detail["forecast"]["days"].as_array().unwrap();
	let today = days.last().and_then(|day| day.as_str()?.parse().ok()).unwrap();
	let forecast_hours = hours_of_day(today, forecast_periods);
	let temperatures = &detail["forecast"]["temperatures"];
	assert_eq!(temperatures["forecast"].as_u64(), Some(forecast_hours), "{detail}");
	let page = http_get(&portal, &format!("/buildings/{site_id}")).await;
	let sentence = match forecast_hours {
		0 => "no oracle temperature forecast reached the bridge",
		_ => "Temperatures: the oracle",
	};
	assert!(body_of(&page, 200).contains(sentence), "{page}");
	for (script, passed) in [
		("overview.mjs", "4 buildings with KPIs, hydrated"),
		("sign-in.mjs", "refused, signed in and out with a test wallet"),
		("membership.mjs", "Dave Facilities applied and was admitted"),
		("contract.mjs", "drafted in the wizard, signed by Alice Energy Services and Dave"),
	] {
		// The campus has its past fortnight imported: forecasts from the start.
		let env = [("BUILDINGS", "4"), ("FORECAST", "shown")];
		let output = run_browser_script(&tests, script, &portal, &env).await;
		assert!(output.contains(passed), "{output}");
	}
}
