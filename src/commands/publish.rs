//! `tally publish PERIOD [--restate --reason TEXT]`: the notice of a quarter or a year and
//! the record of its figures as published, written together into `published/`.

use crate::cli::{NoticeFormat, PublishArgs};
use crate::context::Ctx;
use crate::domain::Period;
use crate::error::{Error, Exit};
use crate::fsutil::Staged;
use crate::output::{self, Column, Format, Report, Section, Table, Value};
use crate::published::{self, Publication, Restatement};

pub fn run(ctx: &Ctx, args: &PublishArgs) -> Result<Exit, Error> {
    let period = crate::context::period_arg(
        Some(&args.period),
        crate::context::Takes::Either,
        ctx.today,
        Period::last_complete_quarter(ctx.today),
    )?;
    let book = ctx.book()?;
    // Under the ledger lock: the figures published are those of one ledger, and two
    // publishers of one period cannot both write version 1.
    let _lock = crate::ledger::LedgerLock::acquire(
        &book.ws.ledger,
        &ctx.show(&book.ws.ledger),
        ctx.global.quiet,
    )?;
    let before = published::latest(ctx, &book.ws, period)?;
    match (&before, args.restate) {
        (Some((p, path)), false) => {
            return Err(Error::usage(crate::tr!(
                "msg-already-published",
                period = period.to_string(),
                path = ctx.show(path),
                version = p.version.to_string(),
                at = &p.published_at
            )));
        }
        (None, true) => {
            return Err(Error::usage(crate::tr!(
                "msg-nothing-to-restate",
                period = period.to_string()
            )));
        }
        _ => {}
    }
    let mut current = published::current(ctx, &book, period)?;
    let (version, restatement) = match &before {
        Some((p, _)) => (
            p.version + 1,
            published::restatements(p, &current, &book.rules.hash),
        ),
        None => (1, Vec::new()),
    };
    let record = published::publication(
        ctx,
        &book,
        period,
        version,
        args.reason.clone(),
        &current,
        restatement,
    );
    dress_notice(&mut current.notice, &record);
    let written = write(ctx, &book.ws, period, &record, &current.notice, &args.also)?;
    let files = written.join(&crate::tr!("list-separator"));
    match &before {
        None => ctx.say(crate::tr!(
            "msg-published",
            period = period.to_string(),
            n = record.figures.len(),
            files = &files
        )),
        Some(_) => ctx.say(crate::tr!(
            "msg-restated-as",
            period = period.to_string(),
            version = version.to_string(),
            n = record.restatement.len(),
            files = &files
        )),
    }
    for r in &record.restatement {
        ctx.say(format!("  {}", r.line()));
    }
    Ok(Exit::Ok)
}

/// A restated notice says so: its version, the reason, and the list of changes.
fn dress_notice(notice: &mut Report, record: &Publication) {
    notice
        .meta
        .push(("version".into(), Value::Int(i64::from(record.version))));
    if record.version > 1 {
        notice
            .title
            .push_str(&format!(" — restated, version {}", record.version));
        notice
            .meta
            .push(("reason".into(), Value::opt_text(record.reason.clone())));
        notice.tables.push(restatement_table(&record.restatement));
    }
}

fn restatement_table(list: &[Restatement]) -> Table {
    let mut t = Table::new(
        "restatement",
        vec![
            Column::new("delegate"),
            Column::new("name"),
            Column::new("published"),
            Column::new("now"),
            Column::new("why"),
        ],
    );
    t.title = Some("Restatement".into());
    t.sections.push(Section {
        title: None,
        rows: list
            .iter()
            .map(|r| {
                vec![
                    Value::text(&r.delegate),
                    Value::text(&r.name),
                    Value::text(&r.published),
                    Value::text(&r.now),
                    Value::text(&r.why),
                ]
            })
            .collect(),
    });
    t
}

/// The notice in each format and the json record, as one journaled transaction: all of
/// them or none. Returns the files written, as shown.
fn write(
    ctx: &Ctx,
    ws: &crate::workspace::Workspace,
    period: Period,
    record: &Publication,
    notice: &Report,
    also: &[NoticeFormat],
) -> Result<Vec<String>, Error> {
    let dir = published::folder(ws);
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&ctx.show(&dir), &e))?;
    let _ = crate::fsutil::recover(&dir, false);
    let stem = published::stem(period, record.version);
    let mut formats = vec![Format::Html];
    for f in also {
        let f = match f {
            NoticeFormat::Csv => Format::Csv,
            NoticeFormat::Xlsx => Format::Xlsx,
        };
        if !formats.contains(&f) {
            formats.push(f);
        }
    }
    let mut staged = Staged::journaled_in(&dir);
    let mut shown = Vec::new();
    for format in formats {
        let path = dir.join(format!("{stem}.{}", format.name()));
        let s = ctx.show(&path);
        staged
            .write(&path, |w| output::render(notice, format, ctx.global.bom, w))
            .map_err(|e| Error::write(&s, &e))?;
        shown.push(s);
    }
    let path = dir.join(format!("{stem}.json"));
    let s = ctx.show(&path);
    staged
        .write(&path, |w| {
            serde_json::to_writer_pretty(&mut *w, record).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })
        .map_err(|e| Error::write(&s, &e))?;
    shown.push(s);
    staged
        .commit()
        .map_err(|e| Error::write(&ctx.show(&dir), &e))?;
    Ok(shown)
}
