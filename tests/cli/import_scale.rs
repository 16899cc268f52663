//! `import` of many rows in bounded memory (issue 10): the ledger it writes is byte for
//! byte the one the import that held every row in memory wrote (their SHA-256 were taken
//! from that version, commit 98604f4, on this same data), whether the rows are sorted in
//! memory or spilled to many runs on disk.

use crate::common;

use common::Ws;
use sha2::{Digest, Sha256};

/// A deterministic stream of numbers (SplitMix64), so the data is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const ITEMS: [(&str, &str, &str); 5] = [
    ("duty", "", ""),
    ("值班接访", "", ""),
    ("inspection", "", ""),
    ("motion_cosign", "", "M-7"),
    ("petition_resolved", "非常满意", "P-12"),
];

fn date(rng: &mut Rng) -> String {
    let year = 2024 + rng.below(2);
    format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
}

fn note(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => String::new(),
        1 => "\"走访, 社区 \"\"东区\"\"\n第二行\"".to_owned(),
        2 => format!("note {}", rng.below(50)),
        _ => String::new(),
    }
}

/// A row of an activities file: `id` first when `ids`.
fn row(rng: &mut Rng, ids: Option<u64>) -> String {
    let (activity, outcome, reference) = ITEMS[rng.below(5) as usize];
    let mut cells = Vec::new();
    if let Some(id) = ids {
        cells.push(format!("R{id}"));
    }
    cells.extend([
        date(rng),
        format!("D{:03}", 1 + rng.below(40)),
        activity.to_owned(),
        (1 + rng.below(3)).to_string(),
        outcome.to_owned(),
        reference.to_owned(),
        note(rng),
    ]);
    cells.join(",")
}

/// 50,000 rows over 2024 and 2025 in three files: one with ids and an extra column, one
/// without ids holding identical rows (occurrences 2, 3…), and one re-sending a part of
/// both.
fn workspace() -> Ws {
    let ws = Ws::empty();
    ws.write("tally.toml", "[workspace]\nname = \"scale\"\n");
    let mut roster = String::from("id,name,studio,sector,joined,left\n");
    for d in 1..=40 {
        roster.push_str(&format!("D{d:03},代表{d},S{},,,\n", d % 4));
    }
    ws.write("data/delegates.csv", &roster);
    let mut rng = Rng(7);
    let mut district = String::from("id,date,delegate,activity,count,outcome,ref,note,登记人\n");
    let mut resent = String::from("date,delegate,activity,count,outcome,ref,note\n");
    for i in 0..25_000 {
        district.push_str(&format!("{},clerk{}\n", row(&mut rng, Some(i)), i % 3));
    }
    let mut office = String::from("date,delegate,activity,count,outcome,ref,note\n");
    let mut last = String::new();
    for i in 0..20_000 {
        if i % 10 == 3 {
            // The same row again: a second occurrence, added.
            office.push_str(&last);
            continue;
        }
        last = format!("{}\n", row(&mut rng, None));
        office.push_str(&last);
        if i % 4 == 0 {
            resent.push_str(&last);
        }
    }
    ws.write("inbox/a-district.csv", &district);
    ws.write("inbox/b-office.csv", &office);
    ws.write("inbox/c-resent.csv", &resent);
    ws
}

const FILES: [&str; 3] = [
    "inbox/c-resent.csv",
    "inbox/a-district.csv",
    "inbox/b-office.csv",
];

