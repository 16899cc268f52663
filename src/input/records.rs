//! Activity records: as offices send them (to import) and as the ledger holds them.

use super::date::parse_date;
use super::files::RowReader;
use super::{ColumnSpec, CsvFile, Row, col};
use crate::domain::rules::Rules;
use crate::domain::{Record, Roster, Void};
use crate::error::Problem;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

pub const RECORDS: &[ColumnSpec] = &[
    col("id", "记录编号", false),
    col("date", "日期", true),
    col("delegate", "代表", true),
    col("activity", "项目", true),
    col("count", "次数", false),
    col("outcome", "评价", false),
    col("ref", "关联编号", false),
    col("note", "备注", false),
];

/// The columns the ledger writes before any extra column: the inbox's own, in its order.
pub fn ledger_head() -> impl Iterator<Item = &'static str> {
    RECORDS.iter().map(|c| c.name)
}

/// The columns the ledger writes after the extras (format 2: the key is derived, so format
/// 1's `key` column is read but not written; a void is recorded in the row).
pub fn ledger_tail() -> impl Iterator<Item = &'static str> {
    LEDGER[RECORDS.len()..]
        .iter()
        .map(|c| c.name)
        .filter(|name| *name != "key")
}

/// The ledger's columns as read: format 2, and format 1's `key`.
pub const LEDGER: &[ColumnSpec] = &[
    col("id", "记录编号", false),
    col("date", "日期", true),
    col("delegate", "代表", true),
    col("activity", "项目", true),
    col("count", "次数", true),
    col("outcome", "评价", false),
    col("ref", "关联编号", false),
    col("note", "备注", false),
    col("source", "source", true),
    col("source_line", "source_line", true),
    col("key", "key", false),
    col("occurrence", "occurrence", false),
    col("voided", "voided", false),
    col("voided_by", "voided_by", false),
    col("void_reason", "void_reason", false),
];

/// The earliest date a record may carry; anything before is a typo.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

/// Checks every row of an inbox file; `source` is how the ledger will name the file.
pub fn inbox_records(
    file: &CsvFile,
    source: &str,
    roster: &Roster,
    rules: &Rules,
    today: NaiveDate,
) -> (Vec<Record>, Vec<Problem>) {
    let mut out = Vec::new();
    let problems = inbox_records_each(file, source, roster, rules, today, |r| out.push(r));
    (out, problems)
}

/// As [`inbox_records`], handing each record that passes to `each` in file order instead of
/// holding them all.
pub fn inbox_records_each(
    file: &CsvFile,
    source: &str,
    roster: &Roster,
    rules: &Rules,
    today: NaiveDate,
    mut each: impl FnMut(Record),
) -> Vec<Problem> {
    let mut r = RowReader::new(file);
    r.problems.extend(reserved_columns(file));
    let mut occurrences: rustc_hash::FxHashMap<String, u32> = Default::default();
    for row in &file.rows {
        let Some(mut rec) = inbox_record(&mut r, row, roster, rules, today) else {
            continue;
        };
        rec.source = source.to_owned();
        rec.key = match &rec.id {
            Some(id) => id_key(id),
            None => {
                let fp = fingerprint(&rec.content());
                let n = match occurrences.get_mut(&fp) {
                    Some(n) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        occurrences.insert(fp.clone(), 1);
                        1
                    }
                };
                fingerprint_key(&fp, u64::from(n))
            }
        };
        each(rec);
    }
    r.problems
}

/// Columns the ledger writes for itself. An inbox column of the same name would travel
/// into the ledger as an extra and be read back as tally's own (a `key` taken for a stored
/// key, a second `source`), so it is refused at the header.
const LEDGER_OWN: [&str; 7] = [
    "key",
    "source",
    "source_line",
    "occurrence",
    "voided",
    "voided_by",
    "void_reason",
];

