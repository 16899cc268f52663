//! Petition follow-up (SPEC §5 `petitions`, §10): what the office would have seen on the
//! as-of date — open items (stalled, extended, reopened), items due soon, overdue items,
//! one digest per recipient, and scorecards per department, delegate, studio or category
//! with the district's standards and the delegates' ratings of departments.

use crate::domain::rules::{Rules, Standards};
use crate::domain::workdays::due_date;
use crate::domain::{FollowUp, Kind, Petition, Rating, Roster, Satisfaction};
use crate::output::{Column, Report, Section, Table, Value};
use chrono::{Datelike, NaiveDate};
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
    /// Resolved as of the date; an item reopened after its resolution is open again.
    pub resolved: Option<NaiveDate>,
    pub satisfaction: Option<Satisfaction>,
    /// The deadline in force: `extended_to` when extended, else the original deadline.
    pub due: Option<NaiveDate>,
    /// The deadline before any extension: the register's `due`, else the rules' one.
    pub original_due: Option<NaiveDate>,
    /// Sent back (发回重办) on or before the as-of date.
    pub reopened: Option<NaiveDate>,
    /// Registered and not forwarded for more than `forward_within_days`.
    pub stalled: bool,
    pub as_of: NaiveDate,
}

impl Item<'_> {
    pub fn status(&self) -> &'static str {
        if self.resolved.is_some() {
            "resolved"
        } else if self.reopened.is_some() {
            "reopened"
        } else if self.replied.is_some() {
            "replied"
        } else if self.is_forwarded {
            "forwarded"
        } else {
            "registered"
        }
    }

    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }

    /// Days past the due date with no reply, for an item still open.
    pub fn days_overdue(&self) -> Option<i64> {
        let due = self.due?;
        (self.replied.is_none() && self.resolved.is_none() && self.as_of > due)
            .then(|| (self.as_of - due).num_days())
    }

    /// Days until the due date (0 = due today), for an open item not yet replied to.
    pub fn days_left(&self) -> Option<i64> {
        let due = self.due?;
        (self.replied.is_none() && self.resolved.is_none() && due >= self.as_of)
            .then(|| (due - self.as_of).num_days())
    }

    /// Open, not yet replied, due from the as-of date up to `horizon` (both included).
    pub fn due_soon(&self, horizon: NaiveDate) -> bool {
        self.days_left().is_some() && self.due.is_some_and(|d| d <= horizon)
    }

    pub fn extended(&self) -> bool {
        self.petition.followup.extended_to.is_some()
    }

    /// Replied by the deadline in force; a reopened item's handling no longer counts.
    pub fn replied_on_time(&self) -> bool {
        self.reopened.is_none() && matches!((self.replied, self.due), (Some(r), Some(d)) if r <= d)
    }

    /// Replied by the deadline as it was before any extension.
    pub fn replied_on_time_original(&self) -> bool {
        self.reopened.is_none()
            && matches!((self.replied, self.original_due), (Some(r), Some(d)) if r <= d)
    }

    /// Whether the resident counts as satisfied, for items rated: a reopened item counts
    /// as rated and not satisfied, whatever its register row says.
    pub fn satisfied(&self) -> Option<bool> {
        if self.reopened.is_some() {
            return Some(false);
        }
        self.satisfaction.map(|s| s != Satisfaction::Dissatisfied)
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
            let reopened = by(p.followup.reopened);
            // A resolution before the reopening is undone by it; one on or after it is the
            // item resolved again.
            let resolved = by(p.resolved).filter(|r| reopened.is_none_or(|o| *r >= o));
            let derived =
                forwarded.map(|f| due_date(f, &rules.petitions.reply_within, &rules.calendar));
            let original_due = p.due.or(derived);
            let days_open = (as_of - p.received).num_days();
            Item {
                petition: p,
                forwarded,
                is_forwarded,
                replied: by(p.replied),
                resolved,
                satisfaction: resolved.and(p.satisfaction),
                due: p.followup.extended_to.or(original_due),
                original_due,
                reopened,
                stalled: !is_forwarded
                    && resolved.is_none()
                    && days_open > i64::from(rules.petitions.forward_within_days),
                as_of,
            }
        })
        .collect()
}

