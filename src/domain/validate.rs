//! What a record may say, given the rules and the roster: every rule a record is held to,
//! written once, as typed findings, and the one wording of each finding.
//!
//! `check` lists every finding of a record; the scoring engine stops at the first that
//! leaves it nothing to score ([`Finding::stops_scoring`]) and scores a delegate out of
//! office or a missing ref as written; check's fast pass (`ledger::audit`) calls a row clean
//! when it has none; import asks the single rules ([`in_office`], [`outcome`],
//! [`ref_required`]) of the cells it has parsed (its cells may name a delegate by name or an
//! item by alias, so finding who and what a cell names stays its parsing).
//!
//! It lives in `domain`, not `ledger` or `commands`, because it judges domain values (a
//! record's facts against `Rules` and `Roster`) and `input`, `scoring`, `ledger` and
//! `commands` all depend on `domain` already: elsewhere it would make `input` or `scoring`
//! reach downstream, against the one direction of flow.

use super::rules::{Item, Rules, Scoring};
use super::{Delegate, Record, Roster};
use crate::error::Problem;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// The facts of a record that rules and roster judge, borrowed from a [`Record`] or from
/// the cells of a raw ledger row (trimmed, empty as absent).
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub date: NaiveDate,
    /// Roster id.
    pub delegate: &'a str,
    /// Item code.
    pub activity: &'a str,
    pub outcome: Option<&'a str>,
    pub reference: Option<&'a str>,
}

impl<'a> From<&'a Record> for Facts<'a> {
    fn from(rec: &'a Record) -> Self {
        Facts {
            date: rec.date,
            delegate: &rec.delegate,
            activity: &rec.activity,
            outcome: rec.outcome.as_deref(),
            reference: rec.reference.as_deref(),
        }
    }
}

/// What can be wrong with a record against the rules and the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The date is outside the cycle (the year of the ledger file that holds it).
    NotInYear { year: i32, date: NaiveDate },
    /// No delegate of the roster has this id.
    NotInRoster { delegate: String },
    /// The delegate was not in office on the record's date.
    NotInOffice {
        delegate: String,
        name: String,
        date: NaiveDate,
        joined: Option<NaiveDate>,
        left: Option<NaiveDate>,
    },
    /// No item of the rules has this code.
    UnknownItem { activity: String },
    /// The item is scored by outcome and the record names none of its outcomes (`outcome`
    /// as written, `None` when the cell is empty; `expected` the item's outcome ids).
    NotAnOutcome {
        item: String,
        outcome: Option<String>,
        expected: String,
    },
    /// The item requires a ref (a petition or motion id) and the record has none.
    RefRequired { item: String },
}

/// What [`validate`] made of a record: its delegate, item and points per unit where they
/// resolve, and every finding, in the order of the record's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Validated {
    pub delegate: Option<usize>,
    pub item: Option<usize>,
    /// Points for one unit: the item's, or its outcome's.
    pub unit: Option<Decimal>,
    pub findings: Vec<Finding>,
}

impl Validated {
    /// Delegate, item and points per unit, or the first finding that leaves nothing to score.
    pub fn scorable(&self) -> Result<(usize, usize, Decimal), &Finding> {
        match (self.delegate, self.item, self.unit) {
            (Some(d), Some(i), Some(u)) => Ok((d, i, u)),
            _ => Err(self
                .findings
                .iter()
                .find(|f| f.stops_scoring())
                .expect("validate finds why a delegate, item or outcome does not resolve")),
        }
    }
}

/// Holds a record's facts to the rules and the roster of cycle `year`.
pub fn validate(facts: Facts, year: i32, rules: &Rules, roster: &Roster) -> Validated {
    let mut findings = Vec::new();
    if facts.date.year() != year {
        findings.push(Finding::NotInYear {
            year,
            date: facts.date,
        });
    }
    let delegate = roster.index_of_id(facts.delegate);
    match delegate {
        None => findings.push(Finding::NotInRoster {
            delegate: facts.delegate.to_owned(),
        }),
        Some(d) => findings.extend(in_office(&roster.delegates[d], facts.date)),
    }
    let item = rules.item_by_code(facts.activity);
    let mut unit = None;
    match item {
        None => findings.push(Finding::UnknownItem {
            activity: facts.activity.to_owned(),
        }),
        Some(i) => {
            let it = &rules.items[i];
            match outcome(it, facts.outcome) {
                Ok(o) => unit = it.unit_points(o),
                Err(f) => findings.push(f),
            }
            findings.extend(ref_required(it, facts.reference));
        }
    }
    Validated {
        delegate,
        item,
        unit,
        findings,
    }
}

/// The delegate's term covers `date`.
pub fn in_office(delegate: &Delegate, date: NaiveDate) -> Option<Finding> {
    (!delegate.in_office_on(date)).then(|| Finding::NotInOffice {
        delegate: delegate.id.clone(),
        name: delegate.name.clone(),
        date,
        joined: delegate.joined,
        left: delegate.left,
    })
}

