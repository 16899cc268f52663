//! The foundation, run through the real binary: workspace discovery, input files
//! (encodings, date forms, headers), import and the ledger (all or nothing, re-import,
//! ids), `check`, `init`, `rules`, and the exit codes of SPEC §7.

use crate::common;
use common::{Ws, assert_same};
use predicates::str::contains;
use std::path::Path;

const LEDGER_2025: &str = "data/ledger/2025.csv";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

/// stderr of a run that must end with `code`.
fn stderr_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    text(&out.get_output().stderr)
}

/// stdout and stderr of a run that must end with `code`.
fn output_of(cmd: &mut assert_cmd::Command, code: i32) -> (String, String) {
    let out = cmd.assert().code(code);
    let o = out.get_output();
    (text(&o.stdout), text(&o.stderr))
}

fn ledger_bytes(ws: &Ws) -> Option<Vec<u8>> {
    std::fs::read(ws.path().join(LEDGER_2025)).ok()
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or_default()
}

/// The one stderr line that starts (after an optional `error: `) with `prefix`.
fn problem_line<'a>(stderr: &'a str, prefix: &str) -> &'a str {
    let found: Vec<&str> = stderr
        .lines()
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .filter(|l| l.starts_with(prefix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one line starting with {prefix:?} in\n{stderr}"
    );
    found[0]
}

// ---------------------------------------------------------------------------------------
// Encodings: a GBK, CRLF, Chinese-header export as Excel on a Chinese Windows saves it.

#[test]
fn gbk_excel_export_imports_and_scores() {
    let ws = Ws::fixture("gbk-excel-export");
    let raw = std::fs::read(ws.path().join("inbox/records.csv")).expect("fixture");
    assert!(std::str::from_utf8(&raw).is_err(), "fixture must be GBK");
    assert!(raw.windows(2).any(|w| w == b"\r\n"), "fixture must be CRLF");
    let out = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&out), "5 added, 0 already in the ledger");
    let rows = ws.ledger_rows();
    assert_eq!(rows.len(), 5);
    let resolved = rows
        .iter()
        .find(|r| r["activity"] == "petition_resolved")
        .expect("the resolved row");
    assert_eq!(resolved["delegate"], "D01");
    assert_eq!(resolved["date"], "2025-03-08");
    assert_eq!(resolved["outcome"], "very_satisfied");
    assert_eq!(resolved["ref"], "P2025-011");
    assert_eq!(resolved["note"], "电话回访,居民满意");
    assert_eq!(resolved["source_line"], "3");
    let actual = ws.stdout(&["quarter", "2025Q1", "--format", "csv"]);
    assert_same(
        &actual,
        &ws.read("expected/quarter-2025Q1.csv"),
        "gbk-excel-export 2025Q1",
    );
}

#[test]
fn gbk_export_with_forced_encoding() {
    let ws = Ws::fixture("gbk-excel-export");
    let out = ws.stdout(&[
        "import",
        "--dry-run",
        "--encoding",
        "gbk",
        "inbox/records.csv",
    ]);
    assert!(
        last_line(&out).starts_with("5 would be added, 0 already in the ledger"),
        "{out}"
    );
    // The Chinese header holds the first byte that is not UTF-8: line 1.
    let err = stderr_of(
        ws.tally()
            .args(["import", "--encoding", "utf-8", "inbox/records.csv"]),
        65,
    );
    problem_line(&err, "inbox/records.csv:1: ");
    // Under an ASCII header the first GBK bytes are on line 2.
    let err = stderr_of(
        ws.tally().args([
            "import",
            "--encoding",
            "utf-8",
            "variants/english-header.csv",
        ]),
        65,
    );
    problem_line(&err, "variants/english-header.csv:2: ");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(ledger_bytes(&ws), None, "a refused import writes no ledger");
}

// ---------------------------------------------------------------------------------------
// Headers, BOM, quoting, extra columns.

#[test]
fn headers_bom_quotes_and_extra_columns() {
    let ws = Ws::fixture("reimport-twice");
    ws.write(
        "inbox/odd.csv",
        "\u{feff} Date , DELEGATE ,Activity,次数,Desk,note\n\
         2025-01-10,D01,duty,2,front,\"two lines,\nwith a comma\"\n\
         2025-01-11,李华,值班接访,,back,\n",
    );
    let out = ws.stdout(&["import", "inbox/odd.csv"]);
    assert_eq!(last_line(&out), "2 added, 0 already in the ledger");
    let rows = ws.ledger_rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["delegate"], "D01");
    assert_eq!(rows[0]["count"], "2");
    assert_eq!(rows[0]["note"], "two lines,\nwith a comma");
    assert_eq!(
        rows[0]["Desk"], "front",
        "unknown columns travel into the ledger"
    );
    assert_eq!(rows[0]["source_line"], "2");
    assert_eq!(rows[1]["delegate"], "D02", "a unique name becomes the id");
    assert_eq!(rows[1]["activity"], "duty", "an alias becomes the code");
    assert_eq!(rows[1]["Desk"], "back");
    assert_eq!(
        rows[1]["source_line"], "4",
        "the line after a two-line field"
    );
}