fn digest(ws: &Ws, year: u32) -> String {
    let bytes = std::fs::read(ws.path().join(format!("data/ledger/{year}.csv"))).expect("year");
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn import(ws: &Ws, budget: Option<&str>, files: &[&str]) -> String {
    let mut cmd = ws.tally();
    if let Some(b) = budget {
        cmd.env("TALLY_SORT_BUDGET", b);
    }
    let out = cmd.arg("import").args(files).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

const LEDGER_2024: &str = "8dda393d7e5021f7e9f84e8f3329d54466ed1a8f64754795c0a7364e3c3bdaeb";
const LEDGER_2025: &str = "f6c8c0ecc8fc65eb9f905d55e9dba544449a55f82f3169ada09400b05718cea1";
const FIRST_IMPORT: &str = "\
inbox/c-resent.csv: 5000 rows, 0 added, 5000 already in the ledger
inbox/a-district.csv: 25000 rows, 25000 added, 0 already in the ledger
inbox/b-office.csv: 20000 rows, 20000 added, 0 already in the ledger
45000 added, 5000 already in the ledger
";

#[test]
fn a_large_import_writes_the_same_ledger_in_memory_and_spilled() {
    for budget in [None, Some("4096")] {
        let ws = workspace();
        assert_eq!(
            import(&ws, budget, &FILES),
            FIRST_IMPORT,
            "budget {budget:?}"
        );
        assert_eq!(digest(&ws, 2024), LEDGER_2024, "budget {budget:?}");
        assert_eq!(digest(&ws, 2025), LEDGER_2025, "budget {budget:?}");
        let again = import(&ws, budget, &FILES);
        assert!(
            again.ends_with("0 added, 50000 already in the ledger\n"),
            "{again}"
        );
        assert_eq!(digest(&ws, 2025), LEDGER_2025, "budget {budget:?}");
    }
}

#[test]
fn rows_merged_into_a_full_ledger_land_where_the_old_import_put_them() {
    for budget in [None, Some("4096")] {
        let ws = workspace();
        // Imported apart, the ledger is the same as imported at once.
        import(&ws, budget, &["inbox/b-office.csv"]);
        import(&ws, budget, &["inbox/a-district.csv", "inbox/c-resent.csv"]);
        assert_eq!(digest(&ws, 2024), LEDGER_2024, "budget {budget:?}");
        assert_eq!(digest(&ws, 2025), LEDGER_2025, "budget {budget:?}");
    }
}

const IN_LEDGER: &str = "\
error: inbox/d-ledger.csv:4: id: id already in the ledger with other content (data/ledger/2024.csv:1537); correct it there or use a new id (R17)
error: inbox/d-ledger.csv:3: id: id already in the ledger with other content (data/ledger/2024.csv:11271); correct it there or use a new id (R5)
error: inbox/d-ledger.csv:2: id: id already in the ledger with other content (data/ledger/2024.csv:11318); correct it there or use a new id (R24999)
error: import refused: 3 problems found; nothing was added to the ledger
";

const IN_BATCH: &str = "\
error: inbox/e-batch.csv:3: id: id already used with other content at inbox/d-ledger.csv:5 (N1)
error: import refused: 1 problem found; nothing was added to the ledger
";

#[test]
fn ids_reused_in_the_batch_and_against_the_ledger_are_refused_alike() {
    for budget in [None, Some("4096")] {
        let ws = workspace();
        import(&ws, budget, &["inbox/a-district.csv"]);
        let before = digest(&ws, 2024);
        let head = "id,date,delegate,activity,count,outcome,ref,note,登记人\n";
        let mut text = String::from(head);
        for i in [24_999u64, 5, 17] {
            // Ids already in the ledger, with other content: listed in ledger order.
            text.push_str(&format!("R{i},2025-02-03,D001,duty,9,,,changed,x\n"));
        }
        // A new id twice with the same content: a repeat, not a problem.
        text.push_str(&"N1,2025-02-01,D002,duty,1,,,,x\n".repeat(2));
        ws.write("inbox/d-ledger.csv", &text);
        let mut text = String::from(head);
        for i in 0..3 {
            // The same id with other content: the first in source order is d-ledger's.
            text.push_str(&format!("N1,2025-02-0{},D002,duty,1,,,,x\n", 1 + i % 2));
        }
        ws.write("inbox/e-batch.csv", &text);
        for (files, expected) in [
            (&["inbox/d-ledger.csv"][..], IN_LEDGER),
            (&["inbox/e-batch.csv", "inbox/d-ledger.csv"][..], IN_BATCH),
        ] {
            let mut cmd = ws.tally();
            if let Some(b) = budget {
                cmd.env("TALLY_SORT_BUDGET", b);
            }
            let out = cmd.arg("import").args(files).assert().code(65);
            let stderr = String::from_utf8(out.get_output().stderr.clone()).expect("utf-8");
            assert_eq!(stderr, expected, "budget {budget:?}");
        }
        assert_eq!(digest(&ws, 2024), before, "the ledger is untouched");
    }
}
