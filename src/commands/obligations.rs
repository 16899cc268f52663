//! `tally obligations`: who is behind on the duties so far this cycle.

use crate::cli::ObligationsArgs;
use crate::context::{Ctx, Nobody, date_arg};
use crate::domain::period::{month_end, month_start};
use crate::domain::rules::Per;
use crate::error::{Error, Exit};
use crate::output::{Column, Report, Section, Table, Value};
use crate::reports::obligations::{Standing, column_header, column_name, standing};
use chrono::Datelike;

pub fn run(ctx: &Ctx, args: &ObligationsArgs) -> Result<Exit, Error> {
    let as_of = match &args.as_of {
        Some(v) => date_arg("--as-of", v)?,
        None => ctx.today,
    };
    let book = ctx.book()?;
    let rules = &book.rules.rules;
    let year = as_of.year();
    let (scores, ledger) = ctx.score(&book, year, as_of, &mut Nobody)?;
    let mut rows: Vec<(usize, Vec<Standing>)> = (0..book.roster.delegates.len())
        .filter(|&d| book.roster.delegates[d].in_office_on(as_of))
        .map(|d| {
            let del = &book.roster.delegates[d];
            let s = rules
                .obligations
                .iter()
                .map(|o| standing(o, del, &scores.delegates[d], year, as_of))
                .collect();
            (d, s)
        })
        .collect();
    let behind = |s: &[Standing]| s.iter().map(Standing::behind).sum::<u32>();
    rows.sort_by(|a, b| {
        behind(&b.1).cmp(&behind(&a.1)).then_with(|| {
            book.roster.delegates[a.0]
                .id
                .cmp(&book.roster.delegates[b.0].id)
        })
    });
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
    let mut table = Table::new("rows", columns);
    let body = rows
        .iter()
        .map(|(d, standings)| {
            let del = &book.roster.delegates[*d];
            let mut row = vec![
                Value::text(&del.id),
                Value::text(&del.name),
                Value::text(&del.studio),
            ];
            let mut possible = Vec::new();
            for (o, s) in rules.obligations.iter().zip(standings) {
                row.push(Value::text(s.text()));
                if o.per == Per::Month {
                    row.push(Value::text(missed_months(year, s)));
                }
                let item = rules.items[o.item].short_name();
                if s.months_left > 0 {
                    possible.push(crate::tr!(
                        "possible-months",
                        item = item,
                        n = s.months_left
                    ));
                } else if s.open {
                    possible.push(crate::tr!(
                        "possible-open",
                        item = item,
                        until = crate::i18n::date(month_end(year, 12))
                    ));
                }
            }
            row.push(Value::Int(i64::from(behind(standings))));
            row.push(Value::text(possible.join("; ")));
            row
        })
        .collect();
    table.sections.push(Section {
        title: None,
        rows: body,
    });
    let anyone_behind = rows.iter().any(|(_, s)| behind(s) > 0);
    let mut report = Report::new(crate::tr!(
        "title-obligations",
        as_of = crate::i18n::date(as_of)
    ));
    report.head(&book.ws.name, None);
    report.meta.push(("as_of".into(), Value::Date(as_of)));
    report.tables.push(table);
    report.summary.push((
        "delegates behind".into(),
        Value::Int(rows.iter().filter(|(_, s)| behind(s) > 0).count() as i64),
    ));
    report.stamp = Some(ctx.stamp(&book.ws, &book.rules, &ledger));
    ctx.emit(&report)?;
    if args.fail_on_missing && anyone_behind {
        let names: Vec<String> = rows
            .iter()
            .filter(|(_, s)| behind(s) > 0)
            .map(|(d, _)| {
                let del = &book.roster.delegates[*d];
                format!("{} {}", del.id, del.name)
            })
            .collect();
        ctx.found(crate::tr!(
            "found-behind",
            n = names.len(),
            as_of = crate::i18n::date(as_of),
            names = crate::error::capped(&names, 10)
        ));
        return Ok(Exit::Found);
    }
    Ok(Exit::Ok)
}

/// Missed months as `2025-03 2025-05`.
fn missed_months(year: i32, s: &Standing) -> String {
    let months: Vec<String> = s
        .missed_months
        .iter()
        .map(|m| month_start(year, *m as u32 + 1).format("%Y-%m").to_string())
        .collect();
    months.join(" ")
}
