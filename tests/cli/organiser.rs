//! Issue 12 parts 5 and 6 on the example workspace: ranking within sector offices, the
//! per-studio summary, and the delegate's annual duty report — each figure checked against
//! `quarter`, `annual` and `explain`, which compute it from the same engine.

use crate::common;
use common::Ws;
use std::collections::HashMap;

fn example() -> Ws {
    Ws::example()
}

/// A csv report as rows of column → cell.
fn rows(csv: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            head.iter()
                .cloned()
                .zip(rec.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("a number: {s:?}"))
}

#[test]
fn rank_within_sector_ranks_each_sector_office_apart() {
    let ws = example();
    let csv = ws.stdout(&[
        "quarter",
        "2025Q4",
        "--rank-within",
        "sector",
        "--format",
        "csv",
    ]);
    let rows = rows(&csv);
    assert_eq!(rows.len(), 30, "everyone is listed");
    // Each rank is 1 + the number of the same sector (or of the sector-less) with more points.
    for r in &rows {
        let higher = rows
            .iter()
            .filter(|o| o["sector"] == r["sector"])
            .filter(|o| num(&o["points_total"]) > num(&r["points_total"]))
            .count();
        assert_eq!(num(&r["rank"]) as usize, higher + 1, "{r:?}");
    }
    // Hand-checked from `quarter 2025Q4`: in 教育行业 D029 119 > D002 111 > D016 98;
    // the 21 delegates without a sector office are one group, listed last, D022 (65) last.
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["delegate"].as_str(), r["rank"].as_str()))
        .collect();
    assert_eq!(&order[..3], &[("D029", "1"), ("D002", "2"), ("D016", "3")]);
    assert_eq!(order[29], ("D022", "21"));
    assert_eq!(rows.iter().filter(|r| r["sector"].is_empty()).count(), 21);
    // Ranked within studio the same delegates rank otherwise (so the test can tell).
    let studio = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    let d029 = rows_of(&studio, "D029");
    assert_ne!(d029["rank"], "1");
    assert_eq!(rows_of(&csv, "D029")["sector"], "教育行业党代表工作室");
}

fn rows_of(csv: &str, delegate: &str) -> HashMap<String, String> {
    rows(csv)
        .into_iter()
        .find(|r| r["delegate"] == delegate)
        .unwrap_or_else(|| panic!("{delegate} listed"))
}

#[test]
fn sector_is_shown_to_people_while_csv_keeps_the_spec_columns() {
    let ws = example();
    let annual = ws.stdout(&["annual", "2025", "--format", "csv"]);
    assert!(
        annual
            .lines()
            .next()
            .is_some_and(|h| h.ends_with(",composite,grade"))
    );
    let quarter = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    assert!(
        quarter
            .lines()
            .next()
            .is_some_and(|h| h.ends_with(",adjustments,rank_change"))
    );
    let md = ws.stdout(&["annual", "2025", "--format", "md"]);
    assert!(md.contains("| sector |"), "{md}");
    let zh = ws.stdout(&["annual", "2025", "--format", "md", "--lang", "zh"]);
    assert!(zh.contains("| 行业工作室 |"), "{zh}");
    assert!(md.contains("港口物流行业党代表工作室"));
    let roster = ws.read("data/delegates.csv");
    let bare: String = roster
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{},,{},{}\n", f[0], f[1], f[2], f[4], f[5])
        })
        .collect();
    ws.write("data/delegates.csv", &bare.replacen(",,", ",sector,", 1));
    let md = ws.stdout(&["quarter", "2025Q4", "--format", "md"]);
    assert!(!md.contains("行业 sector"), "no sector named, no column");
}

