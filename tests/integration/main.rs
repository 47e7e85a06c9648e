//! Integration tests: real fixture sites built into temporary folders, output inspected.

mod actions;
mod api;
mod architecture;
mod check;
mod determinism;
mod docs;
mod errors;
mod feeds;
mod golden;
mod hostile;
mod impact;
mod import;
mod incremental;
mod internal;
mod links;
mod listings;
mod pages;
mod props;
mod reports;
mod safety;
mod slo;
mod statuspage;
mod support;
mod truthful;
mod updates;
mod workflow;
