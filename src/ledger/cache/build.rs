//! Writing the cache of a year file: the file read with the fast read's checks (in two
//! stretches on two cores when large), its rows, sums and picks gathered in temporary files
//! and small tables, then written out in the layout [`super`] describes.

use super::{
    CHECK_AT, CHUNK, FIXED, MAGIC, META_AT, Months, PICK, ROW, SUMS_AT, Stamp, VERSION, VOIDED,
    cache_path, enabled, le_u16, le_u32, le_u64, mix, pick_term, small_parts_check, stamp,
};
use crate::domain::period::month_index;
use crate::ledger::scan::{self, Anomaly, At, Columns, RangeInfo};
use chrono::Datelike;
use rustc_hash::FxHashMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// Picks sorted in memory at once when grouping them by delegate (16 MiB).
const PICKS_AT_ONCE: u64 = 1 << 20;

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
    /// Strings of up to 15 bytes, packed with their length into one number: looked up
    /// without comparing bytes (ids, codes and outcomes nearly always are).
    short: FxHashMap<u128, u16>,
    long: FxHashMap<Vec<u8>, u16>,
    list: Vec<Vec<u8>>,
    max: usize,
}

/// A string of up to 15 bytes as one number (its bytes, then its length).
fn packed(b: &[u8]) -> Option<u128> {
    let mut a = [0u8; 16];
    a.get_mut(..b.len())?.copy_from_slice(b);
    a[15] = u8::try_from(b.len()).ok().filter(|&n| n < 16)?;
    Some(u128::from_le_bytes(a))
}

impl Interner {
    fn new(max: usize) -> Interner {
        Interner {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            list: Vec::new(),
            max,
        }
    }

    fn get(&mut self, b: &[u8]) -> Result<u16, Stop> {
        let key = packed(b);
        let known = match key {
            Some(k) => self.short.get(&k),
            None => self.long.get(b),
        };
        if let Some(&i) = known {
            return Ok(i);
        }
        if self.list.len() >= self.max || b.len() > usize::from(u16::MAX) {
            return Err(Stop::Failed);
        }
        let i = u16::try_from(self.list.len()).map_err(|_| Stop::Failed)?;
        match key {
            Some(k) => self.short.insert(k, i),
            None => self.long.insert(b.to_vec(), i),
        };
        self.list.push(b.to_vec());
        Ok(i)
    }
}

/// A sum's place: delegate, item, month, outcome, packed so that their order is the
/// number's.
fn sum_key(d: u16, item: u8, month: u8, outcome: u8) -> u64 {
    (u64::from(d) << 24) | (u64::from(item) << 16) | (u64::from(month) << 8) | u64::from(outcome)
}

/// Units of counted rows by [`sum_key`], and whether one of them has no whole count:
/// gathered a month at a time (rows come in date order), so the table being added to stays
/// small, then kept as a list.
#[derive(Default)]
struct Sums {
    month: Option<u8>,
    open: FxHashMap<u64, (u64, bool)>,
    done: Vec<(u64, (u64, bool))>,
}

impl Sums {
    fn add(&mut self, key: u64, month: u8, units: u16) {
        if self.month != Some(month) {
            self.close();
            self.month = Some(month);
        }
        let sum = self.open.entry(key).or_default();
        sum.0 += u64::from(units);
        sum.1 |= units == 0;
    }

    fn close(&mut self) {
        self.done.extend(self.open.drain());
    }

    /// Every sum, sorted by key, those of the same key (from two stretches) made one.
    fn merged(mut self, mut later: Vec<(u64, (u64, bool))>) -> Option<Vec<(u64, (u64, bool))>> {
        self.close();
        let mut all = self.done;
        all.append(&mut later);
        all.sort_unstable_by_key(|s| s.0);
        let mut out: Vec<(u64, (u64, bool))> = Vec::with_capacity(all.len());
        for (key, (units, bad)) in all {
            match out.last_mut() {
                Some(last) if last.0 == key => {
                    last.1.0 = last.1.0.checked_add(units)?;
                    last.1.1 |= bad;
                }
                _ => out.push((key, (units, bad))),
            }
        }
        Some(out)
    }
}

