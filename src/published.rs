//! Published periods (SPEC §10): `tally publish PERIOD` writes the notice and a record of
//! the figures as published (`published/<PERIOD>.json`, restated versions
//! `<PERIOD>-v2.json`…); `check` proves each period's latest version still reproduces from
//! the ledger and rules and lists every restatement with why; `quarter` and `annual` warn
//! when they differ; `import` warns of (or refuses) records dated inside a published period.

use crate::context::{Book, Ctx, LedgerInfo, Nobody};
use crate::domain::rules::{LateRecords, Rules};
use crate::domain::{Period, Roster};
use crate::error::{Error, Exit, Problem};
use crate::ledger::LedgerStream;
use crate::output::Report;
use crate::reports::{annual, quarter};
use crate::workspace::{Workspace, file_hash};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The folder beside `tally.toml` that holds every published notice and its figures.
pub const FOLDER: &str = "published";

/// The figures of one period as published: what `published/<PERIOD>.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Publication {
    pub period: String,
    /// 1 for the first publication; each restatement adds one.
    pub version: u32,
    pub published_at: String,
    /// Why a restated version was published (`--reason`).
    #[serde(default)]
    pub reason: Option<String>,
    pub workspace: String,
    pub rules_name: String,
    pub rules_hash: String,
    /// The ledger year file the figures were scored from, its hash and newest record.
    pub ledger_file: String,
    pub ledger_hash: String,
    pub newest_record: Option<String>,
    /// Hashes of the other inputs, so that `check` can say which one changed.
    pub inputs: Inputs,
    pub figures: Vec<Figure>,
    /// For a restated version: each delegate whose figures changed from the version before.
    #[serde(default)]
    pub restatement: Vec<Restatement>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub roster: String,
    pub adjustments: String,
    /// Only a year's figures (the annual review) depend on the evaluation marks.
    #[serde(default)]
    pub evaluations: Option<String>,
}

/// One delegate's published figures. Totals are cumulative from the cycle's start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub delegate: String,
    pub name: String,
    pub studio: String,
    pub rank: Option<usize>,
    pub points_period: Decimal,
    pub points_total: Decimal,
    pub categories: BTreeMap<String, Decimal>,
    pub adjustments: Decimal,
    /// A year's annual review: the composite score and grade (none for a quarter, or
    /// without evaluation marks).
    #[serde(default)]
    pub composite: Option<Decimal>,
    #[serde(default)]
    pub grade: Option<String>,
    /// Ledger records of the delegate dated from the cycle's start to the period's end:
    /// live and voided, to tell records added from records voided.
    pub records: u64,
    pub voided: u64,
}

impl Figure {
    /// The figures a reader sees, without the record counts.
    fn same_figures(&self, other: &Figure, with_rank: bool) -> bool {
        self.points_period == other.points_period
            && self.points_total == other.points_total
            && self.categories == other.categories
            && self.adjustments == other.adjustments
            && self.composite == other.composite
            && self.grade == other.grade
            && (!with_rank || self.rank == other.rank)
    }

    fn shown(&self) -> String {
        let mut about = Vec::new();
        if let Some(r) = self.rank {
            about.push(format!("rank {r}"));
        }
        if let Some(c) = self.composite {
            about.push(format!("composite {}", crate::output::number(c)));
        }
        if let Some(g) = &self.grade {
            about.push(g.clone());
        }
        let total = crate::output::number(self.points_total);
        if about.is_empty() {
            total
        } else {
            format!("{total} ({})", about.join(", "))
        }
    }
}

/// A published figure that no longer holds: what it was, what it is, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restatement {
    pub delegate: String,
    pub name: String,
    pub published: String,
    pub now: String,
    pub why: String,
}

impl Restatement {
    /// The restatement in the reader's words; the record keeps its English phrases.
    pub fn line(&self) -> String {
        crate::tr!(
            "msg-restatement-line",
            delegate = &self.delegate,
            name = &self.name,
            published = shown_phrases(&self.published),
            now = shown_phrases(&self.now),
            why = shown_phrases(&self.why)
        )
    }
}

