//! Issue 15: hostile text in the data never acts on whoever reads a report. Every report in
//! every format it has is rendered from `tests/fixtures/hostile-names` (names, studios,
//! reasons, summaries, departments, categories, rule and workspace names made of formula
//! starters, HTML tags, ESC/OSC sequences, C1 controls and bidi overrides; see its NOTES.md):
//! - table: no control character (but the line breaks) and no bidi override reaches the
//!   terminal; they show as `\x1b`, `\u{202e}`;
//! - md and html: no tag from the data is live (`<script`, `<img`, `</style`…), html has no
//!   tag or attribute it did not write itself;
//! - csv and xlsx: a text cell starting with `=`, `+`, `-`, `@`, tab or CR is guarded — in csv
//!   with a leading `'`, in xlsx by Excel's quote prefix on the cell (text as typed after a
//!   `'`, the apostrophe not shown) — numbers are untouched (`-5`), xlsx holds no formula and
//!   legal sheet names;
//! - json keeps every value exactly as in the data (it is for scripts, and JSON escapes it).

use crate::common;

use common::Ws;
use std::io::Read;

/// Every report there is, as the command line asks for it.
const REPORTS: &[(&str, &[&str])] = &[
    ("quarter", &["quarter", "2025Q4"]),
    (
        "quarter --rank-within all",
        &["quarter", "2025Q4", "--rank-within", "all"],
    ),
    ("annual", &["annual", "2025"]),
    ("petitions", &["petitions", "--as-of", "2025-06-30"]),
    (
        "petitions --by department",
        &["petitions", "--as-of", "2025-06-30", "--by", "department"],
    ),
    (
        "petitions --by delegate",
        &["petitions", "--as-of", "2025-06-30", "--by", "delegate"],
    ),
    (
        "petitions --by studio",
        &["petitions", "--as-of", "2025-06-30", "--by", "studio"],
    ),
    (
        "petitions --by category",
        &["petitions", "--as-of", "2025-06-30", "--by", "category"],
    ),
    ("explain", &["explain", "D01", "2025"]),
    ("obligations", &["obligations", "--as-of", "2025-12-31"]),
    ("diff-rules", &["diff-rules", "draft.toml", "2025Q4"]),
    ("rules", &["rules"]),
];

const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn hostile() -> Ws {
    let ws = Ws::fixture("hostile-names");
    ws.import_inbox();
    ws
}

/// Each report rendered in `format` (explain has no csv), as bytes.
fn rendered(ws: &Ws, format: &str) -> Vec<(&'static str, Vec<u8>)> {
    REPORTS
        .iter()
        .filter(|(name, _)| !(format == "csv" && *name == "explain"))
        .map(|&(name, args)| {
            let mut cmd = ws.tally();
            cmd.args(args);
            if format == "xlsx" {
                cmd.args(["-o", "out.xlsx"]);
            } else {
                cmd.args(["--format", format]);
            }
            let out = cmd.assert().success().get_output().stdout.clone();
            let bytes = if format == "xlsx" {
                std::fs::read(ws.path().join("out.xlsx")).expect("workbook written")
            } else {
                out
            };
            (name, bytes)
        })
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

/// Characters that must not reach a terminal or a page: controls but the line break, C1,
/// bidi overrides and isolates.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn first_hidden(s: &str) -> Option<String> {
    s.char_indices().find(|&(_, c)| hidden(c)).map(|(i, c)| {
        let from = s[..i].char_indices().rev().nth(20).map_or(0, |(j, _)| j);
        format!("U+{:04X} after {:?}", c as u32, &s[from..i])
    })
}

