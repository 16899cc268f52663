//! Corrections with a trace (issue 11): `records` lists the ledger with the points each
//! record earned, `void` withdraws records without deleting them, re-import does not bring
//! them back, and the figures move by exactly what was voided. Format 1 ledgers keep
//! reading and upgrade losslessly.

use crate::common;

use common::Ws;
use predicates::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

fn example() -> Ws {
    Ws::example()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("a number")
}

/// Rows of a csv report as maps from column to cell.
fn rows(csv: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let head = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            head.iter()
                .map(str::to_owned)
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// Each delegate's points from records (cumulative, adjustments left out), as quarter says.
fn quarter_points(ws: &Ws, period: &str) -> HashMap<String, Decimal> {
    rows(&ws.stdout(&["quarter", period, "--format", "csv"]))
        .into_iter()
        .map(|r| {
            let points = dec(&r["points_total"]) - dec(&r["adjustments"]);
            (r["delegate"].clone(), points)
        })
        .collect()
}

fn records(ws: &Ws, args: &[&str]) -> Vec<HashMap<String, String>> {
    let mut all = vec!["records", "--format", "csv"];
    all.extend_from_slice(args);
    rows(&ws.stdout(&all))
}

#[test]
fn records_points_add_up_to_what_quarter_prints_for_every_delegate() {
    let ws = example();
    let mut by_delegate: HashMap<String, Decimal> = HashMap::new();
    let listed = records(&ws, &["2025"]);
    assert_eq!(listed.len(), 576, "every record of the example ledger");
    for r in &listed {
        *by_delegate.entry(r["delegate"].clone()).or_default() += dec(&r["points"]);
    }
    let quarter = quarter_points(&ws, "2025Q4");
    for (delegate, points) in &quarter {
        let listed = by_delegate.get(delegate).copied().unwrap_or_default();
        assert_eq!(listed, *points, "{delegate}");
    }
    // D005's fourth co-signing is cut by the cap of 9: records shows the cut, as explain does.
    let cut = records(&ws, &["2025", "--delegate", "D005", "--item", "联署提案"]);
    assert!(
        cut.iter()
            .any(|r| r["points"] == "0" && r["cap"].contains("cap 9"))
    );
}

#[test]
fn records_filters_by_source_ref_studio_and_dates() {
    let ws = example();
    let h2 = records(&ws, &["2025", "--source", "inbox/2025-H2-district.csv"]);
    assert_eq!(h2.len(), 281);
    assert!(
        h2.iter()
            .all(|r| r["source"].starts_with("inbox/2025-H2-district.csv:"))
    );
    let q3 = records(&ws, &["--from", "2025-07-01", "--to", "2025-09-30"]);
    assert!(!q3.is_empty());
    assert!(
        q3.iter()
            .all(|r| ("2025-07-01".."2025-10-01").contains(&r["date"].as_str()))
    );
    let studio = records(&ws, &["2025", "--studio", "桥东社区党代表工作室"]);
    assert!(studio.iter().all(|r| r["studio"] == "桥东社区党代表工作室"));
    let with_ref = &records(&ws, &["2025", "--item", "petition_agent"])[0]["ref"];
    let by_ref = records(&ws, &["2025", "--ref", with_ref]);
    assert!(!by_ref.is_empty() && by_ref.iter().all(|r| r["ref"] == *with_ref));
    ws.tally()
        .args(["records", "--studio", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--studio nowhere: no such studio"));
}

#[test]
fn a_voided_record_earns_nothing_shows_in_explain_and_stays_void_on_reimport() {
    let ws = example();
    let before = quarter_points(&ws, "2025Q4");
    let duty = &records(&ws, &["2025", "--delegate", "D003", "--item", "duty"])[0];
    let (key, points) = (duty["key"].clone(), dec(&duty["points"]));
    assert!(points > Decimal::ZERO);
    ws.tally()
        .args([
            "void",
            &key,
            "--reason",
            "sent twice by the office",
            "--by",
            "审核组",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("voided {key}")));
    let after = quarter_points(&ws, "2025Q4");
    assert_eq!(after["D003"], before["D003"] - points);
    let voided = records(&ws, &["--voided", "2025"]);
    assert_eq!(voided.len(), 1);
    assert_eq!(voided[0]["key"], key);
    assert_eq!(voided[0]["points"], "0");
    assert_eq!(voided[0]["voided_by"], "审核组");
    assert_eq!(voided[0]["void_reason"], "sent twice by the office");
    ws.tally()
        .args(["explain", "D003", "2025"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "VOID 2026-01-15 by 审核组: sent twice by the office",
        ));
    let out = ws.stdout(&[
        "import",
        "inbox/2025-H1-社区工作室.csv",
        "inbox/2025-H2-district.csv",
    ]);
    assert!(out.contains("0 added"), "{out}");
    assert!(out.contains("(1 voided, not counted)"), "{out}");
    assert_eq!(quarter_points(&ws, "2025Q4"), after);
    let trail = ws.read("data/ledger/voids.csv");
    assert!(
        trail.starts_with("date,action,key,record,by,reason\n"),
        "{trail}"
    );
    assert!(
        trail.contains(&format!("2026-01-15,void,{key},")),
        "{trail}"
    );
    ws.tally().arg("check").assert().success();
}

#[test]
fn undo_restores_the_figures_and_keeps_both_in_the_trail() {
    let ws = example();
    let before = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    let key = records(&ws, &["2025", "--delegate", "D010"])[0]["key"].clone();
    ws.tally()
        .args(["void", &key, "--reason", "disputed"])
        .assert()
        .success();
    ws.tally()
        .args(["void", "--undo", &key, "--reason", "review team upheld it"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("restored {key}")));
    assert_eq!(ws.stdout(&["quarter", "2025Q4", "--format", "csv"]), before);
    let trail = ws.read("data/ledger/voids.csv");
    assert!(
        trail.contains(",void,") && trail.contains(",undo,"),
        "{trail}"
    );
    assert!(trail.contains("review team upheld it"));
}

#[test]
fn an_unknown_key_or_one_already_void_is_65_naming_it_and_changes_nothing() {
    let ws = example();
    let ledger = ws.read("data/ledger/2025.csv");
    ws.tally()
        .args(["void", "abcdef0123", "--reason", "x"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains(
            "abcdef0123: no record of the ledger has this key",
        ));
    let key = records(&ws, &["2025"])[0]["key"].clone();
    ws.tally()
        .args(["void", &key, "--reason", "first"])
        .assert()
        .success();
    let voided = ws.read("data/ledger/2025.csv");
    assert_ne!(voided, ledger);
    ws.tally()
        .args(["void", &key, "abcdef0123", "--reason", "again"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains(format!(
            "{key}: already void since 2026-01-15 (first)"
        )))
        .stderr(predicate::str::contains("nothing was changed"));
    assert_eq!(ws.read("data/ledger/2025.csv"), voided);
    ws.tally().args(["void", "--reason", "x"]).assert().code(2);
}

#[test]
fn void_source_withdraws_every_record_a_wrong_file_brought() {
    let ws = example();
    let before = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    ws.write(
        "new/wrong.csv",
        "date,delegate,activity,count\n2025-11-03,D001,volunteer,2\n2025-11-04,D002,duty,1\n",
    );
    ws.stdout(&["import", "new/wrong.csv"]);
    assert_ne!(ws.stdout(&["quarter", "2025Q4", "--format", "csv"]), before);
    ws.tally()
        .args([
            "void",
            "--source",
            "new/wrong.csv",
            "--reason",
            "sent to the wrong district",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 records voided"));
    assert_eq!(ws.stdout(&["quarter", "2025Q4", "--format", "csv"]), before);
}

#[test]
fn dry_run_shows_whose_totals_move_and_leaves_the_ledger_alone() {
    let ws = example();
    let ledger = ws.read("data/ledger/2025.csv");
    let duty = &records(&ws, &["2025", "--delegate", "D003", "--item", "duty"])[0];
    let out = ws.stdout(&[
        "void",
        &duty["key"],
        "--reason",
        "x",
        "--dry-run",
        "--format",
        "csv",
    ]);
    let moved = rows(&out);
    // D003 loses the points; others may only move in rank around them.
    let d003: Vec<_> = moved.iter().filter(|r| r["delegate"] == "D003").collect();
    assert_eq!(d003.len(), 1, "{out}");
    assert_eq!(dec(&d003[0]["change"]), -dec(&duty["points"]), "{out}");
    assert!(
        moved
            .iter()
            .all(|r| r["delegate"] == "D003" || r["change"] == "0"),
        "{out}"
    );
    assert_eq!(ws.read("data/ledger/2025.csv"), ledger);
    assert!(!ws.path().join("data/ledger/voids.csv").exists());
}

#[test]
fn a_format_1_ledger_reads_the_same_and_upgrades_to_the_shipped_file() {
    let ws = example();
    let shipped = ws.read("data/ledger/2025.csv");
    let before = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    let explain = ws.stdout(&["explain", "D005", "2025"]);
    let old = std::fs::read_to_string(common::fixtures().join("ledger-format-1/2025.csv"))
        .expect("fixture");
    ws.write("data/ledger/2025.csv", &old);
    assert_eq!(ws.stdout(&["quarter", "2025Q4", "--format", "csv"]), before);
    assert_eq!(ws.stdout(&["explain", "D005", "2025"]), explain);
    ws.tally()
        .arg("check")
        .assert()
        .success()
        .stderr(predicate::str::contains("ledger format 1"))
        .stderr(predicate::str::contains("tally import --upgrade-ledger"));
    let out = ws.stdout(&[
        "import",
        "inbox/2025-H1-社区工作室.csv",
        "inbox/2025-H2-district.csv",
    ]);
    assert!(out.contains("0 added, 576 already in the ledger"), "{out}");
    assert_eq!(
        ws.read("data/ledger/2025.csv"),
        old,
        "nothing added, nothing rewritten"
    );
    ws.tally()
        .args(["import", "--upgrade-ledger"])
        .assert()
        .success()
        .stdout(predicate::str::contains("rewrote in the current format"));
    assert_eq!(ws.read("data/ledger/2025.csv"), shipped);
}

#[test]
fn the_whole_correction_shows_in_explain_and_check_names_the_published_quarter() {
    let ws = example();
    ws.tally().args(["publish", "2025Q4"]).assert().success();
    ws.tally().arg("check").assert().success();
    let wrong = &records(&ws, &["2025Q4", "--delegate", "D003", "--item", "duty"])[0];
    ws.tally()
        .args([
            "void",
            &wrong["key"],
            "--reason",
            "wrong delegate",
            "--by",
            "审核组",
        ])
        .assert()
        .success();
    ws.write(
        "new/corrected.csv",
        &format!(
            "date,delegate,activity,count\n{},D006,duty,1\n",
            wrong["date"]
        ),
    );
    ws.tally()
        .args(["import", "new/corrected.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("2025Q4"));
    ws.tally()
        .args(["explain", "D003", "2025Q4"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "VOID 2026-01-15 by 审核组: wrong delegate",
        ));
    ws.tally()
        .args(["explain", "D006", "2025Q4"])
        .assert()
        .success()
        .stdout(predicate::str::contains("new/corrected.csv:2"));
    ws.tally()
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::is_match(r"2025Q4 no longer reproduces: D003 张伟: published 116 \(rank 1\), now 111 \(rank \d\) — [^\n]*records voided").expect("regex"))
        .stderr(predicate::str::is_match(r"D006 杨帆: published 105 \(rank \d\), now 110 \(rank \d\) — [^\n]*records added after publication").expect("regex"));
}

#[test]
fn an_inbox_column_named_like_the_ledgers_own_is_refused_at_the_header() {
    let ws = example();
    for own in ["key", "source", "Voided", "occurrence"] {
        ws.write(
            "new/k.csv",
            &format!("date,delegate,activity,{own}\n2025-12-01,D013,duty,A1\n"),
        );
        ws.tally()
            .args(["import", "new/k.csv"])
            .assert()
            .code(65)
            .stderr(predicate::str::contains(format!(
                "new/k.csv:1: {own}: a column the ledger keeps for itself"
            )));
    }
    // Renamed, it travels into the ledger as any extra column does, and re-import adds nothing.
    ws.write(
        "new/k.csv",
        "date,delegate,activity,office_key\n2025-12-01,D013,duty,A1\n",
    );
    ws.stdout(&["import", "new/k.csv"]);
    let again = ws.stdout(&["import", "new/k.csv"]);
    assert!(
        again.contains("0 added, 1 already in the ledger"),
        "{again}"
    );
}

#[test]
fn a_voided_cell_edited_by_hand_is_judged_the_same_by_quarter_and_explain() {
    let ws = example();
    let ledger = ws.read("data/ledger/2025.csv");
    let mut lines: Vec<String> = ledger.lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.contains(",2025-11-20,D003,duty,"))
        .expect("a D003 duty row in November");
    // The row ends with the three empty void cells; a space in the first is no void.
    let row = lines[at].strip_suffix(",,,").expect("live row").to_owned();
    lines[at] = format!("{row}, ,,");
    ws.write("data/ledger/2025.csv", &(lines.join("\n") + "\n"));
    let quarter = quarter_points(&ws, "2025Q4")["D003"];
    let listed: Decimal = records(&ws, &["2025", "--delegate", "D003"])
        .iter()
        .map(|r| dec(&r["points"]))
        .sum();
    assert_eq!(quarter, listed);
}

#[test]
fn a_key_too_short_is_said_so_and_a_key_typed_twice_voids_once() {
    let ws = example();
    ws.tally()
        .args(["void", "f30", "--reason", "x"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("f30: too short to name a record"));
    let key = records(&ws, &["2025"])[0]["key"].clone();
    ws.tally()
        .args(["void", &key, &key.to_uppercase(), "--reason", "twice typed"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 record voided"));
}
