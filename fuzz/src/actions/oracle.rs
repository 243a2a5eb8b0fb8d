//! Oracle values: batches of submissions from providers and others, for periods that just ended
//! (or are to come, or long gone), values near each other (or outliers, or implausible), and
//! values finalized after a quorum change.

use arbitrary::Unstructured;
use frame_support::BoundedVec;
use pallet_energy_oracle::{Call as OracleCall, Feed, FeedKind, Submission};
use smartblocks_runtime::{Runtime, RuntimeCall};
use sp_keyring::Sr25519Keyring;

use super::{account, byte, meters::REGIONS, pick, send};
use crate::{chain::Chain, invariants::Finding};

/// `local_testnet`'s founders with the `OracleProvider` role.
const PROVIDERS: [Sr25519Keyring; 3] =
	[Sr25519Keyring::Alice, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];

const KINDS: [FeedKind; 4] = [
	FeedKind::MarketPrice,
	FeedKind::OutdoorTemperature,
	FeedKind::CarbonIntensity,
	FeedKind::TemperatureForecast,
];

/// A feed in one of the sites' regions (or one no site is in).
fn feed(input: &mut Unstructured) -> Feed {
	let region: &[u8] = match byte(input) {
		0..=239 => pick(input, &REGIONS),
		_ => b"XX",
	};
	Feed { kind: pick(input, &KINDS), region: BoundedVec::truncate_from(region.to_vec()) }
}

/// A period around the clock's: mostly the one that just ended, sometimes one ahead or long ago.
fn period(chain: &mut Chain, input: &mut Unstructured) -> u32 {
	let current = chain.execute_with(|| {
		pallet_energy_oracle::Pallet::<Runtime>::period_of(pallet_timestamp::Now::<Runtime>::get())
	});
	match byte(input) {
		0..=199 => current.saturating_sub(1 + u32::from(byte(input) % 4)),
		200..=239 => current.saturating_add(u32::from(byte(input) % 4)),
		_ => current.saturating_sub(u32::from(byte(input)) * 96),
	}
}

/// A value of `kind`: its plausible middle moved by the input, or out of its plausible range.
fn value(kind: FeedKind, input: &mut Unstructured) -> i64 {
	let range = kind.plausible();
	let middle = (range.start() + range.end()) / 2;
	let spread = (range.end() - range.start()) / 1_000;
	match byte(input) {
		0..=247 => middle + (i64::from(byte(input)) - 128) * spread / 128,
		_ => range.end() + 1,
	}
}

/// One to three values submitted by the three founders who provide (a quorum of
/// `local_testnet`), each a little off the others, or by any one account.
pub(super) fn submit(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let count = 1 + byte(input) % 3;
	let values: Vec<Submission> = (0..count)
		.map(|_| {
			let feed = feed(input);
			let period = period(chain, input);
			let value = value(feed.kind, input);
			Submission { feed, period, value }
		})
		.collect();
	let senders = match byte(input) {
		0..=159 => PROVIDERS.to_vec(),
		_ => vec![account(input)],
	};
	for who in senders {
		let jitter = i64::from(byte(input) % 9) - 4;
		let values = values.iter().map(|submission| Submission {
			value: submission.value + jitter,
			..submission.clone()
		});
		let values = BoundedVec::truncate_from(values.collect::<Vec<_>>());
		send(chain, who, RuntimeCall::Oracle(OracleCall::submit_values { values }))?;
	}
	Ok(())
}

/// Anyone asks for a period's value to be fixed.
pub(super) fn finalize(chain: &mut Chain, input: &mut Unstructured) -> Result<(), Finding> {
	let who = account(input);
	let feed = feed(input);
	let period = period(chain, input);
	send(chain, who, RuntimeCall::Oracle(OracleCall::finalize_value { feed, period }))
}
