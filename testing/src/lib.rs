//! Test doubles for the SmartBlocks pallets' mock runtimes, so each pallet tests against the
//! registry's traits and the chain's clock without the registry or a node: a member table and a
//! reputation recorder ([`members`]), and a clock with off-chain workers' storage, HTTP and
//! transaction pool ([`chain`]). Every double keeps its state per test thread.

pub mod chain;
pub mod members;

pub use chain::{with_offchain, Shared, TestClock};
pub use members::{TestMembers, TestReputation};