/// The phrases a publication record keeps in English, with the message that says each.
const PHRASES: [(&str, &str); 10] = [
    ("not listed", "why-not-listed"),
    ("rules changed", "why-rules-changed"),
    ("records voided", "why-records-voided"),
    ("records added after publication", "why-records-added"),
    ("records removed from the ledger", "why-records-removed"),
    ("review-team adjustments changed", "why-adjustments-changed"),
    ("roster changed", "why-roster-changed"),
    ("evaluation marks changed", "why-marks-changed"),
    (
        "rank moved as other delegates' figures changed",
        "why-rank-moved",
    ),
    ("figures changed otherwise", "why-changed-otherwise"),
];

/// `rules changed; roster changed` in the reader's language; any other text as it is.
fn shown_phrases(text: &str) -> String {
    text.split("; ")
        .map(|part| {
            PHRASES
                .iter()
                .find(|(english, _)| *english == part)
                .map_or_else(|| part.to_owned(), |(_, id)| crate::i18n::message(id, &[]))
        })
        .collect::<Vec<_>>()
        .join(&crate::tr!("check-count-separator"))
}

/// The file names of a version: `2025Q3.json` for the first, `2025Q3-v2.json` after.
pub fn stem(period: Period, version: u32) -> String {
    if version <= 1 {
        period.to_string()
    } else {
        format!("{period}-v{version}")
    }
}

pub fn folder(ws: &Workspace) -> PathBuf {
    ws.root.join(FOLDER)
}

/// Every published period with the path of its latest version, oldest period first.
pub fn latest_versions(ws: &Workspace) -> Vec<(Period, u32, PathBuf)> {
    let mut latest: BTreeMap<(i32, u32), (Period, u32, PathBuf)> = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(folder(ws)) else {
        return Vec::new();
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        let (p, version) = match stem.split_once("-v") {
            Some((p, v)) => match v.parse::<u32>() {
                Ok(v) if v > 1 => (p, v),
                _ => continue,
            },
            None => (stem, 1),
        };
        let Some(period) = Period::parse(p).filter(|q| q.to_string() == p) else {
            continue;
        };
        let key = (period.year(), quarter_of(period));
        if latest.get(&key).is_none_or(|(_, v, _)| *v < version) {
            latest.insert(key, (period, version, e.path()));
        }
    }
    latest.into_values().collect()
}

/// Orders a year after its quarters.
fn quarter_of(p: Period) -> u32 {
    match p {
        Period::Quarter { q, .. } => q,
        Period::Year(_) => 5,
    }
}

/// The latest publication of `period`, if it was published.
pub fn latest(
    ctx: &Ctx,
    ws: &Workspace,
    period: Period,
) -> Result<Option<(Publication, PathBuf)>, Error> {
    let Some((_, _, path)) = latest_versions(ws)
        .into_iter()
        .find(|(p, _, _)| *p == period)
    else {
        return Ok(None);
    };
    read(ctx, &path).map(|p| Some((p, path)))
}

pub fn read(ctx: &Ctx, path: &Path) -> Result<Publication, Error> {
    let shown = ctx.show(path);
    let bytes = crate::input::read_bytes(path, &shown)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::data(crate::tr!(
            "msg-not-a-publication",
            path = &shown,
            why = e.to_string()
        ))
    })
}

/// The figures of a period now, with the notice that shows them.
pub struct Current {
    pub figures: Vec<Figure>,
    pub notice: Report,
    pub ledger: LedgerInfo,
    pub inputs: Inputs,
}

/// Scores `period` as `quarter` (a quarter) or `annual` (a year) does, and counts the
/// records behind each delegate's figures.
pub fn current(ctx: &Ctx, book: &Book, period: Period) -> Result<Current, Error> {
    let (scores, ledger) = ctx.score(book, period.year(), period.last_day(), &mut Nobody)?;
    let (rules, roster) = (&book.rules.rules, &book.roster);
    let mut inputs = Inputs {
        roster: file_hash(&book.ws.delegates),
        adjustments: file_hash(&book.ws.adjustments),
        evaluations: None,
    };
    let (mut figures, mut notice) = match period {
        Period::Quarter { .. } => {
            let within = rules.meta.rank_within;
            let rows = quarter::rows(rules, roster, &scores, period, within);
            (
                quarter_figures(rules, roster, &rows),
                quarter::report(rules, roster, &rows, period, within),
            )
        }
        Period::Year(year) => {
            let evaluations = ctx.evaluations(&book.ws, roster, &book.rules)?;
            inputs.evaluations = Some(file_hash(&book.ws.evaluations));
            let rows = annual::rows(rules, roster, &scores, &evaluations);
            (
                annual_figures(rules, roster, &rows),
                annual::report(rules, roster, &rows, year),
            )
        }
    };
    let counts = record_counts(ctx, &book.ws, period)?;
    for f in &mut figures {
        if let Some((live, voided)) = counts.get(&f.delegate) {
            f.records = *live;
            f.voided = *voided;
        }
    }
    let note = crate::context::in_progress(period, ctx.today, &ledger);
    ctx.present(&mut notice, &book.ws, &book.rules, &ledger, note);
    Ok(Current {
        figures,
        notice,
        ledger,
        inputs,
    })
}

