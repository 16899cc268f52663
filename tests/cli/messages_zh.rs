//! Messages in a `zh` run: the bad inputs of `tests/fixtures/bad-*`, and `check` and
//! `import` on their usual problems, run with `--lang zh`, say what is wrong in Chinese, in
//! the same frame (`file:line: column: message (value)`), with the same exit code as in
//! English. The English wording is pinned byte for byte by the golden files of
//! `tests/cli/bad_inputs.rs`.

use crate::common;

use common::Ws;

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// stderr and exit code of `tally --lang zh <args>` in a copy of fixture `case`.
fn run_zh(case: &str, args: &[&str]) -> (String, i32) {
    let ws = Ws::fixture(case);
    let out = ws
        .tally()
        .arg("--lang")
        .arg("zh")
        .args(args)
        .output()
        .expect("tally runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (stderr, out.status.code().unwrap_or(-1))
}

fn expected_code(case: &str) -> i32 {
    let text = std::fs::read_to_string(common::fixtures().join(case).join("expected.code"))
        .expect("expected.code");
    text.trim().parse().expect("a code")
}

/// The line of `stderr` about `located` (`inbox/a.csv:2: delegate: `): its message part
/// is Chinese, and it ends with the value in parentheses.
fn assert_chinese_problem(stderr: &str, located: &str, value: &str) {
    let line = stderr
        .lines()
        .find(|l| l.contains(located))
        .unwrap_or_else(|| panic!("no line with {located:?} in:\n{stderr}"));
    assert!(line.starts_with("错误："), "{line}");
    let rest = &line[line.find(located).expect("located") + located.len()..];
    let message = rest
        .strip_suffix(&format!(" ({value})"))
        .unwrap_or_else(|| {
            panic!("{line:?} does not end with the value ({value})");
        });
    assert!(message.chars().any(is_cjk), "not Chinese: {line}");
    assert!(!message.contains("not "), "English left in: {line}");
}

#[test]
fn an_unknown_delegate_and_activity_are_told_in_chinese() {
    let case = "bad-hostile-escapes";
    let (stderr, code) = run_zh(case, &["import", "inbox/a.csv"]);
    assert_eq!(code, expected_code(case), "{stderr}");
    assert_chinese_problem(
        &stderr,
        "inbox/a.csv:2: delegate: ",
        "D001\\x1b]8;;http://x\\x07click\\x1b]8;;\\x07",
    );
    assert_chinese_problem(
        &stderr,
        "inbox/a.csv:3: activity: ",
        "\\x1b[2J\\x1b[H\\u{9b}31m",
    );
}

#[test]
fn a_bad_date_and_a_bad_count_are_told_in_chinese() {
    let (stderr, code) = run_zh("bad-feb-30", &["import", "inbox/a.csv"]);
    assert_eq!(code, expected_code("bad-feb-30"), "{stderr}");
    assert_chinese_problem(&stderr, "inbox/a.csv:2: date: ", "2025-02-30");
    assert_chinese_problem(&stderr, "inbox/a.csv:3: date: ", "2025/2/29");

    let (stderr, code) = run_zh("bad-count-1.5", &["import", "inbox/a.csv"]);
    assert_eq!(code, expected_code("bad-count-1.5"), "{stderr}");
    assert_chinese_problem(&stderr, "inbox/a.csv:2: count: ", "1.5");
}

#[test]
fn an_empty_required_cell_is_told_in_chinese() {
    let (stderr, code) = run_zh("bad-empty-delegate", &["import", "inbox/a.csv"]);
    assert_eq!(code, expected_code("bad-empty-delegate"), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("inbox/a.csv:2: delegate: "))
        .expect("the empty delegate");
    assert!(line.starts_with("错误："), "{line}");
    assert!(line.ends_with("必填，此处为空"), "{line}");
}

#[test]
fn a_ledger_problem_keeps_its_location_and_value() {
    let case = "bad-ledger-count-huge";
    let (stderr, code) = run_zh(case, &["quarter", "2025Q1"]);
    assert_eq!(code, expected_code(case), "{stderr}");
    assert_chinese_problem(
        &stderr,
        "data/ledger/2025.csv:3: count: ",
        "99999999999999999999",
    );
}

#[test]
fn a_missing_file_is_told_in_chinese_with_its_exit_code() {
    let (stderr, code) = run_zh("bad-missing-file", &["import", "inbox/none.csv"]);
    assert_eq!(code, 66, "{stderr}");
    assert!(stderr.starts_with("错误：inbox/none.csv："), "{stderr}");
    assert!(stderr.contains("文件不存在"), "{stderr}");
}

#[test]
fn the_same_inputs_in_english_are_unchanged() {
    let ws = Ws::fixture("bad-feb-30");
    let out = ws
        .tally()
        .args(["--lang", "en", "import", "inbox/a.csv"])
        .output()
        .expect("tally runs");
    let golden = std::fs::read_to_string(common::fixtures().join("bad-feb-30/expected.stderr"))
        .expect("golden stderr");
    assert_eq!(String::from_utf8_lossy(&out.stderr), golden);
}

/// stdout, stderr and exit code of `tally --lang <lang> <args>` in `ws`.
fn run_in(ws: &Ws, lang: &str, args: &[&str]) -> (String, String, i32) {
    let out = ws
        .tally()
        .args(["--lang", lang])
        .args(args)
        .output()
        .expect("tally runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// The line of `check`'s stderr about `located`: no prefix, as in English, then a Chinese
/// message and the value in parentheses.
fn assert_chinese_check_line(stderr: &str, located: &str, value: &str) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with(located))
        .unwrap_or_else(|| panic!("no line starting {located:?} in:\n{stderr}"));
    let message = line[located.len()..]
        .strip_suffix(&format!(" ({value})"))
        .unwrap_or_else(|| panic!("{line:?} does not end with the value ({value})"));
    assert!(message.chars().any(is_cjk), "not Chinese: {line}");
    assert!(!message.contains(" the "), "English left in: {line}");
}

#[test]
fn check_tells_its_problems_notes_and_summary_in_chinese() {
    let ws = Ws::fixture("petitions-reconcile-mismatches");
    ws.import_inbox();
    let (_, en, en_code) = run_in(&ws, "en", &["check"]);
    let (_, stderr, code) = run_in(&ws, "zh", &["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(code, en_code);
    assert!(en.contains("check found 6 problems"), "{en}");
    assert_chinese_check_line(&stderr, "data/ledger/2025.csv:5: ref: ", "P9");
    assert_chinese_check_line(&stderr, "data/ledger/2025.csv:9: date: ", "2025-02-15");
    assert_chinese_check_line(
        &stderr,
        "data/ledger/2025.csv:10: outcome: ",
        "very_satisfied",
    );
    let note = stderr
        .lines()
        .find(|l| l.contains("data/petitions.csv:5"))
        .expect("the unclaimed resolution");
    assert!(note.starts_with("提示："), "{note}");
    assert!(note.contains("P4") && note.contains("2025-03-05"), "{note}");
    assert_eq!(stderr.lines().last(), Some("检查发现 6 个问题"), "{stderr}");
}

#[test]
fn check_of_a_broken_ledger_header_is_chinese_with_the_same_exit_code() {
    let ws = Ws::fixture("reimport-twice");
    ws.write("data/ledger/2024.csv", "date\n");
    let (_, en, en_code) = run_in(&ws, "en", &["check"]);
    let (_, stderr, code) = run_in(&ws, "zh", &["check"]);
    assert_eq!(code, en_code, "{en}\n{stderr}");
    assert_eq!(code, 1);
    // One line per missing column, or the file's problems on one line: either way the
    // header's line is named and its value kept.
    let line = stderr
        .lines()
        .find(|l| l.starts_with("data/ledger/2024.csv") && l.contains("缺少列 delegate"))
        .unwrap_or_else(|| panic!("no line for the broken file:\n{stderr}"));
    assert!(line.contains("data/ledger/2024.csv:1: "), "{line}");
    assert!(line.ends_with("(date)"), "{line}");
    let summary = stderr.lines().last().expect("a summary");
    assert!(summary.starts_with("检查发现 "), "{summary}");
    assert!(summary.ends_with(" 个问题"), "{summary}");
}

#[test]
fn an_import_summary_is_chinese() {
    let ws = Ws::fixture("reimport-twice");
    let (stdout, stderr, code) = run_in(&ws, "zh", &["import", "inbox/records.csv"]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("inbox/records.csv："), "{stdout}");
    for line in &lines {
        assert!(line.chars().any(is_cjk), "not Chinese: {line}");
        assert!(!line.contains("added"), "English left in: {line}");
    }
    let (again, _, code) = run_in(&ws, "zh", &["import", "--dry-run", "inbox/records.csv"]);
    assert_eq!(code, 0);
    assert!(again.contains("条已在台账中"), "{again}");
    assert!(again.contains("试运行"), "{again}");
}

#[test]
fn a_refused_import_is_chinese_keeping_its_location_value_and_exit_code() {
    let ws = Ws::fixture("id-conflict");
    ws.import_inbox();
    let args = ["import", "later/changed.csv", "later/same.csv"];
    let (_, en, en_code) = run_in(&ws, "en", &args);
    let (_, stderr, code) = run_in(&ws, "zh", &args);
    assert_eq!(code, 65, "{stderr}");
    assert_eq!(code, en_code, "{en}");
    assert!(en.contains("import refused: "), "{en}");
    let conflicts = stderr.lines().filter(|l| l.contains(": id: ")).count();
    assert!(conflicts > 0, "{stderr}");
    for line in stderr.lines().filter(|l| l.contains(": id: ")) {
        assert!(line.starts_with("错误："), "{line}");
        assert!(line.contains("later/"), "{line}");
        assert!(line.ends_with(')'), "{line}");
        assert!(!line.contains("already"), "English left in: {line}");
    }
    let last = stderr.lines().last().expect("the refusal");
    assert!(last.starts_with("错误：导入被拒绝"), "{last}");
    assert!(last.contains("台账未添加任何记录"), "{last}");
}
