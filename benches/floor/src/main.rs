//! The floor: the least work `tally quarter` has to do, as one plain single-threaded
//! program, so that tally's time can be read against it.
//!
//!     floor WORKSPACE 2025Q3                      per-delegate totals as CSV on stdout
//!     floor WORKSPACE 2025Q3 --check OTHER.csv... compare OTHER (tally's `quarter --format
//!                                                 csv`, duckdb_quarter.py) with the floor;
//!                                                 exit 1 on any difference
//!     [--expect-rows N]                           fail unless the ledger year holds N rows
//!
//! It reads `data/delegates.csv` and `data/ledger/<year>.csv` with the csv crate's
//! `ByteRecord` (no UTF-8 check, no allocation per row), finding columns by header name,
//! scores each row with the built-in Yantian 2013 point table (whole points, so `i64`),
//! caps co-signing at 9 points a delegate a cycle in ledger order (附件2: 3 points each,
//! at most 9), sums the quarter and the cycle to the quarter's end, and ranks within
//! studios (competition ranks 1, 2, 2, 4; equal totals by delegate id). It knows nothing
//! of rules files, terms of office or adjustments: it refuses a workspace that has them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// FNV-1a: a fast hash for short keys such as delegate ids, as any tuned program would use.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Index = HashMap<Box<[u8]>, usize, BuildHasherDefault<Fnv>>;

/// 附件2, item 9: co-signing a motion earns 3 points, at most 9 a cycle.
const COSIGN_POINTS: i64 = 3;
const COSIGN_CAP: i64 = 9;

/// Points per unit of each item of the built-in rules; outcome items by their outcome.
fn points(code: &[u8], outcome: &[u8]) -> Option<i64> {
    Some(match code {
        b"duty" | b"petition_agent" | b"community" | b"inquiry" | b"volunteer" | b"mentoring" => 5,
        b"outreach" | b"proposal" => 3,
        b"inspection" | b"motion_lead" | b"written_advice" => 10,
        b"emergency" => 20,
        b"motion_cosign" => COSIGN_POINTS,
        b"petition_resolved" => match outcome {
            b"very_satisfied" => 6,
            b"satisfied" => 5,
            b"dissatisfied" => 0,
            _ => return None,
        },
        _ => return None,
    })
}

struct Delegate {
    id: String,
    studio: usize,
    quarter: i64,
    total: i64,
    cosigned: i64,
    rank: usize,
}

