//! `tally annual [YEAR]`: the annual review; `-o DIR` writes csv, json and html atomically.

use crate::cli::AnnualArgs;
use crate::context::{Ctx, Nobody};
use crate::domain::Period;
use crate::error::{Error, Exit};
use crate::fsutil::Staged;
use crate::output::{self, Format};
use crate::reports::annual;
use chrono::Datelike;
use std::path::Path;

/// How many names a warning lists before "and N more".
const NAMES_LISTED: usize = 10;

pub fn run(ctx: &Ctx, args: &AnnualArgs) -> Result<Exit, Error> {
    let period = crate::context::period_arg(
        args.year.as_deref(),
        crate::context::Takes::Year,
        ctx.today,
        Period::Year(ctx.today.year() - 1),
    )?;
    let year = period.year();
    let book = ctx.book()?;
    let evaluations = ctx.evaluations(&book.ws, &book.roster, &book.rules)?;
    let (scores, ledger) = ctx.score(&book, year, period.last_day(), &mut Nobody)?;
    let rows = annual::rows(&book.rules.rules, &book.roster, &scores, &evaluations);
    crate::published::warn_if_restated(
        ctx,
        &book.ws,
        period,
        &crate::published::annual_figures(&book.rules.rules, &book.roster, &rows),
        true,
    );
    let unmarked: Vec<String> = rows
        .iter()
        .filter(|r| r.evaluation.is_none())
        .map(|r| {
            let d = &book.roster.delegates[r.delegate];
            format!("{} {}", d.id, d.name)
        })
        .collect();
    if !unmarked.is_empty() {
        ctx.warn(crate::tr!(
            "msg-no-marks",
            n = unmarked.len(),
            year = year.to_string(),
            names = crate::error::capped(&unmarked, NAMES_LISTED)
        ));
    }
    let mut report = annual::report(&book.rules.rules, &book.roster, &rows, year);
    let note = crate::context::in_progress(period, ctx.today, &ledger);
    ctx.present(&mut report, &book.ws, &book.rules, &ledger, note);
    match &ctx.global.output {
        Some(out) if is_dir_target(out, ctx) => write_dir(ctx, &report, out, year)?,
        _ => ctx.emit(&report)?,
    }
    Ok(Exit::Ok)
}

/// `-o DIR` for a folder, or a path with no extension when `--format` is not given.
fn is_dir_target(out: &Path, ctx: &Ctx) -> bool {
    out.is_dir() || (ctx.global.format.is_none() && out.extension().is_none())
}

/// Writes the three files to temporary names, then renames them as one journaled
/// transaction: on any failure none is left half written, and a run killed between two
/// renames is finished by the next report written to the folder.
fn write_dir(ctx: &Ctx, report: &output::Report, dir: &Path, year: i32) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(&ctx.show(dir), &e))?;
    let mut staged = Staged::journaled_in(dir);
    for format in [Format::Csv, Format::Json, Format::Html] {
        let path = dir.join(format!("annual-{year}.{}", format.name()));
        ctx.check_output(&path)?;
        let shown = ctx.show(&path);
        staged
            .write(&path, |w| output::render(report, format, ctx.global.bom, w))
            .map_err(|e| Error::write(&shown, &e))?;
    }
    staged
        .commit()
        .map_err(|e| Error::write(&ctx.show(dir), &e))?;
    ctx.note(crate::tr!(
        "msg-wrote-annual",
        year = year.to_string(),
        dir = ctx.show(dir)
    ));
    Ok(())
}
