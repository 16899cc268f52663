//! Plain data: delegates, records, adjustments, petitions, evaluations, and periods.

pub mod keys;
pub use keys::Said;
pub mod period;
pub mod rules;
pub mod validate;
pub mod workdays;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use period::Period;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegate {
    pub id: String,
    pub name: String,
    pub studio: String,
    pub sector: Option<String>,
    pub joined: Option<NaiveDate>,
    pub left: Option<NaiveDate>,
}

impl Delegate {
    pub fn in_office_on(&self, day: NaiveDate) -> bool {
        self.joined.is_none_or(|j| j <= day) && self.left.is_none_or(|l| l >= day)
    }

    /// In office on at least one day of `from..=to`.
    pub fn in_office_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.joined.is_none_or(|j| j <= to) && self.left.is_none_or(|l| l >= from)
    }
}

/// The roster, with lookups by id and by unique name, and studios in first-appearance order.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub delegates: Vec<Delegate>,
    /// Looked up for every imported row: a fast hash, not SipHash.
    by_id: rustc_hash::FxHashMap<String, usize>,
    /// `None` when two delegates share the name.
    by_name: rustc_hash::FxHashMap<String, Option<usize>>,
    pub studios: Vec<String>,
    /// Sector offices (行业工作室) in first-appearance order; most delegates have none.
    pub sectors: Vec<String>,
}

/// How a record's `delegate` cell failed to name someone.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Unknown,
    AmbiguousName,
}

impl Roster {
    pub fn new(delegates: Vec<Delegate>) -> Roster {
        let mut r = Roster::default();
        for d in delegates {
            let i = r.delegates.len();
            r.by_id.entry(d.id.clone()).or_insert(i);
            r.by_name
                .entry(d.name.clone())
                .and_modify(|e| *e = None)
                .or_insert(Some(i));
            if !r.studios.contains(&d.studio) {
                r.studios.push(d.studio.clone());
            }
            if let Some(sector) = &d.sector
                && !r.sectors.contains(sector)
            {
                r.sectors.push(sector.clone());
            }
            r.delegates.push(d);
        }
        r
    }

    pub fn index_of_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// A delegate named by id, or by exact name when that name is unique, or as a template's
    /// drop-down list names them: the id, a space and the name (`D001 张三`).
    pub fn find(&self, text: &str) -> Result<usize, Lookup> {
        let t = text.trim();
        if let Some(&i) = self.by_id.get(t) {
            return Ok(i);
        }
        if let Some((id, name)) = t.split_once(char::is_whitespace)
            && let Some(&i) = self.by_id.get(id)
            && self.delegates[i].name == name.trim()
        {
            return Ok(i);
        }
        match self.by_name.get(t) {
            Some(Some(i)) => Ok(*i),
            Some(None) => Err(Lookup::AmbiguousName),
            None => Err(Lookup::Unknown),
        }
    }

    pub fn studio_index(&self, studio: &str) -> Option<usize> {
        self.studios.iter().position(|s| s == studio)
    }

    /// The index of a delegate's sector office; `None` for a delegate without one.
    pub fn sector_of(&self, d: usize) -> Option<usize> {
        let sector = self.delegates[d].sector.as_ref()?;
        self.sectors.iter().position(|s| s == sector)
    }
}

/// One activity record as the ledger holds it: normalised, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: Option<String>,
    pub date: NaiveDate,
    /// Roster id.
    pub delegate: String,
    /// Item code.
    pub activity: String,
    pub count: u64,
    /// Outcome id, for items scored by outcome (other items keep the cell as written).
    pub outcome: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Unknown columns of the source file, by header.
    pub extra: Vec<(String, String)>,
    pub source: String,
    pub source_line: u64,
    /// The line of the ledger file this record was read from (0 before it is in the ledger).
    pub ledger_line: u64,
    /// The re-import key: `id:<id>`, or a fingerprint with its occurrence number.
    pub key: String,
    /// Withdrawn from scoring by `tally void`: it stays in the ledger and earns nothing.
    pub void: Option<Void>,
}

/// Why and by whom a record was voided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Void {
    pub on: NaiveDate,
    pub by: String,
    pub reason: String,
}

/// Where a new record comes from and how it is known: with what it says ([`Said`]), all a
/// record not yet in the ledger is.
pub struct Arrival<'a> {
    pub id: Option<&'a str>,
    pub extra: Vec<(String, String)>,
    pub source: &'a str,
    pub source_line: u64,
    pub key: &'a str,
}

impl Record {
    /// A record not yet in the ledger: what it says and where it comes from.
    pub fn arriving(said: &Said, from: Arrival) -> Record {
        let own = |v: Option<&str>| v.map(str::to_owned);
        Record {
            id: own(from.id),
            date: said.date,
            delegate: said.delegate.to_owned(),
            activity: said.activity.to_owned(),
            count: said.count,
            outcome: own(said.outcome),
            reference: own(said.reference),
            note: own(said.note),
            extra: from.extra,
            source: from.source.to_owned(),
            source_line: from.source_line,
            ledger_line: 0,
            key: from.key.to_owned(),
            void: None,
        }
    }

