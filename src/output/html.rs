//! One self-contained HTML page: inline CSS and inline SVG, nothing fetched from elsewhere,
//! every value escaped, fit to print on A4.

use super::{Report, Section, Table, Value, stamp_pairs};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::io::{self, Write};

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:2em;color:#222}\
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em}h3{font-size:1.05em}\
.lead{font-size:1em;margin:.2em 0 .8em}\
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{border:1px solid #999;padding:.25em .5em}\
th{background:#eee;word-break:keep-all;print-color-adjust:exact;-webkit-print-color-adjust:exact}\
td{white-space:nowrap}td.w{white-space:normal;min-width:8em}td.n{text-align:right;font-variant-numeric:tabular-nums}\
figure{margin:.3em 0 1em}figcaption{font-size:.8em;color:#555}svg text{font-size:11px}\
footer{margin-top:2em;color:#666;font-size:.75em}footer dt{float:left;clear:left;width:10em}footer dd{margin-left:10.5em}\
@page{size:A4;margin:12mm}@media print{body{margin:0}.part{break-inside:avoid}h2,h3{break-after:avoid}tr{break-inside:avoid}}";

/// Wide tables (many columns) print on landscape pages in a smaller type.
const WIDE: &str = "@page{size:A4 landscape;margin:10mm}@media print{table{font-size:7.5pt}}";
const WIDE_COLUMNS: usize = 14;

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
    let wide = report.tables.iter().any(|t| t.shown().len() > WIDE_COLUMNS);
    let extra = if wide { WIDE } else { "" };
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}{extra}</style>\n</head>\n<body>\n<h1>{title}</h1>",
        if crate::i18n::is_zh() { "zh-CN" } else { "en" }
    )?;
    let pairs = stamp_pairs(report);
    let (lead, trace): (Vec<_>, Vec<_>) = pairs
        .iter()
        .skip(1)
        .partition(|(k, _)| matches!(k.as_str(), "period" | "year" | "as_of" | "newest_record"));
    let lead: Vec<String> = lead
        .iter()
        .map(|(k, v)| format!("{}: {}", escape(&label(k)), escape(&v.human())))
        .collect();
    if !lead.is_empty() {
        writeln!(w, "<p class=\"lead\">{}</p>", lead.join(" · "))?;
    }
    if !report.trend.is_empty() {
        trend(&report.trend, w)?;
    }
    for t in &report.tables {
        if let Some(title) = &t.title {
            writeln!(w, "<h2>{}</h2>", escape(title))?;
        }
        for s in &t.sections {
            section(t, s, w)?;
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
        writeln!(
            w,
            "<dt>{}</dt><dd>{}</dd>",
            escape(&label(k)),
            escape(&v.human())
        )?;
    }
    writeln!(w, "</dl></footer>\n</body>\n</html>")
}

fn section(t: &Table, s: &Section, w: &mut dyn Write) -> io::Result<()> {
    // A short section stays on one page with its chart; a long one may break between rows.
    let keep = if s.rows.len() <= 25 {
        " class=\"part\""
    } else {
        ""
    };
    writeln!(w, "<section{keep}>")?;
    if let Some(title) = &s.title {
        writeln!(w, "<h3>{}</h3>", escape(title))?;
    }
    writeln!(w, "<table>\n<thead><tr>")?;
    let shown = t.shown();
    for &i in &shown {
        write!(w, "<th>{}</th>", escape(&t.columns[i].header))?;
    }
    writeln!(w, "</tr></thead>\n<tbody>")?;
    for row in &s.rows {
        write!(w, "<tr>")?;
        for v in shown.iter().filter_map(|&i| row.get(i)) {
            let text = v.human();
            let class = match v {
                _ if v.is_number() => " class=\"n\"",
                Value::Text(t) if t.chars().count() > 12 => " class=\"w\"",
                _ => "",
            };
            let cell = if text.is_empty() {
                "—".to_owned()
            } else {
                escape(&text)
            };
            write!(w, "<td{class}>{cell}</td>")?;
        }
        writeln!(w, "</tr>")?;
    }
    writeln!(w, "</tbody>\n</table>")?;
    if let Some((label, value)) = t.chart {
        bar_chart(s, label, value, &t.columns[value].header, w)?;
    }
    writeln!(w, "</section>")
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
        "<figure class=\"part\"><svg width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"trend\">"
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
    let bars: Vec<(String, f64)> = s
        .rows
        .iter()
        .map(|r| {
            let l = r.get(label).map(Value::plain).unwrap_or_default();
            let v = match r.get(value) {
                Some(Value::Num(d)) => d.to_f64().unwrap_or(0.0),
                Some(Value::Int(i)) => *i as f64,
                _ => 0.0,
            };
            (l, v)
        })
        .collect();
    if bars.is_empty() {
        return Ok(());
    }
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    // Room for the longest label: CJK characters are about a font size wide.
    let longest = bars.iter().map(|b| b.0.chars().count()).max().unwrap_or(0);
    let label_w = (longest as f64 * 12.0 + 10.0).clamp(60.0, 220.0);
    let (row_h, bar_w) = (18.0, 420.0);
    let height = row_h * bars.len() as f64 + 4.0;
    let caption = escape(caption);
    writeln!(
        w,
        "<figure><svg width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"{caption}\"><title>{caption}</title>",
        label_w + bar_w + 60.0
    )?;
    for (i, (l, v)) in bars.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let len = if max > 0.0 {
            (v.max(0.0) / max) * bar_w
        } else {
            0.0
        };
        let shown = Decimal::from_f64_retain(*v).map_or_else(String::new, super::number);
        writeln!(
            w,
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{y:.0}\" width=\"{len:.1}\" height=\"{:.0}\" fill=\"#b22\"/><text x=\"{:.1}\" y=\"{:.0}\">{}</text>",
            label_w - 6.0,
            y + 13.0,
            escape(l),
            row_h - 4.0,
            label_w + len + 4.0,
            y + 13.0,
            escape(&shown)
        )?;
    }
    writeln!(w, "</svg><figcaption>{caption}</figcaption></figure>")
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