fn reserved_columns(file: &CsvFile) -> Vec<Problem> {
    file.extra
        .iter()
        .filter_map(|&i| {
            let h = file.headers[i].trim();
            LEDGER_OWN
                .iter()
                .any(|own| own.eq_ignore_ascii_case(h))
                .then(|| {
                    let p = Problem::new(
                        file.file.clone(),
                        crate::tr!("msg-reserved-column", column = h),
                    )
                    .line(file.header_line)
                    .column(h)
                    .value(h);
                    match file.sheet {
                        Some(_) => p.at(format!("row {}", file.header_line)),
                        None => p,
                    }
                })
        })
        .collect()
}

fn id_key(id: &str) -> String {
    format!("id:{id}")
}

pub fn fingerprint_key(fp: &str, occurrence: u64) -> String {
    format!("fp:{fp}-{occurrence}")
}

/// The occurrence number a key carries (`fp:…-2` → 2); 1 for ids.
pub fn occurrence(key: &str) -> u64 {
    key.strip_prefix("fp:")
        .and_then(|k| k.rsplit_once('-'))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1)
}

/// A ledger row's key: written in format 1, derived in format 2.
fn ledger_key(stored: Option<&str>, rec: &Record, occurrence: Option<&str>) -> String {
    if let Some(k) = stored {
        return k.to_owned();
    }
    match &rec.id {
        Some(id) => id_key(id),
        None => {
            let n = occurrence.and_then(|n| n.parse().ok()).unwrap_or(1);
            fingerprint_key(&fingerprint(&rec.content()), n)
        }
    }
}

pub fn fingerprint(content: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(content.as_bytes());
    let mut out = String::with_capacity(16);
    for b in &digest[..8] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

fn inbox_record<'a>(
    r: &mut RowReader<'a>,
    row: &'a Row,
    roster: &Roster,
    rules: &Rules,
    today: NaiveDate,
) -> Option<Record> {
    let before = r.problems.len();
    let date = r.date(row, "date", true);
    if let Some(d) = date
        && (d < earliest_date() || d > today)
    {
        let why = crate::tr!(
            "msg-date-out-of-range",
            earliest = earliest_date(),
            today = today
        );
        r.fail(row, "date", why, &d.to_string());
    }
    let delegate = r.delegate(row, "delegate", roster);
    if let (Some(d), Some(i)) = (date, delegate) {
        let del = &roster.delegates[i];
        if !del.in_office_on(d) {
            let term = term_text(del.joined, del.left);
            let cell = r.opt(row, "delegate").unwrap_or_default();
            r.fail(
                row,
                "delegate",
                crate::tr!(
                    "msg-not-in-office",
                    delegate = &del.id,
                    name = &del.name,
                    date = d,
                    term = term
                ),
                cell,
            );
        }
    }
    let item = activity(r, row, rules);
    let count = count(r, row);
    let outcome = item.and_then(|i| outcome(r, row, rules, i));
    let reference = r.opt(row, "ref").map(str::to_owned);
    if let Some(i) = item
        && rules.items[i].requires_ref
        && reference.is_none()
    {
        let msg = crate::tr!("msg-ref-required", item = &rules.items[i].code);
        r.fail(row, "ref", msg, "");
    }
    if r.problems.len() > before {
        return None;
    }
    let item = &rules.items[item?];
    Some(Record {
        id: r.opt(row, "id").map(str::to_owned),
        date: date?,
        delegate: roster.delegates[delegate?].id.clone(),
        activity: item.code.clone(),
        count: count?,
        outcome: outcome.or_else(|| r.opt(row, "outcome").map(str::to_owned)),
        reference,
        note: r.opt(row, "note").map(str::to_owned),
        extra: r.extras(row),
        source: String::new(),
        source_line: row.line,
        ledger_line: 0,
        key: String::new(),
        void: None,
    })
}

