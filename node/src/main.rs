//! The SmartBlocks node.

// `sc_cli::Error` and `sc_service::Error` are large upstream types the Substrate CLI returns as is.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod consortium_spec;
mod memory;
mod offchain_settings;
mod rpc;
mod service;
mod try_upgrade;

fn main() {
	// Print errors with their message, not their debug representation, for operators.
	if let Err(error) = command::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
