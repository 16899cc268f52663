//! Issue "pages that print": every html report, printed on A4 by a real browser, keeps every
//! column on the page, has the pages it should, starts each studio on its own page, and its
//! stamp stays a two-column list whose values sit beside their labels.
//!
//! Each report is rendered from the example workspace and from a Chinese-heavy copy of it
//! (long names, studios, departments and summaries), then given to headless Chromium twice:
//! - `--print-to-pdf`: the page count and the paper (A4, portrait or landscape) come from
//!   `pdfinfo`, and `pdftotext` says which studio each page of a ranking shows;
//! - `--dump-dom` on a copy laid out as print lays it out (the `@media print` rules made
//!   unconditional, the page laid to the printable width the report's `@page` rule leaves):
//!   a small script injected into the copy lists every element that reaches past the
//!   printable width, every cell whose text does not fit it, and every stamp value that does
//!   not sit on its label's row.
//!
//! Without Chromium (or poppler-utils) the test says so and passes, unless
//! `TALLY_REQUIRE_BROWSER=1` (as `.ci/run` sets), when it fails. `TALLY_PRINT_KEEP=DIR` keeps
//! the html, the PDFs and a PNG of each page there, to look at; `TALLY_PRINT_ONLY=TEXT` checks
//! only the reports whose name (`yantian/quarter`, `zh-long/report`…) contains TEXT.

use crate::common;

use common::{Ws, copy_dir};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One html report and what its print must look like.
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    /// The file the command writes, when it is not `-o`'s (publish).
    writes: Option<&'static str>,
    pages: usize,
    landscape: bool,
    /// Each section (studio) on a page of its own.
    page_per_section: bool,
}

