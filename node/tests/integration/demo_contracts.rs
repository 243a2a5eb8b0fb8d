//! The demo's consortium and contracts through the `smartblocks` command line on a real `--dev`
//! node: Bob's and Charlie's companies apply and the council admits them, the campus's
//! buildings are registered for Bob and Alice as `scripts/demo` registers them, a draft with
//! mistakes is refused with each one named and nothing proposed, and every draft in
//! `scripts/demo-contracts/` is proposed by Bob and signed by its provider as the demo does, so
//! the demo's contracts cannot drift from what the chain takes; through the same command line
//! a period without data waits for its grace day, and a contract is ended by agreement and
//! refused a rating before any period settled.

use crate::common::{
	campus::{smartblocks, succeeded},
	clear_of_midnight,
	meters::{device, now_ms},
	within, Node, FINALITY, STARTUP,
};
use smartblocks_client::{
	contracts::{ContractState, TemplateKind},
	draft::day_text,
	meters::{device_public, MeterKind, MeterSpec, NewSite, UseType, DAY_MS},
	subxt_signer::{sr25519::Keypair, SecretUri},
	Client,
};
use std::{
	path::{Path, PathBuf},
	str::FromStr,
	time::Duration,
};

/// The well-known development accounts //Bob and //Charlie, as `scripts/demo` names them.
const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
const CHARLIE: &str = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y";

fn drafts() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/demo-contracts")
}

fn keypair(uri: &str) -> Keypair {
	Keypair::from_uri(&SecretUri::from_str(uri).unwrap()).unwrap()
}

