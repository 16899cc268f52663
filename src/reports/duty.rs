//! The delegate's annual duty report (履职报告, issue 12 part 5, `tally report`): one page
//! per delegate — term, points by category per quarter with rank in the studio, a month
//! grid of obligations, petitions taken up, adjustments, evaluation marks, composite and
//! grade. Each figure is taken from the rows `quarter`, `annual`, `obligations` and
//! `petitions` build; nothing is computed here that they do not compute.

use super::annual::{AnnualRow, round2};
use super::obligations::{column_header, column_name, owed};
use super::petitions::Item;
use super::quarter::QuarterRow;
use crate::domain::period::Month;
use crate::domain::rules::{Per, Rules};
use crate::domain::{Adjustment, Period, Roster};
use crate::output::{Column, Report, Section, Table, Value};
use crate::scoring::Scores;
use chrono::NaiveDate;

pub struct Duty<'a> {
    pub rules: &'a Rules,
    pub roster: &'a Roster,
    pub scores: &'a Scores,
    pub delegate: usize,
    pub year: i32,
    /// The delegate's row of each quarter begun, as `quarter` ranks it.
    pub quarters: Vec<(Period, Option<QuarterRow>)>,
    pub annual: Option<&'a AnnualRow>,
    /// Months, obligations and petitions stand as of this day (year end, or today).
    pub as_of: NaiveDate,
    pub items: Vec<&'a Item<'a>>,
    pub adjustments: Vec<&'a Adjustment>,
}

pub fn report(d: &Duty) -> Report {
    let del = &d.roster.delegates[d.delegate];
    let mut report = Report::new(crate::tr!(
        "title-duty",
        year = d.year.to_string(),
        delegate = del.id.as_str(),
        name = del.name.as_str()
    ));
    let meta = &mut report.meta;
    meta.push(("year".into(), Value::Int(d.year.into())));
    meta.push(("delegate".into(), Value::text(&del.id)));
    meta.push(("name".into(), Value::text(&del.name)));
    meta.push(("studio".into(), Value::text(&del.studio)));
    meta.push(("sector".into(), Value::opt_text(del.sector.clone())));
    meta.push(("term".into(), Value::text(term(d))));
    meta.push(("as_of".into(), Value::Date(d.as_of)));
    report.tables.push(quarters_table(d));
    report.tables.push(months_table(d));
    report.tables.push(petitions_table(d));
    report.tables.push(adjustments_table(d));
    report.tables.push(review_table(d));
    report.trend = d
        .quarters
        .iter()
        .filter_map(|(p, r)| r.as_ref().map(|r| (p.to_string(), r.points_total)))
        .collect();
    report
}

/// The term within the year: from joining (or the year's start) to leaving (or its end).
fn term(d: &Duty) -> String {
    let del = &d.roster.delegates[d.delegate];
    let year = Period::Year(d.year);
    let from = del
        .joined
        .map_or(year.first_day(), |j| j.max(year.first_day()));
    let to = del.left.map_or(year.last_day(), |l| l.min(year.last_day()));
    crate::tr!(
        "term-span",
        from = crate::i18n::date(from),
        to = crate::i18n::date(to)
    )
}

fn quarters_table(d: &Duty) -> Table {
    let mut columns = vec![
        Column::new("quarter"),
        Column::titled("points_quarter", crate::tr!("col-points-in-quarter")),
    ];
    columns.extend(
        d.rules
            .categories
            .iter()
            .map(|c| Column::titled(c.id.clone(), c.name.clone())),
    );
    columns.push(Column::new("adjustments"));
    columns.push(Column::new("points_total"));
    columns.push(Column::new("rank"));
    columns.push(Column::new("rank_change"));
    let mut t = Table::new("quarters", columns);
    t.title = Some(crate::tr!("table-points-by-quarter"));
    let scored = &d.scores.delegates[d.delegate];
    let rows = d
        .quarters
        .iter()
        .map(|(p, r)| {
            let months = p.months();
            let mut row = vec![Value::Coded(p.to_string(), p.human())];
            match r {
                None => row.extend(std::iter::repeat_n(
                    Value::Empty,
                    d.rules.categories.len() + 5,
                )),
                Some(r) => {
                    row.push(Value::Num(r.points_quarter));
                    row.extend(
                        (0..d.rules.categories.len())
                            .map(|c| Value::Num(scored.category(c, months.clone()))),
                    );
                    row.push(Value::Num(scored.adjustments(months)));
                    row.push(Value::Num(r.points_total));
                    row.push(Value::Int(r.rank as i64));
                    row.push(r.rank_change.map_or(Value::Empty, Value::Int));
                }
            }
            row
        })
        .collect();
    t.sections.push(Section { title: None, rows });
    t
}

