//! BlockMeter, the connector an energy manager installs in a building: it reads the building's
//! meters over Modbus, signs each reading with the meter's key, keeps it in a durable outbox and
//! brings it to the SmartBlocks chain.
//!
//! Reading: the data types and word orders of vendor register maps ([`register_map`]), the SunSpec
//! common and AC meter models with discovery, scale factors and not-implemented markers
//! ([`sunspec`]), 32-bit accumulators unwrapped into a monotonic register ([`accumulator`]), the
//! TOML configuration checked on load ([`config`]), Modbus TCP with timeouts, retries and a
//! health state ([`modbus`]), and samples turned into the chain's units ([`measure`]); CSV
//! exports of energy management systems as a virtual meter's rows ([`csv_source`]).
//! Keeping: meters' device keys in owner-only files ([`keys`]) and the durable outbox
//! ([`outbox`]). Bringing to the chain: `meter-bridge run` ([`run`]), `register` ([`registration`]),
//! `outbox status` ([`status`]). Learning each site's demand: CalTRACK baselines and next-day
//! forecasts ([`baseline`]), also on interval data from before the bridge, imported from CSV
//! and Green Button ([`import`]). And a simulated campus served over Modbus TCP ([`simulator`]).

pub mod accumulator;
pub mod ask;
pub mod baseline;
pub mod config;
pub mod csv_source;
pub mod import;
pub mod keys;
pub mod measure;
pub mod modbus;
pub mod outbox;
pub mod register_map;
pub mod registration;
pub mod run;
pub mod simulator;
pub mod status;
pub mod sunspec;
pub mod verify;
