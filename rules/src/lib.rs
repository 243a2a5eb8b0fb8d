//! Rules of the SmartBlocks chain that the pallets, the bridge and the portal compute alike,
//! written once, in plain `no_std` Rust without FRAME so that every one of them can depend on
//! it (the portal's web stack included).

#![no_std]

pub mod degree_days;
pub mod time;
