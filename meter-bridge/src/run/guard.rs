//! What guards the bridge's HTTP: the bearer token a request must carry, the connections one
//! peer may hold, and the answers that fit a model kept a minute, so a client asking again and
//! again costs one fit.

use std::{
	collections::HashMap,
	net::IpAddr,
	sync::{Arc, Mutex, MutexGuard},
	time::{Duration, Instant},
};

/// Whether an `Authorization` header value bears `token`, compared in constant time.
pub fn bears(header: Option<&str>, token: &str) -> bool {
	let Some(offered) = header.and_then(|value| value.strip_prefix("Bearer ")) else {
		return false;
	};
	let (offered, token) = (offered.trim().as_bytes(), token.as_bytes());
	offered.len() == token.len()
		&& offered.iter().zip(token).fold(0u8, |differ, (a, b)| differ | (a ^ b)) == 0
}

/// Whether a request's `Host` header names this machine's loopback (`localhost`, `127.0.0.1`,
/// `[::1]`, with any port): what a bridge without a token answers, so that a web page that
/// rebinds its own domain name to 127.0.0.1 cannot read the bridge from a browser on its machine.
pub fn for_loopback(host: Option<&str>) -> bool {
	let Some(host) = host else { return false };
	let name = match host.strip_prefix('[') {
		Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
		None => host.split(':').next().unwrap_or_default(),
	};
	name.eq_ignore_ascii_case("localhost")
		|| name.parse::<std::net::IpAddr>().is_ok_and(|address| address.is_loopback())
}

/// The connections open per peer address, each peer within its share, so that one client
/// (without the token, say) cannot take every place and lock out the node and the portal.
pub struct PeerPlaces {
	per_peer: usize,
	open: Mutex<HashMap<IpAddr, usize>>,
}

/// A connection's place; dropping it (the connection ended) frees it.
pub struct PeerPlace {
	places: Arc<PeerPlaces>,
	peer: IpAddr,
}

impl PeerPlaces {
	pub fn new(per_peer: usize) -> Arc<Self> {
		Arc::new(PeerPlaces { per_peer, open: Mutex::new(HashMap::new()) })
	}

	/// A place for one more connection of `peer`, unless it holds its share.
	pub fn take(self: &Arc<Self>, peer: IpAddr) -> Option<PeerPlace> {
		let mut open = self.lock();
		let count = open.entry(peer).or_default();
		if *count >= self.per_peer {
			return None;
		}
		*count += 1;
		Some(PeerPlace { places: self.clone(), peer })
	}

	/// The connections `peer` holds.
	pub fn held_by(&self, peer: IpAddr) -> usize {
		self.lock().get(&peer).copied().unwrap_or_default()
	}

	fn lock(&self) -> MutexGuard<'_, HashMap<IpAddr, usize>> {
		locked(&self.open)
	}
}

impl Drop for PeerPlace {
	fn drop(&mut self) {
		let mut open = self.places.lock();
		if let Some(count) = open.get_mut(&self.peer) {
			*count = count.saturating_sub(1);
			if *count == 0 {
				open.remove(&self.peer);
			}
		}
	}
}

/// An answer as the cache keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kept {
	pub status: u16,
	pub kind: &'static str,
	pub body: Vec<u8>,
}

/// An answer kept with the moment it was made; empty while the first asker makes it, or after
/// a server error.
type Slot = Arc<Mutex<Option<(Instant, Kept)>>>;

/// Answers by request key, each served again for `fresh`; at most `capacity` keys, the oldest
/// going first. Requests for a key that is being made wait for that answer instead of making
/// it again, so many clients asking at once cost one fit.
pub struct AnswerCache {
	fresh: Duration,
	capacity: usize,
	kept: Mutex<HashMap<String, Slot>>,
}

impl AnswerCache {
	pub fn new(fresh: Duration, capacity: usize) -> Self {
		AnswerCache { fresh, capacity: capacity.max(1), kept: Mutex::new(HashMap::new()) }
	}

	/// The answer to `request`: the one kept if it is fresh, else `make`'s (made by one asker
	/// while the others for the same key wait). Only answers that cost a fit are kept (a success,
	/// or "cannot be fitted yet"): a server error should be tried anew, and cheap refusals (a bad
	/// query, an unknown site) kept would only push fitted answers out.
	pub fn answer(&self, request: &str, make: impl FnOnce() -> Kept) -> Kept {
		let slot = self.slot(request);
		let mut answer = locked(&slot);
		if let Some((at, kept)) = answer.as_ref() {
			if at.elapsed() < self.fresh {
				return kept.clone();
			}
		}
		let made = make();
		let fitted = made.status == 200 || made.status == 422;
		*answer = fitted.then(|| (Instant::now(), made.clone()));
		drop(answer);
		if fitted {
			self.make_room(request);
		}
		made
	}

	/// Keeps at most `capacity` answers, `request`'s among them: the oldest others go.
	fn make_room(&self, request: &str) {
		let mut kept = locked(&self.kept);
		loop {
			let filled: Vec<(Instant, String)> = kept
				.iter()
				.filter(|(key, _)| key.as_str() != request)
				.filter_map(|(key, slot)| Some((age(slot)??, key.clone())))
				.collect();
			if filled.len() < self.capacity {
				return;
			}
			match filled.into_iter().min() {
				Some((_, oldest)) => kept.remove(&oldest),
				None => return,
			};
		}
	}

	/// The slot of `request`, made room for: stale slots nobody holds go, then the oldest.
	fn slot(&self, request: &str) -> Slot {
		let mut kept = locked(&self.kept);
		if let Some(slot) = kept.get(request) {
			return slot.clone();
		}
		kept.retain(|_, slot| match age(slot) {
			Some(Some(at)) => at.elapsed() < self.fresh,
			Some(None) => false,
			None => true,
		});
		kept.entry(request.to_string()).or_default().clone()
	}
}

/// When a slot's answer was made: `Some(None)` while it has none, `None` while another request
/// holds the slot (making or reading it), which has no age to judge yet.
fn age(slot: &Slot) -> Option<Option<Instant>> {
	(Arc::strong_count(slot) == 1).then(|| locked(slot).as_ref().map(|(at, _)| *at))
}

/// `mutex` locked; a panic while it was held left nothing half-written that matters here.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
	mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