/// The outcome id `outcome` names (by id or alias) for an item scored by outcome; `None`
/// for other items, whatever the cell says.
pub fn outcome<'r>(item: &'r Item, outcome: Option<&str>) -> Result<Option<&'r str>, Finding> {
    if !item.by_outcome() {
        return Ok(None);
    }
    match outcome.and_then(|o| item.outcome_for(o)) {
        Some(o) => Ok(Some(o)),
        None => Err(Finding::NotAnOutcome {
            item: item.code.clone(),
            outcome: outcome.map(str::to_owned),
            expected: outcome_ids(item),
        }),
    }
}

/// An item's outcome ids, for messages: `very_satisfied, satisfied, dissatisfied`.
fn outcome_ids(item: &Item) -> String {
    let Scoring::ByOutcome { points, .. } = &item.scoring else {
        return String::new();
    };
    let ids: Vec<&str> = points.iter().map(|(o, _)| o.as_str()).collect();
    ids.join(", ")
}

/// An item that requires a ref has one.
pub fn ref_required(item: &Item, reference: Option<&str>) -> Option<Finding> {
    (item.requires_ref && reference.is_none()).then(|| Finding::RefRequired {
        item: item.code.clone(),
    })
}

impl Finding {
    /// Whether the engine can score the record at all: a delegate out of office or a
    /// missing ref is still scored as written (import and `check` refuse them).
    pub fn stops_scoring(&self) -> bool {
        !matches!(
            self,
            Finding::NotInOffice { .. } | Finding::RefRequired { .. }
        )
    }

    /// The column the finding is about.
    pub fn column(&self) -> &'static str {
        match self {
            Finding::NotInYear { .. } => "date",
            Finding::NotInRoster { .. } | Finding::NotInOffice { .. } => "delegate",
            Finding::UnknownItem { .. } => "activity",
            Finding::NotAnOutcome { .. } => "outcome",
            Finding::RefRequired { .. } => "ref",
        }
    }

    /// What is wrong, in the run's language.
    pub fn message(&self) -> String {
        match self {
            Finding::NotInYear { year, .. } => {
                crate::tr!("msg-check-not-in-year", year = year.to_string())
            }
            Finding::NotInRoster { .. } => crate::tr!("msg-check-not-in-roster"),
            Finding::NotInOffice {
                delegate,
                name,
                date,
                joined,
                left,
            } => crate::tr!(
                "msg-not-in-office",
                delegate = delegate,
                name = name,
                date = *date,
                term = term_text(*joined, *left)
            ),
            Finding::UnknownItem { .. } => crate::tr!("msg-check-unknown-item"),
            Finding::NotAnOutcome {
                item,
                outcome: None,
                expected,
            } => crate::tr!("msg-outcome-required", item = item, expected = expected),
            Finding::NotAnOutcome { item, expected, .. } => {
                crate::tr!("msg-outcome-unknown", item = item, expected = expected)
            }
            Finding::RefRequired { item } => crate::tr!("msg-ref-required", item = item),
        }
    }

    /// The value the record holds in [`Finding::column`] (empty for a missing cell).
    pub fn value(&self) -> String {
        match self {
            Finding::NotInYear { date, .. } => date.to_string(),
            Finding::NotInRoster { delegate } | Finding::NotInOffice { delegate, .. } => {
                delegate.clone()
            }
            Finding::UnknownItem { activity } => activity.clone(),
            Finding::NotAnOutcome { outcome, .. } => outcome.clone().unwrap_or_default(),
            Finding::RefRequired { .. } => String::new(),
        }
    }

    /// The finding located at line `line` of ledger file `file`.
    pub fn problem(&self, file: &str, line: u64) -> Problem {
        Problem::new(file, self.message())
            .line(line)
            .column(self.column())
            .value(self.value())
    }
}

