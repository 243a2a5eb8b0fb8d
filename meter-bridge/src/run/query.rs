//! Reading a request's query: its parameters, and the key under which a fitted answer is kept.

use chrono::NaiveDate;

/// How a query names a day.
pub const DAY_FORMAT: &str = "%Y-%m-%d";

/// The parameters that choose a history or forecast answer; any other is ignored.
const CHOOSING: [&str; 3] = ["site", "chain_site", "day"];

/// The value of `name` in a query such as `limit=100&site=a` (its first, if repeated).
pub fn parameter(query: Option<&str>, name: &str) -> Option<String> {
	query.into_iter().flat_map(|q| q.split('&')).find_map(|pair| {
		let (key, value) = pair.split_once('=')?;
		(key == name).then(|| decode(value))
	})
}

/// The key a history or forecast answer is kept under: the path and the parameters that choose
/// the answer, decoded, in a fixed order, a site number and a day as the number and date they
/// name. Reordered, repeated, re-encoded, zero-padded or extra parameters ask for the same answer,
/// so they cannot make the bridge fit again what it has just fitted. A history is the site's
/// whole history, whatever else the query says.
pub fn fit_key(path: &str, query: Option<&str>) -> String {
	let choosing: &[&str] = if path == "/history" { &["site"] } else { &CHOOSING };
	let mut key = path.to_string();
	for name in choosing {
		let Some(mut value) = parameter(query, name) else { continue };
		match *name {
			"day" => {
				if let Ok(day) = NaiveDate::parse_from_str(&value, DAY_FORMAT) {
					value = day.format(DAY_FORMAT).to_string();
				}
			}
			"chain_site" => {
				if let Ok(number) = value.parse::<u32>() {
					value = number.to_string();
				}
			}
			_ => {}
		}
		// The value's length first, so no value can spell out another parameter.
		key.push_str(&format!("\n{name}={}:{value}", value.len()));
	}
	key
}

/// A percent-encoded query value decoded; malformed escapes are kept as they are.
fn decode(value: &str) -> String {
	let bytes = value.as_bytes();
	let mut decoded = Vec::with_capacity(bytes.len());
	let mut index = 0;
	while index < bytes.len() {
		let escaped = (bytes[index] == b'%')
			.then(|| value.get(index + 1..index + 3))
			.flatten()
			.and_then(|hex| u8::from_str_radix(hex, 16).ok());
		match escaped {
			Some(byte) => {
				decoded.push(byte);
				index += 3;
			}
			None => {
				decoded.push(if bytes[index] == b'+' { b' ' } else { bytes[index] });
				index += 1;
			}
		}
	}
	String::from_utf8_lossy(&decoded).into_owned()
}
