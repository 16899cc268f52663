//! The command line, as typed (clap derive). Checked into built values by the commands.

use crate::domain::rules::RankWithin;
use crate::input::Encoding;
use crate::output::Format;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tally",
    version,
    about = "The duty-points ledger of a district's elected delegates",
    long_about = "tally imports the activity records community offices send in, scores them with the \
district's point table, and prints the quarterly ranking, petition follow-up and annual review.",
    after_help = "Exit codes: 0 done, 1 found what you asked to be told of, 2 bad command line, \
65 invalid input data, 66 missing input file, 73 output not written, 78 invalid rules or tally.toml."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Workspace folder (holds tally.toml); default: the nearest tally.toml upward
    #[arg(
        short = 'w',
        long,
        global = true,
        env = "TALLY_WORKSPACE",
        value_name = "DIR"
    )]
    pub workspace: Option<PathBuf>,
    /// Rules file to use instead of the workspace's
    #[arg(long, global = true, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Output format (default: table, or the extension of -o)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Write the report to PATH (atomically) instead of stdout
    #[arg(short = 'o', long = "output", global = true, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Start csv output with a UTF-8 BOM, so Excel on Windows reads Chinese text
    #[arg(long, global = true)]
    pub bom: bool,
    /// Print nothing but errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace with the default rules and empty data files
    Init {
        /// Folder to create (default: the current folder)
        dir: Option<PathBuf>,
    },
    /// Print the point table (the built-in rules when there is no workspace)
    Rules,
    /// Validate rules, roster, ledger, petitions, evaluations and adjustments
    Check,
    /// Validate activity records and add them to the ledger (all rows or none)
    Import(ImportArgs),
    /// Quarterly ranking: cumulative points of the year, ranked within each studio
    Quarter(QuarterArgs),
    /// Petition follow-up: open items, overdue items, scorecards
    Petitions(PetitionsArgs),
    /// Annual review summary for every delegate
    Annual(AnnualArgs),
    /// Every record, rule, cap and adjustment behind a delegate's total
    Explain(ExplainArgs),
    /// Who is behind on the duties so far this cycle
    Obligations(ObligationsArgs),
    /// What a draft point table would change: totals and ranks under both
    DiffRules(DiffRulesArgs),
    /// Publish a period: the notice (html, and csv/xlsx with --also) and the figures as published
    Publish(PublishArgs),
    /// Shell completions on stdout
    Completions {
        /// bash, zsh, fish, elvish or powershell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff) on stdout
    Man,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV files of activity records
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Check and report what would be added, without touching the ledger
    #[arg(long)]
    pub dry_run: bool,
    /// Text encoding of the files
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
}

#[derive(Debug, Args)]
pub struct QuarterArgs {
    /// Quarter like 2025Q3 (default: the last complete quarter)
    pub period: Option<String>,
    /// Only this studio (community office)
    #[arg(long, value_name = "NAME")]
    pub studio: Option<String>,
    /// Rank within each studio or over everyone (default: the rules' rank_within)
    #[arg(long, value_enum)]
    pub rank_within: Option<RankWithin>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    Department,
    Delegate,
    Studio,
    Category,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Petition,
    Proposal,
    Motion,
}

#[derive(Debug, Args)]
pub struct PetitionsArgs {
    /// Date to report as of (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// A scorecard per department, delegate, studio or category
    #[arg(long, value_enum)]
    pub by: Option<GroupBy>,
    /// Only this kind of item
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Exit 1 when any item is overdue (for a cron alert)
    #[arg(long)]
    pub fail_on_overdue: bool,
}

#[derive(Debug, Args)]
pub struct AnnualArgs {
    /// Year like 2025 (default: the last complete year)
    pub year: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Delegate id or unique name
    pub delegate: String,
    /// Quarter (2025Q3) or year (2025); default: the cycle to date
    pub period: Option<String>,
}

#[derive(Debug, Args)]
pub struct ObligationsArgs {
    /// Date to report as of (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Exit 1 when anyone is behind (for a monthly reminder from cron)
    #[arg(long)]
    pub fail_on_missing: bool,
}

#[derive(Debug, Args)]
pub struct DiffRulesArgs {
    /// The draft rules file
    #[arg(value_name = "DRAFT.toml")]
    pub draft: PathBuf,
    /// Quarter (2025Q3) or year (2025); default: the last complete quarter
    pub period: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NoticeFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Quarter (2025Q3) or year (2025)
    pub period: String,
    /// Publish a new version of a period already published, listing what changed
    #[arg(long, requires = "reason")]
    pub restate: bool,
    /// Why the figures are restated (kept in the record and shown on the notice)
    #[arg(long, requires = "restate", value_name = "TEXT")]
    pub reason: Option<String>,
    /// Also write the notice as csv or xlsx (the html notice is always written)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub also: Vec<NoticeFormat>,
}
