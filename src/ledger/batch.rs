//! What `import` needs of the ledger to add many rows in bounded memory: new rows as bytes
//! (to sort them outside memory), their keys as 64-bit hashes, a filter of those hashes,
//! a year file read once for the rows that may repeat a new one, and a year file merged
//! with new rows that arrive in ledger order.
//!
//! Hashes only ever narrow a search: two rows are the same record when their full keys are
//! equal, compared as text, never because their hashes are.

use super::format::{LedgerHeaders, ledger_record};
use super::{LedgerStream, ledger_header, ledger_row};
use crate::domain::keys::Said;
use crate::domain::keys::{fingerprint, fingerprint_key, occurrence};
use crate::domain::{Arrival, Record};
use crate::error::{Error, Exit, Problem};
use crate::fsutil::Staged;
use crate::input::csvfile::{MAX_CELL_BYTES, csv_problem};
use crate::input::records::Inbox;
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHasher;
use std::cmp::Ordering;
use std::fs::File;
use std::hash::Hasher;
use std::io::{self, BufReader, Write};
use std::path::Path;

/// A 64-bit hash of bytes, well mixed (the filter takes several indices from it).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    mix(h.finish())
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The hash of a re-import key (`id:…` or `fp:…-n`).
pub fn key_hash(key: &str) -> u64 {
    hash(key.as_bytes())
}

/// The hash of a row without id by its content and occurrence number: a ledger row gives
/// it without the SHA-256 its key needs. `buf` is scratch space.
pub fn content_hash(buf: &mut Vec<u8>, content: &[&[u8]; 7], occurrence: &[u8]) -> u64 {
    buf.clear();
    buf.push(b'c');
    for (i, part) in content.iter().enumerate() {
        if i > 0 {
            buf.push(0x1f);
        }
        buf.extend_from_slice(part);
    }
    buf.push(0x1e);
    buf.extend_from_slice(occurrence);
    hash(buf)
}

/// [`content_hash`] of a new record from its [`content`](crate::domain::keys::content)
/// (the same bytes: the parts joined as `content_hash` joins them) and its key.
pub fn new_content_hash(buf: &mut Vec<u8>, content: &str, key: &str) -> u64 {
    use std::io::Write as _;
    buf.clear();
    buf.push(b'c');
    buf.extend_from_slice(content.as_bytes());
    // Writing to a Vec cannot fail.
    let _ = write!(buf, "\u{1e}{}", occurrence(key));
    hash(buf)
}

/// A Bloom filter of fixed size over 64-bit hashes: "no" is certain, "maybe" is checked.
pub struct Filter {
    bits: Vec<u64>,
}

impl Filter {
    /// 2^27 bits (16 MiB): about 5% false "maybe" at ten million keys, none to speak of at a
    /// million.
    pub fn new() -> Filter {
        Filter::with_bits(27)
    }

    /// A filter for about `n` hashes: 16 bits each (about 0.3% false "maybe"), at most
    /// [`Filter::new`]'s. A small filter stays in the processor's cache, where it answers
    /// each row of a large ledger without a trip to memory.
    pub fn for_count(n: usize) -> Filter {
        let bits = n.saturating_mul(16).max(1 << 16);
        Filter::with_bits(bits.next_power_of_two().trailing_zeros().min(27))
    }

    /// A filter that answers "maybe" to every hash.
    pub fn full() -> Filter {
        Filter {
            bits: vec![u64::MAX; 1],
        }
    }

    pub fn with_bits(log2: u32) -> Filter {
        Filter {
            bits: vec![0; 1 << (log2 - 6)],
        }
    }

    fn indices(&self, h: u64) -> [usize; 3] {
        let mask = self.bits.len() * 64 - 1;
        let h2 = mix(h ^ 0x9e37_79b9_7f4a_7c15);
        [0u64, 1, 2].map(|i| (h.wrapping_add(i.wrapping_mul(h2)) as usize) & mask)
    }

    pub fn insert(&mut self, h: u64) {
        for i in self.indices(h) {
            self.bits[i / 64] |= 1 << (i % 64);
        }
    }

    pub fn may_hold(&self, h: u64) -> bool {
        self.indices(h)
            .iter()
            .all(|&i| self.bits[i / 64] & (1 << (i % 64)) != 0)
    }
}

