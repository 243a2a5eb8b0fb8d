//! An off-chain worker's HTTP GET: one request with a deadline on the whole exchange, body
//! included, and a cap on the body's size, so a source that trickles or floods its answer costs
//! the worker at most the deadline and the cap.

extern crate alloc;

use alloc::{format, string::String, vec::Vec};
use sp_runtime::offchain::{http, Duration, HttpError};

/// The largest body a worker reads: far above any feed's or bridge's answer.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// GETs `url` asking for `accept`; the body of a 200 answer if it arrives whole within
/// `deadline_ms` and holds at most [`MAX_BODY`] bytes, or what went wrong in words for the log.
pub fn get(url: &str, accept: &str, deadline_ms: u64) -> Result<Vec<u8>, String> {
	get_with(url, &[("Accept", accept)], deadline_ms, MAX_BODY)
}

/// [`get`] with the request's `headers` and a body cap of `max_body` bytes.
pub fn get_with(
	url: &str,
	headers: &[(&str, &str)],
	deadline_ms: u64,
	max_body: usize,
) -> Result<Vec<u8>, String> {
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(deadline_ms));
	let request = headers
		.iter()
		.fold(http::Request::get(url), |request, (name, value)| request.add_header(name, value));
	let pending =
		request.deadline(deadline).send().map_err(|e| format!("request not sent: {e:?}"))?;
	let response = pending
		.try_wait(deadline)
		.map_err(|_| format!("no response within the deadline of {deadline_ms} ms"))?
		.map_err(|e| format!("request failed: {e:?}"))?;
	if response.code != 200 {
		return Err(format!("HTTP status {}", response.code));
	}
	// The body is read against the same deadline: without one, reading waits for ever.
	let mut body = response.body();
	body.deadline(deadline);
	let mut bytes = Vec::new();
	for byte in body.by_ref() {
		if bytes.len() == max_body {
			return Err(format!("the body is larger than the cap of {max_body} bytes"));
		}
		bytes.push(byte);
	}
	match body.error() {
		None => Ok(bytes),
		Some(HttpError::DeadlineReached) => Err(format!(
			"the body was not complete within the deadline of {deadline_ms} ms ({} bytes read)",
			bytes.len()
		)),
		Some(error) => Err(format!("reading the body failed: {error:?}")),
	}
}
