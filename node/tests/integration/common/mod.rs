//! Starts real `smartblocks-node` processes for tests, on free loopback ports, and stops them
//! with SIGTERM when dropped, also when the test fails. A failing test prints each node's log.

pub mod campus;
pub mod meters;

use smartblocks_client::{
	registry::{Motion, Proposal, RuntimeCall},
	subxt::rpcs::rpc_params,
	subxt_signer::sr25519::{dev, Keypair},
	Client, ClientError,
};
use std::{
	fs::File,
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, ExitStatus, Output, Stdio},
	sync::{
		atomic::{AtomicU32, Ordering},
		Mutex,
	},
	time::{Duration, Instant},
};
use tempfile::TempDir;

/// How long a node may take to start and answer (a `--dev` node also to finalize its first block).
pub const STARTUP: Duration = Duration::from_secs(120);
/// How long a submitted transaction may take to be finalized.
pub const FINALITY: Duration = Duration::from_secs(90);

/// The node binary cargo built for this test run.
pub const NODE: &str = env!("CARGO_BIN_EXE_smartblocks-node");

/// The `--wasmtime-cache` the tests' nodes share unless a test gives its own: each runtime is
/// compiled once for the run instead of at every start of every node.
pub fn shared_wasmtime_cache() -> PathBuf {
	PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wasmtime-cache")
}

/// Under nextest, each test process takes its ports from its slot's own range (a slot runs one
/// test at a time), below the kernel's ephemeral ports (from 32768 here): a port the kernel
/// handed out and we closed again could go to another test's process, side by side, before the
/// node we start binds it.
const SLOT_PORTS_FROM: u32 = 20_000;
const PORTS_PER_SLOT: u32 = 200;

/// A port nobody listens on right now, for a process the test starts.
pub fn free_port() -> u16 {
	static TAKEN: AtomicU32 = AtomicU32::new(0);
	let slot =
		std::env::var("NEXTEST_TEST_GLOBAL_SLOT").ok().and_then(|slot| slot.parse::<u32>().ok());
	let first = slot
		.and_then(|slot| slot.checked_mul(PORTS_PER_SLOT)?.checked_add(SLOT_PORTS_FROM))
		.filter(|first| first + PORTS_PER_SLOT <= 32_768);
	let Some(first) = first else {
		// cargo test: one process, whose tests take the kernel's choice.
		return TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	};
	loop {
		let taken = TAKEN.fetch_add(1, Ordering::Relaxed);
		assert!(taken < PORTS_PER_SLOT, "this test used all {PORTS_PER_SLOT} ports of its slot");
		let port = u16::try_from(first + taken).unwrap();
		if TcpListener::bind(("127.0.0.1", port)).is_ok() {
			return port;
		}
	}
}

/// Runs the node binary with `args` to completion (for subcommands and bad input).
pub fn run_node(args: &[&str]) -> Output {
	Command::new(NODE).args(args).output().expect("run the node binary")
}

/// Returns at once, or, when UTC midnight (the chain's day boundary) is less than `margin` away,
/// a minute after it: for a test whose steps must all fall on one day.
pub async fn clear_of_midnight(margin: Duration) {
	use smartblocks_client::meters::DAY_MS;
	let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
	let now_ms = u64::try_from(now.as_millis()).unwrap();
	let left = Duration::from_millis(DAY_MS - now_ms % DAY_MS);
	if left < margin {
		tokio::time::sleep(left + Duration::from_secs(60)).await;
	}
}

/// A running node.
pub struct Node {
	name: String,
	args: Vec<String>,
	child: Mutex<Option<Child>>,
	pub rpc_port: u16,
	pub p2p_port: u16,
	pub prometheus_port: u16,
	dir: TempDir,
}

impl Node {
	/// Starts the node with `args`, a temporary base path (removed on drop), and free RPC, p2p and
	/// Prometheus ports on loopback.
	pub fn start(name: &str, args: &[&str]) -> Node {
		Self::start_with_keys(name, args, "", &[])
	}

	/// Starts the node with `args` as [`Node::start`] does, after putting `keys` (scheme, key
	/// type, secret URI) into its keystore for the chain `chain` with `key insert`, as an
	/// operator does before a validator's first start.
	pub fn start_with_keys(
		name: &str,
		args: &[&str],
		chain: &str,
		keys: &[(&str, &str, &str)],
	) -> Node {
		let dir = tempfile::tempdir().unwrap();
		let (rpc_port, p2p_port, prometheus_port) = (free_port(), free_port(), free_port());
		let args = args.iter().map(|arg| arg.to_string()).collect();
		let child = Mutex::new(None);
		let name = name.to_string();
		let node = Node { name, args, child, rpc_port, p2p_port, prometheus_port, dir };
		for (scheme, key_type, suri) in keys {
			let base_path = node.base_path();
			let inserted = run_node(&[
				"key",
				"insert",
				"--base-path",
				base_path.to_str().unwrap(),
				"--chain",
				chain,
				"--scheme",
				scheme,
				"--key-type",
				key_type,
				"--suri",
				suri,
			]);
			let stderr = String::from_utf8_lossy(&inserted.stderr);
			assert!(inserted.status.success(), "key insert: {stderr}");
		}
		node.spawn();
		node
	}