/// Fails once with every problem found, report by report.
fn verdict(format: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{format}: {} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn table_output_shows_control_characters_and_never_sends_them() {
    let ws = hostile();
    let mut problems = Vec::new();
    let mut all = String::new();
    for (name, out) in rendered(&ws, "table") {
        let out = text(&out);
        if let Some(at) = first_hidden(&out) {
            problems.push(format!("{name}: raw {at}"));
        }
        if !out.contains("alert(1)") {
            problems.push(format!("{name}: the hostile data did not reach the report"));
        }
        all.push_str(&out);
    }
    // They were there, and are shown as text.
    for shown in ["\\x1b[31m", "\\x1b]0;pwned\\x07", "\\u{202e}", "\\u{9b}31m"] {
        if !all.contains(shown) {
            problems.push(format!("no report shows {shown}"));
        }
    }
    verdict("table", &problems);
}

#[test]
fn markdown_output_has_no_live_tag() {
    let ws = hostile();
    let mut problems = Vec::new();
    for (name, out) in rendered(&ws, "md") {
        let out = text(&out);
        let lower = out.to_lowercase();
        for tag in ["<script", "<img", "</style", "<b>"] {
            if lower.contains(tag) {
                problems.push(format!("{name}: raw {tag}"));
            }
        }
        if !out.contains("&lt;") || !out.contains("alert(1)") {
            problems.push(format!("{name}: the hostile data did not reach the report"));
        }
        if let Some(at) = first_hidden(&out) {
            problems.push(format!("{name}: raw {at}"));
        }
    }
    verdict("md", &problems);
}

/// The tags the html renderer writes itself; any other is from the data.
const HTML_TAGS: &[&str] = &[
    "!doctype",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "p",
    "section",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "svg",
    "text",
    "rect",
    "figcaption",
    "footer",
    "dl",
    "dt",
    "dd",
    "wbr",
];

fn html_problems(name: &str, out: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut rest = out;
    while let Some(open) = rest.find('<') {
        let Some(len) = rest[open..].find('>') else {
            problems.push(format!("{name}: unclosed < near {:?}", &rest[open..]));
            break;
        };
        let tag = &rest[open + 1..open + len];
        let tag_name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_lowercase();
        if !HTML_TAGS.contains(&tag_name.as_str()) {
            problems.push(format!("{name}: tag <{tag}> is not the renderer's"));
        }
        // No event handler: attributes written by the renderer never start with "on".
        let attrs: Vec<&str> = tag.split_whitespace().skip(1).collect();
        if attrs.iter().any(|a| a.to_lowercase().starts_with("on")) {
            problems.push(format!("{name}: an event attribute in <{tag}>"));
        }
        // An attribute value holds no raw quote: every value is one "…" pair.
        if !tag.matches('"').count().is_multiple_of(2) {
            problems.push(format!("{name}: unbalanced quotes in <{tag}>"));
        }
        rest = &rest[open + len + 1..];
    }
    let lower = out.to_lowercase();
    if lower.matches("</style").count() != 1 || lower.contains("<script") {
        problems.push(format!("{name}: a style or script tag from the data"));
    }
    if !out.contains("&lt;script&gt;alert(1)")
        && !out.contains("&lt;img src=x onerror=alert(1)&gt;")
    {
        problems.push(format!("{name}: the hostile data did not reach the page"));
    }
    if let Some(at) = first_hidden(out) {
        problems.push(format!("{name}: raw {at}"));
    }
    problems
}

#[test]
fn html_output_has_only_the_renderers_own_tags() {
    let ws = hostile();
    let mut problems = Vec::new();
    for (name, out) in rendered(&ws, "html") {
        problems.extend(html_problems(name, &text(&out)));
    }
    verdict("html", &problems);
}

#[test]
fn the_html_check_catches_a_live_tag() {
    // The check itself can fail: a raw tag, an event attribute, a broken attribute value.
    let page =
        "<html><style></style><p>x</p><img src=x onerror=alert(1)><td title=\"a\"b\"></td></html>";
    let problems = html_problems("sample", page);
    assert!(problems.iter().any(|p| p.contains("<img")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("event")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("unbalanced")),
        "{problems:?}"
    );
}

fn is_number(field: &str) -> bool {
    field.parse::<f64>().is_ok()
}

#[test]
fn csv_text_cells_are_guarded_and_numbers_untouched() {
    let ws = hostile();
    let mut problems = Vec::new();
    for (name, out) in rendered(&ws, "csv") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_slice());
        let mut guarded = 0;
        for row in reader.records() {
            let row = row.expect("a csv row");
            for field in &row {
                if field.starts_with(FORMULA_START) && !is_number(field) {
                    problems.push(format!("{name}: unguarded {field:?}"));
                }
                if field.starts_with('\'') && field[1..].starts_with(FORMULA_START) {
                    guarded += 1;
                }
                if field.starts_with('\'') && is_number(&field[1..]) {
                    problems.push(format!("{name}: a number was guarded: {field:?}"));
                }
            }
        }
        if guarded == 0 {
            problems.push(format!(
                "{name}: no guarded cell, the hostile data did not reach it"
            ));
        }
    }
    verdict("csv", &problems);
}

