//! The example workspace shipped in `examples/yantian`: its ledger is exactly what importing
//! its inbox files gives, and the README's main command works on it.

use crate::common;
use common::Ws;
use std::path::Path;

fn example() -> Ws {
    Ws::example()
}

#[test]
fn importing_the_inbox_again_adds_nothing() {
    let ws = example();
    let before = ws.read("data/ledger/2025.csv");
    let out = ws.stdout(&[
        "import",
        "inbox/2025-H1-社区工作室.csv",
        "inbox/2025-H2-district.csv",
        "inbox/2025-07-社区工作室.xlsx",
    ]);
    assert!(
        out.ends_with("0 added, 584 already in the ledger\n"),
        "{out}"
    );
    // The workbook as an office sends it (made by make_inbox_xlsx.py, saved by LibreOffice):
    // its title and 合计 rows are skipped and said, its 8 rows are already in the ledger.
    assert!(
        out.contains("inbox/2025-07-社区工作室.xlsx [7月]: skipped 1 title row, 1 total row\n"),
        "{out}"
    );
    assert_eq!(ws.read("data/ledger/2025.csv"), before);
}

#[test]
fn the_shipped_ledger_is_what_the_inbox_gives() {
    let ws = example();
    let shipped = ws.read("data/ledger/2025.csv");
    std::fs::remove_dir_all(ws.path().join("data/ledger")).expect("remove ledger");
    ws.stdout(&[
        "import",
        "inbox/2025-H2-district.csv",
        "inbox/2025-H1-社区工作室.csv",
    ]);
    assert_eq!(ws.read("data/ledger/2025.csv"), shipped);
}

#[test]
fn check_is_clean_and_quarter_lists_everyone() {
    let ws = example();
    ws.tally().arg("check").assert().success();
    let csv = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 31, "header + 30 delegates");
}

#[test]
fn quarter_totals_add_up_two_ways() {
    // points_total = categories + adjustments, and Q1..Q4 points_quarter sum to Q4 points_total.
    let ws = example();
    let mut sums: std::collections::HashMap<String, f64> = Default::default();
    let mut q4 = Vec::new();
    for q in 1..=4 {
        let csv = ws.stdout(&["quarter", &format!("2025Q{q}"), "--format", "csv"]);
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let n = |i: usize| f[i].parse::<f64>().expect("number");
            assert_eq!(n(6), n(7) + n(8) + n(9) + n(10) + n(11), "{line}");
            *sums.entry(f[3].to_owned()).or_default() += n(5);
            if q == 4 {
                q4.push((f[3].to_owned(), n(6)));
            }
        }
    }
    for (d, total) in q4 {
        assert_eq!(sums[&d], total, "{d}");
    }
}

#[test]
fn closed_pipe_is_success() {
    let ws = example();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tally"))
        .current_dir(ws.path())
        .args(["quarter", "2025Q4", "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_ledger_edited_out_of_date_order_scores_the_same() {
    let ws = example();
    let before = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    let ledger = ws.read("data/ledger/2025.csv");
    let mut lines: Vec<&str> = ledger.lines().collect();
    let last = lines.pop().expect("a record");
    lines.insert(1, last);
    ws.write("data/ledger/2025.csv", &(lines.join("\n") + "\n"));
    let out = ws
        .tally()
        .args(["quarter", "2025Q4", "--format", "csv"])
        .assert()
        .success()
        .stderr(predicates::str::contains("not in date order"));
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), before);
}

#[test]
fn check_with_an_unreadable_roster_says_so_once() {
    let ws = example();
    ws.write("data/delegates.csv", "");
    let out = ws.tally().arg("check").assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        err.contains("data/delegates.csv:1: the file has no header row"),
        "{err}"
    );
    assert!(err.contains("checked once the roster can be read"), "{err}");
}

#[test]
fn a_missing_ledger_folder_is_warned_of() {
    let ws = example();
    std::fs::remove_dir_all(ws.path().join("data/ledger")).expect("remove ledger");
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "csv"])
        .assert()
        .success()
        .stderr(predicates::str::contains("data/ledger: no ledger folder"));
}

#[test]
fn output_under_a_file_is_exit_73_in_words() {
    let ws = example();
    ws.write("afile", "x");
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "afile/q.csv"])
        .assert()
        .code(73)
        .stderr(predicates::str::contains(
            "afile/q.csv: cannot write: a part of the path is a file, not a folder",
        ));
}

/// Sheet names and the first sheet's xml of a workbook written by tally.
fn workbook(path: &Path) -> (Vec<String>, String) {
    use std::io::Read;
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(path).expect("xlsx written")).expect("a zip");
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .expect("part")
            .read_to_string(&mut s)
            .expect("utf-8 xml");
        s
    };
    let book = read("xl/workbook.xml");
    let sheet1 = read("xl/worksheets/sheet1.xml");
    let names = book
        .split("<sheet name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect();
    (names, sheet1)
}

#[test]
fn quarter_xlsx_has_a_sheet_per_studio_with_numbers_and_a_frozen_header() {
    let ws = example();
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "q.xlsx", "--lang", "zh"])
        .assert()
        .success();
    let (names, sheet1) = workbook(&ws.path().join("q.xlsx"));
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(names[0], "中英街社区党代表工作室");
    assert_eq!(names[5..], ["汇总", "说明"]);
    assert!(sheet1.contains("<pane"), "header row frozen");
    // D001's quarter points, 15, as a number cell (no t="s" string type), in the fourth
    // column: period and studio are said by the sheet, as in the table.
    let d2 = sheet1
        .split("<c r=\"D2\"")
        .nth(1)
        .and_then(|c| c.split("</c>").next())
        .unwrap_or_default();
    assert!(
        d2.ends_with("><v>15</v>") && !d2.contains("t=\""),
        "D2: {d2}"
    );
}

