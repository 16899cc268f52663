//! `tally petitions` on hand-checked fixtures (every figure computed by hand from the
//! definitions; see NOTES.md in each `tests/fixtures/petitions-*` folder).

use crate::common;
use common::{Ws, assert_same, check_petitions};

#[test]
fn every_status_open_list() {
    check_petitions(
        "petitions-every-status",
        "2025-06-30",
        &[],
        "open-2025-06-30",
    );
}

#[test]
fn every_status_by_department() {
    check_petitions(
        "petitions-every-status",
        "2025-06-30",
        &["--by", "department"],
        "by-department-2025-06-30",
    );
}

#[test]
fn every_status_by_department_petitions_only() {
    check_petitions(
        "petitions-every-status",
        "2025-06-30",
        &["--by", "department", "--kind", "petition"],
        "by-department-petition-2025-06-30",
    );
}

#[test]
fn every_status_by_category() {
    check_petitions(
        "petitions-every-status",
        "2025-06-30",
        &["--by", "category"],
        "by-category-2025-06-30",
    );
}

#[test]
fn as_of_moves_status_and_hides_later_items() {
    check_petitions("petitions-as-of", "2025-05-10", &[], "open-2025-05-10");
    check_petitions("petitions-as-of", "2025-05-31", &[], "open-2025-05-31");
}

#[test]
fn even_count_medians_and_empty_cells() {
    check_petitions(
        "petitions-even-median",
        "2025-09-30",
        &["--by", "department"],
        "by-department-2025-09-30",
    );
}

#[test]
fn given_due_overrides_derived_due() {
    check_petitions("petitions-due-given", "2025-08-31", &[], "open-2025-08-31");
    check_petitions(
        "petitions-due-given",
        "2025-08-31",
        &["--by", "department"],
        "by-department-2025-08-31",
    );
}

#[test]
fn working_days_with_holidays_and_make_up_days() {
    check_petitions(
        "petitions-working-days",
        "2025-10-20",
        &[],
        "open-2025-10-20",
    );
}

#[test]
fn fail_on_overdue_exits_1_when_something_is_overdue() {
    let ws = Ws::fixture("petitions-every-status");
    let out = ws
        .tally()
        .args([
            "petitions",
            "--as-of",
            "2025-06-30",
            "--format",
            "csv",
            "--fail-on-overdue",
        ])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8 stdout");
    assert_same(
        &stdout,
        &ws.read("expected/open-2025-06-30.csv"),
        "report still printed",
    );
}

#[test]
fn fail_on_overdue_exits_0_when_nothing_is_overdue() {
    let ws = Ws::fixture("petitions-every-status");
    let out = ws
        .tally()
        .args([
            "petitions",
            "--as-of",
            "2025-03-15",
            "--format",
            "csv",
            "--fail-on-overdue",
        ])
        .assert()
        .code(0);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8 stdout");
    assert_same(
        &stdout,
        &ws.read("expected/open-2025-03-15.csv"),
        "early as-of open list",
    );
}

#[test]
fn fail_on_overdue_looks_only_at_the_filtered_kind() {
    let ws = Ws::fixture("petitions-every-status");
    // Only P2025-003 is a proposal, due 2025-07-05: not overdue on 2025-06-30.
    ws.tally()
        .args([
            "petitions",
            "--as-of",
            "2025-06-30",
            "--kind",
            "proposal",
            "--fail-on-overdue",
        ])
        .assert()
        .code(0);
    // The petition P2025-002 is overdue then.
    ws.tally()
        .args([
            "petitions",
            "--as-of",
            "2025-06-30",
            "--kind",
            "petition",
            "--fail-on-overdue",
        ])
        .assert()
        .code(1);
}
