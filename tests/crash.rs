//! Crash safety (issue 15, point 5), proven by killing the real binary with SIGKILL.
//!
//! A generated workspace (120 delegates, terms starting and ending inside the years) holds an
//! old ledger; `tally import` of a 200,000-row file is killed at instants spread over an
//! uninterrupted run (from a few ms to past its end, denser where it writes), and at the first
//! sight of a temporary file or of a replaced year file in the ledger folder.
//!
//! - `killed_import_one_year`, `killed_import_two_years`: after each kill every year file is
//!   byte for byte the old one or the complete new one; once `tally check` has run (and
//!   passed) the years agree — never 2024 new beside 2025 old; re-running the import gives
//!   exactly the ledger of an uninterrupted import, with no `.tally-*` file left anywhere.
//! - `killed_annual_to_folder`, `killed_quarter_to_html`: a report killed while writing with
//!   `-o` leaves each output file absent, as it was, or complete (equal to an uninterrupted
//!   run's, the `generated_at` time masked), never a half file; the three annual files are
//!   always one set.
//!
//! The assertions hold wherever a kill lands; the instants only spread where they land.
//! `TALLY_BIN=target/release/tally cargo test --test crash` runs them on a release build.

mod common;
#[path = "common/datagen.rs"]
mod datagen;

use datagen::{Batch, Roster};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const DELEGATES: usize = 120;
const BIG_ROWS: usize = 200_000;
const OLD_ROWS: usize = 20_000;

/// The binary under test: `TALLY_BIN` when set (a release build runs these faster).
fn bin() -> PathBuf {
    std::env::var_os("TALLY_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_tally")), PathBuf::from)
}

fn tally(ws: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.current_dir(ws)
        .env("TALLY_TODAY", common::TODAY)
        .env_remove("TALLY_WORKSPACE")
        .stdin(Stdio::null());
    cmd
}

/// Runs to the end and insists on exit 0.
fn run_ok(ws: &Path, args: &[&str]) -> Output {
    let out = tally(ws).args(args).output().expect("tally runs");
    assert!(
        out.status.success(),
        "tally {} failed ({})\nstdout:\n{}\nstderr:\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A copy of a workspace; large inbox files are hard-linked (tally only reads them).
fn clone_ws(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read workspace") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            clone_ws(&entry.path(), &target);
        } else if from.ends_with("inbox") {
            std::fs::hard_link(entry.path(), &target)
                .or_else(|_| std::fs::copy(entry.path(), &target).map(drop))
                .expect("link inbox file");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The year files of the ledger, by name (`2025.csv`).
fn year_files(ws: &Path) -> BTreeMap<String, Vec<u8>> {
    let dir = ws.join("data/ledger");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.expect("entry"))
        .filter(|e| is_year_file(&e.file_name().to_string_lossy()))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("read year file"))
        })
        .collect()
}

fn is_year_file(name: &str) -> bool {
    name.len() == 8 && name.ends_with(".csv") && name[..4].bytes().all(|b| b.is_ascii_digit())
}

/// Every `.tally-*` file or folder under `dir`.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read folder").flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(".tally-") {
            found.push(path.clone());
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(temporaries(&path));
        }
    }
    found
}

/// When to send SIGKILL.
#[derive(Debug, Clone, Copy)]
enum Kill {
    After(Duration),
    /// As soon as a `.tally-*` file shows in the watched folder: staging has begun.
    FirstTemporary,
    /// As soon as a file there is replaced or created: the commit is under way.
    FirstReplaced,
}

/// Inode of each file in `dir` but temporary ones, to see one created or replaced by a rename.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with(".tally-"))
        .filter_map(|e| {
            Some((
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().ok()?.ino(),
            ))
        })
        .collect()
}

fn has_temporary(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".tally-"))
}

/// What a run let us see of its phases, in time from the spawn.
#[derive(Debug, Default, Clone, Copy)]
struct Phases {
    first_temporary: Option<Duration>,
    first_replaced: Option<Duration>,
    end: Duration,
}

