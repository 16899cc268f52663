//! `tally check`: every input file validated as far as its format goes; every problem
//! listed, exit 1 when there is any. Invalid rules or tally.toml stay exit 78.

use crate::context::Ctx;
use crate::domain::rules::Rules;
use crate::domain::validate::validate;
use crate::domain::{Petition, Roster};
use crate::error::{Error, Exit, Problem, listed};
use crate::input::{self, Encoding, files};
use crate::ledger::{LedgerStream, audit, batch};
use crate::reconcile::{Claim, Claims, reconcile};
use crate::workspace::Workspace;
use rustc_hash::FxHashSet;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Problems (exit 1) and warnings (reported, not failing) found so far.
#[derive(Default)]
struct Findings {
    problems: Vec<Problem>,
    warnings: Vec<String>,
    counts: Vec<String>,
}

pub fn run(ctx: &Ctx) -> Result<Exit, Error> {
    let ws = ctx.workspace()?;
    // An import killed between two renames is finished first, and a running one is waited
    // for, so check never passes a ledger with some years new and others old.
    crate::ledger::settle(&ws.ledger);
    let _reading =
        crate::ledger::LedgerLock::shared(&ws.ledger, &ctx.show(&ws.ledger), ctx.global.quiet);
    let rules = ctx.rules(Some(&ws))?;
    let mut f = Findings::default();
    let Some(roster) = check_roster(ctx, &ws, &mut f)? else {
        // Every other file names delegates: without a roster each row would be a
        // follow-on error, so the roster's own problems are all there is to say.
        return Ok(report(
            ctx,
            &f,
            Some(crate::tr!("msg-check-stopped-no-roster")),
        ));
    };
    let claims = check_ledger(ctx, &ws, &rules.rules, &roster, &mut f)?;
    crate::ledger::audit::release_freed_memory();
    let petitions = check_register(ctx, &ws, &roster, &mut f)?;
    let evaluations = check_optional(ctx, &ws.evaluations, files::EVALUATIONS, &mut f, |file| {
        files::evaluations(file, &roster, &rules.rules)
    })?;
    check_optional(ctx, &ws.adjustments, files::ADJUSTMENTS, &mut f, |file| {
        files::adjustments(file, &roster)
    })?;
    if let Some(ps) = &petitions {
        reconcile_petitions(ctx, &ws, ps, &claims, &mut f);
    }
    petition_followup(ctx, &ws, &rules, &roster, petitions.as_deref(), &mut f)?;
    if let Some(evs) = &evaluations {
        unmarked_delegates(&roster, evs, &mut f);
    }
    check_published(ctx, &ws, &rules, &roster, &mut f);
    Ok(report(ctx, &f, None))
}

/// Prints warnings and problems; exit 1 when there is any problem.
fn report(ctx: &Ctx, f: &Findings, stopped: Option<String>) -> Exit {
    for w in &f.warnings {
        ctx.warn(w);
    }
    if f.problems.is_empty() {
        let counts = f.counts.join(&crate::tr!("check-count-separator"));
        ctx.say(crate::tr!("msg-check-ok", counts = counts));
        return Exit::Ok;
    }
    for line in listed(&f.problems) {
        crate::error::say_err(&line);
    }
    let n = f.problems.len();
    crate::error::say_err(&match stopped {
        None => crate::tr!("msg-check-found", n = n),
        Some(why) => crate::tr!("msg-check-found-stopped", n = n, why = why),
    });
    Exit::Found
}

/// The roster, or `None` when its header cannot be read at all.
fn check_roster(ctx: &Ctx, ws: &Workspace, f: &mut Findings) -> Result<Option<Roster>, Error> {
    let shown = ctx.show(&ws.delegates);
    match input::read_csv(&ws.delegates, &shown, Encoding::Auto, files::ROSTER)? {
        Ok(file) => {
            let loaded = files::roster(&file);
            f.problems.extend(loaded.problems);
            f.counts.push(crate::tr!(
                "check-count-delegates",
                n = loaded.value.delegates.len()
            ));
            Ok(Some(loaded.value))
        }
        Err(ps) => {
            f.problems.extend(ps);
            Ok(None)
        }
    }
}

/// Issue 14: the delegates' ratings of departments, when present, and the years whose
/// working-day deadlines the rules' calendar does not cover (a warning, once per year).
fn petition_followup(
    ctx: &Ctx,
    ws: &Workspace,
    rules: &crate::workspace::LoadedRules,
    roster: &Roster,
    petitions: Option<&[Petition]>,
    f: &mut Findings,
) -> Result<(), Error> {
    check_optional(ctx, &ws.ratings, files::RATINGS, f, |file| {
        files::ratings(file, roster)
    })?;
    if let Some(ps) = petitions {
        for (year, (id, due)) in crate::reports::petitions::uncovered_years(ps, &rules.rules) {
            f.warnings
                .push(crate::reports::petitions::uncovered_warning(
                    &rules.shown,
                    year,
                    &id,
                    due,
                ));
        }
    }
    Ok(())
}

