//! `tally import FILE...`: check every row of every file, then add all of them to the ledger
//! or none. Re-sent rows are recognised by id or fingerprint and added once.

use crate::cli::ImportArgs;
use crate::context::Ctx;
use crate::domain::Record;
use crate::error::{Error, Exit, MAX_LISTED, Problem};
use crate::fsutil::Staged;
use crate::input::{self, records};
use crate::ledger::batch::{self, Filter, Keyed, View, YearScan};
use crate::ledger::spill::{self, Sorter};
use crate::ledger::{LedgerLock, LedgerStream, stage_year};
use crate::workspace::Workspace;
use chrono::Datelike;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What happened to one file's rows.
#[derive(Debug, Default)]
struct FileStats {
    shown: String,
    /// How the ledger names the file.
    source: String,
    /// The place of `source` among the sources in name order.
    rank: u32,
    /// The file's extra columns, which its records carry in this order.
    extras: Vec<String>,
    rows: usize,
    added: usize,
    /// Rows already in the ledger, or repeating a row earlier in this import (SPEC §6: a
    /// re-sent file counts once, whether sent before or alongside).
    already: usize,
    /// Of those, rows whose record in the ledger is void: re-import does not revive them.
    voided: usize,
}

/// Problems in the order they are listed, kept up to what is listed, and counted.
#[derive(Default)]
struct Found {
    listed: Vec<Problem>,
    count: usize,
}

impl Found {
    fn push(&mut self, p: Problem) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(p);
        }
        self.count += 1;
    }
}

/// Problems found in another order than they are listed in: the first by `at` are kept.
#[derive(Default)]
struct Sorted {
    kept: Vec<(Vec<u8>, Problem)>,
    count: usize,
}

impl Sorted {
    fn push(&mut self, at: Vec<u8>, p: Problem) {
        self.kept.push((at, p));
        self.count += 1;
        if self.kept.len() >= 4 * MAX_LISTED {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.kept.sort_by(|a, b| a.0.cmp(&b.0));
        self.kept.truncate(MAX_LISTED);
    }

    fn into_found(mut self, mut found: Found) -> Found {
        self.trim();
        let kept = self.kept.len();
        for (_, p) in self.kept {
            found.push(p);
        }
        found.count += self.count - kept;
        found
    }
}

/// What the ledger already holds of a new row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    New,
    InLedger,
    /// In the ledger and voided there.
    Voided,
}

/// Bytes of a sort key: the row's key hash, then its place in source order (source, line,
/// then the order files were given in).
fn key_order(out: &mut Vec<u8>, hash: u64, rank: u32, line: u64, file: u32) {
    out.clear();
    out.extend_from_slice(&hash.to_be_bytes());
    out.extend_from_slice(&rank.to_be_bytes());
    out.extend_from_slice(&line.to_be_bytes());
    out.extend_from_slice(&file.to_be_bytes());
}

fn hash_of(key: &[u8]) -> u64 {
    u64::from_be_bytes(
        key[..8]
            .try_into()
            .expect("a sort key starts with 8 bytes of hash"),
    )
}

fn io_error(ws: &Workspace, ctx: &Ctx) -> impl Fn(std::io::Error) -> Error {
    let shown = ctx.show(&ws.ledger);
    move |e| Error::write(&shown, &e)
}

