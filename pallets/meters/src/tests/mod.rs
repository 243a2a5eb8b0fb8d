mod aggregation;
mod authorize;
mod meters;
mod offchain;
mod pruning;
mod readings;
mod runtime_api;
mod sites;
