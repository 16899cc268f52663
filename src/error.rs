//! The program's own failures, each with the exit code SPEC §7 gives it.

use std::fmt;

/// Exit codes of SPEC §7, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Ok = 0,
    /// The command ran and found what the user asked to be told of.
    Found = 1,
    Usage = 2,
    Data = 65,
    NoInput = 66,
    CantCreate = 73,
    Config = 78,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// One problem: located in an input file (`file:line: column: what is wrong (value)`), or
/// a line of its own (a bad command line, a summary) when `file` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<u64>,
    pub col: Option<u64>,
    /// Where in a workbook sheet (`C7`, `row 7`), shown after the file instead of `:line`.
    pub at: Option<String>,
    pub column: Option<String>,
    pub message: String,
    pub value: Option<String>,
    /// What the problem happened under, shown last (` (named by `rules` in tally.toml)`,
    /// ` — under the draft draft.toml`): added where it is known, never by editing text.
    pub context: Option<String>,
}

impl Problem {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line: None,
            col: None,
            at: None,
            column: None,
            message: message.into(),
            value: None,
            context: None,
        }
    }
    /// A problem of no file: a line of its own, written as it is.
    pub fn plain(message: impl Into<String>) -> Self {
        Problem::new(String::new(), message)
    }
    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
    pub fn col(mut self, col: u64) -> Self {
        self.col = Some(col);
        self
    }
    /// A cell or row of a workbook sheet: `march.xlsx [Sheet1] C7: …`.
    pub fn at(mut self, at: impl Into<String>) -> Self {
        self.at = Some(at.into());
        self
    }
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.is_empty() {
            // Our own words (say_err makes any data in them visible when printed).
            write!(f, "{}", self.message)?;
        } else {
            self.fmt_located(f)?;
        }
        if let Some(context) = &self.context {
            write!(f, "{context}")?;
        }
        Ok(())
    }
}

impl Problem {
    fn fmt_located(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", escaped(&self.file, usize::MAX))?;
        if let Some(at) = &self.at {
            write!(f, " {at}")?;
        } else if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(column) = &self.column {
            write!(f, "{}: ", one_line(column))?;
        }
        // Messages may quote data (a roster name): cut, as a value is, but later.
        write!(f, "{}", escaped(&self.message, MESSAGE_CHARS))?;
        // An empty cell has nothing to show: "required, found empty", not "... ()".
        if let Some(value) = self.value.as_deref().filter(|v| !v.is_empty()) {
            write!(f, " ({})", one_line(value))?;
        }
        Ok(())
    }
}

/// How many characters of a value a problem shows; the rest is cut to "…".
pub const SHOWN_CHARS: usize = 80;

/// How many characters of a message a problem shows.
pub const MESSAGE_CHARS: usize = 500;

/// A value as shown on the problem's one line: newlines, tabs and every other control
/// character escaped (so no escape sequence from the data reaches the terminal), and cut
/// at [`SHOWN_CHARS`] characters so a huge cell does not flood the screen.
pub fn one_line(value: &str) -> String {
    escaped(value, SHOWN_CHARS)
}

