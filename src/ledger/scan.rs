//! The fast read of a year file, for reports that need the figures and not the records
//! (`quarter`, `annual`, `obligations`, `diff-rules`): raw CSV rows, column positions found
//! once, delegates and items looked up as bytes, nothing allocated per row, and a large file
//! read in two halves on two cores.
//!
//! It takes only the clean rows tally itself writes. Anything else — a hand edit out of
//! date order, a cell that needs trimming or an alias, an unknown delegate, a repeated row —
//! is an [`Anomaly`], and the caller scores the file on the careful path, which gives the
//! located message or warning. Both paths therefore give the same figures; a property test
//! holds them to it.

use crate::domain::Roster;
use crate::domain::rules::{Rules, Scoring};
use crate::scoring::{Engine, Event};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::fs::File;
use std::hash::Hasher;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// A row the fast path does not take; the careful path reads the file instead.
#[derive(Debug)]
pub struct Anomaly;

/// What the stamp needs of the file read.
pub struct Scanned {
    pub digest: Option<[u8; 32]>,
    pub newest: Option<NaiveDate>,
}

/// Below this size one core reads the file: a second thread would cost more than it saves.
const SPLIT_AT: u64 = 8 << 20;

/// Scores the year file at `path` into `engine` (a missing file is an empty year). On an
/// anomaly the engine holds part of the file: the caller starts a new one.
/// `shown` names the file on the progress bar.
pub fn scan(path: &Path, shown: &str, engine: &mut Engine) -> Result<Scanned, Anomaly> {
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    let bar = crate::progress::bytes(shown, len);
    let scanned = match cached(path, engine, &bar) {
        Some(scanned) => scanned,
        None => scan_split_at(path, engine, SPLIT_AT, &bar),
    };
    bar.finish_and_clear();
    scanned
}

/// The cache of the year file open as `file`, built first when it has none; `None` when no
/// cache can be had.
fn usable_cache(file: &File, path: &Path, year: i32) -> Option<super::cache::Cache> {
    use super::cache::{self, Built};
    if !cache::enabled() {
        return None;
    }
    match cache::open(file, path, year) {
        Some(c) => Some(c),
        None => match cache::build(file, path, year) {
            Built::Clean | Built::Unclean => cache::open(file, path, year),
            Built::Failed => None,
        },
    }
}

/// The digest of the year file open as `file`, from its cache or read whole.
fn digest_of(file: &File, path: &Path, bar: &indicatif::ProgressBar) -> Option<[u8; 32]> {
    super::digest::cached(file, path).or_else(|| super::digest::compute(file, path, bar))
}

/// Scores the year file from its cache ([`super::cache`]), building the cache first when it
/// has none; `None` when no cache can be had (the CSV is then read).
fn cached(
    path: &Path,
    engine: &mut Engine,
    bar: &indicatif::ProgressBar,
) -> Option<Result<Scanned, Anomaly>> {
    let file = File::open(path).ok()?;
    let cache = usable_cache(&file, path, engine.window().0)?;
    if !cache.clean() {
        return Some(Err(Anomaly));
    }
    let (scored, digest) = std::thread::scope(|s| {
        let hashing = s.spawn(|| digest_of(&file, path, bar));
        let scored = super::cache::score(&cache, engine, super::cache::SPLIT_ROWS);
        (scored, hashing.join().ok().flatten())
    });
    Some(scored.map(|()| Scanned {
        digest,
        newest: cache.newest(),
    }))
}

/// One delegate's records of a clean year file, and what the stamp says of the file.
pub struct Picked {
    pub records: Vec<crate::domain::Record>,
    pub digest: Option<[u8; 32]>,
    pub newest: Option<NaiveDate>,
}

/// The records of delegate `id`, for a report on one delegate (`explain`): through the year
/// file's cache, which proves the file clean for `engine`'s rules, roster and cycle (as a
/// fast read would) and says where the delegate's rows are, read then from the CSV by offset
/// with the careful reader. `None` when there is no clean cache to go by.
pub fn one_delegate(path: &Path, shown: &str, engine: &Engine, id: &str) -> Option<Picked> {
    let file = File::open(path).ok()?;
    let cache = usable_cache(&file, path, engine.window().0)?;
    let bar = crate::progress::bytes(shown, file.metadata().map_or(0, |m| m.len()));
    let (rows, digest) = std::thread::scope(|s| {
        let hashing = s.spawn(|| digest_of(&file, path, &bar));
        let rows = super::cache::rows_of(&cache, engine, id);
        (rows, hashing.join().ok().flatten())
    });
    bar.finish_and_clear();
    let records = super::records_at(&file, shown, &rows.ok()?, id)?;
    Some(Picked {
        records,
        digest,
        newest: cache.newest(),
    })
}