    /// The fields that say what happened, for fingerprints and id-conflict checks.
    pub fn content(&self) -> String {
        keys::content(&Said {
            date: self.date,
            delegate: &self.delegate,
            activity: &self.activity,
            count: self.count,
            outcome: self.outcome.as_deref(),
            reference: self.reference.as_deref(),
            note: self.note.as_deref(),
        })
    }
}

/// A review-team correction (复核调整): signed points on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub id: Option<String>,
    pub date: NaiveDate,
    pub delegate: String,
    pub points: Decimal,
    pub reason: String,
    pub approved_by: Option<String>,
    pub source: String,
    pub source_line: u64,
}

/// One evaluator group's mark for a delegate in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub year: i32,
    pub delegate: String,
    /// Index into the rules' review groups.
    pub group: usize,
    pub score: Decimal,
    pub source_line: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Petition,
    Proposal,
    Motion,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_lowercase().as_str() {
            "petition" | "诉求" | "社情民意" => Some(Kind::Petition),
            "proposal" | "提议" => Some(Kind::Proposal),
            "motion" | "提案" => Some(Kind::Motion),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::Petition => "petition",
            Kind::Proposal => "proposal",
            Kind::Motion => "motion",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Satisfaction {
    VerySatisfied,
    Satisfied,
    Dissatisfied,
}

impl Satisfaction {
    pub fn parse(s: &str) -> Option<Satisfaction> {
        match s.trim().to_lowercase().as_str() {
            "very_satisfied" | "very satisfied" | "非常满意" => {
                Some(Satisfaction::VerySatisfied)
            }
            "satisfied" | "基本满意" | "满意" => Some(Satisfaction::Satisfied),
            "dissatisfied" | "不满意" => Some(Satisfaction::Dissatisfied),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "very_satisfied",
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Dissatisfied => "dissatisfied",
        }
    }
}

/// How a resident reached the delegate.
pub fn parse_channel(s: &str) -> Option<&'static str> {
    match s.trim().to_lowercase().as_str() {
        "visit" | "来访" => Some("visit"),
        "phone" | "电话" => Some("phone"),
        "online" | "网络" => Some("online"),
        "card" | "服务卡" => Some("card"),
        _ => None,
    }
}

/// One item of the petitions register (社情民意登记).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Petition {
    pub id: String,
    pub received: NaiveDate,
    pub delegate: String,
    pub channel: Option<String>,
    pub category: Option<String>,
    pub summary: Option<String>,
    pub department: Option<String>,
    pub forwarded: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub replied: Option<NaiveDate>,
    pub resolved: Option<NaiveDate>,
    pub satisfaction: Option<Satisfaction>,
    pub kind: Kind,
    /// Extensions and reopening (延期, 发回重办): optional register columns.
    pub followup: FollowUp,
    pub source_line: u64,
}

/// What the 12345 hotlines add to the register: an extension granted with a reason, and
/// the day an item resolved was sent back and reopened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUp {
    /// The new reply deadline (延期至); the item's due date becomes this.
    pub extended_to: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    /// Sent back after a dissatisfied resident (重办日期): open again from this day.
    pub reopened: Option<NaiveDate>,
}

/// A delegate's rating of a department for a year (代表评议部门), each mark 0–100.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub year: i32,
    pub department: String,
    /// Roster id.
    pub delegate: String,
    /// Attitude, efficiency, conduct, satisfaction, in that order.
    pub marks: [Decimal; 4],
    pub source_line: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegate_as_the_template_lists_them() {
        let r = Roster::new(vec![d("D01", "张伟"), d("D02", "Li Wei")]);
        assert_eq!(r.find("D01 张伟"), Ok(0));
        assert_eq!(r.find("D02 Li Wei"), Ok(1));
        assert_eq!(r.find("D01 王静"), Err(Lookup::Unknown));
    }

    fn d(id: &str, name: &str) -> Delegate {
        Delegate {
            id: id.into(),
            name: name.into(),
            studio: "S".into(),
            sector: None,
            joined: None,
            left: None,
        }
    }

    #[test]
    fn names_must_be_unique_to_be_used() {
        let r = Roster::new(vec![d("D1", "张伟"), d("D2", "张伟"), d("D3", "李娜")]);
        assert_eq!(r.find("D2"), Ok(1));
        assert_eq!(r.find("李娜"), Ok(2));
        assert_eq!(r.find("张伟"), Err(Lookup::AmbiguousName));
        assert_eq!(r.find("王五"), Err(Lookup::Unknown));
    }
}
