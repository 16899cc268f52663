//! The ledger as a register (`tally records`): each record with the points it earned after
//! caps — as `explain` computes them, from the same engine run — its source line and the
//! short key that `void` takes.

use crate::domain::rules::Rules;
use crate::domain::{Record, Roster};
use crate::output::{Column, Report, Section, Table, Value};
use crate::scoring::run::Observer;
use crate::scoring::{CapCut, Scored};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Which records to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub delegate: Option<String>,
    /// Roster indices of the studio's delegates.
    pub studio: Option<String>,
    pub item: Option<usize>,
    pub source: Option<String>,
    pub reference: Option<String>,
    pub voided_only: bool,
}

impl Filter {
    fn keeps(&self, r: &Record, item: usize, roster: &Roster) -> bool {
        let in_range = self.from.is_none_or(|f| r.date >= f) && self.to.is_none_or(|t| r.date <= t);
        let studio = || {
            let studio = self.studio.as_deref();
            studio.is_none_or(|s| {
                roster
                    .index_of_id(&r.delegate)
                    .is_some_and(|d| roster.delegates[d].studio == s)
            })
        };
        in_range
            && self.delegate.as_ref().is_none_or(|d| *d == r.delegate)
            && self.item.is_none_or(|i| i == item)
            && self.source.as_ref().is_none_or(|s| *s == r.source)
            && self
                .reference
                .as_ref()
                .is_none_or(|x| r.reference.as_ref() == Some(x))
            && (!self.voided_only || r.void.is_some())
            && studio()
    }
}

/// One listed record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub record: Record,
    pub item: usize,
    pub points: Decimal,
    pub cut: Option<CapCut>,
}

/// Collects the records the filter keeps, with their points, as the engine scores them.
pub struct Register<'a> {
    pub filter: Filter,
    pub roster: &'a Roster,
    pub entries: Vec<Entry>,
}

impl Observer for Register<'_> {
    fn scored(&mut self, s: &Scored) {
        if self.filter.keeps(s.record, s.item, self.roster) {
            self.entries.push(Entry {
                record: s.record.clone(),
                item: s.item,
                points: s.points,
                cut: s.cut.clone(),
            });
        }
    }
    fn reset(&mut self) {
        self.entries.clear();
    }
    fn only_delegate(&self) -> Option<&str> {
        self.filter.delegate.as_deref()
    }
}

pub fn report(rules: &Rules, roster: &Roster, entries: &[Entry], label: &str) -> Report {
    let mut report = Report::new(crate::tr!("title-records", label = label));
    // A narrow terminal leaves out the source first, then ref and cap, the delegate's id
    // (the name stays), whether voided.
    let columns = vec![
        Column::new("key"),
        Column::new("date"),
        Column::new("delegate").folds(3),
        Column::new("name"),
        // A terminal shows what finds the record; csv and json carry everything.
        Column::new("studio").machine_only(),
        Column::new("item"),
        Column::new("count"),
        Column::new("outcome").machine_only(),
        Column::new("ref").folds(2),
        Column::new("points"),
        Column::new("cap").folds(2),
        Column::new("source").folds(1),
        Column::new("voided").folds(4),
        Column::new("voided_by").machine_only(),
        Column::new("void_reason").machine_only(),
    ];
    let mut table = Table::new("rows", columns);
    let rows = entries.iter().map(|e| row(rules, roster, e)).collect();
    table.sections.push(Section { title: None, rows });
    report.tables.push(table);
    let voided = entries.iter().filter(|e| e.record.void.is_some()).count();
    let points: Decimal = entries.iter().map(|e| e.points).sum();
    report
        .summary
        .push(("records".into(), Value::Int(entries.len() as i64)));
    report
        .summary
        .push(("voided".into(), Value::Int(voided as i64)));
    report.summary.push(("points".into(), Value::Num(points)));
    report
}

fn row(rules: &Rules, roster: &Roster, e: &Entry) -> Vec<Value> {
    let r = &e.record;
    let (name, studio) = roster
        .index_of_id(&r.delegate)
        .map(|d| &roster.delegates[d])
        .map_or((Value::Empty, Value::Empty), |d| {
            (Value::text(&d.name), Value::text(&d.studio))
        });
    let cap = e.cut.as_ref().map_or(Value::Empty, |c| c.said("cap-cut"));
    let void = r.void.as_ref();
    vec![
        Value::text(crate::ledger::short_key(&r.key)),
        Value::Date(r.date),
        Value::text(&r.delegate),
        name,
        studio,
        Value::Coded(
            rules.items[e.item].code.clone(),
            rules.items[e.item].short_name().to_owned(),
        ),
        Value::Int(r.count as i64),
        Value::opt_text(r.outcome.clone()),
        Value::opt_text(r.reference.clone()),
        Value::Num(e.points),
        cap,
        Value::text(format!("{}:{}", r.source, r.source_line)),
        Value::date(void.map(|v| v.on)),
        Value::opt_text(void.map(|v| v.by.clone())),
        Value::opt_text(void.map(|v| v.reason.clone())),
    ]
}

/// `void --dry-run`: the delegates whose cumulative total or rank the voids would change.
pub fn void_preview(
    roster: &Roster,
    moves: &[crate::reports::diff_rules::Move],
    period: crate::domain::Period,
    voided: &[Record],
) -> Report {
    let mut report = Report::new(crate::tr!(
        "title-void-preview",
        n = voided.len(),
        period = period.human()
    ));
    let columns = [
        "delegate",
        "name",
        "studio",
        "total_now",
        "total_after",
        "change",
        "rank_now",
        "rank_after",
    ]
    .into_iter()
    .map(Column::new)
    .collect();
    let mut table = Table::new("rows", columns);
    let rows = moves
        .iter()
        .filter(|m| m.change() != Decimal::ZERO || m.rank_move() != 0)
        .map(|m| {
            let d = &roster.delegates[m.delegate];
            vec![
                Value::text(&d.id),
                Value::text(&d.name),
                Value::text(&d.studio),
                Value::Num(m.total_now),
                Value::Num(m.total_draft),
                Value::Num(m.change()),
                Value::Int(m.rank_now as i64),
                Value::Int(m.rank_draft as i64),
            ]
        })
        .collect();
    table.sections.push(Section {
        title: Some(period.to_string()),
        rows,
    });
    report.tables.push(table);
    report
}