/// [`scan`], reading the file on two cores from `split_at` bytes up (tests split small files).
pub fn scan_split_at(
    path: &Path,
    engine: &mut Engine,
    split_at: u64,
    bar: &indicatif::ProgressBar,
) -> Result<Scanned, Anomaly> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Scanned {
                digest: None,
                newest: None,
            });
        }
        Err(_) => return Err(Anomaly),
    };
    let len = file.metadata().map_err(|_| Anomaly)?.len();
    let (cols, body, _) = header(&file)?;
    let keys = Keys::new(engine.rules(), engine.roster());
    let split = if len >= split_at {
        split_point(&file, body, len)?
    } else {
        None
    };
    // Every read below is of this one open file, by offset: an import that renames a new
    // year file into place meanwhile cannot mix two versions into one report.
    let file = &file;
    let (first, second, digest) = std::thread::scope(|s| {
        // The hash reads the whole file once, so it also moves the bar; a cached hash of the
        // same version of the file leaves both cores to the rows.
        let cached = super::digest::cached(file, path);
        let hashing = s.spawn(move || cached.or_else(|| super::digest::compute(file, path, bar)));
        let (first, second) = match split {
            None => (read_range(file, body, len, &cols, &keys, engine), None),
            Some(mid) => {
                let mut tail = engine.tail();
                let window = engine.window();
                let (cols, keys) = (&cols, &keys);
                let later = s.spawn(move || {
                    let mut add = |ev: &Event| tail.add(ev).ok_or(Anomaly);
                    let r = read_events(file, mid, len, cols, keys, window, &mut add);
                    r.map(|info| (info, tail))
                });
                let first = read_range(file, body, mid, cols, keys, engine);
                (first, Some(later.join().unwrap_or(Err(Anomaly))))
            }
        };
        (first, second, hashing.join().ok().flatten())
    });
    let mut info = first?;
    if let Some(second) = second {
        let (later, tail) = second?;
        // The halves are each in order; the ledger is in order only if they meet in order.
        if later
            .first
            .is_some_and(|f| info.last.is_some_and(|l| f < l))
        {
            return Err(Anomaly);
        }
        if later.first_date_repeats(&info) {
            return Err(Anomaly);
        }
        engine.merge(tail).ok_or(Anomaly)?;
        info.newest = info.newest.max(later.newest);
    }
    Ok(Scanned {
        digest,
        newest: info.newest,
    })
}

fn read_range(
    file: &File,
    start: u64,
    end: u64,
    cols: &Columns,
    keys: &Keys,
    engine: &mut Engine,
) -> Result<RangeInfo, Anomaly> {
    let window = engine.window();
    let mut add = |ev: &Event| engine.apply(ev).map(|_| ()).ok_or(Anomaly);
    read_events(file, start, end, cols, keys, window, &mut add)
}

/// A stretch `[pos, end)` of an open file, read by offset: threads share the file without
/// sharing a position.
pub struct At<'f> {
    file: &'f File,
    pos: u64,
    end: u64,
}

