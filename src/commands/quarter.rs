//! `tally quarter [2025Q3]`: the quarterly ranking the office publishes.

use crate::cli::QuarterArgs;
use crate::context::{Ctx, Nobody, Takes, period_arg};
use crate::domain::Period;
use crate::error::{Error, Exit};
use crate::reports::quarter;

pub fn run(ctx: &Ctx, args: &QuarterArgs) -> Result<Exit, Error> {
    let period = period_arg(
        args.period.as_deref(),
        Takes::Quarter,
        ctx.today,
        Period::last_complete_quarter(ctx.today),
    )?;
    let book = ctx.book()?;
    let (rules, roster) = (&book.rules, &book.roster);
    if let Some(s) = &args.studio
        && roster.studio_index(s).is_none()
    {
        return Err(Error::usage(crate::tr!(
            "msg-unknown-studio",
            studio = s,
            studios = roster.studios.join(", ")
        )));
    }
    let within = args.rank_within.unwrap_or(rules.rules.meta.rank_within);
    let (scores, ledger) = ctx.score(&book, period.year(), period.last_day(), &mut Nobody)?;
    let mut rows = quarter::rows(&rules.rules, roster, &scores, period, within);
    crate::published::warn_if_restated(
        ctx,
        &book.ws,
        period,
        &crate::published::quarter_figures(&rules.rules, roster, &rows),
        within == rules.rules.meta.rank_within,
    );
    if let Some(s) = &args.studio {
        rows.retain(|r| &roster.delegates[r.delegate].studio == s);
    }
    let mut report = quarter::report(&rules.rules, roster, &rows, period, within);
    let note = crate::context::in_progress(period, ctx.today, &ledger);
    ctx.present(&mut report, &book.ws, rules, &ledger, note);
    ctx.emit(&report)?;
    Ok(Exit::Ok)
}
