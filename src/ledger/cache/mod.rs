//! A derived binary copy of what reports read of a year file, kept beside it as
//! `ledger/.<year>.rows`, so that `quarter`, `annual`, `obligations` and `explain` read no
//! CSV while the ledger is unchanged. The CSV stays the record: the cache is rebuilt from it,
//! never the other way, and a cache that does not match the file is simply not used.
//!
//! **What it holds.** A header: magic, format version, the cycle's year, the version of the
//! year file it was made from (length, modification time in ns, inode, and a SHA-256 of its
//! first and last 64 KiB, so that an edit in place inside one clock tick is still caught),
//! whether the file is clean, the row count, the newest date, checksums, and string tables of
//! the distinct delegate ids, item codes and outcomes met. Then, all small:
//! - by month, the index of its first row and a checksum of its rows (a clean file is in date
//!   order, so a month's rows are one stretch);
//! - by delegate, where its picks start and their checksum;
//! - the **sums**: the units of the counted rows by delegate, item, month and outcome (16
//!   bytes each, sorted so), marked where a row's count is not a whole count as tally writes
//!   it.
//!
//! Then, large: one 8-byte row per ledger row, in ledger order — day of year (bit 15:
//! voided), count (0: not a whole count), delegate, item and outcome as table indices — and
//! one 16-byte **pick** per row, grouped by delegate in ledger order: the row's byte offset
//! and line in the CSV, its day and its delegate (for `explain`, which reads its delegate's
//! records from the CSV by offset).
//!
//! **What "clean" means.** Only a file that passes every check of the fast CSV read
//! ([`super::scan`]) that does not depend on rules or roster — date order, ISO dates in the
//! year, row widths, no row repeated on a date, voided cells as tally writes them — is
//! cached with its rows. Any other file gets a header alone saying so, and reports go
//! straight to the careful path. The checks that depend on rules and roster are made when
//! reading, through the string tables (an unknown delegate, item or outcome of a counted
//! row, or a count that is not whole, is an [`Anomaly`](super::scan::Anomaly)), exactly where the CSV fast path
//! makes them, so both give the same figures and the careful path words any problem.
//!
//! **How it is read** ([`read`]). A report scores the sums of every month its period
//! covers whole, and reads rows only for a month it covers in part (obligations as of a
//! day) — a table of the size of the roster, whatever the size of the ledger. An item whose
//! points may be negative and that has a cap must be scored event by event in ledger order:
//! then every row is read, as before the sums. `explain` proves the ledger clean for its
//! rules and roster by the same sums and reads its delegate's picks.
//!
//! **When it is written** ([`build`]). By `import` and `void` after they commit a year file,
//! under their lock; by a report that finds no cache for the file (the first report after a
//! hand edit, or in a copied workspace), in place of the CSV fast read. Written to a
//! temporary file and renamed; a ledger folder that cannot be written goes without it,
//! silently.
//!
//! **When it is used.** When its header matches the open year file (the same handle every
//! later read goes through, so an import renaming a new file in meanwhile cannot mix two
//! versions) and the checksum of the small parts holds; the rows and picks read are checked
//! by their own checksums. Otherwise it is ignored, and a report builds a new one.
//! `TALLY_LEDGER_CACHE=off` turns it off (reports then read the CSV).

mod build;
mod read;
#[cfg(test)]
mod tests;

pub use build::{Built, build, refresh};
pub use read::{RowAt, rows_of, score};

use super::scan::At;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"TALLYROW";
/// Bumped whenever the layout changes: a cache of another version is rebuilt.
const VERSION: u32 = 2;
const ROW: u64 = 8;
const PICK: u64 = 16;
const SUM: u64 = 16;
/// A delegate's first pick and its picks' checksum.
const START: u64 = 16;
/// Each month's first row (and the end of the rows), then each month's checksum.
const MONTHS_LEN: u64 = 13 * 8 + 12 * 8;
/// Bytes hashed at each end of the year file for its version.
const EDGE: u64 = 64 << 10;
/// Where the rows' checksum, the number of sums and the small parts' checksum sit in the
/// header, written last.
const CHECK_AT: u64 = 104;
const SUMS_AT: u64 = 112;
const META_AT: u64 = 120;
const FIXED: usize = 128;
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

/// Where each month's rows start (index 12: the end of the rows) and their checksums.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Months {
    first: [u64; 13],
    check: [u64; 12],
}

impl Months {
    fn to_bytes(&self) -> Vec<u8> {
        self.first
            .iter()
            .chain(self.check.iter())
            .flat_map(|n| n.to_le_bytes())
            .collect()
    }

    fn from_bytes(b: &[u8]) -> Months {
        let mut m = Months::default();
        for (i, w) in b.chunks_exact(8).take(25).enumerate() {
            match i {
                0..13 => m.first[i] = le_u64(w),
                _ => m.check[i - 13] = le_u64(w),
            }
        }
        m
    }
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
    months: Months,
    /// By table delegate: its first pick and its picks' checksum.
    starts: Vec<(u64, u64)>,
    /// The small parts as stored; the sums from `sums_from` on.
    meta: Vec<u8>,
    sums_from: usize,
}

impl Cache {
    /// Whether the year file passed every check that does not depend on rules or roster.
    pub fn clean(&self) -> bool {
        self.clean
    }

