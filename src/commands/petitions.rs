//! `tally petitions`: open items, overdue items, scorecards; `--fail-on-overdue` for cron.

use crate::cli::{GroupBy, KindArg, PetitionsArgs};
use crate::context::{Ctx, LedgerInfo, date_arg};
use crate::domain::Kind;
use crate::error::{Error, Exit};
use crate::reports::petitions::{self, By};

pub fn run(ctx: &Ctx, args: &PetitionsArgs) -> Result<Exit, Error> {
    let as_of = match &args.as_of {
        Some(v) => date_arg("--as-of", v)?,
        None => ctx.today,
    };
    let ws = ctx.workspace()?;
    let rules = ctx.rules(Some(&ws))?;
    let roster = ctx.roster(&ws)?;
    if !ws.petitions.exists() {
        return Err(Error::no_input(format!(
            "{}: no petitions register (create it with the header of `tally init`)",
            ctx.show(&ws.petitions)
        )));
    }
    let register = ctx.petitions(&ws, &roster)?;
    let kind = args.kind.map(|k| match k {
        KindArg::Petition => Kind::Petition,
        KindArg::Proposal => Kind::Proposal,
        KindArg::Motion => Kind::Motion,
    });
    let items = petitions::as_of(&register, &rules.rules, as_of, kind);
    let mut report = match args.by {
        None => petitions::open_report(&items, &roster, as_of),
        Some(by) => {
            let by = match by {
                GroupBy::Department => By::Department,
                GroupBy::Delegate => By::Delegate,
                GroupBy::Studio => By::Studio,
                GroupBy::Category => By::Category,
            };
            petitions::scorecard_report(&items, &roster, by, as_of)
        }
    };
    if let Some(k) = kind {
        report
            .meta
            .push(("kind".into(), crate::output::Value::text(k.name())));
    }
    report.title = format!("{} — {}", ws.name, report.title);
    let register_info = LedgerInfo {
        hash: crate::workspace::short_hash(&std::fs::read(&ws.petitions).unwrap_or_default()),
        newest: register.iter().map(|p| p.received).max(),
    };
    report.stamp = Some(ctx.stamp(&ws, &rules, &register_info));
    ctx.emit(&report)?;
    let overdue = items.iter().filter(|i| i.days_overdue().is_some()).count();
    if args.fail_on_overdue && overdue > 0 {
        ctx.found(format!("{overdue} item(s) overdue as of {as_of}"));
        return Ok(Exit::Found);
    }
    Ok(Exit::Ok)
}
