//! `tally import FILE...`: check every row of every file, then add all of them to the ledger
//! or none. Re-sent rows are recognised by id or fingerprint and added once.

use crate::cli::ImportArgs;
use crate::context::Ctx;
use crate::domain::Record;
use crate::error::{Error, Exit, Problem};
use crate::fsutil::Staged;
use crate::input::{self, records};
use crate::ledger::{LedgerLock, LedgerStream, stage_year};
use crate::workspace::Workspace;
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap};

/// What happened to one file's rows.
#[derive(Debug, Default)]
struct FileStats {
    shown: String,
    rows: usize,
    added: usize,
    /// Rows already in the ledger, or repeating a row earlier in this import (SPEC §6: a
    /// re-sent file counts once, whether sent before or alongside).
    already: usize,
    /// Of those, rows whose record in the ledger is void: re-import does not revive them.
    voided: usize,
}

/// A row waiting to be added: which file it came from, and whether it is new.
struct Pending {
    record: Record,
    file: usize,
    seen: Seen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    New,
    InLedger,
    /// In the ledger and voided there.
    Voided,
    /// The same row earlier in this import (a re-sent file, or the same id twice).
    Repeated,
}

pub fn run(ctx: &Ctx, args: &ImportArgs) -> Result<Exit, Error> {
    if args.upgrade_ledger {
        return upgrade(ctx);
    }
    let ws = ctx.workspace()?;
    let rules = ctx.rules(Some(&ws))?;
    let roster = ctx.roster(&ws)?;
    let mut problems = Vec::new();
    let mut stats = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let sizes: Vec<u64> = args
        .files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    let bar = crate::progress::bytes("checking", sizes.iter().sum());
    for (path, size) in args.files.iter().zip(&sizes) {
        bar.inc(*size);
        let shown = ctx.show(path);
        let source = ws.source_name(path, &ctx.paths);
        let sheet = args.sheet.as_deref();
        let file = match input::read_input(path, &shown, args.encoding, sheet, records::RECORDS)? {
            Ok(f) => {
                if let Some(skipped) = f.skipped.describe() {
                    ctx.say(format!("{}: {skipped}", f.file));
                }
                f
            }
            Err(ps) => {
                problems.extend(ps);
                stats.push(FileStats {
                    shown,
                    ..FileStats::default()
                });
                continue;
            }
        };
        let (recs, ps) = records::inbox_records(&file, &source, &roster, &rules.rules, ctx.today);
        problems.extend(ps);
        stats.push(FileStats {
            shown,
            rows: file.rows.len(),
            ..FileStats::default()
        });
        let index = stats.len() - 1;
        pending.extend(recs.into_iter().map(|record| Pending {
            record,
            file: index,
            seen: Seen::New,
        }));
    }
    // The first of repeated rows is the one kept; taking them in source order rather than
    // command-line order keeps the ledger independent of the order files are given in.
    pending.sort_by(|a, b| {
        (&a.record.source, a.record.source_line).cmp(&(&b.record.source, b.record.source_line))
    });
    bar.finish_and_clear();
    mark_repeats_in_batch(&mut pending, &stats, &mut problems);
    if !problems.is_empty() {
        return Err(failed(problems));
    }
    let _lock = LedgerLock::acquire(&ws.ledger, &ctx.show(&ws.ledger), ctx.global.quiet)?;
    mark_in_ledger(ctx, &ws, &mut pending, &stats, &mut problems)?;
    if !problems.is_empty() {
        return Err(failed(problems));
    }
    let new: Vec<_> = pending
        .iter()
        .filter(|p| p.seen == Seen::New)
        .map(|p| p.record.date)
        .collect();
    crate::published::late_records(ctx, &ws, &rules.rules, &new)?;
    for p in &pending {
        let s = &mut stats[p.file];
        match p.seen {
            Seen::New => s.added += 1,
            Seen::InLedger | Seen::Repeated => s.already += 1,
            Seen::Voided => {
                s.already += 1;
                s.voided += 1;
            }
        }
    }
    if !args.dry_run {
        write(ctx, &ws, pending)?;
    }
    report(ctx, &stats, args.dry_run);
    Ok(Exit::Ok)
}

fn failed(problems: Vec<Problem>) -> Error {
    let mut e = Error::problems(Exit::Data, &problems);
    e.problems.push(format!(
        "import refused: {} problem{} found; nothing was added to the ledger",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    ));
    e
}

/// Rows repeated within this import count once; the same id with other content is an error.
fn mark_repeats_in_batch(
    pending: &mut [Pending],
    stats: &[FileStats],
    problems: &mut Vec<Problem>,
) {
    let mut first: HashMap<String, usize> = HashMap::new();
    for i in 0..pending.len() {
        let key = pending[i].record.key.clone();
        match first.get(&key) {
            None => {
                first.insert(key, i);
            }
            Some(&j) => {
                if pending[j].record.content() == pending[i].record.content() {
                    pending[i].seen = Seen::Repeated;
                } else {
                    let (a, b) = (&pending[j], &pending[i]);
                    problems.push(
                        Problem::new(
                            stats[b.file].shown.clone(),
                            format!(
                                "id already used with other content at {}:{}",
                                stats[a.file].shown, a.record.source_line
                            ),
                        )
                        .line(b.record.source_line)
                        .column("id")
                        .value(b.record.id.clone().unwrap_or_default()),
                    );
                }
            }
        }
    }
}

