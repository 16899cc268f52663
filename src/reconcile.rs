//! Reconciling the ledger's points with the petitions register (`check`): every record
//! that names a ref is held against the register. Pure: records in, located lines out.

use crate::domain::rules::PetitionRole;
use crate::domain::{Kind, Petition, Record};
use crate::error::Problem;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A ledger record that names a ref, with what its item claims of the petition.
#[derive(Debug, Clone)]
pub struct Claim {
    pub file: String,
    pub line: u64,
    pub date: NaiveDate,
    pub delegate: String,
    pub item: String,
    pub role: Option<PetitionRole>,
    pub reference: String,
    pub outcome: Option<String>,
}

impl Claim {
    /// The claim a live record makes; `None` for a record without a ref or a voided one
    /// (a voided record claims nothing).
    pub fn of(file: &str, rec: &Record, role: Option<PetitionRole>) -> Option<Claim> {
        let reference = rec.reference.as_deref()?.trim();
        if reference.is_empty() || voided(rec) {
            return None;
        }
        Some(Claim {
            file: file.to_owned(),
            line: rec.ledger_line,
            date: rec.date,
            delegate: rec.delegate.clone(),
            item: rec.activity.clone(),
            role,
            reference: reference.to_owned(),
            outcome: rec.outcome.clone(),
        })
    }

    fn at(&self, column: &str, message: String, value: &str) -> Problem {
        Problem::new(self.file.clone(), message)
            .line(self.line)
            .column(column)
            .value(value)
    }
}

/// Claims held compactly: a large ledger names hundreds of thousands of refs, so each claim
/// is a few numbers and its texts in one shared buffer, made into a [`Claim`] when read.
#[derive(Debug, Default)]
pub struct Claims {
    files: Vec<String>,
    text: String,
    at: Vec<Packed>,
}

#[derive(Debug, Clone, Copy)]
struct Packed {
    line: u64,
    /// Where the claim's delegate, item, ref and outcome start in `text`.
    start: usize,
    lens: [u32; 4],
    date: NaiveDate,
    file: u32,
    role: Option<PetitionRole>,
    has_outcome: bool,
}

impl Claims {
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        file: &str,
        line: u64,
        date: NaiveDate,
        delegate: &str,
        item: &str,
        role: Option<PetitionRole>,
        reference: &str,
        outcome: Option<&str>,
    ) {
        if self.files.last().is_none_or(|f| f != file) {
            self.files.push(file.to_owned());
        }
        let start = self.text.len();
        let parts = [delegate, item, reference, outcome.unwrap_or_default()];
        for p in parts {
            self.text.push_str(p);
        }
        self.at.push(Packed {
            line,
            start,
            lens: parts.map(|p| p.len() as u32),
            date,
            file: (self.files.len() - 1) as u32,
            role,
            has_outcome: outcome.is_some(),
        });
    }

    /// Adds a claim as [`Claim::of`] makes it.
    pub fn push_claim(&mut self, c: &Claim) {
        self.push_moved(c, 0);
    }

    /// Adds every claim of `other`, its lines moved down by `lines`.
    pub fn append(&mut self, other: &Claims, lines: u64) {
        for c in other.iter() {
            self.push_moved(&c, lines);
        }
    }

    fn push_moved(&mut self, c: &Claim, lines: u64) {
        self.push(
            &c.file,
            c.line + lines,
            c.date,
            &c.delegate,
            &c.item,
            c.role,
            &c.reference,
            c.outcome.as_deref(),
        );
    }

    /// Moves every claim's line down by `lines`.
    pub fn shift_lines(&mut self, lines: u64) {
        for p in &mut self.at {
            p.line += lines;
        }
    }

    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// The claims in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = Claim> + '_ {
        self.at.iter().map(|p| {
            let mut at = p.start;
            let [d, i, r, o] = p.lens.map(|n| {
                let s = &self.text[at..at + n as usize];
                at += n as usize;
                s
            });
            Claim {
                file: self.files[p.file as usize].clone(),
                line: p.line,
                date: p.date,
                delegate: d.to_owned(),
                item: i.to_owned(),
                role: p.role,
                reference: r.to_owned(),
                outcome: p.has_outcome.then(|| o.to_owned()),
            }
        })
    }
}

/// Whether a ledger record is voided (SPEC §10: a void is recorded, never a deletion).
pub fn voided(rec: &Record) -> bool {
    rec.void.is_some()
}

/// What reconciling found: mismatches (problems, exit 1) and notes.
#[derive(Debug, Default)]
pub struct Reconciled {
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
}