const fn case(name: &'static str, args: &'static [&'static str], pages: usize) -> Case {
    Case {
        name,
        args,
        writes: None,
        pages,
        landscape: false,
        page_per_section: false,
    }
}

const fn wide(mut c: Case) -> Case {
    c.landscape = true;
    c
}

const fn by_studio(mut c: Case) -> Case {
    c.page_per_section = true;
    c
}

/// The example workspace (examples/yantian, 30 delegates in 5 studios, 41 petitions).
fn example_cases() -> Vec<Case> {
    vec![
        by_studio(case("quarter", &["quarter", "2025Q4"], 5)),
        wide(case(
            "quarter-all",
            &["quarter", "2025Q4", "--rank-within", "all"],
            2,
        )),
        by_studio(Case {
            writes: Some("published/2025Q4.html"),
            ..case("publish", &["publish", "2025Q4"], 5)
        }),
        wide(case("annual", &["annual", "2025"], 3)),
        wide(case(
            "petitions-open",
            &["petitions", "--as-of", "2025-12-31"],
            1,
        )),
        wide(case("petitions-today", &["petitions"], 1)),
        wide(case(
            "petitions-due-soon",
            &["petitions", "--as-of", "2025-12-20", "--due-within", "10"],
            1,
        )),
        case(
            "petitions-scorecard",
            &["petitions", "--as-of", "2025-12-31", "--by", "department"],
            1,
        ),
        wide(case(
            "petitions-by-delegate",
            &["petitions", "--as-of", "2025-12-31", "--by", "delegate"],
            2,
        )),
        case("obligations", &["obligations", "--as-of", "2025-12-31"], 1),
        case("explain", &["explain", "D005", "2025"], 2),
        wide(case("records", &["records", "2025Q4"], 5)),
        case("studios", &["studios", "2025Q4"], 1),
        case("report", &["report", "D005", "2025"], 1),
        case("report-most-petitions", &["report", "D007", "2025"], 1),
        case("diff-rules", &["diff-rules", "draft.toml", "2025"], 1),
        case("rules", &["rules"], 1),
    ]
}

/// The Chinese-heavy copy: the reports whose text columns carry its long strings.
fn chinese_cases() -> Vec<Case> {
    vec![
        wide(by_studio(case("quarter", &["quarter", "2025Q4"], 5))),
        wide(case("annual", &["annual", "2025"], 3)),
        wide(case(
            "petitions-open",
            &["petitions", "--as-of", "2025-12-31"],
            2,
        )),
        wide(case(
            "petitions-due-soon",
            &["petitions", "--as-of", "2025-12-20", "--due-within", "10"],
            1,
        )),
        // Chinese headings do not break like English words: these go landscape.
        wide(case(
            "petitions-scorecard",
            &["petitions", "--as-of", "2025-12-31", "--by", "department"],
            1,
        )),
        wide(case(
            "obligations",
            &["obligations", "--as-of", "2025-12-31"],
            2,
        )),
        case("explain", &["explain", "D005", "2025"], 2),
        case("studios", &["studios", "2025Q4"], 1),
        case("report", &["report", "D005", "2025"], 1),
        // Four petitions of a long sentence each, with departments of 25 characters: still
        // one sheet.
        case("report-most-petitions", &["report", "D007", "2025"], 1),
    ]
}

#[test]
fn every_html_report_prints_on_a4() {
    let required = std::env::var("TALLY_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let tools = ["chromium", "pdfinfo", "pdftotext"];
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| on_path(t).is_none())
        .collect();
    let chromium = on_path("chromium").or_else(|| on_path("chromium-browser"));
    let mut missing: Vec<&str> = missing
        .into_iter()
        .filter(|t| *t != "chromium" || chromium.is_none())
        .collect();
    // The widths the renderer plans are those of Noto Sans CJK, the page's first font.
    if on_path("fc-list").is_none() || !tool("fc-list", &[]).contains("Noto Sans CJK") {
        missing.push("the Noto Sans CJK font");
    }
    if !missing.is_empty() {
        let msg = format!(
            "print check: {} not found (apt-get install chromium poppler-utils fonts-noto-cjk)",
            missing.join(", ")
        );
        assert!(!required, "{msg}, and TALLY_REQUIRE_BROWSER=1 requires it");
        // Straight to stderr: the harness would swallow eprintln! of a passing test.
        let _ = writeln!(std::io::stderr(), "{msg}: skipped");
        return;
    }
    let chromium = chromium.expect("checked above");
    let keep = std::env::var_os("TALLY_PRINT_KEEP").map(PathBuf::from);
    let only = std::env::var("TALLY_PRINT_ONLY").ok();

    let example = example_workspace();
    let chinese = chinese_workspace();
    let mut jobs = Vec::new();
    for (ws, label, cases) in [
        (&example, "yantian", example_cases()),
        (&chinese, "zh-long", chinese_cases()),
    ] {
        for c in cases {
            let name = format!("{label}/{}", c.name);
            if only.as_deref().is_some_and(|o| !name.contains(o)) {
                continue;
            }
            let html = render(ws, &c, label);
            jobs.push((name, html, c));
        }
    }

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let problems = Mutex::new(Vec::new());
    let scratch = tempfile::tempdir().expect("scratch dir");
    let report = |name: &str, found: Vec<String>| {
        problems
            .lock()
            .expect("no thread panicked holding it")
            .extend(found.into_iter().map(|p| format!("{name}: {p}")));
    };
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((name, html, c)) = jobs.get(i) else {
                        break;
                    };
                    let dir = scratch.path().join(i.to_string());
                    std::fs::create_dir_all(&dir).expect("scratch");
                    report(name, print(&chromium, name, html, c, &dir, keep.as_deref()));
                }
            });
        }
        let pages: Vec<&Path> = jobs.iter().map(|(_, html, _)| html.as_path()).collect();
        for ((name, _, _), found) in jobs.iter().zip(measure(&chromium, &pages, scratch.path())) {
            report(name, found);
        }
    });
    let problems = problems.into_inner().expect("threads joined");
    let _ = writeln!(
        std::io::stderr(),
        "print check: {} reports printed in {:.1} s",
        jobs.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "{} print problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Prints one report to PDF: its paper, its pages, a section per page where it should.
fn print(
    chromium: &Path,
    name: &str,
    html: &Path,
    c: &Case,
    dir: &Path,
    keep: Option<&Path>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let text = std::fs::read_to_string(html).expect("html written");
    if page_rule(&text).is_some_and(|(landscape, _)| landscape != c.landscape) {
        let want = if c.landscape { "landscape" } else { "portrait" };
        problems.push(format!("the @page rule is not {want}"));
    }

    // The print itself: pages and paper.
    let pdf = dir.join("print.pdf");
    let out = browser(
        chromium,
        dir,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
        html,
    );
    if !pdf.exists() {
        return vec![format!("chromium wrote no PDF: {out}")];
    }
    let info = tool("pdfinfo", &[pdf.as_os_str()]);
    let pages: usize = field(&info, "Pages:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if pages != c.pages {
        problems.push(format!("{pages} page(s), expected {}", c.pages));
    }
    let size = field(&info, "Page size:").unwrap_or_default();
    let paper = match paper(&size) {
        Some(p) => p,
        None => {
            problems.push(format!("paper is not A4: {size}"));
            (0.0, 0.0)
        }
    };
    if paper != (0.0, 0.0) && (paper.0 > paper.1) != c.landscape {
        let want = if c.landscape { "landscape" } else { "portrait" };
        problems.push(format!("paper is {size}, {want} expected"));
    }
    if c.page_per_section {
        problems.extend(sections_by_page(&text, &pdf, pages));
    }

    if let Some(keep) = keep {
        let base = keep.join(name.replace('/', "-"));
        std::fs::create_dir_all(keep).expect("keep dir");
        std::fs::copy(html, base.with_extension("html")).expect("keep html");
        std::fs::copy(&pdf, base.with_extension("pdf")).expect("keep pdf");
        tool(
            "pdftoppm",
            &[
                "-r".as_ref(),
                "60".as_ref(),
                "-png".as_ref(),
                pdf.as_os_str(),
                base.as_os_str(),
            ],
        );
    }
    problems
}

/// The last `@page` rule's orientation and margin: the one print uses.
fn page_rule(html: &str) -> Option<(bool, f64)> {
    let mut found = None;
    let mut rest = html;
    while let Some(at) = rest.find("@page{") {
        let body = &rest[at + 6..];
        let end = body.find('}')?;
        let rule = &body[..end];
        let landscape = rule.contains("size:A4 landscape");
        let margin = between(rule, "margin:", "mm")?.trim().parse().ok()?;
        if rule.contains("size:A4") {
            found = Some((landscape, margin));
        }
        rest = &body[end..];
    }
    found
}

/// Lays every report out as print does and lists, per report, what does not fit. One
/// browser run for all: each report is an iframe of one page, read back by its script.
fn measure(chromium: &Path, pages: &[&Path], dir: &Path) -> Vec<Vec<String>> {
    let mut frames = String::new();
    let mut problems = vec![Vec::new(); pages.len()];
    for (i, page) in pages.iter().enumerate() {
        let html = std::fs::read_to_string(page).expect("html written");
        let Some((landscape, margin_mm)) = page_rule(&html) else {
            problems[i].push("no @page rule with an A4 size and a margin in mm".into());
            continue;
        };
        let page_mm = if landscape { 297.0 } else { 210.0 };
        let width_px = (page_mm - 2.0 * margin_mm) * 96.0 / 25.4;
        let probe = probe_copy(&html, width_px)
            .replace('&', "&amp;")
            .replace('"', "&quot;");
        frames.push_str(&format!(
            "<iframe id=\"r{i}\" style=\"width:{:.0}px;height:4000px;border:0\" srcdoc=\"{probe}\"></iframe>\n",
            width_px + 40.0
        ));
    }
    let all =
        format!("<!DOCTYPE html><html><body>\n{frames}<script>{COLLECT}</script></body></html>");
    let path = dir.join("measure.html");
    std::fs::write(&path, all).expect("measuring page written");
    let dom = browser(
        chromium,
        dir,
        &[
            "--window-size=1600,1200",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ],
        &path,
    );
    let Some(found) = between(&dom, "<pre id=\"all-checks\">", "</pre>") else {
        let why = format!(
            "the measuring script did not run: {}",
            dom.chars().take(300).collect::<String>()
        );
        return vec![vec![why]; pages.len()];
    };
    let found = found
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    for part in found.split("\n== r").skip(1) {
        let mut lines = part.lines();
        let Some(i) = lines.next().and_then(|l| l.parse::<usize>().ok()) else {
            continue;
        };
        match lines.next() {
            Some(l) if l.starts_with("measured ") => problems[i].extend(lines.map(str::to_owned)),
            other => problems[i].push(format!("not measured: {other:?}")),
        }
    }
    problems
}

/// Gathers each iframe's findings once every frame has loaded.
const COLLECT: &str = r#"
window.addEventListener("load", function () {
  var out = [];
  var frames = document.querySelectorAll("iframe");
  for (var i = 0; i < frames.length; i++) {
    var d = frames[i].contentDocument, p = d && d.getElementById("print-check");
    out.push("== " + frames[i].id + "\n" + (p ? p.textContent : "no findings"));
  }
  var pre = document.createElement("pre");
  pre.id = "all-checks";
  pre.textContent = "\n" + out.join("\n");
  document.body.appendChild(pre);
});
"#;

/// A copy of the page that a screen lays out as the printer does: print rules apply, the
/// page is as wide as the paper's printable width, and a script lists what does not fit.
fn probe_copy(html: &str, width_px: f64) -> String {
    const MEASURE: &str = r#"<script>
(function () {
  var W = document.documentElement.getBoundingClientRect().width;
  var out = [];
  var short = function (e) { return (e.textContent || "").replace(/\s+/g, " ").trim().slice(0, 50); };
  var over = function (e) {
    var r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > W + 0.5 || r.left < -0.5);
  };
  var all = document.body.querySelectorAll("*");
  for (var i = 0; i < all.length; i++) {
    var e = all[i], r = e.getBoundingClientRect();
    if (over(e) && !over(e.parentElement)) {
      var cut = [], ths = e.querySelectorAll("th");
      for (var k = 0; k < ths.length; k++) { if (over(ths[k])) { cut.push(short(ths[k])); } }
      out.push("wider than the printable " + Math.round(W) + " px: <" + e.tagName.toLowerCase() +
        "> reaches " + Math.round(r.right) + " px" +
        (cut.length ? ", columns past the edge: " + cut.join(" | ") : ": " + short(e)));
    }
    if ((e.tagName === "TD" || e.tagName === "TH") && e.scrollWidth > e.clientWidth + 1) {
      out.push("cell text cut off: " + short(e));
    }
  }
  var dts = document.querySelectorAll("footer dt");
  if (document.querySelector("footer") && dts.length === 0) { out.push("the stamp is not a <dl> list"); }
  for (var j = 0; j < dts.length; j++) {
    var dt = dts[j], dd = dt.nextElementSibling;
    if (!dd || dd.tagName !== "DD") { out.push("stamp label without a value: " + short(dt)); continue; }
    var a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
    if (Math.abs(a.top - b.top) > 1 || b.left < a.right - 0.5) {
      out.push("stamp value not beside its label: " + short(dt) + " / " + short(dd));
    }
  }
  var pre = document.createElement("pre");
  pre.id = "print-check";
  pre.textContent = "measured " + all.length + " elements\n" + out.join("\n");
  document.body.appendChild(pre);
})();
</script>"#;
    let html = html.replace("@media print{", "@media all{");
    let size = format!("<style>html{{width:{width_px:.2}px}}</style>\n</head>");
    html.replacen("</head>", &size, 1)
        .replacen("</body>", &format!("{MEASURE}\n</body>"), 1)
}