#[test]
fn xlsx_is_refused_on_a_terminal_only() {
    let ws = example();
    let out = ws
        .tally()
        .args(["annual", "2025", "--format", "xlsx"])
        .assert()
        .success();
    assert!(
        out.get_output().stdout.starts_with(b"PK"),
        "a zip on a pipe"
    );
}

#[test]
fn completions_and_man_page() {
    let ws = Ws::empty();
    let bash = ws.stdout(&["completions", "bash"]);
    assert!(
        bash.contains("quarter") && bash.contains("--rank-within"),
        "bash completions"
    );
    let man = ws.stdout(&["man"]);
    assert!(
        man.starts_with(".ie") && man.contains(".TH tally 1"),
        "roff page"
    );
}

#[test]
fn diff_rules_moves_totals_by_exactly_the_changed_points() {
    // Draft: a duty shift earns 1 instead of 5, so each delegate loses 4 × duty units of 2025.
    let ws = example();
    let rules = common::default_rules();
    let draft = rules.replacen(
        "aliases = [\"值班接访\"]\npoints = 5",
        "aliases = [\"值班接访\"]\npoints = 1",
        1,
    );
    assert_ne!(draft, rules);
    ws.write("draft.toml", &draft);
    let mut duty_units: std::collections::HashMap<String, i64> = Default::default();
    for line in ws.read("data/ledger/2025.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[3] == "duty" {
            *duty_units.entry(f[2].to_owned()).or_default() += f[4].parse::<i64>().expect("count");
        }
    }
    let csv = ws.stdout(&["diff-rules", "draft.toml", "2025", "--format", "csv"]);
    let mut rows = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let change: i64 = f[7].parse().expect("change");
        assert_eq!(
            change,
            -4 * duty_units.get(f[0]).copied().unwrap_or(0),
            "{line}"
        );
        let now: i64 = f[4].parse().expect("rank");
        let draft: i64 = f[6].parse().expect("rank");
        assert_eq!(f[8].parse::<i64>().expect("move"), now - draft, "{line}");
        rows += 1;
    }
    assert_eq!(rows, 30);
}

#[test]
fn explain_refuses_csv_and_names_an_ambiguous_delegate() {
    let ws = example();
    ws.tally()
        .args(["explain", "D005", "2025", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("explain has three tables"));
    ws.write(
        "data/delegates.csv",
        &(ws.read("data/delegates.csv") + "D099,陈静,永安社区党代表工作室,,,\n"),
    );
    ws.tally()
        .args(["explain", "陈静"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains(
            "two delegates share this name; give the id (陈静)",
        ));
    ws.tally()
        .args(["explain", "D404"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains("not in the roster"));
}

#[test]
fn a_count_written_2_0_is_two_and_1_5_is_refused() {
    let ws = example();
    ws.write(
        "new/a.csv",
        "date,delegate,activity,count\n2025-12-30,D001,volunteer,2.0\n",
    );
    ws.stdout(&["import", "new/a.csv"]);
    assert!(
        ws.read("data/ledger/2025.csv")
            .contains(",2025-12-30,D001,volunteer,2,")
    );
    ws.write(
        "new/b.csv",
        "date,delegate,activity,count\n2025-12-30,D001,volunteer,1.5\n",
    );
    ws.tally()
        .args(["import", "new/b.csv"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains(
            "new/b.csv:2: count: not a whole number from 1 to 10000 (1.5)",
        ));
}

#[test]
fn temporaries_of_a_killed_import_are_swept_by_the_next() {
    let ws = example();
    ws.write("data/ledger/.tally-KILLED.tmp", "half a ledger");
    ws.write(
        "new/a.csv",
        "date,delegate,activity\n2025-12-30,D001,volunteer\n",
    );
    ws.stdout(&["import", "new/a.csv"]);
    assert!(!ws.path().join("data/ledger/.tally-KILLED.tmp").exists());
}

#[test]
fn a_draft_missing_an_item_the_ledger_uses_is_named() {
    let ws = example();
    let rules = common::default_rules();
    let draft = rules.replace("code = \"outreach\"", "code = \"outreach_visit\"");
    ws.write("draft.toml", &draft);
    ws.tally()
        .args(["diff-rules", "draft.toml", "2025"])
        .assert()
        .code(65)
        .stderr(predicates::str::contains(
            "(outreach) — under the draft draft.toml",
        ));
}

/// A ledger file whose header is broken: one line per problem, each naming the file once,
/// and the count is of problems, not of lines.
#[test]
fn check_counts_each_problem_of_a_broken_ledger_header_once() {
    let ws = example();
    ws.write("data/ledger/2024.csv", "date\n");
    let out = ws.tally().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("data/ledger/2024.csv"))
        .collect();
    assert_eq!(lines.len(), 5, "{err}");
    for line in &lines {
        assert_eq!(line.matches("2024.csv").count(), 1, "{line}");
        assert!(
            line.starts_with("data/ledger/2024.csv:1: missing column "),
            "{line}"
        );
    }
    assert!(err.contains("check found 5 problems"), "{err}");
}
