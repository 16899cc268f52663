//! Excel workbooks: one sheet per studio (quarter) or per table, numbers as numbers, the
//! header row frozen, and an `about` sheet with the stamp and the summary.

use super::{Report, Table, Value, spreadsheet_safe, stamp_pairs};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::HashSet;
use std::io::{self, Write};

pub fn render(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let bytes = workbook(report).map_err(io::Error::other)?;
    w.write_all(&bytes)
}

fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let mut names = HashSet::new();
    for t in &report.tables {
        let per_section = t.sections.len() > 1;
        if per_section {
            for s in &t.sections {
                let title = s.title.clone().unwrap_or_else(|| t.key.clone());
                let sheet = book.add_worksheet();
                sheet.set_name(sheet_name(&title, &mut names))?;
                fill(sheet, t, s.rows.iter())?;
            }
        } else {
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(t.title.as_deref().unwrap_or(&t.key), &mut names))?;
            fill(sheet, t, t.sections.iter().flat_map(|s| s.rows.iter()))?;
        }
    }
    let about = book.add_worksheet();
    about.set_name(sheet_name("about", &mut names))?;
    let pairs = stamp_pairs(report)
        .into_iter()
        .chain(report.summary.iter().cloned());
    for (r, (k, v)) in pairs.enumerate() {
        about.write_string(r as u32, 0, spreadsheet_safe(&k))?;
        cell(about, r as u32, 1, &v)?;
    }
    book.save_to_buffer()
}

fn fill<'a>(
    sheet: &mut Worksheet,
    t: &Table,
    rows: impl Iterator<Item = &'a Vec<Value>>,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, col) in t.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, spreadsheet_safe(&col.key), &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in rows.enumerate() {
        for (c, v) in row.iter().enumerate() {
            cell(sheet, r as u32 + 1, c as u16, v)?;
        }
    }
    Ok(())
}

fn cell(sheet: &mut Worksheet, r: u32, c: u16, v: &Value) -> Result<(), XlsxError> {
    match v {
        Value::Text(s) => {
            sheet.write_string(r, c, fit_cell(spreadsheet_safe(s)))?;
        }
        Value::Num(d) => {
            sheet.write_number(r, c, d.to_f64().unwrap_or_default())?;
        }
        Value::Int(i) => {
            sheet.write_number(r, c, *i as f64)?;
        }
        Value::Rate(d) => {
            let pct = Format::new().set_num_format("0.0%");
            sheet.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), &pct)?;
        }
        Value::Coded(..) => {
            sheet.write_string(r, c, v.human())?;
        }
        Value::Empty => {}
    }
    Ok(())
}

/// Excel sheet names: 1–31 UTF-16 units, none of `[]:*?/\`, no apostrophe first or last,
/// no control character (workbook.xml could not hold it), not Excel's reserved `History`,
/// unique in the workbook ignoring case.
fn sheet_name(title: &str, taken: &mut HashSet<String>) -> String {
    taken.insert("history".to_owned());
    let clean: String = title
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let base = match fit(&clean, 31) {
        b if b.is_empty() => "sheet".to_owned(),
        b => b,
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = fit(&base, 31 - suffix.len()) + &suffix;
        n += 1;
    }
    name
}

/// At most `room` UTF-16 units (as Excel counts), without apostrophes or spaces at either end.
fn fit(s: &str, room: usize) -> String {
    let edge = |c: char| c == '\'' || c.is_whitespace();
    let mut out = String::new();
    let mut used = 0;
    for c in s.trim_matches(edge).chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.trim_end_matches(edge).to_owned()
}

/// Excel holds at most 32,767 UTF-16 units in a cell; a longer text is cut, not an error.
fn fit_cell(s: String) -> String {
    const MAX: usize = 32_767;
    if s.len() <= MAX {
        return s;
    }
    let mut used = 0;
    s.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= MAX
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name("A/B:C", &mut taken), "A_B_C (2)");
        let long = "中".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        // Equal after truncation: the second gets a number and still fits.
        let second = sheet_name(&("中".repeat(31) + "二"), &mut taken);
        assert_eq!(second, "中".repeat(27) + " (2)");
        // Astral characters are two UTF-16 units each, as Excel counts.
        assert_eq!(sheet_name(&"𠀀".repeat(20), &mut taken), "𠀀".repeat(15));
        assert_eq!(sheet_name("'quoted'", &mut taken), "quoted");
        assert_eq!(
            sheet_name(&("a".repeat(30) + "'b"), &mut taken),
            "a".repeat(30)
        );
        assert_eq!(sheet_name("\u{1b}]0;x\u{7}", &mut taken), "__0;x_");
        assert_eq!(sheet_name("History", &mut taken), "History (2)");
        assert_eq!(sheet_name("''", &mut taken), "sheet");
        for name in &taken {
            rust_xlsxwriter::utility::check_sheet_name(name).expect("a legal sheet name");
        }
    }

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        let cut = fit_cell("中".repeat(40_000));
        assert_eq!(cut.chars().count(), 32_767);
        assert_eq!(fit_cell("x".to_owned()), "x");
    }
}