#[test]
fn missing_column_and_ragged_rows_are_located() {
    let ws = Ws::fixture("reimport-twice");
    ws.write("bad/no-activity.csv", "date,delegate\n2025-01-01,D01\n");
    let err = stderr_of(ws.tally().args(["import", "bad/no-activity.csv"]), 65);
    let line = problem_line(&err, "bad/no-activity.csv:1: ");
    assert!(line.contains("activity"), "{line}");
    ws.write(
        "bad/ragged.csv",
        "date,delegate,activity\n2025-01-01,D01\n2025-01-02,D01,duty\n2025-01-03,D01,duty,x\n",
    );
    let err = stderr_of(ws.tally().args(["import", "bad/ragged.csv"]), 65);
    problem_line(&err, "bad/ragged.csv:2: ");
    problem_line(&err, "bad/ragged.csv:4: ");
    assert!(!err.contains("bad/ragged.csv:3"), "{err}");
    ws.write("bad/empty.csv", "");
    let err = stderr_of(ws.tally().args(["import", "bad/empty.csv"]), 65);
    problem_line(&err, "bad/empty.csv:");
    assert_eq!(ledger_bytes(&ws), None);
}

#[test]
fn an_ambiguous_name_is_refused() {
    let ws = Ws::fixture("reimport-twice");
    ws.write(
        "data/delegates.csv",
        "id,name,studio,sector,joined,left\nD01,陈明,海山工作室,,,\nD02,李华,海山工作室,,,\nD03,李华,盐港工作室,,,\n",
    );
    ws.write(
        "bad/names.csv",
        "date,delegate,activity\n2025-01-01,陈明,duty\n2025-01-02,李华,duty\n",
    );
    let err = stderr_of(ws.tally().args(["import", "bad/names.csv"]), 65);
    let line = problem_line(&err, "bad/names.csv:3: delegate: ");
    assert!(line.ends_with("(李华)"), "{line}");
    assert!(!err.contains("bad/names.csv:2"), "{err}");
}

#[test]
fn roster_with_chinese_headers_and_dates() {
    let ws = Ws::fixture("delegate-left-midyear");
    ws.write(
        "data/delegates.csv",
        "编号,姓名,工作室,行业,任职日期,离任日期\n\
         D01,陈明,海山工作室,,,2025年6月30日\n\
         D02,李华,海山工作室,,2025/9/1,\n\
         D03,王芳,海山工作室,,,\n",
    );
    let out = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&out), "3 added, 0 already in the ledger");
    let err = stderr_of(ws.tally().args(["import", "bad/before-joined.csv"]), 65);
    problem_line(&err, "bad/before-joined.csv:2: ");
}

#[test]
fn each_year_has_its_own_ledger_file() {
    let ws = Ws::fixture("reimport-twice");
    ws.write(
        "inbox/turn.csv",
        "date,delegate,activity\n2025-01-01,D01,duty\n2024-12-31,D02,duty\n2024-12-30,D01,duty\n",
    );
    ws.stdout(&["import", "inbox/turn.csv"]);
    let y2024 = ws.read("data/ledger/2024.csv");
    let y2025 = ws.read(LEDGER_2025);
    assert_eq!(y2024.lines().count(), 3, "{y2024}");
    assert_eq!(y2025.lines().count(), 2, "{y2025}");
    let dates: Vec<&str> = y2024
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(dates, ["2024-12-30", "2024-12-31"], "date order");
    let mut visible: Vec<String> = std::fs::read_dir(ws.path().join("data/ledger"))
        .expect("ledger dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    visible.sort();
    assert_eq!(visible, ["2024.csv", "2025.csv"], "no temporary files left");
}

// ---------------------------------------------------------------------------------------
// Re-import.

#[test]
fn reimport_adds_nothing_and_keeps_the_ledger_bytes() {
    let ws = Ws::fixture("reimport-twice");
    let first = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&first), "5 added, 0 already in the ledger");
    let before = ledger_bytes(&ws).expect("ledger written");
    let second = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&second), "0 added, 5 already in the ledger");
    assert_eq!(ledger_bytes(&ws).expect("ledger"), before, "ledger changed");
    assert_eq!(ws.ledger_rows().len(), 5);
    assert_same(
        &ws.stdout(&["quarter", "2025Q1", "--format", "csv"]),
        &ws.read("expected/quarter-2025Q1.csv"),
        "reimport-twice 2025Q1",
    );
}

