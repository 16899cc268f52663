//! The annual review (SPEC §5 `annual`): points by category, obligations, evaluation
//! marks, composite score, grade and rank for every delegate in office in the year.

use super::obligations::{Standing, column_header, column_name, standing};
use crate::domain::rules::Rules;
use crate::domain::{Evaluation, Period, Roster};
use crate::output::{Column, Report, Section, Table, Value};
use crate::scoring::Scores;
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone)]
pub struct AnnualRow {
    pub delegate: usize,
    pub categories: Vec<Decimal>,
    pub adjustments: Decimal,
    pub points_total: Decimal,
    pub obligations: Vec<Standing>,
    pub marks: Vec<Option<Decimal>>,
    /// Unrounded: the composite is computed from it.
    pub evaluation: Option<Decimal>,
    pub composite: Option<Decimal>,
    pub grade: Option<String>,
    pub rank: Option<usize>,
}

impl AnnualRow {
    pub fn obligations_met(&self) -> bool {
        self.obligations.iter().all(Standing::met)
    }
}

pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Σ(weight × mark) and Σ(weight) over the groups that gave a mark.
fn weighted(rules: &Rules, marks: &[Option<Decimal>]) -> (Decimal, Decimal) {
    let (mut sum, mut weights) = (Decimal::ZERO, Decimal::ZERO);
    for ((_, w), m) in rules.review.groups.iter().zip(marks) {
        if let Some(m) = m {
            sum += *w * *m;
            weights += *w;
        }
    }
    (sum, weights)
}

/// Weighted mean of the groups present, their weights renormalised to sum to 1.
pub fn evaluation(rules: &Rules, marks: &[Option<Decimal>]) -> Option<Decimal> {
    let (sum, weights) = weighted(rules, marks);
    (weights > Decimal::ZERO).then(|| sum / weights)
}

/// The composite, rounded half away from zero to 2 places. Everything is put over one
/// denominator and divided once, so an exact midpoint (78.125) is never nudged below by a
/// 28-digit evaluation like 88.333…3.
pub fn composite(
    rules: &Rules,
    total: Decimal,
    top: Decimal,
    marks: &[Option<Decimal>],
) -> Option<Decimal> {
    let (sum, weights) = weighted(rules, marks);
    if weights <= Decimal::ZERO {
        return None;
    }
    let review = &rules.review;
    let exact = if top > Decimal::ZERO {
        (review.points_weight * Decimal::ONE_HUNDRED * total * weights
            + review.evaluation_weight * sum * top)
            / (top * weights)
    } else {
        review.evaluation_weight * sum / weights
    };
    Some(round2(exact))
}

/// The first band the composite reaches, lowered (never raised) to the cap grade when an
/// obligation is unmet.
pub fn grade(rules: &Rules, composite: Decimal, obligations_met: bool) -> Option<String> {
    let grades = &rules.review.grades;
    let band = grades.iter().position(|g| composite >= g.min)?;
    let capped = match (&rules.review.unmet_obligation_caps_grade, obligations_met) {
        (Some(cap), false) => grades
            .iter()
            .position(|g| &g.name == cap)
            .map_or(band, |c| band.max(c)),
        _ => band,
    };
    Some(grades[capped].name.clone())
}

pub fn rows(
    rules: &Rules,
    roster: &Roster,
    scores: &Scores,
    evaluations: &[Evaluation],
) -> Vec<AnnualRow> {
    let year = scores.year;
    let period = Period::Year(year);
    let as_of = period.last_day();
    // The year's marks by delegate and group, looked up once each (not a scan per delegate).
    let marks_of: std::collections::HashMap<(&str, usize), Decimal> = evaluations
        .iter()
        .rev()
        .filter(|e| e.year == year)
        .map(|e| ((e.delegate.as_str(), e.group), e.score))
        .collect();
    let mut rows: Vec<AnnualRow> = (0..roster.delegates.len())
        .filter(|&d| roster.delegates[d].in_office_between(period.first_day(), as_of))
        .map(|d| {
            let del = &roster.delegates[d];
            let scored = &scores.delegates[d];
            let marks: Vec<Option<Decimal>> = (0..rules.review.groups.len())
                .map(|g| marks_of.get(&(del.id.as_str(), g)).copied())
                .collect();
            AnnualRow {
                delegate: d,
                categories: (0..rules.categories.len())
                    .map(|c| scored.category(c, 0..=11))
                    .collect(),
                adjustments: scored.adjustments(0..=11),
                points_total: scored.total(0..=11),
                obligations: rules
                    .obligations
                    .iter()
                    .map(|o| standing(o, del, scored, year, as_of))
                    .collect(),
                evaluation: evaluation(rules, &marks),
                marks,
                composite: None,
                grade: None,
                rank: None,
            }
        })
        .collect();
    score_and_rank(rules, roster, &mut rows);
    rows
}

fn score_and_rank(rules: &Rules, roster: &Roster, rows: &mut [AnnualRow]) {
    let top = rows
        .iter()
        .map(|r| r.points_total)
        .max()
        .unwrap_or_default();
    for r in rows.iter_mut() {
        let Some(composite) = composite(rules, r.points_total, top, &r.marks) else {
            continue;
        };
        r.grade = grade(rules, composite, r.obligations_met());
        r.composite = Some(composite);
    }
    let ranked = super::competition_rank(
        roster,
        rows.iter()
            .enumerate()
            .filter_map(|(i, r)| r.composite.map(|c| (i, c)))
            .map(|(i, c)| (rows[i].delegate, c))
            .collect(),
    );
    // Each delegate's row, by roster index: no search per ranked delegate.
    let mut row_of = vec![usize::MAX; roster.delegates.len()];
    for (i, r) in rows.iter().enumerate() {
        row_of[r.delegate] = i;
    }
    for (d, _, rank) in ranked {
        if let Some(r) = row_of.get(d).and_then(|&i| rows.get_mut(i)) {
            r.rank = Some(rank);
        }
    }
    rows.sort_by(|a, b| {
        let key = |r: &AnnualRow| {
            (
                r.rank.unwrap_or(usize::MAX),
                roster.delegates[r.delegate].id.as_str(),
            )
        };
        key(a).cmp(&key(b))
    });
}

