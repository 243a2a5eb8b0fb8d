//! The node's integration tests: real `smartblocks-node` processes (and the bridge, the campus
//! simulator, the command line and BlockPortal as processes beside them), one module per
//! concern. One test binary, not one per module: each compiled `common` again and linked the
//! client on its own (16 binaries, 8 minutes of a cold build here). nextest still runs every
//! test as its own process (`.config/nextest.toml`).

// Test code: a panic is a failing test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod bridge;
mod cli;
mod consortium;
mod contracts;
mod dashboard;
mod demo_contracts;
mod dev_chain;
mod faults;
mod launch;
mod local_testnet;
mod metadata_hash;
mod meters;
mod oracle;
mod portal;
mod retrofit;
mod try_upgrade;
mod upgrade;