/// The years in which a deadline counted in working days falls that the rules' calendar
/// lists no holidays for, each with the first item so counted (the due date is only
/// Monday–Friday there). Empty when the rules count calendar days.
pub fn uncovered_years(
    petitions: &[Petition],
    rules: &Rules,
) -> BTreeMap<i32, (String, NaiveDate)> {
    let mut out = BTreeMap::new();
    if !rules.petitions.reply_within.working_days() {
        return out;
    }
    for p in petitions {
        let (None, Some(f)) = (p.due, p.forwarded) else {
            continue;
        };
        let due = due_date(f, &rules.petitions.reply_within, &rules.calendar);
        if !rules.calendar.covers(due.year()) {
            out.entry(due.year()).or_insert_with(|| (p.id.clone(), due));
        }
    }
    out
}

/// The warning for a year the calendar does not cover, said once per year by `check` and
/// `petitions`.
pub fn uncovered_warning(rules: &str, year: i32, what: &str, day: NaiveDate) -> String {
    crate::tr!(
        "msg-calendar-uncovered",
        rules = rules,
        year = year.to_string(),
        what = what,
        day = day
    )
}

/// The last day of "the next `n` days" from `as_of`: working days when the rules count
/// working days, else calendar days.
pub fn horizon(as_of: NaiveDate, n: u32, rules: &Rules) -> NaiveDate {
    use crate::domain::rules::ReplyWithin;
    let within = if rules.petitions.reply_within.working_days() {
        ReplyWithin::WorkingDays(n)
    } else {
        ReplyWithin::CalendarDays(n)
    };
    due_date(as_of, &within, &rules.calendar)
}

/// The columns of every list of items (open, due soon, digests): SPEC §5's, then §10's.
fn item_columns() -> Vec<Column> {
    [
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
        "days_left",
        "stalled",
        "original_due",
        "extension_reason",
        "reopened",
    ]
    .into_iter()
    .map(|key| match fold_order(key) {
        Some(order) => Column::new(key).folds(order),
        None => Column::new(key),
    })
    .collect()
}

/// What a narrow terminal leaves out of a list of items, lowest first: who brought it and
/// when (the name stays), then §10's extra facts, the due date, the status. The id, name,
/// department, days and summary stay.
fn fold_order(key: &str) -> Option<u8> {
    match key {
        "kind" | "delegate" | "studio" | "received" => Some(1),
        "stalled" | "original_due" | "extension_reason" | "reopened" | "days_left" => Some(2),
        "due" => Some(3),
        "status" => Some(4),
        _ => None,
    }
}

fn item_row(i: &Item, roster: &Roster) -> Vec<Value> {
    let p = i.petition;
    let d = roster
        .index_of_id(&p.delegate)
        .map(|d| &roster.delegates[d]);
    vec![
        Value::text(&p.id),
        Value::term(p.kind.name()),
        Value::Date(p.received),
        Value::text(&p.delegate),
        Value::opt_text(d.map(|d| d.name.clone())),
        Value::opt_text(d.map(|d| d.studio.clone())),
        Value::opt_text(p.department.clone()),
        Value::term(i.status()),
        Value::date(i.due),
        Value::Int((i.as_of - p.received).num_days()),
        i.days_overdue().map_or(Value::Empty, Value::Int),
        Value::opt_text(p.summary.clone()),
        i.days_left().map_or(Value::Empty, Value::Int),
        if i.stalled {
            Value::term("yes")
        } else {
            Value::Empty
        },
        if i.extended() {
            Value::date(i.original_due)
        } else {
            Value::Empty
        },
        Value::opt_text(p.followup.extension_reason.clone()),
        Value::date(i.reopened),
    ]
}

/// Which of §10's columns a list adds to SPEC §5's twelve. The open list adds them only
/// when they have something to show, so that a register without stalled, extended or
/// reopened items lists exactly as before; the due-soon list and digests have them all.
#[derive(Debug, Clone, Copy)]
struct Extra {
    days_left: bool,
    stalled: bool,
    followup: bool,
}

const ALL: Extra = Extra {
    days_left: true,
    stalled: true,
    followup: true,
};

/// Whether any item uses the register's extension or reopening columns.
fn uses_followup<'a>(mut items: impl Iterator<Item = &'a Petition>) -> bool {
    items.any(|p| p.followup != FollowUp::default())
}

fn items_table(
    sections: Vec<(Option<String>, Vec<&Item>)>,
    roster: &Roster,
    extra: Extra,
) -> Table {
    let keep: Vec<bool> = (0..17)
        .map(|c| match c {
            12 => extra.days_left,
            13 => extra.stalled,
            14..=16 => extra.followup,
            _ => true,
        })
        .collect();
    let pick = |row: Vec<Value>| -> Vec<Value> {
        row.into_iter()
            .zip(&keep)
            .filter_map(|(v, k)| k.then_some(v))
            .collect()
    };
    let columns = item_columns()
        .into_iter()
        .zip(&keep)
        .filter_map(|(c, k)| k.then_some(c))
        .collect();
    let mut table = Table::new("rows", columns);
    for (title, items) in sections {
        let rows = items.iter().map(|i| pick(item_row(i, roster))).collect();
        table.sections.push(Section { title, rows });
    }
    table
}

