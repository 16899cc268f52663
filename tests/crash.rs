//! Crash safety (issue 15, point 5), proven by killing the real binary with SIGKILL.
//!
//! A generated workspace (120 delegates, terms starting and ending inside the years) holds an
//! old ledger of 5,000 rows; `tally import` of a 200,000-row file is killed a few ms in, while
//! it reads, at instants spread over the writing of its temporary files, as the first year file
//! is put in place, and after its end — measured on an uninterrupted run, the writing ones
//! anchored to the first temporary file seen.
//!
//! - `killed_import_one_year` (8 kills), `killed_import_two_years` (12 kills, rows over 2024
//!   and 2025): after each kill every year file is byte for byte the old one or the complete
//!   new one; `tally check` passes and then the years agree — never 2024 new beside 2025 old;
//!   re-running the import gives exactly the ledger of an uninterrupted import, with no
//!   `.tally-*` file left anywhere in the workspace. Every other killed workspace is moved to
//!   another folder first, as a backup is restored elsewhere.
//! - `killed_annual_to_folder`, `killed_quarter_to_html` (12 kills each): a report killed
//!   while it runs with `-o` leaves each output file absent, as it was, or complete (equal to
//!   an uninterrupted run's, the `generated_at` time masked), never a half file; where a kill
//!   left temporary files, the next run still writes the whole report and removes them.
//! - `killed_annual_leaves_one_set_of_files`: killed as the first annual file is put in place,
//!   the folder never holds files of two runs, or some of the three without the others.
//!
//! The assertions hold wherever a kill lands; the instants only spread where they land.
//! `TALLY_BIN=target/release/tally cargo test --test crash` runs them on a release build.

mod common;
#[path = "common/datagen.rs"]
mod datagen;

use datagen::{Batch, Roster};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const DELEGATES: usize = 120;
const BIG_ROWS: usize = 200_000;
const OLD_ROWS: usize = 5_000;

fn tally(ws: &Path) -> Command {
    common::process(ws)
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
    /// `delay` after a `.tally-*` file first shows in the watched folder: anchored to the
    /// start of the writing, so the instant does not drift with the speed of the reading.
    /// At `or_at` from the start in any case, so that a run writing no such file is killed
    /// while it writes all the same.
    AfterFirstTemporary {
        delay: Duration,
        or_at: Duration,
    },
    /// As soon as a file there is created, replaced or written to: the commit is under way.
    FirstChange,
    /// None, the process ends by itself: a kill that would come too late.
    AfterEnd,
}

/// Inode, length and modification time of each file in `dir` but temporary ones, to see one
/// created, replaced by a rename or written in place.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, u64, i64, i64)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with(".tally-"))
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name, (m.ino(), m.len(), m.mtime(), m.mtime_nsec())))
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
    first_change: Option<Duration>,
    end: Duration,
}

/// Spawns `tally args` in `ws`, watches the folder it writes to (`dir`), and kills it as
/// `kill` says (`None`: lets it finish). Returns how it ended and what was seen of it. A run
/// that fails by itself is a bug.
fn run_watched(ws: &Path, dir: &Path, args: &[&str], kill: Option<Kill>) -> (ExitStatus, Phases) {
    let before = stamps(dir);
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
        loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                break status;
            }
            let now = start.elapsed();
            if seen.first_temporary.is_none() && has_temporary(dir) {
                seen.first_temporary = Some(now);
            }
            if seen.first_change.is_none() && stamps(dir) != before {
                seen.first_change = Some(now);
            }
            let due = match kill {
                Some(Kill::AfterFirstTemporary { delay, or_at }) => {
                    now >= or_at || seen.first_temporary.is_some_and(|t| now >= t + delay)
                }
                Some(Kill::FirstChange) => seen.first_change.is_some(),
                _ => false,
            };
            if due {
                let _ = child.kill();
                break child.wait().expect("wait");
            }
            // Watching costs a core's time: closely only once the writing has begun.
            let close =
                !matches!(kill, None | Some(Kill::AfterEnd)) && seen.first_temporary.is_some();
            std::thread::sleep(Duration::from_micros(if close { 100 } else { 1000 }));
        }
    };
    seen.end = start.elapsed();
    assert!(
        status.success() || status.signal() == Some(9),
        "tally {} failed by itself ({status}) under {kill:?}",
        args.join(" ")
    );
    (status, seen)
}

