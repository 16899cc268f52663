//! The point table in force, for `tally rules`.

use crate::domain::rules::Scoring;
use crate::output::{Column, Report, Section, Table, Value, number};
use crate::workspace::{LoadedRules, Workspace};

pub fn build(loaded: &LoadedRules, ws: Option<&Workspace>) -> Report {
    let rules = &loaded.rules;
    let mut report = Report::new(format!("{} ({})", rules.meta.name, rules.meta.source));
    report
        .meta
        .push(("rules_file".into(), Value::text(&loaded.shown)));
    report
        .meta
        .push(("rules_hash".into(), Value::text(&loaded.hash)));
    if let Some(ws) = ws {
        report
            .meta
            .push(("workspace".into(), Value::text(&ws.name)));
    }
    let mut columns: Vec<Column> = [
        "code",
        "category",
        "name",
        "points",
        "cap",
        "requires_ref",
        "aliases",
    ]
    .into_iter()
    .map(Column::new)
    .collect();
    columns[2].header = crate::tr!("col-item-name");
    let mut items = Table::new("rows", columns);
    let rows = rules
        .items
        .iter()
        .map(|item| {
            let points = match &item.scoring {
                Scoring::PerUnit(p) => Value::Num(*p),
                Scoring::ByOutcome { points, .. } => {
                    let list = |name: &dyn Fn(&str) -> String| {
                        points
                            .iter()
                            .map(|(o, p)| format!("{} {}", name(o), number(*p)))
                            .collect::<Vec<_>>()
                            .join(" / ")
                    };
                    Value::Coded(
                        list(&|o| o.to_owned()),
                        list(&|o| item.outcome_name(o).to_owned()),
                    )
                }
            };
            let cap = item.cap.as_ref().map(|c| {
                crate::tr!(
                    "cap-per",
                    cap = number(c.points),
                    per = crate::output::label("term", &c.per_label)
                )
            });
            vec![
                Value::text(&item.code),
                {
                    let c = &rules.categories[item.category];
                    let shown = if crate::i18n::is_zh() { &c.name } else { &c.id };
                    Value::Coded(c.id.clone(), shown.clone())
                },
                Value::text(&item.name),
                points,
                Value::opt_text(cap),
                Value::term(if item.requires_ref { "yes" } else { "no" }),
                Value::text(item.aliases.join(" ")),
            ]
        })
        .collect();
    items.sections.push(Section { title: None, rows });
    report.tables.push(items);
    let mut obligations = Table::new(
        "obligations",
        ["item", "at_least", "per"]
            .into_iter()
            .map(Column::new)
            .collect(),
    );
    obligations.title = Some(crate::tr!("table-obligations"));
    let rows = rules
        .obligations
        .iter()
        .map(|o| {
            vec![
                Value::Coded(
                    rules.items[o.item].code.clone(),
                    rules.items[o.item].short_name().to_owned(),
                ),
                Value::Int(o.at_least as i64),
                Value::Coded(o.per.name().to_owned(), o.per.label()),
            ]
        })
        .collect();
    obligations.sections.push(Section { title: None, rows });
    report.tables.push(obligations);
    report
}
