//! `tally obligations`: who is behind on the duties so far this cycle.

use crate::cli::ObligationsArgs;
use crate::context::{Ctx, Nobody, date_arg};
use crate::error::{Error, Exit};
use crate::reports::obligations::{self, behind};
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
    let rows = obligations::rows(rules, &book.roster, &scores, as_of);
    let anyone_behind = rows.iter().any(|(_, s)| behind(s) > 0);
    let mut report = obligations::report(rules, &book.roster, &rows, as_of);
    ctx.present(&mut report, &book.ws, &book.rules, &ledger, None);
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
