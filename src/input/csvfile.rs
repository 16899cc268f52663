//! Reading a CSV input file or a workbook sheet as rows: headers matched by English name or
//! Chinese alias (case- and space-insensitive), unknown columns kept, every row with its line
//! number (the sheet's row number for a workbook). Title rows above the header, a 合计 row
//! below the data and empty rows are skipped and counted.

use crate::error::Problem;
use std::collections::HashMap;

/// One column a file may have.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub alias: &'static str,
    pub required: bool,
}

pub const fn col(name: &'static str, alias: &'static str, required: bool) -> ColumnSpec {
    ColumnSpec {
        name,
        alias,
        required,
    }
}

/// A parsed file: its header as written, which known column each header cell is, and rows.
#[derive(Debug)]
pub struct CsvFile {
    pub file: String,
    pub headers: Vec<String>,
    /// The line (or sheet row) of the header, below any title rows.
    pub header_line: u64,
    /// For each known column of the schema, the index of its cell, if present. Looked up
    /// for every cell of every row: a fast hash, not SipHash.
    known: rustc_hash::FxHashMap<&'static str, usize>,
    /// Indices of the header cells that are not in the schema.
    pub extra: Vec<usize>,
    pub rows: Vec<Row>,
    /// Set for a workbook sheet: problems name the cell (`C7`), not `file:line`.
    pub sheet: Option<SheetPlace>,
    /// Rows that are not records and were passed over.
    pub skipped: Skipped,
}

/// Where a sheet's cells sit: the column letter of the first cell read.
#[derive(Debug, Clone, Copy, Default)]
pub struct SheetPlace {
    /// 0-based column of the rows' first cell (A = 0).
    pub first_col: u32,
}

/// Rows passed over: title rows above the header, total rows below the data, empty rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    pub title: usize,
    pub total: usize,
    pub empty: usize,
}

impl Skipped {
    /// `skipped 2 title rows, 1 total row`, or `None` when nothing was skipped.
    pub fn describe(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.title, crate::tr!("skipped-title", n = self.title)),
            (self.total, crate::tr!("skipped-total", n = self.total)),
            (self.empty, crate::tr!("skipped-empty", n = self.empty)),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, part)| part)
        .collect();
        (!parts.is_empty()).then(|| {
            let parts = parts.join(&crate::tr!("list-separator"));
            crate::tr!("skipped", parts = parts)
        })
    }
}

/// The first cell of a total row below the data (case and spaces ignored: `合  计`).
const TOTAL_WORDS: [&str; 5] = ["合计", "总计", "小计", "total", "totals"];

/// How many rows from the top are searched for the header: title rows are a few lines.
const HEADER_SEARCH: usize = 30;

