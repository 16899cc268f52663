//! Renders any report in any format. A report is data (tables of typed cells, a stamp,
//! a summary); each format lives in one function here, so adding a format touches only
//! this module and adding a report touches none of it.

mod fit;
mod html;
pub mod template;
mod xlsx;

use chrono::NaiveDate;
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Width, presets};
use rust_decimal::Decimal;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
    Html,
    Xlsx,
}

impl Format {
    /// The format a file name implies, for `-o` without `--format`.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Md),
            "html" | "htm" => Some(Format::Html),
            "xlsx" => Some(Format::Xlsx),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }

    /// The format of `-o PATH` without `--format`: an extension that names none is a usage
    /// error, never a terminal table written into `q.xls`. `.txt` is the table.
    pub fn from_output(path: &std::path::Path) -> Result<Format, String> {
        const GIVE: &str = "give --format csv|json|md|html|xlsx|table, or name the file .csv/.json/.md/.html/.xlsx/.txt";
        if let Some(format) = Format::from_extension(path) {
            return Ok(format);
        }
        // A folder or a device (`-o data/`, `-o /dev/full`): what is wrong is said by the
        // write, not by the format.
        if path.extension().is_none() && std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Ok(Format::Table);
        }
        Err(match path.extension() {
            Some(ext) => format!(
                "cannot tell the format from the extension .{} of {}; {GIVE}",
                ext.to_string_lossy(),
                path.display()
            ),
            None => format!(
                "cannot tell the format of {}: it has no extension; {GIVE}",
                path.display()
            ),
        })
    }

    /// The format in force: `--format` when given, else that of `-o`, else a table.
    pub fn choose(
        flag: Option<Format>,
        output: Option<&std::path::Path>,
    ) -> Result<Format, String> {
        match (flag, output) {
            (Some(format), _) => Ok(format),
            (None, Some(path)) => Format::from_output(path),
            (None, None) => Ok(Format::Table),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }
}

/// What people read for the code `key` (a column, a status): the catalogue's
/// `KIND-KEY` (`col-points-total`, `term-forwarded`).
pub fn label(kind: &str, key: &str) -> String {
    crate::i18n::message(&catalogue_id(kind, key), &[])
}

/// What people read for a meta or summary key: the catalogue's `key-KEY` when the key is
/// a code of ours, else the key itself (a grade or category the rules name).
pub fn label_or_key(key: &str) -> String {
    let id = catalogue_id("key", key);
    if crate::i18n::has(&id) {
        crate::i18n::message(&id, &[])
    } else {
        key.to_owned()
    }
}

fn catalogue_id(kind: &str, key: &str) -> String {
    let mut id = format!("{kind}-");
    id.extend(
        key.chars()
            .map(|c| if c == '_' || c == ' ' { '-' } else { c }),
    );
    id
}

/// One cell. Numbers stay numbers until a renderer writes them.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Num(Decimal),
    Int(i64),
    /// A fraction 0–1: plain in csv and json, a percentage in table, md and html.
    Rate(Decimal),
    /// A code with a name for people (a status): the code in csv and json, the name in
    /// table, md, html and xlsx.
    Coded(String, String),
    /// A day: ISO text (`2025-06-30`) everywhere but xlsx, where it is a date cell.
    Date(NaiveDate),
    Empty,
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
    /// A status or other code of ours, named for people by the catalogue's `term-CODE`.
    pub fn term(code: &str) -> Value {
        Value::Coded(code.to_owned(), label("term", code))
    }
    /// A sentence of ours in a cell (a cap that cut a record): in English for csv and json,
    /// in the run's language for people. `args` gives the arguments in a language.
    pub fn phrase(
        id: &str,
        args: impl Fn(crate::i18n::Lang) -> Vec<(&'static str, crate::i18n::Arg)>,
    ) -> Value {
        use crate::i18n::{Lang, in_lang, lang};
        Value::Coded(
            in_lang(Lang::En, id, &args(Lang::En)),
            in_lang(lang(), id, &args(lang())),
        )
    }

    /// A column key as a cell (a review line), named for people as the column is.
    pub fn key(code: &str) -> Value {
        Value::Coded(code.to_owned(), label("col", code))
    }
    pub fn opt_text(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Empty, |s| Value::Text(s.into()))
    }
    pub fn date(d: Option<NaiveDate>) -> Value {
        d.map_or(Value::Empty, Value::Date)
    }

    fn is_number(&self) -> bool {
        matches!(self, Value::Num(_) | Value::Int(_) | Value::Rate(_))
    }

    /// As csv and json write it.
    pub fn plain(&self) -> String {
        match self {
            Value::Text(s) | Value::Coded(s, _) => s.clone(),
            Value::Num(d) | Value::Rate(d) => number(*d),
            Value::Int(i) => i.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Empty => String::new(),
        }
    }

    /// As a person reads it (table, md, html).
    pub fn human(&self) -> String {
        match self {
            Value::Rate(d) => {
                let pct = (*d * Decimal::ONE_HUNDRED).round_dp(1);
                format!("{}%", number(pct))
            }
            Value::Coded(_, name) => name.clone(),
            other => other.plain(),
        }
    }
}

