//! Asking the running bridge over its HTTP (`bridge.http`), for the commands that would read the
//! outbox file while the running bridge holds it.

use crate::config::Config;
use anyhow::Context as _;
use http_body_util::{BodyExt, Empty};
use hyper::{body::Bytes, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The body of `GET path` (with its query) from the bridge `config` describes, serving on
/// `address` (its `bridge.http`), bearing the bridge's token if it has one.
pub async fn get(config: &Config, address: &str, path: &str) -> anyhow::Result<String> {
	let token = match &config.bridge.http_token_file {
		Some(file) => Some(smartblocks_client::token::read_token_file(file)?),
		None => None,
	};
	let unreachable = || format!("cannot reach the bridge at {address}");
	let stream = TcpStream::connect(address).await.with_context(unreachable)?;
	let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
		.await
		.with_context(unreachable)?;
	tokio::spawn(connection);
	let mut request = Request::get(path).header("host", address);
	if let Some(token) = token {
		request = request.header("authorization", format!("Bearer {token}"));
	}
	let request = request.body(Empty::<Bytes>::new())?;
	let response = sender.send_request(request).await.with_context(unreachable)?;
	let status = response.status();
	let body = response.into_body().collect().await.with_context(unreachable)?.to_bytes();
	let text = String::from_utf8_lossy(&body).into_owned();
	anyhow::ensure!(status.is_success(), "the bridge at {address} answered {status}: {text}");
	Ok(text)
}

/// Percent-encodes what is not unreserved in a query value.
pub fn encode(value: &str) -> String {
	value
		.bytes()
		.map(|byte| match byte {
			b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
				(byte as char).to_string()
			}
			other => format!("%{other:02X}"),
		})
		.collect()
}
