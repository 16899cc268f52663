//! Petition follow-up (SPEC §5 `petitions`): what the office would have seen on the as-of
//! date — open items, overdue items, and scorecards per department, delegate, studio or
//! category.

use crate::domain::rules::Rules;
use crate::domain::workdays::due_date;
use crate::domain::{Kind, Petition, Roster, Satisfaction};
use crate::output::{Column, Report, Section, Table, Value};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// An item as of a date: events after it have not happened yet.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub petition: &'a Petition,
    pub forwarded: Option<NaiveDate>,
    /// Forwarded as of the date: a forwarding date on or before it, or a department named
    /// with no forwarding date at all.
    pub is_forwarded: bool,
    pub replied: Option<NaiveDate>,
    pub resolved: Option<NaiveDate>,
    pub satisfaction: Option<Satisfaction>,
    pub due: Option<NaiveDate>,
    pub as_of: NaiveDate,
}

impl Item<'_> {
    pub fn status(&self) -> &'static str {
        if self.resolved.is_some() {
            "resolved"
        } else if self.replied.is_some() {
            "replied"
        } else if self.is_forwarded {
            "forwarded"
        } else {
            "registered"
        }
    }

    /// Days past the due date with no reply, for an item still open.
    pub fn days_overdue(&self) -> Option<i64> {
        let due = self.due?;
        (self.replied.is_none() && self.resolved.is_none() && self.as_of > due)
            .then(|| (self.as_of - due).num_days())
    }

    pub fn replied_on_time(&self) -> bool {
        matches!((self.replied, self.due), (Some(r), Some(d)) if r <= d)
    }
}

/// The register as of `as_of`, of one kind or all.
pub fn as_of<'a>(
    petitions: &'a [Petition],
    rules: &Rules,
    as_of: NaiveDate,
    kind: Option<Kind>,
) -> Vec<Item<'a>> {
    let by = |d: Option<NaiveDate>| d.filter(|d| *d <= as_of);
    petitions
        .iter()
        .filter(|p| p.received <= as_of && kind.is_none_or(|k| p.kind == k))
        .map(|p| {
            let forwarded = by(p.forwarded);
            let is_forwarded =
                forwarded.is_some() || (p.forwarded.is_none() && p.department.is_some());
            let resolved = by(p.resolved);
            let derived =
                forwarded.map(|f| due_date(f, &rules.petitions.reply_within, &rules.calendar));
            Item {
                petition: p,
                forwarded,
                is_forwarded,
                replied: by(p.replied),
                resolved,
                satisfaction: resolved.and(p.satisfaction),
                due: p.due.or(derived),
                as_of,
            }
        })
        .collect()
}

/// Open items, most overdue first, then by id.
pub fn open_report(items: &[Item], roster: &Roster, as_of: NaiveDate) -> Report {
    let mut open: Vec<&Item> = items.iter().filter(|i| i.resolved.is_none()).collect();
    open.sort_by(|a, b| {
        b.days_overdue()
            .unwrap_or(-1)
            .cmp(&a.days_overdue().unwrap_or(-1))
            .then_with(|| a.petition.id.cmp(&b.petition.id))
    });
    let columns = [
        "id",
        "kind",
        "received",
        "delegate",
        "name",
        "studio",
        "department",
        "status",
        "due",
        "days_open",
        "days_overdue",
        "summary",
    ]
    .into_iter()
    .map(Column::new)
    .collect();
    let mut table = Table::new("rows", columns);
    let rows = open
        .iter()
        .map(|i| {
            let p = i.petition;
            let d = roster
                .index_of_id(&p.delegate)
                .map(|d| &roster.delegates[d]);
            vec![
                Value::text(&p.id),
                Value::text(p.kind.name()),
                Value::text(p.received.to_string()),
                Value::text(&p.delegate),
                Value::opt_text(d.map(|d| d.name.clone())),
                Value::opt_text(d.map(|d| d.studio.clone())),
                Value::opt_text(p.department.clone()),
                Value::text(i.status()),
                Value::date(i.due),
                Value::Int((as_of - p.received).num_days()),
                i.days_overdue().map_or(Value::Empty, Value::Int),
                Value::opt_text(p.summary.clone()),
            ]
        })
        .collect();
    table.sections.push(Section { title: None, rows });
    let overdue = open.iter().filter(|i| i.days_overdue().is_some()).count();
    let mut report = Report::new(format!("Open petitions as of {as_of}"));
    report
        .meta
        .push(("as_of".into(), Value::text(as_of.to_string())));
    report.tables.push(table);
    report
        .summary
        .push(("open".into(), Value::Int(open.len() as i64)));
    report
        .summary
        .push(("overdue".into(), Value::Int(overdue as i64)));
    report
}

