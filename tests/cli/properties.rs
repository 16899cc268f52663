//! Properties of import and scoring over small random ledgers, run through the real binary:
//! re-import adds nothing, file order does not matter, quarters add up to the year, and
//! `explain` agrees with `quarter` and with a model of the default point table.

use crate::common;
use common::Ws;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

const DELEGATES: [&str; 3] = ["D01", "D02", "D03"];
const FILES: [&str; 3] = ["inbox/a.csv", "inbox/b.csv", "inbox/c.csv"];

/// Items of the default rules the generator draws from: code, alias, points per unit
/// (`None`: scored by outcome). motion_cosign is listed twice so the cap of 9 is hit often.
const ITEMS: [(&str, &str, Option<i64>); 8] = [
    ("duty", "值班接访", Some(5)),
    ("outreach", "宣传政策", Some(3)),
    ("inspection", "视察调研", Some(10)),
    ("motion_cosign", "联署提案", Some(3)),
    ("motion_cosign", "联署提案", Some(3)),
    ("volunteer", "志愿服务", Some(5)),
    ("petition_agent", "代理诉求", Some(5)),
    ("petition_resolved", "解决诉求", None),
];
const OUTCOMES: [(&str, i64); 3] = [("very_satisfied", 6), ("基本满意", 5), ("dissatisfied", 0)];
const COSIGN_CAP: i64 = 9;

#[derive(Debug, Clone)]
struct Rec {
    delegate: usize,
    month: u32,
    day: u32,
    item: usize,
    count: u32,
    outcome: usize,
    alias: bool,
    file: usize,
}

impl Rec {
    fn date(&self) -> String {
        format!("2025-{:02}-{:02}", self.month, self.day)
    }

    fn quarter(&self) -> usize {
        (self.month as usize - 1) / 3
    }

    fn row(&self) -> String {
        let (code, alias, per_unit) = ITEMS[self.item];
        let activity = if self.alias { alias } else { code };
        let (outcome, reference) = match (code, per_unit) {
            (_, None) => (OUTCOMES[self.outcome].0, "P2025-001"),
            ("petition_agent", _) => ("", "P2025-001"),
            _ => ("", ""),
        };
        // Dates in one of the accepted forms, so normalisation is exercised too.
        let date = if self.alias {
            format!("2025/{}/{}", self.month, self.day)
        } else {
            self.date()
        };
        format!(
            "{date},{},{activity},{},{outcome},{reference},\n",
            DELEGATES[self.delegate], self.count
        )
    }

    /// Points before any cap.
    fn points(&self) -> i64 {
        let per_unit = ITEMS[self.item].2.unwrap_or(OUTCOMES[self.outcome].1);
        per_unit * i64::from(self.count)
    }

    /// What makes two rows the same record: the normalised fields.
    fn content(&self) -> (usize, String, &'static str, u32, Option<usize>) {
        let (code, _, per_unit) = ITEMS[self.item];
        let outcome = per_unit.is_none().then_some(self.outcome);
        (self.delegate, self.date(), code, self.count, outcome)
    }

    fn is_cosign(&self) -> bool {
        ITEMS[self.item].0 == "motion_cosign"
    }
}

fn rec() -> impl Strategy<Value = Rec> {
    (
        0..DELEGATES.len(),
        1u32..=12,
        // Few days, so that identical rows (in one file and across files) happen.
        prop::sample::select(vec![1u32, 10, 20, 28]),
        0..ITEMS.len(),
        1u32..=3,
        0..OUTCOMES.len(),
        any::<bool>(),
        0..FILES.len(),
    )
        .prop_map(
            |(delegate, month, day, item, count, outcome, alias, file)| Rec {
                delegate,
                month,
                day,
                item,
                count,
                outcome,
                alias,
                file,
            },
        )
}

/// Up to 15 records, plus up to 3 of them re-sent in another (or the same) file, as offices
/// do when they send a file again with a few more rows.
fn ledger() -> impl Strategy<Value = Vec<Rec>> {
    (
        prop::collection::vec(rec(), 0..=15),
        prop::collection::vec((any::<prop::sample::Index>(), 0..FILES.len()), 0..=3),
    )
        .prop_map(|(mut recs, resent)| {
            if !recs.is_empty() {
                for (i, file) in resent {
                    let copy = Rec {
                        file,
                        ..i.get(&recs).clone()
                    };
                    recs.push(copy);
                }
            }
            recs
        })
}

