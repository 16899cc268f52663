//! The only place that knows about encodings, header aliases, date formats and file:line
//! locations. It hands the rest of the program typed values.

pub mod csvfile;
pub mod date;
pub mod decode;
pub mod files;
pub mod records;
pub mod rules;
pub mod workbook;

pub use csvfile::{ColumnSpec, CsvFile, Row, Skipped, col};
pub use decode::Encoding;

use crate::error::{Error, Exit, Problem};
use std::path::Path;

/// Values read from a file, and the row problems found on the way.
#[derive(Debug)]
pub struct Loaded<T> {
    pub value: T,
    pub problems: Vec<Problem>,
}

impl<T> Loaded<T> {
    /// The value, or exit 65 with every problem when there are any.
    pub fn strict(self) -> Result<T, Error> {
        if self.problems.is_empty() {
            Ok(self.value)
        } else {
            Err(Error::problems(Exit::Data, &self.problems))
        }
    }
}

/// Reads a whole file; a missing or unreadable file is exit 66 naming it.
pub fn read_bytes(path: &Path, shown: &str) -> Result<Vec<u8>, Error> {
    if path.is_dir() {
        return Err(Error::no_input(crate::tr!(
            "msg-path-is-a-folder",
            path = shown
        )));
    }
    std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => crate::tr!("why-no-such-file"),
            std::io::ErrorKind::PermissionDenied => crate::tr!("why-permission-denied"),
            _ => e.to_string(),
        };
        Error::no_input(crate::tr!("msg-path-cannot-read", path = shown, why = why))
    })
}

/// Reads, decodes and parses a CSV input file or the first sheet of a workbook (`.xlsx`,
/// `.xls`, `.ods`); row-level problems come back as a list so a caller can gather them from
/// many files. A missing file is still an error (exit 66).
pub fn read_csv(
    path: &Path,
    shown: &str,
    encoding: Encoding,
    schema: &[ColumnSpec],
) -> Result<Result<CsvFile, Vec<Problem>>, Error> {
    read_input(path, shown, encoding, None, schema)
}

/// As [`read_csv`], reading sheet `sheet` of a workbook (the first when `None`; a CSV file
/// has no sheets and ignores it). A sheet the workbook does not have is exit 66.
pub fn read_input(
    path: &Path,
    shown: &str,
    encoding: Encoding,
    sheet: Option<&str>,
    schema: &[ColumnSpec],
) -> Result<Result<CsvFile, Vec<Problem>>, Error> {
    let bytes = read_bytes(path, shown)?;
    if let Some(kind) = workbook::kind(path) {
        return workbook::read(kind, bytes, shown, sheet, schema);
    }
    let text = match decode::decode_owned(bytes, encoding, shown) {
        Ok(t) => t,
        Err(p) => return Ok(Err(vec![p])),
    };
    Ok(CsvFile::parse(shown, &text, schema))
}

/// As [`read_csv`], handing each record row to `each` as it is read (see
/// [`CsvFile::parse_each`]): the file returned holds no rows.
pub fn read_csv_each(
    path: &Path,
    shown: &str,
    encoding: Encoding,
    schema: &[ColumnSpec],
    mut each: impl FnMut(&CsvFile, Row),
) -> Result<Result<CsvFile, Vec<Problem>>, Error> {
    let bytes = read_bytes(path, shown)?;
    if let Some(kind) = workbook::kind(path) {
        return Ok(
            workbook::read(kind, bytes, shown, None, schema)?.map(|mut file| {
                for row in std::mem::take(&mut file.rows) {
                    each(&file, row);
                }
                file
            }),
        );
    }
    let text = match decode::decode_owned(bytes, encoding, shown) {
        Ok(t) => t,
        Err(p) => return Ok(Err(vec![p])),
    };
    Ok(CsvFile::parse_each(shown, &text, schema, each))
}

/// Reads, decodes and parses a CSV input file (or a workbook's first sheet) against
/// `schema`. Header and encoding problems are exit 65, as the file cannot be read row by row.
pub fn load_csv(
    path: &Path,
    shown: &str,
    encoding: Encoding,
    schema: &[ColumnSpec],
) -> Result<CsvFile, Error> {
    read_csv(path, shown, encoding, schema)?.map_err(|ps| Error::problems(Exit::Data, &ps))
}
