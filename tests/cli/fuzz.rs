//! Fuzzing on stable Rust, with proptest: arbitrary bytes and mutations of valid files go
//! through the whole input layer (decoding, CSV, row validation, rules and tally.toml), and
//! a smaller number through `tally import --dry-run`. Never a panic; always Ok or problems
//! that name the file (and the line, for a CSV file), each on one plain line.
//!
//! The normal suite runs a few hundred cases. The long runs are ignored by default:
//! `TALLY_FUZZ_CASES=100000 cargo test --release --test cli fuzz:: -- --ignored` (the count is
//! per target; `TALLY_FUZZ_BIN_CASES` sets the binary runs, default 2000).

use crate::common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;
use tally::domain::Roster;
use tally::domain::rules::Rules;
use tally::error::{Exit, Problem};
use tally::input::files::{self, ADJUSTMENTS, EVALUATIONS, PETITIONS, ROSTER};
use tally::input::records::{self, RECORDS};
use tally::input::rules::{DEFAULT_RULES, DEFAULT_RULES_NAME, parse_rules};
use tally::input::{ColumnSpec, CsvFile, Encoding, decode::decode};
use tally::ledger::format::{self, LEDGER, LedgerHeaders};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/yantian");

fn env_count(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// The first `lines` lines of an example file, as bytes (GBK files stay GBK).
fn sample(rel: &str, lines: usize) -> Vec<u8> {
    let bytes = std::fs::read(Path::new(EXAMPLE).join(rel)).expect("example file");
    let mut out = Vec::new();
    for line in bytes.split_inclusive(|&b| b == b'\n').take(lines) {
        out.extend_from_slice(line);
    }
    out
}

/// What a file is, for the schema and validation it goes through.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Records,
    Roster,
    Petitions,
    Evaluations,
    Adjustments,
    Ledger,
}

struct Fixture {
    templates: Vec<(Kind, Vec<u8>)>,
    roster: Roster,
    rules: Rules,
}

fn fixture() -> Fixture {
    let templates = vec![
        (Kind::Records, sample("inbox/2025-H1-社区工作室.csv", 25)),
        (Kind::Records, sample("inbox/2025-H2-district.csv", 25)),
        (Kind::Roster, sample("data/delegates.csv", 31)),
        (Kind::Petitions, sample("data/petitions.csv", 12)),
        (Kind::Evaluations, sample("data/evaluations.csv", 20)),
        (Kind::Adjustments, sample("data/adjustments.csv", 6)),
        (Kind::Ledger, sample("data/ledger/2025.csv", 25)),
    ];
    let text = String::from_utf8(sample("data/delegates.csv", 100)).expect("utf-8 roster");
    let roster = files::roster(&CsvFile::parse("d.csv", &text, ROSTER).expect("roster")).value;
    let rules = parse_rules(DEFAULT_RULES_NAME, DEFAULT_RULES).expect("default rules");
    Fixture {
        templates,
        roster,
        rules,
    }
}

/// Pieces that have broken parsers before, or might.
const CSV_TOKENS: &[&[u8]] = &[
    b"\"",
    b",",
    b"\n",
    b"\r",
    b"\r\n",
    b"\xEF\xBB\xBF",
    b"\0",
    b"\x1b[31m",
    b"\xC2\x9b",
    b"+-5",
    b"1_000",
    b"99999999999999999999",
    b"-0",
    b"1e3",
    b"2025-02-30",
    b"2025\xE5\xB9\xB43\xE6\x9C\x881\xE6\x97\xA5",
    b"\xD5\xC5\xC8\xFD",
    b"\xE4\xBC",
    b"\xFF",
    b"\xFF\xFE",
    b"D001",
    b"duty",
    b"very_satisfied",
    b"\"\"",
    b" ",
    b"=cmd|' /C calc'!A0",
    b"9999-12-31",
    b"0000-01-01",
    b"10000",
    b"10001",
    b"2025/1/2",
    b"2026-01-16",
    b"petition_resolved",
    b"P2025-001",
];

