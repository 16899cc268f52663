//! One file per subcommand; each wires input, scoring, reports and output together.

pub mod annual;
pub mod check;
pub mod diff_rules;
pub mod explain;
pub mod import;
pub mod init;
pub mod obligations;
pub mod petitions;
pub mod publish;
pub mod quarter;
pub mod records;
pub mod report;
pub mod rules;
pub mod studios;
pub mod template;
pub mod void;

use crate::cli::{Cli, Command};
use crate::context::Ctx;
use crate::error::{Error, Exit};

/// Runs the command; `Exit::Found` when it found what the user asked to be told of.
pub fn run(cli: Cli) -> Result<Exit, Error> {
    refuse_report_options(&cli)?;
    let ctx = Ctx::new(cli.global)?;
    let stdout = |e: std::io::Error| Error::write("stdout", &e);
    match cli.command {
        Command::Init { dir } => init::run(&ctx, dir.as_deref()),
        Command::Rules => rules::run(&ctx),
        Command::Check => check::run(&ctx),
        Command::Import(args) => import::run(&ctx, &args),
        Command::Quarter(args) => quarter::run(&ctx, &args),
        Command::Explain(args) => explain::run(&ctx, &args),
        Command::Petitions(args) => petitions::run(&ctx, &args),
        Command::Annual(args) => annual::run(&ctx, &args),
        Command::Report(args) => report::run(&ctx, &args),
        Command::Studios(args) => studios::run(&ctx, &args),
        Command::Obligations(args) => obligations::run(&ctx, &args),
        Command::DiffRules(args) => diff_rules::run(&ctx, &args),
        Command::Records(args) => records::run(&ctx, &args),
        Command::Void(args) => void::run(&ctx, &args),
        Command::Publish(args) => publish::run(&ctx, &args),
        Command::Template(args) => template::run(&ctx, &args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            // Generated into memory: the generator panics on a write error such as a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "tally", &mut script);
            std::io::Write::write_all(&mut std::io::stdout(), &script).map_err(stdout)?;
            Ok(Exit::Ok)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd)
                .render(&mut std::io::stdout())
                .map_err(stdout)?;
            Ok(Exit::Ok)
        }
    }
}

/// `-o` and `--format` shape a report; on a command that writes none they would be
/// silently ignored, and a cron job would look for a file that never comes.
fn refuse_report_options(cli: &Cli) -> Result<(), Error> {
    let name = match cli.command {
        Command::Init { .. } => "init",
        Command::Check => "check",
        Command::Import(_) => "import",
        Command::Void(ref a) if !a.dry_run => "void",
        Command::Publish(_) => "publish",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
        _ => return Ok(()),
    };
    let given = match (&cli.global.output, &cli.global.format) {
        (Some(_), _) => "-o",
        (None, Some(_)) => "--format",
        (None, None) => return Ok(()),
    };
    Err(Error::usage(crate::tr!(
        "msg-no-report-options",
        given = given,
        command = name
    )))
}
