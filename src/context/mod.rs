//! What every command is given: the paths as the user typed them, the global flags, today,
//! and the messages it says on stderr and stdout. What it opens, reads off the command line
//! and writes lives beside it: `inputs` (workspace files and the scoring run's inputs),
//! `args` (periods, dates, delegates), `emit` (title, stamp and writing a report). The
//! scoring run itself is `scoring::run`.

mod args;
mod emit;
mod inputs;

pub use args::{Takes, date_arg, in_progress, parse_period_arg, period_arg, period_begun};
pub use inputs::Book;

use crate::cli::Global;
use crate::error::Error;
pub use crate::scoring::run::{Inputs, LedgerInfo, Nobody, Observer};
use crate::workspace::{LoadedRules, Paths, Workspace, load_rules, locate};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

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