fn term_text(joined: Option<NaiveDate>, left: Option<NaiveDate>) -> String {
    match (joined, left) {
        (Some(j), Some(l)) => crate::tr!("term-in-office-from-to", from = j, to = l),
        (Some(j), None) => crate::tr!("term-joined", date = j),
        (None, Some(l)) => crate::tr!("term-left", date = l),
        (None, None) => crate::tr!("term-in-office"),
    }
}

fn activity<'a>(r: &mut RowReader<'a>, row: &'a Row, rules: &Rules) -> Option<usize> {
    let v = r.text(row, "activity")?;
    let item = rules.item_for(v);
    if item.is_none() {
        r.fail(row, "activity", crate::tr!("msg-unknown-activity"), v);
    }
    item
}

fn count(r: &mut RowReader, row: &Row) -> Option<u64> {
    let Some(v) = r.opt(row, "count") else {
        return Some(1);
    };
    let n = parse_count(v);
    if n.is_none() {
        r.fail(row, "count", count_expected(), v);
    }
    n
}

/// The most units one record may count: more is a typo, and it keeps every sum of points
/// far inside what a decimal holds.
pub const MAX_COUNT: u64 = 10_000;

/// What a count must be, for messages, in the run's language.
pub fn count_expected() -> String {
    crate::tr!("msg-bad-count", max = MAX_COUNT)
}

/// A count: digits only (`+3`, `1_000`, `1e3` refused), 1 to [`MAX_COUNT`]. Spreadsheets
/// may write a whole number as `2.0`; `1.5` is still refused.
pub fn parse_count(text: &str) -> Option<u64> {
    let v = text.trim();
    let whole = v
        .strip_suffix(".0")
        .or_else(|| v.strip_suffix(".00"))
        .unwrap_or(v);
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    whole
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=MAX_COUNT).contains(n))
}

