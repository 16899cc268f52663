//! The workspace's data files other than activity records: roster, adjustments,
//! evaluations and the petitions register.

use super::date::parse_date;
use super::{ColumnSpec, CsvFile, Loaded, Row, col};
use crate::domain::rules::Rules;
use crate::domain::*;
use crate::error::Problem;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;

pub const ROSTER: &[ColumnSpec] = &[
    col("id", "编号", true),
    col("name", "姓名", true),
    col("studio", "工作室", true),
    col("sector", "行业", false),
    col("joined", "任职日期", false),
    col("left", "离任日期", false),
];

pub const ADJUSTMENTS: &[ColumnSpec] = &[
    col("id", "编号", false),
    col("date", "日期", true),
    col("delegate", "代表", true),
    col("points", "积分", true),
    col("reason", "理由", true),
    col("approved_by", "审批人", false),
];

pub const EVALUATIONS: &[ColumnSpec] = &[
    col("year", "年度", true),
    col("delegate", "代表", true),
    col("group", "评议组", true),
    col("score", "得分", true),
];

pub const PETITIONS: &[ColumnSpec] = &[
    col("id", "编号", true),
    col("received", "登记日期", true),
    col("delegate", "代理代表", true),
    col("channel", "渠道", false),
    col("category", "类别", false),
    col("summary", "摘要", false),
    col("department", "承办单位", false),
    col("forwarded", "转办日期", false),
    col("due", "办理期限", false),
    col("replied", "答复日期", false),
    col("resolved", "办结日期", false),
    col("satisfaction", "满意度", false),
    col("kind", "类型", false),
    col("extended_to", "延期至", false),
    col("extension_reason", "延期理由", false),
    col("reopened", "重办日期", false),
];

/// The register's columns before the optional follow-up ones of SPEC §10 (extended_to,
/// extension_reason, reopened): what a new register starts with.
pub fn petitions_register() -> &'static [ColumnSpec] {
    let follow_up = PETITIONS
        .iter()
        .position(|c| c.name == "extended_to")
        .unwrap_or(PETITIONS.len());
    &PETITIONS[..follow_up]
}

/// Delegates' ratings of departments (代表评议部门), each mark 0–100.
pub const RATINGS: &[ColumnSpec] = &[
    col("year", "年度", true),
    col("department", "承办单位", true),
    col("delegate", "代表", true),
    col("attitude", "态度", true),
    col("efficiency", "效率", true),
    col("conduct", "作风", true),
    col("satisfaction", "满意度", true),
];

/// The four marks of a rating, in `Rating::marks` order.
pub const RATING_MARKS: [&str; 4] = ["attitude", "efficiency", "conduct", "satisfaction"];

/// Collects problems while reading one file's rows.
pub struct RowReader<'a> {
    pub file: &'a CsvFile,
    pub problems: Vec<Problem>,
}

impl<'a> RowReader<'a> {
    pub fn new(file: &'a CsvFile) -> Self {
        RowReader {
            file,
            problems: Vec::new(),
        }
    }

    pub fn fail(&mut self, row: &Row, column: &str, message: impl Into<String>, value: &str) {
        let p = self.file.problem(row, column, message).value(value);
        self.problems.push(p);
    }

