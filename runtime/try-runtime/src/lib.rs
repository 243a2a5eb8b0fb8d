//! The upgrade rehearsal built with `try-runtime` ([`rehearsal`]) and, with the feature `live`,
//! this tree's runtime built that way ([`runtime`]), and the files they were read from. Never put
//! either on a chain: their checks are not weighed. `try-runtime-wasm` prints a file's path for
//! scripts.

/// This tree's runtime with `try-runtime`: `None` unless built with the feature `live`
/// ([`LIVE`]).
pub mod runtime {
	include!(concat!(env!("OUT_DIR"), "/wasm_binary_try_runtime.rs"));
}

/// The upgrade rehearsal (one `spec_version` above this tree's runtime, with its migration)
/// with `try-runtime`.
pub mod rehearsal {
	include!(concat!(env!("OUT_DIR"), "/wasm_binary_try_runtime_rehearsal.rs"));
}

/// Whether this build has [`runtime`] (the feature `live`).
pub const LIVE: bool = cfg!(feature = "live");
