//! `tally void KEY... --reason TEXT`: withdraw records from scoring with a trace. A void is
//! never a deletion: the record stays in its year file, marked with the date, who and why,
//! and every void and undo is added to `ledger/voids.csv`. All under the ledger lock, as one
//! transaction with the year files.

use crate::cli::VoidArgs;
use crate::context::{Book, Ctx, Nobody};
use crate::domain::{Period, Record, Void};
use crate::error::{Error, Exit, Problem};
use crate::fsutil::Staged;
use crate::ledger::{LedgerLock, LedgerStream, short_key, write_records};
use crate::reports::{diff_rules, quarter, records};
use chrono::Datelike;
use std::collections::BTreeMap;

/// The trail of every void and undo, beside the year files.
pub const VOIDS_LOG: &str = "voids.csv";

/// What was asked for: keys as typed, or every record of a source file.
enum Target {
    Keys(Vec<String>),
    Source(String),
}

pub fn run(ctx: &Ctx, args: &VoidArgs) -> Result<Exit, Error> {
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err(Error::usage(crate::tr!("msg-void-no-reason")));
    }
    let book = ctx.book()?;
    let target = match &args.source {
        Some(f) => Target::Source(book.ws.source_name(f, &ctx.paths)),
        None => {
            // A key typed twice is one record, voided once.
            let mut keys = args.keys.clone();
            let mut seen = std::collections::HashSet::new();
            keys.retain(|k| seen.insert(k.trim().to_lowercase()));
            Target::Keys(keys)
        }
    };
    let _lock = LedgerLock::acquire(
        &book.ws.ledger,
        &ctx.show(&book.ws.ledger),
        ctx.global.quiet,
    )?;
    let void = (!args.undo).then(|| Void {
        on: ctx.today,
        by: who(args.by.as_deref()),
        reason: reason.to_owned(),
    });
    let years = changed_years(ctx, &book, &target, args.undo, void.as_ref())?;
    if args.dry_run {
        return preview(ctx, &book, &years);
    }
    write(ctx, &book, &years, args.undo, reason, args.by.as_deref())?;
    let n: usize = years.values().map(|y| y.changed.len()).sum();
    for y in years.values() {
        for r in &y.changed {
            let record = describe(ctx, &book, r);
            ctx.say(if args.undo {
                crate::tr!("msg-restored-record", record = record)
            } else {
                crate::tr!("msg-voided-record", record = record)
            });
        }
    }
    let trail = ctx.show(&book.ws.ledger.join(VOIDS_LOG));
    ctx.say(if args.undo {
        crate::tr!("msg-restored-summary", n = n, trail = trail)
    } else {
        crate::tr!("msg-voided-summary", n = n, trail = trail)
    });
    Ok(Exit::Ok)
}

/// One year file with its records after the change, and the records changed.
struct Year {
    extras: Vec<String>,
    records: Vec<Record>,
    changed: Vec<Record>,
}

/// Reads every year file, marks (or clears) the records asked for, and insists that each
/// key names exactly one record in the right state.
fn changed_years(
    ctx: &Ctx,
    book: &Book,
    target: &Target,
    undo: bool,
    void: Option<&Void>,
) -> Result<BTreeMap<i32, Year>, Error> {
    let mut found: Vec<Vec<(i32, usize)>> = match target {
        Target::Keys(keys) => vec![Vec::new(); keys.len()],
        Target::Source(_) => Vec::new(),
    };
    let mut years = BTreeMap::new();
    for year in book.ws.ledger_years() {
        let path = book.ws.ledger_file(year);
        let shown = ctx.show(&path);
        let mut stream = LedgerStream::open(&path, &shown)?;
        let extras = stream.extra_names();
        let mut records = Vec::new();
        while let Some(next) = stream.next_record() {
            let rec = next.map_err(|p| Error::from_problem(Exit::Data, p))?;
            match target {
                Target::Keys(keys) => {
                    let short = short_key(&rec.key);
                    for (i, k) in keys.iter().enumerate() {
                        if names(k, &short, &rec) {
                            found[i].push((year, records.len()));
                        }
                    }
                }
                Target::Source(s) if *s == rec.source && rec.void.is_some() == undo => {
                    found.push(vec![(year, records.len())]);
                }
                Target::Source(_) => {}
            }
            records.push(rec);
        }
        years.insert(
            year,
            Year {
                extras,
                records,
                changed: Vec::new(),
            },
        );
    }
    check_found(target, &found, &years, undo)?;
    for (year, at) in found.into_iter().flatten() {
        if let Some(y) = years.get_mut(&year) {
            y.records[at].void = void.cloned();
            y.changed.push(y.records[at].clone());
        }
    }
    years.retain(|_, y| !y.changed.is_empty());
    Ok(years)
}

/// A key as typed names a record: its short key or a prefix of at least 6 digits, its full
/// key, or its id.
fn names(typed: &str, short: &str, rec: &Record) -> bool {
    let t = typed.trim();
    (t.len() >= 6 && short.starts_with(&t.to_lowercase()))
        || t == rec.key
        || rec.id.as_deref() == Some(t)
}