    /// A required text cell.
    pub fn text(&mut self, row: &'a Row, column: &str) -> Option<&'a str> {
        let v = self.file.get(row, column);
        if v.is_none() {
            self.fail(row, column, crate::tr!("msg-required"), "");
        }
        v
    }

    pub fn opt(&self, row: &'a Row, column: &str) -> Option<&'a str> {
        self.file.get(row, column)
    }

    /// A date cell; `required` says whether empty is a problem.
    pub fn date(&mut self, row: &Row, column: &str, required: bool) -> Option<NaiveDate> {
        match self.file.get(row, column) {
            None => {
                if required {
                    self.fail(row, column, crate::tr!("msg-required"), "");
                }
                None
            }
            Some(v) => {
                let d = parse_date(v);
                if d.is_none() {
                    self.fail(row, column, crate::tr!("msg-bad-date"), v);
                }
                d
            }
        }
    }

    /// A delegate named by id or unique name; gives back the roster id.
    pub fn delegate(&mut self, row: &Row, column: &str, roster: &Roster) -> Option<usize> {
        let Some(v) = self.file.get(row, column) else {
            self.fail(row, column, crate::tr!("msg-required"), "");
            return None;
        };
        match roster.find(v) {
            Ok(i) => Some(i),
            Err(Lookup::Unknown) => {
                self.fail(row, column, crate::tr!("msg-not-in-roster"), v);
                None
            }
            Err(Lookup::AmbiguousName) => {
                self.fail(row, column, crate::tr!("msg-ambiguous-name"), v);
                None
            }
        }
    }

    /// Unknown columns of the row, by header.
    pub fn extras(&self, row: &Row) -> Vec<(String, String)> {
        self.file
            .extra
            .iter()
            .filter(|&&i| !self.file.headers[i].trim().is_empty())
            .map(|&i| {
                let cell = self.file.cell(row, i).unwrap_or_default();
                (self.file.headers[i].trim().to_owned(), cell.to_owned())
            })
            .collect()
    }
}

/// The roster: unique ids, a name and a studio for everyone, joined ≤ left.
pub fn roster(file: &CsvFile) -> Loaded<Roster> {
    let mut r = RowReader::new(file);
    let mut ids = HashSet::new();
    let mut delegates = Vec::new();
    for row in &file.rows {
        let id = r.text(row, "id");
        let name = r.text(row, "name");
        let studio = r.text(row, "studio");
        let joined = r.date(row, "joined", false);
        let left = r.date(row, "left", false);
        if let (Some(j), Some(l)) = (joined, left)
            && j > l
        {
            r.fail(
                row,
                "left",
                crate::tr!("msg-before", column = "joined", date = j),
                &l.to_string(),
            );
        }
        let (Some(id), Some(name), Some(studio)) = (id, name, studio) else {
            continue;
        };
        if !ids.insert(id.to_owned()) {
            r.fail(row, "id", crate::tr!("msg-duplicate-delegate-id"), id);
            continue;
        }
        delegates.push(Delegate {
            id: id.to_owned(),
            name: name.to_owned(),
            studio: studio.to_owned(),
            sector: r.opt(row, "sector").map(str::to_owned),
            joined,
            left,
        });
    }
    Loaded {
        value: Roster::new(delegates),
        problems: r.problems,
    }
}

/// Review-team corrections: signed points, a reason required, a delegate of the roster.
pub fn adjustments(file: &CsvFile, roster: &Roster) -> Loaded<Vec<Adjustment>> {
    let mut r = RowReader::new(file);
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    for row in &file.rows {
        if let Some(id) = r.opt(row, "id")
            && !ids.insert(id.to_owned())
        {
            r.fail(row, "id", crate::tr!("msg-duplicate-adjustment-id"), id);
            continue;
        }
        let date = r.date(row, "date", true);
        let delegate = r.delegate(row, "delegate", roster);
        let points = match r.text(row, "points") {
            Some(v) => {
                let limit = Decimal::from(100_000);
                let p = parse_points(v).filter(|p| p.abs() <= limit);
                if p.is_none() {
                    r.fail(
                        row,
                        "points",
                        crate::tr!("msg-bad-points", max = 100_000),
                        v,
                    );
                }
                p
            }
            None => None,
        };
        let reason = r.text(row, "reason");
        let (Some(date), Some(delegate), Some(points), Some(reason)) =
            (date, delegate, points, reason)
        else {
            continue;
        };
        out.push(Adjustment {
            id: r.opt(row, "id").map(str::to_owned),
            date,
            delegate: roster.delegates[delegate].id.clone(),
            points,
            reason: reason.to_owned(),
            approved_by: r.opt(row, "approved_by").map(str::to_owned),
            source: file.file.clone(),
            source_line: row.line,
        });
    }
    Loaded {
        value: out,
        problems: r.problems,
    }
}

/// A signed decimal written plainly, `+10`, `-5` and `7.5` included; `+-5`, `1_000`,
/// `1e3`, `1,000` and `.5` are refused rather than read some way the clerk did not mean.
pub fn parse_points(v: &str) -> Option<Decimal> {
    let t = v.trim();
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    Decimal::from_str(t.strip_prefix('+').unwrap_or(t)).ok()
}

/// Annual evaluation marks: score 0–100, a group the rules define, no duplicates.
pub fn evaluations(file: &CsvFile, roster: &Roster, rules: &Rules) -> Loaded<Vec<Evaluation>> {
    let mut r = RowReader::new(file);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in &file.rows {
        let year = r.text(row, "year").and_then(|v| {
            let y = v.parse::<i32>().ok().filter(|y| (1900..=2999).contains(y));
            if y.is_none() {
                r.fail(row, "year", crate::tr!("msg-bad-year"), v);
            }
            y
        });
        let delegate = r.delegate(row, "delegate", roster);
        let group = r.text(row, "group").and_then(|v| {
            let g = rules.group_for(v);
            if g.is_none() {
                let known: Vec<&str> = rules
                    .review
                    .groups
                    .iter()
                    .map(|(g, _)| g.as_str())
                    .collect();
                r.fail(
                    row,
                    "group",
                    crate::tr!("msg-unknown-group", expected = known.join(", ")),
                    v,
                );
            }
            g
        });
        let score = r.text(row, "score").and_then(|v| {
            let s = parse_points(v).filter(|s| *s >= Decimal::ZERO && *s <= Decimal::ONE_HUNDRED);
            if s.is_none() {
                r.fail(row, "score", crate::tr!("msg-bad-score"), v);
            }
            s
        });
        let (Some(year), Some(delegate), Some(group), Some(score)) = (year, delegate, group, score)
        else {
            continue;
        };
        let id = &roster.delegates[delegate].id;
        if !seen.insert((year, delegate, group)) {
            let v = format!("{year}, {id}, {}", rules.review.groups[group].0);
            r.fail(row, "group", crate::tr!("msg-second-mark"), &v);
            continue;
        }
        out.push(Evaluation {
            year,
            delegate: id.clone(),
            group,
            score,
            source_line: row.line,
        });
    }
    Loaded {
        value: out,
        problems: r.problems,
    }
}

/// Delegates' ratings of departments: a year, a department, a delegate of the roster, four
/// marks 0–100; one row per year, department and delegate.
pub fn ratings(file: &CsvFile, roster: &Roster) -> Loaded<Vec<Rating>> {
    let mut r = RowReader::new(file);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for row in &file.rows {
        let year = r.text(row, "year").and_then(|v| {
            let y = v.parse::<i32>().ok().filter(|y| (1900..=2999).contains(y));
            if y.is_none() {
                r.fail(row, "year", crate::tr!("msg-bad-year"), v);
            }
            y
        });
        let department = r.text(row, "department").map(str::to_owned);
        let delegate = r.delegate(row, "delegate", roster);
        let mut marks = [Decimal::ZERO; 4];
        let mut all = true;
        for (slot, name) in marks.iter_mut().zip(RATING_MARKS) {
            let m = r.text(row, name).and_then(|v| {
                let s =
                    parse_points(v).filter(|s| *s >= Decimal::ZERO && *s <= Decimal::ONE_HUNDRED);
                if s.is_none() {
                    r.fail(row, name, crate::tr!("msg-bad-mark"), v);
                }
                s
            });
            match m {
                Some(m) => *slot = m,
                None => all = false,
            }
        }
        let (Some(year), Some(department), Some(delegate), true) =
            (year, department, delegate, all)
        else {
            continue;
        };
        let id = roster.delegates[delegate].id.clone();
        if !seen.insert((year, department.clone(), id.clone())) {
            let v = format!("{year}, {department}, {id}");
            r.fail(row, "delegate", crate::tr!("msg-second-rating"), &v);
            continue;
        }
        out.push(Rating {
            year,
            department,
            delegate: id,
            marks,
            source_line: row.line,
        });
    }
    Loaded {
        value: out,
        problems: r.problems,
    }
}

/// The petitions register: unique ids, dates that never run backwards, known values.
pub fn petitions(file: &CsvFile, roster: &Roster) -> Loaded<Vec<Petition>> {
    let mut read = PetitionRows::new(roster);
    for row in &file.rows {
        read.row(file, row);
    }
    read.finish()
}

/// The register read one row at a time, so that its rows need not all be held.
pub struct PetitionRows<'r> {
    roster: &'r Roster,
    ids: HashSet<String>,
    out: Vec<Petition>,
    problems: Vec<Problem>,
    slim: bool,
}

impl<'r> PetitionRows<'r> {
    pub fn new(roster: &'r Roster) -> Self {
        PetitionRows {
            roster,
            ids: HashSet::new(),
            out: Vec::new(),
            problems: Vec::new(),
            slim: false,
        }
    }

