//! Messages in a `zh` run: the bad inputs of `tests/fixtures/bad-*` run with `--lang zh`
//! say what is wrong in Chinese, in the same frame (`file:line: column: message (value)`),
//! with the same exit code as in English. The English wording is pinned byte for byte by
//! the golden files of `tests/bad_inputs.rs`.

mod common;

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