#[test]
fn studios_sum_what_quarter_annual_and_petitions_print() {
    let ws = example();
    for q in 1..=4 {
        let period = format!("2025Q{q}");
        let studios = rows(&ws.stdout(&["studios", &period, "--format", "csv"]));
        let quarter = rows(&ws.stdout(&["quarter", &period, "--format", "csv"]));
        assert_eq!(studios.len(), 5, "{period}");
        for s in &studios {
            let mine: Vec<_> = quarter
                .iter()
                .filter(|r| r["studio"] == s["studio"])
                .collect();
            let total: f64 = mine.iter().map(|r| num(&r["points_total"])).sum();
            assert_eq!(num(&s["delegates"]) as usize, mine.len(), "{period} {s:?}");
            assert_eq!(num(&s["points_total"]), total, "{period} {s:?}");
            let mean = (total / mine.len() as f64 * 100.0).round() / 100.0;
            assert_eq!(num(&s["points_mean"]), mean, "{period} {s:?}");
        }
        // Ranked by mean, highest first, competition ranks.
        for (i, s) in studios.iter().enumerate() {
            let higher = studios
                .iter()
                .filter(|o| num(&o["points_mean"]) > num(&s["points_mean"]))
                .count();
            assert_eq!(num(&s["rank"]) as usize, higher + 1, "{period} {s:?}");
            if i > 0 {
                assert!(num(&studios[i - 1]["points_mean"]) >= num(&s["points_mean"]));
            }
        }
    }
    // The year: obligations met as `annual` says, petitions as `petitions --by studio`.
    let studios = rows(&ws.stdout(&["studios", "2025", "--format", "csv"]));
    let annual = rows(&ws.stdout(&["annual", "2025", "--format", "csv"]));
    let by_studio = rows(&ws.stdout(&[
        "petitions",
        "--by",
        "studio",
        "--as-of",
        "2025-12-31",
        "--format",
        "csv",
    ]));
    for s in &studios {
        let mine: Vec<_> = annual
            .iter()
            .filter(|r| r["studio"] == s["studio"])
            .collect();
        let met = mine
            .iter()
            .filter(|r| r["obligations_met"] == "yes")
            .count();
        let share = (met as f64 / mine.len() as f64 * 10000.0).round() / 10000.0;
        assert_eq!(num(&s["obligations_met"]), share, "{s:?}");
        let p = by_studio
            .iter()
            .find(|p| p["studio"] == s["studio"])
            .expect("studio in the petitions scorecard");
        assert_eq!(s["petitions_received"], p["received"], "{s:?}");
        assert_eq!(s["petitions_overdue"], p["overdue"], "{s:?}");
    }
    // Hand-checked: 东海岸 5 delegates, 729 points (221+156+136+118+98), mean 145.8, first.
    assert_eq!(
        (
            &studios[0]["studio"][..],
            &studios[0]["points_total"][..],
            &studios[0]["points_mean"][..]
        ),
        ("东海岸社区党代表工作室", "729", "145.8")
    );
}

#[test]
fn studios_refuses_a_period_not_begun_and_a_bad_one() {
    let ws = example();
    ws.tally().args(["studios", "2026Q2"]).assert().code(2);
    ws.tally().args(["studios", "2025-3"]).assert().code(2);
}

fn json(ws: &Ws, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ws.stdout(args)).expect("json")
}