/// What a stretch's rows come to besides the rows and picks: its string tables, sums and
/// counts.
struct Tallies {
    delegates: Interner,
    items: Interner,
    outcomes: Interner,
    sums: Sums,
    /// Rows by table delegate, and by month.
    per_delegate: Vec<u64>,
    per_month: [u64; 12],
}

/// One stretch of the year file, read into temporary files and tables.
struct Part {
    rows: File,
    /// Picks in ledger order, delegates numbered by this stretch's table.
    picks: File,
    tallies: Tallies,
    info: RangeInfo,
    count: u64,
    /// Lines the reader counted in the stretch.
    lines: u64,
}

/// A stretch's rows gathered one by one as [`read_part`] reads them, with the fast read's
/// checks.
struct Gather {
    rows: BufWriter<File>,
    picks: BufWriter<File>,
    tallies: Tallies,
    seen: scan::Clean,
    count: u64,
}

impl Gather {
    fn new(year: i32, dir: &Path) -> Result<Gather, Stop> {
        Ok(Gather {
            rows: BufWriter::with_capacity(1 << 18, tempfile::tempfile_in(dir)?),
            picks: BufWriter::with_capacity(1 << 18, tempfile::tempfile_in(dir)?),
            tallies: Tallies {
                delegates: Interner::new(1 << 16),
                items: Interner::new(256),
                outcomes: Interner::new(256),
                sums: Sums::default(),
                per_delegate: Vec::new(),
                per_month: [0; 12],
            },
            seen: scan::Clean::new(year),
            count: 0,
        })
    }

    /// Adds one row, which starts at byte `offset` and line `line` of the file.
    fn add(
        &mut self,
        row: &csv::ByteRecord,
        cols: &Columns,
        offset: u64,
        line: u64,
    ) -> Result<(), Stop> {
        let (date, voided) = self.seen.row(row, cols).ok_or(Stop::Unclean)?;
        let day = u16::try_from(date.ordinal()).map_err(|_| Stop::Failed)?;
        let day = if voided { day | VOIDED } else { day };
        let units = u16::try_from(scan::whole(&row[cols.count]).unwrap_or(0)).unwrap_or(0);
        let t = &mut self.tallies;
        let d = t.delegates.get(&row[cols.delegate])?;
        let i = u8::try_from(t.items.get(&row[cols.activity])?).map_err(|_| Stop::Failed)?;
        let o = u8::try_from(t.outcomes.get(&row[cols.outcome])?).map_err(|_| Stop::Failed)?;
        let mut r = [0u8; ROW as usize];
        r[..2].copy_from_slice(&day.to_le_bytes());
        r[2..4].copy_from_slice(&units.to_le_bytes());
        r[4..6].copy_from_slice(&d.to_le_bytes());
        r[6] = i;
        r[7] = o;
        self.rows.write_all(&r)?;
        let month = month_index(date);
        t.per_month[month] += 1;
        if t.per_delegate.len() <= usize::from(d) {
            t.per_delegate.resize(usize::from(d) + 1, 0);
        }
        t.per_delegate[usize::from(d)] += 1;
        if !voided {
            t.sums
                .add(sum_key(d, i, month as u8, o), month as u8, units);
        }
        let line = u32::try_from(line).map_err(|_| Stop::Failed)?;
        self.picks.write_all(&pick(offset, line, day, d))?;
        self.count += 1;
        Ok(())
    }

