//! The ledger: `ledger/<year>.csv`, normalised records in date order. Read as a stream
//! (memory grows with delegates, not records); rewritten only atomically, under a lock.

pub mod audit;
pub mod batch;
pub mod cache;
pub mod digest;
pub mod format;
pub mod scan;
pub mod spill;

use crate::domain::Record;
use crate::error::{Error, Problem};
use crate::fsutil::Staged;
use crate::input::csvfile::csv_problem;
use chrono::NaiveDate;
pub use format::{
    LedgerHeaders, ledger_header, ledger_record, ledger_row, short_key, write_records,
};
use sha2::{Digest, Sha256};
use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

/// A reader that hashes every byte it hands on, so the stamp costs no second pass.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    progress: indicatif::ProgressBar,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.progress.inc(n as u64);
        if n == 0 {
            self.progress.finish_and_clear();
        }
        Ok(n)
    }
}

/// One year file read row by row.
pub struct LedgerStream {
    shown: String,
    reader: Option<csv::Reader<Hashing<BufReader<File>>>>,
    headers: Option<LedgerHeaders>,
    record: csv::StringRecord,
    /// Hand on only this delegate's rows (see [`LedgerStream::only`]).
    only: Option<String>,
}

impl LedgerStream {
    /// Opens a year file; a missing file is an empty year.
    pub fn open(path: &Path, shown: &str) -> Result<LedgerStream, Error> {
        let mut s = LedgerStream {
            shown: shown.to_owned(),
            reader: None,
            headers: None,
            record: csv::StringRecord::new(),
            only: None,
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(s),
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
                return Err(Error::no_input(crate::tr!(
                    "msg-ledger-folder-is-a-file",
                    path = shown
                )));
            }
            Err(e) => {
                let why = e.to_string();
                return Err(Error::no_input(crate::tr!(
                    "msg-path-cannot-read",
                    path = shown,
                    why = why
                )));
            }
        };
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Error::no_input(crate::tr!(
                "msg-path-is-a-folder",
                path = shown
            )));
        }
        let len = file.metadata().map_or(0, |m| m.len());
        let hashing = Hashing {
            inner: BufReader::with_capacity(1 << 16, file),
            hasher: Sha256::new(),
            progress: crate::progress::bytes(shown, len),
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(hashing);
        let headers = reader
            .headers()
            .map_err(|e| Error::from_problem(crate::error::Exit::Data, csv_problem(shown, &e)))?
            .clone();
        s.headers = Some(
            LedgerHeaders::new(shown, &headers)
                .map_err(|ps| Error::problems(crate::error::Exit::Data, &ps))?,
        );
        s.reader = Some(reader);
        Ok(s)
    }

    /// Whether the file exists (a missing file is an empty year).
    pub fn exists(&self) -> bool {
        self.reader.is_some()
    }

    /// Whether the file stores the key (format 1) rather than deriving it (format 2).
    pub fn is_format_1(&self) -> bool {
        self.headers.as_ref().is_some_and(|h| h.has("key"))
    }

    /// The extra columns this file carries, in its order.
    pub fn extra_names(&self) -> Vec<String> {
        self.headers
            .as_ref()
            .map(LedgerHeaders::extra_names)
            .unwrap_or_default()
    }

    /// Hands on only the rows of delegate `id` (every byte is still read and hashed): for a
    /// report on one delegate of a ledger already known to be clean, where building a record
    /// for every other row would be most of the work.
    pub fn only(mut self, id: &str) -> LedgerStream {
        self.only = Some(id.to_owned());
        self
    }

    /// The next record, `None` at the end.
    pub fn next_record(&mut self) -> Option<Result<Record, Problem>> {
        let reader = self.reader.as_mut()?;
        let headers = self.headers.as_ref()?;
        loop {
            match reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    let theirs = self
                        .only
                        .as_deref()
                        .is_some_and(|id| headers.get(&self.record, "delegate") != Some(id));
                    if !theirs {
                        return Some(ledger_record(&self.shown, headers, &self.record));
                    }
                }
                Err(e) => return Some(Err(csv_problem(&self.shown, &e))),
            }
        }
    }

    /// The SHA-256 of the bytes read so far (the whole file once the stream is drained).
    pub fn digest(self) -> Option<[u8; 32]> {
        self.reader.map(|r| r.into_inner().hasher.finalize().into())
    }
}