    /// For `check`: of each petition only what reconciling and the calendar warning read
    /// is kept (no channel, category, summary, department or extension reason), so that a
    /// large register does not stack on the ledger pass.
    pub fn slim(roster: &'r Roster) -> Self {
        PetitionRows {
            slim: true,
            ..PetitionRows::new(roster)
        }
    }

    pub fn row(&mut self, file: &CsvFile, row: &Row) {
        let mut r = RowReader::new(file);
        // A repeated id is said even when either row has other problems.
        if let Some(id) = r.opt(row, "id")
            && !self.ids.insert(id.to_owned())
        {
            r.fail(row, "id", crate::tr!("msg-duplicate-petition-id"), id);
        } else if let Some(p) = petition(&mut r, row, self.roster) {
            self.out.push(if self.slim { slim(p) } else { p });
        }
        self.problems.append(&mut r.problems);
    }

    pub fn finish(self) -> Loaded<Vec<Petition>> {
        Loaded {
            value: self.out,
            problems: self.problems,
        }
    }
}

fn slim(p: Petition) -> Petition {
    Petition {
        channel: None,
        category: None,
        summary: None,
        department: None,
        followup: FollowUp {
            extension_reason: None,
            ..p.followup
        },
        ..p
    }
}

fn petition<'a>(r: &mut RowReader<'a>, row: &'a Row, roster: &Roster) -> Option<Petition> {
    let before = r.problems.len();
    let id = r.text(row, "id").map(str::to_owned);
    let received = r.date(row, "received", true);
    let delegate = r.delegate(row, "delegate", roster);
    let forwarded = r.date(row, "forwarded", false);
    let due = r.date(row, "due", false);
    let replied = r.date(row, "replied", false);
    let resolved = r.date(row, "resolved", false);
    let kind = match r.opt(row, "kind") {
        None => Some(Kind::Petition),
        Some(v) => Kind::parse(v).or_else(|| {
            r.fail(row, "kind", crate::tr!("msg-unknown-kind"), v);
            None
        }),
    };
    let satisfaction = r.opt(row, "satisfaction").and_then(|v| {
        let s = Satisfaction::parse(v);
        if s.is_none() {
            r.fail(
                row,
                "satisfaction",
                crate::tr!("msg-unknown-satisfaction"),
                v,
            );
        }
        s
    });
    let channel = r.opt(row, "channel").and_then(|v| {
        let c = parse_channel(v);
        if c.is_none() {
            r.fail(row, "channel", crate::tr!("msg-unknown-channel"), v);
        }
        c
    });
    let department = r.opt(row, "department").map(str::to_owned);
    check_order(r, row, received, forwarded, "forwarded", "received");
    check_order(r, row, forwarded, replied, "replied", "forwarded");
    // Resolved comes last: named against the first earlier step it precedes.
    let steps = [
        (received, "received"),
        (forwarded, "forwarded"),
        (replied, "replied"),
    ];
    if let Some(l) = resolved
        && let Some((e, name)) = steps
            .iter()
            .find_map(|&(e, name)| e.filter(|e| l < *e).map(|e| (e, name)))
    {
        r.fail(
            row,
            "resolved",
            crate::tr!("msg-before", column = name, date = e),
            &l.to_string(),
        );
    }
    if replied.is_some() && forwarded.is_none() {
        r.fail(
            row,
            "replied",
            crate::tr!("msg-reply-not-forwarded"),
            &fmt_date(replied),
        );
    }
    if forwarded.is_some() && department.is_none() {
        r.fail(row, "department", crate::tr!("msg-no-department"), "");
    }
    let followup = followup(
        r,
        row,
        [received, forwarded, due, replied],
        department.is_some(),
    );
    if r.problems.len() > before {
        return None;
    }
    Some(Petition {
        id: id?,
        received: received?,
        delegate: roster.delegates[delegate?].id.clone(),
        channel: channel.map(str::to_owned),
        category: r.opt(row, "category").map(str::to_owned),
        summary: r.opt(row, "summary").map(str::to_owned),
        department,
        forwarded,
        due,
        replied,
        resolved,
        satisfaction,
        kind: kind?,
        followup,
        source_line: row.line,
    })
}

