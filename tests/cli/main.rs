//! The integration tests, one binary: each module runs the real `tally` binary on scratch
//! workspaces. The crash and concurrency tests time their kills and stay in binaries of
//! their own (`tests/crash.rs`, `tests/concurrency.rs`).

#[path = "../common/mod.rs"]
mod common;

mod annual;
mod bad_inputs;
mod corrections;
mod examples;
mod foundation;
mod fuzz;
mod import_scale;
mod language;
mod ledger_cache;
mod messages_zh;
mod organiser;
mod output_safety;
mod periods;
mod petition_followup;
mod petitions;
mod print;
mod properties;
mod published;
mod quarter;
mod reconcile;
mod reliability;
mod terminal_tables;
mod workbooks;
mod xlsx_present;