/// The outcome id for items scored by outcome; `None` (no problem) for other items.
fn outcome(r: &mut RowReader, row: &Row, rules: &Rules, item: usize) -> Option<String> {
    let item = &rules.items[item];
    if !item.by_outcome() {
        return None;
    }
    let expected = || {
        let crate::domain::rules::Scoring::ByOutcome { points, .. } = &item.scoring else {
            return String::new();
        };
        points
            .iter()
            .map(|(o, _)| o.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match r.opt(row, "outcome") {
        None => {
            let msg = crate::tr!(
                "msg-outcome-required",
                item = &item.code,
                expected = expected()
            );
            r.fail(row, "outcome", msg, "");
            None
        }
        Some(v) => {
            let o = item.outcome_for(v).map(str::to_owned);
            if o.is_none() {
                let msg = crate::tr!(
                    "msg-outcome-unknown",
                    item = &item.code,
                    expected = expected()
                );
                r.fail(row, "outcome", msg, v);
            }
            o
        }
    }
}

/// Reads one ledger row; the ledger is tally's own output, so problems mean hand edits.
pub fn ledger_record(
    file: &str,
    headers: &LedgerHeaders,
    rec: &csv::StringRecord,
) -> Result<Record, Problem> {
    let line = rec.position().map_or(0, |p| p.line());
    let cell = |name: &str| headers.get(rec, name);
    let bad = |column: &str, message: &str, value: &str| {
        Problem::new(file, message)
            .line(line)
            .column(column)
            .value(value)
    };
    if rec.len() != headers.width {
        // A row cut short (a crash of another program, a hand edit) would lose its source
        // and count again on re-import.
        return Err(Problem::new(
            file,
            crate::tr!(
                "msg-ledger-row-width",
                found = rec.len(),
                width = headers.width
            ),
        )
        .line(line));
    }
    let date_text = cell("date").unwrap_or_default();
    let date =
        parse_date(date_text).ok_or_else(|| bad("date", &crate::tr!("msg-bad-date"), date_text))?;
    if let Some(big) = rec
        .iter()
        .find(|c| c.len() > super::csvfile::MAX_CELL_BYTES)
    {
        return Err(super::csvfile::too_big(file, line, big));
    }
    let count_text = cell("count").unwrap_or("1");
    // The same limit as import: a hand-edited huge count would overflow the sums of points.
    let count =
        parse_count(count_text).ok_or_else(|| bad("count", &count_expected(), count_text))?;
    let source_line = cell("source_line")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let owned = |name: &str| cell(name).map(str::to_owned);
    let void = match cell("voided") {
        None => None,
        Some(on) => Some(Void {
            on: parse_date(on).ok_or_else(|| bad("voided", &crate::tr!("msg-not-a-date"), on))?,
            by: owned("voided_by").unwrap_or_default(),
            reason: owned("void_reason").unwrap_or_default(),
        }),
    };
    let mut record = Record {
        id: owned("id"),
        date,
        delegate: owned("delegate").unwrap_or_default(),
        activity: owned("activity").unwrap_or_default(),
        count,
        outcome: owned("outcome"),
        reference: owned("ref"),
        note: owned("note"),
        extra: headers
            .extra
            .iter()
            .map(|&(i, ref h)| (h.clone(), rec.get(i).unwrap_or_default().to_owned()))
            .collect(),
        source: owned("source").unwrap_or_default(),
        source_line,
        ledger_line: line,
        key: String::new(),
        void,
    };
    record.key = ledger_key(cell("key"), &record, cell("occurrence"));
    Ok(record)
}

/// Where each column sits in a ledger file's header.
#[derive(Debug, Clone)]
pub struct LedgerHeaders {
    /// Looked up for every cell of every row: a fast hash, not SipHash.
    known: rustc_hash::FxHashMap<&'static str, usize>,
    pub extra: Vec<(usize, String)>,
    /// How many columns the header names: every row has as many.
    pub width: usize,
}

impl LedgerHeaders {
    pub fn new(file: &str, headers: &csv::StringRecord) -> Result<LedgerHeaders, Vec<Problem>> {
        let hs: Vec<String> = headers.iter().map(str::to_owned).collect();
        let (known, extra) = super::csvfile::resolve_headers(file, &hs, LEDGER)?;
        let extra = extra.into_iter().map(|i| (i, hs[i].clone())).collect();
        let known = known.into_iter().collect();
        Ok(LedgerHeaders {
            known,
            extra,
            width: hs.len(),
        })
    }

    pub fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        let i = *self.known.get(name)?;
        rec.get(i).map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn has(&self, name: &str) -> bool {
        self.known.contains_key(name)
    }

    /// Where a known column sits in the row.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.known.get(name).copied()
    }

    pub fn extra_names(&self) -> Vec<String> {
        self.extra.iter().map(|(_, h)| h.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_plain_whole_numbers_from_1_to_10000() {
        for (text, n) in [
            ("1", Some(1)),
            ("10000", Some(10_000)),
            ("2.0", Some(2)),
            (" 3 ", Some(3)),
        ] {
            assert_eq!(parse_count(text), n, "{text}");
        }
        for bad in [
            "0",
            "10001",
            "1.5",
            "+-5",
            "+5",
            "-1",
            "1_000",
            "1e3",
            "",
            "99999999999999999999",
            "１",
        ] {
            assert_eq!(parse_count(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_ledger_count_over_the_limit_is_a_located_problem() {
        let text = "id,date,delegate,activity,count,outcome,ref,note,source,source_line,key\n\
                    ,2025-03-01,D001,duty,99999999999999999999,,,,a.csv,2,k\n";
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = LedgerHeaders::new("2025.csv", reader.headers().expect("header"))
            .expect("ledger header");
        let rec = reader.records().next().expect("a row").expect("csv");
        let p = ledger_record("2025.csv", &headers, &rec).expect_err("huge count");
        assert_eq!(
            p.to_string(),
            "2025.csv:2: count: not a whole number from 1 to 10000 (99999999999999999999)"
        );
    }
}