const TOML_TOKENS: &[&str] = &[
    "=",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'''",
    "\n",
    ",",
    "-1e400",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "99999999999999999999999",
    "0.0000000000000000000000000001",
    "-0",
    "[[item]]\n",
    "code = \"duty\"\n",
    "points = 1e30\n",
    "cap = { points = -1, per = \"cycle\" }\n",
    "per = \"month\"\n",
    "at_least = 0\n",
    "min = -5\n",
    "reply_within_days = -1\n",
    "reply_within = \"0 working days\"\n",
    "holidays = [\"2025-02-30\"]\n",
    "groups = {}\n",
    "grades = []\n",
    "[workspace]\n",
    "ledger = \"/\"\n",
    "rules = \"\"\n",
    "name = \"\\u001b[2J\"\n",
    "\u{feff}",
    "\0",
];

/// One edit to a file: insert a token or a byte, delete a span, overwrite a byte, or
/// repeat a line.
#[derive(Debug, Clone)]
enum Edit {
    Token(usize, usize),
    Byte(usize, u8),
    Delete(usize, usize),
    Overwrite(usize, u8),
    RepeatLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(at, t)| Edit::Token(at, t)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Byte(at, b)),
        2 => (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Overwrite(at, b)),
        1 => any::<usize>().prop_map(Edit::RepeatLine),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit], tokens: &[&[u8]]) -> Vec<u8> {
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match *e {
            Edit::Token(i, t) => {
                let at = at(i, bytes.len());
                let token = tokens[t % tokens.len()];
                bytes.splice(at..at, token.iter().copied());
            }
            Edit::Byte(i, b) => {
                let at = at(i, bytes.len());
                bytes.insert(at, b);
            }
            Edit::Delete(i, n) => {
                let from = at(i, bytes.len());
                let to = (from + n).min(bytes.len());
                bytes.drain(from..to);
            }
            Edit::Overwrite(i, b) => {
                if !bytes.is_empty() {
                    let at = i % bytes.len();
                    bytes[at] = b;
                }
            }
            Edit::RepeatLine(i) => {
                let lines: Vec<Vec<u8>> = bytes
                    .split_inclusive(|&b| b == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
                if !lines.is_empty() {
                    let line = lines[i % lines.len()].clone();
                    let pos: usize = lines[..=i % lines.len()].iter().map(Vec::len).sum();
                    bytes.splice(pos..pos, line);
                }
            }
        }
    }
    bytes
}

/// A problem that can be acted on: it names the file, sits on one plain line, and (for a
/// CSV file) says the line.
fn assert_located(p: &Problem, file: &str, needs_line: bool) {
    assert_eq!(p.file, file, "{p}");
    if needs_line {
        assert!(p.line.is_some(), "no line: {p}");
    }
    let shown = p.to_string();
    assert!(
        !shown.chars().any(char::is_control),
        "control char: {shown:?}"
    );
    assert!(shown.chars().count() < 2000, "a line of {}", shown.len());
}

fn schema(kind: Kind) -> &'static [ColumnSpec] {
    match kind {
        Kind::Records => RECORDS,
        Kind::Roster => ROSTER,
        Kind::Petitions => PETITIONS,
        Kind::Evaluations => EVALUATIONS,
        Kind::Adjustments => ADJUSTMENTS,
        Kind::Ledger => LEDGER,
    }
}

/// Bytes through the input layer as the commands take them: decode, parse, validate.
fn through_input(fx: &Fixture, kind: Kind, bytes: &[u8]) {
    let file = "f.csv";
    if let Kind::Ledger = kind {
        return through_ledger(bytes);
    }
    for encoding in [Encoding::Auto, Encoding::Utf8, Encoding::Gbk] {
        let text = match decode(bytes, encoding, file) {
            Ok(t) => t,
            Err(p) => {
                assert_located(&p, file, true);
                continue;
            }
        };
        let csv = match CsvFile::parse(file, &text, schema(kind)) {
            Ok(f) => f,
            Err(ps) => {
                assert!(!ps.is_empty());
                ps.iter().for_each(|p| assert_located(p, file, true));
                continue;
            }
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        let problems = match kind {
            Kind::Records => {
                let (recs, ps) = records::inbox_records(&csv, file, &fx.roster, &fx.rules, today);
                for r in &recs {
                    assert!((1..=records::MAX_COUNT).contains(&r.count));
                }
                ps
            }
            Kind::Roster => files::roster(&csv).problems,
            Kind::Petitions => files::petitions(&csv, &fx.roster).problems,
            Kind::Evaluations => files::evaluations(&csv, &fx.roster, &fx.rules).problems,
            Kind::Adjustments => files::adjustments(&csv, &fx.roster).problems,
            Kind::Ledger => unreachable!("read as a stream above"),
        };
        problems.iter().for_each(|p| assert_located(p, file, true));
    }
}

/// A ledger year file as `LedgerStream` reads it: csv records, then `ledger_record`.
fn through_ledger(bytes: &[u8]) {
    let file = "2025.csv";
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let Ok(headers) = reader.headers().cloned() else {
        return;
    };
    let Ok(headers) = LedgerHeaders::new(file, &headers) else {
        return;
    };
    let mut record = csv::StringRecord::new();
    while let Ok(true) = reader.read_record(&mut record) {
        match format::ledger_record(file, &headers, &record) {
            Ok(r) => assert!((1..=records::MAX_COUNT).contains(&r.count)),
            Err(p) => assert_located(&p, file, true),
        }
    }
}

/// Rules text through the rules parser: Ok, or exit 78 with lines that name the file.
fn through_rules(text: &str) {
    match parse_rules("r.toml", text) {
        Ok(_) => {}
        Err(e) => {
            assert_eq!(e.exit, Exit::Config, "{e}");
            for line in &e.lines() {
                assert!(line.starts_with("r.toml"), "{line}");
                assert!(!line.contains('\n'), "{line:?}");
            }
        }
    }
}

/// tally.toml text through the workspace loader (it reads the file from disk).
fn through_config(dir: &Path, text: &[u8]) {
    std::fs::write(dir.join("tally.toml"), text).expect("write tally.toml");
    let paths = tally::workspace::Paths {
        cwd: dir.to_path_buf(),
    };
    if let Err(e) = tally::workspace::Workspace::load(dir.to_path_buf(), &paths) {
        assert!(matches!(e.exit, Exit::Config | Exit::NoInput), "{e}");
        for line in &e.lines() {
            assert!(line.starts_with("tally.toml"), "{line}");
        }
    }
}

fn kinds_and_edits(n: usize) -> impl Strategy<Value = (usize, Vec<Edit>)> {
    (0..n, prop::collection::vec(edit(), 1..10))
}

/// Inputs examined, printed at the end of a run (`-- --nocapture`).
static EXAMINED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn examined() {
    EXAMINED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

fn fuzz_library(cases: u32) {
    let started = std::time::Instant::now();
    let fx = fixture();
    // Arbitrary bytes, as every kind of file.
    runner(cases)
        .run(
            &(
                0..fx.templates.len(),
                prop::collection::vec(any::<u8>(), 0..400),
            ),
            |(k, bytes)| {
                examined();
                through_input(&fx, fx.templates[k].0, &bytes);
                Ok(())
            },
        )
        .expect("arbitrary bytes");
    // Valid files, mutated.
    runner(cases)
        .run(&kinds_and_edits(fx.templates.len()), |(k, edits)| {
            examined();
            let (kind, template) = &fx.templates[k];
            through_input(&fx, *kind, &apply(template.clone(), &edits, CSV_TOKENS));
            Ok(())
        })
        .expect("mutated csv");
    // The rules, mutated; invalid UTF-8 is the loader's business, so only text here.
    let toml_tokens: Vec<&[u8]> = TOML_TOKENS.iter().map(|t| t.as_bytes()).collect();
    runner(cases / 4 + 1)
        .run(&prop::collection::vec(edit(), 1..8), |edits| {
            examined();
            let bytes = apply(DEFAULT_RULES.as_bytes().to_vec(), &edits, &toml_tokens);
            if let Ok(text) = String::from_utf8(bytes) {
                through_rules(&text);
            }
            Ok(())
        })
        .expect("mutated rules");
    // tally.toml, mutated.
    let dir = tempfile::tempdir().expect("scratch");
    let config = "# tally workspace\n[workspace]\nname = \"Yantian\"\nrules = \"rules/yantian-2013.toml\"\ndelegates = \"data/delegates.csv\"\nledger = \"data/ledger\"\npetitions = \"data/petitions.csv\"\n";
    runner(cases / 4 + 1)
        .run(&prop::collection::vec(edit(), 1..8), |edits| {
            examined();
            through_config(
                dir.path(),
                &apply(config.as_bytes().to_vec(), &edits, &toml_tokens),
            );
            Ok(())
        })
        .expect("mutated tally.toml");
    eprintln!(
        "fuzz: {} inputs through the input layer in {:.1?}, no panic",
        EXAMINED.load(std::sync::atomic::Ordering::Relaxed),
        started.elapsed()
    );
}

/// Mutated activity records through the real binary: exit 0 or 65, never a panic, every
/// stderr line a located problem of the file or the closing summary.
fn fuzz_binary(cases: u32) {
    let started = std::time::Instant::now();
    let runs = std::sync::atomic::AtomicUsize::new(0);
    let ws = common::Ws::empty();
    common::copy_dir(Path::new(EXAMPLE), ws.path());
    let templates = [
        sample("inbox/2025-H1-社区工作室.csv", 12),
        sample("inbox/2025-H2-district.csv", 12),
    ];
    runner(cases)
        .run(
            &(0..templates.len(), prop::collection::vec(edit(), 1..8)),
            |(k, edits)| {
                runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let bytes = apply(templates[k].clone(), &edits, CSV_TOKENS);
                std::fs::write(ws.path().join("inbox/fuzz.csv"), &bytes).expect("write");
                let out = ws
                    .tally()
                    .args(["import", "--dry-run", "inbox/fuzz.csv"])
                    .output()
                    .expect("runs");
                let stderr = String::from_utf8_lossy(&out.stderr);
                let code = out.status.code();
                prop_assert!(!stderr.contains("panicked"), "{stderr}");
                prop_assert!(matches!(code, Some(0 | 65)), "exit {code:?}: {stderr}");
                for line in stderr.lines() {
                    prop_assert!(
                        line.starts_with("error: inbox/fuzz.csv:")
                            || line.starts_with("error: import refused")
                            || line.starts_with("error: and ")
                            || line.starts_with("warning: "),
                        "{line}"
                    );
                    prop_assert!(!line.chars().any(char::is_control), "{line:?}");
                }
                Ok(())
            },
        )
        .expect("import --dry-run");
    eprintln!(
        "fuzz: {} runs of import --dry-run in {:.1?}, no panic",
        runs.load(std::sync::atomic::Ordering::Relaxed),
        started.elapsed()
    );
}

#[test]
fn input_layer_never_panics() {
    fuzz_library(env_count("TALLY_FUZZ_CASES", 300));
}

#[test]
fn import_dry_run_never_panics() {
    fuzz_binary(env_count("TALLY_FUZZ_BIN_CASES", 24));
}

#[test]
#[ignore = "long run: cargo test --release --test cli fuzz:: -- --ignored"]
fn input_layer_never_panics_long() {
    fuzz_library(env_count("TALLY_FUZZ_CASES", 100_000));
}

#[test]
#[ignore = "long run: cargo test --release --test cli fuzz:: -- --ignored"]
fn import_dry_run_never_panics_long() {
    fuzz_binary(env_count("TALLY_FUZZ_BIN_CASES", 2_000));
}
