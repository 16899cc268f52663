//! The quarterly ranking (SPEC §5 `quarter`): cumulative points of the cycle to the
//! quarter's end, ranked within each studio (or over everyone), with the change of rank.

use super::competition_rank;
use crate::domain::rules::{RankWithin, Rules};
use crate::domain::{Period, Roster};
use crate::output::{Column, Report, Section, Table, Value};
use crate::scoring::{Months, Scores};
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct QuarterRow {
    pub delegate: usize,
    pub studio: usize,
    pub rank: usize,
    pub points_quarter: Decimal,
    pub points_total: Decimal,
    pub categories: Vec<Decimal>,
    pub adjustments: Decimal,
    pub rank_change: Option<i64>,
}

/// Delegates in office at any time from the cycle's start to the end of `period`.
fn listed(roster: &Roster, period: Period) -> Vec<usize> {
    let start = Period::Year(period.year()).first_day();
    (0..roster.delegates.len())
        .filter(|&d| roster.delegates[d].in_office_between(start, period.last_day()))
        .collect()
}

/// Ranks `delegates` by cumulative total over `months`, within their group.
fn ranks(
    roster: &Roster,
    scores: &Scores,
    delegates: &[usize],
    months: Months,
    within: RankWithin,
) -> Vec<(usize, Decimal, usize)> {
    let mut groups: HashMap<usize, Vec<(usize, Decimal)>> = HashMap::new();
    for &d in delegates {
        let group = group_of(roster, d, within);
        let total = scores.delegates[d].total(months.clone());
        groups.entry(group).or_default().push((d, total));
    }
    let mut keys: Vec<usize> = groups.keys().copied().collect();
    keys.sort_unstable();
    keys.into_iter()
        .flat_map(|k| competition_rank(roster, groups.remove(&k).unwrap_or_default()))
        .collect()
}

/// The ranking group of delegate `d`: the studio's or sector's place in the roster; those
/// without a sector office form one group, listed last.
fn group_of(roster: &Roster, d: usize, within: RankWithin) -> usize {
    match within {
        RankWithin::Studio => studio_of(roster, d),
        RankWithin::Sector => roster.sector_of(d).unwrap_or(usize::MAX),
        RankWithin::All => 0,
    }
}

fn studio_of(roster: &Roster, d: usize) -> usize {
    roster
        .studio_index(&roster.delegates[d].studio)
        .expect("every delegate's studio is in the roster's studio list")
}

/// The ranking rows of quarter `period`, in the order they are published.
pub fn rows(
    rules: &Rules,
    roster: &Roster,
    scores: &Scores,
    period: Period,
    within: RankWithin,
) -> Vec<QuarterRow> {
    if !matches!(period, Period::Quarter { .. }) {
        return Vec::new();
    }
    let now = ranks(
        roster,
        scores,
        &listed(roster, period),
        period.to_end(),
        within,
    );
    let before: HashMap<usize, usize> = match period.previous_quarter() {
        Some(prev) => ranks(roster, scores, &listed(roster, prev), prev.to_end(), within)
            .into_iter()
            .map(|(d, _, r)| (d, r))
            .collect(),
        None => HashMap::new(),
    };
    let quarter_months = period.months();
    let mut out: Vec<QuarterRow> = now
        .into_iter()
        .map(|(d, total, rank)| {
            let year = &scores.delegates[d];
            QuarterRow {
                delegate: d,
                studio: studio_of(roster, d),
                rank,
                points_quarter: year.total(quarter_months.clone()),
                points_total: total,
                categories: (0..rules.categories.len())
                    .map(|c| year.category(c, period.to_end()))
                    .collect(),
                adjustments: year.adjustments(period.to_end()),
                rank_change: before.get(&d).map(|&b| b as i64 - rank as i64),
            }
        })
        .collect();
    // Grouped in roster order (sector-less delegates last); rank-then-id order inside.
    out.sort_by_key(|r| group_of(roster, r.delegate, within));
    out
}

/// The report value: one section per studio (or one for everyone).
pub fn report(
    rules: &Rules,
    roster: &Roster,
    rows: &[QuarterRow],
    period: Period,
    within: RankWithin,
) -> Report {
    let mut columns = vec![
        Column::new("period").machine_only(),
        // Ranked within all, a column; it folds when the terminal is narrow.
        Column::new("studio").folds(3),
        Column::new("rank"),
        Column::new("delegate"),
        Column::new("name"),
        Column::titled(
            "points_quarter",
            crate::tr!("col-points-quarter", period = period.human()),
        ),
        Column::new("points_total"),
    ];
    if within == RankWithin::Studio {
        columns[1].machine_only = true;
    }
    let sectors = !roster.sectors.is_empty();
    // A narrow terminal leaves out the categories first (`total` sums them), then the
    // sector, the adjustments, the change of rank.
    for c in &rules.categories {
        columns.push(Column::titled(c.id.clone(), c.name.clone()).folds(1));
    }
    columns.push(Column::new("adjustments").folds(3));
    columns.push(Column::new("rank_change").folds(4));
    if sectors {
        // Last, so that the columns SPEC §5 lists keep their places for scripts.
        let mut sector = Column::new("sector").folds(2);
        // Ranked by sector, the sections say it to people and scripts need it; otherwise it
        // is for people, and csv and json keep the columns SPEC §5 gives.
        sector.machine_only = within == RankWithin::Sector;
        sector.people_only = within != RankWithin::Sector;
        columns.push(sector);
    }
    let mut table = Table::new("rows", columns);
    table.chart = Some((4, 6));
    // Each studio's ranking is posted on its own sheet.
    table.print.page_per_section = true;
    let mut sections: Vec<Section> = Vec::new();
    for r in rows {
        let title = match within {
            RankWithin::Studio => roster.studios[r.studio].clone(),
            RankWithin::Sector => roster.delegates[r.delegate]
                .sector
                .clone()
                .unwrap_or_else(|| crate::tr!("section-no-sector")),
            RankWithin::All => crate::tr!("section-all-studios"),
        };
        if sections
            .last()
            .is_none_or(|s| s.title.as_deref() != Some(title.as_str()))
        {
            sections.push(Section {
                title: Some(title),
                rows: Vec::new(),
            });
        }
        let d = &roster.delegates[r.delegate];
        let mut row = vec![
            Value::text(period.to_string()),
            Value::text(&d.studio),
            Value::Int(r.rank as i64),
            Value::text(&d.id),
            Value::text(&d.name),
            Value::Num(r.points_quarter),
            Value::Num(r.points_total),
        ];
        row.extend(r.categories.iter().map(|c| Value::Num(*c)));
        row.push(Value::Num(r.adjustments));
        row.push(r.rank_change.map_or(Value::Empty, Value::Int));
        if sectors {
            row.push(Value::opt_text(d.sector.clone()));
        }
        if let Some(s) = sections.last_mut() {
            s.rows.push(row);
        }
    }
    table.sections = sections;
    let mut report = Report::new(crate::tr!("title-quarter", period = period.human()));
    report.meta.push((
        "period".into(),
        Value::Coded(period.to_string(), period.human()),
    ));
    report
        .meta
        .push(("rank_within".into(), Value::term(within.name())));
    report.tables.push(table);
    report
}