/// Spawns `tally args` in `ws`, watches the folder it writes to (`watch`), and kills it as
/// `kill` says (`None`: lets it finish). Returns how it ended and what was seen of it. A run
/// that fails by itself is a bug.
fn run_watched(ws: &Path, watch: &Path, args: &[&str], kill: Option<Kill>) -> (ExitStatus, Phases) {
    let before = inodes(watch);
    let start = Instant::now();
    let mut child = tally(ws)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tally");
    let mut seen = Phases::default();
    let status = if let Some(Kill::After(delay)) = kill {
        std::thread::sleep(delay);
        // SIGKILL; an error only means the process had already exited.
        let _ = child.kill();
        child.wait().expect("wait")
    } else {
        // Watching costs a core's time; an event kill needs it quick, a plain run does not.
        let every = Duration::from_micros(if kill.is_some() { 100 } else { 1000 });
        loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                break status;
            }
            let now = start.elapsed();
            if seen.first_temporary.is_none() && has_temporary(watch) {
                seen.first_temporary = Some(now);
            }
            if seen.first_replaced.is_none() && inodes(watch) != before {
                seen.first_replaced = Some(now);
            }
            let due = match kill {
                Some(Kill::FirstTemporary) => seen.first_temporary.is_some(),
                Some(Kill::FirstReplaced) => seen.first_replaced.is_some(),
                _ => false,
            };
            if due {
                let _ = child.kill();
                break child.wait().expect("wait");
            }
            std::thread::sleep(every);
        }
    };
    seen.end = start.elapsed();
    assert!(
        status.success() || status.code().is_none(),
        "tally {} failed by itself ({status}) under {kill:?}",
        args.join(" ")
    );
    (status, seen)
}

/// Kill instants over a run whose phases are known: a few ms in, across the reading, across
/// the staging, around the commit, and past the end.
fn instants(p: Phases) -> Vec<Kill> {
    let ms = Duration::from_millis;
    let staging = p.first_temporary.unwrap_or(p.end / 2);
    let commit = p.first_replaced.unwrap_or(p.end);
    let mut at = vec![ms(5), staging / 3, staging * 2 / 3];
    for k in 0..4u32 {
        at.push(staging + (commit.saturating_sub(staging)) * k / 4);
    }
    at.push(commit);
    at.push(p.end * 6 / 5);
    let mut kills: Vec<Kill> = at.into_iter().map(Kill::After).collect();
    kills.push(Kill::FirstTemporary);
    kills.push(Kill::FirstReplaced);
    kills
}

/// A workspace with an old ledger and a big inbox file, and the ledger an uninterrupted
/// import of it leaves.
struct Scenario {
    base: tempfile::TempDir,
    old: BTreeMap<String, Vec<u8>>,
    new: BTreeMap<String, Vec<u8>>,
    /// The uninterrupted import's copy of the workspace, for the report tests.
    done: tempfile::TempDir,
    phases: Phases,
}

const BIG: &str = "inbox/big.csv";

fn ledger_dir(ws: &Path) -> PathBuf {
    ws.join("data/ledger")
}

fn scenario(years: &'static [i32]) -> Scenario {
    let roster: Roster = datagen::roster(DELEGATES);
    let base = tempfile::tempdir().expect("scratch");
    datagen::workspace(base.path(), "crash test", &roster);
    let old = Batch {
        tag: "old",
        rows: OLD_ROWS,
        years,
        seed: 1,
        ids: false,
    };
    std::fs::write(base.path().join("inbox/old.csv"), old.csv(&roster)).expect("write old");
    run_ok(base.path(), &["import", "inbox/old.csv"]);
    let big = Batch {
        tag: "big",
        rows: BIG_ROWS,
        years,
        seed: 2,
        ids: false,
    };
    std::fs::write(base.path().join(BIG), big.csv(&roster)).expect("write big");
    let old = year_files(base.path());

    let done = tempfile::tempdir().expect("scratch");
    clone_ws(base.path(), done.path());
    let (status, phases) = run_watched(
        done.path(),
        &ledger_dir(done.path()),
        &["import", BIG],
        None,
    );
    assert!(status.success(), "the uninterrupted import failed");
    let new = year_files(done.path());
    let expected: Vec<String> = years.iter().map(|y| format!("{y}.csv")).collect();
    assert_eq!(
        old.keys().cloned().collect::<Vec<_>>(),
        expected,
        "old ledger years"
    );
    assert_eq!(
        new.keys().cloned().collect::<Vec<_>>(),
        expected,
        "new ledger years"
    );
    for (name, bytes) in &new {
        assert!(
            old[name] != *bytes,
            "{name} must change, or a kill proves nothing"
        );
    }
    Scenario {
        base,
        old,
        new,
        done,
        phases,
    }
}