pub fn run(ctx: &Ctx, args: &ImportArgs) -> Result<Exit, Error> {
    if args.upgrade_ledger {
        return upgrade(ctx);
    }
    let ws = ctx.workspace()?;
    // Every checked row, by key: repeats meet there, whatever file they came from.
    let mut by_key = Sorter::new(&ws.ledger);
    let rules = ctx.rules(Some(&ws))?;
    let (mut stats, mut problems) = check(ctx, &ws, &rules, args, &mut by_key)?;
    // A ledger without a year file holds no key: the rows new to this import are new to
    // the ledger too, found in the one pass over the rows by key.
    let mut early = ws
        .ledger_years()
        .is_empty()
        .then(|| NewRows::new(&ws, args.dry_run));
    let (by_key, filter) =
        mark_repeats_in_batch(ctx, &ws, by_key, &mut stats, &mut problems, early.as_mut())?;
    if problems.count > 0 {
        return Err(failed(problems));
    }
    let _lock = LedgerLock::acquire(&ws.ledger, &ctx.show(&ws.ledger), ctx.global.quiet)?;
    let years = ws.ledger_years();
    let (new_rows, scans) = match early {
        Some(rows) if years.is_empty() => (rows, HashMap::new()),
        _ => {
            // A year file came before the lock was taken: the rows are joined with it.
            stats.iter_mut().for_each(|s| s.added = 0);
            let joined = join_ledger(ctx, &ws, args, by_key, filter, &years, &mut stats)?;
            match joined {
                Ok(joined) => joined,
                Err(found) => return Err(failed(found)),
            }
        }
    };
    let new_dates: Vec<_> = new_rows.dates.iter().copied().collect();
    crate::published::late_records(ctx, &ws, &rules.rules, &new_dates)?;
    if !args.dry_run {
        write(ctx, &ws, &stats, new_rows, &scans)?;
    }
    report(ctx, &stats, args.dry_run);
    Ok(Exit::Ok)
}

/// What reading each year file found of it, by year.
type Scans = HashMap<i32, YearScan>;

/// Reads each year file for the rows that may repeat a new one, then joins them with the
/// new rows: the rows new to the ledger, and what reading each year file found of it.
fn join_ledger(
    ctx: &Ctx,
    ws: &Workspace,
    args: &ImportArgs,
    by_key: spill::Sorted,
    filter: Filter,
    years: &[i32],
    stats: &mut [FileStats],
) -> Result<Result<(NewRows, Scans), Found>, Error> {
    let io = io_error(ws, ctx);
    let mut candidates = Sorter::new(&ws.ledger);
    let mut scans = HashMap::new();
    let mut key = Vec::new();
    let mut payload = Vec::new();
    for (i, &year) in years.iter().enumerate() {
        let path = ws.ledger_file(year);
        let shown = ctx.show(&path);
        let scan = batch::scan_year(&path, &shown, i as u32, &filter, &mut |hash, old| {
            key.clear();
            key.extend_from_slice(&hash.to_be_bytes());
            key.extend_from_slice(&old.year.to_be_bytes());
            key.extend_from_slice(&old.line.to_be_bytes());
            old.encode(&mut payload);
            candidates.push(&key, &payload).map_err(&io)
        })?;
        scans.insert(year, scan);
    }
    drop(filter);
    let shown_years: Vec<String> = years
        .iter()
        .map(|&y| ctx.show(&ws.ledger_file(y)))
        .collect();
    let joined = mark_in_ledger(
        ctx,
        ws,
        by_key,
        candidates,
        stats,
        &shown_years,
        NewRows::new(ws, args.dry_run),
    )?;
    Ok(joined.map(|rows| (rows, scans)))
}

/// One input file read and checked: its rows that pass, as sort entries for `by_key`, and
/// its problems.
struct Checked {
    rows: usize,
    /// The extra column names the file's records carry.
    extras: Vec<String>,
    entries: Entries,
    problems: Vec<Problem>,
    /// Title, total and empty rows passed over, said once.
    skipped: Option<String>,
}

/// Sort entries (key and payload) one after another, each behind the two lengths.
#[derive(Default)]
struct Entries(Vec<u8>);

impl Entries {
    fn push(&mut self, key: &[u8], payload: &[u8]) {
        self.0.extend_from_slice(&(key.len() as u32).to_le_bytes());
        self.0
            .extend_from_slice(&(payload.len() as u32).to_le_bytes());
        self.0.extend_from_slice(key);
        self.0.extend_from_slice(payload);
    }

    fn each(&self, mut f: impl FnMut(&[u8], &[u8]) -> std::io::Result<()>) -> std::io::Result<()> {
        let mut rest = &self.0[..];
        while let [a, b, c, d, e, g, h, i, tail @ ..] = rest {
            let k = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
            let p = u32::from_le_bytes([*e, *g, *h, *i]) as usize;
            let (key, tail) = tail.split_at(k);
            let (payload, tail) = tail.split_at(p);
            f(key, payload)?;
            rest = tail;
        }
        Ok(())
    }
}

