//! One self-contained HTML page: inline CSS and inline SVG, nothing fetched from elsewhere,
//! every value escaped, fit to print on A4.

use super::{Report, Section, Table, Value, stamp_pairs};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::io::{self, Write};

/// On screen and on paper. Print sets the type in points and lays each page out for A4: text
/// columns wrap (`td.w`), short values never do, the stamp is a grid of label and value that
/// cannot slip a row, and a section marked `.page` starts a new sheet.
const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:2em;color:#222}\
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em}h3{font-size:1.05em}\
.lead{font-size:1em;margin:.2em 0 .8em}\
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{border:1px solid #999;padding:.25em .5em}\
th{background:#eee;word-break:keep-all;print-color-adjust:exact;-webkit-print-color-adjust:exact}\
tbody th{text-align:left;font-weight:normal}\
td{white-space:nowrap}td.w{white-space:normal;overflow-wrap:anywhere;min-width:6em}td.n{text-align:right;font-variant-numeric:tabular-nums}\
figure{margin:.3em 0 1em}figcaption{font-size:.8em;color:#555}svg{max-width:100%;height:auto}svg text{font-size:11px}\
footer{margin-top:2em;color:#666;font-size:.75em;break-inside:avoid}\
footer dl{display:grid;grid-template-columns:max-content minmax(0,1fr);column-gap:1.2em;margin:0}\
footer dt{white-space:nowrap}footer dd{margin:0;overflow-wrap:anywhere}\
@media print{body{margin:0;font-size:10pt;line-height:1.3}h1{font-size:15pt;margin:0 0 .2em}\
h2{font-size:11.5pt;margin:.8em 0 .25em}h3{font-size:10.5pt;margin:.8em 0 .3em}table{font-size:9pt}\
th,td{padding:.15em .4em}figure{margin:.2em 0 .6em}figure.trend svg{height:80px;width:auto}\
footer{margin-top:1em;font-size:7pt;line-height:1.25}.part{break-inside:avoid}h2,h3{break-after:avoid}tr{break-inside:avoid}\
section.page+section.page{break-before:page}}";

/// The paper a page asks for: A4 upright while its widest table fits, else A4 on its side,
/// else on its side in smaller type. Widths are in em of the table's type in print.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Paper {
    Portrait,
    PortraitSmall,
    Landscape,
    LandscapeSmall,
}

impl Paper {
    /// The printable width (A4 less the margins of `css`) in em of the print type:
    /// 186 mm = 703 px and 277 mm = 1047 px, at 9 pt = 12 px, 8 pt = 10.67 px or
    /// 7 pt = 9.33 px.
    fn room(self) -> f64 {
        match self {
            Paper::Portrait => 703.0 / 12.0,
            Paper::PortraitSmall => 703.0 / 10.67,
            Paper::Landscape => 1047.0 / 12.0,
            Paper::LandscapeSmall => 1047.0 / 9.33,
        }
    }

    /// The least width of a word of a heading: whole, but on the smallest paper a Chinese
    /// heading may break (服务联系 / 群众).
    fn heading_word(self, word: &str) -> f64 {
        if self == Paper::LandscapeSmall && word.chars().all(is_wide) {
            word.chars().count().div_ceil(2) as f64
        } else {
            em(word)
        }
    }

    /// A cell's padding and border, in em.
    fn pad(self) -> f64 {
        if self == Paper::LandscapeSmall {
            0.6
        } else {
            0.9
        }
    }

    fn css(self) -> &'static str {
        match self {
            Paper::Portrait => "@page{size:A4;margin:12mm}",
            Paper::PortraitSmall => "@page{size:A4;margin:12mm}@media print{table{font-size:8pt}}",
            Paper::Landscape => "@page{size:A4 landscape;margin:10mm}",
            Paper::LandscapeSmall => {
                "@page{size:A4 landscape;margin:10mm}@media print{table{font-size:7pt}\
                th,td{padding:.1em .25em}th{word-break:normal}}"
            }
        }
    }

    /// The first paper on which a table `width` em wide fits, with a little to spare for
    /// the guess in [`em`]. Chromium would rather shrink a page that is too wide than cut
    /// it, which makes every page of the report smaller: better to choose the paper here.
    fn for_grids<'a>(grids: impl Iterator<Item = &'a Grid> + Clone) -> Paper {
        [Paper::Portrait, Paper::PortraitSmall, Paper::Landscape]
            .into_iter()
            .find(|p| grids.clone().all(|g| g.min_em(*p) <= p.room() * 0.95))
            .unwrap_or(Paper::LandscapeSmall)
    }
}

/// A text column whose longest cell is wider than this (em) wraps.
const WRAP_EM: f64 = 8.0;

/// Labels people read for the stamp and meta keys.
fn label(key: &str) -> String {
    super::label_or_key(key)
}

/// Text and attribute values: the five HTML-significant characters as entities, control
/// characters and bidi overrides made visible as on a terminal.
pub fn escape(s: &str) -> String {
    let s = super::visible(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let title = escape(&report.title);
    let grids: Vec<Vec<Grid>> = report
        .tables
        .iter()
        .map(|t| t.sections.iter().map(|s| Grid::new(t, s)).collect())
        .collect();
    let paper = Paper::for_grids(grids.iter().flatten());
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<h1>{title}</h1>",
        if crate::i18n::is_zh() { "zh-CN" } else { "en" },
        paper.css()
    )?;
    let pairs = stamp_pairs(report);
    let (lead, trace): (Vec<_>, Vec<_>) = pairs
        .iter()
        .skip(1)
        .partition(|(k, _)| matches!(k.as_str(), "period" | "year" | "as_of" | "newest_record"));
    let separator = crate::tr!("label-value-separator");
    let lead: Vec<String> = lead
        .iter()
        .map(|(k, v)| {
            // A day in a sentence is written as its reader writes it.
            let value = match v {
                Value::Date(d) => crate::i18n::date(*d),
                v => v.human(),
            };
            format!("{}{separator}{}", escape(&label(k)), escape(&value))
        })
        .collect();
    if !lead.is_empty() {
        writeln!(w, "<p class=\"lead\">{}</p>", lead.join(" · "))?;
    }
    if !report.trend.is_empty() {
        trend(&report.trend, w)?;
    }
    for (t, grids) in report.tables.iter().zip(&grids) {
        if let Some(title) = &t.title {
            writeln!(w, "<h2>{}</h2>", escape(title))?;
        }
        for (s, grid) in t.sections.iter().zip(grids) {
            section(t, s, grid, paper, w)?;
        }
    }
    if !report.summary.is_empty() {
        writeln!(
            w,
            "<section class=\"part\"><h2>{}</h2>\n<table>",
            escape(&crate::tr!("heading-summary"))
        )?;
        for (k, v) in &report.summary {
            writeln!(
                w,
                "<tr><th>{}</th><td class=\"n\">{}</td></tr>",
                escape(&label(k)),
                escape(&v.human())
            )?;
        }
        writeln!(w, "</table></section>")?;
    }
    writeln!(w, "<footer><dl>")?;
    for (k, v) in trace {
        // An empty value still takes its cell, so the next label keeps its row.
        let value = v.human();
        let value = if value.is_empty() {
            "—".into()
        } else {
            escape(&value)
        };
        writeln!(w, "<dt>{}</dt><dd>{value}</dd>", escape(&label(k)))?;
    }
    writeln!(w, "</dl></footer>\n</body>\n</html>")
}

fn section(t: &Table, s: &Section, grid: &Grid, paper: Paper, w: &mut dyn Write) -> io::Result<()> {
    // A short section stays on one page with its chart; a long one may break between rows.
    let mut class = Vec::new();
    if s.rows.len() <= 12 {
        class.push("part");
    }
    if t.print.page_per_section {
        class.push("page");
    }
    if class.is_empty() {
        writeln!(w, "<section>")?;
    } else {
        writeln!(w, "<section class=\"{}\">", class.join(" "))?;
    }
    if let Some(title) = &s.title {
        writeln!(w, "<h3>{}</h3>", escape(title))?;
    }
    grid.write(paper, w)?;
    if let Some((label, value)) = t.chart {
        bar_chart(s, label, value, &t.columns[value].header, w)?;
    }
    writeln!(w, "</section>")
}

/// One cell as html writes it.
struct Cell {
    text: String,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Number,
    /// A heading at the start of a row (a table printed across).
    Head,
    /// Nothing: the end of the last run of a table printed in runs.
    Filler,
}

impl Cell {
    fn of(v: &Value) -> Cell {
        let kind = if v.is_number() {
            Kind::Number
        } else {
            Kind::Text
        };
        Cell {
            text: v.human(),
            kind,
        }
    }

    fn head(text: &str) -> Cell {
        Cell {
            text: text.to_owned(),
            kind: Kind::Head,
        }
    }

    fn filler() -> Cell {
        Cell {
            text: String::new(),
            kind: Kind::Filler,
        }
    }
}

/// A section as it is printed: the headings and cells of its `<table>`, after the table's
/// print hints (across, in runs), and which of its columns wrap.
struct Grid {
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
    wrap: Vec<bool>,
}

impl Grid {
    fn new(t: &Table, s: &Section) -> Grid {
        let shown = t.shown();
        let header = |i: usize| t.columns[i].header.clone();
        let cells = |row: &[Value]| -> Vec<Cell> {
            shown
                .iter()
                .filter_map(|&i| row.get(i))
                .map(Cell::of)
                .collect()
        };
        let (head, rows): (Vec<String>, Vec<Vec<Cell>>) = if t.print.across && !shown.is_empty() {
            let first = shown[0];
            let head = std::iter::once(header(first))
                .chain(
                    s.rows
                        .iter()
                        .map(|r| r.get(first).map(Value::human).unwrap_or_default()),
                )
                .collect();
            let rows =
                shown[1..]
                    .iter()
                    .map(|&c| {
                        std::iter::once(Cell::head(&t.columns[c].header))
                            .chain(s.rows.iter().map(|r| {
                                r.get(c).map_or_else(|| Cell::of(&Value::Empty), Cell::of)
                            }))
                            .collect()
                    })
                    .collect();
            (head, rows)
        } else if t.print.runs > 1 && s.rows.len() > 1 {
            let runs = t.print.runs;
            let tall = s.rows.len().div_ceil(runs);
            let head = (0..runs)
                .flat_map(|_| shown.iter().map(|&i| header(i)))
                .collect();
            let rows = (0..tall)
                .map(|r| {
                    (0..runs)
                        .flat_map(|k| match s.rows.get(k * tall + r) {
                            Some(row) => cells(row),
                            None => shown.iter().map(|_| Cell::filler()).collect(),
                        })
                        .collect()
                })
                .collect();
            (head, rows)
        } else {
            let head = shown.iter().map(|&i| header(i)).collect();
            (head, s.rows.iter().map(|r| cells(r)).collect())
        };
        let wrap = (0..head.len())
            .map(|c| {
                rows.iter().any(|r| {
                    r.get(c)
                        .is_some_and(|cell| cell.kind == Kind::Text && em(&cell.text) > WRAP_EM)
                })
            })
            .collect();
        Grid { head, rows, wrap }
    }

    /// Per column, the least width (em) it takes in print and the width it would like,
    /// padding included: its widest unbreakable heading word or short value, or for a
    /// column that wraps at most [`WRAP_EM`] and its longest value.
    fn widths(&self, paper: Paper) -> Vec<(f64, f64)> {
        (0..self.head.len())
            .map(|c| {
                let heading = self.head[c]
                    .split(|ch: char| ch.is_whitespace() || ch == '_')
                    .map(|word| paper.heading_word(word))
                    .fold(0.0, f64::max);
                let widest = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| em(&cell.text).max(1.0))
                    .fold(heading, f64::max);
                let least = if self.wrap[c] {
                    heading.max(widest.min(WRAP_EM))
                } else {
                    widest
                };
                (least + paper.pad(), widest + paper.pad())
            })
            .collect()
    }

    fn min_em(&self, paper: Paper) -> f64 {
        self.widths(paper).iter().map(|w| w.0).sum()
    }

    /// The width each wrapping column keeps on `paper`: the shorter text
    /// columns (a studio, a department) stay on one line while the room allows, so only
    /// the longest (a summary) wraps, sharing what is left by their length; `None` for a
    /// column that does not wrap.
    fn kept_widths(&self, paper: Paper) -> Vec<Option<f64>> {
        let widths = self.widths(paper);
        let mut left: f64 = paper.room() * 0.98
            - (0..widths.len())
                .filter(|&c| !self.wrap[c])
                .map(|c| widths[c].1)
                .sum::<f64>();
        let mut wrapping: Vec<usize> = (0..widths.len()).filter(|&c| self.wrap[c]).collect();
        wrapping.sort_by(|&a, &b| widths[a].1.total_cmp(&widths[b].1));
        let mut kept = vec![None; widths.len()];
        let mut whole = 0;
        for (k, &c) in wrapping.iter().enumerate() {
            let rest: f64 = wrapping[k + 1..].iter().map(|&r| widths[r].0).sum();
            if widths[c].1 + rest > left {
                break;
            }
            kept[c] = Some(widths[c].1 - paper.pad());
            left -= widths[c].1;
            whole = k + 1;
        }
        // The rest share what is left by their length, so a long summary gets the most.
        let rest = &wrapping[whole..];
        let wanted: f64 = rest.iter().map(|&c| widths[c].1).sum();
        for &c in rest {
            let share = (left * widths[c].1 / wanted).max(widths[c].0);
            kept[c] = Some(share - paper.pad());
        }
        kept
    }

    fn write(&self, paper: Paper, w: &mut dyn Write) -> io::Result<()> {
        writeln!(w, "<table>\n<thead><tr>")?;
        for (h, kept) in self.head.iter().zip(self.kept_widths(paper)) {
            // A snake_case heading may break after its underscores.
            let h = escape(h).replace('_', "_<wbr>");
            match kept {
                Some(em) => write!(w, "<th style=\"min-width:{em:.1}em\">{h}</th>")?,
                None => write!(w, "<th>{h}</th>")?,
            }
        }
        writeln!(w, "</tr></thead>\n<tbody>")?;
        for row in &self.rows {
            write!(w, "<tr>")?;
            for (c, cell) in row.iter().enumerate() {
                let text = if cell.text.is_empty() && cell.kind != Kind::Filler {
                    "—".to_owned()
                } else {
                    escape(&cell.text)
                };
                let (tag, class) = match cell.kind {
                    Kind::Head => ("th", ""),
                    Kind::Number => ("td", " class=\"n\""),
                    Kind::Text if self.wrap.get(c) == Some(&true) => ("td", " class=\"w\""),
                    Kind::Text | Kind::Filler => ("td", ""),
                };
                write!(w, "<{tag}{class}>{text}</{tag}>")?;
            }
            writeln!(w, "</tr>")?;
        }
        writeln!(w, "</tbody>\n</table>")
    }
}

