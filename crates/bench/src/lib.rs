//! Avatar Console's benchmarks and reliability fixtures.
//!
//! `console-bench` prints figures (never pass/fail timings); the tests in
//! `tests/` are the reliability and security suite `cargo test` runs.

pub mod fixture;
pub mod ingest;
pub mod lab;
pub mod memory;
pub mod overhead;
pub mod raw_http;
pub mod rss;
pub mod startup;
pub mod static_site;
pub mod stats;
