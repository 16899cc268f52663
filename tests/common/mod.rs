//! A scratch copy of a fixture workspace per test, and the real binary run inside it.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The day tests pretend it is, so "today" defaults never drift.
pub const TODAY: &str = "2026-01-15";

pub struct Ws {
    pub dir: TempDir,
}

impl Ws {
    /// An empty scratch folder.
    pub fn empty() -> Ws {
        Ws {
            dir: tempfile::tempdir().expect("scratch dir"),
        }
    }

    /// A scratch copy of the example workspace, `examples/yantian`.
    pub fn example() -> Ws {
        let ws = Ws::empty();
        // As a fresh clone has it: without the caches a run in examples/ leaves (git ignores
        // them).
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/yantian"),
            ws.path(),
            &|name| {
                !(name.starts_with('.') && (name.ends_with(".rows") || name.ends_with(".sha256")))
            },
        );
        ws
    }

    /// A scratch copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Ws {
        let ws = Ws::empty();
        copy_dir(&fixtures().join(name), ws.path());
        ws
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The rows of `data/ledger/2025.csv` as maps from header to cell.
    pub fn ledger_rows(&self) -> Vec<std::collections::HashMap<String, String>> {
        let path = self.path().join("data/ledger/2025.csv");
        let mut r = csv::Reader::from_path(path).expect("ledger readable");
        let headers = r.headers().expect("ledger header").clone();
        r.records()
            .map(|rec| {
                let rec = rec.expect("ledger row");
                headers
                    .iter()
                    .zip(rec.iter())
                    .map(|(h, v)| (h.to_owned(), v.to_owned()))
                    .collect()
            })
            .collect()
    }

    /// `tally` run in the workspace folder, with a fixed today and no inherited workspace.
    pub fn tally(&self) -> Command {
        let mut cmd = Command::cargo_bin("tally").expect("binary built");
        cmd.current_dir(self.path())
            .env("TALLY_TODAY", TODAY)
            .env("COLUMNS", "200")
            .env_remove("TALLY_WORKSPACE")
            .env_remove("TALLY_LANG");
        cmd
    }

    /// Imports every file of `inbox/`, sorted by name, and insists it works.
    pub fn import_inbox(&self) -> &Ws {
        let mut files: Vec<String> = std::fs::read_dir(self.path().join("inbox"))
            .expect("inbox folder")
            .map(|e| format!("inbox/{}", e.expect("entry").file_name().to_string_lossy()))
            .collect();
        files.sort();
        self.tally().arg("import").args(&files).assert().success();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("file readable")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// stdout of a successful run.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.tally().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).expect("utf-8 stdout")
    }
}

/// The binary under test: `TALLY_BIN` when set (a release build runs the slow tests faster).
pub fn bin() -> PathBuf {
    std::env::var_os("TALLY_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tally")), PathBuf::from)
}

/// `tally` in `ws` as a plain process, for tests that spawn runs side by side and kill them:
/// a fixed today, no inherited workspace, nothing on stdin.
pub fn process(ws: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(bin());
    cmd.current_dir(ws)
        .env("TALLY_TODAY", TODAY)
        .env_remove("TALLY_WORKSPACE")
        .stdin(std::process::Stdio::null());
    cmd
}

/// The default point table as the repository keeps it (`rules/yantian-2013.toml`), for
/// tests that write a draft or changed rules from it.
pub fn default_rules() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/yantian-2013.toml"))
        .expect("default rules")
}

/// `tally petitions --as-of DATE --format csv EXTRA...` in a copy of `fixture`, compared
/// with its `expected/NAME.csv`.
pub fn check_petitions(fixture: &str, as_of: &str, extra: &[&str], expected: &str) {
    let ws = Ws::fixture(fixture);
    let mut args = vec!["petitions", "--as-of", as_of, "--format", "csv"];
    args.extend_from_slice(extra);
    let actual = ws.stdout(&args);
    let want = ws.read(&format!("expected/{expected}.csv"));
    assert_same(&actual, &want, &format!("{fixture} {as_of} {extra:?}"));
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    copy_tree(from, to, &|_| true);
}

/// Copies the files of `from` whose names `keep` says, in every folder, to `to`.
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&str) -> bool) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("fixture exists") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target, keep);
        } else if keep(&entry.file_name().to_string_lossy()) {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Compares line by line and shows both sides on failure.
pub fn assert_same(actual: &str, expected: &str, what: &str) {
    if actual != expected {
        panic!("{what} differs\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}
