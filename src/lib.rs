//! tally: the duty-points ledger of a district's elected delegates.
//!
//! Data flows one way: `input` (files → typed values) → `domain` (plain data) → `scoring`
//! (rules applied, caps) → `reports` (report values) → `output` (table, csv, json, md, html).
//! `commands` wires them together, one file per subcommand.

pub mod cli;
pub mod commands;
pub mod context;
pub mod domain;
pub mod error;
pub mod fsutil;
pub mod i18n;
pub mod input;
pub mod ledger;
pub mod output;
pub mod progress;
pub mod published;
pub mod reconcile;
pub mod reports;
pub mod scoring;
pub mod workspace;