    /// The stretch, which took `lines` lines.
    fn finish(self, lines: u64) -> Result<Part, Stop> {
        let info = self.seen.finish();
        Ok(Part {
            rows: self.rows.into_inner().map_err(|e| e.into_error())?,
            picks: self.picks.into_inner().map_err(|e| e.into_error())?,
            tallies: self.tallies,
            info,
            count: self.count,
            lines,
        })
    }
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
    let mut gather = Gather::new(year, dir)?;
    let mut row = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut row)
        .map_err(|_| Stop::Unclean)?
    {
        let pos = row.position().ok_or(Stop::Failed)?;
        gather.add(&row, cols, start + pos.byte(), pos.line())?;
    }
    gather.finish(reader.position().line() - 1)
}

fn pick(offset: u64, line: u32, day: u16, d: u16) -> [u8; PICK as usize] {
    let mut p = [0u8; PICK as usize];
    p[..8].copy_from_slice(&offset.to_le_bytes());
    p[8..12].copy_from_slice(&line.to_le_bytes());
    p[12..14].copy_from_slice(&day.to_le_bytes());
    p[14..16].copy_from_slice(&d.to_le_bytes());
    p
}

/// Builds the cache of the year file `path` of cycle `year` from its open handle `csv`.
pub fn build(csv: &File, path: &Path, year: i32) -> Built {
    build_split_at(csv, path, year, 8 << 20)
}

/// [`build`], reading the file on two cores from `split_at` bytes of rows up (tests split
/// small files).
pub(super) fn build_split_at(csv: &File, path: &Path, year: i32, split_at: u64) -> Built {
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
            if write_all(out.as_file(), &before, year, (a, b), header_lines, dir).is_err() {
                return Built::Failed;
            }
            true
        }
        Err(Stop::Unclean) => {
            if write_unclean(out.as_file(), &before, year).is_err() {
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

/// How a later stretch's table indices are numbered in the merged tables.
#[derive(Default)]
struct Renumber {
    delegates: Vec<u16>,
    items: Vec<u16>,
    outcomes: Vec<u16>,
}

impl Renumber {
    fn is_none(&self) -> bool {
        self.delegates.is_empty() && self.items.is_empty() && self.outcomes.is_empty()
    }

    fn delegate(&self, d: u16) -> Result<u16, Stop> {
        match self.delegates.is_empty() {
            true => Ok(d),
            false => self
                .delegates
                .get(usize::from(d))
                .copied()
                .ok_or(Stop::Failed),
        }
    }

    fn small(list: &[u16], i: u8) -> Result<u8, Stop> {
        match list.is_empty() {
            true => Ok(i),
            false => list
                .get(usize::from(i))
                .and_then(|&n| u8::try_from(n).ok())
                .ok_or(Stop::Failed),
        }
    }

    fn item(&self, i: u8) -> Result<u8, Stop> {
        Renumber::small(&self.items, i)
    }

    fn outcome(&self, o: u8) -> Result<u8, Stop> {
        Renumber::small(&self.outcomes, o)
    }
}

/// The two stretches' tables, sums and counts made one.
struct Merged {
    delegates: Interner,
    items: Interner,
    outcomes: Interner,
    /// Sorted by [`sum_key`].
    sums: Vec<(u64, (u64, bool))>,
    per_delegate: Vec<u64>,
    months: Months,
    newest: Option<u16>,
    rows: u64,
}

fn merge(a: &mut Part, b: Option<&Part>) -> Result<(Merged, Renumber), Stop> {
    let mut tables = (
        std::mem::replace(&mut a.tallies.delegates, Interner::new(0)),
        std::mem::replace(&mut a.tallies.items, Interner::new(0)),
        std::mem::replace(&mut a.tallies.outcomes, Interner::new(0)),
    );
    let sums = std::mem::take(&mut a.tallies.sums);
    let mut later = Vec::new();
    let mut per_delegate = std::mem::take(&mut a.tallies.per_delegate);
    let mut per_month = a.tallies.per_month;
    let mut newest = a.info.newest;
    let mut rows = a.count;
    let mut renumber = Renumber::default();
    if let Some(b) = b {
        let map = |mine: &mut Interner, theirs: &Interner| -> Result<Vec<u16>, Stop> {
            theirs.list.iter().map(|s| mine.get(s)).collect()
        };
        renumber = Renumber {
            delegates: map(&mut tables.0, &b.tallies.delegates)?,
            items: map(&mut tables.1, &b.tallies.items)?,
            outcomes: map(&mut tables.2, &b.tallies.outcomes)?,
        };
        let theirs = b.tallies.sums.done.iter().map(|(k, v)| (k, v));
        for (&key, &sum) in theirs.chain(b.tallies.sums.open.iter()) {
            let [outcome, month, item, ..] = key.to_le_bytes();
            let d = renumber.delegate(((key >> 24) & 0xffff) as u16)?;
            let key = sum_key(d, renumber.item(item)?, month, renumber.outcome(outcome)?);
            later.push((key, sum));
        }
        per_delegate.resize(tables.0.list.len(), 0);
        for (d, n) in b.tallies.per_delegate.iter().enumerate() {
            per_delegate[usize::from(renumber.delegate(d as u16)?)] += n;
        }
        for (m, n) in per_month.iter_mut().zip(b.tallies.per_month) {
            *m += n;
        }
        newest = newest.max(b.info.newest);
        rows += b.count;
    }
    per_delegate.resize(tables.0.list.len(), 0);
    let sums = sums.merged(later).ok_or(Stop::Failed)?;
    let mut months = Months::default();
    for (m, n) in per_month.iter().enumerate() {
        months.first[m + 1] = months.first[m] + n;
    }
    let merged = Merged {
        delegates: tables.0,
        items: tables.1,
        outcomes: tables.2,
        sums,
        per_delegate,
        months,
        newest: newest.map(|d| d.ordinal() as u16),
        rows,
    };
    Ok((merged, renumber))
}

impl Merged {
    fn sums_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.sums.len() * 16);
        for &(key, (units, bad)) in &self.sums {
            let [outcome, month, item, ..] = key.to_le_bytes();
            let d = ((key >> 24) & 0xffff) as u16;
            out.extend_from_slice(&d.to_le_bytes());
            out.extend_from_slice(&[item, month, outcome, u8::from(bad), 0, 0]);
            out.extend_from_slice(&units.to_le_bytes());
        }
        out
    }

    /// Each delegate's first pick.
    fn firsts(&self) -> Vec<u64> {
        let mut at = 0;
        self.per_delegate
            .iter()
            .map(|n| {
                let first = at;
                at += n;
                first
            })
            .collect()
    }
}

