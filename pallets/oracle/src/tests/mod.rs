mod median;
mod pruning;
mod quorum;
mod runtime_api;
mod submit;
