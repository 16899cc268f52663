use super::build::build_split_at;
use super::*;
use crate::domain::Record;
use crate::domain::rules::Rules;
use crate::input::rules::{DEFAULT_RULES, parse_rules};
use crate::ledger::scan;
use crate::ledger::scan::tests::{careful, figures, ledger_text, roster};
use crate::scoring::Engine;
use proptest::prelude::*;

fn rules() -> Rules {
    parse_rules("d", DEFAULT_RULES).expect("rules")
}

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 31).expect("date")
}

/// The careful reader's records of delegate `id`.
fn careful_records(path: &Path, id: &str) -> Vec<Record> {
    let mut stream = crate::ledger::LedgerStream::open(path, "l").expect("opens");
    std::iter::from_fn(|| stream.next_record())
        .map(|r| r.expect("a record"))
        .filter(|r| r.delegate == id)
        .collect()
}

/// Scores `path` through its cache, which must be there and clean.
fn through_cache(path: &Path, engine: &mut Engine, split_rows: u64) -> Cache {
    let file = File::open(path).expect("open");
    let cache = open(&file, path, 2025).expect("a cache of this version");
    score(&cache, engine, split_rows).expect("clean ledger");
    cache
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn a_ledger_scores_the_same_through_the_cache_and_without_it(
        mut rows in prop::collection::vec((1u32..=365, 0usize..3, 0usize..6, 1u64..4, any::<bool>()), 0..80),
        until in 1u32..=365,
    ) {
        let until = NaiveDate::from_yo_opt(2025, until).expect("day");
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("2025.csv");
        std::fs::write(&path, ledger_text(&mut rows)).expect("write");
        for rules in rule_variants() {
            same_through_the_cache(&path, &rules, until)?;
        }
    }
}

/// The default rules, with co-signing capped by month, and with it taking points away.
fn rule_variants() -> Vec<Rules> {
    let cycle = "points = 3\ncap = { points = 9, per = \"cycle\" }";
    assert!(DEFAULT_RULES.contains(cycle));
    let monthly = DEFAULT_RULES.replace(cycle, "points = 3\ncap = { points = 4, per = \"month\" }");
    let negative = DEFAULT_RULES.replace(
        cycle,
        "points = -3\ncap = { points = 2, per = \"quarter\" }",
    );
    let mut out = vec![rules(), parse_rules("d", &monthly).expect("monthly cap")];
    out.push(parse_rules("d", &negative).expect("points taken away"));
    out
}

fn same_through_the_cache(
    path: &Path,
    rules: &Rules,
    until: NaiveDate,
) -> Result<(), TestCaseError> {
    let (path, rules) = (path.to_path_buf(), rules.clone());
    let roster = roster();
    let mut slow = Engine::new(&rules, &roster, 2025, until);
    careful(&path, &mut slow);
    let expected = figures(slow, &rules);
    let mut csv = Engine::new(&rules, &roster, 2025, until);
    scan::scan_split_at(&path, &mut csv, u64::MAX, &indicatif::ProgressBar::hidden())
        .expect("clean ledger");
    prop_assert_eq!(&figures(csv, &rules), &expected);
    for split_bytes in [u64::MAX, 0] {
        let file = File::open(&path).expect("open");
        prop_assert_eq!(
            build_split_at(&file, &path, 2025, split_bytes),
            Built::Clean
        );
        for split_rows in [u64::MAX, 0] {
            let mut fast = Engine::new(&rules, &roster, 2025, until);
            let cache = through_cache(&path, &mut fast, split_rows);
            prop_assert_eq!(&figures(fast, &rules), &expected);
            // explain's records, read by offset, are the careful reader's.
            let probe = Engine::new(&rules, &roster, 2025, until);
            for id in ["D1", "D2", "D3"] {
                let at = rows_of(&cache, &probe, id).expect("clean");
                let read = crate::ledger::records_at(&file, "l", &at, id).expect("rows");
                prop_assert_eq!(read, careful_records(&path, id));
            }
        }
    }
    Ok(())
}

const HEAD: &str = "id,date,delegate,activity,count,outcome,ref,note,source,source_line,key\n";

fn ledger(dir: &Path, rows: &str) -> PathBuf {
    let path = dir.join("2025.csv");
    std::fs::write(&path, format!("{HEAD}{rows}")).expect("write");
    path
}

fn built(path: &Path) -> Built {
    build(&File::open(path).expect("open"), path, 2025)
}

