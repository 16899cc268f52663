//! The per-studio summary for organisers (issue 12 part 6, `tally studios`): for each
//! community office, its delegates, their total and mean points, the share who met every
//! obligation, and the petitions they took up and that are overdue — ranked by mean points.
//! Every figure is one `quarter`/`annual`, `obligations` and `petitions` already compute;
//! this only sums them per studio.

use super::obligations::standing;
use super::petitions::{Item, rate};
use crate::domain::rules::Rules;
use crate::domain::{Period, Roster};
use crate::output::{Column, Report, Section, Table, Value};
use crate::scoring::Scores;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, PartialEq)]
pub struct StudioRow {
    pub studio: usize,
    pub rank: usize,
    pub delegates: usize,
    pub points_total: Decimal,
    /// Rounded half away from zero to 2 places.
    pub points_mean: Decimal,
    /// Delegates behind on no obligation as of the summary's date.
    pub obligations_met: usize,
    pub petitions_received: usize,
    pub petitions_overdue: usize,
}

/// `listed` is (delegate, cumulative points) as `quarter` or `annual` give them; obligations
/// stand as of `as_of` (the period's end, or today while it runs), as `obligations` counts
/// them; `items` is the petitions register as of that day.
pub fn rows(
    rules: &Rules,
    roster: &Roster,
    scores: &Scores,
    listed: &[(usize, Decimal)],
    items: &[Item],
    as_of: NaiveDate,
) -> Vec<StudioRow> {
    let cycle_start = Period::Year(scores.year).first_day();
    let mut out: Vec<StudioRow> = (0..roster.studios.len())
        .map(|s| StudioRow {
            studio: s,
            rank: 0,
            delegates: 0,
            points_total: Decimal::ZERO,
            points_mean: Decimal::ZERO,
            obligations_met: 0,
            petitions_received: 0,
            petitions_overdue: 0,
        })
        .collect();
    let studio_of = |d: usize| roster.studio_index(&roster.delegates[d].studio);
    for &(d, total) in listed {
        let Some(s) = studio_of(d) else { continue };
        let row = &mut out[s];
        row.delegates += 1;
        row.points_total += total;
        let del = &roster.delegates[d];
        let behind = rules
            .obligations
            .iter()
            .any(|o| standing(o, del, &scores.delegates[d], scores.year, as_of).behind() > 0);
        if !behind {
            row.obligations_met += 1;
        }
    }
    for item in items {
        let Some(s) = roster
            .index_of_id(&item.petition.delegate)
            .and_then(studio_of)
        else {
            continue;
        };
        if item.petition.received >= cycle_start {
            out[s].petitions_received += 1;
        }
        if item.days_overdue().is_some() {
            out[s].petitions_overdue += 1;
        }
    }
    out.retain(|r| r.delegates > 0);
    for r in &mut out {
        r.points_mean = (r.points_total / Decimal::from(r.delegates))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    }
    // Highest mean first (a large office does not win by size); ties keep roster order.
    out.sort_by(|a, b| {
        b.points_mean
            .cmp(&a.points_mean)
            .then(a.studio.cmp(&b.studio))
    });
    for i in 0..out.len() {
        out[i].rank = if i > 0 && out[i - 1].points_mean == out[i].points_mean {
            out[i - 1].rank
        } else {
            i + 1
        };
    }
    out
}

pub fn report(roster: &Roster, rows: &[StudioRow], period: Period, as_of: NaiveDate) -> Report {
    let columns = vec![
        Column::new("period").machine_only(),
        Column::new("rank"),
        Column::new("studio"),
        Column::new("delegates"),
        Column::new("points_total"),
        Column::new("points_mean"),
        Column::new("obligations_met"),
        Column::new("petitions_received"),
        Column::new("petitions_overdue"),
    ];
    let mut table = Table::new("rows", columns);
    table.chart = Some((2, 5));
    table.sections.push(Section {
        title: None,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Value::text(period.to_string()),
                    Value::Int(r.rank as i64),
                    Value::text(&roster.studios[r.studio]),
                    Value::Int(r.delegates as i64),
                    Value::Num(r.points_total),
                    Value::Num(r.points_mean),
                    rate(r.obligations_met, r.delegates),
                    Value::Int(r.petitions_received as i64),
                    Value::Int(r.petitions_overdue as i64),
                ]
            })
            .collect(),
    });
    let mut report = Report::new(crate::tr!("title-studios", period = period.human()));
    report.meta.push((
        "period".into(),
        Value::Coded(period.to_string(), period.human()),
    ));
    report.meta.push(("as_of".into(), Value::Date(as_of)));
    report.tables.push(table);
    report
}
