//! A derived binary copy of what reports read of a year file, kept beside it as
//! `ledger/.<year>.rows`, so that `quarter`, `annual`, `obligations` and `explain` read no
//! CSV while the ledger is unchanged. The CSV stays the record: the cache is rebuilt from it,
//! never the other way, and a cache that does not match the file is simply not used.
//!
//! **What it holds.** A header: magic, format version, the cycle's year, the version of the
//! year file it was made from (length, modification time in ns, inode, and a SHA-256 of its
//! first and last 64 KiB, so that an edit in place inside one clock tick is still caught),
//! whether the file is clean, the row count, the newest date, a checksum of the rows, and
//! string tables of the distinct delegate ids, item codes and outcomes met. Then one 8-byte
//! little-endian row per ledger row, in ledger order — day of year (bit 15: voided), count
//! (0: not a whole count as tally writes it), delegate, item and outcome as table indices —
//! and after all rows, per row, its byte offset and line in the CSV (12 bytes, for
//! `explain`, which reads its delegate's rows from the CSV by offset).
//!
//! **What "clean" means.** Only a file that passes every check of the fast CSV read
//! ([`super::scan`]) that does not depend on rules or roster — date order, ISO dates in the
//! year, row widths, no row repeated on a date, voided cells as tally writes them — is
//! cached with its rows. Any other file gets a header alone saying so, and reports go
//! straight to the careful path. The checks that depend on rules and roster are made when
//! reading, through the string tables (an unknown delegate, item or outcome of a counted row,
//! or a count that is not whole, is an [`Anomaly`]), exactly where the CSV fast path makes
//! them, so both give the same figures and the careful path words any problem.
//!
//! **How it is read.** In chunks (memory flat in rows), a large cache in two halves on two
//! cores. The string tables are looked up against roster and rules once; a row is then a
//! few table lookups. Rows of an item whose points are never negative are summed by month,
//! delegate and (item, points per unit) and scored once at the end, month by month: an
//! uncapped item earns the sum, and a cap (whose period is whole months) cuts a month's sum
//! exactly where it cuts its rows one by one. Rows of an item that can take points away go
//! through the engine in ledger order. `explain` reads the rows once without scoring, to
//! prove them clean for its rules and roster and to find its delegate's, whose records it
//! then reads from the CSV by offset with the careful reader (so records, sources and
//! lines are the CSV's own).
//!
//! **When it is written.** By `import` and `void` after they commit a year file, under their
//! lock; by a report that finds no cache for the file (the first report after a hand edit, or
//! in a copied workspace), in place of the CSV fast read. Written to a temporary file and
//! renamed; a ledger folder that cannot be written goes without it, silently.
//!
//! **When it is used.** When its header matches the open year file (the same handle every
//! later read goes through, so an import renaming a new file in meanwhile cannot mix two
//! versions) and the checksum of its rows holds; otherwise it is ignored, and a report
//! builds a new one. `TALLY_LEDGER_CACHE=off` turns it off (reports then read the CSV).

use super::scan::{self, Anomaly, At, Columns, Keys, RangeInfo};
use crate::domain::period::month_index;
use crate::scoring::{Engine, Event};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"TALLYROW";
/// Bumped whenever the layout changes: a cache of another version is rebuilt.
const VERSION: u32 = 1;
const ROW: u64 = 8;
const SIDE: u64 = 12;
/// Bytes hashed at each end of the year file for its version.
const EDGE: u64 = 64 << 10;
/// Where the checksum sits in the header, written last.
const CHECK_AT: u64 = 104;
const FIXED: usize = 112;
/// Rows read at once: memory stays flat whatever the ledger's size.
const CHUNK: usize = 1 << 16;
/// Below this many rows one core reads the cache.
pub const SPLIT_ROWS: u64 = 1 << 18;
const VOIDED: u16 = 1 << 15;

/// `ledger/.<year>.rows` for `ledger/<year>.csv`.
pub fn cache_path(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    Some(path.with_file_name(format!(".{stem}.rows")))
}

/// Whether reports may use and write the cache (`TALLY_LEDGER_CACHE=off` says no).
pub fn enabled() -> bool {
    std::env::var_os("TALLY_LEDGER_CACHE").is_none_or(|v| v != "off")
}

/// What identifies one version of the year file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified_ns: i128,
    inode: u64,
    edges: [u8; 32],
}

fn stamp(file: &File) -> Option<Stamp> {
    let v = super::digest::Version::of(&file.metadata().ok()?)?;
    let mut hasher = Sha256::new();
    let mut buf = Vec::with_capacity(EDGE as usize);
    for start in [0, v.len.saturating_sub(EDGE).max(EDGE.min(v.len))] {
        buf.clear();
        At::new(file, start, v.len.min(start + EDGE))
            .read_to_end(&mut buf)
            .ok()?;
        hasher.update(&buf);
    }
    Some(Stamp {
        len: v.len,
        modified_ns: v.modified_ns,
        inode: v.inode,
        edges: hasher.finalize().into(),
    })
}

/// An open cache that matches the year file.
pub struct Cache {
    path: PathBuf,
    file: File,
    clean: bool,
    rows: u64,
    rows_at: u64,
    check: u64,
    year: i32,
    newest: Option<NaiveDate>,
    delegates: Vec<Vec<u8>>,
    items: Vec<Vec<u8>>,
    outcomes: Vec<Vec<u8>>,
}

impl Cache {
    /// Whether the year file passed every check that does not depend on rules or roster.
    pub fn clean(&self) -> bool {
        self.clean
    }

    pub fn newest(&self) -> Option<NaiveDate> {
        self.newest
    }

    fn side_at(&self) -> u64 {
        self.rows_at + self.rows * ROW
    }
}

fn le_u16(b: &[u8]) -> u16 {
    u16::from_le_bytes([b[0], b[1]])
}

fn le_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