/// Holds every claim against the register `register` (its name as shown).
/// Claims are taken one at a time (made from [`Claims`] as they come); of each petition
/// claimed as resolved only the file and line of the first claim are kept.
pub fn reconcile<C: std::borrow::Borrow<Claim>>(
    petitions: &[Petition],
    register: &str,
    claims: impl IntoIterator<Item = C>,
) -> Reconciled {
    let by_id: HashMap<&str, &Petition> = petitions.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut out = Reconciled::default();
    // Petition id → (file, line) of its first resolution claim.
    let mut files: Vec<String> = Vec::new();
    let mut resolved_by: HashMap<&str, (usize, u64)> = HashMap::new();
    for c in claims {
        let c = c.borrow();
        let Some(&p) = by_id.get(c.reference.as_str()) else {
            out.problems.push(c.at(
                "ref",
                crate::tr!("msg-rec-not-in-register", register = register),
                &c.reference,
            ));
            continue;
        };
        let Some(role) = c.role else {
            continue;
        };
        let entry = format!("{register}:{}", p.source_line);
        if c.delegate != p.delegate {
            out.problems.push(c.at(
                "delegate",
                crate::tr!(
                    "msg-rec-not-agent",
                    item = &c.item,
                    id = &p.id,
                    entry = &entry,
                    delegate = &p.delegate
                ),
                &c.delegate,
            ));
        }
        if role == PetitionRole::Resolved {
            resolution(c, p, &entry, &mut out.problems);
            match resolved_by.get(p.id.as_str()) {
                Some(&(file, line)) => out.problems.push(c.at(
                    "ref",
                    crate::tr!(
                        "msg-rec-resolved-twice",
                        id = &p.id,
                        file = &files[file],
                        line = line
                    ),
                    &c.reference,
                )),
                None => {
                    if files.last() != Some(&c.file) {
                        files.push(c.file.clone());
                    }
                    resolved_by.insert(p.id.as_str(), (files.len() - 1, c.line));
                }
            }
        }
    }
    for p in petitions {
        if let Some(day) = p.resolved
            && p.kind == Kind::Petition
            && !resolved_by.contains_key(p.id.as_str())
        {
            out.notes.push(crate::tr!(
                "msg-rec-unclaimed",
                register = register,
                line = p.source_line,
                id = &p.id,
                day = day
            ));
        }
    }
    out
}

/// A resolution record: on or after the registered resolution, with its satisfaction.
fn resolution(c: &Claim, p: &Petition, entry: &str, problems: &mut Vec<Problem>) {
    let Some(day) = p.resolved else {
        problems.push(c.at(
            "ref",
            crate::tr!(
                "msg-rec-not-resolved",
                item = &c.item,
                id = &p.id,
                entry = entry
            ),
            &c.reference,
        ));
        return;
    };
    if c.date < day {
        problems.push(c.at(
            "date",
            crate::tr!(
                "msg-rec-before-resolved",
                id = &p.id,
                day = day,
                entry = entry
            ),
            &c.date.to_string(),
        ));
    }
    let registered = p.satisfaction.map(|s| s.name());
    if c.outcome.as_deref() != registered {
        let says = match registered {
            None => crate::tr!("msg-rec-no-satisfaction", entry = entry, id = &p.id),
            Some(s) => crate::tr!(
                "msg-rec-satisfaction",
                entry = entry,
                satisfaction = s,
                id = &p.id
            ),
        };
        problems.push(c.at("outcome", says, c.outcome.as_deref().unwrap_or("")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Satisfaction;

    fn d(s: &str) -> NaiveDate {
        crate::input::date::parse_date(s).expect("date")
    }

    fn petition(id: &str, agent: &str, resolved: Option<&str>, line: u64) -> Petition {
        Petition {
            id: id.into(),
            received: d("2025-01-02"),
            delegate: agent.into(),
            channel: None,
            category: None,
            summary: None,
            department: None,
            forwarded: None,
            due: None,
            replied: None,
            resolved: resolved.map(d),
            satisfaction: resolved.map(|_| Satisfaction::Satisfied),
            kind: Kind::Petition,
            followup: Default::default(),
            source_line: line,
        }
    }

    fn claim(line: u64, date: &str, who: &str, role: PetitionRole, r: &str, o: &str) -> Claim {
        Claim {
            file: "l.csv".into(),
            line,
            date: d(date),
            delegate: who.into(),
            item: match role {
                PetitionRole::Agent => "petition_agent".into(),
                PetitionRole::Resolved => "petition_resolved".into(),
            },
            role: Some(role),
            reference: r.into(),
            outcome: (!o.is_empty()).then(|| o.into()),
        }
    }

    #[test]
    fn each_mismatch_is_one_located_line() {
        use PetitionRole::{Agent, Resolved};
        let ps = [
            petition("P1", "D1", Some("2025-03-01"), 2),
            petition("P2", "D2", None, 3),
            petition("P3", "D3", Some("2025-04-01"), 4),
        ];
        let claims = [
            claim(2, "2025-01-05", "D1", Agent, "P1", ""),
            claim(3, "2025-03-01", "D1", Resolved, "P1", "satisfied"),
            claim(4, "2025-01-06", "D9", Agent, "P2", ""),
            claim(5, "2025-02-01", "D2", Resolved, "P2", "satisfied"),
            claim(6, "2025-03-02", "D1", Resolved, "P1", "very_satisfied"),
            claim(7, "2025-01-07", "D1", Agent, "P404", ""),
        ];
        let r = reconcile(&ps, "p.csv", &claims);
        let lines: Vec<String> = r.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "l.csv:4: delegate: petition_agent by a delegate who is not the agent of P2: p.csv:3 names D2 (D9)",
                "l.csv:5: ref: petition_resolved for P2, which p.csv:3 does not show resolved (P2)",
                "l.csv:6: outcome: p.csv:2 records satisfaction satisfied for P1 (very_satisfied)",
                "l.csv:6: ref: P1 claimed as resolved twice (first at l.csv:3) (P1)",
                "l.csv:7: ref: not in the petitions register p.csv (P404)",
            ]
        );
        assert_eq!(
            r.notes,
            ["p.csv:4: P3 resolved on 2025-04-01, and no ledger record claims its resolution"]
        );
    }

    #[test]
    fn a_resolution_dated_before_the_register_says_so() {
        let ps = [petition("P1", "D1", Some("2025-03-01"), 2)];
        let claims = [claim(
            9,
            "2025-02-28",
            "D1",
            PetitionRole::Resolved,
            "P1",
            "satisfied",
        )];
        let r = reconcile(&ps, "p.csv", &claims);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(
            r.problems[0].to_string(),
            "l.csv:9: date: before P1 was resolved (2025-03-01 by p.csv:2) (2025-02-28)"
        );
    }
}
