//! Import templates (`tally template KIND`): an empty sheet with a file's headers, in xlsx
//! with drop-down lists from the rules and the roster, date and count checks, a frozen
//! header, sized columns, and a 说明 sheet explaining each column and the point table.
//! A filled template imports as it is: its header is the one the reader matches.

use crate::domain::Roster;
use crate::domain::rules::{Rules, Scoring};
use crate::input::ColumnSpec;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, Format, Formula, Workbook, XlsxError,
};

/// Rows of the sheet that carry the checks and drop-downs.
const ROWS: u32 = 2000;

/// Which header a template writes: the English name or the Chinese alias.
pub use crate::i18n::Lang;

pub struct Template<'a> {
    /// The sheet's name (`activities`, `履职记录`).
    pub sheet: &'a str,
    pub schema: &'a [ColumnSpec],
    pub lang: Lang,
    pub rules: &'a Rules,
    pub roster: Option<&'a Roster>,
}

pub fn header(c: &ColumnSpec, lang: Lang) -> &'static str {
    match lang {
        Lang::En => c.name,
        Lang::Zh => c.alias,
    }
}

/// The CSV form: the header line alone.
pub fn csv(schema: &[ColumnSpec], lang: Lang) -> String {
    let cells: Vec<&str> = schema.iter().map(|c| header(c, lang)).collect();
    format!("{}\n", cells.join(","))
}

const DATE_COLUMNS: [&str; 8] = [
    "date",
    "received",
    "forwarded",
    "due",
    "replied",
    "resolved",
    "joined",
    "left",
];

/// What a column holds, for the 说明 sheet.
fn meaning(name: &str) -> &'static str {
    match name {
        "id" => "unique id (optional for activity records) / 编号",
        "date" => "day, as a date cell / 日期",
        "delegate" => "roster id or unique name; the list gives `id 姓名` / 代表",
        "activity" => "item of the point table: code, name or alias (list) / 履职项目",
        "count" => "whole number from 1, empty = 1 / 次数",
        "outcome" => "for items scored by outcome (list) / 评价",
        "ref" => "petition or motion id, where the item requires it / 关联编号",
        "note" => "free text / 备注",
        "name" => "full name / 姓名",
        "studio" => "community office the delegate is posted to / 挂点工作室",
        "sector" => "sector office, if any / 行业工作室",
        "joined" => "first day in office; empty = before the year / 任职日期",
        "left" => "last day in office; empty = still serving / 离任日期",
        "received" => "day the delegate took it up / 登记日期",
        "channel" => "visit / phone / online / card / 渠道",
        "category" => "e.g. traffic, education / 类别",
        "summary" => "summary / 摘要",
        "department" => "department handling it, once forwarded / 承办单位",
        "forwarded" => "day it was forwarded / 转办日期",
        "due" => "reply deadline; empty = forwarded + the rules' days / 办理期限",
        "replied" => "department's reply / 答复日期",
        "resolved" => "day it was resolved / 办结日期",
        "satisfaction" => "very_satisfied / satisfied / dissatisfied / 满意度",
        "kind" => "petition (default) / proposal / motion / 类型",
        "year" => "year of the evaluation / 年度",
        "group" => "evaluator group (list) / 评议组",
        "score" => "0 to 100 / 得分",
        "points" => "signed points, e.g. -5 or 10 / 积分",
        "reason" => "why (required) / 理由",
        "approved_by" => "who approved it / 审批人",
        _ => "",
    }
}

/// The template as xlsx bytes.
pub fn xlsx(t: &Template) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let lists = lists(t);
    {
        let sheet = book.add_worksheet();
        sheet.set_name(t.sheet)?;
        for (c, spec) in t.schema.iter().enumerate() {
            let col = c as u16;
            let head = header(spec, t.lang);
            sheet.write_string_with_format(0, col, head, &bold)?;
            let wide = match spec.name {
                "activity" | "delegate" | "note" | "summary" | "reason" => 24.0,
                "outcome" | "department" | "studio" => 16.0,
                _ => 12.0,
            };
            sheet.set_column_width(col, wide)?;
            if DATE_COLUMNS.contains(&spec.name) {
                sheet.set_column_format(col, &date_format)?;
                let v = DataValidation::new()
                    .allow_date(DataValidationRule::Between(
                        ExcelDateTime::from_ymd(2000, 1, 1)?,
                        ExcelDateTime::from_ymd(2099, 12, 31)?,
                    ))
                    .set_error_message("a date, e.g. 2025-03-01 / 请输入日期")?;
                sheet.add_data_validation(1, col, ROWS, col, &v)?;
            } else if spec.name == "count" {
                let v = DataValidation::new()
                    .allow_whole_number(DataValidationRule::Between(1, 10000))
                    .set_error_message("a whole number from 1 / 请输入正整数")?;
                sheet.add_data_validation(1, col, ROWS, col, &v)?;
            } else if let Some((i, list)) = lists
                .iter()
                .enumerate()
                .find(|(_, (name, _))| *name == spec.name)
                && !list.1.is_empty()
            {
                let letter = crate::input::csvfile::column_letters(i as u32);
                let range = format!("=lists!${letter}$2:${letter}${}", list.1.len() + 1);
                let v = DataValidation::new()
                    .allow_list_formula(Formula::new(range))
                    .set_error_message("choose from the list / 请从下拉列表中选择")?;
                sheet.add_data_validation(1, col, ROWS, col, &v)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    explain_sheet(&mut book, t, &bold)?;
    let sheet = book.add_worksheet();
    sheet.set_name("lists")?;
    for (c, (name, values)) in lists.iter().enumerate() {
        sheet.write_string(0, c as u16, *name)?;
        for (r, v) in values.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v)?;
        }
    }
    sheet.set_hidden(true);
    book.save_to_buffer()
}