/// Most overdue first, then by id.
fn by_overdue(a: &&Item, b: &&Item) -> std::cmp::Ordering {
    b.days_overdue()
        .unwrap_or(-1)
        .cmp(&a.days_overdue().unwrap_or(-1))
        .then_with(|| a.petition.id.cmp(&b.petition.id))
}

/// Most urgent first: the nearest due date, then by id; items with no due date last.
fn by_due(a: &&Item, b: &&Item) -> std::cmp::Ordering {
    (a.due.is_none(), a.due, &a.petition.id).cmp(&(b.due.is_none(), b.due, &b.petition.id))
}

fn as_of_meta(report: &mut Report, as_of: NaiveDate) {
    report.meta.push(("as_of".into(), Value::Date(as_of)));
}

/// Open items, most overdue first, then by id.
pub fn open_report(items: &[Item], roster: &Roster, as_of: NaiveDate) -> Report {
    let mut open: Vec<&Item> = items.iter().filter(|i| i.is_open()).collect();
    open.sort_by(by_overdue);
    let overdue = open.iter().filter(|i| i.days_overdue().is_some()).count();
    let stalled = open.iter().filter(|i| i.stalled).count();
    let n = open.len();
    let extra = Extra {
        days_left: false,
        stalled: stalled > 0,
        followup: uses_followup(open.iter().map(|i| i.petition)),
    };
    let mut report = Report::new(crate::tr!(
        "title-open-petitions",
        as_of = crate::i18n::date(as_of)
    ));
    as_of_meta(&mut report, as_of);
    report
        .tables
        .push(items_table(vec![(None, open)], roster, extra));
    report.summary.push(("open".into(), Value::Int(n as i64)));
    report
        .summary
        .push(("overdue".into(), Value::Int(overdue as i64)));
    if stalled > 0 {
        report
            .summary
            .push(("stalled".into(), Value::Int(stalled as i64)));
    }
    report
}

/// How "the next N days" was counted, for titles.
pub fn days_label(n: u32, rules: &Rules) -> String {
    if rules.petitions.reply_within.working_days() {
        crate::tr!("n-working-days", n = n)
    } else {
        crate::tr!("n-days", n = n)
    }
}

/// Open items not yet replied to whose due date falls from `as_of` to `horizon`, most
/// urgent first.
pub fn due_soon_report(
    items: &[Item],
    roster: &Roster,
    as_of: NaiveDate,
    horizon: NaiveDate,
    label: &str,
) -> Report {
    let mut soon: Vec<&Item> = items.iter().filter(|i| i.due_soon(horizon)).collect();
    soon.sort_by(by_due);
    let n = soon.len();
    let mut report = Report::new(crate::tr!(
        "title-due-soon",
        within = label,
        as_of = crate::i18n::date(as_of),
        by = crate::i18n::date(horizon)
    ));
    as_of_meta(&mut report, as_of);
    report.meta.push(("due_by".into(), Value::Date(horizon)));
    report
        .tables
        .push(items_table(vec![(None, soon)], roster, ALL));
    report
        .summary
        .push(("due_soon".into(), Value::Int(n as i64)));
    report
}

/// One digest per recipient that has any item as of the date (so that yesterday's file
/// of a department with nothing open is replaced by an empty list, never mailed again):
/// its overdue items, those due by `horizon`, and its other open items.
pub fn digests(
    items: &[Item],
    roster: &Roster,
    to: By,
    as_of: NaiveDate,
    horizon: NaiveDate,
    label: &str,
) -> Vec<(String, Report)> {
    groups(items, roster, to)
        .into_iter()
        .map(|((_, group), items)| {
            let report = digest(&group, &items, roster, to, as_of, horizon, label);
            (group, report)
        })
        .collect()
}