fn le_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

fn date_of(year: i32, day: u16) -> Option<NaiveDate> {
    NaiveDate::from_yo_opt(year, u32::from(day))
}

/// The cache of `csv` (opened from `path`) for the cycle `year`, when there is one made from
/// this very version of the file.
pub fn open(csv: &File, path: &Path, year: i32) -> Option<Cache> {
    let cache = cache_path(path)?;
    let file = File::open(&cache).ok()?;
    let cache_len = file.metadata().ok()?.len();
    let mut head = [0u8; FIXED];
    let mut reader = BufReader::new(At::new(&file, 0, cache_len));
    reader.read_exact(&mut head).ok()?;
    if &head[..8] != MAGIC || le_u32(&head[8..]) != VERSION {
        return None;
    }
    let now = stamp(csv)?;
    let mut ns = [0u8; 16];
    ns.copy_from_slice(&head[24..40]);
    let then = Stamp {
        len: le_u64(&head[16..]),
        modified_ns: i128::from_le_bytes(ns),
        inode: le_u64(&head[40..]),
        edges: head[48..80].try_into().ok()?,
    };
    let cached_year = i32::from_le_bytes(head[12..16].try_into().ok()?);
    if then != now || cached_year != year {
        return None;
    }
    let clean = head[80] == 1;
    let rows = le_u64(&head[88..]);
    let newest = match le_u16(&head[96..]) {
        0 => None,
        d => Some(date_of(year, d)?),
    };
    let check = le_u64(&head[CHECK_AT as usize..]);
    let mut at = FIXED as u64;
    let mut table = || -> Option<Vec<Vec<u8>>> {
        let mut n = [0u8; 4];
        reader.read_exact(&mut n).ok()?;
        at += 4;
        let n = le_u32(&n);
        let mut out = Vec::with_capacity(n.min(1 << 16) as usize);
        for _ in 0..n {
            let mut len = [0u8; 2];
            reader.read_exact(&mut len).ok()?;
            let mut s = vec![0u8; usize::from(le_u16(&len))];
            reader.read_exact(&mut s).ok()?;
            at += 2 + s.len() as u64;
            out.push(s);
        }
        Some(out)
    };
    let (delegates, items, outcomes) = (table()?, table()?, table()?);
    if items.len() > 256 || outcomes.len() > 256 || delegates.len() > 1 << 16 {
        return None;
    }
    // A cache cut short, or with bytes after its end, is not this file's.
    if rows.checked_mul(ROW + SIDE)?.checked_add(at)? != cache_len {
        return None;
    }
    Some(Cache {
        path: cache,
        file,
        clean,
        rows,
        rows_at: at,
        check,
        year,
        newest,
        delegates,
        items,
        outcomes,
    })
}