#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    /// The cells one after another, and where each ends: two allocations a row, not one a
    /// cell (a large register's rows are most of what reading it holds).
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Row {
    pub fn new<'c, I>(line: u64, cells: I) -> Row
    where
        I: IntoIterator<Item = &'c str>,
        I::IntoIter: Clone,
    {
        let cells = cells.into_iter();
        // Sized once: rows are many, and each is kept.
        let (n, len) = cells
            .clone()
            .fold((0, 0), |(n, len), c| (n + 1, len + c.len()));
        let mut text = String::with_capacity(len);
        let mut ends = Vec::with_capacity(n);
        for c in cells {
            text.push_str(c);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Row {
            line,
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// Cell `i` as written.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
}

/// Known columns by name → cell index, and the indices of the unknown ones.
pub type HeaderMap = (HashMap<&'static str, usize>, Vec<usize>);

/// Matches a header row against `schema`; problems for missing or repeated columns.
pub fn resolve_headers(
    file: &str,
    headers: &[String],
    schema: &[ColumnSpec],
) -> Result<HeaderMap, Vec<Problem>> {
    resolve_headers_at(file, 1, headers, schema)
}

/// The known column a header cell names, if any.
fn spec_of<'s>(schema: &'s [ColumnSpec], header: &str) -> Option<&'s ColumnSpec> {
    let n = normalise_header(header);
    schema
        .iter()
        .find(|c| c.name == n || c.alias.to_lowercase() == n)
}

/// Which row is the header: the first whose cells name every required column; failing
/// that, the first naming the most known columns; failing that, the first non-empty row.
/// Only the first [`HEADER_SEARCH`] rows are looked at.
pub fn header_row(rows: &[Row], schema: &[ColumnSpec]) -> Option<usize> {
    let required = schema.iter().filter(|c| c.required).count();
    let mut best: Option<(usize, usize)> = None;
    let mut first = None;
    for (i, row) in rows.iter().enumerate().take(HEADER_SEARCH) {
        if is_empty_row(row) {
            continue;
        }
        first.get_or_insert(i);
        let named: Vec<&ColumnSpec> = row.cells().filter_map(|h| spec_of(schema, h)).collect();
        if named.iter().filter(|c| c.required).count() == required && !named.is_empty() {
            return Some(i);
        }
        if named.len() > best.map_or(0, |(_, n)| n) {
            best = Some((i, named.len()));
        }
    }
    best.map(|(i, _)| i).or(first)
}

pub fn is_empty_row(row: &Row) -> bool {
    row.cells().all(|c| c.trim().is_empty())
}

/// Whether the first non-empty cell of `row` starts as a total word does: cheap enough for
/// every row, where [`is_total_row`] is only asked of the few that pass.
fn may_be_total(row: &Row) -> bool {
    row.cells()
        .find_map(|c| c.trim_start().chars().next())
        .is_some_and(|c| matches!(c, '合' | '总' | '小' | 't' | 'T'))
}

/// A row whose first non-empty cell is 合计, 总计, 小计 or Total.
pub fn is_total_row(row: &Row) -> bool {
    row.cells().find(|c| !c.trim().is_empty()).is_some_and(|c| {
        let word: String = c
            .chars()
            .filter(|ch| !ch.is_whitespace())
            .collect::<String>();
        let word = word.trim_end_matches([':', '：']).to_lowercase();
        TOTAL_WORDS.contains(&word.as_str())
    })
}

/// As [`resolve_headers`], the header being on `line`.
pub fn resolve_headers_at(
    file: &str,
    line: u64,
    headers: &[String],
    schema: &[ColumnSpec],
) -> Result<HeaderMap, Vec<Problem>> {
    let mut known = HashMap::new();
    let mut extra = Vec::new();
    let mut seen_extra = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise_header(h);
        match spec_of(schema, h) {
            Some(c) if known.contains_key(c.name) => problems.push(
                Problem::new(file, crate::tr!("msg-column-twice", column = c.name))
                    .line(line)
                    .value(h.clone()),
            ),
            Some(c) => {
                known.insert(c.name, i);
            }
            None => {
                // The ledger keeps extra columns by header: a second one would be lost.
                if !n.is_empty() && !seen_extra.insert(n) {
                    problems.push(
                        Problem::new(file, crate::tr!("msg-column-twice", column = h.trim()))
                            .line(line),
                    );
                }
                extra.push(i);
            }
        }
    }
    for c in schema.iter().filter(|c| c.required) {
        if !known.contains_key(c.name) {
            let found = headers.join(",");
            problems.push(
                Problem::new(
                    file,
                    crate::tr!("msg-missing-column", column = c.name, alias = c.alias),
                )
                .line(line)
                .value(found),
            );
        }
    }
    if problems.is_empty() {
        Ok((known, extra))
    } else {
        Err(problems)
    }
}

/// The rows below the header as they come. Empty rows are passed over; total rows count
/// only at the end (a 小计 between records is an error as any row is), so a run of empty
/// and total rows is held until a record follows it or the file ends. Every other row
/// must have the header's width.
struct Body {
    width: usize,
    held: Vec<Row>,
    empty: usize,
    problems: Vec<Problem>,
}

impl Body {
    fn push(&mut self, parsed: &CsvFile, row: Row, each: &mut impl FnMut(&CsvFile, Row)) {
        if is_empty_row(&row) || (may_be_total(&row) && is_total_row(&row)) {
            self.held.push(row);
            return;
        }
        for held in std::mem::take(&mut self.held) {
            let empty = is_empty_row(&held);
            self.record(parsed, held, empty, each);
        }
        self.record(parsed, row, false, each);
    }

    fn record(
        &mut self,
        parsed: &CsvFile,
        row: Row,
        empty: bool,
        each: &mut impl FnMut(&CsvFile, Row),
    ) {
        if empty {
            self.empty += 1;
        } else if row.len() != self.width {
            let p = Problem::new(
                &parsed.file,
                crate::tr!("msg-row-width", expected = self.width, found = row.len()),
            )
            .line(row.line);
            self.problems.push(match (parsed.sheet, p.line) {
                (Some(_), Some(line)) => p.at(format!("row {line}")),
                _ => p,
            });
        } else if self.problems.is_empty() {
            each(parsed, row);
        }
    }

    /// The empty and total rows at the end are passed over; any row of the wrong width
    /// makes the file unreadable.
    fn finish(self, parsed: &mut CsvFile) -> Result<(), Vec<Problem>> {
        for row in &self.held {
            if is_empty_row(row) {
                parsed.skipped.empty += 1;
            } else {
                parsed.skipped.total += 1;
            }
        }
        parsed.skipped.empty += self.empty;
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }
}

impl CsvFile {
    /// Parses decoded `text`; a row with the wrong number of cells is a problem of its own.
    pub fn parse(file: &str, text: &str, schema: &[ColumnSpec]) -> Result<CsvFile, Vec<Problem>> {
        let mut rows = Vec::new();
        let mut parsed = CsvFile::parse_each(file, text, schema, |_, row| rows.push(row))?;
        parsed.rows = rows;
        Ok(parsed)
    }

    /// As [`CsvFile::parse`], handing each record row to `each` as it is read instead of
    /// holding them all (the file returned has no rows): a large register is never held
    /// whole. When the file turns out unreadable (`Err`), what `each` was given is void.
    pub fn parse_each(
        file: &str,
        text: &str,
        schema: &[ColumnSpec],
        mut each: impl FnMut(&CsvFile, Row),
    ) -> Result<CsvFile, Vec<Problem>> {
        let lines = LineIndex::new(text);
        // The BOM at the start is gone with decoding; one further in (files pasted together)
        // would become an invisible part of an id or a date.
        if let Some(at) = text.find('\u{feff}') {
            let p = Problem::new(file, crate::tr!("msg-inner-bom")).line(lines.line_at(at as u64));
            return Err(vec![p]);
        }
        // No clerk types a NUL; it comes from a UTF-16 file ("Unicode text") or a binary one.
        if let Some(at) = text.find('\0') {
            let p = Problem::new(file, crate::tr!("msg-nul-byte")).line(lines.line_at(at as u64));
            return Err(vec![p]);
        }
        if let Some(line) = unterminated_quote(text) {
            let p = Problem::new(file, crate::tr!("msg-open-quote")).line(line);
            return Err(vec![p]);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut problems = Vec::new();
        // The rows above and at the header, until it is found; then the body as it comes.
        let mut head = Vec::new();
        let mut started: Option<Result<(CsvFile, Body), Vec<Problem>>> = None;
        // One record read into again and again, not one allocated per row.
        let mut rec = csv::StringRecord::new();
        loop {
            let row = match reader.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {
                    let rec = &rec;
                    let line = rec.position().map_or(0, |p| lines.line_of(p.byte()));
                    if let Some(big) = rec.iter().find(|c| c.len() > MAX_CELL_BYTES) {
                        problems.push(too_big(file, line, big));
                        continue;
                    }
                    Row::new(line, rec.iter())
                }
                Err(e) => {
                    let mut p = csv_problem(file, &e);
                    if let Some(pos) = e.position() {
                        p.line = Some(lines.line_of(pos.byte()));
                    }
                    problems.push(p);
                    continue;
                }
            };
            match &mut started {
                Some(Ok((parsed, body))) => body.push(parsed, row, &mut each),
                Some(Err(_)) => {}
                None => {
                    head.push(row);
                    if head.len() == HEADER_SEARCH {
                        let mut s = CsvFile::start(file, &mut head, schema, None);
                        if let Ok((parsed, body)) = &mut s {
                            for row in head.drain(..) {
                                body.push(parsed, row, &mut each);
                            }
                        }
                        started = Some(s);
                    }
                }
            }
        }
        let started = match started {
            Some(s) => s,
            None => CsvFile::start(file, &mut head, schema, None),
        };
        let parsed = started.and_then(|(mut parsed, mut body)| {
            for row in head {
                body.push(&parsed, row, &mut each);
            }
            body.finish(&mut parsed).map(|()| parsed)
        });
        match parsed {
            Ok(f) if problems.is_empty() => Ok(f),
            Ok(_) => Err(problems),
            Err(mut ps) => {
                ps.extend(problems);
                ps.sort_by_key(|p| p.line);
                Err(ps)
            }
        }
    }

    /// A file from its rows as read (CSV records, or a sheet's rows as text): finds the
    /// header below any title rows, passes over empty rows and the total rows that end
    /// the data, and checks every other row has the header's width.
    pub fn from_rows(
        file: &str,
        mut all: Vec<Row>,
        schema: &[ColumnSpec],
        sheet: Option<SheetPlace>,
    ) -> Result<CsvFile, Vec<Problem>> {
        let (mut parsed, mut body) = CsvFile::start(file, &mut all, schema, sheet)?;
        let mut rows = Vec::new();
        // The rows are moved, not copied: a large file's cells are held once.
        for row in all {
            body.push(&parsed, row, &mut |_, row| rows.push(row));
        }
        body.finish(&mut parsed)?;
        parsed.rows = rows;
        Ok(parsed)
    }

    /// Finds the header among the first rows `head` and checks it; leaves in `head` the rows
    /// below it, for the body.
    fn start(
        file: &str,
        head: &mut Vec<Row>,
        schema: &[ColumnSpec],
        sheet: Option<SheetPlace>,
    ) -> Result<(CsvFile, Body), Vec<Problem>> {
        let place = |p: Problem| match (sheet, p.line) {
            (Some(_), Some(line)) => p.at(format!("row {line}")),
            _ => p,
        };
        let all = &head[..];
        let Some(h) = header_row(all, schema) else {
            let message = if sheet.is_some() {
                crate::tr!("msg-sheet-no-header")
            } else {
                crate::tr!("msg-file-no-header")
            };
            return Err(vec![place(Problem::new(file, message).line(1))]);
        };
        let header_line = all[h].line;
        let headers: Vec<String> = all[h].cells().map(str::to_owned).collect();
        let named = headers.iter().filter(|h| !h.trim().is_empty()).count();
        if named > MAX_COLUMNS {
            let p = Problem::new(
                file,
                crate::tr!("msg-too-many-columns", named = named, max = MAX_COLUMNS),
            )
            .line(header_line);
            return Err(vec![place(p)]);
        }
        if let Some(big) = headers.iter().find(|h| h.len() > MAX_CELL_BYTES) {
            return Err(vec![place(too_big(file, header_line, big))]);
        }
        let (known, extra) = resolve_headers_at(file, header_line, &headers, schema)
            .map_err(|ps| ps.into_iter().map(place).collect::<Vec<_>>())?;
        let skipped = Skipped {
            title: all[..h].iter().filter(|r| !is_empty_row(r)).count(),
            ..Skipped::default()
        };
        head.drain(..=h);
        let width = headers.len();
        let parsed = CsvFile {
            file: file.to_owned(),
            headers,
            header_line,
            known: known.into_iter().collect(),
            extra,
            rows: Vec::new(),
            sheet,
            skipped,
        };
        let body = Body {
            width,
            held: Vec::new(),
            empty: 0,
            problems: Vec::new(),
        };
        Ok((parsed, body))
    }

    /// Cell `i` of `row`, as written.
    pub fn cell<'a>(&self, row: &'a Row, i: usize) -> Option<&'a str> {
        row.get(i)
    }

    /// The trimmed cell of a known column, `None` when the column is absent or the cell empty.
    pub fn get<'a>(&self, row: &'a Row, name: &str) -> Option<&'a str> {
        let i = *self.known.get(name)?;
        let v = row.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    pub fn has(&self, name: &str) -> bool {
        self.known.contains_key(name)
    }

    /// The header of a known column as the file writes it, for messages.
    pub fn header(&self, name: &str) -> String {
        self.known
            .get(name)
            .map_or_else(|| name.to_owned(), |&i| self.headers[i].trim().to_owned())
    }

    /// A problem located at `row`, in column `name` (at its cell, `C7`, in a workbook).
    pub fn problem(&self, row: &Row, name: &str, message: impl Into<String>) -> Problem {
        let p = Problem::new(self.file.clone(), message)
            .line(row.line)
            .column(self.header(name));
        match (self.sheet, self.known.get(name)) {
            (Some(s), Some(&i)) => p.at(format!(
                "{}{}",
                column_letters(s.first_col + i as u32),
                row.line
            )),
            (Some(_), None) => p.at(format!("row {}", row.line)),
            (None, _) => p,
        }
    }
}

