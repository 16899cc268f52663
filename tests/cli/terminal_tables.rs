//! Terminal tables at 80, 100 and 120 columns (the publishing issue, part 4): no line is
//! wider than the terminal, no delegate's name and no number is split across lines, and
//! the columns left out to fit are said under the table. Run on the example workspace,
//! whose studio and department names are long and whose quarter has four categories.

use crate::common;
use common::Ws;
use std::collections::HashSet;

const WIDTHS: [usize; 3] = [80, 100, 120];

/// The categories of the built-in rules, as a quarter's headings name them.
const CATEGORIES: [&str; 4] = ["服务联系群众", "议党议政", "民主监督", "示范引领"];

fn example() -> Ws {
    Ws::example()
}

/// Display columns as a terminal draws them, worked out here rather than with the crate
/// the renderer uses: East Asian wide and fullwidth characters take two.
fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// The text of every cell line of a drawn table: each line cut at the column borders.
fn cells(table: &str) -> HashSet<String> {
    table
        .lines()
        .flat_map(|line| line.split(['│', '┆']))
        .map(|cell| cell.trim().to_owned())
        .filter(|cell| !cell.is_empty())
        .collect()
}

fn run(ws: &Ws, width: Option<usize>, args: &[&str]) -> String {
    let mut cmd = ws.tally();
    match width {
        Some(w) => cmd.env("COLUMNS", w.to_string()),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd.args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8 stdout")
}

/// The values of `keys` in the csv of the same command, each row's.
fn csv_values(ws: &Ws, args: &[&str], keys: &[&str]) -> Vec<(String, String)> {
    let csv = run(ws, None, &[args, &["--format", "csv"]].concat());
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("csv header").clone();
    let at: Vec<(usize, &str)> = keys
        .iter()
        .map(|k| {
            let i = header
                .iter()
                .position(|h| h == *k)
                .unwrap_or_else(|| panic!("{args:?}: csv has no column {k}"));
            (i, *k)
        })
        .collect();
    let mut values = Vec::new();
    for row in reader.records() {
        let row = row.expect("csv row");
        for &(i, k) in &at {
            if !row[i].is_empty() {
                values.push((k.to_owned(), row[i].to_owned()));
            }
        }
    }
    assert!(!values.is_empty(), "{args:?}: the csv has rows");
    values
}

/// Each report, and the csv columns whose every value must show whole in its table.
const REPORTS: [(&[&str], &[&str]); 4] = [
    (
        &["quarter", "2025Q4"],
        &["name", "points_total", "points_quarter"],
    ),
    (&["annual", "2025"], &["name", "points_total", "composite"]),
    (&["petitions"], &["name", "days_open", "days_overdue"]),
    (&["records", "2025Q4"], &["name", "points", "date"]),
];

#[test]
fn no_line_is_wider_than_the_terminal() {
    let ws = example();
    let mut problems = Vec::new();
    let mut extra: Vec<&[&str]> = REPORTS.iter().map(|(args, _)| *args).collect();
    extra.extend([&["obligations"][..], &["explain", "何俊杰", "2025Q4"]]);
    for width in WIDTHS {
        for args in &extra {
            let out = run(&ws, Some(width), args);
            for line in out.lines().filter(|l| l.starts_with(['┌', '│', '╞', '└'])) {
                if columns(line) > width {
                    problems.push(format!(
                        "{args:?} at {width}: {} columns: {line}",
                        columns(line)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn names_and_numbers_are_never_split() {
    let ws = example();
    let mut problems = Vec::new();
    for (args, keys) in REPORTS {
        let values = csv_values(&ws, args, keys);
        for width in WIDTHS {
            let shown = cells(&run(&ws, Some(width), args));
            for (key, value) in &values {
                if !shown.contains(value) {
                    problems.push(format!("{args:?} at {width}: {key} {value} is not whole"));
                }
            }
        }
    }
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn columns_left_out_are_said_under_the_table() {
    let ws = example();
    let narrow = run(&ws, Some(80), &["quarter", "2025Q4"]);
    let (table, after) = narrow
        .rsplit_once('┘')
        .expect("a table is drawn at 80 columns");
    // The categories went, not the total that sums them, and the lines under the table
    // (broken to the width) name each and how to see them.
    let note = after.lines().collect::<Vec<_>>().join(" ");
    assert!(
        note.contains("COLUMNS="),
        "nothing says how to see the columns left out:\n{narrow}"
    );
    for line in after.lines() {
        assert!(columns(line) <= 80, "the note is wider than 80: {line}");
    }
    for c in CATEGORIES {
        assert!(
            !table.contains(c),
            "{c} is still in the table at 80:\n{narrow}"
        );
        assert!(note.contains(c), "the note does not name {c}: {note}");
    }
    assert!(note.contains("--format csv"), "{note}");
    // Wide enough for every column, nothing is left out and nothing is said.
    let wide = run(&ws, Some(200), &["quarter", "2025Q4"]);
    assert!(!wide.contains("COLUMNS="), "{wide}");
    for c in CATEGORIES {
        assert!(wide.contains(c), "{c} missing at 200:\n{wide}");
    }
    // The width the note asks for is enough to show them all.
    let asked: usize = note
        .split("COLUMNS=")
        .nth(1)
        .and_then(|s| {
            s.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .expect("the note gives a width");
    let enough = run(&ws, Some(asked), &["quarter", "2025Q4"]);
    assert!(!enough.contains("COLUMNS="), "at {asked}:\n{enough}");
}

#[test]
fn piped_output_is_never_folded() {
    let ws = example();
    let out = run(&ws, None, &["annual", "2025"]);
    assert!(!out.contains("COLUMNS="), "{out}");
    for c in CATEGORIES {
        assert!(out.contains(c), "{c} missing from piped output");
    }
}
