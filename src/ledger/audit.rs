//! The fast pass of `check` over a year file: raw CSV rows read on two cores, each row held
//! to everything `check` would say of it (the same [`validate`] the careful pass asks), and
//! every record key kept as a 64-bit hash in a sorted list, not as text in a map, so memory
//! grows by 8 bytes a record.
//!
//! It only ever says "clean": a row with anything to say about it (a problem, a warning, a
//! cell the fast reading does not take) makes the file unclean, and `check` then reads it
//! the careful way, which words every message. Two equal hashes are only a suspicion: the
//! careful pass compares the keys of those rows as text, so a collision never becomes a
//! reported repeat.

use super::format::{LedgerHeaders, ledger_record};
use super::scan::{At, iso_date, split_point};
use crate::domain::Roster;
use crate::domain::keys::fingerprint;
use crate::domain::rules::Rules;
use crate::domain::validate::{Facts, validate};
use crate::input::csvfile::MAX_CELL_BYTES;
use crate::input::date::parse_date;
use crate::input::records::parse_count;
use crate::reconcile::Claims;
use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// What the fast pass found in a year file.
pub struct Audit {
    /// Rows read (records and rows that are not, as the careful pass counts them).
    pub rows: u64,
    /// No row has anything to say about it, and no two keys share a hash.
    pub clean: bool,
    /// Hashes of keys seen more than once: the careful pass compares those keys as text.
    pub suspects: FxHashSet<u64>,
    /// What the records claim of petitions (complete only when `clean`).
    pub claims: Claims,
}

/// Gives the memory freed by the pass back to the system: what its two threads allocated
/// and freed stays in their malloc arenas otherwise, and the petitions register read next
/// would stack on it.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's own heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Below this size one core reads the file.
const SPLIT_AT: u64 = 8 << 20;

/// What a row is held against: the file's columns and the roster and rules as lookups.
struct Lookups<'a> {
    shown: &'a str,
    year: i32,
    headers: LedgerHeaders,
    cols: Cols,
    roster: &'a Roster,
    rules: &'a Rules,
}

#[derive(Clone, Copy)]
struct Cols {
    id: Option<usize>,
    date: Option<usize>,
    delegate: Option<usize>,
    activity: Option<usize>,
    count: Option<usize>,
    outcome: Option<usize>,
    reference: Option<usize>,
    note: Option<usize>,
    key: Option<usize>,
    occurrence: Option<usize>,
    voided: Option<usize>,
}

/// Reads year file `path` (shown as `shown`) on the fast path; `None` when it cannot be
/// read that way at all (the careful pass then says why).
pub fn audit(path: &Path, shown: &str, year: i32, rules: &Rules, roster: &Roster) -> Option<Audit> {
    audit_split_at(path, shown, year, rules, roster, SPLIT_AT)
}

/// [`audit`], reading on two cores from `split_at` bytes up (tests split small files).
pub fn audit_split_at(
    path: &Path,
    shown: &str,
    year: i32,
    rules: &Rules,
    roster: &Roster,
    split_at: u64,
) -> Option<Audit> {
    let file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let (headers, body, lines_before) = header(&file, shown)?;
    let index = |name: &str| headers.index(name);
    let cols = Cols {
        id: index("id"),
        date: index("date"),
        delegate: index("delegate"),
        activity: index("activity"),
        count: index("count"),
        outcome: index("outcome"),
        reference: index("ref"),
        note: index("note"),
        key: index("key"),
        occurrence: index("occurrence"),
        voided: index("voided"),
    };
    let look = Lookups {
        shown,
        year,
        headers,
        cols,
        roster,
        rules,
    };
    let split = if len >= split_at {
        split_point(&file, body, len).ok()?
    } else {
        None
    };
    let file = &file;
    let look = &look;
    let (first, second) = std::thread::scope(|s| match split {
        None => (read_range(file, body, len, look), None),
        Some(mid) => {
            let later = s.spawn(move || read_range(file, mid, len, look));
            let first = read_range(file, body, mid, look);
            (first, Some(later.join().ok().flatten()))
        }
    });
    let mut first = first?;
    // The first half's claims are moved, not copied, so the claims are held about once.
    let mut claims = std::mem::take(&mut first.claims);
    claims.shift_lines(lines_before);
    let mut rows = first.rows;
    let mut clean = first.clean;
    let mut hashes = std::mem::take(&mut first.hashes);
    let mut later_hashes = Vec::new();
    if let Some(second) = second {
        let mut second = second?;
        rows += second.rows;
        clean &= second.clean;
        // The halves are each in date order; the file is only if they meet in order.
        if second
            .first
            .is_some_and(|f| first.last.is_some_and(|l| f < l))
        {
            clean = false;
        }
        claims.append(&second.claims, lines_before + first.lines);
        later_hashes = std::mem::take(&mut second.hashes);
    }
    let suspects = repeated(&mut hashes, &mut later_hashes);
    clean &= suspects.is_empty();
    Some(Audit {
        rows,
        clean,
        suspects,
        claims,
    })
}