/// A spreadsheet's column letters for a 0-based column: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// The largest cell read: a note or summary is a few lines, never a megabyte.
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// The most named columns a file may have: every extra column travels into the ledger.
/// Columns with an empty header (Excel's formatted but empty columns) are not counted.
pub const MAX_COLUMNS: usize = 200;

/// A cell over [`MAX_CELL_BYTES`], located, its start shown.
pub fn too_big(file: &str, line: u64, cell: &str) -> Problem {
    Problem::new(
        file,
        crate::tr!("msg-cell-too-big", size = cell.len(), max = MAX_CELL_BYTES),
    )
    .line(line)
    .value(cell.chars().take(100).collect::<String>())
}

/// The line where a quoted field opens and never closes (csv would read to the end of file).
fn unterminated_quote(text: &str) -> Option<u64> {
    // Quotes and line ends are ASCII, never part of a longer UTF-8 character: the bytes can
    // be searched, and lines counted only up to the quote left open.
    let bytes = text.as_bytes();
    let (mut quoted, mut opened, mut from) = (false, 0, 0);
    while let Some(q) = bytes[from..].iter().position(|&b| b == b'"') {
        let at = from + q;
        if quoted && bytes.get(at + 1) == Some(&b'"') {
            from = at + 2;
            continue;
        }
        quoted = !quoted;
        opened = at;
        from = at + 1;
    }
    quoted.then(|| {
        let before = &bytes[..opened];
        let ends = before
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .count();
        ends as u64 + 1
    })
}