#[test]
fn same_file_twice_in_one_import_counts_once() {
    let ws = Ws::fixture("reimport-twice");
    ws.write("inbox/resent.csv", &ws.read("inbox/records.csv"));
    let out = ws.stdout(&["import", "inbox/records.csv", "inbox/resent.csv"]);
    assert_eq!(last_line(&out), "5 added, 5 already in the ledger");
    assert_eq!(ws.ledger_rows().len(), 5);
}

#[test]
fn two_identical_rows_both_count_once_each() {
    let ws = Ws::fixture("two-identical-rows");
    let out = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&out), "3 added, 0 already in the ledger");
    let rows = ws.ledger_rows();
    let d01_duty = rows
        .iter()
        .filter(|r| r["delegate"] == "D01" && r["activity"] == "duty" && r["date"] == "2025-02-03")
        .count();
    assert_eq!(d01_duty, 2, "both identical rows are in the ledger");
    assert_same(
        &ws.stdout(&["quarter", "2025Q1", "--format", "csv"]),
        &ws.read("expected/quarter-2025Q1.csv"),
        "two-identical-rows 2025Q1",
    );
    let before = ledger_bytes(&ws).expect("ledger");
    let again = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&again), "0 added, 3 already in the ledger");
    ws.write("inbox/copy.csv", &ws.read("inbox/records.csv"));
    let copy = ws.stdout(&["import", "inbox/copy.csv"]);
    assert_eq!(last_line(&copy), "0 added, 3 already in the ledger");
    assert_eq!(ledger_bytes(&ws).expect("ledger"), before);
}

#[test]
fn a_row_in_two_files_is_recorded_whatever_the_file_order() {
    let a = Ws::fixture("two-identical-rows");
    let b = Ws::fixture("two-identical-rows");
    for ws in [&a, &b] {
        ws.write("inbox/copy.csv", &ws.read("inbox/records.csv"));
    }
    a.stdout(&["import", "inbox/records.csv", "inbox/copy.csv"]);
    b.stdout(&["import", "inbox/copy.csv", "inbox/records.csv"]);
    assert_same(
        &a.read(LEDGER_2025),
        &b.read(LEDGER_2025),
        "ledger after importing the files in the other order",
    );
}

#[test]
fn a_third_identical_row_adds_only_itself() {
    let ws = Ws::fixture("two-identical-rows");
    ws.stdout(&["import", "inbox/records.csv"]);
    ws.write(
        "inbox/three.csv",
        "date,delegate,activity,count,outcome,ref,note\n\
         2025-02-03,D01,duty,,,,\n2025-02-03,D01,duty,,,,\n2025-02-03,D01,duty,,,,\n",
    );
    let out = ws.stdout(&["import", "inbox/three.csv"]);
    assert_eq!(last_line(&out), "1 added, 2 already in the ledger");
    assert_eq!(ws.ledger_rows().len(), 4);
}

// ---------------------------------------------------------------------------------------
// Ids.

#[test]
fn id_reused_with_other_content_is_refused() {
    let ws = Ws::fixture("id-conflict");
    ws.stdout(&["import", "inbox/records.csv"]);
    let before = ledger_bytes(&ws).expect("ledger");
    let err = stderr_of(ws.tally().args(["import", "later/changed.csv"]), 65);
    let line = problem_line(&err, "later/changed.csv:3: id: ");
    assert!(line.ends_with("(R-002)"), "{line}");
    assert!(!err.contains("later/changed.csv:2"), "R-004 is fine: {err}");
    assert_eq!(ledger_bytes(&ws).expect("ledger"), before, "ledger changed");
    let rows = ws.ledger_rows();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["id"] != "R-004"));
}

#[test]
fn id_reused_with_same_content_is_already_there() {
    let ws = Ws::fixture("id-conflict");
    ws.stdout(&["import", "inbox/records.csv"]);
    let before = ledger_bytes(&ws).expect("ledger");
    let out = ws.stdout(&["import", "later/same.csv"]);
    assert_eq!(last_line(&out), "0 added, 1 already in the ledger");
    assert_eq!(ledger_bytes(&ws).expect("ledger"), before);
}

#[test]
fn id_conflict_within_one_import_is_refused() {
    let ws = Ws::fixture("id-conflict");
    let err = stderr_of(
        ws.tally()
            .args(["import", "inbox/records.csv", "later/changed.csv"]),
        65,
    );
    let line = problem_line(&err, "later/changed.csv:3: id: ");
    assert!(line.ends_with("(R-002)"), "{line}");
    assert_eq!(ledger_bytes(&ws), None);
}

