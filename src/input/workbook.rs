//! Reading a workbook sheet (`.xlsx`, `.xls`, `.ods`, with calamine) as the rows a CSV file
//! gives, so that the same header matching and validation apply. A cell becomes the text a
//! clerk sees, except that a date cell is an ISO date whatever its display format, a whole
//! number is written without `.0`, and a formula gives its saved value (never evaluated).

use super::ColumnSpec;
use super::csvfile::{CsvFile, MAX_CELL_BYTES, Row, SheetPlace, too_big};
use crate::error::{Error, Problem};
use calamine::{Data, Ods, Range, Reader, Sheets, Xls, Xlsx};
use std::io::Cursor;
use std::path::Path;

/// The workbook kinds read, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xls,
    Ods,
}

/// The kind of workbook `path` names by its extension, `None` for anything else (CSV).
pub fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" => Some(Kind::Xlsx),
        "xls" => Some(Kind::Xls),
        "ods" => Some(Kind::Ods),
        _ => None,
    }
}

/// Reads sheet `sheet` (the first when `None`) of the workbook in `bytes`. A workbook that
/// cannot be opened, or a sheet it does not have, is exit 66 in one line; header and row
/// problems come back as a list, as a CSV file's do.
pub fn read(
    kind: Kind,
    bytes: Vec<u8>,
    shown: &str,
    sheet: Option<&str>,
    schema: &[ColumnSpec],
) -> Result<Result<CsvFile, Vec<Problem>>, Error> {
    let mut book = open(kind, bytes, shown)?;
    let names = book.sheet_names();
    let name = choose(&names, sheet, shown)?;
    let file = format!("{shown} [{name}]");
    let range = book
        .worksheet_range(&name)
        .map_err(|e| unreadable(shown, &e.to_string()))?;
    // Formulas only matter where a cell has no saved value (a file written by a program
    // that does not calculate): the formula's text then stands for the cell, as text.
    let formulas = book.worksheet_formula(&name).ok();
    let Some((first_row, first_col)) = range.start() else {
        let others: Vec<&str> = names
            .iter()
            .filter(|n| **n != name)
            .map(String::as_str)
            .collect();
        let message = if others.is_empty() {
            crate::tr!("msg-sheet-empty")
        } else {
            let others = others.join(&crate::tr!("list-separator"));
            crate::tr!("msg-sheet-empty-others", others = others)
        };
        return Ok(Err(vec![Problem::new(file, message).at("row 1")]));
    };
    let mut rows = Vec::with_capacity(range.height());
    for (i, cells) in range.rows().enumerate() {
        let r = first_row + i as u32;
        let line = u64::from(r) + 1;
        let mut texts = Vec::with_capacity(cells.len());
        for (j, cell) in cells.iter().enumerate() {
            let c = first_col + j as u32;
            let mut text = cell_text(cell);
            if text.is_empty()
                && let Some(f) = formula_at(formulas.as_ref(), r, c)
            {
                text = format!("={f}");
            }
            if text.len() > MAX_CELL_BYTES {
                return Ok(Err(vec![
                    too_big(&file, line, &text)
                        .at(format!("{}{line}", super::csvfile::column_letters(c))),
                ]));
            }
            texts.push(text);
        }
        rows.push(Row::new(line, texts.iter().map(String::as_str)));
    }
    Ok(CsvFile::from_rows(
        &file,
        rows,
        schema,
        Some(SheetPlace { first_col }),
    ))
}

fn open(kind: Kind, bytes: Vec<u8>, shown: &str) -> Result<Sheets<Cursor<Vec<u8>>>, Error> {
    let cursor = Cursor::new(bytes);
    let opened = match kind {
        Kind::Xlsx => Xlsx::new(cursor).map(Sheets::Xlsx).map_err(|e| {
            let locked = matches!(e, calamine::XlsxError::Password);
            (locked, e.to_string())
        }),
        Kind::Xls => Xls::new(cursor).map(Sheets::Xls).map_err(|e| {
            let locked = matches!(e, calamine::XlsError::Password);
            (locked, e.to_string())
        }),
        Kind::Ods => Ods::new(cursor).map(Sheets::Ods).map_err(|e| {
            let locked = matches!(e, calamine::OdsError::Password);
            (locked, e.to_string())
        }),
    };
    opened.map_err(|(locked, why)| {
        if locked {
            Error::no_input(crate::tr!("msg-workbook-password", path = shown))
        } else {
            unreadable(shown, &why)
        }
    })
}

fn unreadable(shown: &str, why: &str) -> Error {
    let why: String = crate::error::one_line(why);
    Error::no_input(crate::tr!(
        "msg-workbook-unreadable",
        path = shown,
        why = why
    ))
}

/// The sheet to read: the one named (exactly, else ignoring case and spaces), or the first.
fn choose(names: &[String], sheet: Option<&str>, shown: &str) -> Result<String, Error> {
    let Some(wanted) = sheet else {
        return names
            .first()
            .cloned()
            .ok_or_else(|| Error::no_input(crate::tr!("msg-workbook-no-sheets", path = shown)));
    };
    let loose = |s: &str| s.trim().to_lowercase();
    names
        .iter()
        .find(|n| n.as_str() == wanted)
        .or_else(|| names.iter().find(|n| loose(n) == loose(wanted)))
        .cloned()
        .ok_or_else(|| {
            Error::no_input(crate::tr!(
                "msg-workbook-no-such-sheet",
                path = shown,
                sheet = crate::error::one_line(wanted),
                sheets = names.join(&crate::tr!("list-separator"))
            ))
        })
}

fn formula_at(formulas: Option<&Range<String>>, row: u32, col: u32) -> Option<&str> {
    formulas?
        .get_value((row, col))
        .map(String::as_str)
        .filter(|f| !f.trim().is_empty())
}

/// The text of a cell as validation reads it.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) if dt.is_duration() => number_text(dt.as_f64()),
        Data::DateTime(dt) => {
            // calamine counts from the workbook's own epoch (1900 or 1904).
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            let date = format!("{y:04}-{m:02}-{d:02}");
            if (hh, mm, ss) == (0, 0, 0) {
                date
            } else if dt.as_f64() < 1.0 {
                format!("{hh:02}:{mm:02}:{ss:02}")
            } else {
                format!("{date} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        // ODS writes dates as ISO text: a whole day keeps only its date.
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as a clerk reads it: `2`, not `2.0`; `7.5` as is.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn numbers_and_dates_read_as_a_clerk_sees_them() {
        assert_eq!(cell_text(&Data::Float(2.0)), "2");
        assert_eq!(cell_text(&Data::Float(7.5)), "7.5");
        assert_eq!(cell_text(&Data::Float(-5.0)), "-5");
        let d = |v, is_1904| {
            Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, is_1904))
        };
        assert_eq!(cell_text(&d(45717.0, false)), "2025-03-01");
        // The same day in a workbook counting from 1904 (old Excel for Mac).
        assert_eq!(cell_text(&d(45717.0 - 1462.0, true)), "2025-03-01");
        assert_eq!(cell_text(&d(45717.5, false)), "2025-03-01 12:00:00");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-03-01T00:00:00".into())),
            "2025-03-01"
        );
    }

    #[test]
    fn workbook_kinds_by_extension() {
        assert_eq!(kind(Path::new("a/March.XLSX")), Some(Kind::Xlsx));
        assert_eq!(kind(Path::new("a.ods")), Some(Kind::Ods));
        assert_eq!(kind(Path::new("a.csv")), None);
    }
}