impl<'f> At<'f> {
    pub fn new(file: &'f File, pos: u64, end: u64) -> At<'f> {
        At { file, pos, end }
    }
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = usize::try_from(self.end.saturating_sub(self.pos)).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(self.file, &mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl io::Seek for At<'_> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        let pos = match to {
            io::SeekFrom::Start(p) => Some(p),
            io::SeekFrom::End(d) => self.end.checked_add_signed(d),
            io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        Ok(self.pos)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

/// Where the fields scoring needs sit in the file's rows.
#[derive(Debug, Clone)]
pub(super) struct Columns {
    pub(super) date: usize,
    pub(super) delegate: usize,
    pub(super) activity: usize,
    pub(super) count: usize,
    pub(super) outcome: usize,
    /// The re-import key (a repeated row has the same), when the file has one.
    pub(super) key: Option<usize>,
    /// `voided`: a non-empty cell means the record earns nothing.
    pub(super) voided: Option<usize>,
    pub(super) width: usize,
}

/// The header row, the byte offset where the rows begin and the line a reader counts there.
pub(super) fn header(file: &File) -> Result<(Columns, u64, u64), Anomaly> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(BufReader::new(file));
    let mut head = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut head).map_err(|_| Anomaly)? {
        return Err(Anomaly);
    }
    let cols = columns(&head)?;
    let body = reader.position();
    Ok((cols, body.byte(), body.line()))
}

/// Where the fields scoring needs sit, by the header row.
pub(super) fn columns(head: &csv::ByteRecord) -> Result<Columns, Anomaly> {
    let find = |name: &str| head.iter().position(|h| h == name.as_bytes());
    let cols = Columns {
        date: find("date").ok_or(Anomaly)?,
        delegate: find("delegate").ok_or(Anomaly)?,
        activity: find("activity").ok_or(Anomaly)?,
        count: find("count").ok_or(Anomaly)?,
        outcome: find("outcome").ok_or(Anomaly)?,
        key: find("key"),
        voided: find("voided"),
        width: head.len(),
    };
    Ok(cols)
}

/// Roster ids and item codes as bytes, and each item's points by outcome id.
pub(super) struct Keys {
    pub(super) delegates: FxHashMap<Vec<u8>, usize>,
    pub(super) items: FxHashMap<Vec<u8>, usize>,
    units: Vec<Unit>,
}

enum Unit {
    Each(Decimal),
    ByOutcome(Vec<(Vec<u8>, Decimal)>),
}

impl Keys {
    pub(super) fn new(rules: &Rules, roster: &Roster) -> Keys {
        let delegates = roster
            .delegates
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_bytes().to_vec(), i))
            .collect();
        let items = rules
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.code.as_bytes().to_vec(), i))
            .collect();
        let units = rules
            .items
            .iter()
            .map(|it| match &it.scoring {
                Scoring::PerUnit(p) => Unit::Each(*p),
                Scoring::ByOutcome { points, .. } => Unit::ByOutcome(
                    points
                        .iter()
                        .map(|(o, p)| (o.as_bytes().to_vec(), *p))
                        .collect(),
                ),
            })
            .collect();
        Keys {
            delegates,
            items,
            units,
        }
    }

    pub(super) fn unit(&self, item: usize, outcome: &[u8]) -> Option<Decimal> {
        match &self.units[item] {
            Unit::Each(p) => Some(*p),
            Unit::ByOutcome(points) => points.iter().find(|(o, _)| o == outcome).map(|(_, p)| *p),
        }
    }
}

/// What a stretch of rows showed, for the checks where two stretches meet.
#[derive(Debug, Default)]
pub(super) struct RangeInfo {
    pub(super) first: Option<NaiveDate>,
    pub(super) last: Option<NaiveDate>,
    pub(super) newest: Option<NaiveDate>,
    /// Identities of the rows on the first and on the last date of the stretch.
    pub(super) first_day: FxHashSet<u64>,
    pub(super) last_day: FxHashSet<u64>,
}

impl RangeInfo {
    /// A row at the start of this stretch repeating one at the end of `earlier`.
    pub(super) fn first_date_repeats(&self, earlier: &RangeInfo) -> bool {
        self.first.is_some()
            && self.first == earlier.last
            && self.first_day.iter().any(|h| earlier.last_day.contains(h))
    }
}

/// Reads rows from byte `start` (a row boundary) up to `end`, calling `add` for each event
/// of the cycle up to its last day.
fn read_events(
    file: &File,
    start: u64,
    end: u64,
    cols: &Columns,
    keys: &Keys,
    (year, until): (i32, NaiveDate),
    add: &mut dyn FnMut(&Event) -> Result<(), Anomaly>,
) -> Result<RangeInfo, Anomaly> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_reader(BufReader::with_capacity(1 << 16, At::new(file, start, end)));
    let mut row = csv::ByteRecord::new();
    let mut seen = Clean::new(year);
    while reader.read_byte_record(&mut row).map_err(|_| Anomaly)? {
        let (date, voided) = seen.row(&row, cols).ok_or(Anomaly)?;
        if voided || date > until {
            continue;
        }
        let delegate = *keys.delegates.get(&row[cols.delegate]).ok_or(Anomaly)?;
        let item = *keys.items.get(&row[cols.activity]).ok_or(Anomaly)?;
        let unit = keys.unit(item, &row[cols.outcome]).ok_or(Anomaly)?;
        let count = whole(&row[cols.count]).ok_or(Anomaly)?;
        add(&Event {
            date,
            delegate,
            item,
            unit,
            count,
        })?;
    }
    Ok(seen.finish())
}

/// The checks of the fast read that do not depend on rules or roster, row by row: widths,
/// ISO dates of the cycle in order, no row repeated on a date, voids as tally writes them.
/// Gives what the stretch showed, for the checks where two stretches meet.
pub(super) struct Clean {
    info: RangeInfo,
    today: FxHashSet<u64>,
    first: NaiveDate,
    last: NaiveDate,
}