fn digest(
    group: &str,
    items: &[&Item],
    roster: &Roster,
    to: By,
    as_of: NaiveDate,
    horizon: NaiveDate,
    label: &str,
) -> Report {
    let open = items.iter().copied().filter(|i| i.is_open());
    let mut overdue: Vec<&Item> = open
        .clone()
        .filter(|i| i.days_overdue().is_some())
        .collect();
    overdue.sort_by(by_overdue);
    let mut soon: Vec<&Item> = open.clone().filter(|i| i.due_soon(horizon)).collect();
    soon.sort_by(by_due);
    let mut rest: Vec<&Item> = open
        .filter(|i| i.days_overdue().is_none() && !i.due_soon(horizon))
        .collect();
    rest.sort_by(by_due);
    let counts = [overdue.len(), soon.len(), rest.len()];
    let mut report = Report::new(crate::tr!(
        "title-digest",
        group = group,
        as_of = crate::i18n::date(as_of)
    ));
    as_of_meta(&mut report, as_of);
    report.meta.push((to.name().into(), Value::text(group)));
    report.meta.push(("due_by".into(), Value::Date(horizon)));
    report.tables.push(items_table(
        vec![
            (Some(crate::tr!("section-overdue")), overdue),
            (
                Some(crate::tr!(
                    "section-due-within",
                    within = label,
                    by = crate::i18n::date(horizon)
                )),
                soon,
            ),
            (Some(crate::tr!("section-other-open")), rest),
        ],
        roster,
        ALL,
    ));
    for (key, n) in ["overdue", "due_soon", "other_open"]
        .into_iter()
        .zip(counts)
    {
        report.summary.push((key.into(), Value::Int(n as i64)));
    }
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

/// One scorecard row's figures: SPEC §5's, then extensions, on time against the original
/// deadline, and reopened items.
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
    let rated: Vec<bool> = items.iter().filter_map(|i| i.satisfied()).collect();
    let satisfied = rated.iter().filter(|s| **s).count();
    let overdue = items.iter().filter(|i| i.days_overdue().is_some()).count();
    let extended = items.iter().filter(|i| i.extended()).count();
    let on_time_original = items
        .iter()
        .filter(|i| i.replied_on_time_original())
        .count();
    let reopened = items.iter().filter(|i| i.reopened.is_some()).count();
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
        // From here: only when the register uses extensions or reopening (see FOLLOWUP).
        Value::Int(extended as i64),
        Value::Int(on_time_original as i64),
        rate(on_time_original, received),
        Value::Int(reopened as i64),
    ]
}

/// The first of the four extension and reopening figures in a scorecard row.
const FOLLOWUP: usize = 12;

/// Where the scorecard's rates sit in a row (see `scorecard_row`).
const RECEIVED: usize = 1;
const ON_TIME_RATE: usize = 4;
const SATISFACTION_RATE: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Department,
    Delegate,
    Studio,
    Category,
}

impl By {
    pub fn name(self) -> &'static str {
        match self {
            By::Department => "department",
            By::Delegate => "delegate",
            By::Studio => "studio",
            By::Category => "category",
        }
    }
}

/// What a department scorecard adds: the standards to mark, and the delegates' ratings of
/// departments for the as-of year.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    pub standards: Option<&'a Standards>,
    pub ratings: Option<&'a [Rating]>,
}

fn groups<'a, 'b>(
    items: &'b [Item<'a>],
    roster: &Roster,
    by: By,
) -> BTreeMap<(usize, String), Vec<&'b Item<'a>>> {
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
    groups
}

/// The standards a scorecard row falls below, once it has `min_items` items; a rate with
/// nothing to measure (no rated item) is below nothing.
pub fn below(row: &[Value], standards: &Standards) -> Vec<&'static str> {
    let Value::Int(n) = row[RECEIVED] else {
        return Vec::new();
    };
    if n < i64::from(standards.min_items) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (name, at, min) in [
        ("on_time_rate", ON_TIME_RATE, standards.on_time_rate),
        (
            "satisfaction_rate",
            SATISFACTION_RATE,
            standards.satisfaction_rate,
        ),
    ] {
        if let (Some(min), Value::Rate(r)) = (min, &row[at])
            && *r < min
        {
            out.push(name);
        }
    }
    out
}

/// Departments below the district's standards: name and what each falls below, with the
/// department's figure.
pub fn departments_below(items: &[Item], roster: &Roster, standards: &Standards) -> Vec<String> {
    groups(items, roster, By::Department)
        .into_iter()
        .filter_map(|((_, key), items)| {
            let row = scorecard_row(key.clone(), &items);
            let found = below(&row, standards);
            (!found.is_empty()).then(|| {
                let what: Vec<String> = found
                    .iter()
                    .map(|name| {
                        let (at, min) = if *name == "on_time_rate" {
                            (ON_TIME_RATE, standards.on_time_rate)
                        } else {
                            (SATISFACTION_RATE, standards.satisfaction_rate)
                        };
                        let min = min.map_or(Value::Empty, Value::Rate);
                        format!("{name} {} < {}", row[at].human(), min.human())
                    })
                    .collect();
                format!("{key} ({})", what.join(", "))
            })
        })
        .collect()
}