/// A decimal written plainly: `12`, `7.5`, `-5`, no trailing zeros, no separators.
pub fn number(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_owned()
    } else {
        n.to_string()
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    /// The csv header and json key.
    pub key: String,
    /// The heading people read (table, md, html).
    pub header: String,
    /// Left out of table, md and html, where a section title already says it.
    pub machine_only: bool,
    /// Left out of csv and json, whose columns SPEC §5 fixes for scripts.
    pub people_only: bool,
    /// Left out of a terminal table too narrow for it, lowest first and all columns of the
    /// same order together (a quarter's categories, which `total` sums); `None` never is.
    pub fold: Option<u8>,
}

impl Column {
    /// A column whose heading is the catalogue's `col-KEY` in the run's language.
    pub fn new(key: impl Into<String>) -> Column {
        let key = key.into();
        Column {
            header: label("col", &key),
            key,
            machine_only: false,
            people_only: false,
            fold: None,
        }
    }

    pub fn titled(key: impl Into<String>, header: impl Into<String>) -> Column {
        Column {
            key: key.into(),
            header: header.into(),
            machine_only: false,
            people_only: false,
            fold: None,
        }
    }

    pub fn machine_only(mut self) -> Column {
        self.machine_only = true;
        self
    }

    /// May be left out of a narrow terminal table, with the other columns of this `order`,
    /// before those of a higher one.
    pub fn folds(mut self, order: u8) -> Column {
        self.fold = Some(order);
        self
    }
}

impl Table {
    /// Indices of the columns csv and json write.
    pub fn for_scripts(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| !self.columns[i].people_only)
            .collect()
    }

    /// Indices of the columns people see.
    pub fn shown(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| !self.columns[i].machine_only)
            .collect()
    }
}

/// Rows under a heading (a studio, say); csv writes all sections under one header.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub title: Option<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// The json key of the rows.
    pub key: String,
    pub title: Option<String>,
    pub columns: Vec<Column>,
    pub sections: Vec<Section>,
    /// Columns (label, value) to draw as a bar chart in html.
    pub chart: Option<(usize, usize)>,
    /// How html lays the table on paper; other formats ignore it.
    pub print: Print,
}

/// Print hints for html, so that a report fits A4 without changing its rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Print {
    /// Each section starts a page of its own (a studio's ranking is posted on its own).
    pub page_per_section: bool,
    /// The rows printed as columns: twelve months across the page, not down it.
    pub across: bool,
    /// The rows printed in this many runs side by side (a long list of two columns).
    pub runs: usize,
}

impl Table {
    pub fn new(key: &str, columns: Vec<Column>) -> Table {
        Table {
            key: key.to_owned(),
            title: None,
            columns,
            sections: Vec::new(),
            chart: None,
            print: Print::default(),
        }
    }
}

