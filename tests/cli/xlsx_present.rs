//! The publishing issue, part 3: workbooks that present. The quarter, annual and petitions
//! workbooks of `examples/yantian` are read back by a reader that is not ours (openpyxl),
//! which must find: sheets named for what they hold (each studio, 汇总, 说明); the people's
//! headings of the md table, not the csv keys; columns at least as wide as their content
//! (CJK counted double, up to the 50 where long text wraps); every figure of the csv as a
//! number cell, every date as a date cell, every text as the csv's text; a text that would
//! run as a formula as plain text with Excel's quote prefix and no apostrophe in it, and no
//! formula anywhere; the header row bold and frozen, and a page setup of A4 landscape, one
//! page wide, the header row repeated.
//!
//! Without python3 and openpyxl the test says so and passes, unless
//! `TALLY_REQUIRE_OPENPYXL=1` (as `.ci/run` sets), when it fails.

use crate::common;

use common::Ws;
use serde_json::Value as Json;
use std::process::Command;
use unicode_width::UnicodeWidthStr;

/// The open petition whose summary starts as a formula would.
const FORMULA_SUMMARY: &str = "=1+2 暴雨后小区地下车库积水";

const STUDIOS: [&str; 5] = [
    "中英街社区党代表工作室",
    "桥东社区党代表工作室",
    "田东社区党代表工作室",
    "东海岸社区党代表工作室",
    "永安社区党代表工作室",
];

/// What openpyxl sees, as json: per workbook, per sheet, the page setup, the column
/// widths and every cell (value, type, date or not, number format, quote prefix, bold).
const READ: &str = r#"
import json, sys, openpyxl
out = {}
for path in sys.argv[1:]:
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        widths = {}
        for d in ws.column_dimensions.values():
            if d.width and d.min:
                for i in range(d.min, d.max + 1):
                    widths[i] = d.width
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                v = c.value
                if c.is_date and v is not None:
                    v = v.date().isoformat()
                cells.append({"v": v, "t": c.data_type, "date": c.is_date,
                              "fmt": c.number_format, "quote": bool(c.quotePrefix),
                              "bold": bool(c.font.b)})
            rows.append(cells)
        setup = ws.page_setup
        pr = ws.sheet_properties.pageSetUpPr
        sheets.append({
            "name": ws.title,
            "freeze": ws.freeze_panes,
            "orientation": setup.orientation,
            "paper": int(setup.paperSize) if setup.paperSize is not None else None,
            "fit_to_page": bool(pr.fitToPage) if pr is not None else False,
            "fit_width": setup.fitToWidth,
            "fit_height": setup.fitToHeight,
            "title_rows": ws.print_title_rows,
            "widths": [widths.get(i) for i in range(1, ws.max_column + 1)],
            "rows": rows,
        })
    out[path] = sheets
json.dump(out, sys.stdout, ensure_ascii=False)
"#;

/// Whether openpyxl can be used; without it the test is skipped, said on stderr, unless
/// `TALLY_REQUIRE_OPENPYXL=1`.
fn openpyxl() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("TALLY_REQUIRE_OPENPYXL").as_deref() != Ok("1"),
            "TALLY_REQUIRE_OPENPYXL=1 but `python3 -c \"import openpyxl\"` fails: install it (python3 -m pip install openpyxl)"
        );
        eprintln!("note: xlsx_present skipped: python3 with openpyxl is not available");
    }
    ok
}

/// The example workspace, one open petition's summary made to start with `=`.
fn example() -> Ws {
    let ws = Ws::example();
    let petitions = ws.read("data/petitions.csv");
    assert!(petitions.contains(",暴雨后小区地下车库积水,"));
    ws.write(
        "data/petitions.csv",
        &petitions.replace(",暴雨后小区地下车库积水,", &format!(",{FORMULA_SUMMARY},")),
    );
    ws
}

fn read_books(ws: &Ws, files: &[&str]) -> serde_json::Map<String, Json> {
    let out = Command::new("python3")
        .args(["-c", READ])
        .args(files)
        .current_dir(ws.path())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "openpyxl failed to read the workbooks:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).expect("json from the reader") {
        Json::Object(books) => books,
        other => panic!("not an object: {other}"),
    }
}

