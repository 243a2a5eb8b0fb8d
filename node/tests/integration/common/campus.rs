//! The campus behind the bridge's and the portal's tests: the bridge binary (simulator, register,
//! run) and other workspace binaries as child processes, a `--dev` node, and plain HTTP GETs.

use super::{within, Node, FINALITY, NODE, STARTUP};
use smartblocks_client::Client;
use std::{
	fs::File,
	path::{Path, PathBuf},
	process::{Child, Command, Output},
	time::{Duration, Instant},
};

/// A binary of this workspace, built beside the node by `cargo test --workspace`.
pub fn workspace_binary(name: &str) -> PathBuf {
	let binary = Path::new(NODE).with_file_name(name);
	assert!(
		binary.exists(),
		"{} is missing: build it with the node (cargo test --workspace builds both)",
		binary.display()
	);
	binary
}

/// Runs the bridge with `args` to completion.
pub fn bridge(args: &[&str]) -> Output {
	Command::new(workspace_binary("meter-bridge")).args(args).output().unwrap()
}

/// Whether `reason` is a new bridge's refusal to forecast today: it has no hours before today
/// on the campus's clock, or, once the campus's midnight passed since its first reading, too few.
pub fn too_little_history(reason: &str) -> bool {
	let reason = reason.split_once("not enough data yet: ").map_or("", |(_, reason)| reason);
	reason.starts_with("there is no history before")
		|| reason.starts_with("0 hours with use and temperature in the")
}

/// Runs the `smartblocks` command line against `node`; prints what it said.
pub fn smartblocks(node: &str, args: &[&str]) -> Output {
	let output = Command::new(workspace_binary("smartblocks"))
		.args(["--node", node])
		.args(args)
		.output()
		.unwrap();
	println!("smartblocks {}\n{}", args.join(" "), String::from_utf8_lossy(&output.stdout));
	output
}

/// What a command that must succeed printed, or a failure with what it said on stderr.
pub fn succeeded(output: Output) -> String {
	let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
	assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
	stdout
}

/// A child process killed when the test ends, also when it fails.
pub struct Process {
	child: Option<Child>,
	log: PathBuf,
}

/// A command for the simulator's stdin (`fault 0:reset`), answered in its log.
pub fn tell(process: &mut Process, command: &str) {
	use std::io::Write;
	let child = process.child.as_mut().expect("running");
	let stdin = child.stdin.as_mut().expect("stdin piped");
	writeln!(stdin, "{command}").unwrap();
	stdin.flush().unwrap();
}

impl Process {
	/// Starts the bridge with `args`, its output appended to `log`.
	pub fn start(args: &[&str], log: PathBuf) -> Process {
		Process::spawn("meter-bridge", args, log)
	}

	/// Starts the workspace binary `name` with `args`, its output appended to `log`.
	pub fn spawn(name: &str, args: &[&str], log: PathBuf) -> Process {
		let out = File::options().create(true).append(true).open(&log).unwrap();
		let child = Command::new(workspace_binary(name))
			.args(args)
			.env("RUST_LOG", "info")
			.stdin(std::process::Stdio::piped())
			.stdout(out.try_clone().unwrap())
			.stderr(out)
			.spawn()
			.unwrap();
		Process { child: Some(child), log }
	}