pub fn report(rules: &Rules, roster: &Roster, rows: &[AnnualRow], year: i32) -> Report {
    let mut columns = vec![
        Column::new("year").machine_only(),
        Column::new("rank"),
        Column::new("delegate"),
        Column::new("name"),
        Column::new("studio").folds(5),
    ];
    // A narrow terminal leaves out, in this order: the categories (`total` sums them), the
    // groups' marks (`evaluation` weighs them), each obligation (`obligations_met` sums
    // them up), the adjustments and sector, the studio, the evaluation.
    columns.extend(
        rules
            .categories
            .iter()
            .map(|c| Column::titled(c.id.clone(), c.name.clone()).folds(1)),
    );
    columns.push(Column::new("adjustments").folds(4));
    columns.push(Column::new("points_total"));
    columns.extend(
        rules
            .obligations
            .iter()
            .map(|o| Column::titled(column_name(rules, o), column_header(rules, o)).folds(3)),
    );
    columns.push(Column::new("obligations_met"));
    columns.extend(rules.review.groups.iter().map(|(g, _)| {
        let name = rules.review.group_name(g);
        Column::titled(g.clone(), crate::tr!("col-marks", group = name)).folds(2)
    }));
    columns.push(Column::new("evaluation").folds(6));
    columns.extend(["composite", "grade"].map(Column::new));
    let sectors = !roster.sectors.is_empty();
    if sectors {
        // Last, so that the columns SPEC §5 lists keep their places for scripts.
        // For people: csv and json keep the columns SPEC §5 gives.
        let mut sector = Column::new("sector").folds(4);
        sector.people_only = true;
        columns.push(sector);
    }
    let mut table = Table::new("rows", columns);
    table.chart = Some((3, 5 + rules.categories.len() + 1));
    let body = rows
        .iter()
        .map(|r| {
            let mut row = row(r, roster, year);
            if sectors {
                row.push(Value::opt_text(roster.delegates[r.delegate].sector.clone()));
            }
            row
        })
        .collect();
    table.sections.push(Section {
        title: None,
        rows: body,
    });
    let mut report = Report::new(crate::tr!("title-annual", year = year.to_string()));
    report.meta.push(("year".into(), Value::Int(year.into())));
    report.tables.push(table);
    for g in &rules.review.grades {
        let n = rows
            .iter()
            .filter(|r| r.grade.as_deref() == Some(g.name.as_str()))
            .count();
        report.summary.push((g.name.clone(), Value::Int(n as i64)));
    }
    let none = rows.iter().filter(|r| r.grade.is_none()).count();
    report
        .summary
        .push(("no grade".into(), Value::Int(none as i64)));
    report
}

fn row(r: &AnnualRow, roster: &Roster, year: i32) -> Vec<Value> {
    let d = &roster.delegates[r.delegate];
    let opt = |v: Option<Decimal>| v.map_or(Value::Empty, Value::Num);
    let mut row = vec![
        Value::Int(year.into()),
        r.rank.map_or(Value::Empty, |k| Value::Int(k as i64)),
        Value::text(&d.id),
        Value::text(&d.name),
        Value::text(&d.studio),
    ];
    row.extend(r.categories.iter().map(|c| Value::Num(*c)));
    row.push(Value::Num(r.adjustments));
    row.push(Value::Num(r.points_total));
    row.extend(r.obligations.iter().map(|s| Value::text(s.text())));
    row.push(Value::term(if r.obligations_met() { "yes" } else { "no" }));
    row.extend(r.marks.iter().map(|m| opt(*m)));
    row.push(opt(r.evaluation.map(round2)));
    row.push(opt(r.composite));
    row.push(Value::opt_text(r.grade.clone()));
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::rules::{DEFAULT_RULES, parse_rules};
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn weights_of_present_groups_are_renormalised() {
        let rules = parse_rules("d", DEFAULT_RULES).expect("rules");
        // members 0.4 × 90 + residents 0.4 × 80, organisation missing: (36 + 32) / 0.8 = 85
        assert_eq!(
            evaluation(&rules, &[Some(dec("90")), Some(dec("80")), None]),
            Some(dec("85"))
        );
        assert_eq!(evaluation(&rules, &[None, None, None]), None);
    }

    #[test]
    fn unmet_obligation_lowers_never_raises() {
        let rules = parse_rules("d", DEFAULT_RULES).expect("rules");
        assert_eq!(grade(&rules, dec("95"), false).as_deref(), Some("基本称职"));
        assert_eq!(grade(&rules, dec("95"), true).as_deref(), Some("优秀"));
        assert_eq!(grade(&rules, dec("50"), false).as_deref(), Some("不称职"));
        assert_eq!(
            grade(&rules, dec("74.99"), true).as_deref(),
            Some("基本称职")
        );
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round2(dec("89.995")), dec("90.00"));
        assert_eq!(round2(dec("89.994")), dec("89.99"));
        assert_eq!(round2(dec("-0.005")), dec("-0.01"));
    }
}
