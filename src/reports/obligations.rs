//! Obligations (duties the rules set): owed and done per delegate, for `annual` (the whole
//! year) and `obligations` (the cycle so far).

use crate::domain::period::Month;
use crate::domain::rules::{Obligation, Per, Rules};
use crate::domain::{Delegate, Roster};
use crate::i18n::{Lang, in_lang};
use crate::output::{Column, Report, Section, Table, Value};
use crate::scoring::{DelegateYear, Scores};
use chrono::{Datelike, NaiveDate};

/// One obligation's standing for one delegate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub done: u32,
    pub required: u32,
    /// Zero-based months owed and not done (per-month obligations).
    pub missed_months: Vec<usize>,
    /// A per-year obligation not done yet while the cycle still runs.
    pub open: bool,
    /// Months still to come in the term this cycle (per-month obligations).
    pub months_left: u32,
}

impl Standing {
    pub fn met(&self) -> bool {
        self.done >= self.required
    }
    /// Periods owed and missed; a per-year obligation still open is not behind yet.
    pub fn behind(&self) -> u32 {
        if self.open {
            0
        } else {
            self.required.saturating_sub(self.done)
        }
    }

    pub fn text(&self) -> String {
        format!("{}/{}", self.done, self.required)
    }
}

/// The column name of an obligation: `duty_month`, `inspection_year`.
pub fn column_name(rules: &Rules, o: &Obligation) -> String {
    format!("{}_{}", rules.items[o.item].code, o.per.name())
}

/// The heading of an obligation's column: the item's name and its period.
pub fn column_header(rules: &Rules, o: &Obligation) -> String {
    crate::tr!(
        "col-obligation",
        item = rules.items[o.item].short_name(),
        per = o.per.label()
    )
}

/// A month is owed when it lies wholly inside the delegate's term.
pub fn owed(d: &Delegate, year: i32, month0: usize) -> bool {
    let m = Month::new(year, month0);
    d.joined.is_none_or(|j| j <= m.first_day()) && d.left.is_none_or(|l| l >= m.last_day())
}

/// Standing as of `as_of` in cycle `year`: months count once wholly elapsed (their last day
/// on or before `as_of`); a per-year obligation is owed by anyone in office in the cycle, and
/// counts as missed only once the cycle has ended.
pub fn standing(
    o: &Obligation,
    d: &Delegate,
    scored: &DelegateYear,
    year: i32,
    as_of: NaiveDate,
) -> Standing {
    match o.per {
        Per::Month | Per::Quarter => {
            let mut s = Standing {
                done: 0,
                required: 0,
                missed_months: Vec::new(),
                open: false,
                months_left: 0,
            };
            for m in 0..12 {
                if !owed(d, year, m) {
                    continue;
                }
                if Month::new(year, m).last_day() > as_of {
                    s.months_left += 1;
                    continue;
                }
                s.required += 1;
                if scored.units_in_month(o.item, m) >= o.at_least {
                    s.done += 1;
                } else {
                    s.missed_months.push(m);
                }
            }
            s
        }
        Per::Year => {
            let done = scored.item(o.item, 0..=11).units >= o.at_least;
            let cycle_over = as_of >= Month::new(year, 11).last_day();
            Standing {
                done: u32::from(done),
                required: 1,
                missed_months: Vec::new(),
                open: !done && !cycle_over,
                months_left: 0,
            }
        }
    }
}

/// The standings of each delegate in office on `as_of`, most behind first, then by id.
pub fn rows(
    rules: &Rules,
    roster: &Roster,
    scores: &Scores,
    as_of: NaiveDate,
) -> Vec<(usize, Vec<Standing>)> {
    let year = as_of.year();
    let mut rows: Vec<(usize, Vec<Standing>)> = (0..roster.delegates.len())
        .filter(|&d| roster.delegates[d].in_office_on(as_of))
        .map(|d| {
            let del = &roster.delegates[d];
            let s = rules
                .obligations
                .iter()
                .map(|o| standing(o, del, &scores.delegates[d], year, as_of))
                .collect();
            (d, s)
        })
        .collect();
    rows.sort_by(|a, b| {
        behind(&b.1)
            .cmp(&behind(&a.1))
            .then_with(|| roster.delegates[a.0].id.cmp(&roster.delegates[b.0].id))
    });
    rows
}