	/// SIGKILL: no chance to finish anything.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// SIGTERM, as an operator stops it; returns whether it exited cleanly.
	pub fn stop(&mut self) -> bool {
		let Some(mut child) = self.child.take() else { return false };
		let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
		let deadline = Instant::now() + Duration::from_secs(20);
		while Instant::now() < deadline {
			if let Ok(Some(status)) = child.try_wait() {
				return status.success();
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		let _ = child.kill();
		let _ = child.wait();
		false
	}
}

impl Drop for Process {
	fn drop(&mut self) {
		self.kill();
		if std::thread::panicking() {
			let log = std::fs::read_to_string(&self.log).unwrap_or_default();
			let tail: Vec<&str> = log.lines().rev().take(60).collect();
			eprintln!("---- last lines of {} ----", self.log.display());
			for line in tail.into_iter().rev() {
				eprintln!("{line}");
			}
		}
	}
}

/// Waits until a server accepts connections at `address`.
pub async fn wait_until_listening(address: &str, timeout: Duration) {
	let deadline = Instant::now() + timeout;
	while tokio::net::TcpStream::connect(address).await.is_err() {
		assert!(Instant::now() < deadline, "nothing listens on {address} after {timeout:?}");
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// The raw HTTP response to `GET path` from the server at `address`.
pub async fn http_get_bytes(address: &str, path: &str) -> Vec<u8> {
	http_exchange(address, &format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n")).await
}

/// The HTTP response to `method path` with the extra header lines `headers` and a JSON `body`.
pub async fn http_request(
	address: &str,
	method: &str,
	path: &str,
	headers: &[String],
	body: &str,
) -> String {
	let mut request = format!("{method} {path} HTTP/1.0\r\nHost: localhost\r\n");
	for header in headers {
		request.push_str(&format!("{header}\r\n"));
	}
	if !body.is_empty() {
		request.push_str("Content-Type: application/json\r\n");
	}
	request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
	String::from_utf8_lossy(&http_exchange(address, &request).await).to_string()
}

async fn http_exchange(address: &str, request: &str) -> Vec<u8> {
	use tokio::io::{AsyncReadExt, AsyncWriteExt};
	let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
	// HTTP/1.0: the body comes whole, never chunked, and ends when the server closes.
	stream.write_all(request.as_bytes()).await.unwrap();
	let mut response = Vec::new();
	stream.read_to_end(&mut response).await.unwrap();
	response
}

pub async fn http_get(address: &str, path: &str) -> String {
	String::from_utf8_lossy(&http_get_bytes(address, path).await).to_string()
}

/// A `--dev` node named `name` that has finalized its first block, and a client of it.
pub async fn dev_node(name: &str) -> (Node, Client) {
	let node = Node::start(name, &["--dev"]);
	let client = node.client(STARTUP).await;
	within("finality of block 1", STARTUP, client.wait_for_finalized(1)).await.unwrap();
	(node, client)
}

/// Writes the bridge configuration for the campus `simulate` serves with the arguments
/// `campus`: polled every 2 s, on `node`, with `bridge.http` at `http`. Returns its text.
pub fn write_config(campus: &[&str], config: &Path, node: &Node, http: &str) -> String {
	let config_arg = config.to_str().unwrap();
	let node_url = node.ws_url();
	let written = bridge(
		&[
			&["simulate"][..],
			campus,
			&["--write-config", config_arg, "--node", &node_url, "--poll-seconds", "2"],
			&["--http", http],
		]
		.concat(),
	);
	assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
	let text = std::fs::read_to_string(config).unwrap();
	assert!(text.contains(&format!("http = \"{http}\"\n")), "{text}");
	text
}

/// The portal's browser half and tests, beside the binaries in the cargo target folder and in
/// the source tree.
pub fn browser_parts() -> (PathBuf, PathBuf) {
	let target = Path::new(NODE).parent().and_then(Path::parent).unwrap();
	let site = target.join("site");
	assert!(
		site.join("pkg/portal_bg.wasm").is_file(),
		"{} has no browser half: run scripts/build-portal (scripts/test does)",
		site.display()
	);
	let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../portal/tests/browser");
	assert!(
		tests.join("node_modules/playwright-core").is_dir(),
		"playwright-core is missing in {}: run scripts/setup",
		tests.display()
	);
	(site, tests)
}

/// The output of the browser test `script` in `tests` against the portal at `portal`, with the
/// environment `env`, after checking that it passed.
pub async fn run_browser_script(
	tests: &Path,
	script: &str,
	portal: &str,
	env: &[(&str, &str)],
) -> String {
	let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts");
	let mut command = Command::new("node");
	command
		.arg(script)
		.current_dir(tests)
		.env("PORTAL_URL", format!("http://{portal}"))
		.env("ARTIFACTS", &artifacts)
		.envs(env.iter().copied());
	let run = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
	let output =
		format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
	assert!(run.status.success(), "the browser test {script} failed:\n{output}");
	output
}

/// Registers the campus of the bridge configuration `config` on chain with `meter-bridge
/// register`, signed by `owner` (a secret URI); returns what it printed and the chain meters in
/// the configuration's order.
pub async fn register_campus(config: &str, owner: &str) -> (String, Vec<u32>) {
	let args = ["register", "--config", config, "--suri", owner].map(str::to_string);
	let register = move || bridge(&args.iter().map(String::as_str).collect::<Vec<_>>());
	let registered = within("registration", FINALITY * 3, async {
		tokio::task::spawn_blocking(register).await.unwrap()
	})
	.await;
	let out = String::from_utf8_lossy(&registered.stdout).to_string();
	assert!(registered.status.success(), "{out}{}", String::from_utf8_lossy(&registered.stderr));
	let meters = out
		.lines()
		.filter_map(|line| line.split("registered as chain meter ").nth(1))
		.map(|rest| rest.split(' ').next().unwrap().parse().unwrap())
		.collect();
	(out, meters)
}

/// Each chain meter's last sequence, once the node answers.
pub async fn last_sequences(client: &Client, meters: &[u32]) -> Vec<u64> {
	let mut last = Vec::new();
	for meter in meters {
		let info = client.meter(*meter).await.unwrap().expect("a registered meter");
		last.push(info.last_sequence.unwrap_or(0));
	}
	last
}

/// Waits until every meter's last sequence on chain is at least `at_least`.
pub async fn wait_for_sequences(
	node: &Node,
	meters: &[u32],
	at_least: &[u64],
	timeout: Duration,
) -> Vec<u64> {
	let deadline = Instant::now() + timeout;
	loop {
		if let Ok(client) = Client::connect(&node.ws_url()).await {
			if let Ok(Ok(last)) = tokio::time::timeout(Duration::from_secs(10), async {
				Ok::<_, ()>(last_sequences(&client, meters).await)
			})
			.await
			{
				if last.iter().zip(at_least).all(|(seen, wanted)| seen >= wanted) {
					return last;
				}
				assert!(Instant::now() < deadline, "sequences {last:?} did not reach {at_least:?}");
			}
		}
		assert!(Instant::now() < deadline, "the node did not answer within {timeout:?}");
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

/// Waits until the bridge counts at least `at_least` readings of each meter accepted: it does
/// once a finalized block has them, which may come a few blocks after the best block that
/// `wait_for_sequences` reads.
pub async fn wait_for_accepted(http: &str, meters: &[u32], at_least: &[u64]) {
	for (meter, wanted) in meters.iter().zip(at_least) {
		let accepted = |entry: &serde_json::Value| entry["accepted"].as_u64() >= Some(*wanted);
		within("the bridge's finalized readings", FINALITY, status_of(http, *meter, accepted))
			.await;
	}
}

/// The bridge's `/status` entry of `chain_meter` once it satisfies `wanted`.
pub async fn status_of(
	http: &str,
	chain_meter: u32,
	wanted: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
	loop {
		let response = http_get(http, "/status").await;
		if let Some(body) = response.split("\r\n\r\n").nth(1) {
			if let Ok(status) = serde_json::from_str::<serde_json::Value>(body) {
				let entry = status["meters"]
					.as_array()
					.and_then(|meters| meters.iter().find(|m| m["chain_meter"] == chain_meter))
					.cloned();
				if let Some(entry) = entry.filter(&wanted) {
					return entry;
				}
			}
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
}

/// Once the campus has gone quiet: waits (within `catch_up`) until the bridge holds no reading
/// of `meters` pending, every one settled with a finalized block, stops the bridge (`running`,
/// with the configuration `config`), and checks that every reading it recorded is on chain
/// exactly once: consecutive sequences, none refused, and the outbox counts none pending, the
/// chain's all accepted, none refused. Returns the last sequences.
pub async fn all_recorded_on_chain_once(
	client: &Client,
	http: &str,
	running: &mut Process,
	config: &str,
	meters: &[u32],
	catch_up: Duration,
) -> Vec<u64> {
	// Not "the chain stopped moving for a while": a run the pool dropped goes again only after
	// the bridge's resend delay.
	within("the bridge's pending readings reaching finalized blocks", catch_up, async {
		for meter in meters {
			status_of(http, *meter, |entry| entry["pending"].as_u64() == Some(0)).await;
		}
	})
	.await;
	let settled = last_sequences(client, meters).await;
	assert!(running.stop(), "the bridge did not stop cleanly on SIGTERM");

	let status = bridge(&["outbox", "status", "--config", config]);
	let table = String::from_utf8_lossy(&status.stdout).to_string();
	assert!(status.status.success(), "{table}{}", String::from_utf8_lossy(&status.stderr));
	for (meter, last) in meters.iter().zip(&settled) {
		let info = client.meter(*meter).await.unwrap().unwrap();
		// Consecutive sequences, every one accepted: none lost, none twice, none refused.
		assert_eq!(info.chain.length, *last, "meter {meter}: {info:?}");
		assert_eq!(info.refused, 0, "meter {meter}");
		let row = table
			.lines()
			.find(|line| line.split_whitespace().nth(1) == Some(&meter.to_string()))
			.unwrap_or_else(|| panic!("meter {meter} not in\n{table}"));
		let counts: Vec<u64> =
			row.split_whitespace().skip(2).take(3).map(|n| n.parse().unwrap()).collect();
		// Everything the bridge recorded is accepted, exactly the chain's readings.
		assert_eq!(counts, vec![0, *last, 0], "meter {meter}: {row}\n{table}");
	}
	settled
}