/// Streams every ledger year once, marking rows already there and refusing changed ids.
fn mark_in_ledger(
    ctx: &Ctx,
    ws: &Workspace,
    pending: &mut [Pending],
    stats: &[FileStats],
    problems: &mut Vec<Problem>,
) -> Result<(), Error> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, p) in pending.iter().enumerate() {
        if p.seen == Seen::New {
            by_key.insert(p.record.key.clone(), i);
        }
    }
    for year in ws.ledger_years() {
        let path = ws.ledger_file(year);
        let shown = ctx.show(&path);
        let mut stream = LedgerStream::open(&path, &shown)?;
        while let Some(next) = stream.next_record() {
            let old = next.map_err(|p| Error::from_problem(Exit::Data, p))?;
            let Some(&i) = by_key.get(&old.key) else {
                continue;
            };
            let p = &mut pending[i];
            if old.content() == p.record.content() {
                p.seen = if old.void.is_some() {
                    Seen::Voided
                } else {
                    Seen::InLedger
                };
            } else {
                problems.push(
                    Problem::new(stats[p.file].shown.clone(), format!(
                        "id already in the ledger with other content ({shown}:{}); correct it there or use a new id",
                        old.ledger_line
                    ))
                    .line(p.record.source_line)
                    .column("id")
                    .value(p.record.id.clone().unwrap_or_default()),
                );
            }
        }
    }
    Ok(())
}

/// Rewrites each year that gains rows, all staged first, then renamed into place.
fn write(ctx: &Ctx, ws: &Workspace, pending: Vec<Pending>) -> Result<(), Error> {
    let mut by_year: BTreeMap<i32, Vec<Record>> = BTreeMap::new();
    for p in pending.into_iter().filter(|p| p.seen == Seen::New) {
        by_year
            .entry(p.record.date.year())
            .or_default()
            .push(p.record);
    }
    // One transaction across years: all year files or none (see fsutil).
    let mut staged = Staged::journaled_in(&ws.ledger);
    for (year, recs) in by_year {
        let path = ws.ledger_file(year);
        stage_year(&mut staged, &path, &ctx.show(&path), recs)?;
    }
    let shown = ctx.show(&ws.ledger);
    staged.commit().map_err(|e| Error::write(&shown, &e))
}

fn report(ctx: &Ctx, stats: &[FileStats], dry_run: bool) {
    let verb = if dry_run { "to add" } else { "added" };
    let voided_note = |n: usize| {
        if n == 0 {
            String::new()
        } else {
            format!(" ({n} voided, not counted)")
        }
    };
    for s in stats {
        ctx.say(format!(
            "{}: {} rows, {} {verb}, {} already in the ledger{}",
            s.shown,
            s.rows,
            s.added,
            s.already,
            voided_note(s.voided)
        ));
    }
    let added: usize = stats.iter().map(|s| s.added).sum();
    let already: usize = stats.iter().map(|s| s.already).sum();
    let voided: usize = stats.iter().map(|s| s.voided).sum();
    let tail = if dry_run {
        " (dry run: the ledger is unchanged)"
    } else {
        ""
    };
    ctx.say(format!(
        "{added} {}, {already} already in the ledger{}{tail}",
        if dry_run { "would be added" } else { "added" },
        voided_note(voided)
    ));
}

/// `import --upgrade-ledger`: every year file written in an older format is rewritten in
/// the current one, records unchanged, as one transaction.
fn upgrade(ctx: &Ctx) -> Result<Exit, Error> {
    let ws = ctx.workspace()?;
    let _lock = LedgerLock::acquire(&ws.ledger, &ctx.show(&ws.ledger), ctx.global.quiet)?;
    let mut staged = Staged::journaled_in(&ws.ledger);
    let mut upgraded = Vec::new();
    for year in ws.ledger_years() {
        let path = ws.ledger_file(year);
        let shown = ctx.show(&path);
        if crate::ledger::is_current(&path, &shown)? {
            continue;
        }
        stage_year(&mut staged, &path, &shown, Vec::new())?;
        upgraded.push(shown);
    }
    let shown = ctx.show(&ws.ledger);
    staged.commit().map_err(|e| Error::write(&shown, &e))?;
    if upgraded.is_empty() {
        ctx.say("the ledger is already in the current format; nothing was changed");
    } else {
        ctx.say(format!(
            "rewrote in the current format: {}",
            upgraded.join(", ")
        ));
    }
    Ok(Exit::Ok)
}