/// Periods owed and missed over all of a delegate's obligations.
pub fn behind(standings: &[Standing]) -> u32 {
    standings.iter().map(Standing::behind).sum()
}

/// The report of `obligations`: one row per delegate, each obligation done/required, the
/// months missed, and what is still possible this cycle.
pub fn report(
    rules: &Rules,
    roster: &Roster,
    rows: &[(usize, Vec<Standing>)],
    as_of: NaiveDate,
) -> Report {
    let mut table = Table::new("rows", columns(rules));
    let body = rows
        .iter()
        .map(|(d, standings)| row(rules, &roster.delegates[*d], standings, as_of.year()))
        .collect();
    table.sections.push(Section {
        title: None,
        rows: body,
    });
    let mut report = Report::new(crate::tr!(
        "title-obligations",
        as_of = crate::i18n::date(as_of)
    ));
    report.meta.push(("as_of".into(), Value::Date(as_of)));
    report.tables.push(table);
    report.summary.push((
        "delegates behind".into(),
        Value::Int(rows.iter().filter(|(_, s)| behind(s) > 0).count() as i64),
    ));
    report
}

fn columns(rules: &Rules) -> Vec<Column> {
    let mut columns = vec![
        Column::new("delegate"),
        Column::new("name"),
        // The first to go from a narrow terminal, then the missed months.
        Column::new("studio").folds(1),
    ];
    for o in &rules.obligations {
        let name = column_name(rules, o);
        let header = column_header(rules, o);
        columns.push(Column::titled(name.clone(), header.clone()));
        if o.per == Per::Month {
            columns.push(
                Column::titled(
                    format!("{name}_missed"),
                    crate::tr!("col-missed", obligation = header),
                )
                .folds(2),
            );
        }
    }
    columns.push(Column::new("behind"));
    columns.push(Column::new("still_possible"));
    columns
}

fn row(rules: &Rules, del: &Delegate, standings: &[Standing], year: i32) -> Vec<Value> {
    let mut row = vec![
        Value::text(&del.id),
        Value::text(&del.name),
        Value::text(&del.studio),
    ];
    for (o, s) in rules.obligations.iter().zip(standings) {
        row.push(Value::text(s.text()));
        if o.per == Per::Month {
            row.push(Value::text(missed_months(year, s)));
        }
    }
    row.push(Value::Int(i64::from(behind(standings))));
    // In English for csv and json, in the run's language for people.
    row.push(Value::Coded(
        still_possible(rules, standings, year, Lang::En),
        still_possible(rules, standings, year, crate::i18n::lang()),
    ));
    row
}

/// What each obligation still allows this cycle, in `lang`.
fn still_possible(rules: &Rules, standings: &[Standing], year: i32, lang: Lang) -> String {
    let mut possible = Vec::new();
    for (o, s) in rules.obligations.iter().zip(standings) {
        let item = &rules.items[o.item];
        let item = match lang {
            Lang::En => item.code.clone(),
            Lang::Zh => item.short_name_zh().to_owned(),
        };
        if s.months_left > 0 {
            possible.push(in_lang(
                lang,
                "possible-months",
                &[("item", item.into()), ("n", s.months_left.into())],
            ));
        } else if s.open {
            let until = match lang {
                Lang::En => Month::new(year, 11).last_day().to_string(),
                Lang::Zh => crate::i18n::date_in(Lang::Zh, Month::new(year, 11).last_day()),
            };
            possible.push(in_lang(
                lang,
                "possible-open",
                &[("item", item.into()), ("until", until.into())],
            ));
        }
    }
    possible.join("; ")
}

/// Missed months as `2025-03 2025-05`.
fn missed_months(year: i32, s: &Standing) -> String {
    let months: Vec<String> = s
        .missed_months
        .iter()
        .map(|m| Month::new(year, *m).to_string())
        .collect();
    months.join(" ")
}