fn check_optional<T>(
    ctx: &Ctx,
    path: &Path,
    schema: &[input::ColumnSpec],
    f: &mut Findings,
    read: impl FnOnce(&input::CsvFile) -> input::Loaded<Vec<T>>,
) -> Result<Option<Vec<T>>, Error> {
    if !path.exists() {
        return Ok(None);
    }
    let shown = ctx.show(path);
    let read = input::read_csv(path, &shown, Encoding::Auto, schema)?.map(|file| read(&file));
    Ok(loaded(&shown, read, f))
}

/// The petitions register, read a row at a time: its rows are never all held, and of each
/// petition only what reconciling reads is kept.
fn check_register(
    ctx: &Ctx,
    ws: &Workspace,
    roster: &Roster,
    f: &mut Findings,
) -> Result<Option<Vec<Petition>>, Error> {
    if !ws.petitions.exists() {
        return Ok(None);
    }
    let shown = ctx.show(&ws.petitions);
    let mut register = files::PetitionRows::slim(roster);
    let read = input::read_csv_each(
        &ws.petitions,
        &shown,
        Encoding::Auto,
        files::PETITIONS,
        |file, row| register.row(file, &row),
    )?
    .map(|_| register.finish());
    Ok(loaded(&shown, read, f))
}

/// An optional file's values, its problems and its count of rows.
fn loaded<T>(
    shown: &str,
    read: Result<input::Loaded<Vec<T>>, Vec<Problem>>,
    f: &mut Findings,
) -> Option<Vec<T>> {
    match read {
        Ok(loaded) => {
            f.problems.extend(loaded.problems);
            f.counts.push(crate::tr!(
                "check-count-rows",
                path = shown,
                n = loaded.value.len()
            ));
            Some(loaded.value)
        }
        Err(ps) => {
            f.problems.extend(ps);
            None
        }
    }
}

/// Every year file of the ledger: its records counted, its problems listed, and what its
/// records claim of petitions returned for reconciling with the register.
fn check_ledger(
    ctx: &Ctx,
    ws: &Workspace,
    rules: &Rules,
    roster: &Roster,
    f: &mut Findings,
) -> Result<Claims, Error> {
    let mut total = 0;
    let mut claims = Claims::default();
    ledger_layout(ctx, ws, f);
    for year in ws.ledger_years() {
        let path = ws.ledger_file(year);
        if path.is_dir() {
            // Said by ledger_layout.
            continue;
        }
        let file = YearFile {
            shown: ctx.show(&path),
            year,
            rules,
            roster,
        };
        total += file.check(&path, &mut claims, f)?;
    }
    f.counts
        .push(crate::tr!("check-count-ledger-records", n = total));
    Ok(claims)
}

/// One year file of the ledger, and what its records are held to.
struct YearFile<'a> {
    shown: String,
    year: i32,
    rules: &'a Rules,
    roster: &'a Roster,
}

impl YearFile<'_> {
    /// The fast pass, and for a file it does not find clean the careful pass; the rows read.
    fn check(&self, path: &Path, claims: &mut Claims, f: &mut Findings) -> Result<u64, Error> {
        let mut stream = match LedgerStream::open(path, &self.shown) {
            Ok(s) => s,
            Err(e) if e.exit == Exit::Data => {
                // Each problem names its file and line already.
                f.problems.extend(e.problems);
                return Ok(0);
            }
            Err(e) => return Err(e),
        };
        if stream.is_format_1() {
            f.warnings
                .push(crate::tr!("msg-ledger-format-1", path = &self.shown));
        }
        // A clean file (the usual case) needs nothing more. Otherwise the careful pass words
        // every problem, comparing as text only the keys whose hashes the fast pass saw twice.
        let audit = audit::audit(path, &self.shown, self.year, self.rules, self.roster);
        let suspects = match audit {
            Some(a) if a.clean => {
                // Moved, not copied, when it is the first: the claims are held once.
                if claims.is_empty() {
                    *claims = a.claims;
                } else {
                    claims.append(&a.claims, 0);
                }
                return Ok(a.rows);
            }
            Some(a) => Some(a.suspects),
            None => None,
        };
        Ok(self.careful(&mut stream, suspects.as_ref(), claims, f))
    }

    /// Every record read and held to [`validate`], its order and its key; `suspects` are the
    /// key hashes worth comparing (all keys when `None`).
    fn careful(
        &self,
        stream: &mut LedgerStream,
        suspects: Option<&FxHashSet<u64>>,
        claims: &mut Claims,
        f: &mut Findings,
    ) -> u64 {
        let mut rows = 0;
        let mut keys: HashMap<String, u64> = HashMap::new();
        let mut last = None;
        while let Some(next) = stream.next_record() {
            rows += 1;
            let rec = match next {
                Ok(rec) => rec,
                Err(p) => {
                    f.problems.push(p);
                    continue;
                }
            };
            if last.is_some_and(|d| rec.date < d) {
                f.warnings.push(crate::tr!(
                    "msg-check-not-in-order",
                    path = &self.shown,
                    line = rec.ledger_line
                ));
            }
            last = Some(rec.date);
            let checked = validate((&rec).into(), self.year, self.rules, self.roster);
            f.problems.extend(
                checked
                    .findings
                    .iter()
                    .map(|x| x.problem(&self.shown, rec.ledger_line)),
            );
            let role = checked.item.and_then(|i| self.rules.items[i].petition);
            if let Some(c) = Claim::of(&self.shown, &rec, role) {
                claims.push_claim(&c);
            }
            let suspect = suspects.is_none_or(|s| s.contains(&batch::key_hash(&rec.key)));
            if suspect
                && let Some(first) = keys.insert(rec.key.clone(), rec.ledger_line)
                && !rec.key.is_empty()
            {
                f.problems.push(
                    Problem::new(
                        self.shown.clone(),
                        crate::tr!("msg-check-same-record-twice", first = first),
                    )
                    .line(rec.ledger_line)
                    .column("key")
                    .value(&rec.key),
                );
            }
        }
        rows
    }
}