	/// Starts the node process again after `stop` or `kill`: same base path, same ports.
	pub fn restart(&mut self) {
		self.stop();
		self.spawn();
	}

	/// The node's `--base-path`: its database and keystore.
	pub fn base_path(&self) -> PathBuf {
		self.dir.path().join("data")
	}

	fn spawn(&self) {
		let log = File::options().create(true).append(true).open(self.log_path()).unwrap();
		let mut command = Command::new(NODE);
		if !self.args.iter().any(|arg| arg.starts_with("--wasmtime-cache")) {
			command.arg("--wasmtime-cache").arg(shared_wasmtime_cache());
		}
		let child = command
			.args(&self.args)
			.args(["--base-path", self.base_path().to_str().unwrap()])
			.args(["--rpc-port", &self.rpc_port.to_string()])
			.args(["--prometheus-port", &self.prometheus_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", self.p2p_port)])
			// Tests stay on loopback: no mDNS multicast, no telemetry.
			.args(["--no-mdns", "--no-telemetry"])
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.expect("start the node binary");
		*self.child.lock().unwrap() = Some(child);
	}

	/// Kills the node with SIGKILL, as a power cut would: no chance to shut down cleanly.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.lock().unwrap().take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	pub fn log_path(&self) -> PathBuf {
		self.dir.path().join("node.log")
	}

	pub fn log(&self) -> String {
		std::fs::read_to_string(self.log_path()).unwrap_or_default()
	}

	/// Panics with the log if the node process has already exited.
	fn assert_running(&self) {
		let mut child = self.child.lock().unwrap();
		if let Some(status) = child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
			panic!("{} exited with {status}:\n{}", self.name, self.log());
		}
	}

	/// The node's libp2p address, for `--bootnodes` of the others.
	pub fn multiaddr(&self, timeout: Duration) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.p2p_port, self.peer_id(timeout))
	}

	/// The node's libp2p peer id (base58), from its log.
	pub fn peer_id(&self, timeout: Duration) -> String {
		wait_for(timeout, || {
			self.assert_running();
			self.log()
				.lines()
				.find_map(|l| l.split("Local node identity is: ").nth(1).map(str::trim))
				.map(str::to_string)
		})
		.unwrap_or_else(|| panic!("{} never logged its peer id:\n{}", self.name, self.log()))
	}

	/// A client connected to the node, once its RPC server answers.
	pub async fn client(&self, timeout: Duration) -> Client {
		let deadline = Instant::now() + timeout;
		loop {
			match Client::connect(&self.ws_url()).await {
				Ok(client) => return client,
				Err(e) if Instant::now() > deadline => {
					panic!("{}: RPC never came up: {e}\n{}", self.name, self.log())
				}
				Err(_) => {
					self.assert_running();
					tokio::time::sleep(Duration::from_millis(500)).await
				}
			}
		}
	}

	/// Freezes the process with SIGSTOP, as a hung host or a virtual machine paused for
	/// maintenance would: its connections stay open and nothing answers on them.
	pub fn pause(&self) {
		self.signal("STOP");
	}

	/// Lets a paused process go on (SIGCONT).
	pub fn resume(&self) {
		self.signal("CONT");
	}

	fn signal(&self, signal: &str) {
		let child = self.child.lock().unwrap();
		let pid = child.as_ref().unwrap_or_else(|| panic!("{} is not running", self.name)).id();
		let sent = Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status();
		assert!(sent.unwrap().success(), "kill -{signal} {pid} ({}) failed", self.name);
	}

	/// Stops the node with SIGTERM, as an operator would, and returns how it exited.
	pub fn stop(&mut self) -> Option<ExitStatus> {
		let mut child = self.child.lock().unwrap().take()?;
		let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
		// A paused node handles the signal only once it runs again.
		let _ = Command::new("kill").args(["-CONT", &child.id().to_string()]).status();
		let deadline = Instant::now() + Duration::from_secs(30);
		while Instant::now() < deadline {
			if let Ok(Some(status)) = child.try_wait() {
				return Some(status);
			}
			std::thread::sleep(Duration::from_millis(100));
		}
		let _ = child.kill();
		child.wait().ok()
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.stop();
		if std::thread::panicking() {
			let log = self.log();
			let tail: Vec<&str> = log.lines().rev().take(60).collect();
			eprintln!("---- last lines of {}'s log ----", self.name);
			for line in tail.into_iter().rev() {
				eprintln!("{line}");
			}
		}
	}
}

/// Polls `f` until it returns `Some` or `timeout` passes.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(v) = f() {
			return Some(v);
		}
		if Instant::now() > deadline {
			return None;
		}
		std::thread::sleep(Duration::from_millis(200));
	}
}

/// Bounds an async step so a stuck chain fails the test instead of hanging CI.
pub async fn within<T>(
	what: &str,
	timeout: Duration,
	fut: impl std::future::Future<Output = T>,
) -> T {
	tokio::time::timeout(timeout, fut)
		.await
		.unwrap_or_else(|_| panic!("{what} took longer than {timeout:?}"))
}