/// A scratch workspace with the default rules, three delegates and the records as inbox
/// files (every file written, a header-only file included).
fn workspace(recs: &[Rec]) -> Ws {
    let ws = Ws::empty();
    ws.write("tally.toml", "[workspace]\nname = \"properties\"\n");
    ws.write(
        "data/delegates.csv",
        "id,name,studio,sector,joined,left\n\
         D01,陈明,海山工作室,,,\n\
         D02,李华,海山工作室,,,\n\
         D03,王芳,盐港工作室,,,\n",
    );
    for (i, file) in FILES.iter().enumerate() {
        let mut text = String::from("date,delegate,activity,count,outcome,ref,note\n");
        for r in recs.iter().filter(|r| r.file == i) {
            text.push_str(&r.row());
        }
        ws.write(file, &text);
    }
    ws
}

fn import(ws: &Ws, files: &[&str]) -> String {
    let mut args = vec!["import"];
    args.extend_from_slice(files);
    ws.stdout(&args)
}

fn ledger_bytes(ws: &Ws) -> Option<Vec<u8>> {
    std::fs::read(ws.path().join("data/ledger/2025.csv")).ok()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("not a number {s:?}: {e}"))
}

/// `quarter --format csv` as one map per delegate: column → cell.
fn quarter(ws: &Ws, period: &str) -> HashMap<String, HashMap<String, String>> {
    let out = ws.stdout(&["quarter", period, "--format", "csv"]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let headers = r.headers().expect("header").clone();
    let mut by_delegate = HashMap::new();
    for rec in r.records() {
        let rec = rec.expect("row");
        let row: HashMap<String, String> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_owned(), v.to_owned()))
            .collect();
        by_delegate.insert(row["delegate"].clone(), row);
    }
    by_delegate
}

/// The records the ledger must hold (SPEC §6): a row's key is its content plus its
/// occurrence number among identical rows of its file, and each key counts once.
fn in_ledger(recs: &[Rec]) -> Vec<Rec> {
    let mut occurrence = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    recs.iter()
        .filter(|r| {
            let n = occurrence.entry((r.file, r.content())).or_insert(0);
            *n += 1;
            seen.insert((r.content(), *n))
        })
        .cloned()
        .collect()
}

