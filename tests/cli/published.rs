//! `tally publish` and what follows it: `check` proves a published period still
//! reproduces, lists each restatement with why, and a restated version makes it pass again
//! (figures hand-checked in tests/fixtures/published-quarter/NOTES.md).

use crate::common;
use common::Ws;
use predicates::str::contains;

fn published() -> Ws {
    let ws = Ws::fixture("published-quarter");
    ws.import_inbox();
    let out = ws.stdout(&["publish", "2025Q1"]);
    assert_eq!(
        out,
        "published 2025Q1: 4 delegates; published/2025Q1.html, published/2025Q1.json\n"
    );
    ws
}

fn stderr_of(ws: &Ws, args: &[&str], code: i32) -> String {
    let out = ws.tally().args(args).assert().code(code);
    String::from_utf8(out.get_output().stderr.clone()).expect("utf-8")
}

fn json(ws: &Ws, rel: &str) -> serde_json::Value {
    serde_json::from_str(&ws.read(rel)).expect("json")
}

#[test]
fn publish_writes_the_notice_and_the_figures_and_check_passes() {
    let ws = published();
    let record = json(&ws, "published/2025Q1.json");
    assert_eq!(record["period"], "2025Q1");
    assert_eq!(record["version"], 1);
    assert_eq!(record["ledger_file"], "data/ledger/2025.csv");
    let figures: Vec<(String, String, u64, u64)> = record["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .map(|f| {
            (
                f["delegate"].as_str().expect("id").to_owned(),
                f["points_total"].as_str().expect("total").to_owned(),
                f["rank"].as_u64().expect("rank"),
                f["records"].as_u64().expect("records"),
            )
        })
        .collect();
    let expected = [
        ("D01", "27", 1, 4),
        ("D02", "20", 2, 3),
        ("D04", "12", 3, 1),
        ("D03", "10", 4, 4),
    ]
    .map(|(d, t, r, n)| (d.to_owned(), t.to_owned(), r, n));
    assert_eq!(figures, expected);
    let html = ws.read("published/2025Q1.html");
    assert!(
        html.contains("Quarterly ranking 2025Q1") && html.contains("刘洋"),
        "{html}"
    );
    let out = ws.stdout(&["check"]);
    assert!(out.contains("1 published period(s)"), "{out}");
    // The figures as they stand: no warning from quarter.
    let err = stderr_of(&ws, &["quarter", "2025Q1"], 0);
    assert!(!err.contains("published"), "{err}");
}

#[test]
fn a_late_record_makes_check_list_the_restatement() {
    let ws = published();
    ws.tally()
        .args(["import", "late/records.csv"])
        .assert()
        .success();
    let err = stderr_of(&ws, &["check"], 1);
    let p = "published/2025Q1.json: 2025Q1 no longer reproduces:";
    assert!(
        err.contains(&format!("{p} D03 许琳: published 10 (rank 4), now 15 (rank 3) — records added after publication\n")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{p} D04 马超: published 12 (rank 3), now 12 (rank 4) — rank moved as other delegates' figures changed\n")),
        "{err}"
    );
    assert!(err.contains("check found 2 problems"), "{err}");
    let err = stderr_of(&ws, &["quarter", "2025Q1"], 0);
    assert_eq!(
        err.matches("differ from the published notice").count(),
        1,
        "warned once: {err}"
    );
    assert!(
        err.contains("2025Q1 was published (published/2025Q1.json, version 1)"),
        "{err}"
    );
}

#[test]
fn changed_rules_are_the_why() {
    let ws = published();
    let rules = common::default_rules();
    let changed = rules.replacen(
        "aliases = [\"代理诉求\"]\npoints = 5",
        "aliases = [\"代理诉求\"]\npoints = 4",
        1,
    );
    assert_ne!(changed, rules);
    ws.write("rules.toml", &changed);
    ws.write(
        "tally.toml",
        "[workspace]\nname = \"published-quarter\"\nrules = \"rules.toml\"\n",
    );
    let err = stderr_of(&ws, &["check"], 1);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("published/"))
        .collect();
    let p = "published/2025Q1.json: 2025Q1 no longer reproduces:";
    assert_eq!(
        lines,
        [
            format!("{p} D01 刘洋: published 27 (rank 1), now 24 (rank 1) — rules changed"),
            format!("{p} D02 杨帆: published 20 (rank 2), now 19 (rank 2) — rules changed"),
            format!("{p} D03 许琳: published 10 (rank 4), now 9 (rank 4) — rules changed"),
        ]
    );
}