/// The first header row of a GitHub table: the people's headings.
fn md_headers(md: &str) -> Vec<String> {
    let line = md
        .lines()
        .find(|l| l.starts_with("| "))
        .expect("a table in the md");
    line.trim_matches(|c| c == '|' || c == ' ')
        .split(" | ")
        .map(str::to_owned)
        .collect()
}

fn csv_rows(csv: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_owned).collect())
        .collect()
}

fn sheet<'a>(book: &'a Json, name: &str) -> &'a Json {
    book.as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

fn names(book: &Json) -> Vec<&str> {
    book.as_array()
        .expect("sheets")
        .iter()
        .map(|s| s["name"].as_str().expect("a name"))
        .collect()
}

fn rows(sheet: &Json) -> &Vec<Json> {
    sheet["rows"].as_array().expect("rows")
}

fn header(sheet: &Json) -> Vec<&str> {
    rows(sheet)[0]
        .as_array()
        .expect("header row")
        .iter()
        .map(|c| c["v"].as_str().expect("a text heading"))
        .collect()
}

/// A cell's text as a spreadsheet shows it: wide characters count two.
fn shown_width(cell: &Json) -> usize {
    let v = &cell["v"];
    let text = match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Number(n) if cell["fmt"] == "0.0%" => {
            format!("{:.1}%", n.as_f64().expect("a number") * 100.0)
        }
        other => other.to_string(),
    };
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Checks that hold on every sheet of every workbook.
fn presentable(book_name: &str, book: &Json, problems: &mut Vec<String>) {
    for s in book.as_array().expect("sheets") {
        let at = format!("{book_name} [{}]", s["name"].as_str().unwrap_or("?"));
        if s["freeze"] != "A2" {
            problems.push(format!("{at}: header row not frozen: {}", s["freeze"]));
        }
        if s["orientation"] != "landscape" {
            problems.push(format!("{at}: orientation {}", s["orientation"]));
        }
        if s["paper"] != 9 {
            problems.push(format!("{at}: paper {} is not A4 (9)", s["paper"]));
        }
        // fitToWidth is 1 by the OOXML default when the attribute is left out.
        if s["fit_to_page"] != true
            || !(s["fit_width"].is_null() || s["fit_width"] == 1)
            || s["fit_height"] != 0
        {
            problems.push(format!(
                "{at}: not fit to one page wide: fitToPage {} fitToWidth {} fitToHeight {}",
                s["fit_to_page"], s["fit_width"], s["fit_height"]
            ));
        }
        if s["title_rows"] != "$1:$1" {
            problems.push(format!(
                "{at}: header row not repeated: {}",
                s["title_rows"]
            ));
        }
        let rows = rows(s);
        if !rows[0]
            .as_array()
            .expect("header row")
            .iter()
            .all(|c| c["bold"] == true)
        {
            problems.push(format!("{at}: header row not bold"));
        }
        let widths = s["widths"].as_array().expect("widths");
        for (c, width) in widths.iter().enumerate() {
            let need = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(shown_width)
                .max()
                .unwrap_or(0)
                .min(50);
            let width = width.as_f64().unwrap_or(0.0);
            if width < need as f64 {
                problems.push(format!(
                    "{at}: column {} is {width} wide for content {need} wide",
                    c + 1
                ));
            }
        }
        for (r, row) in rows.iter().enumerate() {
            for cell in row.as_array().expect("cells") {
                if cell["t"] == "f" {
                    problems.push(format!("{at} row {}: a formula {}", r + 1, cell["v"]));
                }
                if let Some(s) = cell["v"].as_str()
                    && s.starts_with('\'')
                {
                    problems.push(format!("{at} row {}: a visible apostrophe {s:?}", r + 1));
                }
            }
        }
    }
}

