//! What every command needs, opened the same way: the workspace, rules, roster and other
//! data files, the period on the command line, the stamp, and the writer of reports (stdout
//! or `-o`). The scoring run itself is `scoring::run`; this module only hands it the files.

use crate::cli::Global;
use crate::domain::period::{Period, Progress};
use crate::domain::{Adjustment, Evaluation, Petition, Roster};
use crate::error::Error;
use crate::fsutil::{self, Dest, write_atomic};
use crate::input::{self, Encoding, files};
use crate::output::{self, Format, Report, Stamp};
use crate::scoring::Scores;
pub use crate::scoring::run::{Inputs, LedgerInfo, Nobody, Observer};
use crate::workspace::{LoadedRules, Paths, Workspace, load_rules, locate};
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// The inputs every scoring report reads: workspace, rules, roster and adjustments.
pub struct Book {
    pub ws: Workspace,
    pub rules: LoadedRules,
    pub roster: Roster,
    pub adjustments: Vec<Adjustment>,
}

pub struct Ctx {
    pub paths: Paths,
    pub global: Global,
    pub today: NaiveDate,
}

impl Ctx {
    pub fn new(global: Global) -> Result<Ctx, Error> {
        crate::progress::enable(global.quiet);
        let ctx = Ctx {
            paths: Paths::new(),
            today: today()?,
            global,
        };
        crate::i18n::set(ctx.lang());
        Ok(ctx)
    }

    /// `--lang`, else the workspace's `lang`, else English. A workspace that cannot be
    /// read yet says so in the command's own words later; its language is then English.
    fn lang(&self) -> crate::i18n::Lang {
        self.global
            .lang
            .unwrap_or_else(|| self.workspace().map_or(crate::i18n::Lang::En, |ws| ws.lang))
    }

    pub fn workspace(&self) -> Result<Workspace, Error> {
        let root = locate(self.global.workspace.as_deref(), &self.paths)?;
        Workspace::load(root, &self.paths)
    }

    pub fn rules(&self, ws: Option<&Workspace>) -> Result<LoadedRules, Error> {
        load_rules(self.global.rules.as_deref(), ws, &self.paths)
    }

    pub fn show(&self, p: &Path) -> String {
        self.paths.show(p)
    }

    /// A message for the person at the terminal (stderr), silenced by `-q`.
    pub fn note(&self, message: impl AsRef<str>) {
        if !self.global.quiet {
            crate::error::say_err(message.as_ref());
        }
    }

    /// A result line of a command that makes no report (import, check), on stdout.
    pub fn say(&self, message: impl AsRef<str>) {
        if !self.global.quiet {
            // A closed pipe is not the command's failure; println! would panic on it.
            let _ = writeln!(std::io::stdout(), "{}", message.as_ref());
        }
    }

    pub fn warn(&self, message: impl AsRef<str>) {
        if !self.global.quiet {
            crate::error::say_err(&crate::tr!("line-warning", message = message.as_ref()));
        }
    }

    /// Why a `--fail-on-*` run exits 1: one line on stderr, even under `-q`, because it is
    /// all a cron log shows of the run.
    pub fn found(&self, message: impl AsRef<str>) {
        crate::error::say_err(&crate::tr!("line-found", message = message.as_ref()));
    }

    /// The roster, with every problem an error (exit 65).
    pub fn roster(&self, ws: &Workspace) -> Result<Roster, Error> {
        let shown = self.show(&ws.delegates);
        let file = input::load_csv(&ws.delegates, &shown, Encoding::Auto, files::ROSTER)?;
        files::roster(&file).strict()
    }

    /// An optional data file: absent means none.
    fn optional(
        &self,
        path: &Path,
        schema: &[input::ColumnSpec],
    ) -> Result<Option<input::CsvFile>, Error> {
        if !path.exists() {
            return Ok(None);
        }
        let shown = self.show(path);
        input::load_csv(path, &shown, Encoding::Auto, schema).map(Some)
    }

    pub fn adjustments(&self, ws: &Workspace, roster: &Roster) -> Result<Vec<Adjustment>, Error> {
        match self.optional(&ws.adjustments, files::ADJUSTMENTS)? {
            None => Ok(Vec::new()),
            Some(f) => files::adjustments(&f, roster).strict(),
        }
    }

    pub fn evaluations(
        &self,
        ws: &Workspace,
        roster: &Roster,
        rules: &LoadedRules,
    ) -> Result<Vec<Evaluation>, Error> {
        match self.optional(&ws.evaluations, files::EVALUATIONS)? {
            None => Ok(Vec::new()),
            Some(f) => files::evaluations(&f, roster, &rules.rules).strict(),
        }
    }

    pub fn petitions(&self, ws: &Workspace, roster: &Roster) -> Result<Vec<Petition>, Error> {
        match self.optional(&ws.petitions, files::PETITIONS)? {
            None => Ok(Vec::new()),
            Some(f) => files::petitions(&f, roster).strict(),
        }
    }