/// Where the figures came from, so a published notice can be traced to its data.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub workspace: String,
    pub rules_name: String,
    pub rules_hash: String,
    pub ledger_hash: String,
    pub newest_record: Option<NaiveDate>,
    pub made: String,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    /// Report-specific facts for the json `meta` block and headings (period, as-of date…).
    pub meta: Vec<(String, Value)>,
    pub stamp: Option<Stamp>,
    pub tables: Vec<Table>,
    /// Lines after the tables (counts per grade…), not csv rows.
    pub summary: Vec<(String, Value)>,
    /// A small trend line (label, value) drawn above the tables in html; empty for none.
    /// The figures are in the tables too, so other formats lose nothing.
    pub trend: Vec<(String, Decimal)>,
}

impl Report {
    /// Puts the workspace's name before the title, and a note (a period still in progress)
    /// after it.
    pub fn head(&mut self, workspace: &str, note: Option<String>) {
        self.title = crate::tr!(
            "title-in-workspace",
            workspace = workspace,
            title = self.title.as_str()
        );
        if let Some(note) = note {
            self.title = crate::tr!("title-with-note", title = self.title.as_str(), note = note);
        }
    }

    pub fn new(title: impl Into<String>) -> Report {
        Report {
            title: title.into(),
            meta: Vec::new(),
            stamp: None,
            tables: Vec::new(),
            summary: Vec::new(),
            trend: Vec::new(),
        }
    }
}

/// Renders `report` in `format` to `w`; `bom` prefixes csv with a UTF-8 BOM.
pub fn render(report: &Report, format: Format, bom: bool, w: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table(report, w),
        Format::Csv => csv_out(report, bom, w),
        Format::Json => json(report, w),
        Format::Md => markdown(report, w),
        Format::Html => html::render(report, w),
        Format::Xlsx => xlsx::render(report, w),
    }
}

fn table(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    table_in(report, terminal_width(), w)
}

/// The terminal table fitted to `limit` display columns (`None`: no limit).
fn table_in(report: &Report, limit: Option<usize>, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{}", visible(&report.title))?;
    for t in &report.tables {
        if let Some(title) = &t.title {
            writeln!(w, "\n{}", visible(title))?;
        }
        let shown = t.shown();
        let cells: Vec<Vec<Vec<(String, bool)>>> = t
            .sections
            .iter()
            .map(|s| {
                s.rows
                    .iter()
                    .map(|row| {
                        shown
                            .iter()
                            .filter_map(|&i| row.get(i))
                            .map(|v| (visible(&v.human()).into_owned(), v.is_number()))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        // One plan for every section, so that a report's studios line up.
        let plan = fit::plan(&measure(t, &shown, &cells), limit);
        let mut cut = false;
        for (s, rows) in t.sections.iter().zip(&cells) {
            writeln!(w)?;
            if let Some(title) = &s.title {
                writeln!(w, "{}", visible(title))?;
            }
            writeln!(w, "{}", terminal_table(t, &shown, &plan, rows, &mut cut))?;
        }
        if let Some(limit) = limit {
            for line in fold_note(t, &shown, &plan, limit, cut) {
                writeln!(w, "{line}")?;
            }
        }
    }
    if !report.summary.is_empty() {
        writeln!(w)?;
        for (k, v) in &report.summary {
            writeln!(w, "{}: {}", visible(&label_or_key(k)), visible(&v.human()))?;
        }
    }
    Ok(())
}

/// What [`fit::plan`] needs of each shown column: its heading and the width of every cell.
fn measure(t: &Table, shown: &[usize], cells: &[Vec<Vec<(String, bool)>>]) -> Vec<fit::Measure> {
    shown
        .iter()
        .enumerate()
        .map(|(k, &i)| fit::Measure {
            header: visible(&t.columns[i].header).into_owned(),
            fold: t.columns[i].fold,
            cells: cells
                .iter()
                .flatten()
                .filter_map(|row| row.get(k))
                .map(|(s, n)| fit::Size::of(s, *n))
                .collect(),
        })
        .collect()
}

/// One section drawn to `plan`: headings and long text wrapped to their column, numbers
/// and short text whole. `cut` is set when a cell was cut with `…`.
fn terminal_table(
    t: &Table,
    shown: &[usize],
    plan: &fit::Plan,
    rows: &[Vec<(String, bool)>],
    cut: &mut bool,
) -> comfy_table::Table {
    let mut ct = comfy_table::Table::new();
    ct.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(plan.slots.iter().map(|slot| {
            let header = visible(&t.columns[shown[slot.column]].header).into_owned();
            fit::wrap(&header, slot.width).join("\n")
        }));
    for row in rows {
        let cells = plan.slots.iter().filter_map(|slot| {
            let (text, number) = row.get(slot.column)?;
            if *number {
                return Some(comfy_table::Cell::new(text).set_alignment(CellAlignment::Right));
            }
            if !slot.wraps {
                return Some(comfy_table::Cell::new(text));
            }
            let (lines, was_cut) = fit::wrap_cut(text, slot.width, fit::MAX_LINES);
            *cut |= was_cut;
            Some(comfy_table::Cell::new(lines.join("\n")))
        });
        ct.add_row(cells);
    }
    for (column, slot) in ct.column_iter_mut().zip(&plan.slots) {
        let width = u16::try_from(slot.width + 2).unwrap_or(u16::MAX);
        column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width)));
    }
    ct
}

/// The lines under a table that names the columns left out to fit `limit`, and says how
/// to see them and any text cut short.
fn fold_note(t: &Table, shown: &[usize], plan: &fit::Plan, limit: usize, cut: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if !plan.folded.is_empty() {
        let names: Vec<String> = plan
            .folded
            .iter()
            .map(|&k| visible(&t.columns[shown[k]].header).into_owned())
            .collect();
        lines.push(crate::tr!(
            "fold-note",
            limit = limit,
            names = names.join(&crate::tr!("list-separator")),
            needed = plan.needed
        ));
    }
    if cut {
        lines.push(crate::tr!("fold-cut"));
    }
    // Broken here, at spaces, rather than by the terminal inside a word.
    lines.iter().flat_map(|l| fit::wrap(l, limit)).collect()
}

/// Text from the data as a person's screen may show it (table, md, html): a control
/// character never reaches the terminal or the page. Tab, CR and LF become a space;
/// other C0 controls and DEL are written `\x1b`; C1 controls (U+0080–U+009F) and the bidi
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) are written `\u{202e}`. So an
/// ESC sequence in a name prints as the harmless text `\x1b[31m`, and nobody can recolour,
/// retitle or reorder what the clerk reads.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.contains(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' | '\r' | '\n' => out.push(' '),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The width a table must fit: `COLUMNS` when set (scripts, tests), else the terminal's when
/// stdout is one; none when piped, so that a file or a pager gets every column whole.
fn terminal_width() -> Option<usize> {
    let set = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    match set {
        Some(cols) if cols > 0 => Some(cols),
        _ => comfy_table::Table::new().width().map(usize::from),
    }
}