/// The records of delegate `id` at `rows` of the year file `file` (opened as `shown`), read
/// by offset with the careful reader: for a report on one delegate of a clean ledger, whose
/// rows its cache located. `None` when a row is not what the cache said (the caller reads the
/// file instead).
pub fn records_at(
    file: &File,
    shown: &str,
    rows: &[cache::RowAt],
    id: &str,
) -> Option<Vec<Record>> {
    let len = file.metadata().ok()?.len();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(scan::At::new(file, 0, len));
    let headers = LedgerHeaders::new(shown, reader.headers().ok()?).ok()?;
    let mut out = Vec::with_capacity(rows.len());
    let mut row = csv::StringRecord::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 12)
        .from_reader(scan::At::new(file, 0, len));
    for at in rows {
        let mut pos = csv::Position::new();
        pos.set_byte(at.offset).set_line(at.line);
        reader.seek_raw(io::SeekFrom::Start(at.offset), pos).ok()?;
        if !reader.read_record(&mut row).ok()? {
            return None;
        }
        let rec = ledger_record(shown, &headers, &row).ok()?;
        if rec.delegate != id || rec.date != at.date {
            return None;
        }
        out.push(rec);
    }
    Some(out)
}

/// Whether a year file is in the current format (format 2: no stored `key` column).
pub fn is_current(path: &Path, shown: &str) -> Result<bool, Error> {
    Ok(!LedgerStream::open(path, shown)?.is_format_1())
}

/// The order the ledger keeps: date, then source file and line, so it does not depend on
/// the order files were given to `import`.
pub fn ledger_order(a: &Record, b: &Record) -> Ordering {
    (a.date, &a.source, a.source_line, &a.key).cmp(&(b.date, &b.source, b.source_line, &b.key))
}

/// The lock file, made when missing; its content is never written.
fn open_lock(path: &Path) -> io::Result<File> {
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

/// Exclusive lock on `ledger/.lock` for the life of the value.
pub struct LedgerLock {
    _file: File,
}

impl LedgerLock {
    /// A reader's lock, for a command that reads several year files and must see them all
    /// before or all after an import (`check`): waits for a running import to finish.
    /// `None` when the ledger has no lock file and none can be made (a read-only copy, where
    /// nothing writes).
    pub fn shared(ledger_dir: &Path, shown_dir: &str, quiet: bool) -> Option<LedgerLock> {
        let path = ledger_dir.join(".lock");
        let file = open_lock(&path).or_else(|_| File::open(&path)).ok()?;
        if let Err(std::fs::TryLockError::WouldBlock) = file.try_lock_shared() {
            if !quiet {
                crate::error::say_err(&crate::tr!("msg-lock-wait-import", dir = shown_dir));
            }
            file.lock_shared().ok()?;
        }
        Some(LedgerLock { _file: file })
    }

    /// Waits for any other import to finish, saying so once.
    pub fn acquire(ledger_dir: &Path, shown_dir: &str, quiet: bool) -> Result<LedgerLock, Error> {
        std::fs::create_dir_all(ledger_dir).map_err(|e| {
            let why = e.to_string();
            Error::cant_create(crate::tr!("msg-cannot-create", path = shown_dir, why = why))
        })?;
        let file = open_lock(&ledger_dir.join(".lock")).map_err(|e| {
            let why = e.to_string();
            Error::cant_create(crate::tr!(
                "msg-lock-cannot-open",
                dir = shown_dir,
                why = why
            ))
        })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                if !quiet {
                    crate::error::say_err(&crate::tr!("msg-lock-wait-other", dir = shown_dir));
                }
                file.lock().map_err(|e| {
                    let why = e.to_string();
                    Error::cant_create(crate::tr!(
                        "msg-lock-cannot-lock",
                        dir = shown_dir,
                        why = why
                    ))
                })?;
            }
            Err(std::fs::TryLockError::Error(e)) => {
                let why = e.to_string();
                return Err(Error::cant_create(crate::tr!(
                    "msg-lock-cannot-lock",
                    dir = shown_dir,
                    why = why
                )));
            }
        }
        // Only a lock holder writes here, so whatever a killed import left is finished (its
        // journal was written) or removed (it was not).
        crate::fsutil::recover(ledger_dir, true).map_err(|e| {
            Error::write(
                &crate::tr!("msg-finishing-interrupted", path = shown_dir),
                &e,
            )
        })?;
        Ok(LedgerLock { _file: file })
    }
}

/// Finishes an import that was killed between renaming two year files, when no import is
/// running: reports call this so that they never read half a transaction for long. With
/// an import running, that import finishes it under its lock.
pub fn settle(ledger_dir: &Path) {
    if !crate::fsutil::has_journal(ledger_dir) {
        return;
    }
    let Ok(file) = open_lock(&ledger_dir.join(".lock")) else {
        return;
    };
    if file.try_lock().is_ok() {
        let _ = crate::fsutil::recover(ledger_dir, true);
    }
}