impl Default for Filter {
    fn default() -> Self {
        Filter::new()
    }
}

// ---- new rows as bytes ----

fn put(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
        Some(s) => put(out, s),
    }
}

/// A new record of input file `file` as bytes, with its [`content_hash`] for the filter;
/// its source and extra column names are the file's, given back to [`View::record`].
pub fn encode(out: &mut Vec<u8>, file: u32, r: &Inbox, content_hash: u64) {
    out.clear();
    out.extend_from_slice(&file.to_le_bytes());
    out.extend_from_slice(&r.said.date.num_days_from_ce().to_le_bytes());
    out.extend_from_slice(&r.said.count.to_le_bytes());
    out.extend_from_slice(&r.source_line.to_le_bytes());
    out.extend_from_slice(&content_hash.to_le_bytes());
    put(out, r.key);
    put_opt(out, r.id);
    put(out, r.said.delegate);
    put(out, r.said.activity);
    put_opt(out, r.said.outcome);
    put_opt(out, r.said.reference);
    put_opt(out, r.said.note);
    // The count of extra cells is written once they are.
    let count_at = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    let mut count = 0u32;
    for (_, v) in r.extras() {
        put(out, v);
        count += 1;
    }
    out[count_at..count_at + 4].copy_from_slice(&count.to_le_bytes());
}

struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> &'b [u8] {
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().expect("4 bytes"))
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take(8).try_into().expect("8 bytes"))
    }
    fn opt(&mut self) -> Option<&'b str> {
        match self.u32() {
            u32::MAX => None,
            n => Some(std::str::from_utf8(self.take(n as usize)).expect("encoded from a String")),
        }
    }
    fn str(&mut self) -> &'b str {
        self.opt().unwrap_or_default()
    }

    /// What every encoded record starts with: its input file, date, count and line.
    fn lead(&mut self) -> (u32, NaiveDate, u64, u64) {
        let file = self.u32();
        let days = self.u32() as i32;
        let date = NaiveDate::from_num_days_from_ce_opt(days).expect("a date encoded as days");
        (file, date, self.u64(), self.u64())
    }
}

/// The input file, date and line of an encoded new record, read without the rest.
pub fn head(bytes: &[u8]) -> (u32, NaiveDate, u64) {
    let (file, date, _, line) = Reader(bytes).lead();
    (file, date, line)
}

/// What matching a new record by key needs of it, read in place without its other cells
/// (each cell read is a text checked as UTF-8).
pub struct Keyed<'b> {
    pub file: u32,
    pub date: NaiveDate,
    pub line: u64,
    pub content_hash: u64,
    pub key: &'b str,
    pub id: Option<&'b str>,
}

impl<'b> Keyed<'b> {
    pub fn of(bytes: &'b [u8]) -> Keyed<'b> {
        let mut r = Reader(bytes);
        let (file, date, _, line) = r.lead();
        Keyed {
            file,
            date,
            line,
            content_hash: r.u64(),
            key: r.str(),
            id: r.opt(),
        }
    }
}

/// An encoded new record, read in place.
pub struct View<'b> {
    pub file: u32,
    pub date: NaiveDate,
    pub count: u64,
    pub line: u64,
    pub content_hash: u64,
    pub key: &'b str,
    pub id: Option<&'b str>,
    pub delegate: &'b str,
    pub activity: &'b str,
    pub outcome: Option<&'b str>,
    pub reference: Option<&'b str>,
    pub note: Option<&'b str>,
    extras: &'b [u8],
}

impl<'b> View<'b> {
    pub fn of(bytes: &'b [u8]) -> View<'b> {
        let mut r = Reader(bytes);
        let (file, date, count, line) = r.lead();
        View {
            file,
            date,
            count,
            line,
            content_hash: r.u64(),
            key: r.str(),
            id: r.opt(),
            delegate: r.str(),
            activity: r.str(),
            outcome: r.opt(),
            reference: r.opt(),
            note: r.opt(),
            extras: r.0,
        }
    }

    /// The values of the file's extra columns, in its order.
    pub fn extras(&self) -> impl Iterator<Item = &'b str> {
        let mut r = Reader(self.extras);
        let n = r.u32();
        (0..n).map(move |_| r.str())
    }

