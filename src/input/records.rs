//! Activity records as offices send them, read and checked for import. How the ledger holds
//! them is `ledger::format`'s.

use super::files::RowReader;
use super::{ColumnSpec, CsvFile, Row, col};
use crate::domain::keys::{self, Said};
use crate::domain::rules::Rules;
use crate::domain::validate;
use crate::domain::{Arrival, Record, Roster};
use crate::error::Problem;
use crate::ledger::format::own_columns;
use chrono::NaiveDate;

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
    let problems = inbox_records_each(file, roster, rules, today, |r| out.push(r.record(source)));
    (out, problems)
}

/// A record of an inbox row that passed its checks, borrowing its cells from the row, the
/// roster and the rules: import encodes each row without making a [`Record`] of it.
pub struct Inbox<'a> {
    pub id: Option<&'a str>,
    /// What it says: the delegate by roster id, the activity by item code.
    pub said: Said<'a>,
    pub source_line: u64,
    /// The re-import key.
    pub key: &'a str,
    /// For a row without id, [`keys::content`] of it, which its key is a fingerprint of.
    pub content: Option<&'a str>,
    file: &'a CsvFile,
    row: &'a Row,
}

impl<'a> Inbox<'a> {
    /// The file's extra columns with a header, and the row's cells in them.
    pub fn extras(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let (file, row) = (self.file, self.row);
        file.extra.iter().filter_map(move |&i| {
            let h = file.headers[i].trim();
            (!h.is_empty()).then(|| (h, file.cell(row, i).unwrap_or_default()))
        })
    }

    /// The record, as the ledger will hold it under the name `source`.
    pub fn record(&self, source: &str) -> Record {
        let extra = self
            .extras()
            .map(|(h, v)| (h.to_owned(), v.to_owned()))
            .collect();
        Record::arriving(
            &self.said,
            Arrival {
                id: self.id,
                extra,
                source,
                source_line: self.source_line,
                key: self.key,
            },
        )
    }
}

/// As [`inbox_records`], handing each record that passes to `each` in file order instead of
/// holding them all.
pub fn inbox_records_each(
    file: &CsvFile,
    roster: &Roster,
    rules: &Rules,
    today: NaiveDate,
    mut each: impl FnMut(&Inbox),
) -> Vec<Problem> {
    let mut r = RowReader::new(file);
    r.problems.extend(reserved_columns(file));
    // How often each fingerprint came so far: rows saying the same thing are told apart
    // by their occurrence (SPEC §6).
    let mut occurrences: rustc_hash::FxHashMap<[u8; 8], u64> = Default::default();
    let (mut key, mut content) = (String::new(), String::new());
    for row in &file.rows {
        let Some(mut rec) = inbox_record(&mut r, row, roster, rules, today) else {
            continue;
        };
        key.clear();
        match rec.id {
            Some(id) => keys::push_id_key(&mut key, id),
            None => {
                content.clear();
                keys::push_content(&mut content, &rec.said);
                let fp = keys::fingerprint_bytes(&content);
                let n = occurrences.entry(fp).and_modify(|n| *n += 1).or_insert(1);
                keys::push_fingerprint_key(&mut key, fp, *n);
            }
        }
        rec.key = &key;
        rec.content = rec.id.is_none().then_some(content.as_str());
        each(&rec);
    }
    r.problems
}

fn reserved_columns(file: &CsvFile) -> Vec<Problem> {
    file.extra
        .iter()
        .filter_map(|&i| {
            let h = file.headers[i].trim();
            own_columns()
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

fn inbox_record<'a>(
    r: &mut RowReader<'a>,
    row: &'a Row,
    roster: &'a Roster,
    rules: &'a Rules,
    today: NaiveDate,
) -> Option<Inbox<'a>> {
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
    if let (Some(d), Some(i)) = (date, delegate)
        && let Some(f) = validate::in_office(&roster.delegates[i], d)
    {
        // The cell as written: it may name the delegate by name.
        let cell = r.opt(row, "delegate").unwrap_or_default();
        r.fail(row, f.column(), f.message(), cell);
    }
    let item = activity(r, row, rules);
    let count = count(r, row);
    let outcome = item.and_then(|i| outcome(r, row, rules, i));
    let reference = r.opt(row, "ref");
    if let Some(f) = item.and_then(|i| validate::ref_required(&rules.items[i], reference)) {
        r.fail(row, f.column(), f.message(), &f.value());
    }
    if r.problems.len() > before {
        return None;
    }
    let item = &rules.items[item?];
    Some(Inbox {
        id: r.opt(row, "id"),
        said: Said {
            date: date?,
            delegate: &roster.delegates[delegate?].id,
            activity: &item.code,
            count: count?,
            outcome: outcome.or_else(|| r.opt(row, "outcome")),
            reference,
            note: r.opt(row, "note"),
        },
        source_line: row.line,
        key: "",
        content: None,
        file: r.file,
        row,
    })
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
fn outcome<'r>(r: &mut RowReader, row: &Row, rules: &'r Rules, item: usize) -> Option<&'r str> {
    let cell = r.opt(row, "outcome");
    match validate::outcome(&rules.items[item], cell) {
        Ok(o) => o,
        Err(f) => {
            r.fail(row, f.column(), f.message(), &f.value());
            None
        }
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
}