/// Whether a spreadsheet would run this text as a formula if it were typed into a cell.
pub fn runs_as_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell a spreadsheet would run as a formula gets a leading `'` (csv; xlsx marks
/// the cell instead).
pub fn spreadsheet_safe(s: &str) -> String {
    if runs_as_formula(s) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn csv_out(report: &Report, bom: bool, w: &mut dyn Write) -> io::Result<()> {
    if bom {
        w.write_all(b"\xEF\xBB\xBF")?;
    }
    let Some(t) = report.tables.first() else {
        return Ok(());
    };
    let mut out = csv::Writer::from_writer(w);
    let keep = t.for_scripts();
    out.write_record(keep.iter().map(|&i| spreadsheet_safe(&t.columns[i].key)))?;
    for s in &t.sections {
        for row in &s.rows {
            out.write_record(keep.iter().filter_map(|&i| row.get(i)).map(|v| match v {
                Value::Text(s) => spreadsheet_safe(s),
                other => other.plain(),
            }))?;
        }
    }
    out.flush()
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Text(s) | Value::Coded(s, _) => serde_json::Value::String(s.clone()),
        Value::Date(d) => serde_json::Value::String(d.to_string()),
        Value::Empty => serde_json::Value::Null,
        other => serde_json::from_str::<serde_json::Number>(&other.plain())
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
    }
}

fn stamp_pairs(report: &Report) -> Vec<(String, Value)> {
    let mut pairs = vec![("title".to_owned(), Value::text(&report.title))];
    pairs.extend(report.meta.iter().cloned());
    if let Some(s) = &report.stamp {
        pairs.push(("workspace".into(), Value::text(&s.workspace)));
        pairs.push(("rules".into(), Value::text(&s.rules_name)));
        pairs.push(("rules_hash".into(), Value::text(&s.rules_hash)));
        pairs.push(("ledger_hash".into(), Value::text(&s.ledger_hash)));
        pairs.push(("newest_record".into(), Value::date(s.newest_record)));
        pairs.push(("generated_at".into(), Value::text(&s.made)));
    }
    pairs
}

fn json(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let mut out = serde_json::Serializer::pretty(&mut *w);
    serde::Serialize::serialize(&JsonReport(report), &mut out)?;
    writeln!(w)
}

/// A report as JSON, written as it is walked (no tree of values built first): `meta`, a list
/// of row objects per table, then `summary`.
struct JsonReport<'r>(&'r Report);