/// What checking a file needs to know of it besides its rows.
struct FileJob<'a> {
    path: &'a std::path::Path,
    shown: &'a str,
    /// Its place among the files given, and its source's among the sources.
    index: u32,
    rank: u32,
}

/// Reads and checks one file, encoding each row that passes; `Ok` with problems for a file
/// whose rows cannot be read at all.
fn check_file(
    job: &FileJob,
    args: &ImportArgs,
    roster: &crate::domain::Roster,
    rules: &crate::domain::rules::Rules,
    today: chrono::NaiveDate,
) -> Result<Checked, Error> {
    let sheet = args.sheet.as_deref();
    let read = input::read_input(job.path, job.shown, args.encoding, sheet, records::RECORDS)?;
    let file = match read {
        Ok(f) => f,
        Err(problems) => {
            return Ok(Checked {
                rows: 0,
                extras: Vec::new(),
                entries: Entries::default(),
                problems,
                skipped: None,
            });
        }
    };
    let mut entries = Entries::default();
    let mut extras = None;
    let (mut key, mut payload, mut buf) = (Vec::new(), Vec::new(), Vec::new());
    let problems = records::inbox_records_each(&file, roster, rules, today, |rec| {
        key_order(
            &mut key,
            batch::key_hash(rec.key),
            job.rank,
            rec.source_line,
            job.index,
        );
        let content = rec
            .content
            .map_or(0, |c| batch::new_content_hash(&mut buf, c, rec.key));
        batch::encode(&mut payload, job.index, rec, content);
        entries.push(&key, &payload);
        extras.get_or_insert_with(|| rec.extras().map(|(h, _)| h.to_owned()).collect());
    });
    Ok(Checked {
        rows: file.rows.len(),
        extras: extras.unwrap_or_default(),
        entries,
        problems,
        skipped: file
            .skipped
            .describe()
            .map(|s| format!("{}: {s}", file.file)),
    })
}

/// How many files past the first not yet taken in the checkers may run ahead: enough to
/// keep both cores busy, few enough that waiting files hold little memory.
const AHEAD: usize = 4;

/// Files checked on worker threads, handed out in the order given.
struct Checkers {
    /// The next file to hand out, and the first file not yet taken back.
    state: std::sync::Mutex<(usize, usize)>,
    taken: std::sync::Condvar,
    stop: std::sync::atomic::AtomicBool,
}