/// The model: a delegate's cumulative points at the end of quarter `q` (0-based), with the
/// co-signing cap of the cycle applied to the running total.
fn model_cumulative(recs: &[Rec], delegate: usize, q: usize) -> i64 {
    let kept = in_ledger(recs);
    let mine = || {
        kept.iter()
            .filter(move |r| r.delegate == delegate && r.quarter() <= q)
    };
    let plain: i64 = mine().filter(|r| !r.is_cosign()).map(Rec::points).sum();
    let cosign: i64 = mine().filter(|r| r.is_cosign()).map(Rec::points).sum();
    plain + cosign.min(COSIGN_CAP)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        // No regression files written into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn importing_twice_equals_importing_once(recs in ledger()) {
        let ws = workspace(&recs);
        let first = import(&ws, &FILES);
        let once = ledger_bytes(&ws);
        let second = import(&ws, &FILES);
        prop_assert_eq!(ledger_bytes(&ws), once, "second import changed the ledger");
        let added: usize = first
            .lines()
            .last()
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("an added count");
        prop_assert_eq!(
            second.lines().last().unwrap_or_default(),
            format!("0 added, {} already in the ledger", recs.len())
        );
        // Rows repeated across files count once; repeated within a file, each time.
        prop_assert_eq!(added, in_ledger(&recs).len());
        let rows = ledger_bytes(&ws)
            .map_or(0, |b| csv::Reader::from_reader(b.as_slice()).records().count());
        prop_assert_eq!(rows, added);
    }

    #[test]
    fn file_order_does_not_change_the_ledger(
        recs in ledger(),
        order in Just(FILES.to_vec()).prop_shuffle(),
    ) {
        let a = workspace(&recs);
        import(&a, &FILES);
        let b = workspace(&recs);
        import(&b, &order);
        prop_assert_eq!(ledger_bytes(&a), ledger_bytes(&b), "order {:?}", order);
    }

    #[test]
    fn quarters_add_up_to_the_year(recs in ledger()) {
        let ws = workspace(&recs);
        import(&ws, &FILES);
        let quarters: Vec<_> = (1..=4).map(|q| quarter(&ws, &format!("2025Q{q}"))).collect();
        for (d, id) in DELEGATES.iter().enumerate() {
            let mut sum = Decimal::ZERO;
            for (q, rows) in quarters.iter().enumerate() {
                let row = &rows[*id];
                sum += dec(&row["points_quarter"]);
                let total = dec(&row["points_total"]);
                prop_assert_eq!(total, sum, "{} cumulative to Q{}", id, q + 1);
                prop_assert_eq!(
                    total,
                    Decimal::from(model_cumulative(&recs, d, q)),
                    "{} Q{} against the point table", id, q + 1
                );
                let parts: Decimal = ["service", "deliberation", "supervision", "exemplary", "adjustments"]
                    .iter()
                    .map(|c| dec(&row[*c]))
                    .sum();
                prop_assert_eq!(parts, total, "{} Q{} categories", id, q + 1);
            }
        }
    }

    #[test]
    fn explain_total_equals_the_year_end_total(recs in ledger()) {
        let ws = workspace(&recs);
        import(&ws, &FILES);
        let q4 = quarter(&ws, "2025Q4");
        for id in DELEGATES {
            let out = ws.stdout(&["explain", id, "2025", "--format", "json"]);
            let json: serde_json::Value = serde_json::from_str(&out).expect("json");
            let totals = json["totals"].as_array().expect("a totals array");
            let total = totals
                .iter()
                .find(|t| t["part"] == "total")
                .expect("a total row");
            let cumulative = dec(&total["cumulative"].to_string());
            prop_assert_eq!(cumulative, dec(&q4[id]["points_total"]), "{} explain vs quarter", id);
            let period = dec(&total["period"].to_string());
            prop_assert_eq!(period, cumulative, "{} a whole cycle: period = cumulative", id);
        }
    }

    #[test]
    fn shuffling_rows_never_changes_a_total(
        (recs, shuffled) in ledger().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
    ) {
        // Rows in any order within their files (same-day rows included): caps are applied in
        // date order, so only which record a cut falls on may differ, never a total.
        let a = workspace(&recs);
        import(&a, &FILES);
        let b = workspace(&shuffled);
        import(&b, &FILES);
        for q in 1..=4 {
            let period = format!("2025Q{q}");
            prop_assert_eq!(quarter(&a, &period), quarter(&b, &period), "{}", period);
        }
    }

    #[test]
    fn explain_and_annual_equal_quarter_for_every_delegate(recs in ledger()) {
        let ws = workspace(&recs);
        import(&ws, &FILES);
        let quarters: Vec<_> = (1..=4).map(|q| quarter(&ws, &format!("2025Q{q}"))).collect();
        for id in DELEGATES {
            for (q, rows) in quarters.iter().enumerate() {
                let out = ws.stdout(&["explain", id, &format!("2025Q{}", q + 1), "--format", "json"]);
                let json: serde_json::Value = serde_json::from_str(&out).expect("json");
                let total = json["totals"]
                    .as_array()
                    .and_then(|t| t.iter().find(|t| t["part"] == "total"))
                    .expect("a total row")
                    .clone();
                prop_assert_eq!(dec(&total["period"].to_string()), dec(&rows[id]["points_quarter"]));
                prop_assert_eq!(dec(&total["cumulative"].to_string()), dec(&rows[id]["points_total"]));
            }
        }
        let annual = ws.stdout(&["annual", "2025", "--format", "csv"]);
        let mut r = csv::Reader::from_reader(annual.as_bytes());
        let headers = r.headers().expect("header").clone();
        let at = |name: &str| headers.iter().position(|h| h == name).expect("column");
        let (d, t) = (at("delegate"), at("points_total"));
        for rec in r.records() {
            let rec = rec.expect("row");
            prop_assert_eq!(dec(&rec[t]), dec(&quarters[3][&rec[d]]["points_total"]), "{} annual vs Q4", &rec[d]);
        }
    }
}
