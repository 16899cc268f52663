//! The delegate's annual duty report (履职报告, issue 12 part 5, `tally report`): one page
//! per delegate — term, points by category per quarter with rank in the studio, a month
//! grid of obligations, petitions taken up, adjustments, evaluation marks, composite and
//! grade. Each figure is taken from the rows `quarter`, `annual`, `obligations` and
//! `petitions` build; nothing is computed here that they do not compute.

use super::annual::{AnnualRow, round2};
use super::obligations::{column_name, owed};
use super::petitions::Item;
use super::quarter::QuarterRow;
use crate::domain::period::month_end;
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
    let mut report = Report::new(format!(
        "履职报告 Duty report {} — {} {}",
        d.year, del.id, del.name
    ));
    let meta = &mut report.meta;
    meta.push(("year".into(), Value::Int(d.year.into())));
    meta.push(("delegate".into(), Value::text(&del.id)));
    meta.push(("name".into(), Value::text(&del.name)));
    meta.push(("studio".into(), Value::text(&del.studio)));
    meta.push(("sector".into(), Value::opt_text(del.sector.clone())));
    meta.push(("term".into(), Value::text(term(d))));
    meta.push(("as_of".into(), Value::text(d.as_of.to_string())));
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
    format!("{from} – {to}")
}

fn quarters_table(d: &Duty) -> Table {
    let mut columns = vec![
        Column::titled("quarter", "季度 quarter"),
        Column::titled("points_quarter", "本季 points"),
    ];
    columns.extend(
        d.rules
            .categories
            .iter()
            .map(|c| Column::titled(c.id.clone(), c.name.clone())),
    );
    columns.push(Column::titled("adjustments", "复核调整 adj."));
    columns.push(Column::titled("points_total", "累计 total"));
    columns.push(Column::titled("rank", "工作室排名 rank"));
    columns.push(Column::titled("rank_change", "± rank"));
    let mut t = Table::new("quarters", columns);
    t.title = Some("积分 Points by quarter".into());
    let scored = &d.scores.delegates[d.delegate];
    let rows = d
        .quarters
        .iter()
        .map(|(p, r)| {
            let months = (p.first_month() as usize - 1)..=(p.last_month() as usize - 1);
            let mut row = vec![Value::text(p.to_string())];
            match r {
                None => row.extend(std::iter::repeat_n(
                    Value::Empty,
                    d.rules.categories.len() + 5,
                )),
                Some(r) => {
                    row.push(Value::Num(r.points_quarter));
                    row.extend(
                        (0..d.rules.categories.len())
                            .map(|c| Value::Num(scored.category(d.rules, c, months.clone()))),
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
        Column::titled("month", "月份 month").machine_only(),
        Column {
            people_only: true,
            ..Column::titled("month_number", "月份 month")
        },
    ];
    for o in &monthly {
        let name = column_name(d.rules, o);
        columns.push(Column::new(name.clone()));
        columns.push(Column::titled(format!("{name}_count"), "次数 count"));
    }
    let mut t = Table::new("months", columns);
    t.title = Some("履职义务 Obligations by month".into());
    t.print.across = true;
    let scored = &d.scores.delegates[d.delegate];
    let rows = (0..12)
        .map(|m| {
            let mut row = vec![
                Value::text(format!("{}-{:02}", d.year, m + 1)),
                Value::text(format!("{:02}", m + 1)),
            ];
            for o in &monthly {
                let units = scored.units_in_month(o.item, m);
                let status = if !owed(del, d.year, m) {
                    "not in office"
                } else if month_end(d.year, m as u32 + 1) > d.as_of {
                    ""
                } else if units >= o.at_least {
                    "done"
                } else {
                    "missed"
                };
                row.push(Value::text(status));
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
        Column::titled("id", "编号 id"),
        Column::titled("received", "登记 received"),
        Column::titled("kind", "类型 kind"),
        Column::titled("category", "类别 category"),
        Column::titled("summary", "摘要 summary"),
        Column::titled("department", "承办单位 department"),
        Column::titled("status", "状态 status"),
        Column::titled("days", "天数 days"),
        Column::titled("days_overdue", "超期 overdue"),
    ];
    let mut t = Table::new("petitions", columns);
    t.title = Some("社情民意 Petitions taken up".into());
    let rows = d
        .items
        .iter()
        .map(|i| {
            let p = i.petition;
            // Days to resolve once resolved, else days open so far (both from `received`).
            let days = (i.resolved.unwrap_or(i.as_of) - p.received).num_days();
            vec![
                Value::text(&p.id),
                Value::text(p.received.to_string()),
                Value::text(p.kind.name()),
                Value::opt_text(p.category.clone()),
                Value::opt_text(p.summary.clone()),
                Value::opt_text(p.department.clone()),
                Value::text(i.status()),
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
        Column::titled("date", "日期 date"),
        Column::titled("id", "编号 id"),
        Column::titled("points", "积分 points"),
        Column::titled("reason", "理由 reason"),
        Column::titled("approved_by", "审核 approved by"),
    ];
    super::explain::adjustments(&d.adjustments, columns, "复核调整 Adjustments", false)
}

/// The annual review as `annual` computes it: total, obligations, marks, composite, grade.
fn review_table(d: &Duty) -> Table {
    let mut t = Table::new(
        "review",
        vec![
            Column::titled("key", "项目 item"),
            Column::titled("value", "结果 value"),
        ],
    );
    t.title = Some("年终评议 Annual review".into());
    t.print.runs = 4;
    let opt = |v: Option<rust_decimal::Decimal>| v.map_or(Value::Empty, Value::Num);
    let mut rows: Vec<Vec<Value>> = Vec::new();
    if let Some(a) = d.annual {
        rows.push(vec![
            Value::text("points_total"),
            Value::Num(a.points_total),
        ]);
        for (o, s) in d.rules.obligations.iter().zip(&a.obligations) {
            rows.push(vec![
                Value::text(column_name(d.rules, o)),
                Value::text(s.text()),
            ]);
        }
        let met = if a.obligations_met() { "yes" } else { "no" };
        rows.push(vec![Value::text("obligations_met"), Value::text(met)]);
        for ((g, _), m) in d.rules.review.groups.iter().zip(&a.marks) {
            rows.push(vec![Value::text(g), opt(*m)]);
        }
        rows.push(vec![
            Value::text("evaluation"),
            opt(a.evaluation.map(round2)),
        ]);
        rows.push(vec![Value::text("composite"), opt(a.composite)]);
        rows.push(vec![Value::text("grade"), Value::opt_text(a.grade.clone())]);
        rows.push(vec![
            Value::text("rank"),
            a.rank.map_or(Value::Empty, |r| Value::Int(r as i64)),
        ]);
    }
    t.sections.push(Section { title: None, rows });
    t
}