// ---------------------------------------------------------------------------------------
// Terms of office.

#[test]
fn record_after_leaving_is_refused() {
    let ws = Ws::fixture("delegate-left-midyear");
    let err = stderr_of(ws.tally().args(["import", "bad/after-left.csv"]), 65);
    let line = problem_line(&err, "bad/after-left.csv:3: delegate: ");
    assert!(line.contains("not in office"), "{line}");
    assert!(line.contains("2025-07-02"), "{line}");
    assert!(
        !err.contains("bad/after-left.csv:2"),
        "D03 is in office: {err}"
    );
    assert_eq!(ledger_bytes(&ws), None);

    // The boundary days are in office.
    let out = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&out), "3 added, 0 already in the ledger");
    let before = ledger_bytes(&ws).expect("ledger");
    ws.tally()
        .args(["import", "bad/after-left.csv"])
        .assert()
        .code(65);
    assert_eq!(ledger_bytes(&ws).expect("ledger"), before);
}

#[test]

fn not_in_office_shows_the_value_of_the_cell() {
    let ws = Ws::fixture("delegate-left-midyear");
    let err = stderr_of(ws.tally().args(["import", "bad/after-left.csv"]), 65);
    let line = problem_line(&err, "bad/after-left.csv:3: delegate: ");
    assert!(line.ends_with("(D01)"), "{line}");
}

#[test]
fn record_before_joining_is_refused() {
    let ws = Ws::fixture("delegate-left-midyear");
    let err = stderr_of(ws.tally().args(["import", "bad/before-joined.csv"]), 65);
    let line = problem_line(&err, "bad/before-joined.csv:2: delegate: ");
    assert!(line.contains("not in office"), "{line}");
    assert!(line.contains("2025-08-31"), "{line}");
    assert!(line.ends_with("(李华)"), "{line}");
    assert_eq!(ledger_bytes(&ws), None);
}

// ---------------------------------------------------------------------------------------
// Dates.

#[test]
fn the_four_date_forms_are_one_day() {
    let ws = Ws::fixture("date-forms");
    ws.stdout(&["import", "inbox/records.csv"]);
    let rows = ws.ledger_rows();
    let mut notes: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["note"].as_str(), r["date"].as_str()))
        .collect();
    notes.sort();
    assert_eq!(
        notes,
        vec![
            ("chinese", "2025-03-01"),
            ("dots", "2025-03-01"),
            ("iso", "2025-03-01"),
            ("slashes", "2025-03-01"),
        ]
    );
}

#[test]
fn an_ambiguous_date_is_refused() {
    let ws = Ws::fixture("date-forms");
    ws.stdout(&["import", "inbox/records.csv"]);
    let before = ledger_bytes(&ws).expect("ledger");
    let err = stderr_of(ws.tally().args(["import", "bad/us-date.csv"]), 65);
    let line = problem_line(&err, "bad/us-date.csv:3: date: ");
    assert!(line.ends_with("(03/01/2025)"), "{line}");
    assert_eq!(ledger_bytes(&ws).expect("ledger"), before);
}

#[test]
fn a_date_after_today_is_refused() {
    let ws = Ws::fixture("date-forms");
    ws.write(
        "bad/future.csv",
        "date,delegate,activity\n2026-01-16,D01,duty\n",
    );
    let err = stderr_of(ws.tally().args(["import", "bad/future.csv"]), 65);
    let line = problem_line(&err, "bad/future.csv:2: date: ");
    assert!(line.ends_with("(2026-01-16)"), "{line}");
}

// ---------------------------------------------------------------------------------------
// Rules and tally.toml.

#[test]
fn unknown_key_in_rules_is_located() {
    let ws = Ws::fixture("unknown-rules-key");
    let err = stderr_of(ws.tally().arg("check"), 78);
    let line = problem_line(&err, "rules/custom.toml:95:1: ");
    assert!(line.contains("unknown field"), "{line}");
    assert!(line.contains("pionts"), "{line}");
    // Every command that needs the rules refuses them the same way.
    let err = stderr_of(ws.tally().args(["quarter", "2025Q1"]), 78);
    problem_line(&err, "rules/custom.toml:95:1: ");
}

#[test]
fn unknown_key_in_tally_toml_is_located() {
    let ws = Ws::fixture("unknown-rules-key");
    let err = stderr_of(ws.tally().args(["-w", "typo-in-config", "check"]), 78);
    let line = problem_line(&err, "typo-in-config/tally.toml:3:1: ");
    assert!(line.contains("unknown field"), "{line}");
    assert!(line.contains("delegate"), "{line}");
    let err = stderr_of(
        ws.tally()
            .current_dir(ws.path().join("typo-in-config"))
            .arg("check"),
        78,
    );
    problem_line(&err, "tally.toml:3:1: ");
}