/// Writes a year file: the existing records merged with `new` (sorted), to a staged file.
/// The existing file is streamed through the merge; only a hand-edited file out of order is
/// read whole and sorted.
pub fn stage_year(
    staged: &mut Staged,
    target: &Path,
    shown: &str,
    mut new: Vec<Record>,
) -> Result<(), Error> {
    new.sort_by(ledger_order);
    let mut extras = LedgerStream::open(target, shown)?.extra_names();
    let mut known: std::collections::HashSet<String> = extras.iter().cloned().collect();
    for r in &new {
        for (h, _) in &r.extra {
            if known.insert(h.clone()) {
                extras.push(h.clone());
            }
        }
    }
    let mut failure: Option<MergeFailure> = None;
    let streamed = staged.write(target, |w| {
        merge_streaming(target, shown, &new, &extras, w).map_err(|f| {
            let e = io::Error::other("merge stopped");
            failure = Some(f);
            e
        })
    });
    match (streamed, failure) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(MergeFailure::OutOfOrder)) => {
            let (old, _) = read_sorted(target, shown)?;
            let merged = merge(old, new);
            staged
                .write(target, |w| write_records(w, &extras, merged.iter()))
                .map_err(|e| Error::write(shown, &e))
        }
        (Err(_), Some(MergeFailure::Bad(e))) => Err(e),
        (Err(_), Some(MergeFailure::Io(e))) | (Err(e), None) => Err(Error::write(shown, &e)),
    }
}

enum MergeFailure {
    OutOfOrder,
    Bad(Error),
    Io(io::Error),
}

fn merge_streaming(
    target: &Path,
    shown: &str,
    new: &[Record],
    extras: &[String],
    w: &mut dyn Write,
) -> Result<(), MergeFailure> {
    let mut existing = LedgerStream::open(target, shown).map_err(MergeFailure::Bad)?;
    let mut out = csv::Writer::from_writer(w);
    let io = |e: csv::Error| MergeFailure::Io(io::Error::other(e));
    out.write_record(ledger_header(extras)).map_err(io)?;
    let mut pending = new.iter().peekable();
    let mut last: Option<Record> = None;
    while let Some(next) = existing.next_record() {
        let old =
            next.map_err(|p| MergeFailure::Bad(Error::from_problem(crate::error::Exit::Data, p)))?;
        if last
            .as_ref()
            .is_some_and(|l| ledger_order(l, &old) == Ordering::Greater)
        {
            return Err(MergeFailure::OutOfOrder);
        }
        while let Some(n) = pending.next_if(|n| ledger_order(n, &old) == Ordering::Less) {
            out.write_record(ledger_row(n, extras)).map_err(io)?;
        }
        out.write_record(ledger_row(&old, extras)).map_err(io)?;
        last = Some(old);
    }
    for n in pending {
        out.write_record(ledger_row(n, extras)).map_err(io)?;
    }
    out.flush().map_err(MergeFailure::Io)
}

/// A whole year file in ledger order, with its digest: the slow path for a hand-edited file.
pub fn read_sorted(target: &Path, shown: &str) -> Result<(Vec<Record>, Option<[u8; 32]>), Error> {
    let mut existing = LedgerStream::open(target, shown)?;
    let mut old = Vec::new();
    while let Some(next) = existing.next_record() {
        old.push(next.map_err(|p| Error::from_problem(crate::error::Exit::Data, p))?);
    }
    old.sort_by(ledger_order);
    Ok((old, existing.digest()))
}

fn merge(old: Vec<Record>, new: Vec<Record>) -> Vec<Record> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    let mut a = old.into_iter().peekable();
    let mut b = new.into_iter().peekable();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => ledger_order(x, y) != Ordering::Greater,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if take_a { a.next() } else { b.next() };
        out.extend(next);
    }
    out
}

/// Finds records repeated in a year file (a row copied by hand): same key, which import
/// never writes twice. A repeat has the same date, and the ledger is in date order, so only
/// the current day's keys are kept.
#[derive(Debug, Default)]
pub struct Repeats {
    date: Option<NaiveDate>,
    keys: std::collections::HashMap<String, u64>,
    /// (line of the repeat, line of the first), in ledger order.
    pub found: Vec<(u64, u64)>,
}

impl Repeats {
    /// Whether `rec` repeats a record already seen (and is to be skipped).
    pub fn repeated(&mut self, rec: &Record) -> bool {
        if self.date != Some(rec.date) {
            self.date = Some(rec.date);
            self.keys.clear();
        }
        if rec.key.is_empty() {
            return false;
        }
        match self.keys.get(&rec.key) {
            Some(&first) => {
                self.found.push((rec.ledger_line, first));
                true
            }
            None => {
                self.keys.insert(rec.key.clone(), rec.ledger_line);
                false
            }
        }
    }
}

/// Newest date among records, for the stamp.
pub fn newest(a: Option<NaiveDate>, b: NaiveDate) -> Option<NaiveDate> {
    Some(a.map_or(b, |a| a.max(b)))
}
