//! The ledger's file format, in one place: its columns (read and written), how a row
//! becomes a record and a record a row, and the key a row carries.
//!
//! Format 2 (`id,date,delegate,activity,count,outcome,ref,note,<extra columns>,source,
//! source_line,occurrence,voided,voided_by,void_reason`) is written; format 1, with a stored
//! `key` column, is read as it is.

use crate::domain::keys::{fingerprint, fingerprint_key, id_key, occurrence};
use crate::domain::{Record, Void};
use crate::error::Problem;
use crate::input::csvfile::{MAX_CELL_BYTES, resolve_headers, too_big};
use crate::input::date::parse_date;
use crate::input::records::{RECORDS, count_expected, parse_count};
use crate::input::{ColumnSpec, col};
use sha2::{Digest, Sha256};
use std::io::{self, Write};

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

/// Columns the ledger writes for itself. An inbox column of the same name would travel
/// into the ledger as an extra and be read back as tally's own (a `key` taken for a stored
/// key, a second `source`), so it is refused at the header.
pub fn own_columns() -> impl Iterator<Item = &'static str> {
    LEDGER[RECORDS.len()..].iter().map(|c| c.name)
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
    if let Some(big) = rec.iter().find(|c| c.len() > MAX_CELL_BYTES) {
        return Err(too_big(file, line, big));
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
        let (known, extra) = resolve_headers(file, &hs, LEDGER)?;
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

pub fn ledger_header(extras: &[String]) -> Vec<String> {
    ledger_head()
        .map(str::to_owned)
        .chain(extras.iter().cloned())
        .chain(ledger_tail().map(str::to_owned))
        .collect()
}

pub fn write_records<'r>(
    w: &mut dyn Write,
    extras: &[String],
    records: impl Iterator<Item = &'r Record>,
) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(ledger_header(extras))?;
    for r in records {
        out.write_record(ledger_row(r, extras))?;
    }
    out.flush()
}

pub fn ledger_row(r: &Record, extras: &[String]) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut row = vec![
        o(&r.id),
        r.date.to_string(),
        r.delegate.clone(),
        r.activity.clone(),
        r.count.to_string(),
        o(&r.outcome),
        o(&r.reference),
        o(&r.note),
    ];
    if !extras.is_empty() {
        let by_name: std::collections::HashMap<&str, &str> = r
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        for h in extras {
            row.push(
                by_name
                    .get(h.as_str())
                    .map_or_else(String::new, |v| (*v).to_owned()),
            );
        }
    }
    row.push(r.source.clone());
    row.push(r.source_line.to_string());
    // The key is derived from the row; only a repeat's occurrence number must be kept.
    let n = occurrence(&r.key);
    row.push(if n == 1 { String::new() } else { n.to_string() });
    match &r.void {
        None => row.extend([String::new(), String::new(), String::new()]),
        Some(v) => row.extend([v.on.to_string(), v.by.clone(), v.reason.clone()]),
    }
    row
}

/// The key `records` shows and `void` takes: ten hex digits of the record's key.
pub fn short_key(key: &str) -> String {
    crate::workspace::hex_prefix(&Sha256::digest(key.as_bytes()))[..10].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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