/// The checksum's term for the row at `index` (the sum of all terms, in any order, is it).
fn mix(row: u64, index: u64) -> u64 {
    let x = row ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let x = (x ^ (x >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// What a row's item and outcome indices come to under the rules.
#[derive(Clone, Copy)]
struct Unit {
    item: usize,
    points: Decimal,
    /// Where the item's units are summed ([`Counts`]); `None` for one scored in order.
    slot: Option<usize>,
}

/// Rows and cycle looked up against rules and roster once, for every row.
struct Lookup {
    /// Date and month by day of the year.
    dates: Vec<(NaiveDate, usize)>,
    until: NaiveDate,
    delegates: Vec<Option<usize>>,
    /// By item and outcome index (`outcomes` wide).
    units: Vec<Option<Unit>>,
    outcomes: usize,
    /// Item and points per unit of each slot.
    slots: Vec<(usize, Decimal)>,
    roster: usize,
    /// For [`Lookup::cell`]: the month of each day scored (else `NO_CELL`), each delegate's
    /// roster index and each item and outcome's slot (else `u32::MAX`).
    months: Vec<u8>,
    roster_of: Vec<u32>,
    slot_of: Vec<u32>,
}

const NO_CELL: u8 = u8::MAX;

impl Lookup {
    fn new(cache: &Cache, engine: &Engine) -> Lookup {
        let keys = Keys::new(engine.rules(), engine.roster());
        let (year, until) = engine.window();
        let dates = (0..=366)
            .map(|d| date_of(year, d).map_or((NaiveDate::MAX, 0), |d| (d, month_index(d))))
            .collect();
        let delegates: Vec<Option<usize>> = cache
            .delegates
            .iter()
            .map(|d| keys.delegates.get(d).copied())
            .collect();
        let rules = engine.rules();
        let mut slots: Vec<(usize, Decimal)> = Vec::new();
        let mut units = Vec::with_capacity(cache.items.len() * cache.outcomes.len());
        for code in &cache.items {
            let item = keys.items.get(code).copied();
            for outcome in &cache.outcomes {
                units.push(item.and_then(|item| {
                    let points = keys.unit(item, outcome)?;
                    let slot = summable(&rules.items[item]).then(|| {
                        slots
                            .iter()
                            .position(|s| *s == (item, points))
                            .unwrap_or_else(|| {
                                slots.push((item, points));
                                slots.len() - 1
                            })
                    });
                    Some(Unit { item, points, slot })
                }));
            }
        }
        let months = (0..=366u16)
            .map(|d| match date_of(year, d) {
                Some(date) if date <= until => month_index(date) as u8,
                _ => NO_CELL,
            })
            .collect();
        let wide = |i: Option<usize>| i.and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX);
        let roster_of = delegates.iter().map(|d| wide(*d)).collect();
        let slot_of = units
            .iter()
            .map(|u: &Option<Unit>| wide(u.and_then(|u| u.slot)))
            .collect();
        Lookup {
            months,
            roster_of,
            slot_of,
            dates,
            until,
            delegates,
            units,
            outcomes: cache.outcomes.len(),
            slots,
            roster: engine.roster().delegates.len(),
        }
    }

    /// The cell of [`Counts`] a plain row (counted, of a known delegate, a summable item and
    /// a whole count) adds its units to, with them; `None` for any other row, which
    /// [`Lookup::row`] then scores or refuses. The most rows, in a few table lookups.
    #[inline]
    fn cell(&self, r: &[u8]) -> Option<(usize, usize, usize, u64)> {
        let month = *self.months.get(usize::from(le_u16(r)))?;
        let delegate = *self.roster_of.get(usize::from(le_u16(&r[4..])))?;
        let slot = *self
            .slot_of
            .get(usize::from(r[6]) * self.outcomes + usize::from(r[7]))?;
        let count = le_u16(&r[2..]);
        if month == NO_CELL || delegate == u32::MAX || slot == u32::MAX || count == 0 {
            return None;
        }
        Some((
            usize::from(month),
            delegate as usize,
            slot as usize,
            u64::from(count),
        ))
    }

    /// One cached row scored: `None` for a row that earns nothing in this cycle, else its
    /// delegate, unit, date, month and count.
    #[allow(clippy::type_complexity)]
    fn row(&self, r: &[u8]) -> Result<Option<(usize, Unit, NaiveDate, usize, u64)>, Anomaly> {
        let day = le_u16(r);
        let (date, month) = *self.dates.get(usize::from(day & !VOIDED)).ok_or(Anomaly)?;
        if day & VOIDED != 0 || date > self.until {
            return Ok(None);
        }
        let delegate = self
            .delegates
            .get(usize::from(le_u16(&r[4..])))
            .copied()
            .flatten()
            .ok_or(Anomaly)?;
        let unit = self
            .units
            .get(usize::from(r[6]) * self.outcomes + usize::from(r[7]))
            .copied()
            .flatten()
            .ok_or(Anomaly)?;
        let count = le_u16(&r[2..]);
        if count == 0 {
            return Err(Anomaly);
        }
        Ok(Some((delegate, unit, date, month, u64::from(count))))
    }
}

/// Whether an item's events may be summed by month before scoring: an uncapped item's
/// points are their sum, and a capped item whose points are never negative earns in a month
/// `min(points of the month, room left by the months before)` whether its events come one
/// by one or summed (a cap's period is made of whole months). An item that can take points
/// away is scored event by event, in ledger order.
fn summable(item: &crate::domain::rules::Item) -> bool {
    use crate::domain::rules::Scoring;
    item.cap.is_none()
        || match &item.scoring {
            Scoring::PerUnit(p) => !p.is_sign_negative(),
            Scoring::ByOutcome { points, .. } => points.iter().all(|(_, p)| !p.is_sign_negative()),
        }
}

/// Units summed by month, delegate and slot (item and points per unit), scored at the end
/// in month order (see [`summable`]; decimal arithmetic is exact): one addition per row
/// instead of the engine's.
struct Counts {
    units: Vec<u64>,
    slots: usize,
    roster: usize,
}

impl Counts {
    fn new(look: &Lookup) -> Counts {
        Counts {
            units: vec![0; look.roster * look.slots.len() * 12],
            slots: look.slots.len(),
            roster: look.roster,
        }
    }

    fn add(&mut self, delegate: usize, slot: usize, month: usize, count: u64) -> Option<()> {
        // Month first: the ledger is in date order, so the cells in use stay few and close.
        let at = (month * self.roster + delegate) * self.slots + slot;
        let n = self.units.get_mut(at)?;
        *n = n.checked_add(count)?;
        Some(())
    }

    /// Adds a later stretch's sums.
    fn absorb(&mut self, later: Counts) -> Option<()> {
        for (mine, theirs) in self.units.iter_mut().zip(later.units) {
            *mine = mine.checked_add(theirs)?;
        }
        Some(())
    }

    /// Scores the sums into `engine`, month by month (the order caps are met in).
    fn score(self, look: &Lookup, engine: &mut Engine) -> Result<(), Anomaly> {
        let year = engine.window().0;
        for (at, &count) in self.units.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let (rest, slot) = (at / self.slots, at % self.slots);
            let (month, delegate) = (rest / self.roster, rest % self.roster);
            let (item, unit) = look.slots[slot];
            let month1 = u32::try_from(month + 1).map_err(|_| Anomaly)?;
            engine
                .apply(&Event {
                    date: NaiveDate::from_ymd_opt(year, month1, 1).ok_or(Anomaly)?,
                    delegate,
                    item,
                    unit,
                    count,
                })
                .ok_or(Anomaly)?;
        }
        Ok(())
    }
}

/// Scores one event in ledger order; `None` when its points overflow.
type Apply<'a> = &'a mut dyn FnMut(&Event) -> Option<()>;

/// Rows `[from, to)` of the cache: summable items' units summed into `counts`, other items'
/// events handed to `capped` in ledger order (either skipped when `None`); gives the
/// checksum terms' sum.
fn read_rows(
    cache: &Cache,
    look: &Lookup,
    (from, to): (u64, u64),
    mut counts: Option<&mut Counts>,
    mut capped: Option<Apply>,
) -> Result<u64, Anomaly> {
    let start = cache.rows_at + from * ROW;
    let end = cache.rows_at + to * ROW;
    let mut reader = At::new(&cache.file, start, end);
    let mut buf = vec![0u8; CHUNK * ROW as usize];
    let mut index = from;
    let mut sum = 0u64;
    loop {
        let want = usize::try_from((to - index) * ROW).map_or(buf.len(), |w| w.min(buf.len()));
        if want == 0 {
            return Ok(sum);
        }
        reader.read_exact(&mut buf[..want]).map_err(|_| Anomaly)?;
        for r in buf[..want].chunks_exact(ROW as usize) {
            sum = sum.wrapping_add(mix(le_u64(r), index));
            index += 1;
            if let Some(counts) = counts.as_deref_mut()
                && let Some((month, delegate, slot, count)) = look.cell(r)
            {
                counts.add(delegate, slot, month, count).ok_or(Anomaly)?;
                continue;
            }
            let Some((delegate, unit, date, month, count)) = look.row(r)? else {
                continue;
            };
            match (unit.slot, &mut counts, &mut capped) {
                (Some(slot), Some(counts), _) => {
                    counts.add(delegate, slot, month, count).ok_or(Anomaly)?;
                }
                (None, _, Some(apply)) => {
                    let ev = Event {
                        date,
                        delegate,
                        item: unit.item,
                        unit: unit.points,
                        count,
                    };
                    apply(&ev).ok_or(Anomaly)?;
                }
                _ => {}
            }
        }
    }
}

/// Scores a clean cache into `engine`, on two cores for a large one (from `split_rows` rows
/// up). On an anomaly the engine holds part of the ledger: the caller starts a new one.
pub fn score(cache: &Cache, engine: &mut Engine, split_rows: u64) -> Result<(), Anomaly> {
    if !cache.clean || cache.year != engine.window().0 {
        return Err(Anomaly);
    }
    let look = Lookup::new(cache, engine);
    let n = cache.rows;
    let mut counts = Counts::new(&look);
    let sum = if n < split_rows.max(2) {
        let mut apply = |ev: &Event| engine.apply(ev).map(|_| ());
        read_rows(cache, &look, (0, n), Some(&mut counts), Some(&mut apply))?
    } else {
        // The later half's units are summed on another core; its events scored in order
        // (an item that can take points away) are read again after the first half's.
        let mid = n / 2;
        let look = &look;
        let (first, second) = std::thread::scope(|s| {
            let later = s.spawn(move || {
                let mut counts = Counts::new(look);
                read_rows(cache, look, (mid, n), Some(&mut counts), None).map(|sum| (sum, counts))
            });
            let mut apply = |ev: &Event| engine.apply(ev).map(|_| ());
            let first = read_rows(cache, look, (0, mid), Some(&mut counts), Some(&mut apply));
            (first, later.join().unwrap_or(Err(Anomaly)))
        });
        let (later, later_counts) = second?;
        let sum = first?.wrapping_add(later);
        if look.units.iter().flatten().any(|u| u.slot.is_none()) {
            let mut apply = |ev: &Event| engine.apply(ev).map(|_| ());
            read_rows(cache, look, (mid, n), None, Some(&mut apply))?;
        }
        counts.absorb(later_counts).ok_or(Anomaly)?;
        sum
    };
    if sum != cache.check {
        // Damaged: the next report builds it again.
        let _ = std::fs::remove_file(&cache.path);
        return Err(Anomaly);
    }
    counts.score(&look, engine)
}

/// Where one row of a delegate sits in the CSV.
#[derive(Debug, Clone, Copy)]
pub struct RowAt {
    pub offset: u64,
    pub line: u64,
    pub date: NaiveDate,
}

/// The rows of delegate `id` (as written in the ledger), in ledger order, from a clean cache
/// whose every row `engine` would score without an anomaly (what the fast path proves of the
/// file before a report reads one delegate's records): one read of the rows, no scoring.
pub fn rows_of(cache: &Cache, engine: &Engine, id: &str) -> Result<Vec<RowAt>, Anomaly> {
    rows_of_split_at(cache, engine, id, SPLIT_ROWS)
}

/// [`rows_of`], reading the rows on two cores from `split_rows` rows up.
fn rows_of_split_at(
    cache: &Cache,
    engine: &Engine,
    id: &str,
    split_rows: u64,
) -> Result<Vec<RowAt>, Anomaly> {
    if !cache.clean || cache.year != engine.window().0 {
        return Err(Anomaly);
    }
    let look = Lookup::new(cache, engine);
    let want = cache.delegates.iter().position(|d| d == id.as_bytes());
    let want = want.and_then(|w| u16::try_from(w).ok());
    let n = cache.rows;
    let (sum, mine) = if n < split_rows.max(2) {
        check_rows(cache, &look, want, (0, n))?
    } else {
        let look = &look;
        let (first, second) = std::thread::scope(|s| {
            let later = s.spawn(move || check_rows(cache, look, want, (n / 2, n)));
            let first = check_rows(cache, look, want, (0, n / 2));
            (first, later.join().unwrap_or(Err(Anomaly)))
        });
        let ((a, mut mine), (b, theirs)) = (first?, second?);
        mine.extend(theirs);
        (a.wrapping_add(b), mine)
    };
    if sum != cache.check {
        let _ = std::fs::remove_file(&cache.path);
        return Err(Anomaly);
    }
    let mut side = [0u8; SIDE as usize];
    mine.into_iter()
        .map(|(index, day)| {
            let at = cache.side_at() + index * SIDE;
            At::new(&cache.file, at, at + SIDE)
                .read_exact(&mut side)
                .map_err(|_| Anomaly)?;
            Ok(RowAt {
                offset: le_u64(&side),
                line: u64::from(le_u32(&side[8..])),
                date: date_of(cache.year, day).ok_or(Anomaly)?,
            })
        })
        .collect()
}

/// Rows `[from, to)` checked as [`score`] would score them; gives the checksum terms' sum
/// and the index and day of each row of table delegate `want`.
fn check_rows(
    cache: &Cache,
    look: &Lookup,
    want: Option<u16>,
    (from, to): (u64, u64),
) -> Result<(u64, Vec<(u64, u16)>), Anomaly> {
    let mut reader = At::new(
        &cache.file,
        cache.rows_at + from * ROW,
        cache.rows_at + to * ROW,
    );
    let mut buf = vec![0u8; CHUNK * ROW as usize];
    let (mut index, mut sum, mut mine) = (from, 0u64, Vec::new());
    while index < to {
        let n = usize::try_from((to - index) * ROW).map_or(buf.len(), |w| w.min(buf.len()));
        reader.read_exact(&mut buf[..n]).map_err(|_| Anomaly)?;
        for r in buf[..n].chunks_exact(ROW as usize) {
            sum = sum.wrapping_add(mix(le_u64(r), index));
            if look.cell(r).is_none() {
                look.row(r)?;
            }
            if want == Some(le_u16(&r[4..])) {
                mine.push((index, le_u16(r) & !VOIDED));
            }
            index += 1;
        }
    }
    Ok((sum, mine))
}

/// Why a build stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Built {
    /// Cached with its rows.
    Clean,
    /// The file fails a check of the fast read: cached as such (or not, if unwritable).
    Unclean,
    /// Not cached (an unwritable folder, a read error, tables past their limits).
    Failed,
}