    pub fn newest(&self) -> Option<NaiveDate> {
        self.newest
    }

    fn picks_at(&self) -> u64 {
        self.rows_at + self.rows * ROW
    }

    /// The picks of table delegate `d`: `[from, to)`.
    fn picks_of(&self, d: usize) -> Option<(u64, u64, u64)> {
        let (from, check) = *self.starts.get(d)?;
        let to = self.starts.get(d + 1).map_or(self.rows, |s| s.0);
        (from <= to && to <= self.rows).then_some((from, to, check))
    }

    /// Removes a cache found damaged: the next report builds it again.
    fn drop_damaged(&self) {
        let _ = std::fs::remove_file(&self.path);
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

/// The checksum's term for the 8 bytes `word` at `index` (the sum of all terms, in any
/// order, is a checksum).
fn mix(word: u64, index: u64) -> u64 {
    let x = word ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let x = (x ^ (x >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// The checksum of runs of bytes, each read 8 at a time (a short last word padded with
/// zeros): any change of one word changes it (each word is multiplied by an odd number, its
/// own).
fn words_check(parts: &[&[u8]]) -> u64 {
    let mut sum = 0u64;
    let mut factor = 0x9E37_79B9_7F4A_7C15u64;
    for w in parts.iter().flat_map(|p| p.chunks(8)) {
        let mut a = [0u8; 8];
        a[..w.len()].copy_from_slice(w);
        sum = sum.wrapping_add(u64::from_le_bytes(a).wrapping_mul(factor));
        factor = factor.wrapping_add(0xD1B5_4A32_D192_ED03) | 1;
    }
    sum
}

/// The checksum of every small part: the header but its two checksums, the string tables,
/// and months, starts and sums (`meta`). Any damage to what a report reads without reading
/// rows is caught when the cache is opened.
fn small_parts_check(head: &[u8], tables: &[u8], meta: &[u8]) -> u64 {
    let (c, s, m) = (CHECK_AT as usize, SUMS_AT as usize, META_AT as usize);
    words_check(&[&head[..c], &head[s..m], tables, meta])
}

/// The checksum term of the pick at `index` among its delegate's.
fn pick_term(pick: &[u8], index: u64) -> u64 {
    mix(le_u64(pick) ^ le_u64(&pick[8..]).rotate_left(29), index)
}

/// The cache of `csv` (opened from `path`) for the cycle `year`, when there is one made from
/// this very version of the file and its small parts are whole.
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
    let rows = le_u64(&head[88..]);
    let newest = match le_u16(&head[96..]) {
        0 => None,
        d => Some(date_of(year, d)?),
    };
    let n_sums = le_u64(&head[SUMS_AT as usize..]);
    let mut at = FIXED as u64;
    let mut tables = Vec::with_capacity(3);
    for _ in 0..3 {
        let (table, len) = read_table(&mut reader)?;
        at += len;
        tables.push(table);
    }
    let outcomes = tables.pop()?;
    let items = tables.pop()?;
    let delegates = tables.pop()?;
    if items.len() > 256 || outcomes.len() > 256 || delegates.len() > 1 << 16 {
        return None;
    }
    let small = MONTHS_LEN + delegates.len() as u64 * START + n_sums.checked_mul(SUM)?;
    // A cache cut short, or with bytes after its end, is not this file's.
    let end = rows
        .checked_mul(ROW + PICK)?
        .checked_add(at)?
        .checked_add(small)?;
    if end != cache_len {
        return None;
    }
    let mut meta = vec![0u8; usize::try_from(small).ok()?];
    reader.read_exact(&mut meta).ok()?;
    let mut tables = Vec::with_capacity(usize::try_from(at).ok()? - FIXED);
    At::new(&file, FIXED as u64, at)
        .read_to_end(&mut tables)
        .ok()?;
    if small_parts_check(&head, &tables, &meta) != le_u64(&head[META_AT as usize..]) {
        return None;
    }
    let sums_from = MONTHS_LEN as usize + delegates.len() * START as usize;
    let months = Months::from_bytes(&meta[..MONTHS_LEN as usize]);
    let starts = meta[MONTHS_LEN as usize..sums_from]
        .chunks_exact(START as usize)
        .map(|s| (le_u64(s), le_u64(&s[8..])))
        .collect();
    Some(Cache {
        path: cache,
        file,
        clean: head[80] == 1,
        rows,
        rows_at: at + small,
        check: le_u64(&head[CHECK_AT as usize..]),
        year,
        newest,
        delegates,
        items,
        outcomes,
        months,
        starts,
        meta,
        sums_from,
    })
}

/// One string table: its strings and the bytes it took.
fn read_table(reader: &mut impl Read) -> Option<(Vec<Vec<u8>>, u64)> {
    let mut n = [0u8; 4];
    reader.read_exact(&mut n).ok()?;
    let mut taken = 4;
    let n = le_u32(&n);
    let mut out = Vec::with_capacity(n.min(1 << 16) as usize);
    for _ in 0..n {
        let mut len = [0u8; 2];
        reader.read_exact(&mut len).ok()?;
        let mut s = vec![0u8; usize::from(le_u16(&len))];
        reader.read_exact(&mut s).ok()?;
        taken += 2 + s.len() as u64;
        out.push(s);
    }
    Some((out, taken))
}