/// Writes the whole cache to `out`; each stretch's reader counted its lines from 1, and
/// `header_lines` come before the first.
fn write_all(
    out: &File,
    stamp: &Stamp,
    year: i32,
    (mut a, b): (Part, Option<Part>),
    header_lines: u64,
    dir: &Path,
) -> Result<(), Stop> {
    let (mut merged, renumber) = merge(&mut a, b.as_ref())?;
    let tables = [
        &merged.delegates.list,
        &merged.items.list,
        &merged.outcomes.list,
    ];
    let sums = merged.sums_bytes();
    let mut w = BufWriter::with_capacity(1 << 18, out);
    let head = header(
        stamp,
        year,
        true,
        merged.rows,
        merged.newest,
        &tables,
        &sums,
    )?;
    w.write_all(&head)?;
    let meta_at = head.len() as u64;
    // The months and starts, known once rows and picks are written, come back here.
    let starts_len = merged.per_delegate.len() * 16;
    w.write_all(&vec![0u8; super::MONTHS_LEN as usize + starts_len])?;
    w.write_all(&sums)?;
    let days = day_months(year);
    let mut check = 0u64;
    let mut index = 0u64;
    let none = Renumber::default();
    let mut rows = Rows {
        w: &mut w,
        days: &days,
        check: &mut check,
        months: &mut merged.months,
        index: &mut index,
    };
    rows.copy(&a.rows, a.count, &none)?;
    if let Some(b) = &b {
        rows.copy(&b.rows, b.count, &renumber)?;
    }
    let firsts = merged.firsts();
    let mut stretches = vec![(&a.picks, a.count, header_lines, &none)];
    if let Some(b) = &b {
        stretches.push((&b.picks, b.count, header_lines + a.lines, &renumber));
    }
    let checks = write_picks(&stretches, &merged.per_delegate, &firsts, dir, &mut w)?;
    w.flush()?;
    drop(w);
    let mut meta = merged.months.to_bytes();
    for (first, check) in firsts.iter().zip(&checks) {
        meta.extend_from_slice(&first.to_le_bytes());
        meta.extend_from_slice(&check.to_le_bytes());
    }
    write_at(out, &meta, meta_at)?;
    meta.extend_from_slice(&sums);
    let small = small_parts_check(&head, &head[FIXED..], &meta);
    write_at(out, &small.to_le_bytes(), META_AT)?;
    write_at(out, &check.to_le_bytes(), CHECK_AT)?;
    Ok(())
}