fn two_years() -> &'static Scenario {
    static TWO: OnceLock<Scenario> = OnceLock::new();
    TWO.get_or_init(|| scenario(&[2024, 2025]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Old,
    New,
}

/// Which version each year file is; anything else (a half file, a missing year) fails.
fn versions(ws: &Path, s: &Scenario, when: &str) -> BTreeMap<String, Version> {
    let now = year_files(ws);
    let extra: Vec<&String> = now.keys().filter(|k| !s.new.contains_key(*k)).collect();
    assert!(extra.is_empty(), "{when}: unexpected year files {extra:?}");
    s.new
        .keys()
        .map(|name| {
            let Some(bytes) = now.get(name) else {
                panic!("{when}: {name} is missing");
            };
            let v = if *bytes == s.old[name] {
                Version::Old
            } else if *bytes == s.new[name] {
                Version::New
            } else {
                panic!(
                    "{when}: {name} is neither the old ledger nor the complete new one \
                     ({} bytes; old {}, new {})",
                    bytes.len(),
                    s.old[name].len(),
                    s.new[name].len()
                )
            };
            (name.clone(), v)
        })
        .collect()
}

/// Kills the import at every instant and checks what is left, what `check` says, and that a
/// re-run completes the import.
fn kill_imports(s: &Scenario) {
    let mut tally_of_states: BTreeMap<String, usize> = BTreeMap::new();
    for (i, kill) in instants(s.phases).into_iter().enumerate() {
        let trial = tempfile::tempdir().expect("scratch");
        let ws = trial.path();
        clone_ws(s.base.path(), ws);
        let (status, seen) = run_watched(ws, &ledger_dir(ws), &["import", BIG], Some(kill));
        let when = format!("kill {i} ({kill:?}, landed at {:?})", seen.end);

        let raw = versions(ws, s, &format!("{when}, right after"));
        let check = tally(ws).arg("check").output().expect("check runs");
        assert!(
            check.status.success(),
            "{when}: tally check failed ({})\n{}{}",
            check.status,
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let seen_by_check = versions(ws, s, &format!("{when}, after check"));
        let mut kinds: Vec<Version> = seen_by_check.values().copied().collect();
        kinds.dedup();
        assert_eq!(
            kinds.len(),
            1,
            "{when}: after `tally check` the years disagree, half an import shows: {seen_by_check:?}"
        );

        run_ok(ws, &["import", BIG]);
        assert!(
            year_files(ws) == s.new,
            "{when}: re-running the import did not give the uninterrupted import's ledger"
        );
        let left = temporaries(ws);
        assert!(
            left.is_empty(),
            "{when}: temporary files left after the re-run: {left:?}"
        );

        let state = format!(
            "{} {:?}{}",
            if status.success() {
                "finished"
            } else {
                "killed"
            },
            raw.values().collect::<Vec<_>>(),
            if raw != seen_by_check {
                " healed by check"
            } else {
                ""
            }
        );
        *tally_of_states.entry(state).or_default() += 1;
    }
    eprintln!(
        "{} years, uninterrupted {:?}: {tally_of_states:?}",
        s.new.len(),
        s.phases
    );
}

#[test]
fn killed_import_one_year() {
    kill_imports(&scenario(&[2025]));
}

#[test]
fn killed_import_two_years() {
    kill_imports(two_years());
}

/// `generated_at` times (`2026-01-15 09:30:00 +08:00`) replaced by a mark, so two runs of a
/// report compare equal.
fn mask_time(bytes: &[u8]) -> Vec<u8> {
    const SHAPE: &[u8] = b"dddd-dd-dd dd:dd:dd sdd:dd";
    let fits = |w: &[u8]| {
        w.iter().zip(SHAPE).all(|(c, s)| match s {
            b'd' => c.is_ascii_digit(),
            b's' => *c == b'+' || *c == b'-',
            _ => c == s,
        })
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes.len() - i >= SHAPE.len() && fits(&bytes[i..i + SHAPE.len()]) {
            out.extend_from_slice(b"<generated_at>");
            i += SHAPE.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The output files in `dir` (temporary `.tally-*` files aside), time masked, and how many
/// temporary files there are.
fn outputs(dir: &Path) -> (BTreeMap<String, Vec<u8>>, usize) {
    let mut files = BTreeMap::new();
    let mut temps = 0;
    for e in std::fs::read_dir(dir)
        .expect("read output folder")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(".tally-") {
            temps += 1;
        } else {
            files.insert(
                name,
                mask_time(&std::fs::read(e.path()).expect("read output")),
            );
        }
    }
    (files, temps)
}

/// Kills `tally <args> -o <target>` at instants over an uninterrupted run, into a folder that
/// starts empty or holds the report made from the old ledger; each file left must be absent,
/// the old one, or the complete new one, and the files must come from one run.
fn kill_report(args: &[&str], target: &str) {
    let s = two_years();
    let ws = s.done.path();
    let scratch = tempfile::tempdir().expect("scratch");
    let run_into = |ws: &Path, dir: &Path, kill: Option<Kill>| {
        std::fs::create_dir_all(dir).expect("mkdir");
        let out = dir.join(target);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-o", out.to_str().expect("utf-8 path")]);
        run_watched(ws, dir, &all, kill)
    };
    let new_dir = scratch.path().join("new");
    let (_, phases) = run_into(ws, &new_dir, None);
    let (new, _) = outputs(&new_dir);
    let old_dir = scratch.path().join("old");
    run_into(s.base.path(), &old_dir, None);
    let (old, _) = outputs(&old_dir);
    assert!(!new.is_empty(), "the uninterrupted report wrote nothing");
    assert_eq!(
        old.keys().collect::<Vec<_>>(),
        new.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &new {
        assert!(
            old[name] != *bytes,
            "{name} must differ between the ledgers"
        );
    }

    let ms = Duration::from_millis;
    let mut kills = vec![Kill::After(ms(5))];
    kills.extend((1..=8u32).map(|k| Kill::After(phases.end * k / 8)));
    kills.push(Kill::After(phases.end * 6 / 5));
    kills.extend([Kill::FirstTemporary, Kill::FirstReplaced]);
    kills.extend([Kill::FirstTemporary, Kill::FirstReplaced]);
    let mut temps_left = 0;
    for (i, kill) in kills.into_iter().enumerate() {
        let dir = scratch.path().join(format!("trial-{i}"));
        let from_old = i % 2 == 1;
        if from_old {
            common::copy_dir(&old_dir, &dir);
        }
        let (status, seen) = run_into(ws, &dir, Some(kill));
        let when = format!(
            "{} killed {kill:?} (ended {:?}, {}), folder {}",
            args.join(" "),
            seen.end,
            if status.success() {
                "finished"
            } else {
                "killed"
            },
            if from_old {
                "holding the old report"
            } else {
                "empty"
            }
        );
        let (files, temps) = outputs(&dir);
        temps_left += temps;
        let mut from = Vec::new();
        for (name, bytes) in &files {
            if new.get(name) == Some(bytes) {
                from.push("new");
            } else if from_old && old.get(name) == Some(bytes) {
                from.push("old");
            } else {
                panic!(
                    "{when}: {name} is not a complete report ({} bytes)",
                    bytes.len()
                );
            }
        }
        from.dedup();
        assert!(
            from.len() <= 1,
            "{when}: files from two runs side by side: {from:?}"
        );
        assert!(
            files.is_empty() || files.len() == new.len(),
            "{when}: only some of the files are in place: {:?}",
            files.keys().collect::<Vec<_>>()
        );
        if files != new {
            // Whatever a kill left behind, the next run writes the report whole.
            run_into(ws, &dir, None);
            assert!(
                outputs(&dir).0 == new,
                "{when}: the re-run did not write the full report"
            );
        }
    }
    eprintln!(
        "{} uninterrupted {:?}; temporary files left by kills: {temps_left}",
        args.join(" "),
        phases.end
    );
}

#[test]
fn killed_annual_to_folder() {
    kill_report(&["annual", "2025"], "");
}

#[test]
fn killed_quarter_to_html() {
    kill_report(&["quarter", "2025Q4"], "quarter-2025Q4.html");
}