/// Extension and reopening: an extension has a reason and a department, and runs forward
/// from the deadline it extends; a reopening comes after the steps before it.
fn followup<'a>(
    r: &mut RowReader<'a>,
    row: &'a Row,
    [received, forwarded, due, replied]: [Option<NaiveDate>; 4],
    has_department: bool,
) -> FollowUp {
    let extended_to = r.date(row, "extended_to", false);
    let extension_reason = r.opt(row, "extension_reason").map(str::to_owned);
    let reopened = r.date(row, "reopened", false);
    if let Some(e) = extended_to {
        if extension_reason.is_none() {
            r.fail(
                row,
                "extension_reason",
                crate::tr!("msg-extension-no-reason"),
                "",
            );
        }
        if !has_department {
            r.fail(
                row,
                "extended_to",
                crate::tr!("msg-extended-not-forwarded"),
                &e.to_string(),
            );
        }
    } else if let Some(reason) = &extension_reason {
        r.fail(
            row,
            "extension_reason",
            crate::tr!("msg-reason-no-extension"),
            reason,
        );
    }
    let before_extension = [
        (due, "due"),
        (forwarded, "forwarded"),
        (received, "received"),
    ];
    earliest_violation(r, row, extended_to, "extended_to", &before_extension);
    let before_reopening = [
        (replied, "replied"),
        (forwarded, "forwarded"),
        (received, "received"),
    ];
    earliest_violation(r, row, reopened, "reopened", &before_reopening);
    FollowUp {
        extended_to,
        extension_reason,
        reopened,
    }
}

