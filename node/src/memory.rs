//! The node's allocator, and its memory as Prometheus metrics.
//!
//! glibc's malloc gives each thread that allocates an arena of its own (up to eight per core) and
//! hands freed memory back to the system only from the top of each: a node's many worker threads
//! (networking, RPC, import, the executor) leave freed pages pinned inside them, and its resident
//! memory climbs in arena-sized steps for hours while the memory it holds stays flat. jemalloc,
//! which Polkadot's node also runs on, returns freed pages within seconds. It takes malloc's own
//! names (`unprefixed_malloc_on_supported_platforms`), so the C code the node links (ParityDB's
//! compression, wasmtime) allocates from it too.
//!
//! Two gauges tell the node's memory apart from the allocator's keeping of it:
//! `substrate_memory_allocated_bytes` (what the node's code holds) and
//! `substrate_memory_resident_bytes` (the pages the allocator has in RAM for it). A leak grows
//! the first; fragmentation only the second. The node's registry adds no prefix: the names carry
//! `substrate_` as the node's other metrics do, so dashboards find them beside those.

use substrate_prometheus_endpoint::{register, Gauge, PrometheusError, Registry, U64};
use tikv_jemalloc_ctl::{epoch, stats};

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// How often the gauges are read: jemalloc's totals are a snapshot it refreshes on request.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(5);

/// The allocator's totals, in bytes.
struct Usage {
	/// Bytes of live allocations: what the node's code holds.
	allocated: u64,
	/// Bytes of the physical pages the allocator holds, in use or kept for reuse.
	resident: u64,
}

/// The allocator's totals now, or why jemalloc could not tell.
fn usage() -> Result<Usage, tikv_jemalloc_ctl::Error> {
	// jemalloc caches its statistics; advancing the epoch refreshes them.
	epoch::advance()?;
	let allocated = stats::allocated::read()?;
	let resident = stats::resident::read()?;
	Ok(Usage { allocated: allocated as u64, resident: resident as u64 })
}

/// Registers the two gauges and returns the task that keeps them current.
pub(crate) fn metrics(
	registry: &Registry,
) -> Result<impl std::future::Future<Output = ()>, PrometheusError> {
	let allocated = register(
		Gauge::<U64>::new(
			"substrate_memory_allocated_bytes",
			"Bytes the node's code holds allocated (jemalloc's stats.allocated)",
		)?,
		registry,
	)?;
	let resident = register(
		Gauge::<U64>::new(
			"substrate_memory_resident_bytes",
			"Bytes of physical memory the node's allocator holds (jemalloc's stats.resident)",
		)?,
		registry,
	)?;
	Ok(async move {
		let mut ticks = tokio::time::interval(REFRESH);
		loop {
			ticks.tick().await;
			match usage() {
				Ok(now) => {
					allocated.set(now.allocated);
					resident.set(now.resident);
				}
				Err(error) => {
					log::warn!("memory metrics: jemalloc gave no statistics ({error}); stopped");
					return;
				}
			}
		}
	})
}
