//! Every write is safe (issue 15): `-o` onto a device, FIFO, symlink, folder or one of the
//! workspace's own inputs; a full disk, a file-size limit or a full stderr; options a
//! command cannot honour; and the one-line reasons a cron log shows.

use crate::common;

use common::Ws;
use predicates::prelude::*;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

fn example() -> Ws {
    Ws::example()
}

fn is_char_device(path: &str) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

/// Names of the files tally leaves in a folder that are not the user's.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tally-"))
        .collect()
}

#[test]
fn dev_null_is_written_through_and_stays_a_device() {
    let ws = example();
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "json", "-o", "/dev/null"])
        .assert()
        .success();
    assert!(is_char_device("/dev/null"));
}

#[test]
fn dev_full_is_exit_73_in_words_and_stays_a_device() {
    let ws = example();
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "json", "-o", "/dev/full"])
        .assert()
        .code(73)
        .stderr("error: /dev/full: cannot write: no space left on the disk\n");
    assert!(is_char_device("/dev/full"));
}

#[test]
fn dev_stdout_writes_to_standard_output() {
    let ws = example();
    let out = ws
        .tally()
        .args(["quarter", "2025Q4", "--format", "csv", "-o", "/dev/stdout"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    assert!(text.starts_with("period,studio,rank"), "{text}");
}

#[test]
fn a_symlink_is_written_through_and_stays_a_link() {
    let ws = example();
    ws.write("www/notice.html", "old page");
    std::fs::create_dir(ws.path().join("out")).expect("mkdir");
    std::os::unix::fs::symlink("../www/notice.html", ws.path().join("out/latest.html"))
        .expect("symlink");
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "out/latest.html"])
        .assert()
        .success();
    let link = std::fs::symlink_metadata(ws.path().join("out/latest.html")).expect("link");
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(ws.read("www/notice.html").starts_with("<!DOCTYPE html>"));
    assert!(leftovers(&ws.path().join("out")).is_empty());
    assert!(leftovers(&ws.path().join("www")).is_empty());
}

#[test]
fn a_fifo_is_written_through_to_its_reader() {
    let ws = example();
    let fifo = ws.path().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read fifo"))
    };
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "csv", "-o", "pipe"])
        .assert()
        .success();
    let text = reader.join().expect("reader");
    assert_eq!(text.lines().count(), 31, "{text}");
    let meta = std::fs::symlink_metadata(&fifo).expect("still there");
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
}

#[test]
fn a_folder_where_a_file_is_expected_is_exit_73() {
    let ws = example();
    std::fs::create_dir(ws.path().join("out")).expect("mkdir");
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "csv", "-o", "out"])
        .assert()
        .code(73)
        .stderr("error: out: cannot write: is a folder; give a file name\n");
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "csv", "-o", "newdir/"])
        .assert()
        .code(73)
        .stderr("error: newdir: cannot write: names a folder (it ends with /); give a file name\n");
}

#[test]
fn a_missing_folder_and_a_system_folder_are_said_as_they_are() {
    let ws = example();
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "nowhere/q.csv"])
        .assert()
        .code(73)
        .stderr("error: nowhere/q.csv: cannot write: the folder nowhere does not exist\n");
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "/proc/x.csv"])
        .assert()
        .code(73)
        .stderr(predicate::str::contains(
            "/proc/x.csv: cannot write: does not exist, and tally creates no file under /dev, /proc or /sys",
        ));
}

#[test]
fn an_output_naming_a_workspace_input_is_refused_and_the_input_kept() {
    let ws = example();
    let roster = ws.read("data/delegates.csv");
    let ledger = ws.read("data/ledger/2025.csv");
    ws.tally()
        .args([
            "quarter",
            "2025Q4",
            "--format",
            "csv",
            "-o",
            "data/delegates.csv",
        ])
        .assert()
        .code(73)
        .stderr(predicate::str::contains(
            "data/delegates.csv: is the workspace's roster; a report never replaces an input",
        ));
    ws.tally()
        .args([
            "quarter",
            "2025Q4",
            "--format",
            "csv",
            "-o",
            "data/ledger/2025.csv",
        ])
        .assert()
        .code(73)
        .stderr(predicate::str::contains("is the workspace's ledger"));
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "csv", "-o", "tally.toml"])
        .assert()
        .code(73);
    assert_eq!(ws.read("data/delegates.csv"), roster);
    assert_eq!(ws.read("data/ledger/2025.csv"), ledger);
}

#[test]
fn an_unknown_extension_is_a_usage_error_not_a_table_in_a_spreadsheet() {
    let ws = example();
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "q.xls"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot tell the format from the extension .xls of q.xls",
        ));
    assert!(!ws.path().join("q.xls").exists());
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "csv", "-o", "q.xls"])
        .assert()
        .success();
}

#[test]
fn report_options_on_a_command_that_writes_no_report_are_exit_2() {
    let ws = example();
    for args in [
        vec!["check", "-o", "x.csv"],
        vec!["check", "--format", "json"],
        vec!["import", "inbox/2025-H2-district.csv", "-o", "x.csv"],
        vec!["completions", "bash", "--format", "csv"],
    ] {
        ws.tally()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("writes no report"));
    }
    assert!(!ws.path().join("x.csv").exists());
}

