//! Reading a CSV input file: headers matched by English name or Chinese alias (case- and
//! space-insensitive), unknown columns kept, every row with its line number.

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
    /// For each known column of the schema, the index of its cell, if present.
    known: HashMap<&'static str, usize>,
    /// Indices of the header cells that are not in the schema.
    pub extra: Vec<usize>,
    pub rows: Vec<Row>,
    /// Every cell of every row back to back (one allocation, not one a cell).
    text: String,
    /// Where each cell sits in `text`: `headers.len()` of them a row.
    cells: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    /// The row's first cell in `CsvFile::cells`.
    first: usize,
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
    let mut known = HashMap::new();
    let mut extra = Vec::new();
    let mut seen_extra = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise_header(h);
        let spec = schema
            .iter()
            .find(|c| c.name == n || c.alias.to_lowercase() == n);
        match spec {
            Some(c) if known.contains_key(c.name) => problems.push(
                Problem::new(file, format!("column {} appears twice", c.name))
                    .line(1)
                    .value(h.clone()),
            ),
            Some(c) => {
                known.insert(c.name, i);
            }
            None => {
                // The ledger keeps extra columns by header: a second one would be lost.
                if !n.is_empty() && !seen_extra.insert(n) {
                    problems.push(
                        Problem::new(file, format!("column {} appears twice", h.trim())).line(1),
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
                    format!("missing column {} ({}); the header is", c.name, c.alias),
                )
                .line(1)
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

impl CsvFile {
    /// Parses decoded `text`; a row with the wrong number of cells is a problem of its own.
    pub fn parse(file: &str, text: &str, schema: &[ColumnSpec]) -> Result<CsvFile, Vec<Problem>> {
        let lines = LineIndex::new(text);
        // The BOM at the start is gone with decoding; one further in (files pasted together)
        // would become an invisible part of an id or a date.
        if let Some(at) = text.find('\u{feff}') {
            let p = Problem::new(
                file,
                "a byte-order mark (U+FEFF) inside the file, as when two files are pasted together; remove it",
            )
            .line(lines.line_at(at as u64));
            return Err(vec![p]);
        }
        // No clerk types a NUL; it comes from a UTF-16 file ("Unicode text") or a binary one.
        if let Some(at) = text.find('\0') {
            let p = Problem::new(
                file,
                "a NUL byte: this is not a CSV text file (a UTF-16 \"Unicode text\" export?); save it as CSV UTF-8",
            )
            .line(lines.line_at(at as u64));
            return Err(vec![p]);
        }
        if let Some(line) = unterminated_quote(text) {
            let p = Problem::new(
                file,
                "a quote opened here is never closed; the rows after it would be swallowed",
            )
            .line(line);
            return Err(vec![p]);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(str::to_owned).collect(),
            Err(e) => return Err(vec![csv_problem(file, &e)]),
        };
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(vec![
                Problem::new(file, "the file has no header row").line(1),
            ]);
        }
        let named = headers.iter().filter(|h| !h.trim().is_empty()).count();
        if named > MAX_COLUMNS {
            let p = Problem::new(
                file,
                format!("the header names {named} columns; at most {MAX_COLUMNS} are read"),
            )
            .line(1);
            return Err(vec![p]);
        }
        if let Some(big) = headers.iter().find(|h| h.len() > MAX_CELL_BYTES) {
            return Err(vec![too_big(file, 1, big)]);
        }
        let (known, extra) = resolve_headers(file, &headers, schema)?;
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let (mut cells_text, mut cells) = (String::new(), Vec::new());
        let mut rec = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {
                    let line = rec.position().map_or(0, |p| lines.line_of(p.byte()));
                    if let Some(big) = rec.iter().find(|c| c.len() > MAX_CELL_BYTES) {
                        problems.push(too_big(file, line, big));
                        continue;
                    }
                    if rec.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if rec.len() != headers.len() {
                        problems.push(
                            Problem::new(
                                file,
                                format!(
                                    "expected {} cells as in the header, found {}",
                                    headers.len(),
                                    rec.len()
                                ),
                            )
                            .line(line),
                        );
                        continue;
                    }
                    rows.push(Row {
                        line,
                        first: cells.len(),
                    });
                    for c in &rec {
                        let start = cells_text.len();
                        cells_text.push_str(c);
                        cells.push((start, cells_text.len()));
                    }
                }
                Err(e) => {
                    let mut p = csv_problem(file, &e);
                    if let Some(pos) = e.position() {
                        p.line = Some(lines.line_of(pos.byte()));
                    }
                    problems.push(p);
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CsvFile {
            file: file.to_owned(),
            headers,
            known,
            extra,
            rows,
            text: cells_text,
            cells,
        })
    }

    /// Cell `i` of `row`, as written.
    pub fn cell<'a>(&'a self, row: &Row, i: usize) -> Option<&'a str> {
        if i >= self.headers.len() {
            return None;
        }
        let &(start, end) = self.cells.get(row.first + i)?;
        Some(&self.text[start..end])
    }

    /// The trimmed cell of a known column, `None` when the column is absent or the cell empty.
    pub fn get<'a>(&'a self, row: &Row, name: &str) -> Option<&'a str> {
        let i = *self.known.get(name)?;
        let v = self.cell(row, i)?.trim();
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

    /// A problem located at `row`, in column `name`.
    pub fn problem(&self, row: &Row, name: &str, message: impl Into<String>) -> Problem {
        Problem::new(self.file.clone(), message)
            .line(row.line)
            .column(self.header(name))
    }
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
        format!(
            "a cell of {} bytes; at most {} (1 MiB) are read",
            cell.len(),
            MAX_CELL_BYTES
        ),
    )
    .line(line)
    .value(cell.chars().take(100).collect::<String>())
}

/// The line where a quoted field opens and never closes (csv would read to the end of file).
fn unterminated_quote(text: &str) -> Option<u64> {
    let (mut quoted, mut line, mut opened) = (false, 1u64, 1u64);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                opened = line;
            }
            '\n' => line += 1,
            '\r' if chars.peek() != Some(&'\n') => line += 1,
            _ => {}
        }
    }
    quoted.then_some(opened)
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
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".to_owned(),
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::IsADirectory => {
            "is a folder, not a file".to_owned()
        }
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => format!("malformed CSV: {e}"),
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
