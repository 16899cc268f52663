//! Excel workbooks fit to hand round and print: one sheet per studio (quarter) or per table,
//! named for what it holds; a 汇总 sheet with every row when a table is split into sections;
//! a 说明 sheet with the stamp, the report's facts and its summary lines. Headings are the
//! people's labels, columns are as wide as their content (CJK counted double, long text
//! wrapped), dates are date cells, numbers are number cells, the header row is bold, frozen
//! and repeated on every printed page, and a sheet prints landscape on A4, one page wide.

use super::{Report, Table, Value, label_or_key, runs_as_formula, stamp_pairs};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::collections::HashSet;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// Widest a column grows, in Excel's character units; longer text wraps.
const MAX_WIDTH: usize = 50;
/// Excel's page-setup code for A4.
const A4: u8 = 9;

pub fn render(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let bytes = workbook(report).map_err(io::Error::other)?;
    w.write_all(&bytes)
}

/// The cell formats of a sheet, made once.
struct Styles {
    header: Format,
    text: Format,
    text_wrap: Format,
    /// Text a spreadsheet would run as a formula: Excel's quote prefix marks the cell as
    /// typed text, as a leading `'` typed by hand does, without showing the apostrophe.
    guarded: Format,
    guarded_wrap: Format,
    number: Format,
    rate: Format,
    date: Format,
}

impl Styles {
    /// `left`: numbers and dates aligned left too, as in the 说明 sheet's list of facts.
    fn new(left: bool) -> Styles {
        let cell = Format::new().set_align(FormatAlign::Top);
        let wrap = cell.clone().set_text_wrap();
        let figure = if left {
            cell.clone().set_align(FormatAlign::Left)
        } else {
            cell.clone()
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border_bottom(FormatBorder::Thin),
            text: cell.clone(),
            guarded: cell.set_quote_prefix(),
            guarded_wrap: wrap.clone().set_quote_prefix(),
            text_wrap: wrap,
            rate: figure.clone().set_num_format("0.0%"),
            date: figure.clone().set_num_format("yyyy-mm-dd"),
            number: figure,
        }
    }

    /// A column's heading: over figures and dates it stands right, as they do.
    fn header(&self, text: &str, figures: bool) -> Format {
        let f = self.header.clone();
        let f = if figures {
            f.set_align(FormatAlign::Right)
        } else {
            f
        };
        if runs_as_formula(text) {
            f.set_quote_prefix()
        } else {
            f
        }
    }
}

/// A sheet to write: its name, headings and rows (already cut to the columns it shows).
struct Sheet<'a> {
    title: String,
    headers: Vec<&'a str>,
    rows: Vec<Vec<&'a Value>>,
    /// An autofilter on the header row (the 汇总 sheet, to pick a studio).
    filter: bool,
    /// Figures aligned left (the 说明 sheet).
    left: bool,
}

fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut sheets = Vec::new();
    let single = report.tables.len() == 1;
    for t in &report.tables {
        let shown = t.shown();
        if t.sections.len() > 1 {
            for s in &t.sections {
                let title = s.title.clone().unwrap_or_else(|| t.key.clone());
                sheets.push(sheet(t, &shown, title, s.rows.iter(), false));
            }
            // Everyone on one sheet, with the column the sections were split by.
            let all = t.sections.iter().flat_map(|s| s.rows.iter());
            let cols = with_varying(t, &shown);
            let title = crate::tr!("sheet-summary");
            sheets.push(sheet(t, &cols, title, all, true));
        } else {
            let title = t
                .sections
                .first()
                .and_then(|s| s.title.clone())
                .or_else(|| t.title.clone())
                .unwrap_or_else(|| {
                    if single {
                        own_title(report).to_owned()
                    } else {
                        t.key.clone()
                    }
                });
            let rows = t.sections.iter().flat_map(|s| s.rows.iter());
            sheets.push(sheet(t, &shown, title, rows, false));
        }
    }

    let mut book = Workbook::new();
    let styles = Styles::new(false);
    let mut names = HashSet::new();
    for s in &sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&s.title, &mut names))?;
        fill(ws, s, &styles)?;
    }
    let about = about(report);
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(&crate::tr!("sheet-about"), &mut names))?;
    let headers = [crate::tr!("about-item"), crate::tr!("about-value")];
    let about = Sheet {
        title: String::new(),
        headers: headers.iter().map(String::as_str).collect(),
        rows: about.iter().map(|r| r.iter().collect()).collect(),
        filter: false,
        left: true,
    };
    fill(ws, &about, &Styles::new(true))?;
    book.save_to_buffer()
}

