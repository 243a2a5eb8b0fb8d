//! BlockMeter, the connector an energy manager installs in a building: it reads the building's
//! meters over Modbus, signs each reading with the meter's key, keeps it in a durable outbox and
//! brings it to the SmartBlocks chain.
//!
//! This crate so far holds what turns Modbus registers into meter values: the data types and
//! word orders of vendor register maps ([`registers`]), the SunSpec common and AC meter models
//! with their discovery, scale factors and not-implemented markers ([`sunspec`]), the
//! unwrapping of 32-bit energy accumulators into a monotonic register ([`accumulator`]), and the
//! TOML configuration of meters and vendor maps, checked on load ([`config`]); and reading a
//! meter over Modbus TCP with timeouts, retries and a health state ([`modbus`]); and the
//! durable outbox readings wait in until the chain has them ([`outbox`]); meters' device keys
//! in owner-only files ([`keys`]); and a simulated campus served over Modbus TCP
//! ([`simulator`]).

pub mod accumulator;
pub mod config;
pub mod keys;
pub mod modbus;
pub mod outbox;
pub mod registers;
pub mod simulator;
pub mod sunspec;