/// One row per month: for each per-month obligation, done, missed, not in office, or
/// empty for a month not yet over; and the units counted.
fn months_table(d: &Duty) -> Table {
    let del = &d.roster.delegates[d.delegate];
    let monthly: Vec<_> = d
        .rules
        .obligations
        .iter()
        .filter(|o| o.per != Per::Year)
        .collect();
    // People read the month alone (the year is in the title): twelve narrow columns across
    // the page keep the report on one A4 sheet. Scripts keep `month` as 2025-01.
    let mut columns = vec![
        Column::new("month").machine_only(),
        Column {
            people_only: true,
            ..Column::titled("month_number", crate::output::label("col", "month"))
        },
    ];
    for o in &monthly {
        let name = column_name(d.rules, o);
        columns.push(Column::titled(name.clone(), column_header(d.rules, o)));
        columns.push(Column::titled(
            format!("{name}_count"),
            crate::tr!("col-count"),
        ));
    }
    let mut t = Table::new("months", columns);
    t.title = Some(crate::tr!("table-months"));
    t.print.across = true;
    let scored = &d.scores.delegates[d.delegate];
    let rows = (0..12)
        .map(|m| {
            let mut row = vec![
                Value::text(Month::new(d.year, m).to_string()),
                Value::text(format!("{:02}", Month::new(d.year, m).number())),
            ];
            for o in &monthly {
                let units = scored.units_in_month(o.item, m);
                let status = if !owed(del, d.year, m) {
                    "not in office"
                } else if Month::new(d.year, m).last_day() > d.as_of {
                    ""
                } else if units >= o.at_least {
                    "done"
                } else {
                    "missed"
                };
                row.push(if status.is_empty() {
                    Value::Empty
                } else {
                    Value::term(status)
                });
                row.push(Value::Int(units as i64));
            }
            row
        })
        .collect();
    t.sections.push(Section { title: None, rows });
    t
}

fn petitions_table(d: &Duty) -> Table {
    let columns = vec![
        Column::new("id"),
        Column::new("received"),
        Column::new("kind"),
        Column::new("category"),
        Column::new("summary"),
        Column::new("department"),
        Column::new("status"),
        Column::new("days"),
        Column::new("days_overdue"),
    ];
    let mut t = Table::new("petitions", columns);
    t.title = Some(crate::tr!("table-petitions-taken-up"));
    let rows = d
        .items
        .iter()
        .map(|i| {
            let p = i.petition;
            // Days to resolve once resolved, else days open so far (both from `received`).
            let days = (i.resolved.unwrap_or(i.as_of) - p.received).num_days();
            vec![
                Value::text(&p.id),
                Value::Date(p.received),
                Value::term(p.kind.name()),
                Value::opt_text(p.category.clone()),
                Value::opt_text(p.summary.clone()),
                Value::opt_text(p.department.clone()),
                Value::term(i.status()),
                Value::Int(days),
                i.days_overdue().map_or(Value::Empty, Value::Int),
            ]
        })
        .collect();
    t.sections.push(Section { title: None, rows });
    t
}

fn adjustments_table(d: &Duty) -> Table {
    let columns = vec![
        Column::new("date"),
        Column::new("id"),
        Column::new("points"),
        Column::new("reason"),
        Column::new("approved_by"),
    ];
    super::explain::adjustments(
        &d.adjustments,
        columns,
        &crate::tr!("table-adjustments"),
        false,
    )
}

/// The annual review as `annual` computes it: total, obligations, marks, composite, grade.
fn review_table(d: &Duty) -> Table {
    let mut t = Table::new(
        "review",
        vec![
            Column::titled("key", crate::output::label("col", "item")),
            Column::new("value"),
        ],
    );
    t.title = Some(crate::tr!("table-annual-review"));
    t.print.runs = 4;
    let opt = |v: Option<rust_decimal::Decimal>| v.map_or(Value::Empty, Value::Num);
    let mut rows: Vec<Vec<Value>> = Vec::new();
    if let Some(a) = d.annual {
        rows.push(vec![Value::key("points_total"), Value::Num(a.points_total)]);
        for (o, s) in d.rules.obligations.iter().zip(&a.obligations) {
            rows.push(vec![
                Value::Coded(column_name(d.rules, o), column_header(d.rules, o)),
                Value::text(s.text()),
            ]);
        }
        let met = if a.obligations_met() { "yes" } else { "no" };
        rows.push(vec![Value::key("obligations_met"), Value::term(met)]);
        for ((g, _), m) in d.rules.review.groups.iter().zip(&a.marks) {
            let name = crate::tr!("col-marks", group = d.rules.review.group_name(g));
            rows.push(vec![Value::Coded(g.clone(), name), opt(*m)]);
        }
        rows.push(vec![
            Value::key("evaluation"),
            opt(a.evaluation.map(round2)),
        ]);
        rows.push(vec![Value::key("composite"), opt(a.composite)]);
        rows.push(vec![Value::key("grade"), Value::opt_text(a.grade.clone())]);
        rows.push(vec![
            Value::key("rank"),
            a.rank.map_or(Value::Empty, |r| Value::Int(r as i64)),
        ]);
    }
    t.sections.push(Section { title: None, rows });
    t
}