    /// Delegates' ratings of departments (`ratings.csv`), when the workspace has them.
    pub fn ratings(
        &self,
        ws: &Workspace,
        roster: &Roster,
    ) -> Result<Option<Vec<crate::domain::Rating>>, Error> {
        match self.optional(&ws.ratings, files::RATINGS)? {
            None => Ok(None),
            Some(f) => files::ratings(&f, roster).strict().map(Some),
        }
    }

    /// Opens the workspace and reads what scoring needs, every problem an error.
    pub fn book(&self) -> Result<Book, Error> {
        let ws = self.workspace()?;
        let rules = self.rules(Some(&ws))?;
        let roster = self.roster(&ws)?;
        let adjustments = self.adjustments(&ws, &roster)?;
        Ok(Book {
            ws,
            rules,
            roster,
            adjustments,
        })
    }

    /// Scores the cycle `year` up to `until` in one pass over the ledger. With an observer
    /// that looks at one delegate ([`Observer::only_delegate`]), only that delegate's
    /// figures are scored.
    pub fn score(
        &self,
        book: &Book,
        year: i32,
        until: NaiveDate,
        observer: &mut dyn Observer,
    ) -> Result<(Scores, LedgerInfo), Error> {
        if book.ws.ledger.exists() && !book.ws.ledger.is_dir() {
            return Err(Error::no_input(crate::tr!(
                "msg-ledger-is-a-file",
                path = self.show(&book.ws.ledger)
            )));
        }
        if !book.ws.ledger.is_dir() {
            self.warn(crate::tr!(
                "msg-no-ledger",
                path = self.show(&book.ws.ledger)
            ));
        }
        let path = book.ws.ledger_file(year);
        let inputs = Inputs {
            rules: &book.rules.rules,
            roster: &book.roster,
            adjustments: &book.adjustments,
            ledger: &book.ws.ledger,
        };
        crate::scoring::run::run(
            &inputs,
            &path,
            &self.show(&path),
            year,
            until,
            observer,
            &mut |warning| self.warn(warning),
        )
    }

    /// The delegate a command names (an id, or a name only one delegate has); exit 65
    /// otherwise, naming the roster.
    pub fn delegate_arg(&self, book: &Book, text: &str) -> Result<usize, Error> {
        use crate::domain::Lookup;
        book.roster.find(text).map_err(|e| {
            let why = match e {
                Lookup::AmbiguousName => crate::tr!("msg-lookup-ambiguous"),
                Lookup::Unknown => crate::tr!("msg-lookup-unknown"),
            };
            Error::data(crate::tr!(
                "msg-lookup-failed",
                path = self.show(&book.ws.delegates),
                why = why,
                delegate = text
            ))
        })
    }

    pub fn stamp(&self, ws: &Workspace, rules: &LoadedRules, ledger: &LedgerInfo) -> Stamp {
        Stamp {
            workspace: ws.name.clone(),
            rules_name: rules.rules.meta.name.clone(),
            rules_hash: rules.hash.clone(),
            ledger_hash: ledger.hash.clone(),
            newest_record: ledger.newest,
            made: chrono::Local::now()
                .format("%Y-%m-%d %H:%M:%S %:z")
                .to_string(),
        }
    }

    /// The format in force: `--format`, else the extension of `-o`, else a table. An `-o`
    /// file whose extension names no format is a usage error: writing a terminal table
    /// into `notice.xls` would only fail later, in the spreadsheet.
    pub fn format(&self) -> Result<Format, Error> {
        Format::choose(self.global.format, self.global.output.as_deref()).map_err(Error::usage)
    }

    /// Writes a report to `-o` (atomically) or stdout.
    pub fn emit(&self, report: &Report) -> Result<(), Error> {
        let format = self.format()?;
        match &self.global.output {
            Some(path) => self.write_file(report, format, path),
            None if format == Format::Xlsx && std::io::stdout().is_terminal() => {
                Err(Error::usage(crate::tr!("msg-xlsx-to-terminal")))
            }
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                output::render(report, format, self.global.bom, &mut lock)
                    .and_then(|()| lock.flush())
                    .map_err(|e| Error::write("stdout", &e))
            }
        }
    }

    pub fn write_file(&self, report: &Report, format: Format, path: &Path) -> Result<(), Error> {
        self.check_output(path)?;
        write_atomic(path, |w| output::render(report, format, self.global.bom, w))
            .map_err(|e| Error::write(&self.show(path), &e))
    }

    /// Before a report is written to `path`: refuses a path that is one of the workspace's
    /// own inputs, and finishes or removes what a killed report left in its folder.
    pub fn check_output(&self, path: &Path) -> Result<(), Error> {
        let shown = self.show(path);
        let dest = match fsutil::destination(path) {
            Ok(Dest::Replace(p)) => p,
            Ok(Dest::Through(_)) => return Ok(()),
            Err(e) => return Err(Error::write(&shown, &e)),
        };
        let ws = self.workspace().ok();
        if let Some(what) = ws.and_then(|ws| input_named(&ws, self.global.rules.as_deref(), &dest))
        {
            return Err(Error::cant_create(crate::tr!(
                "msg-output-is-input",
                path = shown,
                what = input_word(what)
            )));
        }
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = fsutil::recover(dir, false);
        }
        Ok(())
    }
}

