//! Concurrency (issue 15, point 6), with real processes on one generated workspace.
//!
//! - `two_imports_at_once`, `four_imports_at_once`, `eight_imports_at_once`: that many
//!   `tally import` processes started together, each with its own file spanning 2024 and 2025,
//!   each file re-sending rows of the next file and of the already imported ledger. Every
//!   import exits 0, together they say they added exactly the new rows, the ledger holds every
//!   row of every file exactly once (counted per key against the union of the inputs), and
//!   `tally check` passes.
//! - `reports_during_an_import_see_before_or_after`: while a 100,000-row import over two years
//!   runs, `quarter 2025Q4 --format csv` and `check` run again and again; every run exits 0,
//!   each quarter prints exactly what it printed before the import or what it prints after,
//!   and each check counts the records of the old ledger or of the new one, never a mix of
//!   years.

mod common;
#[path = "common/datagen.rs"]
mod datagen;

use datagen::{Batch, Roster};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const DELEGATES: usize = 80;
const YEARS: &[i32] = &[2024, 2025];

fn tally(ws: &Path) -> Command {
    common::process(ws)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({})\nstdout:\n{}\nstderr:\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn run_ok(ws: &Path, args: &[&str]) -> Output {
    let out = tally(ws).args(args).output().expect("tally runs");
    assert_ok(&out, &format!("tally {}", args.join(" ")));
    out
}

/// How many times each record id appears in the ledger, over every year file. Every row
/// these tests import has an id, and an id is its key (SPEC §6), whatever columns the ledger
/// format keeps besides.
fn ledger_ids(ws: &Path) -> BTreeMap<String, usize> {
    let mut keys = BTreeMap::new();
    for entry in std::fs::read_dir(ws.join("data/ledger")).expect("ledger folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let mut reader = csv::Reader::from_path(&path).expect("ledger readable");
        let at = reader
            .headers()
            .expect("ledger header")
            .iter()
            .position(|h| h == "id")
            .expect("ledger has an id column");
        for row in reader.records() {
            let row = row.expect("ledger row");
            *keys.entry(row[at].to_owned()).or_insert(0) += 1;
        }
    }
    keys
}

/// The number `check` gives as "N ledger records".
fn records_counted(check_stdout: &str) -> usize {
    let before = check_stdout
        .split(" ledger records")
        .next()
        .expect("split yields one part");
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no `N ledger records` in check's output: {check_stdout}"))
}

/// A workspace holding `rows` already imported from `inbox/old.csv` (with ids).
fn workspace_with_old_ledger(
    roster: &Roster,
    rows: usize,
) -> (tempfile::TempDir, Vec<datagen::Row>) {
    let dir = tempfile::tempdir().expect("scratch");
    datagen::workspace(dir.path(), "concurrency test", roster);
    let old = Batch {
        tag: "old",
        rows,
        years: YEARS,
        seed: 7,
        ids: true,
    };
    std::fs::write(dir.path().join("inbox/old.csv"), old.csv(roster)).expect("write old");
    run_ok(dir.path(), &["import", "inbox/old.csv"]);
    (dir, old.rows(roster))
}

const ROWS_PER_FILE: usize = 3_000;
/// Rows of the next file each file sends too.
const SHARED_WITH_NEXT: usize = 400;
/// Rows of the old ledger each file sends again.
const RESENT_FROM_LEDGER: usize = 150;

/// `n` imports started together; checks exits, the added counts, the keys and `check`.
fn imports_at_once(n: usize) {
    let roster = datagen::roster(DELEGATES);
    let (dir, old_rows) = workspace_with_old_ledger(&roster, 2_000);
    let ws = dir.path();
    let batches: Vec<Batch> = (0..n)
        .map(|k| Batch {
            tag: ["a", "b", "c", "d", "e", "f", "g", "h"][k],
            rows: ROWS_PER_FILE,
            years: YEARS,
            seed: 100 + k as u64,
            ids: true,
        })
        .collect();
    let own: Vec<Vec<datagen::Row>> = batches.iter().map(|b| b.rows(&roster)).collect();
    let mut expected: BTreeSet<String> = old_rows.iter().map(|r| r.id.clone()).collect();
    let old_count = expected.len();
    let mut files = Vec::new();
    for k in 0..n {
        let next = &own[(k + 1) % n];
        let mut csv = String::from(batches[k].header());
        let rows = own[k]
            .iter()
            .chain(&next[..SHARED_WITH_NEXT])
            .chain(&old_rows[k * 10..k * 10 + RESENT_FROM_LEDGER]);
        for r in rows {
            csv.push_str(&r.line);
            expected.insert(r.id.clone());
        }
        let file = format!("inbox/{}.csv", batches[k].tag);
        std::fs::write(ws.join(&file), csv).expect("write inbox file");
        files.push(file);
    }

    let children: Vec<_> = files
        .iter()
        .map(|f| {
            tally(ws)
                .args(["import", f])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn import")
        })
        .collect();
    let mut added = 0;
    for (child, file) in children.into_iter().zip(&files) {
        let out = child.wait_with_output().expect("import ends");
        assert_ok(&out, &format!("import {file}, one of {n} at once"));
        let stdout = text(&out.stdout);
        let last = stdout.lines().last().unwrap_or_default();
        added += last
            .split(" added")
            .next()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .unwrap_or_else(|| panic!("no `N added` in the import's output: {stdout}"));
    }

    let keys = ledger_ids(ws);
    let twice: Vec<_> = keys.iter().filter(|(_, c)| **c > 1).take(5).collect();
    assert!(
        twice.is_empty(),
        "{n} imports at once: ids held more than once: {twice:?}"
    );
    let found: BTreeSet<String> = keys.into_keys().collect();
    let missing: Vec<_> = expected.difference(&found).take(5).collect();
    let unknown: Vec<_> = found.difference(&expected).take(5).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "{n} imports at once: the ledger is not the union of the inputs; \
         missing {missing:?}, unexpected {unknown:?}"
    );
    assert_eq!(
        added,
        expected.len() - old_count,
        "{n} imports at once: the rows they say they added"
    );
    let check = run_ok(ws, &["check"]);
    assert_eq!(records_counted(&text(&check.stdout)), expected.len());
}

