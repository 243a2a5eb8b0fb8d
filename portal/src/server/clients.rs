//! Who a request comes from, as the portal's limits count it, and the limit on open event
//! streams. The key is the peer address of the connection, or, when that peer is a reverse proxy
//! the operator named with `--trusted-proxy`, the address the proxies say they received the
//! request from, in the one header the operator says they write (`X-Forwarded-For` by default,
//! or `Forwarded`), read from the right: every address a trusted proxy added, up to the first one
//! that is not a trusted proxy's. The other header is never read (a proxy passes on what a client
//! wrote there), and from any other peer neither is, since a client can write them itself.

use std::{
	collections::HashMap,
	net::{IpAddr, Ipv6Addr, SocketAddr},
	str::FromStr,
	sync::Arc,
};

use axum::{
	extract::{connect_info::MockConnectInfo, ConnectInfo, Request, State},
	http::{request::Parts, Extensions, HeaderMap},
	middleware::Next,
	response::Response,
};
use parking_lot::Mutex;

/// A client as limits count it: an IPv4 address, or an IPv6 address's /64 network (what one
/// subscriber gets).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Client(IpAddr);

impl Client {
	pub fn of(address: IpAddr) -> Self {
		match unmapped(address) {
			IpAddr::V6(v6) => {
				Client(IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))))
			}
			v4 => Client(v4),
		}
	}

	/// The client of a request: as [`resolve`] found it, else its connection's peer; the
	/// unspecified address when the server was started without connection info (in tests), so
	/// all such requests share one count.
	pub fn of_request(parts: &Parts) -> Self {
		if let Some(client) = parts.extensions.get::<Client>() {
			return *client;
		}
		Client::of(peer(&parts.extensions).unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)))
	}
}

/// An address block, `192.0.2.0/24` or `2001:db8::/32`; a bare address is a block of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
	address: IpAddr,
	prefix: u8,
}

impl FromStr for Network {
	type Err = String;

	fn from_str(text: &str) -> Result<Self, Self::Err> {
		let (address, prefix) = match text.split_once('/') {
			Some((address, prefix)) => (address, Some(prefix)),
			None => (text, None),
		};
		let address: IpAddr = address
			.parse()
			.map_err(|_| format!("'{text}' is not an IP address or block such as 10.0.0.0/8"))?;
		let bits: u8 = if address.is_ipv4() { 32 } else { 128 };
		let prefix = match prefix {
			None => bits,
			Some(prefix) => prefix
				.parse::<u8>()
				.ok()
				.filter(|prefix| *prefix <= bits)
				.ok_or_else(|| format!("'{text}': the prefix length must be 0 to {bits}"))?,
		};
		// `::ffff:10.0.0.0/104` is the IPv4 block 10.0.0.0/8, as peers are compared.
		match unmapped(address) {
			IpAddr::V4(v4) if address.is_ipv6() => match prefix.checked_sub(96) {
				Some(prefix) => Ok(Network { address: IpAddr::V4(v4), prefix }),
				None => Err(format!("'{text}': an IPv4-mapped block needs a prefix of 96 or more")),
			},
			address => Ok(Network { address, prefix }),
		}
	}
}

impl Network {
	pub fn contains(&self, address: IpAddr) -> bool {
		// The bits of `value` (of `width` bits) the prefix fixes.
		let fixed = |width: u32, value: u128| {
			let prefix = u32::from(self.prefix).min(width);
			value.checked_shr(width - prefix).unwrap_or(0)
		};
		match (self.address, unmapped(address)) {
			(IpAddr::V4(block), IpAddr::V4(address)) => {
				fixed(32, u32::from(block).into()) == fixed(32, u32::from(address).into())
			}
			(IpAddr::V6(block), IpAddr::V6(address)) => {
				fixed(128, u128::from(block)) == fixed(128, u128::from(address))
			}
			_ => false,
		}
	}
}

/// The header trusted proxies write the address they received a request from to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProxyHeader {
	/// `X-Forwarded-For: client, proxy1` (nginx, HAProxy, most load balancers).
	#[default]
	XForwardedFor,
	/// `Forwarded: for=client, for=proxy1` (RFC 7239).
	Forwarded,
}

impl FromStr for ProxyHeader {
	type Err = String;

