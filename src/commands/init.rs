//! `tally init [DIR]`: a new workspace with the default rules and empty data files.

use crate::context::Ctx;
use crate::error::{Error, Exit};
use crate::fsutil::Staged;
use crate::input::rules::DEFAULT_RULES;
use crate::input::{ColumnSpec, files};
use crate::workspace::CONFIG_FILE;
use std::path::Path;

const TALLY_TOML: &str = r#"# tally workspace: every key is optional; paths are relative to this file.
[workspace]
name = "NAME"
lang = "zh"                           # what people read: zh or en (csv and json keys stay English)
rules = "rules/yantian-2013.toml"     # the point table
delegates = "data/delegates.csv"      # the roster
ledger = "data/ledger"                # imported activity records, one CSV per year
petitions = "data/petitions.csv"      # petitions register
evaluations = "data/evaluations.csv"  # annual evaluation marks
adjustments = "data/adjustments.csv"  # review-team corrections
"#;

/// The files `init` writes: each data file with its header from the column specs the
/// readers use, and the default rules.
fn files() -> Vec<(&'static str, String)> {
    let header = |spec: &[ColumnSpec]| {
        let names: Vec<&str> = spec.iter().map(|c| c.name).collect();
        format!("{}\n", names.join(","))
    };
    vec![
        ("data/delegates.csv", header(files::ROSTER)),
        ("data/petitions.csv", header(files::petitions_register())),
        ("data/evaluations.csv", header(files::EVALUATIONS)),
        ("data/adjustments.csv", header(files::ADJUSTMENTS)),
        ("rules/yantian-2013.toml", DEFAULT_RULES.to_owned()),
    ]
}

pub fn run(ctx: &Ctx, dir: Option<&Path>) -> Result<Exit, Error> {
    let root = ctx.paths.absolute(dir.unwrap_or(Path::new(".")));
    let shown = ctx.show(&root);
    if root.join(CONFIG_FILE).exists() {
        return Err(Error::cant_create(crate::tr!(
            "msg-already-a-workspace",
            path = &shown,
            config = CONFIG_FILE
        )));
    }
    let rules = ctx.rules(None)?;
    let templates = super::template::inbox_templates(&rules.rules, None)?;
    let files = files();
    let rels = files
        .iter()
        .map(|(rel, _)| *rel)
        .chain(templates.iter().map(|(rel, _)| rel.as_str()));
    for rel in rels {
        if root.join(rel).exists() {
            return Err(Error::cant_create(crate::tr!(
                "msg-already-exists",
                path = ctx.show(&root.join(rel))
            )));
        }
    }
    let name = root
        .file_name()
        .map_or_else(|| "tally".to_owned(), |n| n.to_string_lossy().into_owned());
    let config = TALLY_TOML.replace("NAME", &name.replace(['"', '\\'], ""));
    let io = |e: std::io::Error| Error::write(&shown, &e);
    for (rel, _) in &files {
        if let Some(dir) = root.join(rel).parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
    }
    let mut staged = Staged::new();
    staged
        .write(&root.join(CONFIG_FILE), |w| w.write_all(config.as_bytes()))
        .map_err(io)?;
    for (rel, text) in &files {
        staged
            .write(&root.join(rel), |w| w.write_all(text.as_bytes()))
            .map_err(io)?;
    }
    std::fs::create_dir_all(root.join("data/ledger")).map_err(io)?;
    std::fs::create_dir_all(root.join("inbox")).map_err(io)?;
    // Empty sheets for the offices to fill, so `tally import inbox/*.csv` works at once.
    for (rel, bytes) in &templates {
        staged
            .write(&root.join(rel), |w| w.write_all(bytes))
            .map_err(io)?;
    }
    staged.commit().map_err(io)?;
    ctx.note(crate::tr!("msg-created-workspace", path = &shown));
    Ok(Exit::Ok)
}
