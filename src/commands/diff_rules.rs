//! `tally diff-rules DRAFT.toml [PERIOD]`: the same ledger scored under both tables.

use crate::cli::DiffRulesArgs;
use crate::context::{Book, Ctx, LedgerInfo, Nobody};
use crate::domain::Period;
use crate::error::{Error, Exit};
use crate::reports::{diff_rules, quarter};
use crate::workspace::load_rules;

pub fn run(ctx: &Ctx, args: &DiffRulesArgs) -> Result<Exit, Error> {
    let asked = crate::context::period_arg(
        args.period.as_deref(),
        crate::context::Takes::Either,
        ctx.today,
        Period::last_complete_quarter(ctx.today),
    )?;
    // A year is compared as its cumulative ranking at the end of Q4.
    let period = match asked {
        Period::Year(year) => Period::Quarter { year, q: 4 },
        quarter => quarter,
    };
    let book = ctx.book()?;
    let draft = Book {
        rules: load_rules(Some(&args.draft), Some(&book.ws), &ctx.paths)?,
        ws: book.ws.clone(),
        roster: book.roster.clone(),
        adjustments: book.adjustments.clone(),
    };
    let rows = |b: &Book| -> Result<(Vec<quarter::QuarterRow>, LedgerInfo), Error> {
        let (scores, ledger) = ctx.score(b, period.year(), period.last_day(), &mut Nobody)?;
        let within = b.rules.rules.meta.rank_within;
        Ok((
            quarter::rows(&b.rules.rules, &b.roster, &scores, period, within),
            ledger,
        ))
    };
    let (now, ledger) = rows(&book)?;
    // The ledger is fine; it is the draft that cannot score it.
    let (under_draft, _) = rows(&draft).map_err(|e| {
        e.under(&crate::tr!(
            "msg-under-the-draft",
            draft = &draft.rules.shown
        ))
    })?;
    let moves = diff_rules::moves(&book.roster, &now, &under_draft);
    let mut report = diff_rules::report(&book.roster, &moves, period, &draft.rules.shown);
    report.meta.push((
        "draft_rules_hash".into(),
        crate::output::Value::text(&draft.rules.hash),
    ));
    let note = crate::context::in_progress(asked, ctx.today, &ledger);
    ctx.present(&mut report, &book.ws, &book.rules, &ledger, note);
    ctx.emit(&report)?;
    Ok(Exit::Ok)
}