#[test]
fn two_imports_at_once() {
    imports_at_once(2);
}

#[test]
fn four_imports_at_once() {
    imports_at_once(4);
}

#[test]
fn eight_imports_at_once() {
    imports_at_once(8);
}

#[test]
fn reports_during_an_import_see_before_or_after() {
    let roster = datagen::roster(DELEGATES);
    let (dir, old_rows) = workspace_with_old_ledger(&roster, 3_000);
    let ws = dir.path();
    let big = Batch {
        tag: "big",
        rows: 100_000,
        years: YEARS,
        seed: 9,
        ids: true,
    };
    std::fs::write(ws.join("inbox/big.csv"), big.csv(&roster)).expect("write big");
    let quarter = ["quarter", "2025Q4", "--format", "csv"];
    let before = text(&run_ok(ws, &quarter).stdout);

    let mut import = tally(ws)
        .args(["import", "inbox/big.csv"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn import");
    let mut quarters = Vec::new();
    let mut counts = Vec::new();
    let status = loop {
        if let Some(status) = import.try_wait().expect("try_wait") {
            break status;
        }
        quarters.push(tally(ws).args(quarter).output().expect("quarter runs"));
        let check = tally(ws).arg("check").output().expect("check runs");
        assert_ok(&check, "check during the import");
        counts.push(records_counted(&text(&check.stdout)));
    };
    assert!(status.success(), "the import failed ({status})");

    let after = text(&run_ok(ws, &quarter).stdout);
    assert!(
        before != after,
        "the import must change the quarter, or this proves nothing"
    );
    let (mut saw_before, mut saw_after) = (0, 0);
    for (i, out) in quarters.iter().enumerate() {
        assert_ok(out, &format!("quarter run {i} during the import"));
        let got = text(&out.stdout);
        if got == before {
            saw_before += 1;
        } else if got == after {
            saw_after += 1;
        } else {
            panic!(
                "quarter run {i} during the import printed neither the table of before \
                 nor the one of after:\n{got}"
            );
        }
    }
    let (old, new) = (old_rows.len(), old_rows.len() + big.rows);
    for (i, c) in counts.iter().enumerate() {
        assert!(
            *c == old || *c == new,
            "check run {i} during the import counted {c} records: neither the old ledger ({old}) \
             nor the new one ({new}), so it read part of the import"
        );
    }
    assert!(!quarters.is_empty(), "no report ran during the import");
    let checks_after = counts.iter().filter(|c| **c == new).count();
    eprintln!(
        "during the import: {} quarter runs ({saw_before} before, {saw_after} after), \
         {} check runs ({} old ledger, {checks_after} new)",
        quarters.len(),
        counts.len(),
        counts.len() - checks_after
    );
}