/// What reports would pass over in silence: a ledger path that is a file, a year file that
/// is a folder, and a `.csv` file in the ledger folder that is not `<year>.csv` (its records
/// count nowhere, so it is a problem, not a warning).
fn ledger_layout(ctx: &Ctx, ws: &Workspace, f: &mut Findings) {
    let shown = ctx.show(&ws.ledger);
    if ws.ledger.exists() && !ws.ledger.is_dir() {
        f.problems.push(Problem::new(
            shown,
            crate::tr!("msg-check-ledger-is-a-file"),
        ));
        return;
    }
    let Ok(entries) = std::fs::read_dir(&ws.ledger) else {
        return;
    };
    let mut odd: Vec<(String, String)> = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_dir = e.path().is_dir();
        let year_file = name
            .strip_suffix(".csv")
            .is_some_and(|stem| stem.len() == 4 && stem.bytes().all(|b| b.is_ascii_digit()));
        if year_file && is_dir {
            odd.push((ctx.show(&e.path()), crate::tr!("msg-is-a-folder")));
        } else if !year_file
            && !name.starts_with('.')
            && name != crate::commands::void::VOIDS_LOG
            && name.to_lowercase().ends_with(".csv")
        {
            odd.push((ctx.show(&e.path()), crate::tr!("msg-check-not-a-year-file")));
        }
    }
    odd.sort();
    for (file, message) in odd {
        f.problems.push(Problem::new(file, message));
    }
}

/// Every ledger record that names a ref, held against the petitions register: each
/// mismatch a problem on its own located line; resolved petitions nobody claims, notes.
fn reconcile_petitions(
    ctx: &Ctx,
    ws: &Workspace,
    petitions: &[Petition],
    claims: &Claims,
    f: &mut Findings,
) {
    let found = reconcile(petitions, &ctx.show(&ws.petitions), claims.iter());
    f.problems.extend(found.problems);
    for note in found.notes {
        ctx.note(crate::tr!("line-note", message = note));
    }
}

/// Every published period still reproduces from the ledger and rules; each figure that
/// does not is a restatement (a problem naming the publication, with why).
fn check_published(
    ctx: &Ctx,
    ws: &Workspace,
    rules: &crate::workspace::LoadedRules,
    roster: &Roster,
    f: &mut Findings,
) {
    let periods = crate::published::latest_versions(ws).len();
    if periods == 0 {
        return;
    }
    // Adjustment problems are already listed; reproduce without them rather than not at all.
    let adjustments = ctx.adjustments(ws, roster).unwrap_or_default();
    let book = crate::context::Book {
        ws: ws.clone(),
        rules: rules.clone(),
        roster: roster.clone(),
        adjustments,
    };
    f.problems.extend(crate::published::check(ctx, &book));
    f.counts
        .push(crate::tr!("check-count-published", n = periods));
}

/// Delegates in office in a year that has marks, who have none: no evaluation, no grade.
fn unmarked_delegates(
    roster: &Roster,
    evaluations: &[crate::domain::Evaluation],
    f: &mut Findings,
) {
    let years: BTreeSet<i32> = evaluations.iter().map(|e| e.year).collect();
    for year in years {
        let marked: BTreeSet<&str> = evaluations
            .iter()
            .filter(|e| e.year == year)
            .map(|e| e.delegate.as_str())
            .collect();
        let period = crate::domain::Period::Year(year);
        for d in &roster.delegates {
            if d.in_office_between(period.first_day(), period.last_day())
                && !marked.contains(d.id.as_str())
            {
                f.warnings.push(crate::tr!(
                    "msg-check-unmarked",
                    year = year.to_string(),
                    delegate = &d.id,
                    name = &d.name
                ));
            }
        }
    }
}