/// The median of whole days; the mean of the two middle values for an even count.
pub fn median(mut values: Vec<i64>) -> Option<Decimal> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    let m = if n % 2 == 1 {
        Decimal::from(values[n / 2])
    } else {
        (Decimal::from(values[n / 2 - 1]) + Decimal::from(values[n / 2])) / Decimal::TWO
    };
    Some(m)
}

/// `part / whole` rounded to 4 places, none when `whole` is 0.
pub fn rate(part: usize, whole: usize) -> Value {
    if whole == 0 {
        return Value::Empty;
    }
    let r = Decimal::from(part) / Decimal::from(whole);
    Value::Rate(r.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero))
}

/// One scorecard row's figures.
fn scorecard_row(key: String, items: &[&Item]) -> Vec<Value> {
    let received = items.len();
    let replied: Vec<&&Item> = items.iter().filter(|i| i.replied.is_some()).collect();
    let on_time = items.iter().filter(|i| i.replied_on_time()).count();
    let to_reply = replied
        .iter()
        .filter_map(|i| Some((i.replied? - i.forwarded?).num_days()))
        .collect();
    let resolved: Vec<&&Item> = items.iter().filter(|i| i.resolved.is_some()).collect();
    let to_resolve = resolved
        .iter()
        .filter_map(|i| Some((i.resolved? - i.petition.received).num_days()))
        .collect();
    let rated: Vec<Satisfaction> = resolved.iter().filter_map(|i| i.satisfaction).collect();
    let satisfied = rated
        .iter()
        .filter(|s| **s != Satisfaction::Dissatisfied)
        .count();
    let overdue = items.iter().filter(|i| i.days_overdue().is_some()).count();
    let num = |d: Option<Decimal>| d.map_or(Value::Empty, Value::Num);
    vec![
        Value::text(key),
        Value::Int(received as i64),
        Value::Int(replied.len() as i64),
        Value::Int(on_time as i64),
        rate(on_time, received),
        num(median(to_reply)),
        Value::Int(resolved.len() as i64),
        rate(resolved.len(), received),
        num(median(to_resolve)),
        Value::Int(rated.len() as i64),
        rate(satisfied, rated.len()),
        Value::Int(overdue as i64),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Department,
    Delegate,
    Studio,
    Category,
}

impl By {
    fn name(self) -> &'static str {
        match self {
            By::Department => "department",
            By::Delegate => "delegate",
            By::Studio => "studio",
            By::Category => "category",
        }
    }
}

/// A scorecard per group: for departments, the items forwarded to each.
pub fn scorecard_report(items: &[Item], roster: &Roster, by: By, as_of: NaiveDate) -> Report {
    let mut groups: BTreeMap<(usize, String), Vec<&Item>> = BTreeMap::new();
    for i in items {
        let p = i.petition;
        let delegate = roster.index_of_id(&p.delegate);
        let key = match by {
            By::Department => match (&p.department, i.is_forwarded) {
                (Some(d), true) => (0, d.clone()),
                _ => continue,
            },
            By::Delegate => (delegate.unwrap_or(usize::MAX), p.delegate.clone()),
            By::Studio => {
                let studio = delegate
                    .map(|d| roster.delegates[d].studio.clone())
                    .unwrap_or_default();
                (roster.studio_index(&studio).unwrap_or(usize::MAX), studio)
            }
            By::Category => (0, p.category.clone().unwrap_or_default()),
        };
        groups.entry(key).or_default().push(i);
    }
    let columns = vec![
        Column::new(by.name()),
        Column::new("received"),
        Column::new("replied"),
        Column::titled("replied_on_time", "on time"),
        Column::titled("reply_rate_on_time", "on-time rate"),
        Column::titled("median_days_to_reply", "median days to reply"),
        Column::new("resolved"),
        Column::titled("resolved_share", "resolved %"),
        Column::titled("median_days_to_resolve", "median days to resolve"),
        Column::new("rated"),
        Column::titled("satisfaction_rate", "satisfied %"),
        Column::new("overdue"),
    ];
    let mut table = Table::new("rows", columns);
    table.chart = Some((0, 1));
    let rows = groups
        .into_iter()
        .map(|((_, key), items)| scorecard_row(key, &items))
        .collect();
    table.sections.push(Section { title: None, rows });
    let mut report = Report::new(format!("Petitions by {} as of {as_of}", by.name()));
    report
        .meta
        .push(("as_of".into(), Value::text(as_of.to_string())));
    report.meta.push(("by".into(), Value::text(by.name())));
    report.tables.push(table);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5]), Some(Decimal::from(5)));
        assert_eq!(median(vec![20, 17]), Decimal::from_str_exact("18.5").ok());
        assert_eq!(median(vec![9, 1, 4]), Some(Decimal::from(4)));
    }

    #[test]
    fn rates_round_to_four_places() {
        assert_eq!(rate(1, 3).plain(), "0.3333");
        assert_eq!(rate(1, 2).plain(), "0.5");
        assert_eq!(rate(0, 0), Value::Empty);
    }
}
