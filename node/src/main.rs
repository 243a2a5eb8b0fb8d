//! The SmartBlocks node.

// `sc_cli::Error` and `sc_service::Error` are large upstream types the Substrate CLI returns as is.
#![allow(clippy::result_large_err)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