/// The header as the careful reader resolves it, the byte offset of the rows, and the
/// number of line ends before them.
fn header(file: &File, shown: &str) -> Option<(LedgerHeaders, u64, u64)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::new(file));
    let head = reader.headers().ok()?.clone();
    let headers = LedgerHeaders::new(shown, &head).ok()?;
    let pos = reader.position();
    Some((headers, pos.byte(), pos.line() - 1))
}

/// Hashes present more than once across two lists (each sorted here).
fn repeated(a: &mut [u64], b: &mut [u64]) -> FxHashSet<u64> {
    std::thread::scope(|s| {
        s.spawn(|| b.sort_unstable());
        a.sort_unstable();
    });
    let mut out = FxHashSet::default();
    let (mut i, mut j) = (0, 0);
    let mut last = None;
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i] <= b[j]);
        let h = if take_a {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        if last == Some(h) {
            out.insert(h);
        }
        last = Some(h);
    }
    out
}

/// What a stretch of rows showed.
struct Range {
    rows: u64,
    clean: bool,
    hashes: Vec<u64>,
    claims: Claims,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    /// Line ends in the stretch.
    lines: u64,
}

fn read_range(file: &File, start: u64, end: u64, look: &Lookups) -> Option<Range> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(BufReader::with_capacity(1 << 16, At::new(file, start, end)));
    let mut row = csv::ByteRecord::new();
    let mut out = Range {
        rows: 0,
        clean: true,
        hashes: Vec::with_capacity(usize::try_from((end - start) / 64).unwrap_or(0)),
        claims: Claims::default(),
        first: None,
        last: None,
        lines: 0,
    };
    let mut scratch = Scratch::default();
    while reader.read_byte_record(&mut row).ok()? {
        out.rows += 1;
        let line = row.position().map_or(0, csv::Position::line);
        match clean_row(&row, look, &mut scratch, &mut out, line) {
            Some(h) => out.hashes.push(h),
            None => {
                out.clean = false;
                if let Some(h) = careful_hash(&row, look) {
                    out.hashes.push(h);
                }
            }
        }
    }
    out.lines = reader.position().line() - 1;
    Some(out)
}

/// The key hash of a row the fast reading does not take, by the careful reading.
fn careful_hash(row: &csv::ByteRecord, look: &Lookups) -> Option<u64> {
    let text = csv::StringRecord::from_byte_record(row.clone()).ok()?;
    let rec = ledger_record(look.shown, &look.headers, &text).ok()?;
    Some(super::batch::key_hash(&rec.key))
}

#[derive(Default)]
struct Scratch {
    key: String,
    content: String,
}