/// The month of each day of the year, by day number.
fn day_months(year: i32) -> Vec<u8> {
    (0..=366u16)
        .map(|d| super::date_of(year, d).map_or(0, |date| month_index(date) as u8))
        .collect()
}

/// The rows being written, with their checksums (whole and by month).
struct Rows<'w, W: Write> {
    w: &'w mut W,
    days: &'w [u8],
    check: &'w mut u64,
    months: &'w mut Months,
    index: &'w mut u64,
}

impl<W: Write> Rows<'_, W> {
    /// Appends a stretch's rows, their indices renumbered.
    fn copy(&mut self, from: &File, count: u64, renumber: &Renumber) -> Result<(), Stop> {
        let mut reader = At::new(from, 0, count * ROW);
        let mut buf = vec![0u8; CHUNK * ROW as usize];
        let mut left = count * ROW;
        while left > 0 {
            let n = usize::try_from(left).map_or(buf.len(), |l| l.min(buf.len()));
            reader.read_exact(&mut buf[..n])?;
            for r in buf[..n].chunks_exact_mut(ROW as usize) {
                if !renumber.is_none() {
                    let d = renumber.delegate(le_u16(&r[4..]))?;
                    r[4..6].copy_from_slice(&d.to_le_bytes());
                    r[6] = renumber.item(r[6])?;
                    r[7] = renumber.outcome(r[7])?;
                }
                let term = mix(le_u64(r), *self.index);
                *self.check = self.check.wrapping_add(term);
                let day = usize::from(le_u16(r) & !VOIDED);
                let month = usize::from(*self.days.get(day).ok_or(Stop::Failed)?);
                let m = &mut self.months.check[month];
                *m = m.wrapping_add(term);
                *self.index += 1;
            }
            self.w.write_all(&buf[..n])?;
            left -= n as u64;
        }
        Ok(())
    }
}

/// A stretch's picks: file, count, lines before it, renumbering.
type Stretch<'a> = (&'a File, u64, u64, &'a Renumber);

