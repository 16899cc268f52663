//! The bad-input corpus: every `tests/fixtures/bad-*/` folder that holds a `cmd` file is a
//! small workspace and one situation. The test copies it to a scratch folder, runs
//! `tally <cmd>` there (TALLY_TODAY=2026-01-15, COLUMNS=200, no TALLY_WORKSPACE unless the
//! folder's `env` file sets it, one `KEY=VALUE` a line) and compares the exit code with
//! `expected.code` and stderr with `expected.stderr`, exactly. No case may panic.
//!
//! The golden files are reviewed like code. After a deliberate change of a message, rewrite
//! them with `TALLY_BLESS=1 cargo test --test cli bad_inputs::` and read the diff before committing.
//! Files too big to commit are made by [`generate`].

use crate::common;

use common::{TODAY, copy_dir, fixtures};
use std::path::Path;

/// Inputs made here rather than committed.
fn generate(case: &str, dir: &Path) {
    let head = "date,delegate,activity,count,outcome,ref,note\n";
    match case {
        "bad-10mb-field" => {
            let note = "备".repeat(10 * 1024 * 1024 / 3);
            let text = format!("{head}2025-03-01,D001,duty,,,,{note}\n2025-03-02,D001,duty,,,,\n");
            std::fs::write(dir.join("inbox/big.csv"), text).expect("write big.csv");
        }
        "bad-wide-header" => {
            let extra: Vec<String> = (0..100_000).map(|i| format!("x{i}")).collect();
            let text = format!(
                "date,delegate,activity,{}\n2025-03-01,D001,duty{}\n",
                extra.join(","),
                ",".repeat(100_000)
            );
            std::fs::write(dir.join("inbox/wide.csv"), text).expect("write wide.csv");
        }
        _ => {}
    }
}

struct Outcome {
    code: i32,
    stderr: String,
}

fn run(case: &Path) -> Outcome {
    let name = case
        .file_name()
        .expect("named")
        .to_string_lossy()
        .into_owned();
    let scratch = tempfile::tempdir().expect("scratch dir");
    copy_dir(case, scratch.path());
    generate(&name, scratch.path());
    let cmd = std::fs::read_to_string(case.join("cmd")).expect("cmd file");
    let mut tally = assert_cmd::Command::cargo_bin("tally").expect("binary built");
    tally
        .current_dir(scratch.path())
        .args(cmd.split_whitespace())
        .env("TALLY_TODAY", TODAY)
        .env("COLUMNS", "200")
        .env_remove("TALLY_WORKSPACE");
    if let Ok(env) = std::fs::read_to_string(case.join("env")) {
        for (k, v) in env.lines().filter_map(|l| l.split_once('=')) {
            tally.env(k, v);
        }
    }
    let out = tally.output().expect("tally runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn cases() -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(fixtures())
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().expect("named").to_string_lossy().into_owned();
            // bad-rows-all-listed predates the corpus and has no `cmd`: tests/cli/foundation.rs runs it.
            name.starts_with("bad-") && p.join("cmd").is_file()
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_input_is_refused_as_documented() {
    let bless = std::env::var_os("TALLY_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 30, "the corpus is there ({})", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().expect("named").to_string_lossy();
        let got = run(case);
        assert!(
            !got.stderr.contains("panicked") && got.code != 101,
            "{name}: panicked\n{}",
            got.stderr
        );
        assert!(
            [0, 1, 2, 65, 66, 73, 78].contains(&got.code),
            "{name}: exit {} is not one of SPEC §7",
            got.code
        );
        let code_file = case.join("expected.code");
        let stderr_file = case.join("expected.stderr");
        if bless {
            std::fs::write(&code_file, format!("{}\n", got.code)).expect("bless code");
            std::fs::write(&stderr_file, &got.stderr).expect("bless stderr");
            continue;
        }
        let want_code = std::fs::read_to_string(&code_file)
            .unwrap_or_else(|_| panic!("{name}: no expected.code (bless with TALLY_BLESS=1)"));
        let want_stderr = std::fs::read_to_string(&stderr_file).unwrap_or_default();
        if want_code.trim() != got.code.to_string() || want_stderr != got.stderr {
            failures.push(format!(
                "{name}: expected exit {}, got {}\n--- expected stderr\n{want_stderr}--- actual stderr\n{}",
                want_code.trim(),
                got.code,
                got.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every problem is one located line: `file:line: ...` for row problems (the corpus's
/// stderr lines name a file they point into, or are the closing summary).
#[test]
fn stderr_lines_are_short_and_plain() {
    for case in cases() {
        let name = case
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let Ok(stderr) = std::fs::read_to_string(case.join("expected.stderr")) else {
            continue;
        };
        for line in stderr.lines() {
            assert!(
                !line.chars().any(|c| c.is_control()),
                "{name}: a control character reaches the terminal: {line:?}"
            );
            assert!(
                line.chars().count() < 400,
                "{name}: a line of {} characters",
                line.chars().count()
            );
        }
    }
}
