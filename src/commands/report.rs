//! `tally report DELEGATE [YEAR]`: a delegate's annual duty report (履职报告);
//! `tally report --all [YEAR] -o DIR/` writes one per delegate, atomically as one set.

use crate::cli::ReportArgs;
use crate::context::{Ctx, Nobody};
use crate::domain::Period;
use crate::domain::period::Progress;
use crate::error::{Error, Exit};
use crate::output::Format;
use crate::reports::duty::{self, Duty};
use crate::reports::{annual, petitions, quarter};
use chrono::Datelike;

pub fn run(ctx: &Ctx, args: &ReportArgs) -> Result<Exit, Error> {
    // With --all the one positional is the year.
    let (who, year) = if args.all {
        if args.year.is_some() {
            return Err(Error::usage(crate::tr!("msg-report-all-no-delegate")));
        }
        (None, args.delegate.as_deref())
    } else {
        (args.delegate.as_deref(), args.year.as_deref())
    };
    let period = crate::context::period_arg(
        year,
        crate::context::Takes::Year,
        ctx.today,
        Period::Year(ctx.today.year() - 1),
    )?;
    let year = period.year();
    let dir = match (args.all, &ctx.global.output) {
        (true, None) => {
            return Err(Error::usage(crate::tr!("msg-report-all-needs-dir")));
        }
        (true, Some(dir)) => Some(dir.clone()),
        (false, _) => None,
    };
    let format = match (&dir, ctx.global.format) {
        (Some(_), None) => Format::Html,
        _ => ctx.format()?,
    };
    if format == Format::Csv {
        return Err(Error::usage(crate::tr!("msg-report-no-csv")));
    }
    let book = ctx.book()?;
    let (rules, roster) = (&book.rules.rules, &book.roster);
    let chosen = match who {
        None => None,
        Some(text) => Some(ctx.delegate_arg(&book, text)?),
    };
    let evaluations = ctx.evaluations(&book.ws, roster, &book.rules)?;
    let register = ctx.petitions(&book.ws, roster)?;
    let (scores, ledger) = ctx.score(&book, year, period.last_day(), &mut Nobody)?;
    let annual_rows = annual::rows(rules, roster, &scores, &evaluations);
    let within = rules.meta.rank_within;
    let quarters: Vec<(Period, Vec<quarter::QuarterRow>)> = (1..=4)
        .map(|q| Period::Quarter { year, q })
        .filter(|p| p.progress(ctx.today) != Progress::NotBegun)
        .map(|p| (p, quarter::rows(rules, roster, &scores, p, within)))
        .collect();
    let as_of = period.last_day().min(ctx.today);
    let items = petitions::as_of(&register, rules, as_of, None);
    let delegates: Vec<usize> = match chosen {
        Some(d) => {
            if !annual_rows.iter().any(|r| r.delegate == d) {
                let del = &roster.delegates[d];
                return Err(Error::data(crate::tr!(
                    "msg-not-in-office-in-year",
                    delegate = &del.id,
                    name = &del.name,
                    year = year.to_string()
                )));
            }
            vec![d]
        }
        None => roster_order(&annual_rows),
    };
    let note = crate::context::in_progress(period, ctx.today, &ledger);
    let stamp = ctx.stamp(&book.ws, &book.rules, &ledger);
    let build = |d: usize| {
        let id = &roster.delegates[d].id;
        let page = Duty {
            rules,
            roster,
            scores: &scores,
            delegate: d,
            year,
            quarters: quarters
                .iter()
                .map(|(p, rows)| (*p, rows.iter().find(|r| r.delegate == d).cloned()))
                .collect(),
            annual: annual_rows.iter().find(|r| r.delegate == d),
            as_of,
            items: items
                .iter()
                .filter(|i| &i.petition.delegate == id && i.petition.received.year() == year)
                .collect(),
            adjustments: book
                .adjustments
                .iter()
                .filter(|a| &a.delegate == id && a.date.year() == year)
                .collect(),
        };
        let mut report = duty::report(&page);
        report.head(&book.ws.name, note.clone());
        report.stamp = Some(stamp.clone());
        report
    };
    match dir {
        None => ctx.emit(&build(delegates[0]))?,
        Some(dir) => {
            let files = delegates.iter().map(|&d| {
                let name = format!("report-{year}-{}.{}", roster.delegates[d].id, format.name());
                (safe_file_name(&name), build(d))
            });
            ctx.write_set(&dir, format, files)?;
            ctx.note(crate::tr!(
                "msg-wrote-duty-reports",
                n = delegates.len(),
                year = year.to_string(),
                dir = ctx.show(&dir)
            ));
        }
    }
    Ok(Exit::Ok)
}

/// Delegates of the year in roster order (annual rows are in rank order).
fn roster_order(rows: &[annual::AnnualRow]) -> Vec<usize> {
    let mut ds: Vec<usize> = rows.iter().map(|r| r.delegate).collect();
    ds.sort_unstable();
    ds
}

/// An id from the roster as part of a file name: path separators and other characters a
/// file system refuses become `_`.
fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect()
}