struct Quarter {
    year: String,
    /// ISO dates, compared as bytes: the cycle's first day, the quarter's first and last.
    cycle_start: Vec<u8>,
    start: Vec<u8>,
    end: Vec<u8>,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let (mut ws, mut period, mut checks, mut expect_rows) = (None, None, Vec::new(), None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--check" => checks.push(PathBuf::from(args.next().ok_or("--check needs a file")?)),
            "--expect-rows" => {
                let v = args.next().ok_or("--expect-rows needs a number")?;
                expect_rows = Some(
                    v.parse::<u64>()
                        .map_err(|_| format!("--expect-rows: {v}"))?,
                );
            }
            _ if ws.is_none() => ws = Some(PathBuf::from(a)),
            _ if period.is_none() => period = Some(a),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    let usage = "usage: floor WORKSPACE 2025Q3 [--check OTHER.csv]... [--expect-rows N]";
    let (ws, period) = ws.zip(period).ok_or(usage)?;
    let q = quarter(&period)?;
    let (mut delegates, studios, index) = roster(&ws.join("data/delegates.csv"))?;
    refuse_adjustments(&ws.join("data/adjustments.csv"))?;
    let ledger = ws.join("data/ledger").join(format!("{}.csv", q.year));
    let rows = score(&ledger, &q, &index, &mut delegates)?;
    if let Some(n) = expect_rows
        && n != rows
    {
        return Err(format!("{}: {rows} rows, expected {n}", ledger.display()));
    }
    rank(&mut delegates, studios.len());
    if checks.is_empty() {
        write(&delegates, &studios).map_err(|e| format!("stdout: {e}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut agree = true;
    for other in &checks {
        agree &= check(other, &delegates, &studios, &index, rows)?;
    }
    Ok(if agree {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn quarter(p: &str) -> Result<Quarter, String> {
    let bad = || format!("not a quarter like 2025Q3 ({p})");
    let (year, q) = p.split_once(['Q', 'q']).ok_or_else(bad)?;
    let q: u32 = q
        .parse()
        .ok()
        .filter(|q| (1..=4).contains(q))
        .ok_or_else(bad)?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let last = ["03-31", "06-30", "09-30", "12-31"][q as usize - 1];
    Ok(Quarter {
        year: year.to_owned(),
        cycle_start: format!("{year}-01-01").into_bytes(),
        start: format!("{year}-{:02}-01", 3 * q - 2).into_bytes(),
        end: format!("{year}-{last}").into_bytes(),
    })
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>, String> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The position of a column by its (case-insensitive, trimmed) English name or alias.
fn column(headers: &csv::ByteRecord, names: &[&str], path: &Path) -> Result<usize, String> {
    let headers: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_lowercase()
        })
        .collect();
    headers
        .iter()
        .position(|h| names.contains(&h.as_str()))
        .ok_or_else(|| format!("{}: no column {}", path.display(), names[0]))
}

fn roster(path: &Path) -> Result<(Vec<Delegate>, Vec<String>, Index), String> {
    let mut r = reader(path)?;
    let h = r
        .byte_headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let (id, studio) = (
        column(&h, &["id", "编号"], path)?,
        column(&h, &["studio", "工作室"], path)?,
    );
    let term = [&["joined", "任职日期"][..], &["left", "离任日期"][..]]
        .map(|names| column(&h, names, path).ok());
    let (mut delegates, mut studios, mut index) =
        (Vec::new(), Vec::<String>::new(), Index::default());
    let mut row = csv::ByteRecord::new();
    while r
        .read_byte_record(&mut row)
        .map_err(|e| format!("{}: {e}", path.display()))?
    {
        let text = |i: usize| {
            String::from_utf8_lossy(row.get(i).unwrap_or_default())
                .trim()
                .to_owned()
        };
        if term.iter().flatten().any(|&i| !text(i).is_empty()) {
            return Err(format!(
                "{}: terms of office are beyond the floor ({})",
                path.display(),
                text(id)
            ));
        }
        let s = text(studio);
        let s = match studios.iter().position(|x| *x == s) {
            Some(k) => k,
            None => {
                studios.push(s);
                studios.len() - 1
            }
        };
        index.insert(text(id).into_bytes().into_boxed_slice(), delegates.len());
        delegates.push(Delegate {
            id: text(id),
            studio: s,
            quarter: 0,
            total: 0,
            cosigned: 0,
            rank: 0,
        });
    }
    Ok((delegates, studios, index))
}

fn refuse_adjustments(path: &Path) -> Result<(), String> {
    if !path.exists() {
        return Ok(());
    }
    match reader(path)?.byte_records().next() {
        None => Ok(()),
        Some(_) => Err(format!(
            "{}: adjustments are beyond the floor",
            path.display()
        )),
    }
}

/// Streams the year's ledger once; returns how many rows it holds.
fn score(
    path: &Path,
    q: &Quarter,
    index: &Index,
    delegates: &mut [Delegate],
) -> Result<u64, String> {
    let mut r = reader(path)?;
    let h = r
        .byte_headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let date = column(&h, &["date"], path)?;
    let delegate = column(&h, &["delegate"], path)?;
    let activity = column(&h, &["activity"], path)?;
    let count = column(&h, &["count"], path)?;
    let outcome = column(&h, &["outcome"], path)?;
    let mut row = csv::ByteRecord::new();
    let mut rows = 0;
    while r
        .read_byte_record(&mut row)
        .map_err(|e| format!("{}: {e}", path.display()))?
    {
        rows += 1;
        let field = |i: usize| row.get(i).unwrap_or_default();
        let day = field(date);
        if day < &q.cycle_start[..] || day > &q.end[..] {
            continue;
        }
        let line = || row.position().map_or(0, csv::Position::line);
        let who = field(delegate);
        let &d = index.get(who).ok_or_else(|| {
            format!(
                "{}:{}: unknown delegate {}",
                path.display(),
                line(),
                String::from_utf8_lossy(who)
            )
        })?;
        let code = field(activity);
        let unit = points(code, field(outcome)).ok_or_else(|| {
            format!(
                "{}:{}: unknown item {}",
                path.display(),
                line(),
                String::from_utf8_lossy(code)
            )
        })?;
        let n = whole(field(count))
            .ok_or_else(|| format!("{}:{}: bad count", path.display(), line()))?;
        let d = &mut delegates[d];
        let mut earned = unit * n;
        if code == b"motion_cosign" {
            earned = earned.min(COSIGN_CAP - d.cosigned);
            d.cosigned += earned;
        }
        d.total += earned;
        if day >= &q.start[..] {
            d.quarter += earned;
        }
    }
    Ok(rows)
}

fn whole(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
}

/// Competition ranks by total within each studio; equal totals listed by delegate id.
fn rank(delegates: &mut [Delegate], studios: usize) {
    for order in by_studio(delegates, studios) {
        let mut prev = None;
        for (pos, &i) in order.iter().enumerate() {
            let total = delegates[i].total;
            if prev.is_none_or(|(t, _)| t != total) {
                prev = Some((total, pos + 1));
            }
            delegates[i].rank = prev.map_or(0, |(_, r)| r);
        }
    }
}

/// Each studio's delegates in listing order: total down, then id.
fn by_studio(delegates: &[Delegate], studios: usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); studios];
    for (i, d) in delegates.iter().enumerate() {
        out[d.studio].push(i);
    }
    for list in &mut out {
        list.sort_by(|&a, &b| {
            let (a, b) = (&delegates[a], &delegates[b]);
            b.total.cmp(&a.total).then_with(|| a.id.cmp(&b.id))
        });
    }
    out
}

fn write(delegates: &[Delegate], studios: &[String]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(io::BufWriter::new(io::stdout().lock()));
    w.write_record([
        "studio",
        "rank",
        "delegate",
        "points_quarter",
        "points_total",
    ])?;
    for order in by_studio(delegates, studios.len()) {
        for i in order {
            let d = &delegates[i];
            let (rank, q, t) = (
                d.rank.to_string(),
                d.quarter.to_string(),
                d.total.to_string(),
            );
            w.write_record([studios[d.studio].as_str(), &rank, &d.id, &q, &t])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Compares another program's per-delegate figures with the floor's, by column name:
/// `delegate` and `points_total` are required; `points_quarter`, `rank` and `studio`
/// are compared when present. Prints the verdict; returns whether they agree.
fn check(
    path: &Path,
    delegates: &[Delegate],
    studios: &[String],
    index: &Index,
    rows: u64,
) -> Result<bool, String> {
    let mut r = reader(path)?;
    let h = r
        .byte_headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let who = column(&h, &["delegate"], path)?;
    let mut compared = vec!["points_total"];
    let total = column(&h, &["points_total"], path)?;
    let optional = |name: &'static str, compared: &mut Vec<&str>| {
        let c = column(&h, &[name], path).ok();
        if c.is_some() {
            compared.push(name);
        }
        c
    };
    let quarter = optional("points_quarter", &mut compared);
    let rank = optional("rank", &mut compared);
    let studio = optional("studio", &mut compared);
    let mut seen = vec![false; delegates.len()];
    let mut differences = Vec::new();
    let mut row = csv::StringRecord::new();
    while r
        .read_record(&mut row)
        .map_err(|e| format!("{}: {e}", path.display()))?
    {
        let cell = |c: usize| row.get(c).unwrap_or_default().trim();
        let id = cell(who);
        let Some(&i) = index.get(id.as_bytes()) else {
            differences.push(format!("{id}: not in the roster"));
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            differences.push(format!("{id}: listed twice"));
        }
        let d = &delegates[i];
        let mut expect = vec![(total, "points_total", d.total.to_string())];
        expect.extend(quarter.map(|c| (c, "points_quarter", d.quarter.to_string())));
        expect.extend(rank.map(|c| (c, "rank", d.rank.to_string())));
        expect.extend(studio.map(|c| (c, "studio", studios[d.studio].clone())));
        for (c, name, want) in expect {
            let got = cell(c);
            if got != want && number(got).is_none_or(|g| Some(g) != number(&want)) {
                differences.push(format!("{id}: {name} {got}, the floor says {want}"));
            }
        }
    }
    for (d, _) in delegates.iter().zip(&seen).filter(|(_, s)| !**s) {
        differences.push(format!("{}: missing", d.id));
    }
    if differences.is_empty() {
        println!(
            "floor: {} agrees on {} delegates ({}) over {rows} ledger rows",
            path.display(),
            delegates.len(),
            compared.join(", ")
        );
        return Ok(true);
    }
    eprintln!(
        "floor: {} DISAGREES with the floor on {} figures:",
        path.display(),
        differences.len()
    );
    for d in differences.iter().take(10) {
        eprintln!("  {d}");
    }
    if differences.len() > 10 {
        eprintln!("  and {} more", differences.len() - 10);
    }
    Ok(false)
}

/// A plain number written either way (`12`, `12.0`), for outputs of other programs.
fn number(s: &str) -> Option<f64> {
    s.parse().ok()
}
