//! `tally studios [PERIOD]`: the per-studio summary for organisers, ranked by mean points.

use crate::cli::StudiosArgs;
use crate::context::{Ctx, Nobody};
use crate::domain::Period;
use crate::domain::rules::RankWithin;
use crate::error::{Error, Exit};
use crate::reports::{annual, petitions, quarter, studios};

pub fn run(ctx: &Ctx, args: &StudiosArgs) -> Result<Exit, Error> {
    let period = crate::context::period_arg(
        args.period.as_deref(),
        crate::context::Takes::Either,
        ctx.today,
        Period::last_complete_quarter(ctx.today),
    )?;
    let book = ctx.book()?;
    let (rules, roster) = (&book.rules.rules, &book.roster);
    let register = ctx.petitions(&book.ws, roster)?;
    let (scores, ledger) = ctx.score(&book, period.year(), period.last_day(), &mut Nobody)?;
    // The delegates and totals `quarter` or `annual` list for the period: one engine.
    let listed: Vec<_> = match period {
        Period::Quarter { .. } => quarter::rows(rules, roster, &scores, period, RankWithin::Studio)
            .iter()
            .map(|r| (r.delegate, r.points_total))
            .collect(),
        Period::Year(_) => annual::rows(rules, roster, &scores, &[])
            .iter()
            .map(|r| (r.delegate, r.points_total))
            .collect(),
    };
    // While the period runs, obligations and overdue items stand as of today.
    let as_of = period.last_day().min(ctx.today);
    let items = petitions::as_of(&register, rules, as_of, None);
    let rows = studios::rows(rules, roster, &scores, &listed, &items, as_of);
    let mut report = studios::report(roster, &rows, period, as_of);
    let note = crate::context::in_progress(period, ctx.today, &ledger);
    ctx.present(&mut report, &book.ws, &book.rules, &ledger, note);
    ctx.emit(&report)?;
    Ok(Exit::Ok)
}
