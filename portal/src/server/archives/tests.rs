// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::server::forecasts::tests::{bridge, not_found, GENESIS};

/// A bridge's `/verify` answer for a meter whose archive `verdict`s.
fn verified(verdict: &str, text: &str) -> String {
	serde_json::json!({
		"verdict": verdict,
		"readings": 10,
		"checkpoints": 2,
		"pending_on_chain": 0,
		"chain_meter": 4,
		"text": text,
		"genesis": GENESIS,
	})
	.to_string()
}

#[tokio::test]
async fn the_bridge_that_keeps_the_meter_says_whether_its_archive_matches_and_is_asked_once() {
	let (elsewhere, _) = bridge(not_found).await;
	let (keeps, asked) = bridge(|path| match path {
		"/verify?chain_meter=4" => (200, verified("matches", "matches: 10 accepted readings")),
		_ => (200, verified("differs", "DIFFERS from sequence 7: the archive holds …")),
	})
	.await;
	let bridges = Bridges::new(vec![elsewhere, keeps.clone()]);
	let status = bridges.archive(4, Some(GENESIS)).await;
	assert_eq!(
		status,
		ArchiveStatus::Verified {
			bridge: keeps.clone(),
			verdict: "matches".into(),
			text: "matches: 10 accepted readings".into(),
		}
	);
	// Kept a minute: the next page asks no one.
	assert_eq!(bridges.archive(4, Some(GENESIS)).await, status);
	assert_eq!(*asked.lock(), ["/verify?chain_meter=4"]);
	let ArchiveStatus::Verified { verdict, text, .. } = bridges.archive(5, Some(GENESIS)).await
	else {
		panic!("not verified")
	};
	assert_eq!((verdict.as_str(), text.starts_with("DIFFERS from sequence 7")), ("differs", true));
}

#[tokio::test]
async fn a_meter_no_bridge_can_verify_says_why() {
	let (elsewhere, _) = bridge(not_found).await;
	assert_eq!(Bridges::new(Vec::new()).archive(4, Some(GENESIS)).await, ArchiveStatus::NoBridge);
	assert_eq!(
		Bridges::new(vec![elsewhere.clone()]).archive(4, Some(GENESIS)).await,
		ArchiveStatus::NotRead
	);
	// A bridge whose node is away, and one of another chain, are not believed.
	let (away, _) = bridge(|_| (503, "cannot verify chain meter 4 now: no node\n".into())).await;
	assert_eq!(
		Bridges::new(vec![away.clone()]).archive(4, Some(GENESIS)).await,
		ArchiveStatus::Unavailable {
			bridge: away,
			reason: "it answered 503 Service Unavailable: cannot verify chain meter 4 now: no node"
				.into(),
		}
	);
	let (other, _) =
		bridge(|_| (200, verified("matches", "matches").replace("0x01", "0x02"))).await;
	let ArchiveStatus::Unavailable { reason, .. } =
		Bridges::new(vec![other]).archive(4, Some(GENESIS)).await
	else {
		panic!("believed")
	};
	assert!(reason.starts_with("it reads the meters of another chain (0x02"), "{reason}");
}