/// `later` must not be before any of `steps`; the first it precedes is named.
fn earliest_violation(
    r: &mut RowReader,
    row: &Row,
    later: Option<NaiveDate>,
    column: &str,
    steps: &[(Option<NaiveDate>, &str)],
) {
    let Some(l) = later else { return };
    if let Some((e, name)) = steps
        .iter()
        .find_map(|&(e, name)| e.filter(|e| l < *e).map(|e| (e, name)))
    {
        r.fail(
            row,
            column,
            crate::tr!("msg-before", column = name, date = e),
            &l.to_string(),
        );
    }
}

fn fmt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// `later` (in column `column`) must not be before `earlier` (column `earlier_name`).
fn check_order(
    r: &mut RowReader,
    row: &Row,
    earlier: Option<NaiveDate>,
    later: Option<NaiveDate>,
    column: &str,
    earlier_name: &str,
) {
    if let (Some(e), Some(l)) = (earlier, later)
        && l < e
    {
        r.fail(
            row,
            column,
            crate::tr!("msg-before", column = earlier_name, date = e),
            &l.to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_plain_signed_decimals() {
        for (text, p) in [
            ("10", "10"),
            ("-5", "-5"),
            ("+5", "5"),
            ("7.5", "7.5"),
            (" -2 ", "-2"),
        ] {
            assert_eq!(parse_points(text), Decimal::from_str(p).ok(), "{text}");
        }
        for bad in [
            "+-5", "-+5", "--5", "1_000", "1e3", "1,000", ".5", "5.", "", "-", "五",
        ] {
            assert_eq!(parse_points(bad), None, "{bad}");
        }
    }

    fn register(rows: &str) -> Vec<Problem> {
        let roster_file =
            CsvFile::parse("d.csv", "id,name,studio\nD001,张三,A\n", ROSTER).expect("roster");
        let roster = roster(&roster_file).value;
        let text = format!("id,received,delegate,department,forwarded,replied,resolved\n{rows}");
        let file = CsvFile::parse("p.csv", &text, PETITIONS).expect("register");
        petitions(&file, &roster).problems
    }

    #[test]
    fn resolved_before_replied_or_forwarded_is_refused() {
        let ps = register("P1,2025-03-01,D001,交通局,2025-03-05,2025-03-20,2025-03-10\n");
        assert_eq!(ps.len(), 1);
        assert_eq!(
            ps[0].to_string(),
            "p.csv:2: resolved: before replied (2025-03-20) (2025-03-10)"
        );
        let ps = register("P1,2025-03-01,D001,交通局,2025-03-05,,2025-03-03\n");
        assert_eq!(
            ps[0].to_string(),
            "p.csv:2: resolved: before forwarded (2025-03-05) (2025-03-03)"
        );
        let ps = register("P1,2025-03-01,D001,,,,2025-02-03\n");
        assert_eq!(
            ps[0].to_string(),
            "p.csv:2: resolved: before received (2025-03-01) (2025-02-03)"
        );
        assert!(
            register("P1,2025-03-01,D001,交通局,2025-03-05,2025-03-20,2025-03-20\n").is_empty()
        );
    }

    fn followup_problems(rows: &str) -> Vec<String> {
        let roster_file =
            CsvFile::parse("d.csv", "id,name,studio\nD001,张三,A\n", ROSTER).expect("roster");
        let roster = roster(&roster_file).value;
        let text = format!(
            "id,received,delegate,department,forwarded,due,replied,resolved,延期至,延期理由,重办日期\n{rows}"
        );
        let file = CsvFile::parse("p.csv", &text, PETITIONS).expect("register");
        petitions(&file, &roster)
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn extensions_and_reopening_run_forward() {
        let ok = "P1,2025-03-01,D001,交通局,2025-03-05,2025-03-20,2025-03-25,2025-04-01,2025-03-30,材料待补,2025-04-10\n";
        assert_eq!(followup_problems(ok), Vec::<String>::new());
        let ps = followup_problems(
            "P1,2025-03-01,D001,交通局,2025-03-05,2025-03-20,,,2025-03-18,提前,\n",
        );
        assert_eq!(
            ps,
            ["p.csv:2: 延期至: before due (2025-03-20) (2025-03-18)"]
        );
        let ps = followup_problems("P1,2025-03-01,D001,交通局,2025-03-05,,,,2025-03-30,,\n");
        assert_eq!(
            ps,
            ["p.csv:2: 延期理由: an extension needs its reason (延期理由)"]
        );
        let ps =
            followup_problems("P1,2025-03-01,D001,交通局,2025-03-05,,2025-03-25,,,,2025-03-24\n");
        assert_eq!(
            ps,
            ["p.csv:2: 重办日期: before replied (2025-03-25) (2025-03-24)"]
        );
        let ps = followup_problems("P1,2025-03-01,D001,,,,,,2025-03-30,等待,\n");
        assert_eq!(
            ps,
            ["p.csv:2: 延期至: extended but never forwarded to a department (2025-03-30)"]
        );
    }
}
