//! `tally records`: the ledger as a register, filtered, with each record's points and key.

use crate::cli::RecordsArgs;
use crate::context::{Ctx, date_arg};
use crate::domain::{Lookup, Period};
use crate::error::{Error, Exit};
use crate::reports::records::{self, Filter, Register};
use chrono::{Datelike, NaiveDate};

pub fn run(ctx: &Ctx, args: &RecordsArgs) -> Result<Exit, Error> {
    let (from, to, label) = range(ctx, args)?;
    let book = ctx.book()?;
    let rules = &book.rules.rules;
    let mut filter = Filter {
        from: Some(from),
        to: Some(to),
        reference: args.reference.clone(),
        voided_only: args.voided,
        ..Filter::default()
    };
    if let Some(d) = &args.delegate {
        let i = book.roster.find(d).map_err(|e| {
            let why = match e {
                Lookup::AmbiguousName => crate::tr!("msg-lookup-ambiguous"),
                Lookup::Unknown => crate::tr!("msg-check-not-in-roster"),
            };
            Error::usage(crate::tr!("msg-delegate-arg", delegate = d, why = why))
        })?;
        filter.delegate = Some(book.roster.delegates[i].id.clone());
    }
    if let Some(s) = &args.studio {
        if book.roster.studio_index(s).is_none() {
            return Err(Error::usage(crate::tr!(
                "msg-studio-arg",
                studio = s,
                studios = crate::error::capped(&book.roster.studios, 10)
            )));
        }
        filter.studio = Some(s.clone());
    }
    if let Some(i) = &args.item {
        filter.item = Some(
            rules
                .item_for(i)
                .ok_or_else(|| Error::usage(crate::tr!("msg-item-arg", item = i)))?,
        );
    }
    if let Some(f) = &args.source {
        filter.source = Some(book.ws.source_name(f, &ctx.paths));
    }
    let mut register = Register {
        filter,
        roster: &book.roster,
        entries: Vec::new(),
    };
    let mut newest = None;
    let mut hash = String::new();
    // Each cycle is scored from its first day, so that caps cut where they cut.
    for year in from.year()..=to.year() {
        let until = to.min(Period::Year(year).last_day());
        let (_, info) = ctx.score(&book, year, until, &mut register)?;
        newest = newest.max(info.newest);
        hash = info.hash;
    }
    for e in &mut register.entries {
        e.record.source = ctx.show(&book.ws.root.join(&e.record.source));
    }
    let mut report = records::report(rules, &book.roster, &register.entries, &label);
    let info = crate::context::LedgerInfo { hash, newest };
    ctx.present(&mut report, &book.ws, &book.rules, &info, None);
    ctx.emit(&report)?;
    Ok(Exit::Ok)
}

/// The dates asked for: a period, or `--from`/`--to`, else the cycle to date.
fn range(ctx: &Ctx, args: &RecordsArgs) -> Result<(NaiveDate, NaiveDate, String), Error> {
    let from = args
        .from
        .as_deref()
        .map(|v| date_arg("--from", v))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|v| date_arg("--to", v))
        .transpose()?;
    let (start, end, label) = match &args.period {
        Some(p) => {
            let period = crate::context::parse_period_arg(p, crate::context::Takes::Either)?;
            (period.first_day(), period.last_day(), period.human())
        }
        None => {
            let start = from.unwrap_or_else(|| Period::Year(ctx.today.year()).first_day());
            let end = to.unwrap_or(ctx.today);
            let label = crate::tr!(
                "label-date-range",
                from = crate::i18n::date(start),
                to = crate::i18n::date(end)
            );
            (start, end, label)
        }
    };
    let (start, end) = (from.unwrap_or(start).max(start), to.unwrap_or(end).min(end));
    if start > end {
        return Err(Error::usage(crate::tr!(
            "msg-from-after-to",
            from = start,
            to = end
        )));
    }
    Ok((start, end, label))
}