enum Stop {
    Unclean,
    Failed,
}

impl From<Anomaly> for Stop {
    fn from(_: Anomaly) -> Stop {
        Stop::Unclean
    }
}

impl From<io::Error> for Stop {
    fn from(_: io::Error) -> Stop {
        Stop::Failed
    }
}

/// Distinct byte strings, each with its index.
struct Interner {
    map: FxHashMap<Vec<u8>, u16>,
    list: Vec<Vec<u8>>,
    max: usize,
}

impl Interner {
    fn new(max: usize) -> Interner {
        Interner {
            map: FxHashMap::default(),
            list: Vec::new(),
            max,
        }
    }

    fn get(&mut self, b: &[u8]) -> Result<u16, Stop> {
        if let Some(&i) = self.map.get(b) {
            return Ok(i);
        }
        if self.list.len() >= self.max || b.len() > usize::from(u16::MAX) {
            return Err(Stop::Failed);
        }
        let i = u16::try_from(self.list.len()).map_err(|_| Stop::Failed)?;
        self.map.insert(b.to_vec(), i);
        self.list.push(b.to_vec());
        Ok(i)
    }
}

/// One stretch of the year file, read into temporary files.
struct Part {
    rows: File,
    side: File,
    delegates: Interner,
    items: Interner,
    outcomes: Interner,
    info: RangeInfo,
    count: u64,
    /// Lines the reader counted in the stretch.
    lines: u64,
}