	fn from_str(text: &str) -> Result<Self, Self::Err> {
		match text.to_ascii_lowercase().as_str() {
			"x-forwarded-for" => Ok(ProxyHeader::XForwardedFor),
			"forwarded" => Ok(ProxyHeader::Forwarded),
			_ => Err(format!("'{text}': the proxy header is x-forwarded-for or forwarded")),
		}
	}
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.7`) as the IPv4 address it is.
fn unmapped(address: IpAddr) -> IpAddr {
	match address {
		IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
		v4 => v4,
	}
}

/// The reverse proxies whose word on a request's client the portal takes, and the header they
/// write it in.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies {
	networks: Vec<Network>,
	header: ProxyHeader,
}

impl TrustedProxies {
	pub fn new(networks: Vec<Network>, header: ProxyHeader) -> Self {
		TrustedProxies { networks, header }
	}

	fn trusts(&self, address: IpAddr) -> bool {
		self.networks.iter().any(|network| network.contains(address))
	}

	/// The address a request from `peer` comes from: `peer`, or while the address reached is a
	/// trusted proxy's, the address that proxy says it received the request from. A proxy that
	/// hides its client (`unknown`, an obfuscated name) is as far as one can see.
	pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
		if !self.trusts(peer) {
			return peer;
		}
		let hops = match self.header {
			ProxyHeader::XForwardedFor => forwarded_for_legacy(headers),
			ProxyHeader::Forwarded => forwarded_for(headers),
		};
		let mut client = peer;
		for hop in hops.iter().rev() {
			match hop {
				Some(address) if self.trusts(client) => client = *address,
				_ => break,
			}
		}
		client
	}
}

/// The `for=` nodes of every `Forwarded` header, first hop first. A line that is not text (a
/// proxy writes text) counts as one hop that hides its client.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
	let elements = headers.get_all("forwarded").iter().flat_map(|value| match value.to_str() {
		Ok(text) => text.split(',').map(str::to_string).collect(),
		Err(_) => vec![String::new()],
	});
	elements
		.map(|element| {
			let node = element.split(';').find_map(|pair| {
				let (name, value) = pair.split_once('=')?;
				name.trim().eq_ignore_ascii_case("for").then(|| value.trim().to_string())
			});
			node.and_then(|node| node_address(&node))
		})
		.collect()
}

/// The addresses of every `X-Forwarded-For` header, first hop first.
fn forwarded_for_legacy(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
	headers
		.get_all("x-forwarded-for")
		.iter()
		.flat_map(|value| match value.to_str() {
			Ok(text) => text.split(',').map(node_address).collect(),
			Err(_) => vec![None],
		})
		.collect()
}

/// A node as proxies write it: `192.0.2.7`, `"192.0.2.7:4711"`, `"[2001:db8::7]:4711"`,
/// `2001:db8::7`; `None` for `unknown`, obfuscated names or anything else.
fn node_address(node: &str) -> Option<IpAddr> {
	let node = node.trim().trim_matches('"');
	if let Some(bracketed) = node.strip_prefix('[') {
		return bracketed.split(']').next()?.parse().ok();
	}
	node.parse::<IpAddr>().ok().or_else(|| node.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The connection's peer address, as the server gives it (or a test's `MockConnectInfo`).
fn peer(extensions: &Extensions) -> Option<IpAddr> {
	let served = extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0);
	let mocked = || extensions.get::<MockConnectInfo<SocketAddr>>().map(|info| info.0);
	served.or_else(mocked).map(|address| address.ip())
}

/// Middleware: finds each request's client once, as [`TrustedProxies::client_address`] says,
/// for [`Client::of_request`] and the extractor to read.
pub async fn resolve(
	State(proxies): State<Arc<TrustedProxies>>,
	mut request: Request,
	next: Next,
) -> Response {
	if let Some(peer) = peer(request.extensions()) {
		let client = Client::of(proxies.client_address(peer, request.headers()));
		request.extensions_mut().insert(client);
	}
	next.run(request).await
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

	/// How many streams are open.
	pub fn open_count(&self) -> usize {
		self.open.lock().values().sum()
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

	fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
		let mut map = HeaderMap::new();
		for (name, value) in pairs {
			map.append(*name, value.parse().unwrap());
		}
		map
	}

	fn ip(text: &str) -> IpAddr {
		text.parse().unwrap()
	}

	#[test]
	fn only_a_trusted_proxy_names_the_client_and_only_the_hops_it_vouches_for_count() {
		let networks = vec!["10.0.0.0/8".parse().unwrap(), "2001:db8:ff::1".parse().unwrap()];
		let proxies = TrustedProxies::new(networks.clone(), ProxyHeader::XForwardedFor);
		// A client that writes the header itself is still its own address.
		let spoofed = headers(&[("forwarded", "for=192.0.2.1"), ("x-forwarded-for", "192.0.2.2")]);
		assert_eq!(proxies.client_address(ip("198.51.100.9"), &spoofed), ip("198.51.100.9"));
		let nobody = TrustedProxies::default();
		assert_eq!(nobody.client_address(ip("10.0.0.1"), &spoofed), ip("10.0.0.1"));
		// Behind the proxy: the address it appended, not what the client put before it.
		let appended = headers(&[("x-forwarded-for", "192.0.2.66, 198.51.100.9")]);
		assert_eq!(proxies.client_address(ip("10.0.0.1"), &appended), ip("198.51.100.9"));
		// The proxy writes X-Forwarded-For and passes on a `Forwarded` the client wrote: unread.
		let passed_on =
			headers(&[("forwarded", "for=192.0.2.77"), ("x-forwarded-for", "198.51.100.9")]);
		assert_eq!(proxies.client_address(ip("10.0.0.1"), &passed_on), ip("198.51.100.9"));
		// Proxies that write `Forwarded`: two trusted ones in a row, over two header lines.
		let rfc = TrustedProxies::new(networks, ProxyHeader::Forwarded);
		let chained = headers(&[
			("forwarded", "for=192.0.2.66"),
			("forwarded", "for=\"198.51.100.9:4711\";proto=https, for=\"[2001:db8:ff::1]:80\""),
			("x-forwarded-for", "192.0.2.77"),
		]);
		assert_eq!(rfc.client_address(ip("10.1.2.3"), &chained), ip("198.51.100.9"));
		// A proxy that hides its client: the proxy is as far as the portal sees.
		let hidden = headers(&[("forwarded", "for=unknown")]);
		assert_eq!(rfc.client_address(ip("10.0.0.1"), &hidden), ip("10.0.0.1"));
		let mapped = headers(&[("x-forwarded-for", "2001:db8:1:2::7")]);
		assert_eq!(proxies.client_address(ip("::ffff:10.0.0.1"), &mapped), ip("2001:db8:1:2::7"));
	}

	#[test]
	fn a_trusted_proxy_is_an_address_or_a_block() {
		let block: Network = "192.0.2.0/24".parse().unwrap();
		assert!(block.contains(ip("192.0.2.255")) && !block.contains(ip("192.0.3.0")));
		assert!(!block.contains(ip("2001:db8::1")));
		let everything: Network = "::/0".parse().unwrap();
		assert!(everything.contains(ip("2001:db8::1")));
		assert_eq!(
			"10.0.0.0/33".parse::<Network>().unwrap_err(),
			"'10.0.0.0/33': the prefix length must be 0 to 32"
		);
		assert!("proxy.campus".parse::<Network>().unwrap_err().contains("not an IP address"));
		// An IPv4 proxy written as IPv6 is that IPv4 address, and trusts no other.
		let mapped: Network = "::ffff:10.0.0.1".parse().unwrap();
		assert!(mapped.contains(ip("10.0.0.1")) && mapped.contains(ip("::ffff:10.0.0.1")));
		assert!(!mapped.contains(ip("10.0.0.2")) && !mapped.contains(ip("192.0.2.1")));
		let mapped_block: Network = "::ffff:10.0.0.0/104".parse().unwrap();
		assert!(mapped_block.contains(ip("10.255.0.1")) && !mapped_block.contains(ip("11.0.0.1")));
		assert!("::ffff:10.0.0.0/95".parse::<Network>().unwrap_err().contains("96 or more"));
		assert!("0.0.0.0/0".parse::<Network>().unwrap().contains(ip("203.0.113.1")));
		assert_eq!("x-forwarded-FOR".parse(), Ok(ProxyHeader::XForwardedFor));
		assert!("via".parse::<ProxyHeader>().is_err());
	}

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