/// Each page of a report printed a page per section shows exactly one section's title.
fn sections_by_page(html: &str, pdf: &Path, pages: usize) -> Vec<String> {
    let titles: Vec<String> = html
        .split("<h3>")
        .skip(1)
        .filter_map(|s| s.split("</h3>").next())
        .map(|t| t.replace("&amp;", "&"))
        .collect();
    let mut problems = Vec::new();
    for page in 1..=pages {
        let n = page.to_string();
        let text = tool(
            "pdftotext",
            &[
                "-f".as_ref(),
                n.as_ref(),
                "-l".as_ref(),
                n.as_ref(),
                pdf.as_os_str(),
                "-".as_ref(),
            ],
        );
        let on_page: Vec<&String> = titles
            .iter()
            .filter(|t| text.lines().any(|l| l.trim() == t.as_str()))
            .collect();
        if on_page.len() != 1 {
            problems.push(format!(
                "page {page} shows {} section title(s) {on_page:?}, expected one",
                on_page.len()
            ));
        }
    }
    problems
}

/// A4 in points is 595.92 × 841.92 (pdfinfo may say either way round).
fn paper(size: &str) -> Option<(f64, f64)> {
    let mut it = size.split_whitespace();
    let w: f64 = it.next()?.parse().ok()?;
    it.next();
    let h: f64 = it.next()?.parse().ok()?;
    let near = |a: f64, b: f64| (a - b).abs() < 2.0;
    let a4 = near(w.min(h), 595.3) && near(w.max(h), 841.9);
    a4.then_some((w, h))
}

