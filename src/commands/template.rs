//! `tally template KIND [-o FILE] [--lang zh|en]`: an empty import sheet. With `-o
//! FILE.xlsx`, a workbook with drop-down lists from the rules and the roster; otherwise the
//! CSV header.

use crate::cli::{TemplateArgs, TemplateKind};
use crate::context::Ctx;
use crate::domain::Roster;
use crate::domain::rules::Rules;
use crate::error::{Error, Exit};
use crate::input::{ColumnSpec, files, records};
use crate::output::Format;
use crate::output::template::{self, Lang, Template};
use std::io::Write;

pub fn run(ctx: &Ctx, args: &TemplateArgs) -> Result<Exit, Error> {
    let ws = ctx.workspace().ok();
    let rules = ctx.rules(ws.as_ref())?;
    // Without a usable roster the template simply has no delegate list.
    let roster = ws.as_ref().and_then(|ws| ctx.roster(ws).ok());
    // Headers in the run's language: Chinese headers are the columns' aliases.
    let lang = crate::i18n::lang();
    let (sheet, schema) = sheet_of(args.kind, lang);
    let t = Template {
        sheet,
        schema,
        lang,
        rules: &rules.rules,
        roster: roster.as_ref(),
    };
    let bytes = match ctx.format()? {
        Format::Xlsx => workbook(&t)?,
        Format::Csv | Format::Table => template::csv(schema, lang).into_bytes(),
        other => {
            return Err(Error::usage(crate::tr!(
                "msg-template-format",
                format = format!("{other:?}")
            )));
        }
    };
    match &ctx.global.output {
        Some(path) => {
            ctx.check_output(path)?;
            crate::fsutil::write_atomic(path, |w| w.write_all(&bytes))
                .map_err(|e| Error::write(&ctx.show(path), &e))?;
            ctx.note(crate::tr!("msg-wrote", path = ctx.show(path)));
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .map_err(|e| Error::write("stdout", &e))?;
        }
    }
    Ok(Exit::Ok)
}

fn workbook(t: &Template) -> Result<Vec<u8>, Error> {
    template::xlsx(t).map_err(|e| Error::cant_create(format!("template: {e}")))
}

/// The sheet name and the columns of each kind of file.
pub fn sheet_of(kind: TemplateKind, lang: Lang) -> (&'static str, &'static [ColumnSpec]) {
    let (en, zh, schema) = match kind {
        TemplateKind::Activities => ("activities", "履职记录", records::RECORDS),
        TemplateKind::Delegates => ("delegates", "代表名册", files::ROSTER),
        TemplateKind::Petitions => ("petitions", "社情民意登记", files::PETITIONS),
        TemplateKind::Evaluations => ("evaluations", "年终评议", files::EVALUATIONS),
        TemplateKind::Adjustments => ("adjustments", "复核调整", files::ADJUSTMENTS),
    };
    (if lang == Lang::Zh { zh } else { en }, schema)
}

/// The activity-record templates `init` puts in a new workspace's inbox.
pub fn inbox_templates(
    rules: &Rules,
    roster: Option<&Roster>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let (sheet, schema) = sheet_of(TemplateKind::Activities, Lang::En);
    let t = Template {
        sheet,
        schema,
        lang: Lang::En,
        rules,
        roster,
    };
    Ok(vec![
        (
            "inbox/activities-template.csv".to_owned(),
            template::csv(schema, Lang::En).into_bytes(),
        ),
        ("inbox/activities-template.xlsx".to_owned(), workbook(&t)?),
    ])
}
