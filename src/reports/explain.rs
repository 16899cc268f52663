//! The audit trail behind a delegate's total (SPEC §5 `explain`): each record with where it
//! came from, the rule it matched, its points and any cap cut; each adjustment; the totals.

use crate::domain::rules::Rules;
use crate::domain::{Adjustment, Delegate};
use crate::output::{Column, Report, Section, Table, Value, number};
use crate::scoring::run::Observer;
use crate::scoring::{CapCut, DelegateYear, Months, Scored};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One record as explain shows it.
#[derive(Debug, Clone)]
pub struct Line {
    pub date: NaiveDate,
    pub source: String,
    pub item: usize,
    pub outcome: Option<String>,
    pub unit_points: Decimal,
    pub count: u64,
    pub points: Decimal,
    pub cut: Option<CapCut>,
    pub reference: Option<String>,
    pub void: Option<crate::domain::Void>,
}

/// Collects the scored records of one delegate inside a date range.
pub struct Trail {
    pub delegate: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<Line>,
}

impl Observer for Trail {
    fn scored(&mut self, s: &Scored) {
        let r = s.record;
        if r.delegate != self.delegate || r.date < self.from || r.date > self.to {
            return;
        }
        self.lines.push(Line {
            date: r.date,
            source: format!("{}:{}", r.source, r.source_line),
            item: s.item,
            outcome: r.outcome.clone(),
            unit_points: s.unit_points,
            count: r.count,
            points: s.points,
            cut: s.cut.clone(),
            reference: r.reference.clone(),
            void: r.void.clone(),
        });
    }
    fn reset(&mut self) {
        self.lines.clear();
    }
    fn only_delegate(&self) -> Option<&str> {
        Some(&self.delegate)
    }
}

pub struct Explained<'a> {
    pub rules: &'a Rules,
    pub delegate: &'a Delegate,
    pub label: String,
    pub trail: &'a Trail,
    pub adjustments: Vec<&'a Adjustment>,
    pub year: &'a DelegateYear,
    /// Months of the period, and from the cycle's start to its end.
    pub period_months: Months,
    pub cycle_months: Months,
}

pub fn report(e: &Explained) -> Report {
    let mut report = Report::new(crate::tr!(
        "title-explain",
        delegate = e.delegate.id.as_str(),
        name = e.delegate.name.as_str(),
        studio = e.delegate.studio.as_str(),
        period = e.label.as_str()
    ));
    report
        .meta
        .push(("delegate".into(), Value::text(&e.delegate.id)));
    report
        .meta
        .push(("name".into(), Value::text(&e.delegate.name)));
    report.meta.push(("period".into(), Value::text(&e.label)));
    report
        .meta
        .push(("from".into(), Value::text(e.trail.from.to_string())));
    report
        .meta
        .push(("to".into(), Value::text(e.trail.to.to_string())));
    report.tables.push(records_table(e));
    report.tables.push(adjustments_table(e));
    report.tables.push(totals_table(e));
    report
}

fn rule_text(rules: &Rules, l: &Line) -> String {
    let item = &rules.items[l.item];
    match (&l.outcome, item.by_outcome()) {
        (Some(o), true) => crate::tr!(
            "rule-outcome-per-unit",
            outcome = item.outcome_name(o),
            points = number(l.unit_points)
        ),
        _ => crate::tr!("rule-per-unit", points = number(l.unit_points)),
    }
}

fn cap_text(cut: &Option<CapCut>) -> Value {
    cut.as_ref().map_or(Value::Empty, |c| c.said("cap-reached"))
}

fn records_table(e: &Explained) -> Table {
    let mut columns: Vec<Column> = [
        "date", "source", "item", "name", "rule", "count", "points", "cap", "ref",
    ]
    .into_iter()
    .map(Column::new)
    .collect();
    // The item code says it on a terminal; the full Chinese name goes to json and html.
    columns[3].machine_only = true;
    let mut t = Table::new("rows", columns);
    t.title = Some(crate::tr!("table-records"));
    let rows = e
        .trail
        .lines
        .iter()
        .map(|l| {
            let item = &e.rules.items[l.item];
            vec![
                Value::Date(l.date),
                Value::text(&l.source),
                // A code is short on an English terminal; Chinese readers read the short name.
                Value::Coded(item.code.clone(), item.short_name().to_owned()),
                Value::text(&item.name),
                Value::text(rule_text(e.rules, l)),
                Value::Int(l.count as i64),
                Value::Num(l.points),
                match &l.void {
                    // Listed, struck through in words: it earned nothing and why.
                    Some(v) => Value::text(crate::tr!(
                        "void-line",
                        on = v.on.to_string(),
                        by = v.by.as_str(),
                        reason = v.reason.as_str()
                    )),
                    None => cap_text(&l.cut),
                },
                Value::opt_text(l.reference.clone()),
            ]
        })
        .collect();
    t.sections.push(Section { title: None, rows });
    t
}

fn adjustments_table(e: &Explained) -> Table {
    let columns = ["date", "id", "points", "reason", "approved_by", "source"]
        .into_iter()
        .map(Column::new)
        .collect();
    adjustments(
        &e.adjustments,
        columns,
        &crate::tr!("table-adjustments"),
        true,
    )
}

/// The review team's corrections as a table: under `columns` (their headings), with the
/// file and line each came from when `source` is set.
pub fn adjustments(list: &[&Adjustment], columns: Vec<Column>, title: &str, source: bool) -> Table {
    let mut t = Table::new("adjustments", columns);
    t.title = Some(title.into());
    let rows = list
        .iter()
        .map(|a| {
            let mut row = vec![
                Value::Date(a.date),
                Value::opt_text(a.id.clone()),
                Value::Num(a.points),
                Value::text(&a.reason),
                Value::opt_text(a.approved_by.clone()),
            ];
            if source {
                row.push(Value::text(format!("{}:{}", a.source, a.source_line)));
            }
            row
        })
        .collect();
    t.sections.push(Section { title: None, rows });
    t
}

fn totals_table(e: &Explained) -> Table {
    let mut t = Table::new(
        "totals",
        ["part", "period", "cumulative"]
            .into_iter()
            .map(Column::new)
            .collect(),
    );
    t.title = Some(crate::tr!("table-totals"));
    t.columns[1].header = e.label.clone();
    t.columns[2].header = crate::tr!("col-cycle-to", to = crate::i18n::date(e.trail.to));
    let mut rows: Vec<Vec<Value>> = e
        .rules
        .categories
        .iter()
        .enumerate()
        .map(|(c, cat)| {
            vec![
                // Chinese readers read the rules' own name alone; json keeps id and name.
                {
                    let both = format!("{} {}", cat.id, cat.name);
                    let shown = if crate::i18n::is_zh() {
                        cat.name.clone()
                    } else {
                        both.clone()
                    };
                    Value::Coded(both, shown)
                },
                Value::Num(e.year.category(c, e.period_months.clone())),
                Value::Num(e.year.category(c, e.cycle_months.clone())),
            ]
        })
        .collect();
    rows.push(vec![
        Value::key("adjustments"),
        Value::Num(e.year.adjustments(e.period_months.clone())),
        Value::Num(e.year.adjustments(e.cycle_months.clone())),
    ]);
    rows.push(vec![
        Value::Coded("total".into(), crate::output::label("col", "points_total")),
        Value::Num(e.year.total(e.period_months.clone())),
        Value::Num(e.year.total(e.cycle_months.clone())),
    ]);
    t.sections.push(Section { title: None, rows });
    t
}
