//! One self-contained HTML page: inline CSS and inline SVG, nothing fetched from elsewhere,
//! every value escaped, fit to print on A4.

use super::{Report, Section, Table, Value, stamp_pairs};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::io::{self, Write};

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:2em;color:#222}\
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em}h3{font-size:1.05em}\
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{border:1px solid #999;padding:.25em .5em}\
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.stamp{color:#555;font-size:.8em}.stamp dt{float:left;clear:left;width:9em}.stamp dd{margin-left:9.5em}\
svg text{font-size:11px}\
@page{size:A4;margin:15mm}@media print{body{margin:0}h2,h3{break-after:avoid}tr{break-inside:avoid}}";

pub fn escape(s: &str) -> String {
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
    writeln!(
        w,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>"
    )?;
    writeln!(w, "<dl class=\"stamp\">")?;
    for (k, v) in stamp_pairs(report).iter().skip(1) {
        writeln!(w, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v.human()))?;
    }
    writeln!(w, "</dl>")?;
    for t in &report.tables {
        if let Some(title) = &t.title {
            writeln!(w, "<h2>{}</h2>", escape(title))?;
        }
        for s in &t.sections {
            section(t, s, w)?;
        }
    }
    if !report.summary.is_empty() {
        writeln!(w, "<h2>Summary</h2>\n<table>")?;
        for (k, v) in &report.summary {
            writeln!(
                w,
                "<tr><th>{}</th><td class=\"n\">{}</td></tr>",
                escape(k),
                escape(&v.human())
            )?;
        }
        writeln!(w, "</table>")?;
    }
    writeln!(w, "</body>\n</html>")
}

fn section(t: &Table, s: &Section, w: &mut dyn Write) -> io::Result<()> {
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
            let class = if v.is_number() { " class=\"n\"" } else { "" };
            write!(w, "<td{class}>{}</td>", escape(&v.human()))?;
        }
        writeln!(w, "</tr>")?;
    }
    writeln!(w, "</tbody>\n</table>")?;
    if let Some((label, value)) = t.chart {
        bar_chart(s, label, value, w)?;
    }
    Ok(())
}

/// Horizontal bars of one numeric column, as inline SVG.
fn bar_chart(s: &Section, label: usize, value: usize, w: &mut dyn Write) -> io::Result<()> {
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
    let (row_h, label_w, bar_w) = (18.0, 110.0, 420.0);
    let height = row_h * bars.len() as f64 + 4.0;
    writeln!(
        w,
        "<svg width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"bar chart of totals\">",
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
    writeln!(w, "</svg>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
