//! `tally rules`: the point table in force (the built-in one when there is no workspace).

use crate::context::Ctx;
use crate::error::{Error, Exit};
use crate::reports::rules_table;

pub fn run(ctx: &Ctx) -> Result<Exit, Error> {
    let ws = match ctx.workspace() {
        Ok(ws) => Some(ws),
        // With no -w and no tally.toml around, the built-in table is what the user wants.
        Err(e) if e.exit == Exit::NoInput && ctx.global.workspace.is_none() => None,
        Err(e) => return Err(e),
    };
    let rules = ctx.rules(ws.as_ref())?;
    let report = rules_table::build(&rules, ws.as_ref());
    ctx.emit(&report)?;
    Ok(Exit::Ok)
}