/// The report's title without the workspace name it starts with (the 说明 sheet has both).
fn own_title(report: &Report) -> &str {
    report
        .stamp
        .as_ref()
        .and_then(|s| report.title.strip_prefix(&s.workspace))
        .map(|rest| rest.trim_start_matches([' ', '—']))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(&report.title)
}

fn sheet<'a>(
    t: &'a Table,
    cols: &[usize],
    title: String,
    rows: impl Iterator<Item = &'a Vec<Value>>,
    filter: bool,
) -> Sheet<'a> {
    Sheet {
        title,
        headers: cols.iter().map(|&i| t.columns[i].header.as_str()).collect(),
        rows: rows
            .map(|r| {
                cols.iter()
                    .map(|&i| r.get(i).unwrap_or(&Value::Empty))
                    .collect()
            })
            .collect(),
        filter,
        left: false,
    }
}

/// The columns people see, plus those left out because a section title says them (the
/// studio of a quarter ranked within studios) — told apart by their values varying.
fn with_varying(t: &Table, shown: &[usize]) -> Vec<usize> {
    let mut rows = t.sections.iter().flat_map(|s| s.rows.iter());
    let first = rows.next();
    (0..t.columns.len())
        .filter(|i| {
            shown.contains(i)
                || first.is_some_and(|f| {
                    t.sections
                        .iter()
                        .flat_map(|s| s.rows.iter())
                        .any(|r| r.get(*i) != f.get(*i))
                })
        })
        .collect()
}

/// The 说明 sheet's rows: the title, the report's facts, the stamp, then its summary lines.
fn about(report: &Report) -> Vec<[Value; 2]> {
    let mut rows: Vec<[Value; 2]> = stamp_pairs(report)
        .into_iter()
        .map(|(k, v)| [Value::text(label_or_key(&k)), v])
        .collect();
    if !report.summary.is_empty() {
        rows.push([Value::Empty, Value::Empty]);
        rows.push([Value::text(crate::tr!("about-summary")), Value::Empty]);
        for (k, v) in &report.summary {
            rows.push([Value::text(label_or_key(k)), v.clone()]);
        }
    }
    rows
}

