//! One file per subcommand; each wires input, scoring, reports and output together.

pub mod annual;
pub mod check;
pub mod explain;
pub mod import;
pub mod init;
pub mod obligations;
pub mod petitions;
pub mod quarter;
pub mod rules;

use crate::cli::{Cli, Command};
use crate::context::Ctx;
use crate::error::{Error, Exit};

/// Runs the command; `Exit::Found` when it found what the user asked to be told of.
pub fn run(cli: Cli) -> Result<Exit, Error> {
    let ctx = Ctx::new(cli.global)?;
    match cli.command {
        Command::Init { dir } => init::run(&ctx, dir.as_deref()),
        Command::Rules => rules::run(&ctx),
        Command::Check => check::run(&ctx),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Quarter(args) => quarter::run(&ctx, &args),
        Command::Explain(args) => explain::run(&ctx, &args),
        Command::Petitions(args) => petitions::run(&ctx, &args),
        Command::Annual(args) => annual::run(&ctx, &args),
        Command::Obligations(args) => obligations::run(&ctx, &args),
    }
}
