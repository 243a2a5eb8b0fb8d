//! The bridge's connection to its node, made again after the node went away: polling goes on
//! during an outage, and sending and reconciling resume when the node is back.

use smartblocks_client::{Client, ClientError};
use std::time::Duration;
use tokio::sync::Mutex;

/// The longest a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

pub struct NodeConnection {
	url: String,
	client: Mutex<Option<Client>>,
}

impl NodeConnection {
	pub fn new(url: &str) -> NodeConnection {
		NodeConnection { url: url.to_string(), client: Mutex::new(None) }
	}

	pub fn url(&self) -> &str {
		&self.url
	}

	/// The connected client, connecting first if there is none.
	pub async fn client(&self) -> Result<Client, ClientError> {
		let mut client = self.client.lock().await;
		if let Some(connected) = client.as_ref() {
			return Ok(connected.clone());
		}
		let connected = tokio::time::timeout(CONNECT_TIMEOUT, Client::connect(&self.url))
			.await
			.map_err(|_| ClientError::Connect {
			url: self.url.clone(),
			reason: format!("no answer within {CONNECT_TIMEOUT:?}"),
		})??;
		tracing::info!(node = %self.url, "connected to the node");
		*client = Some(connected.clone());
		Ok(connected)
	}

	/// Drops the connection after `error`, so the next use connects again.
	pub async fn lost(&self, error: &(dyn std::fmt::Display + Sync)) {
		let mut client = self.client.lock().await;
		if client.take().is_some() {
			tracing::warn!(node = %self.url, %error, "lost the node; will reconnect");
		}
	}
}