/// Registers a simulated building for `owner` with meters of `kinds`; returns the site.
async fn building(client: &Client, owner: &Keypair, name: &str, kinds: &[MeterKind]) -> u32 {
	let site = NewSite {
		name,
		latitude: 48.137,
		longitude: 11.575,
		region: "DE-BY",
		floor_area: 4_000,
		use_type: UseType::Office,
		time_zone: "Europe/Berlin",
	};
	let site = within("site", FINALITY, client.register_site(owner, &site)).await.unwrap();
	let specs = kinds
		.iter()
		.enumerate()
		.map(|(index, kind)| {
			let device = device(&format!("//{name}/{index}"));
			let spec = MeterSpec {
				kind: kind.clone(),
				multiplier: 1,
				max_power: 250_000,
				device_key: device_public(&device),
			};
			(site, spec)
		})
		.collect();
	within("meters", FINALITY, client.register_meters(owner, specs)).await.unwrap();
	site
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_consortium_agrees_one_contract_of_each_template_through_the_cli() {
	// Yesterday, the contracts' first days and what settles are all read from the clock, by
	// the test and by the command line: keep them on one day.
	clear_of_midnight(Duration::from_secs(600)).await;
	let mut node = Node::start("demo-contracts", &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	let url = node.ws_url();
	let cli = |args: &[&str]| smartblocks(&url, args);

	// Bob's and Charlie's companies apply; the council (Alice alone) admits them, #1 and #2.
	let applied = succeeded(cli(&[
		"member",
		"apply",
		"--suri",
		"//Bob",
		"--name",
		"Bob Campus Estates",
		"--role",
		"BuildingOwner",
	]));
	assert!(applied.contains("applied as Bob Campus Estates for BuildingOwner"), "{applied}");
	let charlie =
		["--name", "Charlie Utility", "--role", "Utility", "--role", "Trader", "--contact", "x"];
	succeeded(cli(&[&["member", "apply", "--suri", "//Charlie"][..], &charlie[..]].concat()));
	let admitted = succeeded(cli(&["council", "admit", "--suri", "//Alice", "--applicant", BOB]));
	assert!(admitted.contains("admitted as member #1 (BuildingOwner)"), "{admitted}");
	let admitted =
		succeeded(cli(&["council", "admit", "--suri", "//Alice", "--applicant", CHARLIE]));
	assert!(admitted.contains("admitted as member #2 (Utility, Trader)"), "{admitted}");
	let listed = succeeded(cli(&["member", "list"]));
	assert!(listed.contains("#2 Charlie Utility (Active): Utility, Trader"), "{listed}");
	// An applicant is admitted once.
	let again = cli(&["council", "admit", "--suri", "//Alice", "--applicant", BOB]);
	assert!(!again.status.success());
	let refusal = String::from_utf8_lossy(&again.stderr);
	assert!(refusal.contains("has not applied for membership"), "{refusal}");

	// The buildings the demo's contracts name, owned as the demo registers them.
	let (alice, bob) = (keypair("//Alice"), keypair("//Bob"));
	use MeterKind::{Generation, GridExport, GridImport, SubMeter};
	building(&client, &bob, "building-00", &[GridImport, GridExport, Generation]).await;
	building(&client, &bob, "building-01", &[GridImport, SubMeter]).await;
	building(&client, &alice, "building-03", &[GridImport, GridExport, Generation]).await;
	let sites = succeeded(cli(&["sites"]));
	let line = "site #1 building-01 (member #1, region DE-BY): meters #3 GridImport, #4 SubMeter";
	assert!(sites.contains(line), "{sites}");

	// A draft with mistakes: each is named, and nothing reaches the chain.
	let dir = tempfile::tempdir().unwrap();
	let tariff = std::fs::read_to_string(drafts().join("supply-tariff.json")).unwrap();
	let wrong = tariff.replace("\"DE-BY\"", "\"DE BY\"").replace("\"400\"", "\"4000\"");
	let wrong_path = dir.path().join("wrong.json");
	std::fs::write(&wrong_path, wrong).unwrap();
	let wrong_path = wrong_path.to_str().unwrap();
	let refused = cli(&[
		"contract",
		"propose",
		"--suri",
		"//Bob",
		wrong_path,
		"--site",
		"building-03=GridImport",
	]);
	assert!(!refused.status.success());
	let problem = String::from_utf8_lossy(&refused.stderr);
	assert!(
		problem.contains("--site building-03: neither party has a site of that name"),
		"{problem}"
	);
	let refused =
		cli(&["contract", "propose", "--suri", "//Bob", wrong_path, "--site", "building-00"]);
	let problem = String::from_utf8_lossy(&refused.stderr);
	assert!(problem.contains("name the kinds of its meters to read too"), "{problem}");
	let site = "building-00=GridExport";
	let refused = cli(&["contract", "propose", "--suri", "//Bob", wrong_path, "--site", site]);
	assert!(!refused.status.success());
	let problems = String::from_utf8_lossy(&refused.stderr);
	for problem in [
		"Price cap: 4000 per MWh is outside the template's 0 to 1000 per MWh",
		"Market: `DE BY` is not a region code such as DE-LU",
		"meter #1 measures GridExport, which a supply tariff contract does not read",
	] {
		assert!(problems.contains(problem), "{problem} is not in {problems}");
	}
	assert_eq!(client.contract_count().await.unwrap(), 0);

	// The demo's five drafts, with the sites, baseline and first day the demo gives them: the
	// energy performance contract over building-01's HVAC retrofit from yesterday.
	let today = (now_ms() / DAY_MS) as u32;
	let yesterday = day_text(today - 1);
	let baseline = dir.path().join("baseline.json");
	std::fs::write(
		&baseline,
		r#"{"intercept":1000000,"heating_slope":120000,"heating_balance":150,"cooling_slope":0,
		"cooling_balance":240,"cv_rmse":120000,"nmbe":1000,"r_squared":910000,
		"observations":365,"parameters":2,"autocorrelation":100000}"#,
	)
	.unwrap();
	let baseline = baseline.to_str().unwrap();
	let contracts: [(&str, &str, &[&str]); 5] = [
		(
			"energy-performance",
			"//Alice",
			&["--baseline", baseline, "--site", "building-01=SubMeter", "--first-day", &yesterday],
		),
		("renewable-share", "//Alice", &["--site", "building-00=GridImport,GridExport,Generation"]),
		(
			"supply-tariff",
			"//Charlie",
			&["--site", "building-00=GridImport", "--site", "building-01=GridImport"],
		),
		(
			"peer-trade",
			"//Alice",
			&["--site", "building-03=GridExport", "--site", "building-00=GridImport"],
		),
		("demand-response", "//Charlie", &["--site", "building-01=GridImport"]),
	];
	for (number, (draft, provider, sites)) in contracts.iter().enumerate() {
		let draft = drafts().join(format!("{draft}.json"));
		let args = [&["contract", "propose", "--suri", "//Bob", draft.to_str().unwrap()], *sites];
		let proposed = succeeded(cli(&args.concat()));
		assert!(
			proposed.starts_with(&format!("contract #{number}: proposed a contract of template")),
			"{proposed}"
		);
		let signed = succeeded(cli(&["contract", "sign", "--suri", provider, &number.to_string()]));
		assert!(signed.contains(&format!("contract #{number}: signing ")), "{signed}");
		assert!(signed.contains("signed by every party, active"), "{signed}");
	}
	let kinds: Vec<TemplateKind> = client
		.contracts(4)
		.await
		.unwrap()
		.into_iter()
		.map(|info| {
			assert_eq!(info.state, ContractState::Active);
			assert_eq!(info.client, 1);
			info.template.kind
		})
		.collect();
	assert_eq!(
		kinds,
		[
			TemplateKind::EnergyPerformance,
			TemplateKind::RenewableShare,
			TemplateKind::SupplyTariff,
			TemplateKind::PeerTrade,
			TemplateKind::DemandResponse
		]
	);
	// A day-long tariff from yesterday, whose meters have no data: its period waits within its
	// grace day, as the retrofit's does until the bridge brings its data, while the demo's other
	// contracts have no period closed yet.
	let yesterday = client.contract(1).await.unwrap().unwrap().schedule.first_day - 1;
	assert_eq!(client.contract(0).await.unwrap().unwrap().schedule.first_day, yesterday);
	let backdated =
		tariff.replace("\"data_grace_days\": \"0\"", "\"data_grace_days\": \"1\"").replace(
			"\"periods\": \"120\"",
			&format!("\"periods\": \"2\", \"first_day\": \"{}\"", day_text(yesterday)),
		);
	let backdated_path = dir.path().join("backdated.json");
	std::fs::write(&backdated_path, backdated).unwrap();
	let args = ["--site", "building-01=GridImport"];
	let proposed = succeeded(cli(&[
		&["contract", "propose", "--suri", "//Bob", backdated_path.to_str().unwrap()][..],
		&args[..],
	]
	.concat()));
	assert!(proposed.starts_with("contract #5: proposed"), "{proposed}");
	succeeded(cli(&["contract", "sign", "--suri", "//Charlie", "5"]));
	let settled = succeeded(cli(&["contract", "settle", "--suri", "//Bob"]));
	assert!(
		settled.contains(
			"contract #5: period 0 waits for complete data until its grace days (1) have passed"
		),
		"{settled}"
	);
	assert!(
		settled.contains(
			"contract #0: period 0 waits for complete data until its grace days (1) have passed"
		),
		"{settled}"
	);
	let today = day_text(yesterday + 1);
	assert!(
		settled.contains(&format!("contract #1: period 0 closes at the end of {today}")),
		"{settled}"
	);
	assert_eq!(client.contract(5).await.unwrap().unwrap().settled, 0);

	// Ended by agreement before any period settled: there is nothing to rate, and the chain
	// says so.
	let asked = succeeded(cli(&["contract", "end", "--suri", "//Bob", "5"]));
	assert!(asked.contains("contract #5: asked; it ends when the other party asks too"), "{asked}");
	let again = cli(&["contract", "end", "--suri", "//Bob", "5"]);
	let stderr = String::from_utf8_lossy(&again.stderr);
	assert!(!again.status.success() && stderr.contains("has asked already"), "{stderr}");
	let ended = succeeded(cli(&["contract", "end", "--suri", "//Charlie", "5"]));
	assert!(ended.contains("contract #5: both parties asked, terminated by agreement"), "{ended}");
	let refused = cli(&["contract", "rate", "--suri", "//Bob", "5", "5"]);
	let stderr = String::from_utf8_lossy(&refused.stderr);
	assert!(
		!refused.status.success() && stderr.contains("before any period closed into a statement"),
		"{stderr}"
	);

	let peer_trade = client.contract(3).await.unwrap().unwrap();
	// Alice's export at building-03 (meter #6) and Bob's import at building-00 (meter #0).
	assert_eq!(peer_trade.meters, [6, 0]);

	let status = node.stop().expect("node was running");
	assert!(status.success(), "node did not shut down cleanly: {status}\n{}", node.log());
}