pub fn quarter_figures(
    rules: &Rules,
    roster: &Roster,
    rows: &[quarter::QuarterRow],
) -> Vec<Figure> {
    rows.iter()
        .map(|r| {
            figure(
                rules,
                roster,
                r.delegate,
                Some(r.rank),
                r.points_quarter,
                r.points_total,
                &r.categories,
                r.adjustments,
            )
        })
        .collect()
}

pub fn annual_figures(rules: &Rules, roster: &Roster, rows: &[annual::AnnualRow]) -> Vec<Figure> {
    rows.iter()
        .map(|r| {
            let mut f = figure(
                rules,
                roster,
                r.delegate,
                r.rank,
                r.points_total,
                r.points_total,
                &r.categories,
                r.adjustments,
            );
            f.composite = r.composite.map(|c| c.normalize());
            f.grade = r.grade.clone();
            f
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn figure(
    rules: &Rules,
    roster: &Roster,
    d: usize,
    rank: Option<usize>,
    points_period: Decimal,
    points_total: Decimal,
    categories: &[Decimal],
    adjustments: Decimal,
) -> Figure {
    let del = &roster.delegates[d];
    Figure {
        delegate: del.id.clone(),
        name: del.name.clone(),
        studio: del.studio.clone(),
        rank,
        points_period: points_period.normalize(),
        points_total: points_total.normalize(),
        categories: rules
            .categories
            .iter()
            .zip(categories)
            .map(|(c, p)| (c.id.clone(), p.normalize()))
            .collect(),
        adjustments: adjustments.normalize(),
        composite: None,
        grade: None,
        records: 0,
        voided: 0,
    }
}

/// Per delegate id: live and voided ledger records from the cycle's start to the period's end.
fn record_counts(
    ctx: &Ctx,
    ws: &Workspace,
    period: Period,
) -> Result<HashMap<String, (u64, u64)>, Error> {
    let path = ws.ledger_file(period.year());
    let mut stream = LedgerStream::open(&path, &ctx.show(&path))?;
    let mut counts: HashMap<String, (u64, u64)> = HashMap::new();
    while let Some(next) = stream.next_record() {
        let rec = next.map_err(|p| Error::from_problem(Exit::Data, p))?;
        if rec.date > period.last_day() {
            continue;
        }
        let c = counts.entry(rec.delegate.clone()).or_default();
        if crate::reconcile::voided(&rec) {
            c.1 += 1;
        } else {
            c.0 += 1;
        }
    }
    Ok(counts)
}

/// The record of `current` as version `version` of `period`.
pub fn publication(
    ctx: &Ctx,
    book: &Book,
    period: Period,
    version: u32,
    reason: Option<String>,
    current: &Current,
    restatement: Vec<Restatement>,
) -> Publication {
    let stamp = ctx.stamp(&book.ws, &book.rules, &current.ledger);
    let ledger_file = book.ws.ledger_file(period.year());
    Publication {
        period: period.to_string(),
        version,
        published_at: stamp.made,
        reason,
        workspace: book.ws.name.clone(),
        rules_name: stamp.rules_name,
        rules_hash: stamp.rules_hash,
        ledger_file: book.ws.source_name(&ledger_file, &ctx.paths),
        ledger_hash: stamp.ledger_hash,
        newest_record: current.ledger.newest.map(|d| d.to_string()),
        inputs: current.inputs.clone(),
        figures: current.figures.clone(),
        restatement,
    }
}

/// Every delegate whose figures differ between `published` and `now`, with why.
pub fn restatements(published: &Publication, now: &Current, rules_hash: &str) -> Vec<Restatement> {
    let before: HashMap<&str, &Figure> = published
        .figures
        .iter()
        .map(|f| (f.delegate.as_str(), f))
        .collect();
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for f in &now.figures {
        seen.push(f.delegate.as_str());
        match before.get(f.delegate.as_str()) {
            Some(p) if p.same_figures(f, true) => {}
            Some(p) => out.push(Restatement {
                delegate: f.delegate.clone(),
                name: f.name.clone(),
                published: p.shown(),
                now: f.shown(),
                why: why(published, p, f, &now.inputs, rules_hash),
            }),
            None => out.push(Restatement {
                delegate: f.delegate.clone(),
                name: f.name.clone(),
                published: "not listed".into(),
                now: f.shown(),
                why: "roster changed".into(),
            }),
        }
    }
    for p in &published.figures {
        if !seen.contains(&p.delegate.as_str()) {
            out.push(Restatement {
                delegate: p.delegate.clone(),
                name: p.name.clone(),
                published: p.shown(),
                now: "not listed".into(),
                why: "roster changed".into(),
            });
        }
    }
    out
}

/// Why one delegate's figures changed, from what the publication recorded of its inputs.
fn why(
    published: &Publication,
    was: &Figure,
    now: &Figure,
    inputs: &Inputs,
    rules_hash: &str,
) -> String {
    let mut reasons: Vec<&str> = Vec::new();
    if published.rules_hash != rules_hash {
        reasons.push("rules changed");
    }
    if now.voided > was.voided {
        reasons.push("records voided");
    }
    if now.records + now.voided > was.records + was.voided {
        reasons.push("records added after publication");
    } else if now.records + now.voided < was.records + was.voided {
        reasons.push("records removed from the ledger");
    }
    if now.adjustments != was.adjustments {
        reasons.push("review-team adjustments changed");
    }
    if published.inputs.roster != inputs.roster {
        reasons.push("roster changed");
    }
    if published.inputs.evaluations != inputs.evaluations {
        reasons.push("evaluation marks changed");
    }
    if reasons.is_empty() && was.same_figures(now, false) {
        reasons.push("rank moved as other delegates' figures changed");
    }
    if reasons.is_empty() {
        reasons.push("figures changed otherwise");
    }
    reasons.join("; ")
}

/// `check`: every published period's latest version, reproduced from the ledger and rules
/// now; each restatement a problem naming the publication.
pub fn check(ctx: &Ctx, book: &Book) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (period, _, path) in latest_versions(&book.ws) {
        let shown = ctx.show(&path);
        let found = read(ctx, &path).and_then(|p| {
            let now = current(ctx, book, period)?;
            Ok(restatements(&p, &now, &book.rules.hash))
        });
        match found {
            Ok(list) => problems.extend(list.iter().map(|r| {
                Problem::new(
                    shown.clone(),
                    crate::tr!(
                        "msg-no-longer-reproduces",
                        period = period.to_string(),
                        line = r.line()
                    ),
                )
            })),
            Err(e) => problems.extend(e.problems.iter().map(|line| {
                Problem::new(
                    shown.clone(),
                    crate::tr!(
                        "msg-cannot-be-reproduced",
                        period = period.to_string(),
                        line = line.to_string()
                    ),
                )
            })),
        }
    }
    problems
}

/// `quarter` and `annual`: one warning when the period was published and the figures now
/// differ from the notice. `with_rank`: ranks are comparable (the rules' ranking groups).
pub fn warn_if_restated(
    ctx: &Ctx,
    ws: &Workspace,
    period: Period,
    figures: &[Figure],
    with_rank: bool,
) {
    let Ok(Some((published, path))) = latest(ctx, ws, period) else {
        return;
    };
    let before: HashMap<&str, &Figure> = published
        .figures
        .iter()
        .map(|f| (f.delegate.as_str(), f))
        .collect();
    let differ = figures
        .iter()
        .filter(|f| {
            before
                .get(f.delegate.as_str())
                .is_none_or(|p| !p.same_figures(f, with_rank))
        })
        .count();
    if differ > 0 {
        ctx.warn(crate::tr!(
            "msg-restated",
            period = period.to_string(),
            path = ctx.show(&path),
            version = published.version.to_string(),
            n = differ
        ));
    }
}

/// What `import` is told of new records dated inside published periods.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Late {
    /// Each published period the new records fall in, with how many.
    pub periods: Vec<(Period, usize)>,
    /// The rules say `late_records = "refuse"`.
    pub refuse: bool,
}

impl Late {
    /// One line naming the periods, as a warning or the refusal.
    pub fn message(&self) -> Option<String> {
        if self.periods.is_empty() {
            return None;
        }
        let list: Vec<String> = self
            .periods
            .iter()
            .map(|(p, n)| crate::tr!("msg-late-period", period = p.to_string(), n = *n))
            .collect();
        let list = list.join(&crate::tr!("list-separator"));
        Some(if self.refuse {
            crate::tr!("msg-late-refused", periods = list)
        } else {
            crate::tr!("msg-late-records", periods = list)
        })
    }
}

/// Which published periods records dated `dates` fall in. A quarter's figures are
/// cumulative from the cycle's start, so a record changes every published quarter of its
/// year from its own quarter on, and the published year.
pub fn late(ws: &Workspace, rules: &Rules, dates: &[NaiveDate]) -> Late {
    let published = latest_versions(ws);
    let mut periods = Vec::new();
    for (period, _, _) in published {
        let first = Period::Year(period.year()).first_day();
        let n = dates
            .iter()
            .filter(|d| **d >= first && **d <= period.last_day() && d.year() == period.year())
            .count();
        if n > 0 {
            periods.push((period, n));
        }
    }
    Late {
        periods,
        refuse: rules.publishing.late_records == LateRecords::Refuse,
    }
}

/// `import`, after its rows are checked and before the ledger is written: warns of new
/// records inside published periods, or refuses them (exit 65) when the rules say so.
pub fn late_records(
    ctx: &Ctx,
    ws: &Workspace,
    rules: &Rules,
    dates: &[NaiveDate],
) -> Result<(), Error> {
    let late = late(ws, rules, dates);
    match late.message() {
        Some(m) if late.refuse => Err(Error::data(m)),
        Some(m) => {
            ctx.warn(m);
            Ok(())
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::rules::{DEFAULT_RULES, parse_rules};

    fn d(s: &str) -> NaiveDate {
        crate::input::date::parse_date(s).expect("date")
    }

    #[test]
    fn late_names_the_published_periods_and_the_rule() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir(dir.path().join(FOLDER)).expect("mkdir");
        for name in [
            "2025Q1.json",
            "2025Q2.json",
            "2025Q2-v2.json",
            "notes.txt",
            "2025Q9.json",
        ] {
            std::fs::write(dir.path().join(FOLDER).join(name), "{}").expect("write");
        }
        std::fs::write(dir.path().join("tally.toml"), "").expect("config");
        let ws =
            Workspace::load(dir.path().to_path_buf(), &crate::workspace::Paths::new()).expect("ws");
        let rules = parse_rules("r", DEFAULT_RULES).expect("rules");
        let versions: Vec<(String, u32)> = latest_versions(&ws)
            .into_iter()
            .map(|(p, v, _)| (p.to_string(), v))
            .collect();
        assert_eq!(versions, [("2025Q1".into(), 1), ("2025Q2".into(), 2)]);
        // A Q1 record changes the cumulative figures of Q1 and Q2; a Q2 record only Q2's;
        // records of Q3 or of another year change nothing published.
        let late_ = late(
            &ws,
            &rules,
            &[
                d("2025-02-01"),
                d("2025-05-01"),
                d("2025-08-01"),
                d("2024-02-01"),
            ],
        );
        assert_eq!(
            late_.periods,
            [
                (Period::parse("2025Q1").expect("q"), 1),
                (Period::parse("2025Q2").expect("q"), 2)
            ]
        );
        assert!(!late_.refuse);
        let m = late_.message().expect("a warning");
        assert!(m.contains("2025Q1 (1 record), 2025Q2 (2 records)"), "{m}");
        let refusing = parse_rules(
            "r",
            &DEFAULT_RULES.replace("late_records = \"warn\"", "late_records = \"refuse\""),
        )
        .expect("rules");
        let late_ = late(&ws, &refusing, &[d("2025-03-31")]);
        assert!(late_.refuse);
        assert!(late_.message().expect("refused").starts_with("import refused: records dated inside published periods: 2025Q1 (1 record), 2025Q2 (1 record)"));
        assert_eq!(
            late(&ws, &rules, &[d("2025-07-01")]),
            Late {
                periods: vec![],
                refuse: false
            }
        );
    }

    #[test]
    fn version_file_names() {
        let p = Period::parse("2025Q3").expect("q");
        assert_eq!(stem(p, 1), "2025Q3");
        assert_eq!(stem(p, 2), "2025Q3-v2");
    }
}
