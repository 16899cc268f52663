//! The data files a command reads, each opened the same way: located messages, every
//! problem an error, an optional file absent meaning none. `Book` is what every scoring
//! report reads, and [`Ctx::score`] hands it to the scoring run.

use super::{Ctx, Inputs, LedgerInfo, Observer};
use crate::domain::{Adjustment, Evaluation, Petition, Roster};
use crate::error::Error;
use crate::input::{self, Encoding, files};
use crate::scoring::Scores;
use crate::workspace::{LoadedRules, Workspace};
use chrono::NaiveDate;
use std::path::Path;

/// The inputs every scoring report reads: workspace, rules, roster and adjustments.
pub struct Book {
    pub ws: Workspace,
    pub rules: LoadedRules,
    pub roster: Roster,
    pub adjustments: Vec<Adjustment>,
}

impl Ctx {
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

    /// The petitions register, read a row at a time (its rows are never all held: a
    /// province's register is large).
    pub fn petitions(&self, ws: &Workspace, roster: &Roster) -> Result<Vec<Petition>, Error> {
        if !ws.petitions.exists() {
            return Ok(Vec::new());
        }
        let shown = self.show(&ws.petitions);
        let mut register = files::PetitionRows::new(roster);
        input::read_csv_each(
            &ws.petitions,
            &shown,
            Encoding::Auto,
            files::PETITIONS,
            |file, row| register.row(file, &row),
        )?
        .map_err(|ps| Error::problems(crate::error::Exit::Data, &ps))?;
        register.finish().strict()
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
}