/// Kill instants over a run whose phases are known: a few ms in, twice while it reads,
/// `staging` times spread over the writing of temporary files (the first at its start),
/// `commit` times as the first file is put in place, and past the end.
fn instants(p: Phases, staging: u32, commit: usize) -> Vec<Kill> {
    let ms = Duration::from_millis;
    let first_temporary = p.first_temporary.unwrap_or(p.end / 2);
    let window = p
        .first_change
        .unwrap_or(p.end)
        .saturating_sub(first_temporary);
    let mut kills = vec![
        Kill::After(ms(5)),
        Kill::After(first_temporary / 3),
        Kill::After(first_temporary * 2 / 3),
    ];
    kills.extend((0..staging).map(|k| {
        let delay = window * k / staging;
        Kill::AfterFirstTemporary {
            delay,
            or_at: first_temporary + delay + p.end / 20,
        }
    }));
    kills.extend(std::iter::repeat_n(Kill::FirstChange, commit));
    kills.push(Kill::AfterEnd);
    kills
}

/// Every file of a workspace but its inbox, by path.
fn snapshot(ws: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read folder").flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(root).expect("inside").to_path_buf();
            if rel == Path::new("inbox") {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(ws, ws, &mut out);
    out
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
    /// Workspaces (as [`snapshot`]s) on which `check` passed and a re-run of the import gave
    /// the new ledger. tally reads nothing else, so a killed run that left one of these
    /// exactly needs no second proof; the debug build is too slow to repeat it every time.
    verified: Vec<BTreeMap<PathBuf, Vec<u8>>>,
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
    // The old rows are keyed by fingerprint, the big file's by id: both kinds of key.
    let big = Batch {
        tag: "big",
        rows: BIG_ROWS,
        years,
        seed: 2,
        ids: true,
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
    let mut s = Scenario {
        base,
        old,
        new,
        done,
        phases,
        verified: Vec::new(),
    };
    // The untouched workspace: the uninterrupted import above was its re-run.
    run_ok(s.base.path(), &["check"]);
    s.verified.push(snapshot(s.base.path()));
    let again = tempfile::tempdir().expect("scratch");
    clone_ws(s.done.path(), again.path());
    verify_rerun(&s, again.path(), "the finished import");
    s.verified.push(snapshot(s.done.path()));
    s
}

/// `check` passes and re-running the import leaves the new ledger and no temporary file.
fn verify_rerun(s: &Scenario, ws: &Path, when: &str) {
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
fn kill_imports(s: &Scenario, kills: Vec<Kill>) {
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    for (i, kill) in kills.into_iter().enumerate() {
        let trial = tempfile::tempdir().expect("scratch");
        let killed_in = trial.path().join("ws");
        clone_ws(s.base.path(), &killed_in);
        let (status, seen) = run_watched(
            &killed_in,
            &ledger_dir(&killed_in),
            &["import", BIG],
            Some(kill),
        );
        // Every other workspace is moved before anything else runs in it, as a folder is
        // restored from a backup or copied elsewhere: what the kill left must not depend on
        // where the workspace lay (nor reach back into where it was).
        let moved = i % 2 == 1;
        let ws = &if moved {
            let to = trial.path().join("moved");
            std::fs::rename(&killed_in, &to).expect("move the workspace");
            to
        } else {
            killed_in
        };
        let when = format!(
            "kill {i} ({kill:?}, landed at {:?}){}",
            seen.end,
            if moved { ", workspace moved after" } else { "" }
        );

        let raw = versions(ws, s, &format!("{when}, right after"));
        let already = s.verified.contains(&snapshot(ws));
        if !already {
            let check = tally(ws).arg("check").output().expect("check runs");
            assert!(
                check.status.success(),
                "{when}: tally check failed ({})\n{}{}",
                check.status,
                String::from_utf8_lossy(&check.stdout),
                String::from_utf8_lossy(&check.stderr)
            );
        }
        let after_check = versions(ws, s, &format!("{when}, after check"));
        let mut kinds: Vec<Version> = after_check.values().copied().collect();
        kinds.dedup();
        assert_eq!(
            kinds.len(),
            1,
            "{when}: after `tally check` the years disagree, half an import shows: {after_check:?}"
        );
        if !already {
            verify_rerun(s, ws, &when);
        }

        let outcome = format!(
            "{} {:?}{}{}",
            if status.success() {
                "finished"
            } else {
                "killed"
            },
            raw.values().collect::<Vec<_>>(),
            if raw == after_check {
                ""
            } else {
                " healed by check"
            },
            if already { "" } else { " (checked, re-run)" }
        );
        *outcomes.entry(outcome).or_default() += 1;
    }
    eprintln!(
        "{} year(s), uninterrupted {:?}: {outcomes:?}",
        s.new.len(),
        s.phases
    );
}

#[test]
fn killed_import_one_year() {
    let s = scenario(&[2025]);
    kill_imports(&s, instants(s.phases, 3, 1));
}

#[test]
fn killed_import_two_years() {
    // Twice at the first rename: that is where a non-transactional commit shows.
    let s = two_years();
    kill_imports(s, instants(s.phases, 6, 2));
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

/// What one killed report run left in its folder.
struct Left {
    when: String,
    /// The complete files there, by the run they come from ("old", "new").
    from: BTreeMap<String, &'static str>,
    /// The run's journal was left: the kill came between its renames, and the next run
    /// finishes them (checked below by the re-run, which must write the report whole).
    journal: bool,
}

/// Kills `tally <args> -o <target>` as `kills` says, given an uninterrupted run's phases,
/// into folders that start empty (even trials) or hold the report made from the old ledger
/// (odd trials). Each file left must be absent, the old one, or the complete new one; where a
/// kill left temporary files, a re-run must still write the report whole.
fn kill_report(args: &[&str], target: &str, kills: fn(Phases) -> Vec<Kill>) -> Vec<Left> {
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

    let mut temps_left = 0;
    let mut lefts = Vec::new();
    for (i, kill) in kills(phases).into_iter().enumerate() {
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
        // Looked for before the re-run below, which finishes the journal and removes it.
        let journal = std::fs::read_dir(&dir)
            .expect("read output folder")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".journal"));
        let mut from = BTreeMap::new();
        for (name, bytes) in &files {
            let run = if new.get(name) == Some(bytes) {
                "new"
            } else if from_old && old.get(name) == Some(bytes) {
                "old"
            } else {
                panic!(
                    "{when}: {name} is not a complete report ({} bytes)",
                    bytes.len()
                )
            };
            from.insert(name.clone(), run);
        }
        if temps > 0 {
            // Whatever a kill left behind, the next run writes the report whole and clears
            // the dead run's temporary files, which would otherwise pile up where reports
            // are published.
            run_into(ws, &dir, None);
            let (files, temps) = outputs(&dir);
            assert!(
                files == new,
                "{when}: the re-run did not write the full report"
            );
            assert_eq!(temps, 0, "{when}: temporary files left after the re-run");
        }
        lefts.push(Left {
            when,
            from,
            journal,
        });
    }
    eprintln!(
        "{} uninterrupted {:?}; {} kills; temporary files left by them: {temps_left}",
        args.join(" "),
        phases.end,
        lefts.len()
    );
    lefts
}

/// A few ms in, spread over the run (the files are written at its very end), past the end;
/// then as the first temporary file shows and as the first file is put in place, twice
/// each, so that both kinds of folder see both.
fn report_instants(p: Phases) -> Vec<Kill> {
    let mut kills: Vec<Kill> = [1, 250, 500, 750, 900, 970, 1000]
        .into_iter()
        .map(|per_mille| Kill::After((p.end * per_mille / 1000).max(Duration::from_millis(5))))
        .collect();
    kills.extend([
        Kill::AfterEnd,
        Kill::AfterFirstTemporary {
            delay: Duration::ZERO,
            or_at: p.end,
        },
        Kill::AfterFirstTemporary {
            delay: Duration::ZERO,
            or_at: p.end,
        },
        Kill::FirstChange,
        Kill::FirstChange,
    ]);
    kills
}

#[test]
fn killed_annual_to_folder() {
    kill_report(&["annual", "2025"], "", report_instants);
}

#[test]
fn killed_quarter_to_html() {
    kill_report(
        &["quarter", "2025Q4"],
        "quarter-2025Q4.html",
        report_instants,
    );
}

/// SPEC §5: `annual -o DIR` writes its three files "atomically" — killed as the first of them
/// is put in place, the folder holds one set, or the journal of the renames under way, which
/// the next run finishes (no filesystem renames three files as one: a kill that lands
/// between them, as it does on a loaded machine, must leave the journal).
#[test]
fn killed_annual_leaves_one_set_of_files() {
    let lefts = kill_report(&["annual", "2025"], "", |_| vec![Kill::FirstChange; 4]);
    for left in lefts {
        let mut runs: Vec<&str> = left.from.values().copied().collect();
        runs.dedup();
        assert!(
            left.journal || (runs.len() <= 1 && (left.from.is_empty() || left.from.len() == 3)),
            "{}: the files are not one set: {:?}",
            left.when,
            left.from
        );
    }
}