    /// The record, its source and extra column names being its file's.
    pub fn record(&self, source: &str, extras: &[String]) -> Record {
        let said = Said {
            date: self.date,
            delegate: self.delegate,
            activity: self.activity,
            count: self.count,
            outcome: self.outcome,
            reference: self.reference,
            note: self.note,
        };
        let extra = extras
            .iter()
            .cloned()
            .zip(self.extras().map(str::to_owned))
            .collect();
        Record::arriving(
            &said,
            Arrival {
                id: self.id,
                extra,
                source,
                source_line: self.line,
                key: self.key,
            },
        )
    }

    /// Whether two new records say the same thing ([`Record::content`] equal).
    pub fn same_content(&self, o: &View) -> bool {
        self.content() == o.content()
    }

    /// [`Record::content`] of the record.
    pub fn content(&self) -> String {
        crate::domain::keys::content(&crate::domain::Said {
            date: self.date,
            delegate: self.delegate,
            activity: self.activity,
            count: self.count,
            outcome: self.outcome,
            reference: self.reference,
            note: self.note,
        })
    }
}

/// Sort key bytes in ledger order: date, source (by its rank among the sources, which
/// sort as their names do), line, key.
pub fn order_key(out: &mut Vec<u8>, date: NaiveDate, rank: u32, line: u64, key: &str) {
    out.clear();
    out.extend_from_slice(&((date.num_days_from_ce() as u32) ^ (1 << 31)).to_be_bytes());
    out.extend_from_slice(&rank.to_be_bytes());
    out.extend_from_slice(&line.to_be_bytes());
    out.extend_from_slice(key.as_bytes());
}

// ---- a year file read once ----

/// Where the columns of a format 2 year file sit, for reading its clean rows as bytes.
struct Columns {
    id: Option<usize>,
    date: usize,
    delegate: usize,
    activity: usize,
    count: usize,
    outcome: Option<usize>,
    reference: Option<usize>,
    note: Option<usize>,
    source: usize,
    source_line: usize,
    occurrence: Option<usize>,
    voided: Option<usize>,
    voided_by: Option<usize>,
    void_reason: Option<usize>,
    width: usize,
}

impl Columns {
    /// `None` for a file the byte path does not take (format 1, repeated extra names).
    fn new(h: &LedgerHeaders, width: usize) -> Option<Columns> {
        if h.has("key") {
            return None;
        }
        let mut names: Vec<String> = h.extra_names();
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        Some(Columns {
            id: h.index("id"),
            date: h.index("date")?,
            delegate: h.index("delegate")?,
            activity: h.index("activity")?,
            count: h.index("count")?,
            outcome: h.index("outcome"),
            reference: h.index("ref"),
            note: h.index("note"),
            source: h.index("source")?,
            source_line: h.index("source_line")?,
            occurrence: h.index("occurrence"),
            voided: h.index("voided"),
            voided_by: h.index("voided_by"),
            void_reason: h.index("void_reason"),
            width,
        })
    }
}

/// A row exactly as tally writes it: every cell it would rewrite already in that form.
struct Clean<'r> {
    date: NaiveDate,
    id: &'r str,
    content: [&'r [u8]; 7],
    source: &'r str,
    line: u64,
    occurrence: &'r [u8],
    voided: bool,
}

fn cell(row: &csv::ByteRecord, i: Option<usize>) -> &[u8] {
    i.and_then(|i| row.get(i)).unwrap_or_default()
}

/// A cell tally would write unchanged: UTF-8, no surrounding spaces.
fn plain(b: &[u8]) -> Option<&str> {
    let s = std::str::from_utf8(b).ok()?;
    (s.trim().len() == s.len()).then_some(s)
}

/// Digits without a zero in front, as `u64::to_string` writes them.
fn canonical(b: &[u8]) -> Option<u64> {
    if b.is_empty() || (b[0] == b'0' && b.len() > 1) || b.len() > 19 {
        return None;
    }
    b.iter().try_fold(0u64, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u64::from(c - b'0'))
    })
}