/// One cell as JSON ([`json_value`]'s mapping).
struct JsonCell<'v>(&'v Value);

/// A table's rows as JSON objects, keyed by column, without the columns only people read.
struct JsonRows<'t>(&'t Table);

struct JsonRow<'t> {
    /// Each key once, where it first comes, with the column whose value it takes.
    keys: &'t [(&'t str, usize)],
    row: &'t [Value],
}

/// The keys a table's rows are written with: a key two columns share (a category named like
/// a column) once, where it first comes, with the later column's value, as a map of keys
/// would have it.
fn json_keys(columns: &[Column]) -> Vec<(&str, usize)> {
    let mut keys: Vec<(&str, usize)> = Vec::new();
    for (i, c) in columns.iter().enumerate().filter(|(_, c)| !c.people_only) {
        match keys.iter_mut().find(|(k, _)| *k == c.key) {
            Some(k) => k.1 = i,
            None => keys.push((&c.key, i)),
        }
    }
    keys
}

impl serde::Serialize for JsonCell<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Text(t) | Value::Coded(t, _) => s.serialize_str(t),
            Value::Empty => s.serialize_unit(),
            _ => serde::Serialize::serialize(&json_value(self.0), s),
        }
    }
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for &(key, i) in self.keys {
            if let Some(v) = self.row.get(i) {
                map.serialize_entry(key, &JsonCell(v))?;
            }
        }
        map.end()
    }
}

impl serde::Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let keys = json_keys(&self.0.columns);
        s.collect_seq(
            self.0
                .sections
                .iter()
                .flat_map(|sec| sec.rows.iter())
                .map(|row| JsonRow { keys: &keys, row }),
        )
    }
}

impl serde::Serialize for JsonReport<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let report = self.0;
        let pairs = |list: &[(String, Value)]| -> serde_json::Map<String, serde_json::Value> {
            list.iter()
                .map(|(k, v)| (k.clone(), json_value(v)))
                .collect()
        };
        // Later keys replace earlier ones in place, as the map they were once gathered in.
        let mut keys: Vec<&str> = vec!["meta"];
        for t in &report.tables {
            if !keys.contains(&t.key.as_str()) {
                keys.push(&t.key);
            }
        }
        let summary = !report.summary.is_empty();
        if summary && !keys.contains(&"summary") {
            keys.push("summary");
        }
        let mut map = s.serialize_map(Some(keys.len()))?;
        for key in keys {
            if key == "summary" && summary {
                map.serialize_entry(key, &pairs(&report.summary))?;
            } else if let Some(t) = report.tables.iter().rev().find(|t| t.key == key) {
                map.serialize_entry(key, &JsonRows(t))?;
            } else {
                map.serialize_entry(key, &pairs(&stamp_pairs(report)))?;
            }
        }
        map.end()
    }
}