impl Checkers {
    /// The next file to check, once it is no further than [`AHEAD`] past the first file
    /// not yet taken back; `None` when all are handed out or checking stopped.
    fn next(&self, count: usize) -> Option<usize> {
        use std::sync::atomic::Ordering;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if self.stop.load(Ordering::Relaxed) || state.0 >= count {
                return None;
            }
            if state.0 < state.1 + AHEAD {
                state.0 += 1;
                return Some(state.0 - 1);
            }
            state = self.taken.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn took(&self, i: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 = i + 1;
        self.taken.notify_all();
    }

    fn halt(&self) {
        let _state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.taken.notify_all();
    }
}

/// Reads and checks every file on two threads, each row that passes going to `by_key` in
/// file order (on this thread, while the checkers go on with the next files).
fn check(
    ctx: &Ctx,
    ws: &Workspace,
    rules: &crate::workspace::LoadedRules,
    args: &ImportArgs,
    by_key: &mut Sorter,
) -> Result<(Vec<FileStats>, Found), Error> {
    let roster = ctx.roster(ws)?;
    let io = io_error(ws, ctx);
    let sources: Vec<String> = args
        .files
        .iter()
        .map(|p| ws.source_name(p, &ctx.paths))
        .collect();
    let mut names: Vec<&String> = sources.iter().collect();
    names.sort();
    names.dedup();
    let mut problems = Found::default();
    let shown: Vec<String> = args.files.iter().map(|p| ctx.show(p)).collect();
    let mut stats: Vec<FileStats> = shown
        .iter()
        .zip(&sources)
        .map(|(shown, source)| FileStats {
            shown: shown.clone(),
            source: source.clone(),
            rank: names.binary_search(&source).unwrap_or_default() as u32,
            ..FileStats::default()
        })
        .collect();
    let sizes: Vec<u64> = args
        .files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect();
    let bar = crate::progress::bytes(&crate::tr!("progress-checking"), sizes.iter().sum());
    let count = args.files.len();
    let ranks: Vec<u32> = stats.iter().map(|s| s.rank).collect();
    let one = |i: usize| {
        let job = FileJob {
            path: &args.files[i],
            shown: &shown[i],
            index: i as u32,
            rank: ranks[i],
        };
        check_file(&job, args, &roster, &rules.rules, ctx.today)
    };
    let checkers = Checkers {
        state: std::sync::Mutex::new((0, 0)),
        taken: std::sync::Condvar::new(),
        stop: std::sync::atomic::AtomicBool::new(false),
    };
    let failed = || {
        Err(Error::new(
            Exit::Data,
            crate::tr!("msg-import-check-failed"),
        ))
    };
    let mut results: Vec<Option<Result<Checked, Error>>> = Vec::new();
    results.resize_with(count, || None);
    let outcome = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<Checked, Error>)>();
        for _ in 0..2 {
            let (tx, checkers, one) = (tx.clone(), &checkers, &one);
            scope.spawn(move || {
                while let Some(i) = checkers.next(count) {
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one(i)))
                        .unwrap_or_else(|_| failed());
                    if tx.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut take = |i: usize| -> Result<Checked, Error> {
            loop {
                if let Some(r) = results[i].take() {
                    return r;
                }
                match rx.recv() {
                    Ok((j, r)) => results[j] = Some(r),
                    Err(_) => return failed(),
                }
            }
        };
        let outcome = (|| -> Result<(), Error> {
            // Files are taken back two at a time, and a pair with a file that cannot be read
            // fails at the first such file before either is counted.
            for pair in (0..count).collect::<Vec<_>>().chunks(2) {
                let mut checked = Vec::with_capacity(2);
                for &i in pair {
                    checked.push((i, take(i)));
                }
                let mut taken = Vec::with_capacity(2);
                for (i, c) in checked {
                    taken.push((i, c?));
                }
                for (i, c) in taken {
                    checkers.took(i);
                    bar.inc(sizes[i]);
                    if let Some(skipped) = &c.skipped {
                        ctx.say(skipped);
                    }
                    c.problems.into_iter().for_each(|p| problems.push(p));
                    let s = &mut stats[i];
                    s.rows = c.rows;
                    s.extras = c.extras;
                    c.entries
                        .each(|key, payload| by_key.push(key, payload))
                        .map_err(&io)?;
                }
            }
            Ok(())
        })();
        checkers.halt();
        outcome
    });
    outcome?;
    bar.finish_and_clear();
    Ok((stats, problems))
}

fn failed(problems: Found) -> Error {
    let mut e = Error::problems(Exit::Data, &problems.listed);
    if problems.count > problems.listed.len() {
        e.push_line(crate::tr!(
            "and-more",
            n = problems.count - problems.listed.len()
        ));
    }
    e.push_line(crate::tr!("msg-import-refused", n = problems.count));
    e
}