/// The sheet's rows hold what the csv holds, cell by cell: numbers as number cells, dates
/// as date cells, text as text (a csv guard `'` as the quote prefix). `skip`: leading csv
/// columns the sheet leaves to its name (period, year); the sheet may add columns after.
fn same_as_csv(
    at: &str,
    sheet: &Json,
    csv: &[Vec<String>],
    skip: usize,
    problems: &mut Vec<String>,
) {
    let body = &rows(sheet)[1..];
    if body.len() != csv.len() {
        problems.push(format!("{at}: {} rows, the csv {}", body.len(), csv.len()));
    }
    for (r, (row, fields)) in body.iter().zip(csv).enumerate() {
        let cells = row.as_array().expect("cells");
        for (c, field) in fields.iter().enumerate().skip(skip) {
            let cell = &cells[c - skip];
            let here = format!("{at} row {} column {}", r + 2, c - skip + 1);
            let is_date = field.len() == 10
                && field.chars().enumerate().all(|(i, ch)| {
                    if i == 4 || i == 7 {
                        ch == '-'
                    } else {
                        ch.is_ascii_digit()
                    }
                });
            let ok = if field.is_empty() {
                cell["v"].is_null()
            } else if is_date {
                cell["date"] == true
                    && cell["v"] == field.as_str()
                    && cell["fmt"].as_str().is_some_and(|f| f.contains("yy"))
            } else if let Ok(n) = field.parse::<f64>() {
                cell["t"] == "n"
                    && cell["date"] == false
                    && cell["v"].as_f64().is_some_and(|v| (v - n).abs() < 1e-9)
            } else if let Some(raw) = field.strip_prefix('\'') {
                cell["t"] == "s" && cell["v"] == raw && cell["quote"] == true
            } else {
                // Codes (yes, forwarded) are named in the workspace's language.
                let shown = people_name(field);
                cell["t"] == "s" && cell["v"] == shown && cell["quote"] == false
            };
            if !ok {
                problems.push(format!("{here}: csv {field:?}, the workbook {cell}"));
            }
        }
    }
}

/// What a Chinese reader sees for a code csv writes (locales/zh.ftl).
fn people_name(code: &str) -> &str {
    match code {
        "yes" => "是",
        "no" => "否",
        "registered" => "已登记",
        "forwarded" => "已转办",
        "replied" => "已答复",
        "resolved" => "已办结",
        "reopened" => "重办中",
        "petition" => "社情民意",
        "proposal" => "建议",
        "motion" => "议案",
        other => other,
    }
}