impl Clean {
    pub(super) fn new(year: i32) -> Clean {
        Clean {
            info: RangeInfo::default(),
            today: FxHashSet::default(),
            first: ymd(year, 1, 1),
            last: ymd(year, 12, 31),
        }
    }

    /// The row's date and whether it is voided; `None` for a row the fast read does not take.
    pub(super) fn row(
        &mut self,
        row: &csv::ByteRecord,
        cols: &Columns,
    ) -> Option<(NaiveDate, bool)> {
        if row.len() != cols.width {
            return None;
        }
        let date = iso_date(&row[cols.date])?;
        let info = &mut self.info;
        if info.last.is_some_and(|l| date < l) || date < self.first || date > self.last {
            return None;
        }
        if info.last != Some(date) {
            if info.first.is_none() {
                info.first = Some(date);
            } else if info.first_day.is_empty() && info.first != Some(date) {
                info.first_day = std::mem::take(&mut self.today);
            }
            self.today.clear();
            info.last = Some(date);
        }
        if !self.today.insert(identity(row, cols)) {
            return None;
        }
        info.newest = Some(date);
        let voided = match cols.voided.map(|v| &row[v]) {
            None | Some(b"") => false,
            // A void as tally writes it; anything else is the careful path's to judge.
            Some(cell) if iso_date(cell).is_some() => true,
            Some(_) => return None,
        };
        Some((date, voided))
    }

    pub(super) fn finish(mut self) -> RangeInfo {
        if self.info.first_day.is_empty() {
            self.info.first_day = self.today.clone();
        }
        self.info.last_day = self.today;
        self.info
    }
}