/// Runs headless Chromium on `page` with a profile of its own, killed after a minute.
fn browser(chromium: &Path, dir: &Path, args: &[&str], page: &Path) -> String {
    let profile = tempfile::tempdir_in(dir).expect("profile dir");
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(args)
    .arg(format!("file://{}", page.display()))
    .stdin(Stdio::null());
    run(cmd, Duration::from_secs(60))
}

fn tool(name: &str, args: &[&std::ffi::OsStr]) -> String {
    let mut cmd = Command::new(name);
    cmd.args(args).stdin(Stdio::null());
    run(cmd, Duration::from_secs(30))
}

/// stdout of a command, or its stderr when stdout is empty; killed at the deadline.
fn run(mut cmd: Command, limit: Duration) -> String {
    let dir = tempfile::tempdir().expect("scratch");
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    cmd.stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"));
    let mut child = cmd.spawn().expect("tool starts");
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().expect("tool status").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return format!("killed after {} s", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let stdout = std::fs::read_to_string(&out).unwrap_or_default();
    if stdout.trim().is_empty() {
        std::fs::read_to_string(&err).unwrap_or_default()
    } else {
        stdout
    }
}

fn field(text: &str, name: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .map(|v| v.trim().to_owned())
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let len = s[start..].find(close)?;
    Some(&s[start..start + len])
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Writes the report as html and returns its path.
fn render(ws: &Ws, c: &Case, label: &str) -> PathBuf {
    let path = match c.writes {
        Some(file) => {
            ws.tally().args(c.args).assert().success();
            ws.path().join(file)
        }
        None => {
            let path = ws.path().join(format!("print-{label}-{}.html", c.name));
            ws.tally()
                .args(c.args)
                .args(["--format", "html", "-o"])
                .arg(&path)
                .assert()
                .success();
            path
        }
    };
    assert!(path.is_file(), "{} wrote no {}", c.name, path.display());
    path
}

fn example_workspace() -> Ws {
    let ws = Ws::empty();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/yantian"),
        ws.path(),
    );
    // diff-rules' draft: a duty shift earns 1 instead of 5.
    let rules = common::default_rules();
    ws.write(
        "draft.toml",
        &rules.replacen(
            "aliases = [\"值班接访\"]\npoints = 5",
            "aliases = [\"值班接访\"]\npoints = 1",
            1,
        ),
    );
    ws
}

/// A Chinese office's workspace (`lang = "zh"`: every label Chinese) with the longest
/// Chinese text a district writes: four-character and
/// hyphenated minority names, studios and departments with their full district prefix,
/// petition summaries of a long sentence, a long workspace name.
fn chinese_workspace() -> Ws {
    let ws = example_workspace();
    ws.write(
        "tally.toml",
        "[workspace]\nname = \"深圳市盐田区海山街道人大代表党代表积分管理工作区\"\nlang = \"zh\"\n",
    );
    edit_csv(&ws, "data/delegates.csv", |i, f| {
        if i % 4 == 0 {
            f[1] = format!("阿卜杜热合曼·{}", f[1]);
        }
        f[2] = format!("深圳市盐田区海山街道{}", f[2]);
        if !f[3].is_empty() {
            f[3] = format!("深圳市盐田区{}", f[3]);
        }
    });
    edit_csv(&ws, "data/petitions.csv", |_, f| {
        f[5] = format!(
            "{}，群众多次反映，希望有关部门尽快研究解决并在社区公示办理进度和结果",
            f[5]
        );
        if !f[6].is_empty() {
            f[6] = format!("深圳市盐田区{}（政务服务和数据管理局协办）", f[6]);
        }
    });
    edit_csv(&ws, "data/adjustments.csv", |_, f| {
        f[4] = format!("{}，经积分考评小组集体研究并公示五个工作日无异议", f[4]);
    });
    ws
}

/// Rewrites the data rows of a comma-separated file with no quoted fields.
fn edit_csv(ws: &Ws, rel: &str, edit: impl Fn(usize, &mut Vec<String>)) {
    let text = ws.read(rel);
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().expect("header"));
    for (i, line) in lines.enumerate() {
        assert!(!line.contains('"'), "{rel} has quoted fields");
        let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
        edit(i, &mut fields);
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    ws.write(rel, &out);
}
