mod forecast;
mod median;
mod offchain;
mod pruning;
mod quorum;
mod runtime_api;
mod sources;
mod submit;
