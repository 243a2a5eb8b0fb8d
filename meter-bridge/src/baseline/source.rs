//! Where `baseline fit` and `forecast` get a site's series: a CSV file, or the bridge's own
//! readings, from the outbox file or, while the bridge runs and holds that file, from the
//! bridge's `GET /history`.

use super::{history, series, series::Series};
use crate::{
	config::Config,
	outbox::{Outbox, OutboxError},
	run::outbox_path,
};
use anyhow::Context as _;
use http_body_util::{BodyExt, Empty};
use hyper::{body::Bytes, Request};
use hyper_util::rt::TokioIo;
use std::path::Path;
use tokio::net::TcpStream;

/// The series in a CSV file.
pub fn from_csv(path: &Path) -> anyhow::Result<Series> {
	let file = std::fs::File::open(path)
		.with_context(|| format!("{}: cannot open the file", path.display()))?;
	Ok(series::read_csv(file, &path.display().to_string())?)
}

/// `site`'s hours from the bridge's readings.
pub async fn from_bridge(config: &Config, site: &str) -> anyhow::Result<Series> {
	let path = outbox_path(&config.bridge.data_dir);
	match Outbox::open(&path) {
		Ok(outbox) => Ok(Series::Hourly(history::site_hours(config, &outbox, site)?)),
		Err(OutboxError::Open { reason, .. }) if config.bridge.http.is_some() => {
			let address = config.bridge.http.as_deref().unwrap_or_default();
			tracing::info!(%reason, %address, "outbox in use: asking the running bridge");
			let text = fetch_history(address, site).await?;
			let file = format!("http://{address}/history");
			Ok(Series::Hourly(series::read_hours_csv(text.as_bytes(), &file)?))
		}
		Err(error) => Err(error).with_context(|| {
			format!(
				"{}: cannot read the outbox (if the bridge is running, set bridge.http so its \
				 history can be asked for)",
				path.display()
			)
		}),
	}
}

async fn fetch_history(address: &str, site: &str) -> anyhow::Result<String> {
	let unreachable = || format!("cannot reach the bridge at {address}");
	let stream = TcpStream::connect(address).await.with_context(unreachable)?;
	let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
		.await
		.with_context(unreachable)?;
	tokio::spawn(connection);
	let request = Request::get(format!("/history?site={}", encode(site)))
		.header("host", address)
		.body(Empty::<Bytes>::new())?;
	let response = sender.send_request(request).await.with_context(unreachable)?;
	let status = response.status();
	let body = response.into_body().collect().await.with_context(unreachable)?.to_bytes();
	let text = String::from_utf8_lossy(&body).into_owned();
	anyhow::ensure!(status.is_success(), "the bridge at {address} answered {status}: {text}");
	Ok(text)
}

/// Percent-encodes what is not unreserved in a query value.
fn encode(value: &str) -> String {
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