#[test]
fn a_file_size_limit_is_exit_73_and_leaves_no_temporary_file() {
    let ws = example();
    let bin = env!("CARGO_BIN_EXE_tally");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f 1; exec '{bin}' quarter 2025Q4 --format json -o big.json"
        ))
        .current_dir(ws.path())
        .env("TALLY_TODAY", common::TODAY)
        .env_remove("TALLY_WORKSPACE")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(73), "{stderr}");
    assert!(
        stderr.contains("larger than this system allows"),
        "{stderr}"
    );
    assert!(!ws.path().join("big.json").exists());
    assert!(
        leftovers(ws.path()).is_empty(),
        "{:?}",
        leftovers(ws.path())
    );
}

#[test]
fn a_full_stderr_never_panics() {
    let ws = example();
    ws.write("data/ledger/2024.csv", "date\n");
    let stderr = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("check")
        .current_dir(ws.path())
        .env("TALLY_TODAY", common::TODAY)
        .env_remove("TALLY_WORKSPACE")
        .stderr(stderr)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_dead_writers_temporary_files_are_swept_a_live_ones_are_not() {
    let ws = example();
    std::fs::create_dir(ws.path().join("out")).expect("mkdir");
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let dead = child.id();
    child.wait().expect("exited");
    let stale = format!(".tally-{dead}-abc123.tmp");
    ws.write(&format!("out/{stale}"), "half a report");
    let live = format!(".tally-{}-def456.tmp", std::process::id());
    ws.write(&format!("out/{live}"), "being written");
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "out/q.csv"])
        .assert()
        .success();
    assert_eq!(leftovers(&ws.path().join("out")), vec![live]);
}

#[test]
fn fail_on_missing_says_why_in_one_line_even_when_quiet() {
    let ws = example();
    ws.tally()
        .args([
            "-q",
            "obligations",
            "--as-of",
            "2025-12-31",
            "--fail-on-missing",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::is_match(
                r"^found: \d+ delegate\(s\) behind on their duties as of 2025-12-31: D\d+ .*\n$",
            )
            .expect("regex"),
        );
}

#[test]
fn fail_on_overdue_says_why_in_one_line_even_when_quiet() {
    let ws = example();
    ws.tally()
        .args([
            "-q",
            "petitions",
            "--as-of",
            "2025-12-31",
            "--fail-on-overdue",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::is_match(r"^found: \d+ item\(s\) overdue as of 2025-12-31\n$")
                .expect("regex"),
        );
}

#[test]
fn a_ledger_row_copied_by_hand_counts_once_with_a_warning() {
    let ws = example();
    let before = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    let ledger = ws.read("data/ledger/2025.csv");
    let mut lines: Vec<&str> = ledger.lines().collect();
    let copied = lines[10];
    lines.insert(11, copied);
    ws.write("data/ledger/2025.csv", &(lines.join("\n") + "\n"));
    ws.tally()
        .args(["quarter", "2025Q4", "--format", "csv"])
        .assert()
        .success()
        .stdout(before)
        .stderr(predicate::str::contains(
            "data/ledger/2025.csv:12: the same record as line 11 (a row copied by hand?); counted once",
        ));
    ws.tally().arg("check").assert().code(1);
}

#[test]
fn an_import_writes_through_a_symlinked_year_file() {
    let ws = example();
    std::fs::create_dir(ws.path().join("archive")).expect("mkdir");
    std::fs::rename(
        ws.path().join("data/ledger/2025.csv"),
        ws.path().join("archive/2025.csv"),
    )
    .expect("move");
    std::os::unix::fs::symlink(
        "../../archive/2025.csv",
        ws.path().join("data/ledger/2025.csv"),
    )
    .expect("symlink");
    ws.write(
        "new/late.csv",
        "date,delegate,activity,count\n2025-12-30,D001,volunteer,1\n",
    );
    ws.stdout(&["import", "new/late.csv"]);
    let link = std::fs::symlink_metadata(ws.path().join("data/ledger/2025.csv")).expect("link");
    assert!(
        link.file_type().is_symlink(),
        "the year file's link was replaced"
    );
    assert!(
        ws.read("archive/2025.csv")
            .contains(",2025-12-30,D001,volunteer,1,")
    );
    assert!(leftovers(&ws.path().join("archive")).is_empty());
}

#[test]
fn a_ledger_row_cut_short_is_a_located_problem_not_a_record() {
    let ws = example();
    let ledger = ws.read("data/ledger/2025.csv");
    let cut = &ledger[..ledger.len() - 20];
    ws.write("data/ledger/2025.csv", cut);
    let last = cut.lines().count();
    ws.tally()
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "data/ledger/2025.csv:{last}: has "
        )))
        .stderr(predicate::str::contains(
            "a row cut short or edited by hand",
        ));
    ws.tally().args(["quarter", "2025Q4"]).assert().code(65);
}