/// The row's key hash when `check` has nothing to say of it (its claim, if any, added to
/// `out`); `None` otherwise. Cells are read as the careful reading reads them: trimmed,
/// empty as absent.
fn clean_row(
    row: &csv::ByteRecord,
    look: &Lookups,
    scratch: &mut Scratch,
    out: &mut Range,
    line: u64,
) -> Option<u64> {
    use std::fmt::Write;
    if row.len() != look.headers.width || row.iter().any(|c| c.len() > MAX_CELL_BYTES) {
        return None;
    }
    // Checked once, with every cell starting and ending on a character: then each is text
    // too (a character split by a delimiter is not, though the cells joined are).
    let text = std::str::from_utf8(row.as_slice()).ok()?;
    let whole =
        |r: std::ops::Range<usize>| text.is_char_boundary(r.start) && text.is_char_boundary(r.end);
    if !(0..row.len()).all(|i| row.range(i).is_some_and(whole)) {
        return None;
    }
    let cell = |i: Option<usize>| -> Option<&str> {
        let v = text.get(row.range(i?)?)?.trim();
        (!v.is_empty()).then_some(v)
    };
    let c = &look.cols;
    let date_text = cell(c.date).unwrap_or_default();
    let date = iso_date(date_text.as_bytes()).or_else(|| parse_date(date_text))?;
    let count = parse_count(cell(c.count).unwrap_or("1"))?;
    let voided = match cell(c.voided) {
        None => false,
        Some(on) => {
            parse_date(on)?;
            true
        }
    };
    if out.last.is_some_and(|l| date < l) {
        return None;
    }
    out.first.get_or_insert(date);
    out.last = Some(date);
    let delegate = cell(c.delegate).unwrap_or_default();
    let activity = cell(c.activity).unwrap_or_default();
    let outcome = cell(c.outcome);
    let reference = cell(c.reference);
    let facts = Facts {
        date,
        delegate,
        activity,
        outcome,
        reference,
    };
    let checked = validate(facts, look.year, look.rules, look.roster);
    if !checked.findings.is_empty() {
        return None;
    }
    let item = &look.rules.items[checked.item?];
    // The key as `ledger_record` derives it.
    let key = &mut scratch.key;
    key.clear();
    if let Some(stored) = cell(c.key) {
        key.push_str(stored);
    } else if let Some(id) = cell(c.id) {
        key.push_str("id:");
        key.push_str(id);
    } else {
        let content = &mut scratch.content;
        content.clear();
        let _ = write!(
            content,
            "{date}\u{1f}{delegate}\u{1f}{activity}\u{1f}{count}\u{1f}{}\u{1f}{}\u{1f}{}",
            outcome.unwrap_or_default(),
            reference.unwrap_or_default(),
            cell(c.note).unwrap_or_default()
        );
        let n: u64 = cell(c.occurrence).and_then(|n| n.parse().ok()).unwrap_or(1);
        let _ = write!(key, "fp:{}-{n}", fingerprint(content));
    }
    if let Some(r) = reference
        && !voided
    {
        out.claims.push(
            look.shown,
            line,
            date,
            delegate,
            &item.code,
            item.petition,
            r,
            outcome,
        );
    }
    Some(super::batch::key_hash(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::rules::{DEFAULT_RULES, parse_rules};
    use crate::ledger::scan::tests::roster;
    use crate::reconcile::Claim;

    fn careful_claims(path: &Path, rules: &Rules) -> Vec<String> {
        let mut stream = crate::ledger::LedgerStream::open(path, "l").expect("opens");
        let mut out = Vec::new();
        while let Some(next) = stream.next_record() {
            let rec = next.expect("a record");
            let role = rules
                .item_by_code(&rec.activity)
                .and_then(|i| rules.items[i].petition);
            out.extend(Claim::of("l", &rec, role).map(|c| format!("{c:?}")));
        }
        out
    }

    #[test]
    fn claims_keep_their_lines_across_the_split_and_repeats_are_suspects() {
        let rules = parse_rules("d", DEFAULT_RULES).expect("rules");
        let roster = roster();
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("2025.csv");
        let mut text = String::from(
            "id,date,delegate,activity,count,outcome,ref,note,source,source_line,occurrence,voided,voided_by,void_reason\n",
        );
        for i in 0..40 {
            let note = if i % 3 == 0 { "\"two\nlines\"" } else { "" };
            text.push_str(&format!(
                ",2025-03-{:02},D{},petition_agent,1,,P{i},{note},a.csv,{},,,,\n",
                1 + i / 4,
                1 + i % 2,
                i + 2
            ));
        }
        std::fs::write(&path, &text).expect("write");
        let expected = careful_claims(&path, &rules);
        assert_eq!(expected.len(), 40);
        for split_at in [u64::MAX, 0] {
            let a = audit_split_at(&path, "l", 2025, &rules, &roster, split_at).expect("reads");
            assert!(a.clean, "split at {split_at}");
            assert_eq!(a.rows, 40);
            let got: Vec<String> = a.claims.iter().map(|c| format!("{c:?}")).collect();
            assert_eq!(got, expected, "split at {split_at}");
        }
        // A character split by a delimiter: the cells joined are text, each cell is not.
        let mut split = text.clone().into_bytes();
        split.extend_from_slice(b",2025-12-01,D1,duty,1,,,\xE4\xB8,\xADa.csv,99,,,,\n");
        std::fs::write(&path, &split).expect("write");
        let a = audit_split_at(&path, "l", 2025, &rules, &roster, u64::MAX).expect("reads");
        assert!(
            !a.clean,
            "a cell that is not text is for the careful reading to word"
        );
        // The same row twice: not clean, and its key hash is a suspect.
        let row = ",2025-12-01,D1,duty,1,,,,a.csv,99,,,,\n";
        std::fs::write(&path, format!("{text}{row}{row}")).expect("write");
        for split_at in [u64::MAX, 0] {
            let a = audit_split_at(&path, "l", 2025, &rules, &roster, split_at).expect("reads");
            assert!(!a.clean);
            assert_eq!(a.suspects.len(), 1);
        }
    }
}