/// The row of `delegate` in a csv report, as column → field.
fn csv_row(csv_text: &str, delegate: &str) -> std::collections::HashMap<String, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let row = reader
        .records()
        .map(|r| r.expect("row"))
        .find(|r| {
            r.get(
                headers
                    .iter()
                    .position(|h| h == "delegate")
                    .expect("delegate column"),
            ) == Some(delegate)
        })
        .expect("the delegate's row");
    headers
        .iter()
        .map(str::to_owned)
        .zip(row.iter().map(str::to_owned))
        .collect()
}

#[test]
fn a_negative_adjustment_stays_a_plain_number_beside_guarded_names() {
    let ws = hostile();
    let quarter = ws.stdout(&["quarter", "2025Q4", "--format", "csv"]);
    let d01 = csv_row(&quarter, "D01");
    assert_eq!(d01["adjustments"], "-5");
    assert_eq!(
        d01["name"],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(d01["studio"], "'=cmd|' /C calc'!A0");
    let annual = ws.stdout(&["annual", "2025", "--format", "csv"]);
    let d01 = csv_row(&annual, "D01");
    assert_eq!(d01["adjustments"], "-5");
    let d03 = csv_row(&annual, "D03");
    assert_eq!(d03["name"], "'-2+3 王");
}

/// The text of every `<t>` element of an xlsx part, unescaped.
fn xml_texts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<t") {
        rest = &rest[i + 2..];
        if !rest.starts_with(['>', ' ']) {
            continue;
        }
        let (Some(open), Some(close)) = (rest.find('>'), rest.find("</t>")) else {
            break;
        };
        out.push(
            rest[open + 1..close]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &rest[close..];
    }
    out
}

/// The indices of the cell formats (`<xf>` of `cellXfs`) that carry Excel's quote prefix:
/// a string cell in one of them is typed text, as if a leading `'` had been typed.
fn quote_prefixed(styles_xml: &str) -> Vec<usize> {
    let xfs = styles_xml
        .split("<cellXfs")
        .nth(1)
        .and_then(|s| s.split("</cellXfs>").next())
        .unwrap_or_default();
    xfs.split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, xf)| {
            xf.split('>')
                .next()
                .is_some_and(|a| a.contains("quotePrefix=\"1\""))
        })
        .map(|(i, _)| i)
        .collect()
}

/// (style index, shared-string index) of every string cell of a worksheet.
fn string_cells(sheet_xml: &str) -> Vec<(usize, usize)> {
    sheet_xml
        .split("<c ")
        .skip(1)
        .filter_map(|c| {
            let (attrs, body) = c.split_once('>')?;
            if !attrs.contains("t=\"s\"") {
                return None;
            }
            let style = attrs
                .split("s=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map_or(Some(0), |s| s.parse().ok())?;
            let index = body.strip_prefix("<v>")?.split('<').next()?.parse().ok()?;
            Some((style, index))
        })
        .collect()
}

fn sheet_names(workbook_xml: &str) -> Vec<String> {
    workbook_xml
        .split("<sheet ")
        .skip(1)
        .filter_map(|s| s.split("name=\"").nth(1)?.split('"').next())
        .map(|n| {
            n.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn xlsx_holds_no_formula_guarded_strings_and_legal_sheet_names() {
    let ws = hostile();
    let mut problems = Vec::new();
    for (name, book) in rendered(&ws, "xlsx") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("a zip file");
        let mut parts = std::collections::HashMap::new();
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).expect("zip entry");
            let mut xml = String::new();
            file.read_to_string(&mut xml).expect("utf-8 part");
            parts.insert(file.name().expect("entry name").to_string(), xml);
        }
        for (part, xml) in &parts {
            if part.starts_with("xl/worksheets/") && (xml.contains("<f>") || xml.contains("<f ")) {
                problems.push(format!("{name}: a formula in {part}"));
            }
        }
        let strings = xml_texts(parts.get("xl/sharedStrings.xml").map_or("", String::as_str));
        let quoted = quote_prefixed(&parts["xl/styles.xml"]);
        let mut guarded = 0;
        for (part, xml) in &parts {
            if !part.starts_with("xl/worksheets/") {
                continue;
            }
            for (style, index) in string_cells(xml) {
                let Some(s) = strings.get(index) else {
                    problems.push(format!("{name}: {part}: no shared string {index}"));
                    continue;
                };
                if s.starts_with(FORMULA_START) {
                    if quoted.contains(&style) {
                        guarded += 1;
                    } else {
                        problems.push(format!("{name}: {part}: unguarded string {s:?}"));
                    }
                }
                if s.starts_with('\'') && s[1..].starts_with(FORMULA_START) {
                    problems.push(format!("{name}: {part}: a visible guard in {s:?}"));
                }
            }
        }
        if guarded == 0 {
            problems.push(format!(
                "{name}: no guarded string, the hostile data did not reach it"
            ));
        }
        let names = sheet_names(&parts["xl/workbook.xml"]);
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            let legal = !n.is_empty()
                && n.encode_utf16().count() <= 31
                && !n.contains(['[', ']', ':', '*', '?', '/', '\\'])
                && !n.starts_with('\'')
                && !n.ends_with('\'')
                && !n.chars().any(char::is_control)
                && !n.eq_ignore_ascii_case("history")
                && seen.insert(n.to_lowercase());
            if !legal {
                problems.push(format!("{name}: sheet name {n:?}"));
            }
        }
        if name == "quarter" {
            // One sheet per studio, six studios, then 汇总 and 说明.
            if names.len() != 8 {
                problems.push(format!("{name}: sheets {names:?}"));
            }
            // The -5 adjustment is a number cell (a string cell holds an index, never -5).
            if !parts
                .iter()
                .any(|(p, x)| p.starts_with("xl/worksheets/") && x.contains("<v>-5</v>"))
            {
                problems.push(format!("{name}: -5 is not a number cell"));
            }
        }
    }
    verdict("xlsx", &problems);
}