fn clean<'r>(c: &Columns, row: &'r csv::ByteRecord) -> Option<Clean<'r>> {
    if row.len() != c.width || row.iter().any(|f| f.len() > MAX_CELL_BYTES) {
        return None;
    }
    let opt = |i: Option<usize>| plain(cell(row, i));
    let id = opt(c.id)?;
    let date_b = &row[c.date];
    let date = super::scan::iso_date(date_b)?;
    let count_b = &row[c.count];
    if !canonical(count_b).is_some_and(|n| (1..=10_000).contains(&n)) {
        return None;
    }
    let occurrence = cell(row, c.occurrence);
    if !occurrence.is_empty() && (!id.is_empty() || canonical(occurrence)? < 2) {
        return None;
    }
    let voided = cell(row, c.voided);
    if voided.is_empty() {
        if !cell(row, c.voided_by).is_empty() || !cell(row, c.void_reason).is_empty() {
            return None;
        }
    } else {
        super::scan::iso_date(voided)?;
        opt(c.voided_by)?;
        opt(c.void_reason)?;
    }
    let line_b = &row[c.source_line];
    let line = canonical(line_b)?;
    let content = [
        date_b,
        plain(&row[c.delegate])?.as_bytes(),
        plain(&row[c.activity])?.as_bytes(),
        count_b,
        opt(c.outcome)?.as_bytes(),
        opt(c.reference)?.as_bytes(),
        opt(c.note)?.as_bytes(),
    ];
    // Required cells tally never leaves empty.
    if content[1].is_empty() || content[2].is_empty() {
        return None;
    }
    Some(Clean {
        date,
        id,
        content,
        source: plain(&row[c.source])?,
        line,
        occurrence,
        voided: !voided.is_empty(),
    })
}

impl Clean<'_> {
    /// What [`OldKey::of`] gives for the row's record, without making the record.
    fn old_key(&self, year: u32, row: &csv::ByteRecord) -> OldKey {
        let content = self
            .content
            .iter()
            .map(|c| String::from_utf8_lossy(c))
            .collect::<Vec<_>>()
            .join("\u{1f}");
        let key = if self.id.is_empty() {
            let n = canonical(self.occurrence).unwrap_or(1);
            fingerprint_key(&fingerprint(&content), n)
        } else {
            format!("id:{}", self.id)
        };
        OldKey {
            key,
            content,
            voided: self.voided,
            year,
            line: row.position().map_or(0, csv::Position::line),
        }
    }
}

/// A row read the careful way, as every other command reads it.
fn careful(shown: &str, headers: &LedgerHeaders, row: &csv::ByteRecord) -> Result<Record, Error> {
    let bad = |p: Problem| Error::from_problem(Exit::Data, p);
    let line = row.position().map_or(0, csv::Position::line);
    let text = csv::StringRecord::from_byte_record(row.clone())
        .map_err(|_| bad(Problem::new(shown, crate::tr!("msg-not-utf8-text")).line(line)))?;
    ledger_record(shown, headers, &text).map_err(bad)
}

/// A year file opened for reading rows as bytes.
/// The rows of a year file are read (split into cells) on another thread, this many at a
/// time, while this one looks at the rows read before.
const BATCH: usize = 1024;

type Batch = Vec<csv::ByteRecord>;

struct Year {
    shown: String,
    /// Batches of rows as the reader thread reads them; a row that cannot be read ends them.
    rows: std::sync::mpsc::Receiver<Result<Batch, csv::Error>>,
    /// Batches looked at, back to the reader to read into again.
    spent: std::sync::mpsc::SyncSender<Batch>,
    batch: Batch,
    at: usize,
    headers: LedgerHeaders,
    columns: Option<Columns>,
}

