//! `tally petitions`: open items, items due soon, overdue items, scorecards, one digest per
//! recipient; `--fail-on-overdue`, `--fail-on-due-soon` and `--fail-on-below-standard` for
//! cron.

use crate::cli::{GroupBy, KindArg, PetitionsArgs, SplitBy};
use crate::context::{Ctx, LedgerInfo, date_arg};
use crate::domain::Kind;
use crate::error::{Error, Exit};
use crate::output::{Format, Report, Value};
use crate::reports::petitions::{self, By, Extras, Item};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::Path;

/// The due-soon window of digests when `--due-within` is not given.
const DIGEST_DUE_WITHIN: u32 = 3;

pub fn run(ctx: &Ctx, args: &PetitionsArgs) -> Result<Exit, Error> {
    let as_of = match &args.as_of {
        Some(v) => date_arg("--as-of", v)?,
        None => ctx.today,
    };
    if args.split_by.is_some() && ctx.global.output.is_none() {
        return Err(Error::usage(crate::tr!("msg-split-by-needs-dir")));
    }
    let ws = ctx.workspace()?;
    let rules = ctx.rules(Some(&ws))?;
    let standards = rules.rules.petitions.standards.as_ref();
    if args.fail_on_below_standard && standards.is_none() {
        return Err(Error::usage(crate::tr!(
            "msg-no-standards",
            rules = &rules.shown
        )));
    }
    let roster = ctx.roster(&ws)?;
    if !ws.petitions.exists() {
        return Err(Error::no_input(crate::tr!(
            "msg-no-petitions-register",
            path = ctx.show(&ws.petitions)
        )));
    }
    let register = ctx.petitions(&ws, &roster)?;
    let ratings = ctx.ratings(&ws, &roster)?;
    let kind = args.kind.map(|k| match k {
        KindArg::Petition => Kind::Petition,
        KindArg::Proposal => Kind::Proposal,
        KindArg::Motion => Kind::Motion,
    });
    let r = &rules.rules;
    let items = petitions::as_of(&register, r, as_of, kind);
    let window = args.due_within.or(args.split_by.map(|_| DIGEST_DUE_WITHIN));
    let horizon = window.map(|n| (n, petitions::horizon(as_of, n, r)));
    warn_uncovered(ctx, &register, &rules, horizon.map(|(_, h)| h));
    let register_info = LedgerInfo {
        hash: crate::workspace::file_hash(&ws.petitions),
        newest: register.iter().map(|p| p.received).max(),
    };
    let finish = |mut report: Report| {
        if let Some(k) = kind {
            report.meta.push(("kind".into(), Value::text(k.name())));
        }
        ctx.present(&mut report, &ws, &rules, &register_info, None);
        report
    };
    if let (Some(split), Some(dir), Some((n, h))) = (args.split_by, &ctx.global.output, horizon) {
        let to = match split {
            SplitBy::Department => By::Department,
            SplitBy::Studio => By::Studio,
            SplitBy::Delegate => By::Delegate,
        };
        let label = petitions::days_label(n, r);
        let digests = petitions::digests(&items, &roster, to, as_of, h, &label)
            .into_iter()
            .map(|(group, report)| (group, finish(report)))
            .collect();
        write_digests(ctx, digests, dir, to)?;
    } else {
        let report = match (args.by, horizon) {
            (Some(by), _) => {
                let by = match by {
                    GroupBy::Department => By::Department,
                    GroupBy::Delegate => By::Delegate,
                    GroupBy::Studio => By::Studio,
                    GroupBy::Category => By::Category,
                };
                let extras = Extras {
                    standards,
                    ratings: ratings.as_deref(),
                };
                petitions::scorecard_report(&items, &roster, by, as_of, extras)
            }
            (None, Some((n, h))) => {
                petitions::due_soon_report(&items, &roster, as_of, h, &petitions::days_label(n, r))
            }
            (None, None) => petitions::open_report(&items, &roster, as_of),
        };
        ctx.emit(&finish(report))?;
    }
    Ok(fail_on(ctx, args, &items, &roster, as_of, horizon, r))
}