/// Text in a GitHub table cell or heading: shown as text by any renderer. `<`, `>` and `&`
/// are entities (no tag from the data is ever live), `|` and `\\` are escaped, control
/// characters are made visible as on a terminal and line breaks are spaces.
fn md_cell(s: &str) -> String {
    let s = visible(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn markdown(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "# {}\n", md_cell(&report.title))?;
    for (k, v) in stamp_pairs(report).iter().skip(1) {
        writeln!(
            w,
            "- {}: {}",
            md_cell(&label_or_key(k)),
            md_cell(&v.human())
        )?;
    }
    for t in &report.tables {
        if let Some(title) = &t.title {
            writeln!(w, "\n## {}", md_cell(title))?;
        }
        for s in &t.sections {
            if let Some(title) = &s.title {
                writeln!(w, "\n### {}", md_cell(title))?;
            }
            writeln!(w)?;
            let shown = t.shown();
            let head: Vec<String> = shown
                .iter()
                .map(|&i| md_cell(&t.columns[i].header))
                .collect();
            writeln!(w, "| {} |", head.join(" | "))?;
            let rule: Vec<&str> = shown
                .iter()
                .map(|&i| {
                    let numeric = s
                        .rows
                        .iter()
                        .any(|r| r.get(i).is_some_and(Value::is_number));
                    if numeric { "---:" } else { "---" }
                })
                .collect();
            writeln!(w, "| {} |", rule.join(" | "))?;
            for row in &s.rows {
                let cells: Vec<String> = shown
                    .iter()
                    .filter_map(|&i| row.get(i))
                    .map(|v| md_cell(&v.human()))
                    .collect();
                writeln!(w, "| {} |", cells.join(" | "))?;
            }
        }
    }
    if !report.summary.is_empty() {
        writeln!(w)?;
        for (k, v) in &report.summary {
            writeln!(
                w,
                "- {}: {}",
                md_cell(&label_or_key(k)),
                md_cell(&v.human())
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn numbers_are_plain() {
        let n = |s: &str| number(Decimal::from_str(s).expect("decimal"));
        assert_eq!(n("12.00"), "12");
        assert_eq!(n("7.50"), "7.5");
        assert_eq!(n("-5"), "-5");
        assert_eq!(n("-0.0"), "0");
        assert_eq!(n("12345"), "12345");
    }

    #[test]
    fn a_key_two_columns_share_is_written_once_where_it_first_comes_with_the_later_value() {
        let mut r = Report::new("t");
        let cols = ["delegate", "organisation", "evaluation", "organisation"];
        let columns = cols.iter().map(|c| Column::titled(*c, *c)).collect();
        let mut t = Table::new("rows", columns);
        t.sections.push(Section {
            title: None,
            rows: vec![vec![
                Value::text("D1"),
                Value::Num(Decimal::from(12)),
                Value::Num(Decimal::from(80)),
                Value::Num(Decimal::from(90)),
            ]],
        });
        r.tables.push(t);
        let mut out = Vec::new();
        render(&r, Format::Json, false, &mut out).expect("renders");
        let text = String::from_utf8(out).expect("utf-8");
        let row: String = text.split_whitespace().collect();
        assert!(
            row.contains(r#"{"delegate":"D1","organisation":90,"evaluation":80}"#),
            "{text}"
        );
    }

    #[test]
    fn formulas_are_defused_numbers_are_not() {
        assert_eq!(spreadsheet_safe("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(spreadsheet_safe("@x"), "'@x");
        assert_eq!(spreadsheet_safe("张三"), "张三");
        let mut r = Report::new("t");
        let mut t = Table::new("rows", vec![Column::new("name"), Column::new("points")]);
        t.sections.push(Section {
            title: None,
            rows: vec![vec![Value::text("-x"), Value::Num(Decimal::from(-5))]],
        });
        r.tables.push(t);
        let mut out = Vec::new();
        render(&r, Format::Csv, false, &mut out).expect("renders");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "name,points\n'-x,-5\n"
        );
    }

    #[test]
    fn rates_are_fractions_in_csv_and_percent_for_people() {
        let v = Value::Rate(Decimal::from_str("0.5").expect("decimal"));
        assert_eq!(v.plain(), "0.5");
        assert_eq!(v.human(), "50%");
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(visible("张三"), "张三");
        assert_eq!(visible("\u{1b}[31mred"), "\\x1b[31mred");
        assert_eq!(visible("\u{1b}]0;pwned\u{7}"), "\\x1b]0;pwned\\x07");
        assert_eq!(visible("a\tb\r\nc"), "a b  c");
        assert_eq!(visible("\u{7f}\u{9b}31m"), "\\x7f\\u{9b}31m");
        assert_eq!(
            visible("\u{202e}evil\u{202c}\u{2066}"),
            "\\u{202e}evil\\u{202c}\\u{2066}"
        );
    }

    #[test]
    fn markdown_cells_show_tags_as_text() {
        assert_eq!(
            md_cell("<script>alert(1)</script> a|b \\ & \u{1b}x\ny"),
            "&lt;script&gt;alert(1)&lt;/script&gt; a\\|b \\\\ &amp; \\\\x1bx y"
        );
    }

    #[test]
    fn an_output_file_names_its_format_or_is_refused() {
        use std::path::Path;
        assert_eq!(Format::from_output(Path::new("q.CSV")), Ok(Format::Csv));
        assert_eq!(Format::from_output(Path::new("q.txt")), Ok(Format::Table));
        assert_eq!(
            Format::from_output(Path::new("q.xls")),
            Err("cannot tell the format from the extension .xls of q.xls; give --format csv|json|md|html|xlsx|table, or name the file .csv/.json/.md/.html/.xlsx/.txt".to_owned())
        );
        assert!(Format::from_output(Path::new("out/q")).is_err());
        assert_eq!(
            Format::choose(Some(Format::Md), Some(Path::new("q.xls"))),
            Ok(Format::Md)
        );
        assert_eq!(Format::choose(None, None), Ok(Format::Table));
    }

    #[test]
    fn a_narrow_table_cuts_long_text_and_says_what_it_left_out() {
        let mut r = Report::new("t");
        let columns = vec![
            Column::new("name"),
            Column::new("points_total"),
            Column::titled("service", "服务联系群众").folds(1),
            Column::new("summary"),
        ];
        let mut t = Table::new("rows", columns);
        t.sections.push(Section {
            title: None,
            rows: vec![vec![
                Value::text("何俊杰"),
                Value::Num(Decimal::from_str("98.25").expect("decimal")),
                Value::Int(113),
                Value::text("暴雨后小区地下车库积水".repeat(6)),
            ]],
        });
        r.tables.push(t);
        let mut out = Vec::new();
        table_in(&r, Some(34), &mut out).expect("renders");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.lines().all(|l| fit::width(l) <= 34), "{out}");
        assert!(out.contains("│ 何俊杰 ┆ 98.25 ┆"), "{out}");
        assert!(!out.contains("113"), "{out}");
        assert!(out.contains("…"), "{out}");
        let under = out.rsplit_once('┘').expect("a table").1.replace('\n', "");
        assert!(
            under.contains("Left out to fit 34 columns: 服务联系群众."),
            "{out}"
        );
        assert!(under.contains("COLUMNS=38"), "{out}");
        assert!(under.contains("cut short"), "{out}");

        let mut out = Vec::new();
        table_in(&r, None, &mut out).expect("renders");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains("113") && !out.contains('…'), "{out}");
    }

    #[test]
    fn csv_guards_text_keeps_numbers_and_json_keeps_text_exact() {
        let mut r = Report::new("t");
        let mut t = Table::new("rows", vec![Column::new("name"), Column::new("points")]);
        let hostile = ["=1+1", "+1", "-x", "@x", "\tx", "\rx"];
        t.sections.push(Section {
            title: None,
            rows: hostile
                .iter()
                .map(|h| vec![Value::text(*h), Value::Num(Decimal::from(-5))])
                .collect(),
        });
        r.tables.push(t);
        let mut out = Vec::new();
        render(&r, Format::Csv, false, &mut out).expect("renders");
        let csv = String::from_utf8(out).expect("utf-8");
        let mut rows = csv::Reader::from_reader(csv.as_bytes());
        for (row, h) in rows.records().zip(hostile) {
            let row = row.expect("a csv row");
            assert_eq!(&row[0], format!("'{h}"));
            assert_eq!(&row[1], "-5");
        }
        let mut out = Vec::new();
        render(&r, Format::Json, false, &mut out).expect("renders");
        let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
        for (row, h) in json["rows"].as_array().expect("rows").iter().zip(hostile) {
            assert_eq!(row["name"], h);
            assert_eq!(row["points"].to_string(), "-5");
        }
    }
}
