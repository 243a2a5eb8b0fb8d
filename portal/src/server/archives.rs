//! Whether a meter's archive of raw readings is the chain's record, from the bridge that keeps
//! it (`--bridge`): its `GET /verify?chain_meter=N` chains the meter's readings in its outbox and
//! compares them with the hash chain's day checkpoints and head on chain, as `meter-bridge verify`
//! does. A verdict is kept a minute (the bridge keeps it ten); why there is none only a few
//! seconds, so a verification that outlasts the portal's patience shows on the next page.

use std::time::{Duration, Instant};

use hyper::StatusCode;
use serde::Deserialize;

use super::{
	forecasts::{Asked, Bridges, Step},
	AppState,
};
use crate::meter::{ArchiveStatus, MeterDetail};

/// How long a verdict is shown before the bridges are asked again, and why there is none.
const VERDICT_KEPT: Duration = Duration::from_secs(60);
const NO_VERDICT_KEPT: Duration = Duration::from_secs(5);

/// A bridge's `/verify` answer; what the portal does not show is left unread.
#[derive(Deserialize)]
struct Served {
	genesis: String,
	/// `matches`, `differs` or `unchecked`.
	verdict: String,
	text: String,
}

impl Bridges {
	/// What the bridge that keeps meter `meter`'s archive says of it. `genesis` is the chain's,
	/// when the node answers: a bridge of another chain is not believed.
	pub async fn archive(&self, meter: u32, genesis: Option<&str>) -> ArchiveStatus {
		let now = Instant::now();
		if let Some((until, status)) = self.archives.lock().get(&meter) {
			if *until > now {
				return status.clone();
			}
		}
		let status = self.ask_archive(meter, genesis).await;
		let kept_for = match status {
			ArchiveStatus::Verified { .. } => VERDICT_KEPT,
			_ => NO_VERDICT_KEPT,
		};
		let mut kept = self.archives.lock();
		kept.retain(|_, (until, _)| *until > now);
		kept.insert(meter, (now + kept_for, status.clone()));
		status
	}

	async fn ask_archive(&self, meter: u32, genesis: Option<&str>) -> ArchiveStatus {
		if self.is_empty() {
			return ArchiveStatus::NoBridge;
		}
		let path = format!("/verify?chain_meter={meter}");
		let asked = self
			.ask_each(&path, |status, body| {
				if status != StatusCode::OK {
					return Step::Failed(format!("it answered {status}: {}", body.trim()));
				}
				match serde_json::from_str::<Served>(body) {
					Ok(served) if genesis.is_some_and(|ours| ours != served.genesis) => {
						Step::Failed(format!(
							"it reads the meters of another chain ({})",
							served.genesis
						))
					}
					Ok(served) => Step::Done(served),
					Err(error) => Step::Failed(format!("its answer is unreadable: {error}")),
				}
			})
			.await;
		match asked {
			Asked::Done { bridge, value } => {
				ArchiveStatus::Verified { bridge, verdict: value.verdict, text: value.text }
			}
			Asked::Unavailable { bridge, reason } => ArchiveStatus::Unavailable { bridge, reason },
			Asked::NotRead => ArchiveStatus::NotRead,
		}
	}
}

impl AppState {
	/// Meter `id`'s page, with what its bridge says of its archive; `None` if the chain has no
	/// such meter.
	pub async fn meter_detail(&self, id: u32) -> Option<MeterDetail> {
		let mut detail = self.chain.campus().meter_detail(id, self.chain.status())?;
		let genesis =
			self.chain.client().map(|client| format!("0x{}", hex::encode(client.genesis_hash().0)));
		detail.archive = self.bridges.archive(id, genesis.as_deref()).await;
		Some(detail)
	}
}

#[cfg(test)]
mod tests;