/// Rows repeated within this import count once; the same id with other content is an error.
/// Gives back every row by key, to be read again from the first (where the first of each
/// key is the one that counts), and a filter of their key hashes (and, for rows without
/// id, of their content: see [`batch::content_hash`]). With `new`, the first row of each
/// key goes there, as new to the ledger, and the filter is one that holds every hash (no
/// ledger row is expected to be looked up: filling it would be wasted).
fn mark_repeats_in_batch(
    ctx: &Ctx,
    ws: &Workspace,
    by_key: Sorter,
    stats: &mut [FileStats],
    problems: &mut Found,
    mut new: Option<&mut NewRows>,
) -> Result<(spill::Sorted, Filter), Error> {
    let io = io_error(ws, ctx);
    let mut sorted = by_key.finish().map_err(&io)?;
    // Two hashes for each row without id, one for each row with.
    let mut filter = match new {
        Some(_) => None,
        None => Some(Filter::for_count(
            2 * stats.iter().map(|s| s.rows).sum::<usize>(),
        )),
    };
    let mut batch_problems = Sorted::default();
    // The first row of each key among the rows whose keys share the current hash.
    let (mut group, mut spare): (Vec<Vec<u8>>, Vec<Vec<u8>>) = (Vec::new(), Vec::new());
    let mut hash = None;
    let (mut key, mut payload) = (Vec::new(), Vec::new());
    while sorted.next_into(&mut key, &mut payload).map_err(&io)? {
        let h = hash_of(&key);
        if hash != Some(h) {
            spare.append(&mut group);
            hash = Some(h);
        }
        let row = Keyed::of(&payload);
        let first = group.iter().find(|f| Keyed::of(f).key == row.key);
        let Some(first) = first else {
            if let Some(filter) = &mut filter {
                filter.insert(h);
                if row.id.is_none() {
                    filter.insert(row.content_hash);
                }
            }
            if let Some(new) = new.as_deref_mut() {
                new.add(&mut stats[row.file as usize], &row, &payload)
                    .map_err(&io)?;
            }
            let mut kept = spare.pop().unwrap_or_default();
            kept.clone_from(&payload);
            group.push(kept);
            continue;
        };
        let file = row.file as usize;
        let same = View::of(first).same_content(&View::of(&payload));
        let first = Keyed::of(first);
        if same {
            stats[file].already += 1;
        } else {
            let p = Problem::new(
                stats[file].shown.clone(),
                crate::tr!(
                    "msg-import-id-reused",
                    file = &stats[first.file as usize].shown,
                    line = first.line
                ),
            )
            .line(row.line)
            .column("id")
            .value(row.id.unwrap_or_default());
            batch_problems.push(key[8..].to_vec(), p);
        }
    }
    *problems = batch_problems.into_found(std::mem::take(problems));
    sorted.rewind().map_err(&io)?;
    Ok((sorted, filter.unwrap_or_else(Filter::full)))
}

/// The rows new to the ledger, gathered for the write: in ledger order, for each year and
/// file the sort key of the file's first new row of that year (which orders the extra
/// columns, as [`stage_year`] does), and their dates (for the published periods they fall
/// in). A dry run keeps only the dates.
struct NewRows {
    order: Sorter,
    first_seen: HashMap<(i32, u32), Vec<u8>>,
    dates: BTreeSet<chrono::NaiveDate>,
    dry_run: bool,
    key: Vec<u8>,
}

impl NewRows {
    fn new(ws: &Workspace, dry_run: bool) -> NewRows {
        NewRows {
            order: Sorter::new(&ws.ledger),
            first_seen: HashMap::new(),
            dates: BTreeSet::new(),
            dry_run,
            key: Vec::new(),
        }
    }

    /// Counts a row of the file of `stats` as added, and keeps it for the write.
    fn add(&mut self, stats: &mut FileStats, row: &Keyed, payload: &[u8]) -> std::io::Result<()> {
        stats.added += 1;
        self.dates.insert(row.date);
        if self.dry_run {
            return Ok(());
        }
        batch::order_key(&mut self.key, row.date, stats.rank, row.line, row.key);
        self.order.push(&self.key, payload)?;
        let first = self
            .first_seen
            .entry((row.date.year(), row.file))
            .or_insert_with(|| self.key.clone());
        if self.key < *first {
            first.clone_from(&self.key);
        }
        Ok(())
    }
}