#[test]
fn a_restated_version_lists_its_restatement_and_check_passes_again() {
    let ws = published();
    ws.tally()
        .args(["import", "late/records.csv"])
        .assert()
        .success();
    let out = ws.stdout(&[
        "publish",
        "2025Q1",
        "--restate",
        "--reason",
        "a late record from 盐港",
        "--also",
        "csv",
    ]);
    assert!(
        out.starts_with("restated 2025Q1 as version 2: 2 delegate(s) with changed figures; published/2025Q1-v2.html, published/2025Q1-v2.csv, published/2025Q1-v2.json\n"),
        "{out}"
    );
    let record = json(&ws, "published/2025Q1-v2.json");
    assert_eq!(record["version"], 2);
    assert_eq!(record["reason"], "a late record from 盐港");
    let restated: Vec<String> = record["restatement"]
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["delegate"], r["published"], r["now"], r["why"]
            )
        })
        .collect();
    assert_eq!(
        restated,
        [
            "\"D03\" \"10 (rank 4)\" \"15 (rank 3)\" \"records added after publication\"",
            "\"D04\" \"12 (rank 3)\" \"12 (rank 4)\" \"rank moved as other delegates' figures changed\"",
        ]
    );
    assert!(
        ws.read("published/2025Q1-v2.csv")
            .contains("2025Q1,盐港工作室,3,D03,许琳,15,15,")
    );
    // Version 1 is kept as it was published.
    assert_eq!(
        json(&ws, "published/2025Q1.json")["figures"][3]["points_total"],
        "10"
    );
    ws.tally().arg("check").assert().success();
    let err = stderr_of(&ws, &["quarter", "2025Q1"], 0);
    assert!(!err.contains("published"), "{err}");
}

#[test]
fn publishing_again_needs_restate_and_restate_needs_a_publication() {
    let ws = published();
    ws.tally()
        .args(["publish", "2025Q1"])
        .assert()
        .code(2)
        .stderr(contains(
            "2025Q1 is already published (published/2025Q1.json, version 1",
        ));
    ws.tally()
        .args(["publish", "2025Q2", "--restate", "--reason", "x"])
        .assert()
        .code(2)
        .stderr(contains("2025Q2 has not been published"));
    ws.tally()
        .args(["publish", "2025Q1", "--restate"])
        .assert()
        .code(2)
        .stderr(contains("--reason"));
    ws.tally()
        .args(["publish", "2026Q2"])
        .assert()
        .code(2)
        .stderr(contains("2026Q2 has not begun: today is 2026-01-15"));
    assert!(!ws.path().join("published/2025Q1-v2.json").exists());
}

#[test]
fn late_records_refused_when_the_rules_say_so() {
    let ws = published();
    let rules =
        common::default_rules().replace("late_records = \"warn\"", "late_records = \"refuse\"");
    ws.write("rules.toml", &rules);
    ws.write(
        "tally.toml",
        "[workspace]\nname = \"published-quarter\"\nrules = \"rules.toml\"\n",
    );
    let before = ws.read("data/ledger/2025.csv");
    ws.tally()
        .args(["import", "late/records.csv"])
        .assert()
        .code(65)
        .stderr(contains(
            "import refused: records dated inside published periods: 2025Q1 (1 record)",
        ));
    assert_eq!(ws.read("data/ledger/2025.csv"), before);
    // Under the default (warn), the same import is added with a warning naming the period.
    std::fs::remove_file(ws.path().join("tally.toml")).expect("rm");
    ws.write("tally.toml", "[workspace]\nname = \"published-quarter\"\n");
    ws.tally()
        .args(["import", "late/records.csv"])
        .assert()
        .success()
        .stderr(contains(
            "warning: records dated inside published periods: 2025Q1 (1 record)",
        ));
}

#[test]
fn a_published_year_records_the_annual_review_and_changed_marks_are_the_why() {
    // annual-rounding: figures hand-checked in its NOTES.md; only the why is asserted here.
    let ws = Ws::fixture("annual-rounding");
    ws.import_inbox();
    ws.stdout(&["publish", "2025"]);
    let record = json(&ws, "published/2025.json");
    assert!(record["inputs"]["evaluations"].is_string(), "{record}");
    assert!(record["figures"][0]["grade"].is_string(), "{record}");
    ws.tally().arg("check").assert().success();
    let marks = ws.read("data/evaluations.csv");
    // D01, top total 320: evaluation 0.4×90 + 0.4×70 + 0.2×90 = 82; composite
    // 0.4×100 + 0.6×82 = 89.2, below 90 so 称职; D02 (composite 90) moves to rank 1.
    let lowered = marks.replace("2025,D01,residents,90", "2025,D01,residents,70");
    assert_ne!(lowered, marks);
    ws.write("data/evaluations.csv", &lowered);
    let err = stderr_of(&ws, &["check"], 1);
    assert!(
        err.contains("published/2025.json: 2025 no longer reproduces: D01 刘洋: published 320 (rank 1, composite 94, 优秀), now 320 (rank 2, composite 89.2, 称职) — evaluation marks changed"),
        "{err}"
    );
}