/// Reads rows `[start, end)` of the year file with the fast read's checks.
fn read_part(
    file: &File,
    (start, end): (u64, u64),
    cols: &Columns,
    year: i32,
    dir: &Path,
) -> Result<Part, Stop> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_reader(BufReader::with_capacity(1 << 16, At::new(file, start, end)));
    let mut rows = BufWriter::with_capacity(1 << 18, tempfile::tempfile_in(dir)?);
    let mut side = BufWriter::with_capacity(1 << 18, tempfile::tempfile_in(dir)?);
    let (mut delegates, mut items, mut outcomes) = (
        Interner::new(1 << 16),
        Interner::new(256),
        Interner::new(256),
    );
    let mut row = csv::ByteRecord::new();
    let mut seen = scan::Clean::new(year);
    let mut count = 0u64;
    while reader
        .read_byte_record(&mut row)
        .map_err(|_| Stop::Unclean)?
    {
        let (date, voided) = seen.row(&row, cols).ok_or(Stop::Unclean)?;
        let day = u16::try_from(date.ordinal()).map_err(|_| Stop::Failed)?;
        let day = if voided { day | VOIDED } else { day };
        let count_cell = scan::whole(&row[cols.count]).unwrap_or(0);
        let d = delegates.get(&row[cols.delegate])?;
        let i = u8::try_from(items.get(&row[cols.activity])?).map_err(|_| Stop::Failed)?;
        let o = u8::try_from(outcomes.get(&row[cols.outcome])?).map_err(|_| Stop::Failed)?;
        let mut r = [0u8; ROW as usize];
        r[..2].copy_from_slice(&day.to_le_bytes());
        r[2..4].copy_from_slice(&u16::try_from(count_cell).unwrap_or(0).to_le_bytes());
        r[4..6].copy_from_slice(&d.to_le_bytes());
        r[6] = i;
        r[7] = o;
        rows.write_all(&r)?;
        let pos = row.position().ok_or(Stop::Failed)?;
        let line = u32::try_from(pos.line()).map_err(|_| Stop::Failed)?;
        side.write_all(&(start + pos.byte()).to_le_bytes())?;
        side.write_all(&line.to_le_bytes())?;
        count += 1;
    }
    let info = seen.finish();
    let rows = rows.into_inner().map_err(|e| e.into_error())?;
    let side = side.into_inner().map_err(|e| e.into_error())?;
    Ok(Part {
        rows,
        side,
        delegates,
        items,
        outcomes,
        info,
        count,
        lines: reader.position().line() - 1,
    })
}

/// Builds the cache of the year file `path` of cycle `year` from its open handle `csv`.
pub fn build(csv: &File, path: &Path, year: i32) -> Built {
    build_split_at(csv, path, year, 8 << 20)
}

/// [`build`], reading the file on two cores from `split_at` bytes of rows up (tests split
/// small files).
fn build_split_at(csv: &File, path: &Path, year: i32, split_at: u64) -> Built {
    let Some(target) = cache_path(path) else {
        return Built::Failed;
    };
    let dir = target.parent().unwrap_or(Path::new("."));
    // An unwritable folder is found before the file is read.
    let Ok(out) = crate::fsutil::temp_in(dir) else {
        return Built::Failed;
    };
    let Some(before) = stamp(csv) else {
        return Built::Failed;
    };
    let clean = match parts(csv, (before.len, split_at), year, dir) {
        Ok((a, b, header_lines)) => {
            if write_rows(out.as_file(), &before, year, (a, b), header_lines).is_err() {
                return Built::Failed;
            }
            true
        }
        Err(Stop::Unclean) => {
            if write_header(out.as_file(), &before, year, false, 0, None, &[]).is_err() {
                return Built::Failed;
            }
            false
        }
        Err(Stop::Failed) => return Built::Failed,
    };
    // The file changed while it was read: this cache describes no version of it.
    if stamp(csv) != Some(before) || out.persist(&target).is_err() {
        return Built::Failed;
    }
    if clean { Built::Clean } else { Built::Unclean }
}