/// Joins the first rows of each key (the others were counted by [`mark_repeats_in_batch`])
/// with the ledger rows that may repeat them (both by key hash): rows already there are
/// counted, ids there with other content are problems.
fn mark_in_ledger(
    ctx: &Ctx,
    ws: &Workspace,
    mut news: spill::Sorted,
    candidates: Sorter,
    stats: &mut [FileStats],
    shown_years: &[String],
    mut new: NewRows,
) -> Result<Result<NewRows, Found>, Error> {
    let io = &io_error(ws, ctx);
    let mut olds = candidates.finish().map_err(io)?;
    let mut problems = Sorted::default();
    let (mut key, mut payload) = (Vec::new(), Vec::new());
    let (mut okey, mut opayload) = (Vec::new(), Vec::new());
    let mut old_more = olds.next_into(&mut okey, &mut opayload).map_err(io)?;
    let mut group: Vec<batch::OldKey> = Vec::new();
    let mut group_hash = None;
    // The keys of the rows read so far whose keys share the current hash: a row whose key
    // is among them repeats an earlier row of this import.
    let (mut firsts, mut spare): (Vec<Vec<u8>>, Vec<Vec<u8>>) = (Vec::new(), Vec::new());
    while news.next_into(&mut key, &mut payload).map_err(io)? {
        let h = hash_of(&key);
        let row = Keyed::of(&payload);
        if group_hash != Some(h) {
            spare.append(&mut firsts);
            group.clear();
            group_hash = Some(h);
            while old_more && hash_of(&okey) <= h {
                if hash_of(&okey) == h {
                    group.push(batch::OldKey::decode(&opayload));
                }
                old_more = olds.next_into(&mut okey, &mut opayload).map_err(io)?;
            }
        }
        if firsts.iter().any(|f| f == row.key.as_bytes()) {
            continue;
        }
        let mut first = spare.pop().unwrap_or_default();
        first.clear();
        first.extend_from_slice(row.key.as_bytes());
        firsts.push(first);
        let file = row.file as usize;
        let mut seen = Seen::New;
        for old in group.iter().filter(|o| o.key == row.key) {
            if old.content == View::of(&payload).content() {
                seen = if old.voided {
                    Seen::Voided
                } else {
                    Seen::InLedger
                };
            } else {
                let p = Problem::new(
                    stats[file].shown.clone(),
                    crate::tr!(
                        "msg-import-id-in-ledger",
                        file = &shown_years[old.year as usize],
                        line = old.line
                    ),
                )
                .line(row.line)
                .column("id")
                .value(row.id.unwrap_or_default());
                let mut at = old.year.to_be_bytes().to_vec();
                at.extend_from_slice(&old.line.to_be_bytes());
                problems.push(at, p);
            }
        }
        let s = &mut stats[file];
        match seen {
            Seen::New => new.add(s, &row, &payload).map_err(io)?,
            Seen::InLedger => s.already += 1,
            Seen::Voided => {
                s.already += 1;
                s.voided += 1;
            }
        }
    }
    if problems.count > 0 {
        return Ok(Err(problems.into_found(Found::default())));
    }
    Ok(Ok(new))
}

/// The new rows in ledger order (encoded), read back one year at a time.
struct Ordered {
    sorted: spill::Sorted,
    next: Option<std::io::Result<Vec<u8>>>,
    key: Vec<u8>,
}