#[test]
fn workbooks_read_back_as_presented_by_a_reader_not_ours() {
    if !openpyxl() {
        return;
    }
    let ws = example();
    // A Chinese office's workspace: what people read is in Chinese (csv keeps its keys).
    let config = ws.path().join("tally.toml");
    let text = std::fs::read_to_string(&config).expect("tally.toml");
    std::fs::write(
        &config,
        text.replace("[workspace]\n", "[workspace]\nlang = \"zh\"\n"),
    )
    .expect("tally.toml written");
    let runs: [(&str, &[&str]); 3] = [
        ("q", &["quarter", "2025Q4"]),
        ("a", &["annual", "2025"]),
        ("p", &["petitions", "--as-of", "2025-12-31"]),
    ];
    let mut md = std::collections::HashMap::new();
    let mut csv = std::collections::HashMap::new();
    for (name, args) in runs {
        ws.tally()
            .args(args)
            .args(["-o", &format!("{name}.xlsx")])
            .assert()
            .success();
        md.insert(name, ws.stdout(&[args, &["--format", "md"]].concat()));
        csv.insert(
            name,
            csv_rows(&ws.stdout(&[args, &["--format", "csv"]].concat())),
        );
    }
    let books = read_books(&ws, &["q.xlsx", "a.xlsx", "p.xlsx"]);
    let (q, a, p) = (&books["q.xlsx"], &books["a.xlsx"], &books["p.xlsx"]);
    let mut problems = Vec::new();

    // Sheets named for what they hold: each studio, everyone, the notes; a one-table
    // report's sheet is its title without the workspace name (the notes hold that).
    let mut want: Vec<&str> = STUDIOS.to_vec();
    want.extend(["汇总", "说明"]);
    assert_eq!(names(q), want);
    let title = |md: &str| -> String {
        let first = md.lines().next().expect("a title");
        first
            .strip_prefix("# 盐田区 Yantian district ")
            .unwrap_or(first)
            .to_owned()
    };
    assert_eq!(names(a), [title(&md["a"]).as_str(), "说明"]);
    assert_eq!(names(p), [title(&md["p"]).as_str(), "说明"]);

    // The people's headings, as md shows them; not the csv keys.
    let people = md_headers(&md["q"]);
    for studio in STUDIOS {
        assert_eq!(header(sheet(q, studio)), people, "{studio}");
    }
    let everyone = header(sheet(q, "汇总"));
    assert_eq!(
        everyone[1..],
        people,
        "汇总: the studio, then the columns of a studio"
    );
    assert!(people.iter().any(|h| h == "累计积分"), "{people:?}");
    for key in [
        "points_quarter",
        "points_total",
        "adjustments",
        "rank_change",
    ] {
        assert!(!everyone.contains(&key), "汇总 shows the key {key}");
    }
    assert_eq!(header(&a[0]), md_headers(&md["a"]));
    assert!(!header(&a[0]).contains(&"points_total"));
    assert_eq!(header(&p[0]), md_headers(&md["p"]));
    assert_eq!(header(sheet(q, "说明")), ["项目", "内容"]);

    // The figures, dates and texts of the csv: 汇总 and annual leave out the period or
    // year (said by the sheet and the notes); the petitions list shows every column.
    same_as_csv(
        "q.xlsx [汇总]",
        sheet(q, "汇总"),
        &csv["q"],
        1,
        &mut problems,
    );
    same_as_csv("a.xlsx", &a[0], &csv["a"], 1, &mut problems);
    same_as_csv("p.xlsx", &p[0], &csv["p"], 0, &mut problems);

    // D001's quarter points in the studio's sheet: the number 15.
    let d001 = rows(sheet(q, STUDIOS[0]))[1].as_array().expect("cells");
    assert_eq!(d001[1]["v"], "D001");
    assert_eq!(
        (&d001[3]["t"], &d001[3]["v"]),
        (&Json::from("n"), &Json::from(15))
    );

    // A date cell: the petition's received day, as a date.
    let open = rows(&p[0]);
    let guarded = open
        .iter()
        .filter_map(|r| r.as_array())
        .find(|r| r[0]["v"] == "P2025-017")
        .expect("P2025-017 is open");
    assert_eq!(guarded[2]["date"], true, "{}", guarded[2]);
    assert_eq!(guarded[2]["v"], "2025-05-14");
    // The summary that starts with `=`: text as written, no apostrophe, no formula, and
    // Excel's quote prefix keeps it text if someone edits the cell.
    let summary = guarded
        .iter()
        .find(|c| c["v"].as_str().is_some_and(|s| s.contains("暴雨后")))
        .expect("the summary");
    assert_eq!(summary["v"], FORMULA_SUMMARY);
    assert_eq!(summary["t"], "s");
    assert_eq!(summary["quote"], true);

    // The notes: the stamp with its labels, the newest record a date.
    let notes = rows(sheet(q, "说明"));
    let label = |key: &str| {
        notes
            .iter()
            .filter_map(|r| r.as_array())
            .find(|r| r[0]["v"] == key)
            .unwrap_or_else(|| panic!("说明 has no {key}"))[1]
            .clone()
    };
    assert_eq!(label("工作区")["v"], "盐田区 Yantian district");
    assert_eq!(label("数据截至")["date"], true);
    assert!(
        label("台账校验码")["v"]
            .as_str()
            .is_some_and(|h| h.len() == 12)
    );
    let summary = rows(sheet(a, "说明"));
    assert!(
        summary
            .iter()
            .any(|r| r[0]["v"] == "优秀" && r[1]["t"] == "n"),
        "the grade counts in the annual notes"
    );

    for (name, book) in &books {
        presentable(name, book, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}
