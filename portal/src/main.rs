//! `smartblocks-portal`: serves BlockPortal for one SmartBlocks node.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context;
use clap::Parser;
use leptos::prelude::LeptosOptions;
use smartblocks_portal::server::{
	clients::{Network, ProxyHeader, Streams, TrustedProxies},
	events, follow,
	forecasts::{self, Bridges},
	pending::{Pending, PENDING_MS},
	router, serve,
	session::Sessions,
	AppState, STALLED_READER,
};

/// Event streams the portal serves at once: each holds a connection and, while it catches up, a
/// share of the log's reading.
const EVENT_STREAMS: usize = 256;
/// Event streams one client may hold.
const EVENT_STREAMS_PER_CLIENT: usize = 8;
/// Streams of new blocks the portal serves at once (each open page holds one; they cost a
/// connection and a watch each), and that one client may hold.
const HEAD_STREAMS: usize = 4_096;
const HEAD_STREAMS_PER_CLIENT: usize = 64;

/// BlockPortal: the campus web portal of a SmartBlocks chain.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
	/// The node's RPC endpoint.
	#[arg(long, env = "SMARTBLOCKS_NODE", default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// Address to serve the portal on.
	#[arg(long, env = "SMARTBLOCKS_PORTAL_LISTEN", default_value = "127.0.0.1:3000")]
	listen: SocketAddr,
	/// Folder with the browser half (`pkg/portal.js`, `pkg/portal_bg.wasm`) that
	/// scripts/build-portal writes; without it pages work but do not update live.
	#[arg(long, env = "SMARTBLOCKS_PORTAL_SITE")]
	site_root: Option<PathBuf>,
	/// Seconds between reads of the chain (a read only fetches meters with new readings).
	#[arg(long, default_value_t = 3)]
	refresh_seconds: u64,
	/// Events the event stream keeps for consumers that resume (oldest blocks go first).
	#[arg(long, default_value_t = 200_000)]
	events_kept: usize,
	/// Memory, in MiB, the events kept may take (oldest blocks go first).
	#[arg(long, default_value_t = 64)]
	events_memory_mib: usize,
	/// Hours a sign-in lasts before the member signs in again.
	#[arg(long, default_value_t = 8)]
	session_hours: u64,
	/// Minutes a wallet has to sign a sign-in challenge.
	#[arg(long, default_value_t = 5)]
	challenge_minutes: u64,
	/// A bridge's `bridge.http` address (host:port) to ask for the forecasts of the buildings
	/// it reads, and after a space the token file (mode 0600) of a bridge that requires one
	/// (`--bridge "10.1.2.3:8088 /etc/smartblocks/bridge.token"`); give one per bridge.
	/// Without any, building pages show no forecast.
	#[arg(long = "bridge", value_parser = forecasts::bridge_address)]
	bridges: Vec<String>,
	/// Mark the session cookie `Secure`: set it when the portal is served over HTTPS (behind a
	/// proxy that terminates TLS), so browsers never send the cookie in clear text.
	#[arg(long)]
	secure_cookie: bool,
	/// A reverse proxy in front of the portal (an address or a block such as 10.0.0.0/8); give
	/// one per proxy. Requests from it are counted against the client it names in the
	/// `--proxy-header`, which it must append to (as nginx's `$proxy_add_x_forwarded_for` does);
	/// from any other peer the header is ignored. Without it, everyone behind a proxy shares the
	/// proxy's limits (8 sign-ins under way, 8 event streams).
	#[arg(long = "trusted-proxy")]
	trusted_proxies: Vec<Network>,
	/// The header trusted proxies append the client's address to: x-forwarded-for or forwarded
	/// (RFC 7239). Only that one is read: a proxy passes the other on as the client wrote it.
	#[arg(long, default_value = "x-forwarded-for")]
	proxy_header: ProxyHeader,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
		)
		.init();
	let args = Args::parse();
	let site_root = match &args.site_root {
		Some(root) => {
			let script = root.join("pkg/portal.js");
			if !script.is_file() {
				anyhow::bail!(
					"{} is missing: build the browser half with scripts/build-portal, or leave out \
					 --site-root",
					script.display()
				);
			}
			root.display().to_string()
		}
		None => {
			tracing::warn!("no --site-root: pages are served without their browser half");
			".".to_string()
		}
	};
	let options = LeptosOptions::builder()
		.output_name("portal")
		.site_root(site_root)
		.site_pkg_dir("pkg")
		.site_addr(args.listen)
		.build();
	let chain = follow::ChainView::new();
	tokio::spawn(follow::follow(
		chain.clone(),
		args.node.clone(),
		Duration::from_secs(args.refresh_seconds.max(1)),
	));
	let events =
		events::EventLog::new(args.events_kept, args.events_memory_mib.saturating_mul(1 << 20));
	tokio::spawn(events::follow_events(events.clone(), chain.clone(), args.node.clone()));
	let sessions = Arc::new(Sessions::new(
		args.challenge_minutes.max(1).saturating_mul(60_000),
		args.session_hours.max(1).saturating_mul(3_600_000),
		args.secure_cookie,
	));
	let pending = Arc::new(Pending::new(PENDING_MS));
	let bridges = Arc::new(Bridges::new(args.bridges.clone()));
	let streams = Streams::new(EVENT_STREAMS, EVENT_STREAMS_PER_CLIENT);
	let heads = Streams::new(HEAD_STREAMS, HEAD_STREAMS_PER_CLIENT);
	let proxies = Arc::new(TrustedProxies::new(args.trusted_proxies.clone(), args.proxy_header));
	let app = router(AppState {
		chain,
		events,
		sessions,
		streams,
		heads,
		pending,
		bridges,
		proxies,
		options,
	});
	let listener = tokio::net::TcpListener::bind(args.listen)
		.await
		.with_context(|| format!("cannot listen on {}", args.listen))?;
	let address = listener.local_addr().context("no local address")?;
	println!("BlockPortal: http://{address}/ (node {})", args.node);
	// Each connection's peer address is what per-client limits count.
	let shutdown = async {
		let _ = tokio::signal::ctrl_c().await;
	};
	serve(listener, app, STALLED_READER, shutdown).await.context("the portal's server stopped")
}