/// Writes the picks grouped by delegate, each group in ledger order, a few delegates at a
/// time (memory stays flat): gives each delegate's picks' checksum.
fn write_picks(
    stretches: &[Stretch],
    per_delegate: &[u64],
    firsts: &[u64],
    dir: &Path,
    w: &mut dyn Write,
) -> Result<Vec<u64>, Stop> {
    // Delegates in runs of about PICKS_AT_ONCE picks: one temporary file a run.
    let mut run_of = Vec::with_capacity(per_delegate.len());
    let mut runs: Vec<BufWriter<File>> = Vec::new();
    let mut in_run = u64::MAX;
    for &n in per_delegate {
        if in_run.saturating_add(n) > PICKS_AT_ONCE && in_run > 0 {
            runs.push(BufWriter::with_capacity(
                1 << 16,
                tempfile::tempfile_in(dir)?,
            ));
            in_run = 0;
        }
        in_run += n;
        run_of.push(runs.len() - 1);
    }
    for &(file, count, base, renumber) in stretches {
        let mut reader = BufReader::with_capacity(1 << 18, At::new(file, 0, count * PICK));
        let mut p = [0u8; PICK as usize];
        for _ in 0..count {
            reader.read_exact(&mut p)?;
            let d = renumber.delegate(le_u16(&p[14..]))?;
            let line =
                u32::try_from(u64::from(le_u32(&p[8..])) + base).map_err(|_| Stop::Failed)?;
            p[8..12].copy_from_slice(&line.to_le_bytes());
            p[14..16].copy_from_slice(&d.to_le_bytes());
            let run = *run_of.get(usize::from(d)).ok_or(Stop::Failed)?;
            runs[run].write_all(&p)?;
        }
    }
    let mut checks = vec![0u64; per_delegate.len()];
    for run in runs {
        let mut file = run.into_inner().map_err(|e| e.into_error())?;
        let mut bytes = Vec::new();
        io::Seek::rewind(&mut file)?;
        file.read_to_end(&mut bytes)?;
        let mut picks: Vec<[u8; PICK as usize]> = bytes
            .chunks_exact(PICK as usize)
            .map(|c| c.try_into().unwrap_or([0; PICK as usize]))
            .collect();
        drop(bytes);
        // Stable: each delegate's picks stay in ledger order.
        picks.sort_by_key(|p| le_u16(&p[14..]));
        let mut at = 0u64;
        let mut last = None;
        for p in &picks {
            let d = usize::from(le_u16(&p[14..]));
            if last != Some(d) {
                (last, at) = (Some(d), 0);
            }
            let c = checks.get_mut(d).ok_or(Stop::Failed)?;
            *c = c.wrapping_add(pick_term(p, at));
            at += 1;
            w.write_all(p)?;
        }
    }
    debug_assert_eq!(firsts.len(), checks.len());
    Ok(checks)
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    use std::io::Seek;
    let mut file = file;
    file.seek(io::SeekFrom::Start(offset))?;
    file.write_all(buf)
}

/// A cache saying the file is not clean: header, empty tables and months.
fn write_unclean(out: &File, stamp: &Stamp, year: i32) -> Result<(), Stop> {
    let mut head = header(stamp, year, false, 0, None, &[], &[])?;
    let months = Months::default().to_bytes();
    let small = small_parts_check(&head, &head[FIXED..], &months);
    head[META_AT as usize..FIXED].copy_from_slice(&small.to_le_bytes());
    head.extend_from_slice(&months);
    let mut w = out;
    w.write_all(&head)?;
    Ok(())
}

/// The header and string tables; checksums are written once known.
fn header(
    stamp: &Stamp,
    year: i32,
    clean: bool,
    rows: u64,
    newest: Option<u16>,
    tables: &[&Vec<Vec<u8>>],
    sums: &[u8],
) -> Result<Vec<u8>, Stop> {
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
    head.extend_from_slice(&0u64.to_le_bytes());
    debug_assert_eq!(head.len(), SUMS_AT as usize);
    head.extend_from_slice(&(sums.len() as u64 / super::SUM).to_le_bytes());
    head.extend_from_slice(&0u64.to_le_bytes());
    debug_assert_eq!(head.len(), FIXED);
    for t in [0, 1, 2] {
        let list = tables.get(t).map_or(&[][..], |l| l.as_slice());
        head.extend_from_slice(
            &u32::try_from(list.len())
                .map_err(|_| Stop::Failed)?
                .to_le_bytes(),
        );
        for s in list {
            let len = u16::try_from(s.len()).map_err(|_| Stop::Failed)?;
            head.extend_from_slice(&len.to_le_bytes());
            head.extend_from_slice(s);
        }
    }
    Ok(head)
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
            if crate::ledger::digest::cached(open, path).is_none() {
                let _ =
                    crate::ledger::digest::compute(open, path, &indicatif::ProgressBar::hidden());
            }
        });
        build(open, path, year);
    });
}