/// Line numbers from byte offsets: exact whatever the line endings (csv's own count is off
/// by one after a CRLF header).
struct LineIndex<'t> {
    text: &'t [u8],
    newlines: Vec<u64>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> LineIndex<'t> {
        // A lone CR (old Excel for Mac) ends a line as LF and CRLF do: csv ends records there.
        let bytes = text.as_bytes();
        let newlines = bytes
            .iter()
            .enumerate()
            .filter(|&(i, b)| *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .map(|(i, _)| i as u64)
            .collect();
        LineIndex {
            text: text.as_bytes(),
            newlines,
        }
    }

    /// 1-based line of the record starting at `offset` (which may point at the end of the
    /// previous line's terminator).
    fn line_of(&self, mut offset: u64) -> u64 {
        while matches!(self.text.get(offset as usize), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        self.line_at(offset)
    }

    /// 1-based line holding the byte at `offset`.
    fn line_at(&self, offset: u64) -> u64 {
        self.newlines.partition_point(|&n| n < offset) as u64 + 1
    }
}

pub fn csv_problem(file: &str, e: &csv::Error) -> Problem {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => crate::tr!("msg-not-utf8-text"),
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::IsADirectory => {
            crate::tr!("msg-is-a-folder")
        }
        csv::ErrorKind::Io(io) => crate::tr!("msg-cannot-read", why = io.to_string()),
        _ => crate::tr!("msg-malformed-csv", why = e.to_string()),
    };
    let p = Problem::new(file, message);
    match line {
        Some(l) => p.line(l),
        None => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &[ColumnSpec] = &[col("date", "日期", true), col("note", "备注", false)];

    #[test]
    fn aliases_case_and_spaces() {
        let f = CsvFile::parse(
            "a.csv",
            " 日期 ,NOTE,extra\n2025-01-01,\"a, b\nc\",x\n",
            SCHEMA,
        )
        .expect("parses");
        assert_eq!(f.rows.len(), 1);
        assert_eq!(f.get(&f.rows[0], "date"), Some("2025-01-01"));
        assert_eq!(f.get(&f.rows[0], "note"), Some("a, b\nc"));
        assert_eq!(f.extra, vec![2]);
        assert_eq!(f.header("date"), "日期");
    }

    #[test]
    fn missing_column_is_a_problem_on_line_1() {
        let e = CsvFile::parse("a.csv", "day,note\n1,2\n", SCHEMA).expect_err("no date column");
        assert_eq!(e[0].line, Some(1));
        assert!(e[0].message.contains("missing column date"));
    }

    #[test]
    fn a_repeated_extra_column_is_a_problem() {
        let e = CsvFile::parse("a.csv", "date,x,note, X \n2025-01-01,1,2,3\n", SCHEMA)
            .expect_err("x twice");
        assert_eq!(e[0].to_string(), "a.csv:1: column X appears twice");
        assert!(CsvFile::parse("a.csv", "date,,note,\n2025-01-01,1,2,3\n", SCHEMA).is_ok());
    }

    #[test]
    fn unterminated_quote_is_refused_with_its_line() {
        let e = CsvFile::parse("a.csv", "date,note\n2025-01-01,\"x\n2025-01-02,y\n", SCHEMA)
            .expect_err("open quote");
        assert_eq!(e[0].line, Some(2));
        assert!(
            CsvFile::parse("a.csv", "date,note\n2025-01-01,\"a \"\"b\"\" c\"\n", SCHEMA).is_ok()
        );
    }

    #[test]
    fn short_row_is_located() {
        let e = CsvFile::parse("a.csv", "date,note\n2025-01-01,x\n2025-01-02\n", SCHEMA)
            .expect_err("short row");
        assert_eq!(e[0].line, Some(3));
    }
}
#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn crlf_and_lf_lines_are_counted_alike() {
        let f = CsvFile::parse(
            "a.csv",
            "date,note\r\n2025-01-01,x\r\n2025-01-02,y\r\n",
            SCHEMA2,
        )
        .expect("ok");
        assert_eq!(
            f.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        let f = CsvFile::parse("a.csv", "date,note\n2025-01-01,x\n2025-01-02,y\n", SCHEMA2)
            .expect("ok");
        assert_eq!(
            f.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
    }
    #[test]
    fn lone_cr_lines_are_counted() {
        let f = CsvFile::parse("a.csv", "date,note\r2025-01-01,x\r2025-01-02,y\r", SCHEMA2)
            .expect("ok");
        assert_eq!(
            f.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        let e = CsvFile::parse("a.csv", "date,note\r2025-01-01,x\r2025-01-02\r", SCHEMA2)
            .expect_err("short row");
        assert_eq!(e[0].line, Some(3));
        let e = CsvFile::parse(
            "a.csv",
            "date,note\r2025-01-01,x\r2025-01-02,\"y\r",
            SCHEMA2,
        )
        .expect_err("open quote");
        assert_eq!(e[0].line, Some(3));
    }

    #[test]
    fn a_bom_inside_the_file_is_refused_with_its_line() {
        let e = CsvFile::parse(
            "a.csv",
            "date,note\n2025-01-01,x\n\u{feff}date,note\n2025-01-02,y\n",
            SCHEMA2,
        )
        .expect_err("mid-file BOM");
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("byte-order mark"));
    }

    #[test]
    fn a_huge_cell_is_a_located_problem() {
        let text = format!("date,note\n2025-01-01,{}\n", "x".repeat(MAX_CELL_BYTES + 1));
        let e = CsvFile::parse("a.csv", &text, SCHEMA2).expect_err("huge cell");
        assert_eq!(e[0].line, Some(2));
        assert!(e[0].to_string().len() < 300);
    }

    #[test]
    fn a_very_wide_header_is_refused_at_once() {
        let head: Vec<String> = (0..100_000).map(|i| format!("x{i}")).collect();
        let text = format!("date,{}\n", head.join(","));
        let e = CsvFile::parse("a.csv", &text, SCHEMA2).expect_err("too wide");
        assert_eq!(e[0].line, Some(1));
        assert!(e[0].message.contains("100001 columns"));
        let empty = format!(
            "date{}\n2025-01-01{}\n",
            ",".repeat(20_000),
            ",".repeat(20_000)
        );
        assert!(CsvFile::parse("a.csv", &empty, SCHEMA2).is_ok());
    }

    const SCHEMA2: &[ColumnSpec] = &[col("date", "日期", true)];
}

#[cfg(test)]
mod title_tests {
    use super::*;

    const SCHEMA: &[ColumnSpec] = &[col("date", "日期", true), col("note", "备注", false)];

    #[test]
    fn title_rows_above_and_total_rows_below_are_counted() {
        let text = "海山社区党代表履职记录,\n,\n日期,备注\n2025-01-01,x\n,\n2025-01-02,y\n 合 计 ,2\n总计：,\n";
        let f = CsvFile::parse("a.csv", text, SCHEMA).expect("parses");
        assert_eq!(f.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4, 6]);
        assert_eq!(
            f.skipped,
            Skipped {
                title: 1,
                total: 2,
                empty: 1
            }
        );
        assert_eq!(
            f.skipped.describe().as_deref(),
            Some("skipped 1 title row, 2 total rows, 1 empty row")
        );
    }

    #[test]
    fn a_header_naming_no_required_column_is_still_the_first_row() {
        let e = CsvFile::parse("a.csv", "title\nday,note\n1,2\n", SCHEMA).expect_err("no date");
        assert_eq!(e[0].line, Some(2), "the row naming a known column");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
    }
}