/// `text` with control characters escaped, cut after `max` characters.
fn escaped(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            // C1 controls (CSI U+009B among them), bidi overrides and the BOM: shown, not obeyed.
            c if c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A line on stderr. A full or closed stderr loses the line but never stops tally (eprintln!
/// would panic).
pub fn say_err(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    // Values from the data reach this line: no escape sequence of theirs reaches the terminal.
    let _ = writeln!(err, "{}", crate::output::visible(line));
}

/// How many problems of one kind are listed before "and N more".
pub const MAX_LISTED: usize = 50;

/// A failure of the program, with every problem found and the exit code it maps to. The
/// problems stay values until `main` writes them, capped at [`MAX_LISTED`].
#[derive(Debug)]
pub struct Error {
    pub exit: Exit,
    pub problems: Vec<Problem>,
    /// Writing to a closed pipe is not a failure of the user's command.
    pub broken_pipe: bool,
}

impl Error {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Error {
            exit,
            problems: vec![Problem::plain(message)],
            broken_pipe: false,
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(Exit::Data, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Exit::Config, message)
    }
    pub fn no_input(message: impl Into<String>) -> Self {
        Self::new(Exit::NoInput, message)
    }
    pub fn cant_create(message: impl Into<String>) -> Self {
        Self::new(Exit::CantCreate, message)
    }
    /// Many located problems.
    pub fn problems(exit: Exit, problems: &[Problem]) -> Self {
        Error {
            exit,
            problems: problems.to_vec(),
            broken_pipe: false,
        }
    }
    pub fn from_problem(exit: Exit, problem: Problem) -> Self {
        Error {
            exit,
            problems: vec![problem],
            broken_pipe: false,
        }
    }
    /// A line of our own after the problems (a summary).
    pub fn push_line(&mut self, line: impl Into<String>) {
        self.problems.push(Problem::plain(line));
    }
    /// What the problems happened under, shown after each.
    pub fn under(mut self, context: &str) -> Self {
        for p in &mut self.problems {
            p.context = Some(context.to_owned());
        }
        self
    }
    /// The lines `main` prints: the problems up to [`MAX_LISTED`], then "and N more", then
    /// the lines of our own that end the list (a summary), which are never cut.
    pub fn lines(&self) -> Vec<String> {
        let tail = self
            .problems
            .iter()
            .rev()
            .take_while(|p| p.file.is_empty())
            .count();
        let (body, tail) = self.problems.split_at(self.problems.len() - tail);
        let mut lines = listed(body);
        lines.extend(tail.iter().map(Problem::to_string));
        lines
    }
    /// An error while writing the report to `target`.
    pub fn write(target: &str, err: &std::io::Error) -> Self {
        let mut e = Self::cant_create(crate::tr!(
            "msg-cannot-write",
            path = target,
            why = io_reason(err)
        ));
        e.broken_pipe = err.kind() == std::io::ErrorKind::BrokenPipe;
        e
    }
}

/// Why a write failed, in words, without the temporary file's path that io errors carry.
fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if let Some(reason) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<crate::fsutil::Reason>())
    {
        return reason.0.clone();
    }
    match (err.kind(), err.raw_os_error()) {
        (K::PermissionDenied, _) | (_, Some(13)) => crate::tr!("why-permission-denied"),
        (K::NotFound, _) => crate::tr!("why-no-folder"),
        (K::NotADirectory, _) | (_, Some(20)) | (_, Some(17)) => crate::tr!("why-part-is-a-file"),
        (K::StorageFull, _) | (_, Some(28)) => crate::tr!("why-disk-full"),
        (K::ReadOnlyFilesystem, _) => crate::tr!("why-read-only"),
        (K::IsADirectory, _) | (_, Some(21)) => crate::tr!("why-is-a-folder"),
        (K::FileTooLarge, _) | (_, Some(27)) => crate::tr!("why-file-too-large"),
        (K::QuotaExceeded, _) => crate::tr!("why-quota"),
        (K::BrokenPipe, _) => crate::tr!("why-pipe-closed"),
        _ => err.to_string(),
    }
}

/// Names joined on one line, the first `max` of them, then "and N more".
pub fn capped(names: &[String], max: usize) -> String {
    let mut s = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        s.push_str(&crate::tr!("and-more-inline", n = names.len() - max));
    }
    s
}

/// The lines of a problem list, capped at [`MAX_LISTED`].
pub fn listed(problems: &[Problem]) -> Vec<String> {
    let mut lines: Vec<String> = problems
        .iter()
        .take(MAX_LISTED)
        .map(Problem::to_string)
        .collect();
    if problems.len() > MAX_LISTED {
        lines.push(crate::tr!("and-more", n = problems.len() - MAX_LISTED));
    }
    lines
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.lines().join("\n"))
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_spec() {
        let codes: Vec<u8> = [
            Exit::Ok,
            Exit::Found,
            Exit::Usage,
            Exit::Data,
            Exit::NoInput,
            Exit::CantCreate,
            Exit::Config,
        ]
        .iter()
        .map(|e| e.code())
        .collect();
        assert_eq!(codes, vec![0, 1, 2, 65, 66, 73, 78]);
    }

    #[test]
    fn problem_is_one_located_line() {
        let p = Problem::new("inbox/a.csv", "not a date")
            .line(4)
            .column("date")
            .value("03/01/2025\nx");
        assert_eq!(
            p.to_string(),
            "inbox/a.csv:4: date: not a date (03/01/2025\\nx)"
        );
    }

    #[test]
    fn names_are_capped_on_one_line() {
        let names: Vec<String> = (1..=12).map(|i| format!("D{i:03}")).collect();
        assert_eq!(capped(&names[..2], 10), "D001, D002");
        assert_eq!(capped(&names, 3), "D001, D002, D003 and 9 more");
    }

    #[test]
    fn long_values_are_cut_and_controls_escaped() {
        let big = "x".repeat(10 * 1024 * 1024);
        let shown = Problem::new("a.csv", "too long")
            .line(2)
            .value(big)
            .to_string();
        assert_eq!(shown, format!("a.csv:2: too long ({}…)", "x".repeat(80)));
        let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{7f}\tok";
        let shown = Problem::new("a.csv", "bad").value(hostile).to_string();
        assert_eq!(
            shown,
            "a.csv: bad (\\x1b]0;pwned\\x07\\x1b[2J\\u{9b}31m\\x7f\\tok)"
        );
        assert!(!shown.chars().any(|c| c.is_control()));
        let header = Problem::new("a.csv", "bad")
            .column("da\u{1b}[31mte")
            .to_string();
        assert_eq!(header, "a.csv: da\\x1b[31mte: bad");
    }

    #[test]
    fn long_lists_are_capped() {
        let ps: Vec<Problem> = (0..60)
            .map(|i| Problem::new("f", format!("p{i}")))
            .collect();
        let lines = listed(&ps);
        assert_eq!(lines.len(), 51);
        assert_eq!(lines[50], "and 10 more");
    }
}
