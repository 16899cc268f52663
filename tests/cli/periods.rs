//! Periods that have not begun are refused (exit 2, naming today); a period still in
//! progress says so in its title, with the date of the newest record (SPEC §10).

use crate::common;
use common::Ws;
use predicates::str::contains;

fn ws() -> Ws {
    let ws = Ws::fixture("period-in-progress");
    ws.import_inbox();
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/yantian-2013.toml");
    ws.write(
        "draft.toml",
        &std::fs::read_to_string(rules).expect("default rules"),
    );
    ws
}

#[test]
fn a_period_not_begun_is_refused_naming_today() {
    let ws = ws();
    let cases: [&[&str]; 5] = [
        &["quarter", "2026Q2"],
        &["annual", "2027"],
        &["explain", "D01", "2026Q3"],
        &["diff-rules", "draft.toml", "2026Q2"],
        &["diff-rules", "draft.toml", "2027"],
    ];
    for args in cases {
        ws.tally()
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("has not begun: today is 2026-01-15"));
    }
}

#[test]
fn a_period_in_progress_says_how_far_the_data_goes() {
    let ws = ws();
    let note = "(in progress, data up to 2026-01-10)";
    let quarter = ws.stdout(&["quarter", "2026Q1"]);
    assert!(
        quarter.lines().next().is_some_and(|l| l.contains(note)),
        "{quarter}"
    );
    let annual = ws.stdout(&["annual", "2026"]);
    assert!(
        annual.lines().next().is_some_and(|l| l.contains(note)),
        "{annual}"
    );
    let explain = ws.stdout(&["explain", "D01", "2026Q1"]);
    assert!(explain.contains(note), "{explain}");
    let diff = ws.stdout(&["diff-rules", "draft.toml", "2026"]);
    assert!(
        diff.lines().next().is_some_and(|l| l.contains(note)),
        "{diff}"
    );
    // The figures themselves are those of the records so far (NOTES.md).
    let csv = ws.stdout(&["quarter", "2026Q1", "--format", "csv"]);
    assert!(csv.contains(",D01,刘洋,5,5,"), "{csv}");
}

#[test]
fn a_period_over_has_no_note() {
    let ws = ws();
    let quarter = ws.stdout(&["quarter", "2025Q4"]);
    assert!(!quarter.contains("in progress"), "{quarter}");
}