/// An input's name, as [`input_named`] gives it, in the run's language.
fn input_word(what: &str) -> String {
    match what {
        "tally.toml" => crate::tr!("input-config"),
        "rules file" => crate::tr!("input-rules"),
        "roster" => crate::tr!("input-roster"),
        "petitions register" => crate::tr!("input-petitions"),
        "evaluations file" => crate::tr!("input-evaluations"),
        "adjustments file" => crate::tr!("input-adjustments"),
        "ratings file" => crate::tr!("input-ratings"),
        "record of published periods" => crate::tr!("input-published"),
        "ledger" => crate::tr!("input-ledger"),
        other => other.to_owned(),
    }
}

/// Which of the workspace's inputs `dest` (a resolved output path) is, if any.
fn input_named(ws: &Workspace, rules: Option<&Path>, dest: &Path) -> Option<&'static str> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let dest = match canon(dest) {
        Some(d) => d,
        None => canon(dest.parent()?)?.join(dest.file_name()?),
    };
    let config = ws.root.join(crate::workspace::CONFIG_FILE);
    let files: [(&'static str, Option<&Path>); 8] = [
        ("tally.toml", Some(&config)),
        ("rules file", ws.rules.as_deref()),
        ("rules file", rules),
        ("roster", Some(&ws.delegates)),
        ("petitions register", Some(&ws.petitions)),
        ("evaluations file", Some(&ws.evaluations)),
        ("adjustments file", Some(&ws.adjustments)),
        ("ratings file", Some(&ws.ratings)),
    ];
    for (what, file) in files {
        if file.and_then(canon).is_some_and(|f| f == dest) {
            return Some(what);
        }
    }
    let published = ws.root.join(crate::published::FOLDER);
    if canon(&published).is_some_and(|p| dest.starts_with(p)) {
        return Some("record of published periods");
    }
    let ledger = canon(&ws.ledger)?;
    dest.starts_with(&ledger).then_some("ledger")
}

/// Refuses a period that has not begun on `today` (exit 2): there is nothing to report yet,
/// and a typo (2062 for 2026) should not print a table of zeros.
/// Which periods a command takes on its command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    Quarter,
    Year,
    Either,
}

/// The period a command runs for, checked once for every command: the one typed (a
/// quarter like 2025Q3 or a year like 2025, as `takes` says), else `default`; and that it
/// has begun.
pub fn period_arg(
    text: Option<&str>,
    takes: Takes,
    today: NaiveDate,
    default: Period,
) -> Result<Period, Error> {
    let period = match text {
        Some(text) => parse_period_arg(text, takes)?,
        None => default,
    };
    period_begun(period, today)?;
    Ok(period)
}

/// A period typed on the command line, in the form `takes` says.
pub fn parse_period_arg(text: &str, takes: Takes) -> Result<Period, Error> {
    match (Period::parse(text), takes) {
        (Some(q @ Period::Quarter { .. }), Takes::Quarter | Takes::Either) => Ok(q),
        (Some(y @ Period::Year(_)), Takes::Year | Takes::Either) => Ok(y),
        _ => Err(Error::usage(match takes {
            Takes::Quarter => crate::tr!("msg-bad-quarter", period = text),
            Takes::Year => crate::tr!("msg-bad-year-arg", year = text),
            Takes::Either => crate::tr!("msg-bad-period", period = text),
        })),
    }
}

pub fn period_begun(period: Period, today: NaiveDate) -> Result<(), Error> {
    if period.progress(today) == Progress::NotBegun {
        return Err(Error::usage(crate::tr!(
            "msg-period-not-begun",
            period = period.to_string(),
            today = today,
            first = period.first_day()
        )));
    }
    Ok(())
}

/// What a title adds for a period still in progress on `today`: how far the data goes.
pub fn in_progress(period: Period, today: NaiveDate, ledger: &LedgerInfo) -> Option<String> {
    (period.progress(today) == Progress::InProgress).then(|| match ledger.newest {
        Some(d) => crate::tr!("note-in-progress", newest = crate::i18n::date(d)),
        None => crate::tr!("note-in-progress-empty"),
    })
}

/// Today, or `TALLY_TODAY` (an ISO date) so that scripts and tests can pin it.
fn today() -> Result<NaiveDate, Error> {
    match std::env::var("TALLY_TODAY") {
        Ok(v) if !v.trim().is_empty() => crate::input::date::parse_date(&v).ok_or_else(|| {
            Error::usage(format!(
                "TALLY_TODAY: not a date ({v}), expected like 2025-03-01"
            ))
        }),
        _ => Ok(chrono::Local::now().date_naive()),
    }
}

/// A date given on the command line (`--as-of`), exit 2 when malformed.
pub fn date_arg(flag: &str, value: &str) -> Result<NaiveDate, Error> {
    crate::input::date::parse_date(value)
        .ok_or_else(|| Error::usage(crate::tr!("msg-bad-date-arg", flag = flag, value = value)))
}