fn opened(path: &Path) -> Option<Cache> {
    open(&File::open(path).expect("open"), path, 2025)
}

#[test]
fn an_edit_of_the_same_length_a_touch_or_another_year_leave_the_cache_unused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = ledger(dir.path(), ",2025-03-01,D1,duty,1,,,,inbox/a.csv,2,\n");
    assert_eq!(built(&path), Built::Clean);
    assert!(opened(&path).is_some());
    assert!(open(&File::open(&path).expect("open"), &path, 2024).is_none());
    // The clock ticks in steps of a few ms: a later write has a later time.
    std::thread::sleep(std::time::Duration::from_millis(20));
    ledger(dir.path(), ",2025-03-01,D2,duty,1,,,,inbox/a.csv,2,\n");
    assert!(opened(&path).is_none(), "same length, other content");
    assert_eq!(built(&path), Built::Clean);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let f = File::options().append(true).open(&path).expect("open");
    f.set_modified(std::time::SystemTime::now()).expect("touch");
    assert!(opened(&path).is_none(), "touched");
}

#[test]
fn a_cut_short_damaged_or_other_version_cache_is_not_used() {
    let dir = tempfile::tempdir().expect("dir");
    let path = ledger(
        dir.path(),
        ",2025-03-01,D1,duty,1,,,,inbox/a.csv,2,\n,2025-03-02,D2,duty,2,,,,inbox/a.csv,3,\n",
    );
    let cache = cache_path(&path).expect("cache path");
    assert_eq!(built(&path), Built::Clean);
    let good = std::fs::read(&cache).expect("cache");
    std::fs::write(&cache, &good[..good.len() - 1]).expect("cut");
    assert!(opened(&path).is_none(), "cut short");
    let mut other = good.clone();
    other[8] = 99;
    std::fs::write(&cache, &other).expect("version");
    assert!(opened(&path).is_none(), "another version");
    // A delegate's id in the table, or the flag saying the file is clean, changed: caught
    // at once, as is any byte a report reads without reading rows.
    let table_byte = good
        .windows(2)
        .position(|w| w == b"D1")
        .expect("D1 in the delegate table");
    for at in [table_byte + 1, 80, 88, 96] {
        let mut damaged = good.clone();
        damaged[at] ^= 3;
        std::fs::write(&cache, &damaged).expect("damage");
        assert!(opened(&path).is_none(), "byte {at} damaged");
    }
    // A sum changed: the checksum of the small parts catches it at once.
    let mut damaged = good.clone();
    let rows_at = good.len() - 2 * (ROW + PICK) as usize;
    let last_sum = rows_at - SUM as usize;
    damaged[last_sum + 8] ^= 1;
    std::fs::write(&cache, &damaged).expect("damage");
    assert!(opened(&path).is_none(), "a sum damaged");
    // A row's count changed (2 → 3: still a count, but not the ledger's): a report that
    // reads March's rows catches it, and the cache is removed.
    let mut damaged = good.clone();
    damaged[rows_at + ROW as usize + 2] ^= 1;
    std::fs::write(&cache, &damaged).expect("damage");
    let (rules, roster) = (rules(), roster());
    let mid_march = NaiveDate::from_ymd_opt(2025, 3, 15).expect("date");
    let mut engine = Engine::new(&rules, &roster, 2025, mid_march);
    let c = opened(&path).expect("the header still matches");
    assert!(score(&c, &mut engine, u64::MAX).is_err());
    assert!(!cache.exists());
}

#[test]
fn a_ledger_the_fast_read_refuses_is_cached_as_such() {
    let dir = tempfile::tempdir().expect("dir");
    let path = ledger(
        dir.path(),
        ",2025-03-02,D1,duty,1,,,,inbox/a.csv,2,\n,2025-03-01,D2,duty,1,,,,inbox/a.csv,3,\n",
    );
    assert_eq!(built(&path), Built::Unclean);
    let c = opened(&path).expect("a cache saying so");
    assert!(!c.clean());
    let (rules, roster) = (rules(), roster());
    let mut engine = Engine::new(&rules, &roster, 2025, end());
    assert!(score(&c, &mut engine, u64::MAX).is_err());
}

