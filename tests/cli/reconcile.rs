//! `check` reconciles the ledger's petition points with the petitions register: each
//! mismatch one located line (exit 1), unclaimed resolutions a note (see the fixture's
//! NOTES.md for the hand check of every line).

use crate::common;
use common::Ws;

#[test]
fn each_mismatch_is_one_located_line() {
    let ws = Ws::fixture("petitions-reconcile-mismatches");
    ws.import_inbox();
    let out = ws.tally().arg("check").assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).expect("utf-8");
    let l = "data/ledger/2025.csv";
    let expected = [
        format!(
            "{l}:3: delegate: petition_agent by a delegate who is not the agent of P2: data/petitions.csv:3 names D02 (D01)"
        ),
        format!("{l}:5: ref: not in the petitions register data/petitions.csv (P9)"),
        format!(
            "{l}:9: date: before P2 was resolved (2025-02-20 by data/petitions.csv:3) (2025-02-15)"
        ),
        format!(
            "{l}:10: outcome: data/petitions.csv:3 records satisfaction satisfied for P2 (very_satisfied)"
        ),
        format!("{l}:10: ref: P2 claimed as resolved twice (first at {l}:9) (P2)"),
        format!(
            "{l}:11: ref: petition_resolved for P3, which data/petitions.csv:4 does not show resolved (P3)"
        ),
    ];
    let found: Vec<&str> = stderr.lines().filter(|line| line.starts_with(l)).collect();
    assert_eq!(found, expected, "{stderr}");
    assert!(stderr.contains("check found 6 problems"), "{stderr}");
    assert!(
        stderr.contains("note: data/petitions.csv:5: P4 resolved on 2025-03-05, and no ledger record claims its resolution"),
        "{stderr}"
    );
}

#[test]
fn records_that_agree_with_the_register_pass() {
    let ws = Ws::fixture("petitions-reconcile-mismatches");
    // Keep only the lines NOTES.md calls fine.
    let inbox = ws.read("inbox/records.csv");
    let fine: Vec<&str> = inbox
        .lines()
        .filter(|l| !l.contains("P2") && !l.contains("P3,") && !l.contains("P9"))
        .collect();
    ws.write("inbox/records.csv", &(fine.join("\n") + "\n"));
    ws.import_inbox();
    ws.tally().arg("check").assert().success();
}