/// Reads rows in batches until the end or the first row that cannot be read.
fn read_ahead(
    mut reader: csv::Reader<BufReader<File>>,
    rows: &std::sync::mpsc::SyncSender<Result<Batch, csv::Error>>,
    spent: &std::sync::mpsc::Receiver<Batch>,
) {
    loop {
        let mut batch = spent.try_recv().unwrap_or_default();
        batch.resize_with(BATCH, csv::ByteRecord::new);
        let mut n = 0;
        let mut failed = None;
        while n < BATCH {
            match reader.read_byte_record(&mut batch[n]) {
                Ok(true) => n += 1,
                Ok(false) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let end = n < BATCH;
        batch.truncate(n);
        if n > 0 && rows.send(Ok(batch)).is_err() {
            return;
        }
        if let Some(e) = failed {
            let _ = rows.send(Err(e));
        }
        if end {
            return;
        }
    }
}

impl Year {
    fn open(path: &Path, shown: &str) -> Result<Option<Year>, Error> {
        // The same checks and messages as every reader of the ledger.
        let stream = LedgerStream::open(path, shown)?;
        if !stream.exists() {
            return Ok(None);
        }
        let file = File::open(path).map_err(|e| {
            let why = e.to_string();
            Error::no_input(crate::tr!("msg-path-cannot-read", path = shown, why = why))
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let head = reader
            .headers()
            .map_err(|e| Error::from_problem(Exit::Data, csv_problem(shown, &e)))?
            .clone();
        let headers =
            LedgerHeaders::new(shown, &head).map_err(|ps| Error::problems(Exit::Data, &ps))?;
        let columns = Columns::new(&headers, head.len());
        let (rows_tx, rows) = std::sync::mpsc::sync_channel(4);
        let (spent, spent_rx) = std::sync::mpsc::sync_channel(8);
        std::thread::Builder::new()
            .name("tally-read".into())
            .spawn(move || read_ahead(reader, &rows_tx, &spent_rx))
            .map_err(|e| {
                let why = e.to_string();
                Error::no_input(crate::tr!("msg-path-cannot-read", path = shown, why = why))
            })?;
        Ok(Some(Year {
            shown: shown.to_owned(),
            rows,
            spent,
            batch: Vec::new(),
            at: 0,
            headers,
            columns,
        }))
    }

    /// The next row into `row` (whose old content goes back to the reader); `false` at the end.
    fn next(&mut self, row: &mut csv::ByteRecord) -> Result<bool, Error> {
        if self.at == self.batch.len() {
            let spent = std::mem::take(&mut self.batch);
            let _ = self.spent.try_send(spent);
            self.at = 0;
            match self.rows.recv() {
                Ok(Ok(batch)) => self.batch = batch,
                Ok(Err(e)) => {
                    return Err(Error::from_problem(
                        Exit::Data,
                        csv_problem(&self.shown, &e),
                    ));
                }
                Err(_) => return Ok(false),
            }
        }
        std::mem::swap(row, &mut self.batch[self.at]);
        self.at += 1;
        Ok(true)
    }
}

/// What reading a year file found out about merging into it.
#[derive(Debug, Default, Clone, Copy)]
pub struct YearScan {
    /// Rows out of ledger order, or two rows at the same date, source and line (a hand
    /// edit): the year is merged the careful way, in memory.
    pub careful: bool,
    /// Every row as tally writes it (see [`clean`]): the merge need not check them again.
    pub clean: bool,
}

/// Reads a year file once, handing `maybe` every record that may repeat a new row (by the
/// hashes in `filter`) and saying whether the file can be merged as a stream. A row that
/// cannot be read is the same error, with the same message, as for every reader.
pub fn scan_year(
    path: &Path,
    shown: &str,
    year_index: u32,
    filter: &Filter,
    maybe: &mut dyn FnMut(u64, OldKey) -> Result<(), Error>,
) -> Result<YearScan, Error> {
    let mut scan = YearScan::default();
    let Some(mut year) = Year::open(path, shown)? else {
        return Ok(scan);
    };
    scan.clean = year.columns.is_some();
    let mut row = csv::ByteRecord::new();
    let mut buf = Vec::new();
    let mut last: Option<(NaiveDate, String, u64)> = None;
    while year.next(&mut row)? {
        let clean = year.columns.as_ref().and_then(|c| clean(c, &row));
        let (date, source, line) = match &clean {
            Some(c) => {
                let hit = if c.id.is_empty() {
                    let occ: &[u8] = if c.occurrence.is_empty() {
                        b"1"
                    } else {
                        c.occurrence
                    };
                    filter.may_hold(content_hash(&mut buf, &c.content, occ))
                } else {
                    buf.clear();
                    buf.extend_from_slice(b"id:");
                    buf.extend_from_slice(c.id.as_bytes());
                    filter.may_hold(hash(&buf))
                };
                if hit {
                    let old = c.old_key(year_index, &row);
                    let h = key_hash(&old.key);
                    if filter.may_hold(h) {
                        maybe(h, old)?;
                    }
                }
                (c.date, c.source, c.line)
            }
            None => {
                scan.clean = false;
                let rec = careful(shown, &year.headers, &row)?;
                let at = (rec.date, rec.source.clone(), rec.source_line);
                let h = key_hash(&rec.key);
                if filter.may_hold(h) {
                    maybe(h, OldKey::of(&rec, year_index))?;
                }
                if !in_order(&mut last, at.0, &at.1, at.2) {
                    scan.careful = true;
                }
                continue;
            }
        };
        if !in_order(&mut last, date, source, line) {
            scan.careful = true;
        }
    }
    Ok(scan)
}

/// Whether (date, source, line) comes strictly after the last, which it then becomes.
fn in_order(last: &mut Option<(NaiveDate, String, u64)>, d: NaiveDate, s: &str, l: u64) -> bool {
    let ok = last
        .as_ref()
        .is_none_or(|(ld, ls, ll)| (*ld, ls.as_str(), *ll) < (d, s, l));
    match last {
        Some((ld, ls, ll)) => {
            *ld = d;
            ls.clear();
            ls.push_str(s);
            *ll = l;
        }
        None => *last = Some((d, s.to_owned(), l)),
    }
    ok
}

// ---- a year file merged with new rows ----

/// Writes a year file that [`scan_year`] found in order: its rows merged with `new` (in
/// ledger order, all of this year), to a staged file, each clean row copied as it is.
/// `scan` is what `scan_year` found of the file, under the same lock.
pub fn stage_year_merged(
    staged: &mut Staged,
    target: &Path,
    shown: &str,
    scan: YearScan,
    extras: &[String],
    files: &[Source],
    new: &mut dyn Iterator<Item = io::Result<Vec<u8>>>,
) -> Result<(), Error> {
    let mut failure: Option<Error> = None;
    let written = staged.write(target, |w| {
        let year = Merged {
            target,
            shown,
            clean: scan.clean,
            extras,
        };
        merge_rows(&year, files, new, w).map_err(|e| match e {
            Stop::Io(e) => e,
            Stop::Bad(e) => {
                failure = Some(e);
                io::Error::other("merge stopped")
            }
        })
    });
    match (written, failure) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(Error::write(shown, &e)),
    }
}

enum Stop {
    Io(io::Error),
    Bad(Error),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Io(e)
    }
}

impl From<csv::Error> for Stop {
    fn from(e: csv::Error) -> Self {
        Stop::Io(io::Error::other(e))
    }
}

/// An input file as its new rows need it: the source name and extra columns.
pub struct Source<'s> {
    pub name: &'s str,
    pub extras: &'s [String],
}

/// The year file a merge reads and writes.
struct Merged<'a> {
    target: &'a Path,
    shown: &'a str,
    /// Every row found clean when the file was scanned.
    clean: bool,
    /// The extra columns of the file written.
    extras: &'a [String],
}