/// The year file read in one or two stretches, checked where they meet, and the lines
/// before its first row.
fn parts(
    csv: &File,
    (len, split_at): (u64, u64),
    year: i32,
    dir: &Path,
) -> Result<(Part, Option<Part>, u64), Stop> {
    let (cols, body, line) = scan::header(csv)?;
    let mid = if len - body >= split_at {
        scan::split_point(csv, body, len)?
    } else {
        None
    };
    let cols = &cols;
    let (first, second) = match mid {
        None => (read_part(csv, (body, len), cols, year, dir)?, None),
        Some(mid) => std::thread::scope(|s| {
            let later = s.spawn(move || read_part(csv, (mid, len), cols, year, dir));
            let first = read_part(csv, (body, mid), cols, year, dir);
            let second = later.join().unwrap_or(Err(Stop::Failed));
            Ok::<_, Stop>((first?, Some(second?)))
        })?,
    };
    // The stretches are each in order; the file is only if they meet in order.
    if let Some(later) = &second
        && (later
            .info
            .first
            .is_some_and(|f| first.info.last.is_some_and(|l| f < l))
            || later.info.first_date_repeats(&first.info))
    {
        return Err(Stop::Unclean);
    }
    Ok((first, second, line - 1))
}

/// Writes the whole cache (header, rows, offsets) to `out`; each stretch's reader counted its
/// lines from 1, and `header_lines` come before the first.
fn write_rows(
    out: &File,
    stamp: &Stamp,
    year: i32,
    (a, b): (Part, Option<Part>),
    header_lines: u64,
) -> Result<(), Stop> {
    let Part {
        rows: a_rows,
        side: a_side,
        mut delegates,
        mut items,
        mut outcomes,
        info,
        count,
        lines,
    } = a;
    let mut newest = info.newest;
    let mut total = count;
    // The later stretch's table indices, as the merged tables number them.
    let mut later = None;
    if let Some(b) = b {
        let map = |mine: &mut Interner, theirs: &Interner| -> Result<Vec<u16>, Stop> {
            theirs.list.iter().map(|s| mine.get(s)).collect()
        };
        let maps = (
            map(&mut delegates, &b.delegates)?,
            map(&mut items, &b.items)?,
            map(&mut outcomes, &b.outcomes)?,
        );
        newest = newest.max(b.info.newest);
        total += b.count;
        later = Some((b, maps));
    }
    let tables = [&delegates.list, &items.list, &outcomes.list];
    let newest_day = newest.map(|d| d.ordinal() as u16);
    let mut w = BufWriter::with_capacity(1 << 18, out);
    write_header(&mut w, stamp, year, true, total, newest_day, &tables)?;
    let mut sum = 0u64;
    let mut index = 0u64;
    let none = (Vec::new(), Vec::new(), Vec::new());
    copy_rows(&a_rows, count, &none, &mut w, &mut sum, &mut index)?;
    if let Some((b, maps)) = &later {
        copy_rows(&b.rows, b.count, maps, &mut w, &mut sum, &mut index)?;
    }
    copy_side(&a_side, count, header_lines, &mut w)?;
    if let Some((b, _)) = &later {
        copy_side(&b.side, b.count, header_lines + lines, &mut w)?;
    }
    w.flush()?;
    drop(w);
    write_at(out, &sum.to_le_bytes(), CHECK_AT)?;
    Ok(())
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(buf)
}

