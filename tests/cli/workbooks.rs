//! Issue 13: workbooks as a community office sends them, and title and total rows in CSV
//! and workbooks alike. The fixtures are made by
//! `tests/fixtures/workbook-office-export/make_workbooks.py` (openpyxl, then re-saved by
//! LibreOffice headless as .xlsx, .xls and .ods); `clean.csv` there holds the same rows.

use crate::common;
use common::Ws;

const FIXTURE: &str = "workbook-office-export";

/// The ledger without where each row came from, which differs between two files.
fn content(ws: &Ws) -> Vec<Vec<(String, String)>> {
    let mut rows: Vec<Vec<(String, String)>> = ws
        .ledger_rows()
        .into_iter()
        .map(|r| {
            let mut kv: Vec<(String, String)> = r
                .into_iter()
                .filter(|(k, _)| k != "source" && k != "source_line")
                .collect();
            kv.sort();
            kv
        })
        .collect();
    rows.sort();
    rows
}

fn import(file: &str) -> (Ws, String) {
    let ws = Ws::fixture(FIXTURE);
    let out = ws.stdout(&["import", file]);
    (ws, out)
}

#[test]
fn a_workbook_as_sent_gives_the_ledger_of_the_clean_csv() {
    let (clean, _) = import("clean.csv");
    let want = content(&clean);
    assert_eq!(want.len(), 5);
    let quarter = clean.stdout(&["quarter", "2025Q1", "--format", "csv"]);
    for file in [
        "workbooks/march.xlsx",
        "workbooks/march.xls",
        "workbooks/march.ods",
        "workbooks/dates-as-text.xlsx",
        "workbooks/mac-1904.xlsx",
        "workbooks/filled-template.xlsx",
        "workbooks/filled-template-zh.xlsx",
    ] {
        let (ws, out) = import(file);
        assert!(
            out.ends_with("5 added, 0 already in the ledger\n"),
            "{file}: {out}"
        );
        assert_eq!(content(&ws), want, "{file}");
        let q = ws.stdout(&["quarter", "2025Q1", "--format", "csv"]);
        assert_eq!(q, quarter, "{file}");
    }
}

#[test]
fn title_and_total_rows_are_skipped_and_said_and_lines_are_sheet_rows() {
    let (ws, out) = import("workbooks/march.xlsx");
    assert!(
        out.starts_with("workbooks/march.xlsx [三月]: skipped 1 title row, 1 total row\n"),
        "{out}"
    );
    // explain points at the row a clerk opens: the title is row 1, the header row 2.
    let mut lines: Vec<String> = ws
        .ledger_rows()
        .iter()
        .map(|r| r["source_line"].clone())
        .collect();
    lines.sort();
    assert_eq!(lines, ["3", "4", "5", "6", "7"]);
    // the formula =1+1 in D5 was saved by LibreOffice as 2: its cached value is read
    let rows = ws.ledger_rows();
    let two = rows
        .iter()
        .find(|r| r["source_line"] == "5")
        .expect("row 5");
    assert_eq!(two["count"], "2");
    assert_eq!(two["date"], "2025-02-14");
    let again = ws.stdout(&["import", "workbooks/march.xlsx"]);
    assert!(
        again.ends_with("0 added, 5 already in the ledger\n"),
        "{again}"
    );
}

#[test]
fn title_and_total_rows_in_csv_too() {
    let ws = Ws::fixture(FIXTURE);
    let clean = ws.read("clean.csv");
    let text = format!(
        "海山社区党代表履职记录（2025年3月）,,,,,,\n填报单位：海山社区,,,,,,\n{clean},,,,,,\n 合 计 ,,,3,,,\n"
    );
    ws.write("inbox/titled.csv", &text);
    let out = ws.stdout(&["import", "inbox/titled.csv"]);
    assert!(
        out.starts_with("inbox/titled.csv: skipped 2 title rows, 1 total row, 1 empty row\n"),
        "{out}"
    );
    assert!(out.ends_with("5 added, 0 already in the ledger\n"), "{out}");
    let (plain, _) = import("clean.csv");
    assert_eq!(content(&ws), content(&plain));
}

#[test]
fn a_total_row_between_records_is_an_error_as_any_row() {
    let ws = Ws::fixture(FIXTURE);
    let clean = ws.read("clean.csv");
    let mut lines: Vec<&str> = clean.lines().collect();
    lines.insert(3, "小计,,,,,,");
    ws.write("inbox/mid.csv", &(lines.join("\n") + "\n"));
    let out = ws
        .tally()
        .args(["import", "inbox/mid.csv"])
        .assert()
        .code(65)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("inbox/mid.csv:4: 日期: "), "{err}");
}

