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
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/yantian"),
            ws.path(),
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

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("fixture exists") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
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