#[test]
fn rules_override_flag_is_used() {
    let ws = Ws::fixture("reimport-twice");
    ws.write(
        "draft.toml",
        &std::fs::read_to_string(repo_rules()).expect("rules"),
    );
    ws.tally()
        .args(["--rules", "draft.toml", "check"])
        .assert()
        .success();
    ws.write(
        "draft.toml",
        "[meta]\nname = \"x\"\ncycle = \"year\"\nbogus = 1\n",
    );
    let err = stderr_of(ws.tally().args(["--rules", "draft.toml", "check"]), 78);
    problem_line(&err, "draft.toml:4:1: ");
}

// ---------------------------------------------------------------------------------------
// All or nothing, every problem listed.

#[test]
fn every_bad_row_is_listed_and_nothing_added() {
    let ws = Ws::fixture("bad-rows-all-listed");
    let err = stderr_of(ws.tally().args(["import", "inbox/bad.csv"]), 65);
    let expected: [(&str, Option<&str>); 8] = [
        ("inbox/bad.csv:2: delegate: ", Some("(D09)")),
        ("inbox/bad.csv:3: activity: ", Some("(dancing)")),
        ("inbox/bad.csv:4: date: ", Some("(2025-13-01)")),
        ("inbox/bad.csv:5: count: ", Some("(0)")),
        ("inbox/bad.csv:6: count: ", Some("(1.5)")),
        ("inbox/bad.csv:7: outcome: ", None),
        ("inbox/bad.csv:8: ref: ", None),
        ("inbox/bad.csv:9: outcome: ", Some("(happy)")),
    ];
    for (prefix, value) in expected {
        let line = problem_line(&err, prefix);
        if let Some(v) = value {
            assert!(line.ends_with(v), "{line} should end with {v}");
        }
    }
    let listed = err.lines().filter(|l| l.contains("inbox/bad.csv:")).count();
    assert_eq!(listed, 8, "exactly the 8 problems:\n{err}");
    assert!(!err.contains("inbox/bad.csv:10"), "{err}");
    assert!(
        !ws.path().join("data/ledger").join("2025.csv").exists(),
        "no ledger file"
    );
    assert!(err.lines().all(|l| !l.contains("panicked")));
}

#[test]
fn a_long_problem_list_stops_at_fifty() {
    let ws = Ws::fixture("bad-rows-all-listed");
    let mut csv = String::from("date,delegate,activity,count,outcome,ref,note\n");
    for i in 0..60 {
        csv.push_str(&format!("2025-01-10,X{i:02},duty,,,,\n"));
    }
    ws.write("gen/sixty.csv", &csv);
    let err = stderr_of(ws.tally().args(["import", "gen/sixty.csv"]), 65);
    let listed: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("gen/sixty.csv:"))
        .collect();
    assert_eq!(listed.len(), 50, "{err}");
    problem_line(&err, "gen/sixty.csv:2: delegate: ");
    problem_line(&err, "gen/sixty.csv:51: delegate: ");
    assert!(!err.contains("gen/sixty.csv:52:"), "{err}");
    let more: Vec<&str> = err
        .lines()
        .filter(|l| l.trim_start_matches("error: ") == "and 10 more")
        .collect();
    assert_eq!(more.len(), 1, "{err}");
    assert_eq!(ledger_bytes(&ws), None);
}

// ---------------------------------------------------------------------------------------
// init.

fn repo_rules() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/yantian-2013.toml")
}

#[test]
fn init_creates_a_workspace() {
    let ws = Ws::empty();
    ws.tally().args(["init", "newws"]).assert().success();
    let toml = ws.read("newws/tally.toml");
    assert!(toml.contains("[workspace]"), "{toml}");
    assert_eq!(
        std::fs::read(ws.path().join("newws/rules/yantian-2013.toml")).expect("rules written"),
        std::fs::read(repo_rules()).expect("repo rules"),
        "init's rules differ from rules/yantian-2013.toml"
    );
    let headers = [
        ("delegates", "id,name,studio,sector,joined,left"),
        (
            "petitions",
            "id,received,delegate,channel,category,summary,department,forwarded,due,replied,resolved,satisfaction,kind",
        ),
        ("evaluations", "year,delegate,group,score"),
        ("adjustments", "id,date,delegate,points,reason,approved_by"),
    ];
    for (file, header) in headers {
        let t = ws.read(&format!("newws/data/{file}.csv"));
        assert_eq!(t.lines().collect::<Vec<_>>(), vec![header], "{file}.csv");
    }
    // The new workspace is usable at once, and speaks Chinese (`lang = "zh"`).
    let out = ws.stdout(&["-w", "newws", "check"]);
    assert!(out.contains("0 位代表"), "{out}");
}