/// A json cell as csv writes it: numbers plainly, null empty.
fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn every_delegates_report_equals_quarter_annual_and_the_register() {
    let ws = example();
    let annual = rows(&ws.stdout(&["annual", "2025", "--format", "csv"]));
    let quarters: Vec<Vec<HashMap<String, String>>> = (1..=4)
        .map(|q| rows(&ws.stdout(&["quarter", &format!("2025Q{q}"), "--format", "csv"])))
        .collect();
    let register = rows(&ws.read("data/petitions.csv"));
    assert_eq!(annual.len(), 30);
    for a in &annual {
        let id = a["delegate"].as_str();
        let page = json(&ws, &["report", id, "2025", "--format", "json"]);
        assert_eq!(page["meta"]["delegate"], id);
        assert_eq!(plain(&page["meta"]["studio"]), a["studio"]);
        let review: HashMap<String, String> = page["review"]
            .as_array()
            .expect("review rows")
            .iter()
            .map(|r| (plain(&r["key"]), plain(&r["value"])))
            .collect();
        for key in [
            "points_total",
            "duty_month",
            "inspection_year",
            "obligations_met",
            "members",
            "residents",
            "organisation",
            "evaluation",
            "composite",
            "grade",
            "rank",
        ] {
            assert_eq!(review[key], a[key], "{id} {key}");
        }
        let shown = page["quarters"].as_array().expect("quarter rows");
        assert_eq!(shown.len(), 4, "{id}");
        let mut sum = 0.0;
        for (q, row) in shown.iter().enumerate() {
            let Some(want) = quarters[q].iter().find(|r| r["delegate"] == id) else {
                // Not yet in office: `quarter` does not list them, the report leaves it blank.
                assert!(row["points_total"].is_null(), "{id} 2025Q{}", q + 1);
                continue;
            };
            for key in ["points_quarter", "points_total", "rank", "rank_change"] {
                assert_eq!(plain(&row[key]), want[key], "{id} 2025Q{} {key}", q + 1);
            }
            // The quarter's categories and adjustments add up to its points.
            let parts: f64 = [
                "service",
                "deliberation",
                "supervision",
                "exemplary",
                "adjustments",
            ]
            .iter()
            .map(|k| row[*k].as_f64().expect("number"))
            .sum();
            assert_eq!(
                parts,
                row["points_quarter"].as_f64().expect("number"),
                "{id}"
            );
            sum += parts;
        }
        assert_eq!(sum, num(&a["points_total"]), "{id}");
        // The month grid counts what `annual` counts: done months / months owed.
        let months = page["months"].as_array().expect("month rows");
        let done = months.iter().filter(|m| m["duty_month"] == "done").count();
        let owed = months
            .iter()
            .filter(|m| m["duty_month"] != "not in office")
            .count();
        assert_eq!(format!("{done}/{owed}"), a["duty_month"], "{id}");
        // Petitions taken up: exactly the register's items with this delegate as agent.
        let mut mine: Vec<&str> = register
            .iter()
            .filter(|p| p["delegate"] == id)
            .map(|p| p["id"].as_str())
            .collect();
        let mut listed: Vec<String> = page["petitions"]
            .as_array()
            .expect("petition rows")
            .iter()
            .map(|p| plain(&p["id"]))
            .collect();
        mine.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, mine, "{id}");
    }
}

#[test]
fn a_report_by_hand_for_d008() {
    // D008: Q1 30, Q2 +26 service −5 (A2025-01) = 51, Q3 66, Q4 84 (annual: 84, 69.92).
    let ws = example();
    let md = ws.stdout(&["report", "D008", "2025", "--format", "md"]);
    assert!(
        md.contains("| 2025Q2 | 21 | 26 | 0 | 0 | 0 | -5 | 51 | 3 | -2 |"),
        "{md}"
    );
    assert!(md.contains("| 2025-04-10 | A2025-01 | -5 | 复核:重复登记值班记录 | 积分考评小组 |"));
    assert!(md.contains("| composite | 69.92 |"));
    assert!(md.contains("| P2025-011 | 2025-03-26 | petition | 住房 |"));
    let html = ws.stdout(&["report", "赵国强", "2025", "--format", "html"]);
    assert!(html.contains("<polyline points="), "the trend is drawn");
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
    ws.tally()
        .args(["report", "D008", "2025", "--format", "csv"])
        .assert()
        .code(2);
    ws.tally()
        .args(["report", "D999", "2025"])
        .assert()
        .code(65);
    ws.tally().args(["report", "D008", "2027"]).assert().code(2);
}

#[test]
fn report_all_writes_one_page_per_delegate_or_nothing() {
    let ws = example();
    ws.tally()
        .args(["report", "--all", "2025"])
        .assert()
        .code(2);
    ws.tally()
        .args(["report", "--all", "2025", "-o", "out/"])
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(ws.path().join("out"))
        .expect("out/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 30, "{names:?}");
    assert_eq!(names[0], "report-2025-D001.html");
    let one = ws.read("out/report-2025-D008.html");
    let alone = ws.stdout(&["report", "D008", "2025", "--format", "html"]);
    let body = |s: &str| s.split("<footer>").next().unwrap_or_default().to_owned();
    assert_eq!(body(&one), body(&alone));
}