/// A delegate's term of office, in words.
fn term_text(joined: Option<NaiveDate>, left: Option<NaiveDate>) -> String {
    match (joined, left) {
        (Some(j), Some(l)) => crate::tr!("term-in-office-from-to", from = j, to = l),
        (Some(j), None) => crate::tr!("term-joined", date = j),
        (None, Some(l)) => crate::tr!("term-left", date = l),
        (None, None) => crate::tr!("term-in-office"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::rules::{DEFAULT_RULES, parse_rules};

    fn roster() -> Roster {
        let d = |id: &str, left: Option<&str>| Delegate {
            id: id.into(),
            name: format!("name of {id}"),
            studio: "S".into(),
            sector: None,
            joined: None,
            left: left.map(|l| l.parse().expect("iso date")),
        };
        Roster::new(vec![d("D1", None), d("D2", Some("2025-06-30"))])
    }

    fn rules() -> Rules {
        parse_rules("d", DEFAULT_RULES).expect("rules")
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("iso date")
    }

    /// A record of `duty` by D1 on 2025-03-01, as `change` leaves it.
    fn findings(change: impl FnOnce(&mut Facts<'static>)) -> Vec<Finding> {
        let mut facts = Facts {
            date: date("2025-03-01"),
            delegate: "D1",
            activity: "duty",
            outcome: None,
            reference: None,
        };
        change(&mut facts);
        validate(facts, 2025, &rules(), &roster()).findings
    }

    #[test]
    fn a_clean_record_resolves_with_no_finding() {
        let rules = rules();
        let facts = Facts {
            date: date("2025-03-01"),
            delegate: "D2",
            activity: "petition_resolved",
            outcome: Some("Satisfied"),
            reference: Some("P1"),
        };
        let v = validate(facts, 2025, &rules, &roster());
        assert_eq!(v.findings, []);
        let item = rules.item_by_code("petition_resolved").expect("item");
        let unit = rules.items[item].unit_points(Some("satisfied"));
        assert_eq!(v.scorable(), Ok((1, item, unit.expect("points"))));
    }

    #[test]
    fn a_date_outside_the_cycle_is_not_in_year() {
        let found = findings(|f| f.date = date("2024-12-31"));
        assert_eq!(
            found,
            [Finding::NotInYear {
                year: 2025,
                date: date("2024-12-31")
            }]
        );
        assert!(found[0].stops_scoring());
        assert_eq!(found[0].column(), "date");
        assert_eq!(found[0].value(), "2024-12-31");
    }

    #[test]
    fn an_unknown_id_is_not_in_roster_and_stops_scoring() {
        let found = findings(|f| f.delegate = "D9");
        assert_eq!(
            found,
            [Finding::NotInRoster {
                delegate: "D9".into()
            }]
        );
        assert!(found[0].stops_scoring());
        assert_eq!(
            (found[0].column(), found[0].value()),
            ("delegate", "D9".into())
        );
    }

    #[test]
    fn a_date_after_leaving_is_not_in_office_and_still_scored() {
        let v = validate(
            Facts {
                date: date("2025-07-01"),
                delegate: "D2",
                activity: "duty",
                outcome: None,
                reference: None,
            },
            2025,
            &rules(),
            &roster(),
        );
        let [f] = v.findings.as_slice() else {
            panic!("one finding: {:?}", v.findings);
        };
        assert!(matches!(f, Finding::NotInOffice { delegate, .. } if delegate == "D2"));
        assert!(!f.stops_scoring());
        assert!(v.scorable().is_ok());
        assert_eq!(f.value(), "D2");
    }

    #[test]
    fn an_alias_or_name_is_not_an_item_code() {
        let found = findings(|f| f.activity = "Duty");
        assert_eq!(
            found,
            [Finding::UnknownItem {
                activity: "Duty".into()
            }]
        );
        assert!(found[0].stops_scoring());
    }

    #[test]
    fn a_missing_or_unknown_outcome_is_not_an_outcome() {
        for given in [None, Some("happy")] {
            let found = findings(|f| {
                f.activity = "petition_resolved";
                f.reference = Some("P1");
                f.outcome = given;
            });
            assert_eq!(
                found,
                [Finding::NotAnOutcome {
                    item: "petition_resolved".into(),
                    outcome: given.map(str::to_owned),
                    expected: "very_satisfied, satisfied, dissatisfied".into(),
                }]
            );
            assert!(found[0].stops_scoring());
            assert_eq!(found[0].value(), given.unwrap_or_default());
        }
        // An item scored per unit takes its outcome cell as written.
        assert_eq!(findings(|f| f.outcome = Some("happy")), []);
    }

    #[test]
    fn an_item_that_requires_a_ref_without_one_is_ref_required_and_still_scored() {
        let found = findings(|f| f.activity = "petition_agent");
        assert_eq!(
            found,
            [Finding::RefRequired {
                item: "petition_agent".into()
            }]
        );
        assert!(!found[0].stops_scoring());
        assert_eq!(
            (found[0].column(), found[0].value()),
            ("ref", String::new())
        );
    }

    #[test]
    fn every_finding_of_a_record_in_column_order() {
        let found = findings(|f| {
            f.date = date("2024-01-01");
            f.delegate = "D9";
            f.activity = "nothing";
        });
        let columns: Vec<&str> = found.iter().map(Finding::column).collect();
        assert_eq!(columns, ["date", "delegate", "activity"]);
        let v = validate(
            Facts {
                date: date("2025-03-01"),
                delegate: "D9",
                activity: "petition_resolved",
                outcome: None,
                reference: None,
            },
            2025,
            &rules(),
            &roster(),
        );
        let columns: Vec<&str> = v.findings.iter().map(Finding::column).collect();
        assert_eq!(columns, ["delegate", "outcome", "ref"]);
        assert_eq!(v.scorable().map_err(Finding::column), Err("delegate"));
    }

    #[test]
    fn a_finding_is_a_located_problem() {
        let found = findings(|f| f.delegate = "D9");
        assert_eq!(
            found[0].problem("2025.csv", 7).to_string(),
            "2025.csv:7: delegate: not in the roster (D9)"
        );
        let found = findings(|f| {
            f.activity = "petition_resolved";
            f.reference = Some("P1");
            f.outcome = Some("happy");
        });
        assert_eq!(
            found[0].problem("2025.csv", 8).to_string(),
            "2025.csv:8: outcome: not an outcome of petition_resolved, expected one of \
             very_satisfied, satisfied, dissatisfied (happy)"
        );
    }
}