#[test]
fn init_twice_changes_nothing() {
    let ws = Ws::empty();
    ws.tally().args(["init", "newws"]).assert().success();
    let roster = "id,name,studio,sector,joined,left\nD01,陈明,海山工作室,,,\n";
    ws.write("newws/data/delegates.csv", roster);
    let toml = ws.read("newws/tally.toml");
    let out = ws.tally().args(["init", "newws"]).assert().failure();
    let code = out.get_output().status.code();
    assert!(code.is_some_and(|c| c != 0), "{code:?}");
    let err = text(&out.get_output().stderr);
    assert!(err.contains("newws"), "{err}");
    assert_eq!(ws.read("newws/data/delegates.csv"), roster);
    assert_eq!(ws.read("newws/tally.toml"), toml);
}

// ---------------------------------------------------------------------------------------
// rules.

const ITEM_CODES: [&str; 14] = [
    "duty",
    "petition_agent",
    "petition_resolved",
    "outreach",
    "community",
    "inspection",
    "proposal",
    "motion_lead",
    "motion_cosign",
    "inquiry",
    "written_advice",
    "volunteer",
    "mentoring",
    "emergency",
];

#[test]
fn rules_without_a_workspace_prints_the_default_table() {
    let ws = Ws::empty();
    let out = ws.stdout(&["rules", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers = r.headers().expect("header").clone();
    let code = headers
        .iter()
        .position(|h| h == "code")
        .expect("a code column");
    let codes: Vec<String> = r
        .records()
        .map(|rec| rec.expect("row")[code].to_owned())
        .collect();
    assert_eq!(codes, ITEM_CODES);
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let ws = Ws::empty();
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader); // like `| head -0`: nobody reads
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .current_dir(ws.path())
        .env("TALLY_TODAY", common::TODAY)
        .env_remove("TALLY_WORKSPACE")
        .args(["rules", "--format", "csv"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("runs");
    let err = text(&status.stderr);
    assert_eq!(status.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Global flags and exit codes.

#[test]
fn quiet_silences_the_import_summary() {
    let ws = Ws::fixture("reimport-twice");
    let (out, err) = output_of(ws.tally().args(["-q", "import", "inbox/records.csv"]), 0);
    assert_eq!(out, "");
    assert_eq!(err, "");
    assert_eq!(ws.ledger_rows().len(), 5);
    // Errors still speak under -q.
    let (out, err) = output_of(ws.tally().args(["-q", "import", "nope.csv"]), 66);
    assert_eq!(out, "");
    assert!(err.contains("nope.csv"), "{err}");
}

#[test]
fn missing_roster_is_exit_66() {
    let ws = Ws::fixture("reimport-twice");
    std::fs::remove_file(ws.path().join("data/delegates.csv")).expect("rm");
    let err = stderr_of(ws.tally().args(["import", "inbox/records.csv"]), 66);
    assert!(err.contains("data/delegates.csv"), "{err}");
    assert_eq!(ledger_bytes(&ws), None);
    let err = stderr_of(ws.tally().args(["quarter", "2025Q1"]), 66);
    assert!(err.contains("data/delegates.csv"), "{err}");
}

#[test]
fn missing_input_file_is_exit_66() {
    let ws = Ws::fixture("reimport-twice");
    let err = stderr_of(
        ws.tally()
            .args(["import", "inbox/records.csv", "inbox/nope.csv"]),
        66,
    );
    assert!(err.contains("inbox/nope.csv"), "{err}");
    assert_eq!(ledger_bytes(&ws), None, "all or nothing");
}

#[test]
fn unknown_flag_is_exit_2() {
    let ws = Ws::fixture("reimport-twice");
    ws.tally()
        .args(["import", "--bogus", "inbox/records.csv"])
        .assert()
        .code(2)
        .stderr(contains("--bogus"));
    ws.tally()
        .args(["--bogus", "rules"])
        .assert()
        .code(2)
        .stderr(contains("--bogus"));
    ws.tally()
        .args(["import", "--encoding", "latin1", "inbox/records.csv"])
        .assert()
        .code(2)
        .stderr(contains("latin1"));
    assert_eq!(ledger_bytes(&ws), None);
}

#[test]
fn dry_run_reports_but_writes_nothing() {
    let ws = Ws::fixture("reimport-twice");
    let out = ws.stdout(&["import", "--dry-run", "inbox/records.csv"]);
    assert!(
        last_line(&out).starts_with("5 would be added, 0 already in the ledger"),
        "{out}"
    );
    assert_eq!(ledger_bytes(&ws), None);
    let out = ws.stdout(&["import", "inbox/records.csv"]);
    assert_eq!(last_line(&out), "5 added, 0 already in the ledger");
    let before = ledger_bytes(&ws).expect("ledger");
    let out = ws.stdout(&["import", "--dry-run", "inbox/records.csv"]);
    assert!(
        last_line(&out).starts_with("0 would be added, 5 already in the ledger"),
        "{out}"
    );
    assert_eq!(ledger_bytes(&ws).expect("ledger"), before);
}

#[test]
fn dry_run_still_refuses_bad_rows() {
    let ws = Ws::fixture("bad-rows-all-listed");
    let err = stderr_of(
        ws.tally().args(["import", "--dry-run", "inbox/bad.csv"]),
        65,
    );
    problem_line(&err, "inbox/bad.csv:2: delegate: ");
}

// ---------------------------------------------------------------------------------------
// Which workspace.

#[test]
fn workspace_flag_and_env_from_another_folder() {
    let ws = Ws::fixture("reimport-twice");
    let elsewhere = Ws::empty();
    let root = ws.path().to_str().expect("utf-8 path").to_owned();
    let records = ws.path().join("inbox/records.csv");
    ws.tally()
        .current_dir(elsewhere.path())
        .args(["-w", &root, "import"])
        .arg(&records)
        .assert()
        .success();
    let rows = ws.ledger_rows();
    assert_eq!(rows.len(), 5);
    assert!(
        rows.iter().all(|r| r["source"] == "inbox/records.csv"),
        "sources are relative to the workspace"
    );
    let expected = ws.read("expected/quarter-2025Q1.csv");
    let by_flag = ws
        .tally()
        .current_dir(elsewhere.path())
        .args(["--workspace", &root, "quarter", "2025Q1", "--format", "csv"])
        .assert()
        .success();
    assert_same(
        &text(&by_flag.get_output().stdout),
        &expected,
        "quarter with --workspace",
    );
    let by_env = ws
        .tally()
        .current_dir(elsewhere.path())
        .env("TALLY_WORKSPACE", &root)
        .args(["quarter", "2025Q1", "--format", "csv"])
        .assert()
        .success();
    assert_same(
        &text(&by_env.get_output().stdout),
        &expected,
        "quarter with TALLY_WORKSPACE",
    );
    // The flag wins over the environment.
    let by_both = ws
        .tally()
        .current_dir(elsewhere.path())
        .env("TALLY_WORKSPACE", elsewhere.path())
        .args(["-w", &root, "quarter", "2025Q1", "--format", "csv"])
        .assert()
        .success();
    assert_same(
        &text(&by_both.get_output().stdout),
        &expected,
        "-w over TALLY_WORKSPACE",
    );
    // And with neither, there is no workspace here.
    let err = stderr_of(
        ws.tally()
            .current_dir(elsewhere.path())
            .args(["quarter", "2025Q1"]),
        66,
    );
    assert!(err.contains("tally.toml"), "{err}");
}

#[test]
fn workspace_found_in_a_parent_folder() {
    let ws = Ws::fixture("reimport-twice");
    let deeper = ws.path().join("sub/deeper");
    std::fs::create_dir_all(&deeper).expect("mkdir");
    let out = ws
        .tally()
        .current_dir(&deeper)
        .args(["import", "../../inbox/records.csv"])
        .assert()
        .success();
    let out = text(&out.get_output().stdout);
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.starts_with("../../inbox/records.csv: ")),
        "paths are shown relative to where the user stands:\n{out}"
    );
    let rows = ws.ledger_rows();
    assert!(rows.iter().all(|r| r["source"] == "inbox/records.csv"));
    let q = ws
        .tally()
        .current_dir(&deeper)
        .args(["quarter", "2025Q1", "--format", "csv"])
        .assert()
        .success();
    assert_same(
        &text(&q.get_output().stdout),
        &ws.read("expected/quarter-2025Q1.csv"),
        "quarter from a subfolder",
    );
}

#[test]
fn workspace_dir_without_tally_toml_is_exit_66() {
    let ws = Ws::fixture("reimport-twice");
    std::fs::create_dir_all(ws.path().join("empty")).expect("mkdir");
    let err = stderr_of(ws.tally().args(["-w", "empty", "check"]), 66);
    assert!(err.contains("empty"), "{err}");
}

// ---------------------------------------------------------------------------------------
// check.

#[test]
fn check_passes_on_a_clean_workspace() {
    let ws = Ws::fixture("reimport-twice");
    ws.import_inbox();
    let out = ws.stdout(&["check"]);
    assert!(out.contains("2 delegates"), "{out}");
    assert!(out.contains("5 ledger records"), "{out}");
}

#[test]
fn check_finds_a_bad_roster_row() {
    let ws = Ws::fixture("reimport-twice");
    ws.write(
        "data/delegates.csv",
        "id,name,studio,sector,joined,left\nD01,陈明,海山工作室,,,\nD01,李华,海山工作室,,,\n",
    );
    let err = stderr_of(ws.tally().arg("check"), 1);
    let line = problem_line(&err, "data/delegates.csv:3: id: ");
    assert!(line.ends_with("(D01)"), "{line}");
}

#[test]
fn check_finds_a_hand_edited_ledger_row() {
    let ws = Ws::fixture("reimport-twice");
    ws.import_inbox();
    let ledger = ws.read(LEDGER_2025).replace(",D02,duty,", ",D09,duty,");
    ws.write(LEDGER_2025, &ledger);
    let err = stderr_of(ws.tally().arg("check"), 1);
    let line = problem_line(&err, "data/ledger/2025.csv:4: delegate: ");
    assert!(line.ends_with("(D09)"), "{line}");
}

/// Issue 9: a record is validated in one place, so `check` and the engine behind `quarter`
/// say the same words of the same bad ledger row; `check` lists, `quarter` stops (exit 65).
#[test]
fn check_and_quarter_say_the_same_of_a_bad_ledger_row() {
    let cases = [
        (
            ",D02,duty,",
            ",D09,duty,",
            "2025.csv:4: delegate: not in the roster (D09)",
        ),
        (
            ",D02,duty,",
            ",D02,dutty,",
            "2025.csv:4: activity: not an item code of the rules (dutty)",
        ),
        (
            "2025-03-05,D02,",
            "2024-03-05,D02,",
            "2025.csv:4: date: not in 2025, the year of this file (2024-03-05)",
        ),
        (
            ",D02,petition_agent,1,,",
            ",D02,petition_resolved,1,happy,",
            "2025.csv:5: outcome: not an outcome of petition_resolved, expected one of \
             very_satisfied, satisfied, dissatisfied (happy)",
        ),
    ];
    for (from, to, said) in cases {
        let ws = Ws::fixture("reimport-twice");
        ws.import_inbox();
        let ledger = ws.read(LEDGER_2025);
        assert!(ledger.contains(from), "{from} in\n{ledger}");
        ws.write(LEDGER_2025, &ledger.replacen(from, to, 1));
        let checked = stderr_of(ws.tally().arg("check"), 1);
        let scored = stderr_of(ws.tally().args(["quarter", "2025Q4"]), 65);
        let line = format!("data/ledger/{said}");
        // Located to the column: `data/ledger/2025.csv:4: delegate: `.
        let at: String = line.split_inclusive(": ").take(2).collect();
        let at = at.as_str();
        assert_eq!(problem_line(&checked, at), line, "{checked}");
        assert_eq!(problem_line(&scored, at), line, "{scored}");
        assert!(scored.contains(&format!("error: {line}")), "{scored}");
    }
}

/// A delegate out of office on a record's date is a problem to `check` and to import, in the
/// same words, and scored as written by the engine, as before issue 9.
#[test]
fn out_of_office_is_checked_and_still_scored() {
    let ws = Ws::fixture("reimport-twice");
    ws.import_inbox();
    ws.write(
        "data/delegates.csv",
        "id,name,studio,sector,joined,left\nD01,陈明,海山工作室,,,\nD02,李华,海山工作室,,,2025-03-01\n",
    );
    let err = stderr_of(ws.tally().arg("check"), 1);
    let line = problem_line(&err, "data/ledger/2025.csv:4: delegate: ");
    assert_eq!(
        line,
        "data/ledger/2025.csv:4: delegate: D02 李华 was not in office on 2025-03-05 (left 2025-03-01) (D02)"
    );
    ws.stdout(&["quarter", "2025Q1"]);
    // Import says the same of a new row, with the cell as written.
    ws.write(
        "late/rows.csv",
        "date,delegate,activity,count,outcome,ref,note\n2025-03-05,李华,duty,,,,\n",
    );
    let err = stderr_of(ws.tally().args(["import", "late/rows.csv"]), 65);
    let line = problem_line(&err, "late/rows.csv:2: delegate: ");
    assert_eq!(
        line,
        "late/rows.csv:2: delegate: D02 李华 was not in office on 2025-03-05 (left 2025-03-01) (李华)"
    );
}

// ---------------------------------------------------------------------------------------
// The command line itself.

#[test]
fn cli_definition_is_consistent() {
    use clap::CommandFactory;
    tally::cli::Cli::command().debug_assert();
}