/// Every string of a json value, with its path.
fn json_strings(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::String(s) => out.push((path.to_owned(), s.clone())),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                json_strings(x, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                json_strings(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_keeps_every_value_exactly() {
    let ws = hostile();
    let mut problems = Vec::new();
    for (name, out) in rendered(&ws, "json") {
        let json: serde_json::Value = serde_json::from_slice(&out).expect("valid json");
        let mut strings = Vec::new();
        json_strings(&json, "", &mut strings);
        for (path, s) in &strings {
            if s.starts_with('\'') && s[1..].starts_with(FORMULA_START) {
                problems.push(format!("{name}: {path} guarded in json: {s:?}"));
            }
            if s.contains("\\x1b") || s.contains("&lt;") {
                problems.push(format!("{name}: {path} escaped in json: {s:?}"));
            }
        }
        if !strings.iter().any(|(_, s)| s.starts_with(FORMULA_START)) {
            problems.push(format!(
                "{name}: no raw formula-like text, the hostile data did not reach it"
            ));
        }
    }
    verdict("json", &problems);
    let quarter: serde_json::Value =
        serde_json::from_str(&ws.stdout(&["quarter", "2025Q4", "--format", "json"])).expect("json");
    assert_eq!(
        quarter["meta"]["workspace"],
        "=ws <script>alert(1)</script> \u{1b}[31m"
    );
    let rows = quarter["rows"].as_array().expect("rows");
    let row = |id: &str| rows.iter().find(|r| r["delegate"] == id).expect("row");
    assert_eq!(
        row("D01")["name"],
        "=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(row("D01")["adjustments"].to_string(), "-5");
    assert_eq!(
        row("D07")["name"],
        "<img src=x onerror=alert(1)> \u{1b}[31mred\u{1b}[0m"
    );
}

#[test]
fn explain_refuses_csv() {
    hostile()
        .tally()
        .args(["explain", "D01", "2025", "--format", "csv"])
        .assert()
        .code(2);
}

#[test]
fn an_output_file_whose_extension_names_no_format_is_refused() {
    let ws = hostile();
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "q.xls"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot tell the format from the extension .xls of q.xls; give --format csv|json|md|html|xlsx|table, or name the file .csv/.json/.md/.html/.xlsx/.txt",
        ));
    assert!(!ws.path().join("q.xls").exists());
    ws.tally()
        .args(["quarter", "2025Q4", "-o", "q.txt"])
        .assert()
        .success();
    assert!(ws.read("q.txt").contains("Quarterly ranking 2025Q4"));
}