/// The values of each drop-down, by column name.
fn lists(t: &Template) -> Vec<(&'static str, Vec<String>)> {
    let mut out = Vec::new();
    let has = |n: &str| t.schema.iter().any(|c| c.name == n);
    if has("activity") {
        let mut items = Vec::new();
        for i in &t.rules.items {
            push_new(&mut items, &i.name);
            for a in &i.aliases {
                push_new(&mut items, a);
            }
        }
        out.push(("activity", items));
    }
    if has("delegate") {
        let names = t.roster.map_or_else(Vec::new, |r| {
            r.delegates
                .iter()
                .map(|d| format!("{} {}", d.id, d.name))
                .collect()
        });
        out.push(("delegate", names));
    }
    if has("outcome") {
        let mut outcomes = Vec::new();
        for i in &t.rules.items {
            if let Scoring::ByOutcome { points, aliases } = &i.scoring {
                for (a, _) in aliases {
                    push_new(&mut outcomes, a);
                }
                for (o, _) in points {
                    push_new(&mut outcomes, o);
                }
            }
        }
        out.push(("outcome", outcomes));
    }
    if has("group") {
        let groups = t.rules.review.groups.iter().map(|(g, _)| g.clone());
        let aliases = t.rules.review.group_aliases.iter().map(|(a, _)| a.clone());
        out.push(("group", aliases.chain(groups).collect()));
    }
    let fixed: [(&'static str, &[&str]); 3] = [
        ("satisfaction", &["非常满意", "基本满意", "不满意"]),
        ("kind", &["petition", "proposal", "motion"]),
        ("channel", &["来访", "电话", "网络", "服务卡"]),
    ];
    for (name, values) in fixed {
        if has(name) {
            out.push((name, values.iter().map(|v| (*v).to_owned()).collect()));
        }
    }
    out
}

fn push_new(list: &mut Vec<String>, v: &str) {
    if !list.iter().any(|x| x == v) {
        list.push(v.to_owned());
    }
}

/// 说明: each column, then the point table.
fn explain_sheet(book: &mut Workbook, t: &Template, bold: &Format) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("说明")?;
    sheet.set_column_width(0, 16.0)?;
    sheet.set_column_width(1, 14.0)?;
    sheet.set_column_width(2, 10.0)?;
    sheet.set_column_width(3, 60.0)?;
    for (c, h) in ["列 column", "name", "必填 required", "说明 meaning"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(0, c as u16, *h, bold)?;
    }
    let mut r = 1;
    for spec in t.schema {
        sheet.write_string(r, 0, header(spec, t.lang))?;
        sheet.write_string(r, 1, spec.name)?;
        sheet.write_string(r, 2, if spec.required { "是 yes" } else { "" })?;
        sheet.write_string(r, 3, meaning(spec.name))?;
        r += 1;
    }
    if !t.schema.iter().any(|c| c.name == "activity") {
        return Ok(());
    }
    r += 1;
    sheet.write_string_with_format(r, 0, "积分标准 point table", bold)?;
    sheet.write_string(r, 1, &t.rules.meta.name)?;
    r += 1;
    for (c, h) in ["code", "项目 name", "别名 aliases", "积分 points"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(r, c as u16, *h, bold)?;
    }
    r += 1;
    for item in &t.rules.items {
        let points = match &item.scoring {
            Scoring::PerUnit(p) => p.normalize().to_string(),
            Scoring::ByOutcome { points, .. } => points
                .iter()
                .map(|(o, p)| format!("{o} {}", p.normalize()))
                .collect::<Vec<_>>()
                .join(", "),
        };
        sheet.write_string(r, 0, &item.code)?;
        sheet.write_string(r, 1, &item.name)?;
        sheet.write_string(r, 2, item.aliases.join("、"))?;
        sheet.write_string(r, 3, points)?;
        r += 1;
    }
    Ok(())
}
