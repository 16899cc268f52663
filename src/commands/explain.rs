//! `tally explain DELEGATE [PERIOD]`: the audit trail behind a total.

use crate::cli::ExplainArgs;
use crate::context::Ctx;
use crate::domain::Period;
use crate::domain::period::month_index;
use crate::error::{Error, Exit};
use crate::output::Format;
use crate::reports::explain::{self, Explained, Trail};
use chrono::Datelike;
use std::collections::HashMap;

pub fn run(ctx: &Ctx, args: &ExplainArgs) -> Result<Exit, Error> {
    let (from, to, mut label, period) = match &args.period {
        None => {
            let start = Period::Year(ctx.today.year()).first_day();
            (
                start,
                ctx.today,
                crate::tr!(
                    "label-cycle-to-date",
                    from = crate::i18n::date(start),
                    to = crate::i18n::date(ctx.today)
                ),
                None,
            )
        }
        Some(p) => {
            let period = crate::context::period_arg(
                Some(p),
                crate::context::Takes::Either,
                ctx.today,
                Period::Year(ctx.today.year()),
            )?;
            (
                period.first_day(),
                period.last_day(),
                period.human(),
                Some(period),
            )
        }
    };
    if ctx.format()? == Format::Csv {
        return Err(Error::usage(crate::tr!("msg-explain-no-csv")));
    }
    let book = ctx.book()?;
    let (rules, roster) = (&book.rules, &book.roster);
    let d = ctx.delegate_arg(&book, &args.delegate)?;
    let delegate = &roster.delegates[d];
    let mut trail = Trail {
        delegate: delegate.id.clone(),
        from,
        to,
        lines: Vec::new(),
    };
    let (scores, ledger) = ctx.score(&book, from.year(), to, &mut trail)?;
    // The ledger names sources relative to the workspace; show them from where the user stands
    // (each file once: a delegate's records come from few files).
    let mut shown: HashMap<String, String> = HashMap::new();
    for line in &mut trail.lines {
        if let Some((file, at)) = line.source.rsplit_once(':') {
            let file = shown
                .entry(file.to_owned())
                .or_insert_with(|| ctx.show(&book.ws.root.join(file)));
            line.source = format!("{file}:{at}");
        }
    }
    if let Some(note) = period.and_then(|p| crate::context::in_progress(p, ctx.today, &ledger)) {
        label = crate::tr!("title-with-note", title = label, note = note);
    }
    let in_period: Vec<_> = book
        .adjustments
        .iter()
        .filter(|a| a.delegate == delegate.id && a.date >= from && a.date <= to)
        .collect();
    let explained = Explained {
        rules: &rules.rules,
        delegate,
        label,
        trail: &trail,
        adjustments: in_period,
        year: &scores.delegates[d],
        period_months: month_index(from)..=month_index(to),
        cycle_months: 0..=month_index(to),
    };
    let mut report = explain::report(&explained);
    report.stamp = Some(ctx.stamp(&book.ws, rules, &ledger));
    ctx.emit(&report)?;
    Ok(Exit::Ok)
}