/// The identity of a row for finding repeats: its key, else all its bytes.
fn identity(row: &csv::ByteRecord, cols: &Columns) -> u64 {
    let mut h = FxHasher::default();
    match cols.key {
        Some(k) if !row[k].is_empty() => h.write(&row[k]),
        _ => {
            for field in row {
                h.write(field);
                h.write_u8(0x1f);
            }
        }
    }
    h.finish()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// `2025-03-01` exactly as tally writes it.
pub(crate) fn iso_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: &[u8]| -> Option<u32> {
        r.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let y = i32::try_from(num(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(y, num(&b[5..7])?, num(&b[8..])?)
}

/// A count as tally writes it: 1 to 10000 without sign or zeros in front; empty is 1.
pub(super) fn whole(b: &[u8]) -> Option<u64> {
    if b.is_empty() {
        return Some(1);
    }
    if b.len() > 5 || b[0] == b'0' {
        return None;
    }
    let n = b.iter().try_fold(0u64, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u64::from(c - b'0'))
    })?;
    (1..=10_000).contains(&n).then_some(n)
}

/// A row boundary near the middle of the rows: the first line end after the middle that
/// lies outside quotes, found by counting quote characters from the start (a quoted field's
/// `""` counts twice, so the parity still tells inside from outside).
pub(crate) fn split_point(file: &File, body: u64, len: u64) -> Result<Option<u64>, Anomaly> {
    let mid = body + (len - body) / 2;
    let mut file = At::new(file, body, len);
    let mut inside = false;
    let mut at = body;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|_| Anomaly)?;
        if n == 0 {
            return Ok(None);
        }
        let chunk = &buf[..n];
        let before_mid = usize::try_from(mid.saturating_sub(at)).map_or(n, |m| m.min(n));
        inside ^= memchr::memchr_iter(b'"', &chunk[..before_mid]).count() % 2 == 1;
        for i in memchr::memchr2_iter(b'"', b'\n', &chunk[before_mid..]) {
            let i = before_mid + i;
            if chunk[i] == b'"' {
                inside = !inside;
            } else if !inside {
                let boundary = at + i as u64 + 1;
                return Ok((boundary < len).then_some(boundary));
            }
        }
        at += n as u64;
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn dates_and_counts_only_as_tally_writes_them() {
        assert_eq!(iso_date(b"2025-03-01"), NaiveDate::from_ymd_opt(2025, 3, 1));
        assert_eq!(iso_date(b"2025-02-30"), None);
        assert_eq!(iso_date(b"2025/03/01"), None);
        assert_eq!(iso_date(b" 2025-03-1"), None);
        assert_eq!(whole(b""), Some(1));
        assert_eq!(whole(b"10000"), Some(10_000));
        assert_eq!(whole(b"10001"), None);
        assert_eq!(whole(b"0"), None);
        assert_eq!(whole(b"01"), None);
        assert_eq!(whole(b"2.0"), None);
    }

    use crate::domain::{Delegate, Record};
    use crate::input::rules::{DEFAULT_RULES, parse_rules};
    use proptest::prelude::*;

    const ITEMS: [(&str, &str); 6] = [
        ("duty", ""),
        ("motion_cosign", ""),
        ("motion_cosign", ""),
        ("petition_resolved", "very_satisfied"),
        ("petition_resolved", "satisfied"),
        ("inspection", ""),
    ];

    pub(in crate::ledger) fn roster() -> Roster {
        let d = |id: &str| Delegate {
            id: id.into(),
            name: id.into(),
            studio: "S".into(),
            sector: None,
            joined: None,
            left: None,
        };
        Roster::new(vec![d("D1"), d("D2"), d("D3")])
    }

    /// A year file as import writes it, from (day of year, delegate, item, count, note).
    pub(in crate::ledger) fn ledger_text(rows: &mut [(u32, usize, usize, u64, bool)]) -> String {
        rows.sort_by_key(|r| r.0);
        let mut out = String::from(
            "id,date,delegate,activity,count,outcome,ref,note,source,source_line,key\n",
        );
        for (i, (day, d, item, count, note)) in rows.iter().enumerate() {
            let date = NaiveDate::from_yo_opt(2025, *day).expect("day of 2025");
            let (code, outcome) = ITEMS[*item];
            let note = if *note {
                "\"a note, with \"\"quotes\"\"\nand a line\""
            } else {
                ""
            };
            out.push_str(&format!(
                ",{date},D{},{code},{count},{outcome},P1,{note},inbox/a.csv,{},k{i}\n",
                d + 1,
                i + 2
            ));
        }
        out
    }

    pub(in crate::ledger) fn careful(path: &Path, engine: &mut Engine) {
        let mut stream = crate::ledger::LedgerStream::open(path, "l").expect("opens");
        while let Some(next) = stream.next_record() {
            let rec: Record = next.expect("a record");
            engine.add("l", &rec, &mut |_| {}).expect("scores");
        }
    }

    /// Every figure a report reads: per delegate, month and item, points and units.
    pub(in crate::ledger) fn figures(engine: Engine, rules: &Rules) -> Vec<(Decimal, u64)> {
        let scores = engine.finish();
        let mut out = Vec::new();
        for d in &scores.delegates {
            for m in 0..12 {
                for i in 0..rules.items.len() {
                    let t = d.item(i, m..=m);
                    out.push((t.points, t.units));
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn fast_and_split_reads_equal_the_careful_one(
            mut rows in prop::collection::vec((1u32..=365, 0usize..3, 0usize..6, 1u64..4, any::<bool>()), 0..80),
            until in 1u32..=365,
        ) {
            let rules = parse_rules("d", DEFAULT_RULES).expect("rules");
            let roster = roster();
            let until = NaiveDate::from_yo_opt(2025, until).expect("day");
            let dir = tempfile::tempdir().expect("dir");
            let path = dir.path().join("2025.csv");
            std::fs::write(&path, ledger_text(&mut rows)).expect("write");
            let mut slow = Engine::new(&rules, &roster, 2025, until);
            careful(&path, &mut slow);
            let expected = figures(slow, &rules);
            for split_at in [u64::MAX, 0] {
                let mut fast = Engine::new(&rules, &roster, 2025, until);
                scan_split_at(&path, &mut fast, split_at, &indicatif::ProgressBar::hidden()).expect("clean ledger");
                prop_assert_eq!(&figures(fast, &rules), &expected);
            }
        }
    }

    #[test]
    fn a_repeat_across_the_split_is_left_to_the_careful_path() {
        let rules = parse_rules("d", DEFAULT_RULES).expect("rules");
        let roster = roster();
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("2025.csv");
        let head = "id,date,delegate,activity,count,outcome,ref,note,source,source_line,key\n";
        let row = ",2025-03-01,D1,duty,1,,,,inbox/a.csv,2,k1\n";
        std::fs::write(&path, format!("{head}{row}{row}")).expect("write");
        let until = NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
        for split_at in [u64::MAX, 0] {
            let mut fast = Engine::new(&rules, &roster, 2025, until);
            assert!(
                scan_split_at(
                    &path,
                    &mut fast,
                    split_at,
                    &indicatif::ProgressBar::hidden()
                )
                .is_err()
            );
        }
    }

    #[test]
    fn the_split_falls_outside_quotes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("l.csv");
        // A note holding a line break sits across the middle.
        let text = "h\na\n\"x\ny\"\nb\n";
        std::fs::write(&path, text).expect("write");
        let file = File::open(&path).expect("open");
        let at = split_point(&file, 2, text.len() as u64).expect("scans");
        assert_eq!(at, Some(10), "after the quoted field's closing line end");
    }
}
