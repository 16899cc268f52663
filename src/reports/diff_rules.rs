//! What a draft point table would change (SPEC §9 `diff-rules`): each delegate's total and
//! rank under the rules in force and under the draft, largest moves first.

use super::quarter::QuarterRow;
use crate::domain::{Period, Roster};
use crate::output::{Column, Report, Section, Table, Value};
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub delegate: usize,
    pub total_now: Decimal,
    pub rank_now: usize,
    pub total_draft: Decimal,
    pub rank_draft: usize,
}

impl Move {
    /// Places gained under the draft (positive = up).
    pub fn rank_move(&self) -> i64 {
        self.rank_now as i64 - self.rank_draft as i64
    }
    pub fn change(&self) -> Decimal {
        self.total_draft - self.total_now
    }
}

/// Pairs the rankings of the same period under both rule sets, largest moves first.
pub fn moves(roster: &Roster, now: &[QuarterRow], draft: &[QuarterRow]) -> Vec<Move> {
    let draft: HashMap<usize, &QuarterRow> = draft.iter().map(|r| (r.delegate, r)).collect();
    let mut out: Vec<Move> = now
        .iter()
        .filter_map(|r| {
            let d = draft.get(&r.delegate)?;
            Some(Move {
                delegate: r.delegate,
                total_now: r.points_total,
                rank_now: r.rank,
                total_draft: d.points_total,
                rank_draft: d.rank,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.rank_move()
            .abs()
            .cmp(&a.rank_move().abs())
            .then_with(|| b.change().abs().cmp(&a.change().abs()))
            .then_with(|| {
                roster.delegates[a.delegate]
                    .id
                    .cmp(&roster.delegates[b.delegate].id)
            })
    });
    out
}

pub fn report(roster: &Roster, moves: &[Move], period: Period, draft_name: &str) -> Report {
    let columns = [
        "delegate",
        "name",
        "studio",
        "total_now",
        "rank_now",
        "total_draft",
        "rank_draft",
        "change",
        "rank_move",
    ]
    .into_iter()
    .map(Column::new)
    .collect();
    let mut table = Table::new("rows", columns);
    let rows = moves
        .iter()
        .map(|m| {
            let d = &roster.delegates[m.delegate];
            vec![
                Value::text(&d.id),
                Value::text(&d.name),
                Value::text(&d.studio),
                Value::Num(m.total_now),
                Value::Int(m.rank_now as i64),
                Value::Num(m.total_draft),
                Value::Int(m.rank_draft as i64),
                Value::Num(m.change()),
                Value::Int(m.rank_move()),
            ]
        })
        .collect();
    table.sections.push(Section { title: None, rows });
    let mut report = Report::new(crate::tr!(
        "title-diff-rules",
        draft = draft_name,
        period = period.human()
    ));
    report.meta.push((
        "period".into(),
        Value::Coded(period.to_string(), period.human()),
    ));
    report.meta.push(("draft".into(), Value::text(draft_name)));
    report.tables.push(table);
    let changed = moves.iter().filter(|m| m.rank_move() != 0).count();
    report
        .summary
        .push(("delegates changing rank".into(), Value::Int(changed as i64)));
    let largest = moves
        .first()
        .filter(|m| m.rank_move() != 0 || !m.change().is_zero());
    report.summary.push((
        "largest move".into(),
        Value::text(largest.map_or_else(
            || crate::tr!("largest-move-none"),
            |m| {
                let d = &roster.delegates[m.delegate];
                crate::tr!(
                    "largest-move",
                    delegate = d.id.as_str(),
                    name = d.name.as_str(),
                    from = m.rank_now,
                    to = m.rank_draft,
                    places = format!("{:+}", m.rank_move()),
                    before = crate::output::number(m.total_now),
                    after = crate::output::number(m.total_draft)
                )
            },
        )),
    ));
    report
}