/// Width of `s` in em as a sans-serif sets it: CJK and fullwidth characters one em, the
/// rest about 0.56 (Latin letters and digits of Noto Sans average 0.54).
fn em(s: &str) -> f64 {
    s.chars().map(|c| if is_wide(c) { 1.0 } else { 0.56 }).sum()
}

fn is_wide(c: char) -> bool {
    // The middle dot of a transliterated name, dashes, quotes and the ellipsis are full
    // width in a CJK font.
    matches!(c as u32,
        0xB7 | 0x2010..=0x2027 | 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// A small line of values (cumulative points by quarter, say), as inline SVG: a polyline
/// with a dot, its value and its label at each point.
fn trend(points: &[(String, Decimal)], w: &mut dyn Write) -> io::Result<()> {
    let (step, height, top, base) = (90.0, 110.0, 18.0, 86.0);
    let values: Vec<f64> = points
        .iter()
        .map(|(_, v)| v.to_f64().unwrap_or(0.0))
        .collect();
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    let min = values.iter().copied().fold(0.0_f64, f64::min);
    let span = if max > min { max - min } else { 1.0 };
    let at = |i: usize, v: f64| {
        (
            30.0 + step * i as f64,
            base - (v - min) / span * (base - top),
        )
    };
    let width = 60.0 + step * (points.len().max(1) - 1) as f64;
    writeln!(
        w,
        "<figure class=\"part trend\"><svg width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"trend\">"
    )?;
    let line: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (x, y) = at(i, *v);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    writeln!(
        w,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#b22\" stroke-width=\"2\"/>",
        line.join(" ")
    )?;
    for (i, ((label, value), v)) in points.iter().zip(&values).enumerate() {
        let (x, y) = at(i, *v);
        writeln!(
            w,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#b22\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text x=\"{x:.1}\" y=\"{:.0}\" text-anchor=\"middle\">{}</text>",
            y - 6.0,
            escape(&super::number(*value)),
            height - 6.0,
            escape(label)
        )?;
    }
    writeln!(w, "</svg></figure>")
}

/// Horizontal bars of one numeric column, as inline SVG.
fn bar_chart(
    s: &Section,
    label: usize,
    value: usize,
    caption: &str,
    w: &mut dyn Write,
) -> io::Result<()> {
    let bars: Vec<(String, f64, String)> = s
        .rows
        .iter()
        .map(|r| {
            let l = r.get(label).map(Value::plain).unwrap_or_default();
            let v = match r.get(value) {
                Some(Value::Num(d)) => d.to_f64().unwrap_or(0.0),
                Some(Value::Int(i)) => *i as f64,
                _ => 0.0,
            };
            (l, v, r.get(value).map(Value::human).unwrap_or_default())
        })
        .collect();
    if bars.is_empty() {
        return Ok(());
    }
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    // Room for the longest label at 11 px, up to 220 px; a longer one is shortened with "…"
    // (the table above has it whole) rather than run off the left edge of the page.
    let longest = bars.iter().map(|b| em(&b.0)).fold(0.0, f64::max);
    let label_w = (longest * 11.0 + 16.0).clamp(60.0, 220.0);
    let (row_h, bar_w) = (18.0, 420.0);
    let height = row_h * bars.len() as f64 + 4.0;
    let caption = escape(caption);
    let width = label_w + bar_w + 60.0;
    writeln!(
        w,
        "<figure><svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{caption}\"><title>{caption}</title>"
    )?;
    for (i, (l, v, shown)) in bars.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let len = if max > 0.0 {
            (v.max(0.0) / max) * bar_w
        } else {
            0.0
        };
        writeln!(
            w,
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y:.0}\" width=\"{len:.1}\" height=\"{:.0}\" fill=\"#b22\"/><text x=\"{:.1}\" y=\"{:.0}\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            escape(&fit(l, (label_w - 16.0) / 11.0)),
            row_h - 4.0,
            label_w + len + 4.0,
            y + 13.0,
            escape(shown)
        )?;
    }
    writeln!(w, "</svg><figcaption>{caption}</figcaption></figure>")
}

/// `s` cut to at most `room` em, ending in "…" when cut.
fn fit(s: &str, room: f64) -> String {
    if em(s) <= room {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 1.0;
    for c in s.chars() {
        used += em(c.encode_utf8(&mut [0; 4]));
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape("\u{1b}[31m\u{202e}x"), "\\x1b[31m\\u{202e}x");
    }
}
