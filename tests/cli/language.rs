//! SPEC §10 Language: in a `zh` workspace every label a person reads is Chinese; csv and
//! json keep the English keys of §5 in every language.

use crate::common;

use common::Ws;

/// The example workspace as a Chinese office keeps it: `lang = "zh"`, a Chinese name.
fn zh_workspace() -> Ws {
    let ws = Ws::example();
    let config = ws.read("tally.toml");
    let config = config.replace(
        "name = \"盐田区 Yantian district\"",
        "name = \"盐田区\"\nlang = \"zh\"",
    );
    assert!(config.contains("lang = \"zh\""), "{config}");
    ws.write("tally.toml", &config);
    ws
}

/// Latin words left in `text` once what is data, not label, is taken out: ids (D005,
/// P2025-017), hashes, file names, item codes the rules define (they are what clerks type
/// in the inbox), and the format names of a hint.
fn english_words(text: &str) -> Vec<String> {
    let allowed = [
        "csv", "md", "json", "html", "xlsx", "inbox", "district", "COLUMNS", "format",
    ];
    let mut words = Vec::new();
    for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let letters = token.chars().filter(char::is_ascii_alphabetic).count();
        let is_id = token.starts_with(['D', 'P', 'M', 'Q'])
            && token[1..].starts_with(|c: char| c.is_ascii_digit());
        let is_hex = token.len() >= 6 && token.chars().all(|c| c.is_ascii_hexdigit());
        if letters >= 2 && !is_id && !is_hex && !allowed.contains(&token) {
            words.push(token.to_owned());
        }
    }
    words.sort();
    words.dedup();
    words
}

#[test]
fn a_zh_workspace_reads_in_chinese() {
    let ws = zh_workspace();
    let reports: [&[&str]; 7] = [
        &["quarter", "2025Q4"],
        &["annual", "2025"],
        &["petitions", "--as-of", "2025-12-31"],
        &["petitions", "--as-of", "2025-12-31", "--by", "department"],
        &["report", "D005", "2025"],
        &["studios", "2025Q4"],
        &["obligations", "--as-of", "2025-09-30"],
    ];
    let mut found = Vec::new();
    for args in reports {
        for format in ["md", "html", "table"] {
            let out = ws.stdout(&[args, &["--format", format]].concat());
            // html: only what is shown, not the markup and its style sheet.
            let shown = if format == "html" {
                strip_markup(&out)
            } else {
                out
            };
            let words = english_words(&shown);
            if !words.is_empty() {
                found.push(format!("{} --format {format}: {words:?}", args.join(" ")));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English left in a zh workspace:\n{}",
        found.join("\n")
    );
}

/// The text of an html page between its tags, without the style sheet.
fn strip_markup(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[test]
fn titles_periods_and_statuses_are_chinese() {
    let ws = zh_workspace();
    let quarter = ws.stdout(&["quarter", "2025Q4", "--format", "md"]);
    assert!(
        quarter.starts_with("# 盐田区 党代表履职积分公示（2025年第四季度）"),
        "{quarter}"
    );
    assert!(
        quarter.contains("| 排名 | 代表编号 | 姓名 | 本季积分 | 累计积分 |"),
        "{quarter}"
    );
    let open = ws.stdout(&["petitions", "--as-of", "2025-12-31", "--format", "md"]);
    assert!(open.contains("截至2025年12月31日"), "{open}");
    assert!(open.contains("| 已转办 |"), "{open}");
    let annual = ws.stdout(&["annual", "2025", "--format", "md"]);
    assert!(
        annual.contains("| 是 |") && annual.contains("| 否 |"),
        "{annual}"
    );
}

#[test]
fn csv_and_json_keep_their_keys_in_every_language() {
    let zh = zh_workspace();
    let en = zh_workspace();
    let config = en
        .read("tally.toml")
        .replace("lang = \"zh\"", "lang = \"en\"");
    en.write("tally.toml", &config);
    for args in [
        &["quarter", "2025Q4"][..],
        &["annual", "2025"],
        &["petitions", "--as-of", "2025-12-31"],
        &["petitions", "--as-of", "2025-12-31", "--by", "department"],
        &["records", "2025Q4"],
    ] {
        let csv = |ws: &Ws| ws.stdout(&[args, &["--format", "csv"]].concat());
        assert_eq!(csv(&zh), csv(&en), "{args:?}: csv differs by language");
        let json = |ws: &Ws| {
            let out = ws.stdout(&[args, &["--format", "json"]].concat());
            let mut v: serde_json::Value = serde_json::from_str(&out).expect("json");
            // The title and meta are for people; the rows are for scripts.
            v.as_object_mut().expect("an object").remove("meta");
            v.as_object_mut().expect("an object").remove("summary");
            v
        };
        assert_eq!(
            json(&zh),
            json(&en),
            "{args:?}: json rows differ by language"
        );
    }
}

#[test]
fn lang_on_the_command_line_wins_over_the_workspace() {
    let ws = zh_workspace();
    let en = ws.stdout(&["quarter", "2025Q4", "--format", "md", "--lang", "en"]);
    assert!(
        en.starts_with("# 盐田区 — Quarterly ranking 2025Q4"),
        "{en}"
    );
    let out = ws
        .tally()
        .args(["quarter", "2025Q4", "--format", "md"])
        .env("TALLY_LANG", "en")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Quarterly ranking"));
}

#[test]
fn init_writes_a_chinese_workspace() {
    let ws = Ws::empty();
    ws.tally().args(["init", "office"]).assert().success();
    let config = ws.read("office/tally.toml");
    assert!(config.contains("lang = \"zh\""), "{config}");
}