/// The mean of each mark over the department's ratings of `year`, rounded to 2 places.
fn rating_cells(ratings: &[Rating], department: &str, year: i32) -> Vec<Value> {
    let mine: Vec<&Rating> = ratings
        .iter()
        .filter(|r| r.year == year && r.department == department)
        .collect();
    let mut cells = vec![Value::Int(mine.len() as i64)];
    for k in 0..4 {
        cells.push(if mine.is_empty() {
            Value::Empty
        } else {
            let sum: Decimal = mine.iter().map(|r| r.marks[k]).sum();
            Value::Num(
                (sum / Decimal::from(mine.len()))
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            )
        });
    }
    cells
}

/// A scorecard per group: for departments, the items forwarded to each.
pub fn scorecard_report(
    items: &[Item],
    roster: &Roster,
    by: By,
    as_of: NaiveDate,
    extras: Extras,
) -> Report {
    let mut groups = groups(items, roster, by);
    let department = by == By::Department;
    let standards = extras.standards.filter(|_| department);
    let ratings = extras.ratings.filter(|_| department);
    let year = as_of.year();
    if let Some(rs) = ratings {
        // A department the delegates rated has a row even with no item this year.
        for r in rs.iter().filter(|r| r.year == year) {
            groups.entry((0, r.department.clone())).or_default();
        }
    }
    let mut columns = vec![
        Column::new(by.name()),
        Column::titled("received", crate::tr!("col-received-count")),
        Column::new("replied"),
        Column::new("replied_on_time"),
        Column::new("reply_rate_on_time"),
        Column::new("median_days_to_reply"),
        Column::new("resolved"),
        Column::new("resolved_share"),
        Column::new("median_days_to_resolve"),
        Column::new("rated"),
        Column::new("satisfaction_rate"),
        Column::new("overdue"),
    ];
    let followup = uses_followup(items.iter().map(|i| i.petition));
    if followup {
        columns.extend([
            Column::new("extended"),
            Column::new("replied_on_time_original"),
            Column::new("reply_rate_on_time_original"),
            Column::new("reopened"),
        ]);
    }
    let stalled_column = matches!(by, By::Studio | By::Delegate);
    if stalled_column {
        columns.push(Column::new("stalled"));
    }
    if standards.is_some() {
        columns.push(Column::new("below_standard"));
    }
    if ratings.is_some() {
        columns.push(Column::titled(
            "ratings",
            crate::tr!("col-ratings", year = year.to_string()),
        ));
        for key in [
            "rating_attitude",
            "rating_efficiency",
            "rating_conduct",
            "rating_satisfaction",
        ] {
            columns.push(Column::new(key));
        }
    }
    let mut table = Table::new("rows", columns);
    table.chart = Some((0, 1));
    let mut below_count = 0;
    let rows = groups
        .into_iter()
        .map(|((_, key), items)| {
            let base = scorecard_row(key.clone(), &items);
            let mut row = base.clone();
            if !followup {
                row.truncate(FOLLOWUP);
            }
            if stalled_column {
                let stalled = items.iter().filter(|i| i.stalled).count();
                row.push(Value::Int(stalled as i64));
            }
            if let Some(st) = standards {
                let found = below(&base, st);
                if !found.is_empty() {
                    below_count += 1;
                }
                row.push(if found.is_empty() {
                    Value::Empty
                } else {
                    Value::text(found.join(" "))
                });
            }
            if let Some(rs) = ratings {
                row.extend(rating_cells(rs, &key, year));
            }
            row
        })
        .collect();
    table.sections.push(Section { title: None, rows });
    let mut report = Report::new(crate::tr!(
        "title-scorecard",
        by = crate::output::label("col", by.name()),
        as_of = crate::i18n::date(as_of)
    ));
    as_of_meta(&mut report, as_of);
    report.meta.push((
        "by".into(),
        Value::Coded(by.name().into(), crate::output::label("col", by.name())),
    ));
    if let Some(st) = standards {
        let show = |d: Option<Decimal>| d.map_or(Value::Empty, Value::Rate);
        report
            .meta
            .push(("standard_on_time_rate".into(), show(st.on_time_rate)));
        report.meta.push((
            "standard_satisfaction_rate".into(),
            show(st.satisfaction_rate),
        ));
        report.meta.push((
            "standard_min_items".into(),
            Value::Int(i64::from(st.min_items)),
        ));
        report
            .summary
            .push(("below_standard".into(), Value::Int(below_count)));
    }
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