/// Where a row of a file found clean goes in ledger order: its date, source and line, read
/// without checking its other cells again.
fn place<'r>(c: &Columns, row: &'r csv::ByteRecord) -> Option<(NaiveDate, &'r [u8], u64)> {
    if row.len() != c.width {
        return None;
    }
    let date = super::scan::iso_date(&row[c.date])?;
    Some((date, &row[c.source], canonical(&row[c.source_line])?))
}

fn merge_rows(
    merged: &Merged,
    files: &[Source],
    new: &mut dyn Iterator<Item = io::Result<Vec<u8>>>,
    w: &mut dyn Write,
) -> Result<(), Stop> {
    let &Merged {
        target,
        shown,
        clean: all_clean,
        extras,
    } = merged;
    // Large writes: a year file is written in a few thousand calls, not tens of thousands.
    let mut out = csv::WriterBuilder::new()
        .buffer_capacity(1 << 20)
        .from_writer(w);
    out.write_record(ledger_header(extras))?;
    let mut writer = NewWriter::new(files, extras);
    let mut pending = new.peekable();
    if let Some(mut year) = Year::open(target, shown).map_err(Stop::Bad)? {
        let copy = year
            .columns
            .as_ref()
            .map(|c| copy_map(&year.headers, c, extras));
        // Each clean row's cells in the order they are written: the row as it is.
        let as_is = copy
            .as_ref()
            .is_some_and(|map| map.iter().enumerate().all(|(i, m)| *m == Some(i)));
        let mut row = csv::ByteRecord::new();
        while year.next(&mut row).map_err(Stop::Bad)? {
            let c = match &year.columns {
                Some(c) if all_clean => place(c, &row),
                Some(c) => clean(c, &row).map(|c| (c.date, c.source.as_bytes(), c.line)),
                None => None,
            };
            let mut old_rec: Option<Record> = None;
            let at: (NaiveDate, std::borrow::Cow<[u8]>, u64) = match c {
                Some((date, source, line)) => (date, source.into(), line),
                None => {
                    let r = careful(shown, &year.headers, &row).map_err(Stop::Bad)?;
                    let at = (r.date, r.source.as_bytes().to_vec().into(), r.source_line);
                    old_rec = Some(r);
                    at
                }
            };
            loop {
                let before = match pending.peek() {
                    Some(Ok(n)) => {
                        let (file, date, line) = head(n);
                        let source = files[file as usize].name.as_bytes();
                        match (date, source, line).cmp(&(at.0, &*at.1, at.2)) {
                            Ordering::Less => true,
                            Ordering::Greater => false,
                            Ordering::Equal => {
                                if old_rec.is_none() {
                                    let r =
                                        careful(shown, &year.headers, &row).map_err(Stop::Bad)?;
                                    old_rec = Some(r);
                                }
                                let key = View::of(n).key;
                                old_rec.as_ref().is_some_and(|o| key < o.key.as_str())
                            }
                        }
                    }
                    Some(Err(_)) => true,
                    None => false,
                };
                if !before {
                    break;
                }
                let n = pending.next().expect("peeked")?;
                writer.write(&mut out, &View::of(&n))?;
            }
            match (&c, &copy) {
                (Some(_), Some(_)) if as_is => out.write_byte_record(&row)?,
                (Some(_), Some(map)) => {
                    out.write_record(map.iter().map(|i| i.map_or(&b""[..], |i| &row[i])))?;
                }
                _ => {
                    let r = match old_rec {
                        Some(r) => r,
                        None => careful(shown, &year.headers, &row).map_err(Stop::Bad)?,
                    };
                    out.write_record(ledger_row(&r, extras))?;
                }
            }
        }
    }
    for n in pending {
        writer.write(&mut out, &View::of(&n?))?;
    }
    out.flush()?;
    Ok(())
}