#[test]
fn the_sheet_is_chosen_with_sheet_and_an_empty_one_names_the_others() {
    let ws = Ws::fixture(FIXTURE);
    let out = ws
        .tally()
        .args(["import", "workbooks/second-sheet.xlsx"])
        .assert()
        .code(65)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "error: workbooks/second-sheet.xlsx [封面] row 1: the sheet is empty; the other sheets: 记录 (choose one with --sheet)\n"
        ),
        "{err}"
    );
    let out = ws.stdout(&["import", "--sheet", "记录", "workbooks/second-sheet.xlsx"]);
    assert!(out.ends_with("5 added, 0 already in the ledger\n"), "{out}");
}

#[test]
fn hostile_cells_are_text_never_evaluated() {
    // B3 is =HYPERLINK(…,"张伟"): its saved value is the name. G4 is text that looks like a
    // formula: kept as text (reports write it with a leading ').
    let (ws, out) = import("workbooks/hostile.xlsx");
    assert!(out.ends_with("5 added, 0 already in the ledger\n"), "{out}");
    let rows = ws.ledger_rows();
    let b3 = rows
        .iter()
        .find(|r| r["source_line"] == "3")
        .expect("row 3");
    assert_eq!(b3["delegate"], "D01");
    let g4 = rows
        .iter()
        .find(|r| r["source_line"] == "4")
        .expect("row 4");
    assert_eq!(
        g4["note"],
        "=HYPERLINK(\"http://example.invalid/y\",\"点击\")"
    );

    let ws = Ws::fixture(FIXTURE);
    let out = ws
        .tally()
        .args(["import", "workbooks/hostile-name.xlsx"])
        .assert()
        .code(65)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "error: workbooks/hostile-name.xlsx [Sheet] B6: 代表: not in the roster (by id or name) (=HYPERLINK("
        ),
        "{err}"
    );
    assert!(!ws.path().join("data/ledger/2025.csv").exists());
}

#[test]
fn workspace_files_may_be_workbooks() {
    // The roster that tally.toml names, as an .xlsx with a title row: read as the CSV is.
    let ws = Ws::fixture(FIXTURE);
    ws.write(
        "tally.toml",
        "[workspace]\nname = \"workbook-office-export\"\ndelegates = \"workbooks/roster.xlsx\"\n",
    );
    ws.stdout(&["import", "clean.csv"]);
    let (clean, _) = import("clean.csv");
    assert_eq!(
        ws.stdout(&["quarter", "2025Q1", "--format", "csv"]),
        clean.stdout(&["quarter", "2025Q1", "--format", "csv"])
    );
    ws.stdout(&["check"]);
}

#[test]
fn templates_are_the_headers_the_reader_matches() {
    let ws = Ws::fixture(FIXTURE);
    assert_eq!(
        ws.stdout(&["template", "activities"]),
        "id,date,delegate,activity,count,outcome,ref,note\n"
    );
    assert_eq!(
        ws.stdout(&["template", "evaluations", "--lang", "zh"]),
        "年度,代表,评议组,得分\n"
    );
    // An unfilled workbook template imports as nothing, without a problem.
    for kind in [
        "activities",
        "delegates",
        "petitions",
        "evaluations",
        "adjustments",
    ] {
        ws.stdout(&["template", kind, "-o", &format!("t-{kind}.xlsx")]);
        assert!(ws.path().join(format!("t-{kind}.xlsx")).is_file());
    }
    let out = ws.stdout(&["import", "t-activities.xlsx"]);
    assert!(out.ends_with("0 added, 0 already in the ledger\n"), "{out}");
}

#[test]
fn init_puts_the_templates_in_the_inbox_so_the_tour_works() {
    let ws = Ws::empty();
    ws.tally().args(["init", "w"]).assert().success();
    let w = ws.path().join("w");
    assert!(w.join("inbox/activities-template.xlsx").is_file());
    let out = ws
        .tally()
        .current_dir(&w)
        .args([
            "import",
            "inbox/activities-template.csv",
            "inbox/activities-template.xlsx",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    // init's workspace speaks Chinese (`lang = "zh"`).
    assert!(out.ends_with("共新增 0 条，0 条已在台账中\n"), "{out}");
}
