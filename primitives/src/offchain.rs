//! An off-chain worker's HTTP GET: one request with a deadline, its body if the status is 200.

extern crate alloc;

use alloc::{format, string::String, vec::Vec};
use sp_runtime::offchain::{http, Duration};

/// GETs `url` asking for `accept`, waiting at most `deadline_ms`; the body of a 200 answer, or
/// what went wrong.
pub fn get(url: &str, accept: &str, deadline_ms: u64) -> Result<Vec<u8>, String> {
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(deadline_ms));
	let pending = http::Request::get(url)
		.add_header("Accept", accept)
		.deadline(deadline)
		.send()
		.map_err(|e| format!("request not sent: {e:?}"))?;
	let response = pending
		.try_wait(deadline)
		.map_err(|_| String::from("no response within the deadline"))?
		.map_err(|e| format!("request failed: {e:?}"))?;
	if response.code != 200 {
		return Err(format!("HTTP status {}", response.code));
	}
	Ok(response.body().collect())
}
