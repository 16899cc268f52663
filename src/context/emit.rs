//! The last step of every report: its title and stamp, the format in force, and the
//! writing — atomically to `-o` (never over one of the workspace's own inputs) or to
//! stdout.

use super::{Ctx, LedgerInfo};
use crate::error::Error;
use crate::fsutil::{self, Dest, write_atomic};
use crate::output::{self, Format, Report, Stamp};
use crate::workspace::{LoadedRules, Workspace};
use std::io::{IsTerminal, Write};
use std::path::Path;

impl Ctx {
    /// The one step that makes a built report ready to publish: the workspace's name (and
    /// `note`, how far a period in progress goes) in its title, and the stamp of the rules
    /// and ledger it was made from.
    pub fn present(
        &self,
        report: &mut Report,
        ws: &Workspace,
        rules: &LoadedRules,
        ledger: &LedgerInfo,
        note: Option<String>,
    ) {
        report.head(&ws.name, note);
        report.stamp = Some(self.stamp(ws, rules, ledger));
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

    /// Writes a set of reports into `dir` as one journaled transaction: every file or none.
    /// `files` names each file in `dir` and gives its report, built as it is written.
    pub fn write_set(
        &self,
        dir: &Path,
        format: Format,
        files: impl IntoIterator<Item = (String, Report)>,
    ) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(&self.show(dir), &e))?;
        let mut staged = fsutil::Staged::journaled_in(dir);
        for (name, report) in files {
            let path = dir.join(name);
            self.check_output(&path)?;
            staged
                .write(&path, |w| {
                    output::render(&report, format, self.global.bom, w)
                })
                .map_err(|e| Error::write(&self.show(&path), &e))?;
        }
        staged
            .commit()
            .map_err(|e| Error::write(&self.show(dir), &e))
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
