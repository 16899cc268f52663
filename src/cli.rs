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
        value_name = "DIR",
        value_parser = clap::builder::TypedValueParser::map(clap::builder::OsStringValueParser::new(), PathBuf::from)
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
    /// Language of what people read (default: `lang` in tally.toml, else en); csv and json
    /// keep their English keys
    #[arg(long, global = true, value_enum, env = "TALLY_LANG")]
    pub lang: Option<crate::i18n::Lang>,
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
    /// Per-studio summary for organisers: delegates, points, obligations, petitions
    Studios(StudiosArgs),
    /// A delegate's annual duty report (履职报告), one printable page; --all: one per delegate
    Report(ReportArgs),
    /// Who is behind on the duties so far this cycle
    Obligations(ObligationsArgs),
    /// What a draft point table would change: totals and ranks under both
    DiffRules(DiffRulesArgs),
    /// The ledger as a register: records with their points, source and key, filtered
    Records(RecordsArgs),
    /// Withdraw records from scoring with a reason (kept in the ledger, marked void)
    Void(VoidArgs),
    /// Publish a period: the notice (html, and csv/xlsx with --also) and the figures as published
    Publish(PublishArgs),
    /// An empty import sheet for a kind of file (xlsx with drop-down lists, or a CSV header)
    Template(TemplateArgs),
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
    /// Files of activity records: CSV, or workbooks (.xlsx, .xls, .ods)
    #[arg(required_unless_present = "upgrade_ledger", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Rewrite every year file of the ledger in the current format (nothing else changes)
    #[arg(long, conflicts_with_all = ["files", "dry_run"])]
    pub upgrade_ledger: bool,
    /// Check and report what would be added, without touching the ledger
    #[arg(long)]
    pub dry_run: bool,
    /// Text encoding of the files
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
    /// The sheet of each workbook to read (default: the first sheet)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Which file: activity records, the roster, petitions, evaluations or adjustments
    #[arg(value_enum)]
    pub kind: TemplateKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateKind {
    Activities,
    Delegates,
    Petitions,
    Evaluations,
    Adjustments,
}

#[derive(Debug, Args)]
pub struct QuarterArgs {
    /// Quarter like 2025Q3 (default: the last complete quarter)
    pub period: Option<String>,
    /// Only this studio (community office)
    #[arg(long, value_name = "NAME")]
    pub studio: Option<String>,
    /// Rank within each studio, each sector office, or over everyone (default: the rules'
    /// rank_within)
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
    /// Open items not yet replied to, due within the next N days (working days when the
    /// rules count working days), today included; most urgent first
    #[arg(long, value_name = "N", conflicts_with = "by")]
    pub due_within: Option<u32>,
    /// Exit 1 when any item is due within --due-within N days (for a cron reminder)
    #[arg(long, requires = "due_within")]
    pub fail_on_due_soon: bool,
    /// One digest per recipient (overdue, due soon, other open items), written to -o DIR/
    #[arg(long, value_enum, value_name = "GROUP", conflicts_with = "by")]
    pub split_by: Option<SplitBy>,
    /// Exit 1 when a department is below the rules' [petitions] standards
    #[arg(long)]
    pub fail_on_below_standard: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    Department,
    Studio,
    Delegate,
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
pub struct ReportArgs {
    /// Delegate id or unique name (with --all: the year, if given)
    #[arg(required_unless_present = "all", value_name = "DELEGATE")]
    pub delegate: Option<String>,
    /// Year like 2025 (default: the last complete year)
    pub year: Option<String>,
    /// One report per delegate in office in the year, written to -o DIR/
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct StudiosArgs {
    /// Quarter (2025Q3) or year (2025); default: the last complete quarter
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

#[derive(Debug, Args)]
pub struct RecordsArgs {
    /// Quarter (2025Q3) or year (2025); default: the current cycle
    pub period: Option<String>,
    /// From this date (inclusive)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Up to this date (inclusive)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this delegate (id or unique name)
    #[arg(long, value_name = "DELEGATE")]
    pub delegate: Option<String>,
    /// Only delegates of this studio
    #[arg(long, value_name = "NAME")]
    pub studio: Option<String>,
    /// Only this item (code or alias)
    #[arg(long, value_name = "ITEM")]
    pub item: Option<String>,
    /// Only records imported from this file (as it was given to import)
    #[arg(long, value_name = "FILE")]
    pub source: Option<PathBuf>,
    /// Only records naming this petition or motion id
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,
    /// Only voided records
    #[arg(long)]
    pub voided: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["keys", "source"]))]
pub struct VoidArgs {
    /// Keys of the records, as `tally records` shows them
    #[arg(value_name = "KEY")]
    pub keys: Vec<String>,
    /// Every record imported from this file
    #[arg(long, value_name = "FILE", conflicts_with = "undo")]
    pub source: Option<PathBuf>,
    /// Why (required): kept with the record and in ledger/voids.csv
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Who decided (default: the user running tally)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Reverse earlier voids of these keys
    #[arg(long)]
    pub undo: bool,
    /// Show whose totals and ranks would change, without touching the ledger
    #[arg(long)]
    pub dry_run: bool,
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