/// Writes new rows as [`ledger_row`] writes their records, without making one.
struct NewWriter<'a> {
    files: &'a [Source<'a>],
    /// For each file, the place of each of the year's extra columns among the file's.
    maps: Vec<Option<Vec<Option<usize>>>>,
    extras: &'a [String],
    /// The row's cells, written anew for each row.
    record: csv::ByteRecord,
}

impl<'a> NewWriter<'a> {
    fn new(files: &'a [Source<'a>], extras: &'a [String]) -> NewWriter<'a> {
        NewWriter {
            files,
            maps: vec![None; files.len()],
            extras,
            record: csv::ByteRecord::new(),
        }
    }

    fn write<W: Write>(&mut self, out: &mut csv::Writer<W>, n: &View) -> Result<(), Stop> {
        let f = n.file as usize;
        let (files, extras) = (self.files, self.extras);
        let map = self.maps[f].get_or_insert_with(|| {
            extras
                .iter()
                .map(|h| files[f].extras.iter().position(|e| e == h))
                .collect()
        });
        fn o(v: Option<&str>) -> &[u8] {
            v.unwrap_or_default().as_bytes()
        }
        let r = &mut self.record;
        r.clear();
        r.push_field(o(n.id));
        push_date(r, n.date);
        r.push_field(n.delegate.as_bytes());
        r.push_field(n.activity.as_bytes());
        push_number(r, n.count);
        r.push_field(o(n.outcome));
        r.push_field(o(n.reference));
        r.push_field(o(n.note));
        if !map.is_empty() {
            let values: Vec<&str> = n.extras().collect();
            for i in map.iter() {
                r.push_field(i.map_or(&b""[..], |i| values[i].as_bytes()));
            }
        }
        r.push_field(files[f].name.as_bytes());
        push_number(r, n.line);
        match occurrence(n.key) {
            1 => r.push_field(b""),
            k => push_number(r, k),
        }
        for _ in 0..3 {
            r.push_field(b"");
        }
        // The same bytes as `write_record` would write, by a faster way.
        out.write_byte_record(r)?;
        Ok(())
    }
}