fn fill(ws: &mut Worksheet, s: &Sheet, styles: &Styles) -> Result<(), XlsxError> {
    let widths = widths(s);
    for (c, (h, &(width, wrap))) in s.headers.iter().zip(&widths).enumerate() {
        let c = c as u16;
        ws.set_column_width(c, width as f64)?;
        let figures = s.rows.iter().any(|r| {
            r.get(c as usize)
                .is_some_and(|v| !matches!(v, Value::Text(_) | Value::Coded(..) | Value::Empty))
        });
        let header = styles.header(h, figures && !s.left);
        ws.write_string_with_format(0, c, fit_cell(h), &header)?;
        for (r, row) in s.rows.iter().enumerate() {
            if let Some(v) = row.get(c as usize) {
                cell(ws, r as u32 + 1, c, v, styles, wrap)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if s.filter && !s.rows.is_empty() && !s.headers.is_empty() {
        ws.autofilter(0, 0, s.rows.len() as u32, s.headers.len() as u16 - 1)?;
    }
    ws.set_landscape()
        .set_paper_size(A4)
        .set_print_fit_to_pages(1, 0)
        .set_print_gridlines(true)
        .set_footer(crate::tr!("xlsx-footer"));
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Each column's width (its widest line, heading included, plus a margin, at most
/// `MAX_WIDTH`) and whether its text wraps (a line wider than that, or a line break).
fn widths(s: &Sheet) -> Vec<(usize, bool)> {
    (0..s.headers.len())
        .map(|c| {
            let cells = s.rows.iter().filter_map(|r| r.get(c)).map(|v| shown(v));
            let mut widest = display_width(s.headers[c]);
            let mut wrap = false;
            for text in cells {
                wrap |= text.contains('\n');
                widest = widest.max(display_width(&text));
            }
            let width = widest + 2;
            (width.min(MAX_WIDTH), wrap || width > MAX_WIDTH)
        })
        .collect()
}

/// A cell's text as Excel shows it with the formats above.
fn shown(v: &Value) -> String {
    match v {
        Value::Rate(d) => {
            let pct = (*d * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1);
            format!("{pct:.1}%")
        }
        Value::Coded(_, name) => name.clone(),
        other => other.plain(),
    }
}

/// Columns a text takes on screen: its widest line, CJK and other wide characters counted
/// as two.
fn display_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

fn cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: &Value,
    styles: &Styles,
    wrap: bool,
) -> Result<(), XlsxError> {
    match v {
        Value::Text(s) => {
            let format = match (runs_as_formula(s), wrap) {
                (true, true) => &styles.guarded_wrap,
                (true, false) => &styles.guarded,
                (false, true) => &styles.text_wrap,
                (false, false) => &styles.text,
            };
            ws.write_string_with_format(r, c, fit_cell(s), format)?;
        }
        Value::Num(d) => {
            ws.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), &styles.number)?;
        }
        Value::Int(i) => {
            ws.write_number_with_format(r, c, *i as f64, &styles.number)?;
        }
        Value::Rate(d) => {
            ws.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), &styles.rate)?;
        }
        Value::Date(d) => {
            use chrono::Datelike;
            // Excel's calendar runs 1900–9999; a day outside it stays text.
            let day = u16::try_from(d.year())
                .ok()
                .and_then(|y| ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok());
            match day {
                Some(day) => {
                    ws.write_date_with_format(r, c, &day, &styles.date)?;
                }
                _ => {
                    ws.write_string_with_format(r, c, d.to_string(), &styles.text)?;
                }
            }
        }
        Value::Coded(..) => {
            ws.write_string_with_format(r, c, v.human(), &styles.text)?;
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
    let base = match words(&clean, 31) {
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

/// As `fit`, but a cut text ends at a space when one falls in its second half, so that a
/// long English title loses whole words.
fn words(s: &str, room: usize) -> String {
    let cut = fit(s, room);
    if cut.len() == s.trim().len() {
        return cut;
    }
    match cut.rfind(' ') {
        Some(at) if at >= cut.len() / 2 => fit(&cut[..at], room),
        _ => cut,
    }
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
fn fit_cell(s: &str) -> String {
    const MAX: usize = 32_767;
    if s.len() <= MAX {
        return s.to_owned();
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
    use crate::output::{Column, Section};
    use rust_decimal::Decimal;

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
        assert_eq!(
            sheet_name("Petitions by department as of 2025-12-31", &mut taken),
            "Petitions by department as of"
        );
        for name in &taken {
            rust_xlsxwriter::utility::check_sheet_name(name).expect("a legal sheet name");
        }
    }

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        let cut = fit_cell(&"中".repeat(40_000));
        assert_eq!(cut.chars().count(), 32_767);
        assert_eq!(fit_cell("x"), "x");
    }

    #[test]
    fn widths_count_cjk_double_and_wrap_long_text() {
        assert_eq!(display_width("张三"), 4);
        assert_eq!(display_width("ab\n张三丰"), 6);
        let long = Value::text("长".repeat(40));
        let short = Value::text("x");
        let half = Value::Rate(Decimal::new(5, 1));
        let s = Sheet {
            title: String::new(),
            headers: vec!["姓名", "备注", "rate"],
            rows: vec![vec![&short, &long, &half]],
            filter: false,
            left: false,
        };
        assert_eq!(widths(&s), [(6, false), (MAX_WIDTH, true), (7, false)]);
    }

    #[test]
    fn a_split_table_adds_a_summary_sheet_with_the_split_column() {
        let mut t = Table::new(
            "rows",
            vec![
                Column::new("period").machine_only(),
                Column::new("studio").machine_only(),
                Column::new("name"),
            ],
        );
        for studio in ["东", "西"] {
            t.sections.push(Section {
                title: Some(studio.into()),
                rows: vec![vec![
                    Value::text("2025Q4"),
                    Value::text(studio),
                    Value::text("张三"),
                ]],
            });
        }
        assert_eq!(with_varying(&t, &t.shown()), [1, 2]);
    }
}
