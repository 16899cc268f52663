//! Issue 12 parts 5 and 6 on the example workspace: ranking within sector offices, the
//! per-studio summary, and the delegate's annual duty report — each figure checked against
//! `quarter`, `annual` and `explain`, which compute it from the same engine.

mod common;
use common::Ws;
use std::collections::HashMap;

fn example() -> Ws {
    let ws = Ws::empty();
    common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/yantian"),
        ws.path(),
    );
    ws
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
    assert_eq!(d029["sector"], "教育行业党代表工作室");
}

fn rows_of(csv: &str, delegate: &str) -> HashMap<String, String> {
    rows(csv)
        .into_iter()
        .find(|r| r["delegate"] == delegate)
        .unwrap_or_else(|| panic!("{delegate} listed"))
}

#[test]
fn sector_column_appears_only_when_the_roster_names_sectors() {
    let ws = example();
    let annual = ws.stdout(&["annual", "2025", "--format", "csv"]);
    assert!(
        annual
            .lines()
            .next()
            .is_some_and(|h| h.ends_with(",grade,sector"))
    );
    assert_eq!(
        rows_of(&annual, "D004")["sector"],
        "港口物流行业党代表工作室"
    );
    let roster = ws.read("data/delegates.csv");
    let bare: String = roster
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{},,{},{}\n", f[0], f[1], f[2], f[4], f[5])
        })
        .collect();
    ws.write("data/delegates.csv", &bare.replacen(",,", ",sector,", 1));
    let quarter = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    assert!(
        quarter
            .lines()
            .next()
            .is_some_and(|h| h.ends_with(",adjustments,rank_change"))
    );
}
