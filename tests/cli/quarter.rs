//! `tally quarter` on hand-checked fixtures (each figure checked against the point table;
//! see NOTES.md in each fixture).

use crate::common;
use common::{Ws, assert_same};

fn check(fixture: &str, period: &str, extra: &[&str]) {
    let ws = Ws::fixture(fixture);
    ws.import_inbox();
    let mut args = vec!["quarter", period, "--format", "csv"];
    args.extend_from_slice(extra);
    let actual = ws.stdout(&args);
    let expected = ws.read(&format!("expected/quarter-{period}.csv"));
    assert_same(&actual, &expected, &format!("{fixture} {period}"));
}

#[test]
fn cap_crosses_quarter() {
    check("cap-crosses-quarter", "2025Q1", &[]);
    check("cap-crosses-quarter", "2025Q2", &[]);
}

#[test]
fn competition_rank_ties() {
    check("competition-rank-ties", "2025Q1", &[]);
    check("competition-rank-ties", "2025Q2", &[]);
}

#[test]
fn delegate_new_this_quarter() {
    check("delegate-new-this-quarter", "2025Q1", &[]);
    check("delegate-new-this-quarter", "2025Q2", &[]);
}

#[test]
fn negative_adjustment() {
    check("negative-adjustment", "2025Q1", &[]);
    check("negative-adjustment", "2025Q2", &[]);
}

#[test]
fn outcome_points() {
    check("outcome-points", "2025Q1", &[]);
}

#[test]
fn rank_within_all() {
    check("rank-within-all", "2025Q1", &["--rank-within", "all"]);
}

#[test]
fn bad_period_is_a_usage_error() {
    let ws = Ws::fixture("outcome-points");
    for bad in ["2025Q5", "2025-3", "Q3"] {
        ws.tally()
            .args(["quarter", bad])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("expected a quarter like 2025Q3"));
    }
}

#[test]
fn studio_filter_keeps_ranks() {
    let ws = Ws::fixture("competition-rank-ties");
    ws.import_inbox();
    let all = ws.stdout(&["quarter", "2025Q2", "--format", "csv"]);
    let studio = all
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').nth(1))
        .expect("a row")
        .to_owned();
    let only = ws.stdout(&["quarter", "2025Q2", "--format", "csv", "--studio", &studio]);
    let expected: Vec<&str> = all
        .lines()
        .filter(|l| l.starts_with("period") || l.contains(&studio))
        .collect();
    assert_eq!(only.lines().collect::<Vec<_>>(), expected);
}