#[test]
fn an_unknown_delegate_or_a_bad_count_is_an_anomaly_only_where_it_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let (rules, roster) = (rules(), roster());
    // Voided, or after the last day scored: not looked at, as on the CSV fast path.
    let path = ledger(
        dir.path(),
        ",2025-03-01,D9,duty,x,,,,inbox/a.csv,2,\n,2025-06-01,D1,duty,1,,,,inbox/a.csv,3,\n",
    );
    assert_eq!(built(&path), Built::Clean);
    let c = opened(&path).expect("cache");
    let mut to_may = Engine::new(
        &rules,
        &roster,
        2025,
        NaiveDate::from_ymd_opt(2025, 5, 1).expect("d"),
    );
    assert!(score(&c, &mut Engine::new(&rules, &roster, 2025, end()), u64::MAX).is_err());
    assert!(
        score(&c, &mut to_may, u64::MAX).is_err(),
        "D9 counts before May"
    );
    let path = ledger(
        dir.path(),
        ",2025-06-01,D1,duty,1,,,,inbox/a.csv,2,\n,2025-07-01,D9,duty,x,,,,inbox/a.csv,3,\n",
    );
    assert_eq!(built(&path), Built::Clean);
    let c = opened(&path).expect("cache");
    let mut to_june = Engine::new(
        &rules,
        &roster,
        2025,
        NaiveDate::from_ymd_opt(2025, 6, 30).expect("d"),
    );
    assert!(score(&c, &mut to_june, u64::MAX).is_ok());
}

#[test]
fn a_report_of_whole_months_reads_sums_not_rows() {
    let dir = tempfile::tempdir().expect("dir");
    let path = ledger(
        dir.path(),
        ",2025-03-01,D1,duty,2,,,,inbox/a.csv,2,\n,2025-03-02,D2,duty,1,,,,inbox/a.csv,3,\n",
    );
    let cache = cache_path(&path).expect("cache path");
    assert_eq!(built(&path), Built::Clean);
    let (rules, roster) = (rules(), roster());
    let mut expected = Engine::new(&rules, &roster, 2025, end());
    careful(&path, &mut expected);
    // Rows wiped: a report to the end of March or later never reads them.
    let mut wiped = std::fs::read(&cache).expect("cache");
    let rows_at = wiped.len() - 2 * (ROW + PICK) as usize;
    wiped[rows_at..rows_at + 2 * ROW as usize].fill(0xff);
    std::fs::write(&cache, &wiped).expect("wipe");
    let mut fast = Engine::new(&rules, &roster, 2025, end());
    let c = opened(&path).expect("the small parts are whole");
    score(&c, &mut fast, u64::MAX).expect("scored from the sums");
    assert_eq!(figures(fast, &rules), figures(expected, &rules));
}

#[test]
fn a_damaged_pick_is_caught_and_the_cache_removed() {
    let dir = tempfile::tempdir().expect("dir");
    let path = ledger(
        dir.path(),
        ",2025-03-01,D1,duty,1,,,,inbox/a.csv,2,\n,2025-03-02,D1,duty,2,,,,inbox/a.csv,3,\n",
    );
    let cache = cache_path(&path).expect("cache path");
    assert_eq!(built(&path), Built::Clean);
    let (rules, roster) = (rules(), roster());
    let probe = Engine::new(&rules, &roster, 2025, end());
    let rows = rows_of(&opened(&path).expect("cache"), &probe, "D1").expect("clean");
    assert_eq!(rows.len(), 2);
    assert!(rows[0].offset < rows[1].offset && rows[0].line == 2 && rows[1].line == 3);
    // The second pick points at the first row: its line no longer matches.
    let mut damaged = std::fs::read(&cache).expect("cache");
    let second_pick = damaged.len() - PICK as usize;
    damaged[second_pick + 8] = 2;
    std::fs::write(&cache, &damaged).expect("damage");
    assert!(rows_of(&opened(&path).expect("cache"), &probe, "D1").is_err());
    assert!(!cache.exists());
}

#[test]
fn a_count_that_is_not_whole_in_a_month_scored_whole_is_an_anomaly() {
    let dir = tempfile::tempdir().expect("dir");
    let path = ledger(
        dir.path(),
        ",2025-03-01,D1,duty,1.5,,,,inbox/a.csv,2,\n,2025-05-02,D1,duty,2,,,,inbox/a.csv,3,\n",
    );
    assert_eq!(built(&path), Built::Clean);
    let (rules, roster) = (rules(), roster());
    let c = opened(&path).expect("cache");
    let feb = NaiveDate::from_ymd_opt(2025, 2, 28).expect("date");
    assert!(score(&c, &mut Engine::new(&rules, &roster, 2025, feb), u64::MAX).is_ok());
    assert!(score(&c, &mut Engine::new(&rules, &roster, 2025, end()), u64::MAX).is_err());
}