/// A number as `u64::to_string` writes it, as a cell of `r`.
fn push_number(r: &mut csv::ByteRecord, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    r.push_field(&digits[at..]);
}

/// A date as its `Display` writes it (`2025-03-01`), as a cell of `r`.
fn push_date(r: &mut csv::ByteRecord, d: NaiveDate) {
    let y = d.year();
    if !(1000..=9999).contains(&y) {
        r.push_field(d.to_string().as_bytes());
        return;
    }
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let (c, yy) = (two(y as u32 / 100), two(y as u32 % 100));
    let (m, dd) = (two(d.month()), two(d.day()));
    r.push_field(&[
        c[0], c[1], yy[0], yy[1], b'-', m[0], m[1], b'-', dd[0], dd[1],
    ]);
}

/// For each column the merged file writes, the old file's column it copies (`None`: empty).
fn copy_map(h: &LedgerHeaders, c: &Columns, extras: &[String]) -> Vec<Option<usize>> {
    let old_extras = h.extra.iter().map(|(i, _)| Some(*i));
    let head = [
        c.id,
        Some(c.date),
        Some(c.delegate),
        Some(c.activity),
        Some(c.count),
        c.outcome,
        c.reference,
        c.note,
    ];
    let tail = [
        Some(c.source),
        Some(c.source_line),
        c.occurrence,
        c.voided,
        c.voided_by,
        c.void_reason,
    ];
    let added = extras.len().saturating_sub(h.extra.len());
    head.into_iter()
        .chain(old_extras)
        .chain(std::iter::repeat_n(None, added))
        .chain(tail)
        .collect()
}

/// What the join of new rows with the ledger needs of a ledger row that may repeat one.
pub struct OldKey {
    pub key: String,
    pub content: String,
    pub voided: bool,
    pub year: u32,
    pub line: u64,
}

impl OldKey {
    pub fn of(r: &Record, year: u32) -> OldKey {
        OldKey {
            key: r.key.clone(),
            content: r.content(),
            voided: r.void.is_some(),
            year,
            line: r.ledger_line,
        }
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self.year.to_le_bytes());
        out.extend_from_slice(&self.line.to_le_bytes());
        out.push(u8::from(self.voided));
        put(out, &self.key);
        put(out, &self.content);
    }

    pub fn decode(bytes: &[u8]) -> OldKey {
        let mut r = Reader(bytes);
        let year = r.u32();
        let line = r.u64();
        let voided = r.take(1)[0] == 1;
        OldKey {
            year,
            line,
            voided,
            key: r.str().to_owned(),
            content: r.str().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_filter_may_hold_every_hash() {
        let full = Filter::full();
        let empty = Filter::for_count(10);
        for h in [0, 1, 42, u64::MAX, hash(b"id:A1")] {
            assert!(full.may_hold(h), "{h}");
            assert!(!empty.may_hold(h), "{h}");
        }
    }

    #[test]
    fn numbers_and_dates_are_written_as_display_writes_them() {
        let mut r = csv::ByteRecord::new();
        let numbers = [0, 1, 9, 10, 99, 100, 10_000, u64::MAX];
        for n in numbers {
            push_number(&mut r, n);
        }
        let dates = [
            (2025, 1, 1),
            (2000, 12, 31),
            (999, 3, 4),
            (10_000, 1, 1),
            (-1, 6, 7),
        ];
        for (y, m, d) in dates {
            push_date(&mut r, NaiveDate::from_ymd_opt(y, m, d).expect("a date"));
        }
        let expected: Vec<String> = numbers
            .iter()
            .map(u64::to_string)
            .chain(dates.iter().map(|&(y, m, d)| {
                NaiveDate::from_ymd_opt(y, m, d)
                    .expect("a date")
                    .to_string()
            }))
            .collect();
        let written: Vec<&[u8]> = r.iter().collect();
        let expected: Vec<&[u8]> = expected.iter().map(|s| s.as_bytes()).collect();
        assert_eq!(written, expected);
    }
}