fn check_found(
    target: &Target,
    found: &[Vec<(i32, usize)>],
    years: &BTreeMap<i32, Year>,
    undo: bool,
) -> Result<(), Error> {
    let mut problems = Vec::new();
    match target {
        Target::Source(s) if found.is_empty() => problems.push(if undo {
            crate::tr!("msg-void-source-none-voided", source = s)
        } else {
            crate::tr!("msg-void-source-none-live", source = s)
        }),
        Target::Source(_) => {}
        Target::Keys(keys) => {
            for (k, hits) in keys.iter().zip(found) {
                match hits.as_slice() {
                    [] if k.trim().len() < 6 && !k.contains(':') => {
                        problems.push(crate::tr!("msg-void-key-short", key = k))
                    }
                    [] => problems.push(crate::tr!("msg-void-key-unknown", key = k)),
                    [(year, at)] => {
                        let rec = &years[year].records[*at];
                        match (&rec.void, undo) {
                            (Some(v), false) => problems.push(crate::tr!(
                                "msg-void-already",
                                key = k,
                                on = v.on,
                                reason = &v.reason
                            )),
                            (None, true) => problems.push(crate::tr!("msg-void-not-void", key = k)),
                            _ => {}
                        }
                    }
                    many => problems.push(crate::tr!(
                        "msg-void-key-ambiguous",
                        key = k,
                        n = many.len()
                    )),
                }
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut problems: Vec<Problem> = problems.into_iter().map(Problem::plain).collect();
    problems.push(Problem::plain(crate::tr!("msg-nothing-changed")));
    let e = Error::problems(Exit::Data, &problems);
    Err(e)
}

/// Who voided, for the trail: `--by`, else the login name.
fn who(by: Option<&str>) -> String {
    by.map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}

fn describe(ctx: &Ctx, book: &Book, r: &Record) -> String {
    format!(
        "{} {} {} {} ×{} ({}:{})",
        short_key(&r.key),
        r.date,
        r.delegate,
        r.activity,
        r.count,
        ctx.show(&book.ws.root.join(&r.source)),
        r.source_line
    )
}

/// Stages the changed year files and the trail, then puts them in place together.
fn write(
    ctx: &Ctx,
    book: &Book,
    years: &BTreeMap<i32, Year>,
    undo: bool,
    reason: &str,
    by: Option<&str>,
) -> Result<(), Error> {
    let shown = ctx.show(&book.ws.ledger);
    let io = |e: std::io::Error| Error::write(&shown, &e);
    let mut staged = Staged::journaled_in(&book.ws.ledger);
    for (year, y) in years {
        let path = book.ws.ledger_file(*year);
        staged
            .write(&path, |w| write_records(w, &y.extras, y.records.iter()))
            .map_err(io)?;
    }
    let log = book.ws.ledger.join(VOIDS_LOG);
    let before = match std::fs::read(&log) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        // Rewriting the trail without what it held would lose its history.
        Err(e) => {
            return Err(Error::no_input(crate::tr!(
                "msg-void-trail-unreadable",
                path = ctx.show(&log),
                why = e.to_string()
            )));
        }
    };
    let action = if undo { "undo" } else { "void" };
    let by = who(by);
    staged
        .write(&log, |w| {
            let mut out = csv::Writer::from_writer(Vec::new());
            if before.is_empty() {
                out.write_record(["date", "action", "key", "record", "by", "reason"])?;
            }
            for r in years.values().flat_map(|y| &y.changed) {
                let record = format!(
                    "{} {} {} ×{} ({}:{})",
                    r.date, r.delegate, r.activity, r.count, r.source, r.source_line
                );
                let date = ctx.today.to_string();
                let key = short_key(&r.key);
                out.write_record([date.as_str(), action, &key, &record, &by, reason])?;
            }
            let rows = out.into_inner().map_err(|e| e.into_error())?;
            w.write_all(&before)?;
            w.write_all(&rows)
        })
        .map_err(io)?;
    staged.commit().map_err(io)?;
    for year in years.keys() {
        crate::ledger::cache::refresh(&book.ws.ledger_file(*year), *year);
    }
    Ok(())
}

/// `--dry-run`: whose totals and ranks change, cycle to date, in each year touched.
fn preview(ctx: &Ctx, book: &Book, years: &BTreeMap<i32, Year>) -> Result<Exit, Error> {
    let scratch =
        tempfile::tempdir().map_err(|e| Error::write(&crate::tr!("msg-temporary-folder"), &e))?;
    let mut after = Book {
        ws: book.ws.clone(),
        rules: book.rules.clone(),
        roster: book.roster.clone(),
        adjustments: book.adjustments.clone(),
    };
    after.ws.ledger = scratch.path().to_path_buf();
    let mut report: Option<crate::output::Report> = None;
    for (year, y) in years {
        let path = after.ws.ledger_file(*year);
        let mut staged = Staged::new();
        staged
            .write(&path, |w| write_records(w, &y.extras, y.records.iter()))
            .and_then(|()| staged.commit())
            .map_err(|e| Error::write(&crate::tr!("msg-temporary-folder"), &e))?;
        let period = cycle_to_date(*year, ctx.today);
        let rows = |b: &Book| -> Result<Vec<quarter::QuarterRow>, Error> {
            let (scores, _) = ctx.score(b, *year, period.last_day(), &mut Nobody)?;
            let within = b.rules.rules.meta.rank_within;
            Ok(quarter::rows(
                &b.rules.rules,
                &b.roster,
                &scores,
                period,
                within,
            ))
        };
        let moves = diff_rules::moves(&book.roster, &rows(book)?, &rows(&after)?);
        let r = records::void_preview(&book.roster, &moves, period, &y.changed);
        report = Some(match report.take() {
            None => r,
            Some(mut all) => {
                all.tables.extend(r.tables);
                all
            }
        });
    }
    if let Some(mut r) = report {
        r.title = format!("{} — {}", book.ws.name, r.title);
        ctx.emit(&r)?;
    }
    Ok(Exit::Ok)
}

/// The quarter whose cumulative ranking a change in `year` moves: the year's last quarter,
/// or the current one while the year runs.
fn cycle_to_date(year: i32, today: chrono::NaiveDate) -> Period {
    match Period::quarter_of(today) {
        Period::Quarter { q, .. } if year >= today.year() => Period::Quarter { year, q },
        _ => Period::Quarter { year, q: 4 },
    }
}
