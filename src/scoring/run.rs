//! A scoring run: the ledger of one cycle read once (on the fast path when nobody looks at
//! the records), fed to the engine in ledger order, adjustments added, and the figures
//! returned with what the stamp says of the ledger.

use super::{Engine, Refused, Scored, Scores};
use crate::domain::rules::Rules;
use crate::domain::{Adjustment, Record, Roster};
use crate::error::{Error, Exit, Problem};
use crate::ledger::{LedgerStream, Repeats, read_sorted};
use chrono::NaiveDate;
use std::path::Path;

/// Receives each scored record; `reset` when the engine starts over on a sorted ledger.
pub trait Observer {
    fn scored(&mut self, s: &Scored);
    fn reset(&mut self) {}
    /// Whether it looks at records at all; a report that needs only the figures lets the
    /// ledger be read on the fast path.
    fn wants_records(&self) -> bool {
        true
    }
    /// The one delegate whose records it looks at, if it looks at only one.
    fn only_delegate(&self) -> Option<&str> {
        None
    }
}

/// An observer that watches nothing.
pub struct Nobody;

impl Observer for Nobody {
    fn scored(&mut self, _: &Scored) {}
    fn wants_records(&self) -> bool {
        false
    }
}

/// What the stamp says of the ledger read.
#[derive(Debug, Clone, Default)]
pub struct LedgerInfo {
    pub hash: String,
    pub newest: Option<NaiveDate>,
}

/// What a scoring run reads besides the ledger file.
pub struct Inputs<'a> {
    pub rules: &'a Rules,
    pub roster: &'a Roster,
    pub adjustments: &'a [Adjustment],
    /// The ledger folder, settled (a killed import finished) before reading.
    pub ledger: &'a Path,
}

/// Scores the cycle `year` up to `until` in one pass over the ledger file `path` (shown as
/// `shown`). With an observer that looks at one delegate ([`Observer::only_delegate`]), only
/// that delegate's figures are scored. A ledger out of date order (edited by hand) is read
/// whole, sorted, and scored again; `warn` hears of it and of repeated rows.
pub fn run(
    inputs: &Inputs,
    path: &Path,
    shown: &str,
    year: i32,
    until: NaiveDate,
    observer: &mut dyn Observer,
    warn: &mut dyn FnMut(String),
) -> Result<(Scores, LedgerInfo), Error> {
    crate::ledger::settle(inputs.ledger);
    if !observer.wants_records() {
        let mut engine = Engine::new(inputs.rules, inputs.roster, year, until);
        if let Ok(scanned) = crate::ledger::scan::scan(path, shown, &mut engine) {
            engine.add_adjustments(inputs.adjustments);
            let hash = scanned
                .digest
                .map_or_else(String::new, |d| crate::workspace::hex_prefix(&d));
            let info = LedgerInfo {
                hash,
                newest: scanned.newest,
            };
            return Ok((engine.finish(), info));
        }
    }
    let mut stream = LedgerStream::open(path, shown)?;
    // The stamp's newest record is the ledger's, whichever rows are read.
    let mut ledger_newest = None;
    // One delegate's records read by offset, and the digest of the file they are in.
    let mut picked: Option<(Vec<Record>, Option<[u8; 32]>)> = None;
    if let Some(id) = observer.only_delegate() {
        // A ledger the fast path reads whole is clean: no row of another delegate can
        // stop the report, and caps are per delegate, so this delegate's rows alone give
        // the same records and figures for them. Other delegates are then not scored.
        let mut probe = Engine::new(inputs.rules, inputs.roster, year, until);
        // The year file's cache proves it clean and says where the delegate's rows are:
        // only those are read.
        if let Some(p) = crate::ledger::scan::one_delegate(path, shown, &probe, id) {
            ledger_newest = p.newest;
            picked = Some((p.records, p.digest));
        } else if let Ok(scanned) = crate::ledger::scan::scan(path, shown, &mut probe) {
            ledger_newest = scanned.newest;
            stream = stream.only(id);
        }
    }
    let mut engine = Engine::new(inputs.rules, inputs.roster, year, until);
    let mut newest = None;
    let picked_digest = picked.as_ref().map(|(_, d)| *d);
    let source: Box<dyn Iterator<Item = Result<Record, Problem>> + '_> = match picked {
        Some((records, _)) => Box::new(records.into_iter().map(Ok)),
        None => Box::new(std::iter::from_fn(|| stream.next_record())),
    };
    let records = source.inspect(|r| {
        if let Ok(rec) = r {
            newest = crate::ledger::newest(newest, rec.date);
        }
    });
    let mut repeats = Repeats::default();
    let digest = match feed(&mut engine, shown, records, observer, &mut repeats)? {
        None => picked_digest.unwrap_or_else(|| stream.digest()),
        Some(line) => {
            // A hand-edited ledger: read it whole, sort it, and start again.
            warn(crate::tr!(
                "msg-ledger-out-of-order",
                path = shown,
                line = line
            ));
            observer.reset();
            let (records, digest) = read_sorted(path, shown)?;
            newest = records.iter().map(|r| r.date).max();
            engine = Engine::new(inputs.rules, inputs.roster, year, until);
            repeats = Repeats::default();
            feed(
                &mut engine,
                shown,
                records.into_iter().map(Ok),
                observer,
                &mut repeats,
            )?;
            digest
        }
    };
    warn_repeats(shown, &repeats, warn);
    engine.add_adjustments(inputs.adjustments);
    let hash = digest.map_or_else(String::new, |d| crate::workspace::hex_prefix(&d));
    let newest = ledger_newest.or(newest);
    Ok((engine.finish(), LedgerInfo { hash, newest }))
}
fn warn_repeats(shown: &str, repeats: &Repeats, warn: &mut dyn FnMut(String)) {
    let n = repeats.found.len();
    for (line, first) in repeats.found.iter().take(5) {
        warn(crate::tr!(
            "msg-repeated-record",
            path = shown,
            line = *line,
            first = *first
        ));
    }
    if n > 5 {
        warn(crate::tr!(
            "msg-more-repeated-records",
            path = shown,
            n = n - 5
        ));
    }
}

/// Feeds records to the engine; `Some(line)` when the ledger turns out not to be in order.
/// A record repeated in the ledger (copied by hand) is counted once.
fn feed(
    engine: &mut Engine,
    shown: &str,
    records: impl Iterator<Item = Result<Record, Problem>>,
    observer: &mut dyn Observer,
    repeats: &mut Repeats,
) -> Result<Option<u64>, Error> {
    for next in records {
        let rec = next.map_err(|p| Error::from_problem(Exit::Data, p))?;
        if repeats.repeated(&rec) {
            continue;
        }
        match engine.add(shown, &rec, &mut |s| observer.scored(s)) {
            Ok(()) => {}
            Err(Refused::Bad(p)) => return Err(Error::from_problem(Exit::Data, p)),
            Err(Refused::OutOfOrder { line }) => return Ok(Some(line)),
        }
    }
    Ok(None)
}
