//! The ledger's derived cache (issue 10, `ledger/.<year>.rows`): reports give the same
//! output through it and without it, and a cache that does not match the year file — a hand
//! edit, a damaged or cut-short cache, a workspace copied elsewhere — is never used.

use crate::common;

use common::Ws;
use std::path::Path;

const CACHE: &str = "data/ledger/.2025.rows";

/// Every report that reads the ledger's figures (to a month's end, read from the cache's
/// sums, and to a day inside a month, whose rows are read), and delegates' explanations.
const REPORTS: [&[&str]; 8] = [
    &["quarter", "2025Q4", "--format", "json"],
    &["quarter", "2025Q2", "--format", "csv"],
    &["annual", "2025", "--format", "csv"],
    &["obligations", "--as-of", "2025-12-31", "--format", "csv"],
    &["obligations", "--as-of", "2025-11-17", "--format", "csv"],
    &["explain", "D002", "2025", "--format", "json"],
    &["explain", "D001", "2025Q3", "--format", "md"],
    &["records", "2025", "--format", "csv"],
];

/// A report's output without the time it was made.
fn output(ws: &Ws, args: &[&str], cache: bool) -> String {
    let mut cmd = ws.tally();
    if !cache {
        cmd.env("TALLY_LEDGER_CACHE", "off");
    }
    let out = cmd.args(args).assert().success();
    String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .filter(|l| !l.contains("generated_at") && !l.starts_with("- made: "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn all_reports(ws: &Ws, cache: bool) -> Vec<String> {
    REPORTS.iter().map(|args| output(ws, args, cache)).collect()
}

#[test]
fn reports_are_the_same_through_the_cache_and_without_it() {
    let ws = Ws::example();
    let without = all_reports(&ws, false);
    assert!(!ws.path().join(CACHE).exists(), "off writes no cache");
    let first = all_reports(&ws, true);
    let len = std::fs::metadata(ws.path().join(CACHE)).map_or(0, |m| m.len());
    assert!(
        len > 1000,
        "the first report builds it, with the ledger's rows"
    );
    let again = all_reports(&ws, true);
    assert_eq!(first, without);
    assert_eq!(again, without);
    assert!(
        without[0].contains("ledger_hash"),
        "the stamp is compared too"
    );
}

#[test]
fn a_hand_edit_of_the_same_length_reads_the_ledger_again() {
    let ws = Ws::example();
    all_reports(&ws, true);
    let ledger = ws.read("data/ledger/2025.csv");
    // One record's delegate changed for another of the same length.
    let line = ledger
        .lines()
        .find(|l| l.contains(",D001,"))
        .expect("a row of D001");
    let edited = ledger.replacen(line, &line.replacen(",D001,", ",D002,", 1), 1);
    assert_eq!(edited.len(), ledger.len());
    ws.write("data/ledger/2025.csv", &edited);
    let without = all_reports(&ws, false);
    assert_eq!(all_reports(&ws, true), without);
    assert_eq!(all_reports(&ws, true), without);
}

#[test]
fn a_damaged_cut_short_or_foreign_cache_is_not_used() {
    let ws = Ws::example();
    let without = all_reports(&ws, false);
    all_reports(&ws, true);
    let good = std::fs::read(ws.path().join(CACHE)).expect("cache");
    let mut damaged = good.clone();
    let last = damaged.len() - 20;
    damaged[last] ^= 0x5a;
    let cut = good[..good.len() / 2].to_vec();
    let mut foreign = good.clone();
    foreign[8] ^= 1;
    for bytes in [damaged, cut, foreign, b"not a cache".to_vec(), Vec::new()] {
        std::fs::write(ws.path().join(CACHE), &bytes).expect("write");
        assert_eq!(all_reports(&ws, true), without);
    }
}

#[test]
fn a_copied_workspace_builds_its_own_cache() {
    let ws = Ws::example();
    let expected = all_reports(&ws, true);
    let copy = Ws::empty();
    common::copy_dir(ws.path(), copy.path());
    assert_eq!(all_reports(&copy, true), expected);
    assert_eq!(all_reports(&copy, true), expected);
}

#[test]
fn import_and_void_leave_a_cache_of_what_they_wrote() {
    let ws = Ws::example();
    let cache = ws.path().join(CACHE);
    ws.write(
        "inbox/late.csv",
        "delegate,date,activity,count\nD001,2025-12-30,duty,1\n",
    );
    ws.tally()
        .args(["import", "inbox/late.csv"])
        .assert()
        .success();
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    assert!(cache.exists(), "import builds the cache");
    let after_import = modified(&cache);
    let without = all_reports(&ws, false);
    assert_eq!(all_reports(&ws, true), without);
    assert_eq!(modified(&cache), after_import, "reports use it as it is");
    let key = ws.stdout(&["records", "2025", "--delegate", "D001", "--format", "csv"]);
    let key = key
        .lines()
        .find(|l| l.contains("2025-12-30"))
        .and_then(|l| {
            l.split(',')
                .find(|c| c.len() == 10 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .expect("the new record's key")
        .to_owned();
    ws.tally()
        .args(["void", &key, "--reason", "sent twice", "--by", "test"])
        .assert()
        .success();
    assert_ne!(modified(&cache), after_import, "void builds it again");
    let without = all_reports(&ws, false);
    assert_eq!(all_reports(&ws, true), without);
}

#[test]
fn check_and_the_stamp_know_nothing_of_the_cache() {
    let ws = Ws::example();
    let check = |ws: &Ws| {
        let out = ws.tally().arg("check").output().expect("runs");
        (out.status.code(), out.stdout, out.stderr)
    };
    let before = check(&ws);
    all_reports(&ws, true);
    assert!(ws.path().join(CACHE).exists());
    assert_eq!(check(&ws), before);
    let text =
        String::from_utf8_lossy(&before.1).into_owned() + &String::from_utf8_lossy(&before.2);
    assert!(!text.contains(".rows"));
}