/// Appends a stretch's rows, their indices renumbered by `maps` (empty: unchanged).
fn copy_rows(
    from: &File,
    count: u64,
    maps: &(Vec<u16>, Vec<u16>, Vec<u16>),
    w: &mut dyn Write,
    sum: &mut u64,
    index: &mut u64,
) -> Result<(), Stop> {
    let mut reader = At::new(from, 0, count * ROW);
    let mut buf = vec![0u8; CHUNK * ROW as usize];
    let mut left = count * ROW;
    while left > 0 {
        let n = usize::try_from(left).map_or(buf.len(), |l| l.min(buf.len()));
        reader.read_exact(&mut buf[..n])?;
        for r in buf[..n].chunks_exact_mut(ROW as usize) {
            if !maps.0.is_empty() || !maps.1.is_empty() || !maps.2.is_empty() {
                let d = *maps
                    .0
                    .get(usize::from(le_u16(&r[4..])))
                    .ok_or(Stop::Failed)?;
                r[4..6].copy_from_slice(&d.to_le_bytes());
                r[6] = u8::try_from(*maps.1.get(usize::from(r[6])).ok_or(Stop::Failed)?)
                    .map_err(|_| Stop::Failed)?;
                r[7] = u8::try_from(*maps.2.get(usize::from(r[7])).ok_or(Stop::Failed)?)
                    .map_err(|_| Stop::Failed)?;
            }
            *sum = sum.wrapping_add(mix(le_u64(r), *index));
            *index += 1;
        }
        w.write_all(&buf[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// Appends a stretch's offsets, its lines made the file's by adding `base`.
fn copy_side(from: &File, count: u64, base: u64, w: &mut dyn Write) -> Result<(), Stop> {
    let mut reader = At::new(from, 0, count * SIDE);
    let mut buf = vec![0u8; CHUNK * SIDE as usize];
    let mut left = count * SIDE;
    while left > 0 {
        let n = usize::try_from(left).map_or(buf.len(), |l| l.min(buf.len()));
        reader.read_exact(&mut buf[..n])?;
        for s in buf[..n].chunks_exact_mut(SIDE as usize) {
            let line = u64::from(le_u32(&s[8..])) + base;
            let line = u32::try_from(line).map_err(|_| Stop::Failed)?;
            s[8..12].copy_from_slice(&line.to_le_bytes());
        }
        w.write_all(&buf[..n])?;
        left -= n as u64;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_header(
    mut w: impl Write,
    stamp: &Stamp,
    year: i32,
    clean: bool,
    rows: u64,
    newest: Option<u16>,
    tables: &[&Vec<Vec<u8>>],
) -> Result<(), Stop> {
    let mut head = Vec::with_capacity(FIXED);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&year.to_le_bytes());
    head.extend_from_slice(&stamp.len.to_le_bytes());
    head.extend_from_slice(&stamp.modified_ns.to_le_bytes());
    head.extend_from_slice(&stamp.inode.to_le_bytes());
    head.extend_from_slice(&stamp.edges);
    head.extend_from_slice(&[u8::from(clean), 0, 0, 0, 0, 0, 0, 0]);
    head.extend_from_slice(&rows.to_le_bytes());
    head.extend_from_slice(&newest.unwrap_or(0).to_le_bytes());
    head.extend_from_slice(&[0; 6]);
    // The checksum, written once the rows are.
    head.extend_from_slice(&0u64.to_le_bytes());
    debug_assert_eq!(head.len(), FIXED);
    for t in [0, 1, 2] {
        let list = tables.get(t).map_or(&[][..], |l| l.as_slice());
        head.extend_from_slice(&(list.len() as u32).to_le_bytes());
        for s in list {
            head.extend_from_slice(&(s.len() as u16).to_le_bytes());
            head.extend_from_slice(s);
        }
    }
    w.write_all(&head)?;
    Ok(())
}

/// Brings the caches of a year file just committed up to date (its rows, and its digest
/// for the stamp), so that the next report reads no CSV: for `import` and `void`, under
/// their lock. Silent: a cache that cannot be written is one that is not used.
pub fn refresh(path: &Path, year: i32) {
    if !enabled() {
        return;
    }
    let Ok(file) = File::open(path) else {
        return;
    };
    let open = &file;
    std::thread::scope(|s| {
        s.spawn(move || {
            if super::digest::cached(open, path).is_none() {
                let _ = super::digest::compute(open, path, &indicatif::ProgressBar::hidden());
            }
        });
        build(open, path, year);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Record;
    use crate::domain::rules::Rules;
    use crate::input::rules::{DEFAULT_RULES, parse_rules};
    use crate::ledger::scan::tests::{careful, figures, ledger_text, roster};
    use proptest::prelude::*;

    fn rules() -> Rules {
        parse_rules("d", DEFAULT_RULES).expect("rules")
    }

    fn end() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 12, 31).expect("date")
    }

    /// The careful reader's records of delegate `id`.
    fn careful_records(path: &Path, id: &str) -> Vec<Record> {
        let mut stream = crate::ledger::LedgerStream::open(path, "l").expect("opens");
        std::iter::from_fn(|| stream.next_record())
            .map(|r| r.expect("a record"))
            .filter(|r| r.delegate == id)
            .collect()
    }

    /// Scores `path` through its cache, which must be there and clean.
    fn through_cache(path: &Path, engine: &mut Engine, split_rows: u64) -> Cache {
        let file = File::open(path).expect("open");
        let cache = open(&file, path, 2025).expect("a cache of this version");
        score(&cache, engine, split_rows).expect("clean ledger");
        cache
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn a_ledger_scores_the_same_through_the_cache_and_without_it(
            mut rows in prop::collection::vec((1u32..=365, 0usize..3, 0usize..6, 1u64..4, any::<bool>()), 0..80),
            until in 1u32..=365,
        ) {
            let until = NaiveDate::from_yo_opt(2025, until).expect("day");
            let dir = tempfile::tempdir().expect("dir");
            let path = dir.path().join("2025.csv");
            std::fs::write(&path, ledger_text(&mut rows)).expect("write");
            for rules in rule_variants() {
                same_through_the_cache(&path, &rules, until)?;
            }
        }
    }

    /// The default rules, with co-signing capped by month, and with it taking points away.
    fn rule_variants() -> Vec<Rules> {
        let cycle = "points = 3\ncap = { points = 9, per = \"cycle\" }";
        assert!(DEFAULT_RULES.contains(cycle));
        let monthly =
            DEFAULT_RULES.replace(cycle, "points = 3\ncap = { points = 4, per = \"month\" }");
        let negative = DEFAULT_RULES.replace(
            cycle,
            "points = -3\ncap = { points = 2, per = \"quarter\" }",
        );
        let mut out = vec![rules(), parse_rules("d", &monthly).expect("monthly cap")];
        out.push(parse_rules("d", &negative).expect("points taken away"));
        out
    }

    fn same_through_the_cache(
        path: &Path,
        rules: &Rules,
        until: NaiveDate,
    ) -> Result<(), TestCaseError> {
        let (path, rules) = (path.to_path_buf(), rules.clone());
        let roster = roster();
        let mut slow = Engine::new(&rules, &roster, 2025, until);
        careful(&path, &mut slow);
        let expected = figures(slow, &rules);
        let mut csv = Engine::new(&rules, &roster, 2025, until);
        scan::scan_split_at(&path, &mut csv, u64::MAX, &indicatif::ProgressBar::hidden())
            .expect("clean ledger");
        prop_assert_eq!(&figures(csv, &rules), &expected);
        for split_bytes in [u64::MAX, 0] {
            let file = File::open(&path).expect("open");
            prop_assert_eq!(
                build_split_at(&file, &path, 2025, split_bytes),
                Built::Clean
            );
            for split_rows in [u64::MAX, 0] {
                let mut fast = Engine::new(&rules, &roster, 2025, until);
                let cache = through_cache(&path, &mut fast, split_rows);
                prop_assert_eq!(&figures(fast, &rules), &expected);
                // explain's records, read by offset, are the careful reader's.
                let probe = Engine::new(&rules, &roster, 2025, until);
                for id in ["D1", "D2", "D3"] {
                    let at = rows_of_split_at(&cache, &probe, id, split_rows).expect("clean");
                    let read = crate::ledger::records_at(&file, "l", &at, id).expect("rows");
                    prop_assert_eq!(read, careful_records(&path, id));
                }
            }
        }
        Ok(())
    }

    const HEAD: &str = "id,date,delegate,activity,count,outcome,ref,note,source,source_line,key\n";

    fn ledger(dir: &Path, rows: &str) -> PathBuf {
        let path = dir.join("2025.csv");
        std::fs::write(&path, format!("{HEAD}{rows}")).expect("write");
        path
    }

    fn built(path: &Path) -> Built {
        build(&File::open(path).expect("open"), path, 2025)
    }

    fn opened(path: &Path) -> Option<Cache> {
        open(&File::open(path).expect("open"), path, 2025)
    }

    #[test]
    fn an_edit_of_the_same_length_a_touch_or_another_year_leave_the_cache_unused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = ledger(dir.path(), ",2025-03-01,D1,duty,1,,,,inbox/a.csv,2,\n");
        assert_eq!(built(&path), Built::Clean);
        assert!(opened(&path).is_some());
        assert!(open(&File::open(&path).expect("open"), &path, 2024).is_none());
        // The clock ticks in steps of a few ms: a later write has a later time.
        std::thread::sleep(std::time::Duration::from_millis(20));
        ledger(dir.path(), ",2025-03-01,D2,duty,1,,,,inbox/a.csv,2,\n");
        assert!(opened(&path).is_none(), "same length, other content");
        assert_eq!(built(&path), Built::Clean);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let f = File::options().append(true).open(&path).expect("open");
        f.set_modified(std::time::SystemTime::now()).expect("touch");
        assert!(opened(&path).is_none(), "touched");
    }

    #[test]
    fn a_cut_short_damaged_or_other_version_cache_is_not_used() {
        let dir = tempfile::tempdir().expect("dir");
        let path = ledger(
            dir.path(),
            ",2025-03-01,D1,duty,1,,,,inbox/a.csv,2,\n,2025-03-02,D2,duty,2,,,,inbox/a.csv,3,\n",
        );
        let cache = cache_path(&path).expect("cache path");
        assert_eq!(built(&path), Built::Clean);
        let good = std::fs::read(&cache).expect("cache");
        std::fs::write(&cache, &good[..good.len() - 1]).expect("cut");
        assert!(opened(&path).is_none(), "cut short");
        let mut other = good.clone();
        other[8] = 99;
        std::fs::write(&cache, &other).expect("version");
        assert!(opened(&path).is_none(), "another version");
        // A row's count changed: the checksum catches it, and the cache is removed.
        let mut damaged = good.clone();
        let first_row = good.len() - 2 * (ROW + SIDE) as usize;
        // The second row's count, 2 → 3: still a count, but not the ledger's.
        damaged[first_row + ROW as usize + 2] ^= 1;
        std::fs::write(&cache, &damaged).expect("damage");
        let (rules, roster) = (rules(), roster());
        let mut engine = Engine::new(&rules, &roster, 2025, end());
        let c = opened(&path).expect("the header still matches");
        assert!(score(&c, &mut engine, u64::MAX).is_err());
        assert!(!cache.exists());
    }

    #[test]
    fn a_ledger_the_fast_read_refuses_is_cached_as_such() {
        let dir = tempfile::tempdir().expect("dir");
        let path = ledger(
            dir.path(),
            ",2025-03-02,D1,duty,1,,,,inbox/a.csv,2,\n,2025-03-01,D2,duty,1,,,,inbox/a.csv,3,\n",
        );
        assert_eq!(built(&path), Built::Unclean);
        let c = opened(&path).expect("a cache saying so");
        assert!(!c.clean());
        let (rules, roster) = (rules(), roster());
        let mut engine = Engine::new(&rules, &roster, 2025, end());
        assert!(score(&c, &mut engine, u64::MAX).is_err());
    }

    #[test]
    fn an_unknown_delegate_or_a_bad_count_is_an_anomaly_only_where_it_counts() {
        let dir = tempfile::tempdir().expect("dir");
        let (rules, roster) = (rules(), roster());
        // Voided, or after the last day scored: not looked at, as on the CSV fast path.
        let path = ledger(
            dir.path(),
            ",2025-03-01,D9,duty,x,,,,inbox/a.csv,2,\n,2025-06-01,D1,duty,1,,,,inbox/a.csv,3,\n",
        );
        assert_eq!(built(&path), Built::Clean);
        let c = opened(&path).expect("cache");
        let mut to_may = Engine::new(
            &rules,
            &roster,
            2025,
            NaiveDate::from_ymd_opt(2025, 5, 1).expect("d"),
        );
        assert!(score(&c, &mut Engine::new(&rules, &roster, 2025, end()), u64::MAX).is_err());
        assert!(
            score(&c, &mut to_may, u64::MAX).is_err(),
            "D9 counts before May"
        );
        let path = ledger(
            dir.path(),
            ",2025-06-01,D1,duty,1,,,,inbox/a.csv,2,\n,2025-07-01,D9,duty,x,,,,inbox/a.csv,3,\n",
        );
        assert_eq!(built(&path), Built::Clean);
        let c = opened(&path).expect("cache");
        let mut to_june = Engine::new(
            &rules,
            &roster,
            2025,
            NaiveDate::from_ymd_opt(2025, 6, 30).expect("d"),
        );
        assert!(score(&c, &mut to_june, u64::MAX).is_ok());
    }
}
