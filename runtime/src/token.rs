//! The native token as wallets show it. Constants only, without dependencies: the build scripts
//! that compile the metadata hash, which covers them, include this file too.

/// The chain's token symbol, shown by wallets and explorers.
pub const TOKEN_SYMBOL: &str = "SBT";
/// Decimal places of one SBT.
pub const TOKEN_DECIMALS: u8 = 12;
