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
        sheet.write_string_with_format(0, c as u16, &col.key, &bold)?;
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
            sheet.write_string(r, c, spreadsheet_safe(s))?;
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
        Value::Empty => {}
    }
    Ok(())
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique in the workbook.
fn sheet_name(title: &str, taken: &mut HashSet<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_owned();
    let base: String = clean.chars().take(31).collect();
    let base = if base.is_empty() {
        "sheet".to_owned()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    name
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
    }
}