/// The number of the block `chain_getHeader` returns for `hash` (the best block for `None`).
async fn header_number(client: &Client, hash: Option<String>) -> u64 {
	let header: serde_json::Value =
		client.rpc().request("chain_getHeader", rpc_params![hash]).await.unwrap();
	let number = header["number"].as_str().expect("a header has a number");
	u64::from_str_radix(number.trim_start_matches("0x"), 16).unwrap()
}

/// The best block's number, as the node reports it over RPC.
pub async fn best_block(client: &Client) -> u64 {
	header_number(client, None).await
}

/// The newest finalized block's number, as the node reports it over RPC.
pub async fn finalized_block(client: &Client) -> u64 {
	let hash: String = client.rpc().request("chain_getFinalizedHead", rpc_params![]).await.unwrap();
	header_number(client, Some(hash)).await
}

/// Validators of a non-development chain must bring their own network key.
pub fn node_key(n: u8) -> String {
	format!("{:064x}", n)
}

/// The `local_testnet` chain's four founding validators (Alice to Dave), each a node process;
/// returns them and Alice's address for further nodes to boot from.
pub fn start_local_testnet(startup: Duration) -> (Vec<Node>, String) {
	let alice = Node::start("alice", &["--chain", "local", "--alice", "--node-key", &node_key(1)]);
	let bootnode = alice.multiaddr(startup);
	let mut nodes = vec![alice];
	for (name, n) in ["bob", "charlie", "dave"].into_iter().zip(2u8..) {
		let (flag, key) = (format!("--{name}"), node_key(n));
		let args = ["--chain", "local", &flag, "--node-key", &key, "--bootnodes", &bootnode];
		nodes.push(Node::start(name, &args));
	}
	(nodes, bootnode)
}

/// An HTTP answer of a test server: status line (`200 OK`), content type and body.
pub type Answer = (&'static str, &'static str, Vec<u8>);

/// Serves HTTP/1.1 on a free loopback port until the test ends: each request's path (with its
/// query) goes to `answer`. Returns the port.
pub async fn serve_http(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> u16 {
	use tokio::io::AsyncWriteExt;
	serve_raw(move |path, mut stream| {
		let (status, content_type, body) = answer(&path);
		async move {
			let head = format!(
				"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
				 Connection: close\r\n\r\n",
				body.len()
			);
			let _ = stream.write_all(head.as_bytes()).await;
			let _ = stream.write_all(&body).await;
		}
	})
	.await
}

/// Accepts connections on a free loopback port until the test ends, reads each request's head
/// and hands its path (with its query) and the connection to `handle`, which writes the answer
/// as it likes (slowly, say, or too much). Returns the port.
pub async fn serve_raw<F, Answering>(handle: F) -> u16
where
	F: Fn(String, tokio::net::TcpStream) -> Answering + Send + Sync + 'static,
	Answering: std::future::Future<Output = ()> + Send + 'static,
{
	use tokio::io::AsyncReadExt;
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let port = listener.local_addr().unwrap().port();
	let handle = std::sync::Arc::new(handle);
	tokio::spawn(async move {
		loop {
			let Ok((mut stream, _)) = listener.accept().await else { return };
			let handle = handle.clone();
			tokio::spawn(async move {
				let mut request = Vec::new();
				let mut buffer = [0u8; 1024];
				while !request.windows(4).any(|w| w == b"\r\n\r\n") {
					match stream.read(&mut buffer).await {
						Ok(0) | Err(_) => return,
						Ok(n) => request.extend_from_slice(&buffer[..n]),
					}
				}
				let path =
					String::from_utf8_lossy(&request).split(' ').nth(1).unwrap_or("").to_string();
				handle(path, stream).await;
			});
		}
	});
	port
}

/// On `local_testnet`: Alice proposes `call` needing `ayes` votes; the first `ayes` of Alice,
/// Bob, Charlie and Dave vote for it (a proposer's vote is not implied); Dave closes the
/// motion. Returns whether it executed, or the chain's refusal of its call.
pub async fn council_motion(
	client: &Client,
	call: RuntimeCall,
	ayes: u32,
) -> Result<bool, ClientError> {
	let proposal = client.propose_to_council(&dev::alice(), ayes, call).await.unwrap();
	let Proposal::Open(motion) = proposal else { panic!("a threshold of {ayes} executed at once") };
	let founders = [dev::alice(), dev::bob(), dev::charlie(), dev::dave()];
	let voters = &founders[..ayes as usize];
	futures::future::join_all(voters.iter().map(|voter| vote_aye(client, voter, &motion))).await;
	client.close_council_motion(&dev::dave(), &motion).await
}

async fn vote_aye(client: &Client, voter: &Keypair, motion: &Motion) {
	client.vote_in_council(voter, motion, true).await.unwrap();
}

/// A motion of three of the founders that executes: a majority, and of the four founders'
/// council two thirds too.
pub async fn pass_council_motion(client: &Client, call: RuntimeCall) {
	assert!(
		council_motion(client, call, 3).await.unwrap(),
		"the council's motion did not execute successfully"
	);
}
