//! Who a request comes from, as the portal's limits count it, and the limit on open event
//! streams. The key is the peer address of the connection: behind a reverse proxy every request
//! comes from the proxy, whose own per-client limits then apply.

use std::{
	collections::HashMap,
	net::{IpAddr, Ipv6Addr, SocketAddr},
	sync::Arc,
};

use axum::{extract::ConnectInfo, http::request::Parts};
use parking_lot::Mutex;

/// A client as limits count it: an IPv4 address, or an IPv6 address's /64 network (what one
/// subscriber gets).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Client(IpAddr);

impl Client {
	pub fn of(address: IpAddr) -> Self {
		match address {
			IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
				Some(v4) => Client(IpAddr::V4(v4)),
				None => Client(IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX)))),
			},
			v4 => Client(v4),
		}
	}

	/// The client of a request: its connection's peer; the unspecified address when the server
	/// was started without connection info (in tests), so all such requests share one count.
	pub fn of_request(parts: &Parts) -> Self {
		let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
		Client::of(peer.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)))
	}
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
	type Rejection = std::convert::Infallible;

	async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
		Ok(Client::of_request(parts))
	}
}

/// How many event streams are open, in all and per client, within their limits.
pub struct Streams {
	total: usize,
	per_client: usize,
	open: Mutex<HashMap<Client, usize>>,
}

/// An open stream; dropping it (the consumer went away) frees its place.
pub struct StreamPlace {
	streams: Arc<Streams>,
	client: Client,
}

/// Why a stream cannot open.
#[derive(Debug, PartialEq, Eq)]
pub enum StreamRefusal {
	/// The client has its share open.
	Client(usize),
	/// The portal has its limit open.
	Portal(usize),
}

impl Streams {
	pub fn new(total: usize, per_client: usize) -> Arc<Self> {
		Arc::new(Streams { total, per_client, open: Mutex::new(HashMap::new()) })
	}

	/// A place for one more stream of `client`, if the limits leave one.
	pub fn open(self: &Arc<Self>, client: Client) -> Result<StreamPlace, StreamRefusal> {
		let mut open = self.open.lock();
		if open.values().sum::<usize>() >= self.total {
			return Err(StreamRefusal::Portal(self.total));
		}
		let count = open.entry(client).or_default();
		if *count >= self.per_client {
			return Err(StreamRefusal::Client(self.per_client));
		}
		*count += 1;
		Ok(StreamPlace { streams: self.clone(), client })
	}
}

impl Drop for StreamPlace {
	fn drop(&mut self) {
		let mut open = self.streams.open.lock();
		if let Some(count) = open.get_mut(&self.client) {
			*count = count.saturating_sub(1);
			if *count == 0 {
				open.remove(&self.client);
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_ipv6_subscribers_addresses_count_as_one_client() {
		let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
		let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
		let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
		assert_eq!(Client::of(a), Client::of(b));
		assert_ne!(Client::of(a), Client::of(other));
		let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
		assert_eq!(Client::of(mapped), Client::of("192.0.2.7".parse().unwrap()));
	}

	#[test]
	fn streams_are_limited_per_client_and_in_all_and_freed_when_dropped() {
		let streams = Streams::new(3, 2);
		let (a, b) =
			(Client::of("192.0.2.1".parse().unwrap()), Client::of("192.0.2.2".parse().unwrap()));
		let first = streams.open(a).unwrap();
		let _second = streams.open(a).unwrap();
		assert_eq!(streams.open(a).err(), Some(StreamRefusal::Client(2)));
		let _third = streams.open(b).unwrap();
		assert_eq!(streams.open(b).err(), Some(StreamRefusal::Portal(3)));
		drop(first);
		assert!(streams.open(a).is_ok());
	}
}