impl Ordered {
    fn advance(&mut self) {
        let mut payload = Vec::new();
        self.next = match self.sorted.next_into(&mut self.key, &mut payload) {
            Ok(true) => Some(Ok(payload)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        };
    }

    /// The year of the next row, or its error.
    fn year(&mut self) -> Option<std::io::Result<i32>> {
        match self.next.take()? {
            Ok(p) => {
                let year = batch::head(&p).1.year();
                self.next = Some(Ok(p));
                Some(Ok(year))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

/// The rows of one year from an [`Ordered`].
struct YearRows<'a> {
    rows: &'a mut Ordered,
    year: i32,
}

impl Iterator for YearRows<'_> {
    type Item = std::io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        match &self.rows.next {
            Some(Ok(p)) if batch::head(p).1.year() != self.year => None,
            None => None,
            _ => {
                let item = self.rows.next.take();
                self.rows.advance();
                item
            }
        }
    }
}

/// Rewrites each year that gains rows, all staged first, then renamed into place.
fn write(
    ctx: &Ctx,
    ws: &Workspace,
    stats: &[FileStats],
    new: NewRows,
    scans: &Scans,
) -> Result<(), Error> {
    let io = io_error(ws, ctx);
    let first_seen = &new.first_seen;
    let mut rows = Ordered {
        sorted: new.order.finish().map_err(&io)?,
        next: None,
        key: Vec::new(),
    };
    rows.advance();
    let files: Vec<batch::Source> = stats
        .iter()
        .map(|s| batch::Source {
            name: &s.source,
            extras: &s.extras,
        })
        .collect();
    // One transaction across years: all year files or none (see fsutil).
    let mut staged = Staged::journaled_in(&ws.ledger);
    let mut written = Vec::new();
    while let Some(year) = rows.year() {
        let year = year.map_err(&io)?;
        written.push(year);
        let path = ws.ledger_file(year);
        let shown = ctx.show(&path);
        let mut new = YearRows {
            rows: &mut rows,
            year,
        };
        let scan = scans.get(&year).copied().unwrap_or_default();
        if scan.careful {
            let recs = new
                .map(|p| {
                    p.map(|p| {
                        let v = View::of(&p);
                        let f = &files[v.file as usize];
                        v.record(f.name, f.extras)
                    })
                })
                .collect::<std::io::Result<Vec<Record>>>()
                .map_err(&io)?;
            stage_year(&mut staged, &path, &shown, recs)?;
        } else {
            let extras = year_extras(&path, &shown, year, stats, first_seen)?;
            batch::stage_year_merged(&mut staged, &path, &shown, scan, &extras, &files, &mut new)?;
        }
    }
    let shown = ctx.show(&ws.ledger);
    staged.commit().map_err(|e| Error::write(&shown, &e))?;
    for year in written {
        crate::ledger::cache::refresh(&ws.ledger_file(year), year);
    }
    Ok(())
}

/// The extra columns of a year file after the merge: its own, then those of the files that
/// add rows to it, in the order their first rows come.
fn year_extras(
    path: &std::path::Path,
    shown: &str,
    year: i32,
    stats: &[FileStats],
    first_seen: &HashMap<(i32, u32), Vec<u8>>,
) -> Result<Vec<String>, Error> {
    let mut extras = LedgerStream::open(path, shown)?.extra_names();
    let mut known: HashSet<String> = extras.iter().cloned().collect();
    let mut files: Vec<(&Vec<u8>, u32)> = first_seen
        .iter()
        .filter(|((y, _), _)| *y == year)
        .map(|((_, f), k)| (k, *f))
        .collect();
    files.sort();
    for (_, f) in files {
        for h in &stats[f as usize].extras {
            if known.insert(h.clone()) {
                extras.push(h.clone());
            }
        }
    }
    Ok(extras)
}

fn report(ctx: &Ctx, stats: &[FileStats], dry_run: bool) {
    let voided_note = |n: usize| {
        if n == 0 {
            String::new()
        } else {
            crate::tr!("msg-import-voided-note", n = n)
        }
    };
    // A dry run says the same, in the conditional.
    let (file_id, total_id) = if dry_run {
        ("msg-import-file-dry", "msg-import-total-dry")
    } else {
        ("msg-import-file", "msg-import-total")
    };
    for s in stats {
        ctx.say(crate::i18n::message(
            file_id,
            &[
                ("path", s.shown.as_str().into()),
                ("rows", s.rows.into()),
                ("added", s.added.into()),
                ("already", s.already.into()),
                ("voided", voided_note(s.voided).into()),
            ],
        ));
    }
    let added: usize = stats.iter().map(|s| s.added).sum();
    let already: usize = stats.iter().map(|s| s.already).sum();
    let voided: usize = stats.iter().map(|s| s.voided).sum();
    ctx.say(crate::i18n::message(
        total_id,
        &[
            ("added", added.into()),
            ("already", already.into()),
            ("voided", voided_note(voided).into()),
        ],
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
        upgraded.push((year, shown));
    }
    let shown = ctx.show(&ws.ledger);
    staged.commit().map_err(|e| Error::write(&shown, &e))?;
    for (year, _) in &upgraded {
        crate::ledger::cache::refresh(&ws.ledger_file(*year), *year);
    }
    let upgraded: Vec<String> = upgraded.into_iter().map(|(_, shown)| shown).collect();
    if upgraded.is_empty() {
        ctx.say(crate::tr!("msg-upgrade-nothing"));
    } else {
        ctx.say(crate::tr!(
            "msg-upgrade-rewrote",
            files = upgraded.join(&crate::tr!("list-separator"))
        ));
    }
    Ok(Exit::Ok)
}