/// The `--fail-on-*` checks: each one found says so on one line; exit 1 when any did.
fn fail_on(
    ctx: &Ctx,
    args: &PetitionsArgs,
    items: &[Item],
    roster: &crate::domain::Roster,
    as_of: NaiveDate,
    horizon: Option<(u32, NaiveDate)>,
    rules: &crate::domain::rules::Rules,
) -> Exit {
    let mut exit = Exit::Ok;
    let overdue = items.iter().filter(|i| i.days_overdue().is_some()).count();
    if args.fail_on_overdue && overdue > 0 {
        ctx.found(crate::tr!("msg-found-overdue", n = overdue, as_of = as_of));
        exit = Exit::Found;
    }
    if let (true, Some((n, h))) = (args.fail_on_due_soon, horizon) {
        let soon = items.iter().filter(|i| i.due_soon(h)).count();
        if soon > 0 {
            ctx.found(crate::tr!(
                "msg-found-due-soon",
                n = soon,
                within = petitions::days_label(n, rules),
                as_of = as_of,
                by = h
            ));
            exit = Exit::Found;
        }
    }
    if let (true, Some(st)) = (
        args.fail_on_below_standard,
        rules.petitions.standards.as_ref(),
    ) {
        let below = petitions::departments_below(items, roster, st);
        if !below.is_empty() {
            ctx.found(crate::tr!(
                "msg-found-below-standard",
                n = below.len(),
                as_of = as_of,
                departments = below.join(&crate::tr!("check-count-separator"))
            ));
            exit = Exit::Found;
        }
    }
    exit
}

/// Warns once per year in which a deadline counted in working days falls that the rules'
/// calendar lists no holidays for.
pub fn warn_uncovered(
    ctx: &Ctx,
    register: &[crate::domain::Petition],
    rules: &crate::workspace::LoadedRules,
    horizon: Option<NaiveDate>,
) {
    use chrono::Datelike;
    let mut years = petitions::uncovered_years(register, &rules.rules);
    if let Some(h) = horizon.filter(|h| {
        rules.rules.petitions.reply_within.working_days() && !rules.rules.calendar.covers(h.year())
    }) {
        years
            .entry(h.year())
            .or_insert_with(|| ("--due-within".to_owned(), h));
    }
    for (year, (what, day)) in years {
        ctx.warn(petitions::uncovered_warning(&rules.shown, year, &what, day));
    }
}

/// A file name for a group: the characters no file system takes become `_`.
fn file_stem(group: &str) -> String {
    let cleaned: String = group
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "_".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Writes one file per group into `dir` as one journaled transaction: all or none.
fn write_digests(
    ctx: &Ctx,
    digests: Vec<(String, Report)>,
    dir: &Path,
    to: By,
) -> Result<(), Error> {
    // Digests are mailed: a self-contained page unless --format says otherwise.
    let format = ctx.global.format.unwrap_or(Format::Html);
    let ext = match format {
        Format::Table => "txt",
        f => f.name(),
    };
    let mut taken = HashSet::new();
    let n = digests.len();
    let files = digests.into_iter().map(|(group, report)| {
        let stem = file_stem(&group);
        let mut name = format!("{stem}.{ext}");
        let mut k = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{stem}-{k}.{ext}");
            k += 1;
        }
        (name, report)
    });
    ctx.write_set(dir, format, files)?;
    ctx.note(crate::tr!(
        "msg-wrote-digests",
        n = n,
        group = to.name(),
        ext = ext,
        dir = ctx.show(dir)
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn group_names_make_safe_file_names() {
        assert_eq!(file_stem("区交通运输局"), "区交通运输局");
        assert_eq!(file_stem("a/b\\c:d"), "a_b_c_d");
        assert_eq!(file_stem(".."), "_");
        assert_eq!(file_stem(" .hidden "), "hidden");
    }
}
