//! Reading and validating a rules file (TOML). Every problem is located `file:line:col`.

use crate::domain::rules::*;
use crate::error::{Error, Exit, Problem};
use crate::input::date::parse_date;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::str::FromStr;
use toml::Spanned;

/// The built-in default rules: the Yantian 2013 table, identical to `rules/yantian-2013.toml`.
pub const DEFAULT_RULES: &str = include_str!("../../rules/yantian-2013.toml");
pub const DEFAULT_RULES_NAME: &str = "<built-in yantian-2013.toml>";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    meta: RawMeta,
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    item: Vec<Spanned<RawItem>>,
    #[serde(default)]
    obligation: Vec<Spanned<RawObligation>>,
    petitions: Option<RawPetitions>,
    calendar: Option<RawCalendar>,
    review: Option<Spanned<RawReview>>,
    publishing: Option<RawPublishing>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublishing {
    late_records: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: String,
    #[serde(default)]
    source: String,
    cycle: Option<Spanned<String>>,
    rank_within: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: Spanned<String>,
    category: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    points: Option<Spanned<Num>>,
    outcomes: Option<Spanned<toml::Table>>,
    outcome_aliases: Option<Spanned<toml::Table>>,
    #[serde(default)]
    requires_ref: bool,
    cap: Option<Spanned<RawCap>>,
    petition: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCap {
    points: Spanned<Num>,
    per: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObligation {
    item: Spanned<String>,
    at_least: Spanned<i64>,
    per: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPetitions {
    reply_within_days: Option<Spanned<i64>>,
    reply_within: Option<Spanned<String>>,
    forward_within_days: Option<Spanned<i64>>,
    standards: Option<Spanned<RawStandards>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStandards {
    on_time_rate: Option<Spanned<Num>>,
    satisfaction_rate: Option<Spanned<Num>>,
    min_items: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    #[serde(default)]
    holidays: Vec<Spanned<DateCell>>,
    #[serde(default)]
    workdays: Vec<Spanned<DateCell>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    points_weight: Spanned<Num>,
    evaluation_weight: Spanned<Num>,
    groups: Spanned<toml::Table>,
    group_aliases: Option<Spanned<toml::Table>>,
    grades: Spanned<Vec<RawGrade>>,
    unmet_obligation_caps_grade: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    min: Num,
    name: String,
}

/// A number as TOML writes it: integer, float, or a string of digits for exactness.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Num {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Num {
    /// A number in a table read as plain TOML (outcome points, group weights).
    fn of(v: &toml::Value) -> Option<Num> {
        match v {
            toml::Value::Integer(i) => Some(Num::Int(*i)),
            toml::Value::Float(f) => Some(Num::Float(*f)),
            toml::Value::String(s) => Some(Num::Text(s.clone())),
            _ => None,
        }
    }

    /// The number, when it is one within [`LIMIT`] either way: the one reading of every
    /// number of the rules.
    fn decimal(&self) -> Option<Decimal> {
        let d = match self {
            Num::Int(i) => Some(Decimal::from(*i)),
            // The shortest text of a float is what the user typed (`0.4`, `7.5`).
            Num::Float(f) => Decimal::from_str(&f.to_string()).ok(),
            Num::Text(s) => Decimal::from_str(s.trim()).ok(),
        };
        d.filter(|d| d.abs() <= LIMIT)
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DateCell {
    Toml(toml::value::Datetime),
    Text(String),
}

/// Where problems are reported: a file name and its text, to turn byte spans into line:col.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Locator<'_> {
    fn at(&self, span: Range<usize>, message: impl Into<String>) -> Problem {
        let (line, col) = line_col(self.text, span.start);
        Problem::new(self.file, message).line(line).col(col)
    }
    fn push(&mut self, span: Range<usize>, message: impl Into<String>) {
        let p = self.at(span, message);
        self.problems.push(p);
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u64 + 1;
    (line, col)
}

/// A TOML deserialisation error as one located line.
pub fn toml_problem(file: &str, text: &str, e: &toml::de::Error) -> Problem {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            Problem::new(file, message).line(line).col(col)
        }
        None => Problem::new(file, message),
    }
}

/// Parses and validates rules; any problem is exit 78 with every problem listed.
pub fn parse_rules(file: &str, text: &str) -> Result<Rules, Error> {
    let raw: RawRules = toml::from_str(text)
        .map_err(|e| Error::from_problem(Exit::Config, toml_problem(file, text, &e)))?;
    let mut loc = Locator {
        file,
        text,
        problems: Vec::new(),
    };
    let rules = build(raw, &mut loc);
    if loc.problems.is_empty() {
        Ok(rules)
    } else {
        Err(Error::problems(Exit::Config, &loc.problems))
    }
}

/// Builds every part, then the rules once. Parts in error are read as their defaults so
/// that every problem of the file is found in one pass; the caller keeps none of them.
fn build(raw: RawRules, loc: &mut Locator) -> Rules {
    let meta = build_meta(raw.meta, loc);
    let categories = build_categories(&raw.category, loc);
    let items = build_items(raw.item, &categories, loc);
    let lookup = build_lookup(&items, loc);
    let obligations = build_obligations(&raw.obligation, &items, loc);
    let petitions = raw
        .petitions
        .map(|p| build_petitions(p, loc))
        .unwrap_or_default();
    let calendar = raw
        .calendar
        .map(|c| build_calendar(c, loc))
        .unwrap_or_default();
    let review = match raw.review {
        Some(r) => build_review(r, loc),
        None => {
            loc.push(0..0, crate::tr!("msg-rules-no-review"));
            Review::default()
        }
    };
    let publishing = raw
        .publishing
        .map(|p| build_publishing(p, loc))
        .unwrap_or_default();
    Rules {
        meta,
        categories,
        items,
        obligations,
        petitions,
        calendar,
        review,
        publishing,
        lookup,
    }
}

fn build_publishing(raw: RawPublishing, loc: &mut Locator) -> Publishing {
    let late_records = match raw
        .late_records
        .as_ref()
        .map(|v| (v.get_ref().as_str(), v.span()))
    {
        None | Some(("warn", _)) => LateRecords::Warn,
        Some(("refuse", _)) => LateRecords::Refuse,
        Some((other, span)) => {
            loc.push(
                span,
                crate::tr!("msg-rules-unknown-late-records", value = other),
            );
            LateRecords::Warn
        }
    };
    Publishing { late_records }
}

/// An item's `petition` marker: its part in a petition's life, reconciled by `check`.
fn build_petition_role(
    code: &str,
    raw: Option<&Spanned<String>>,
    requires_ref: bool,
    loc: &mut Locator,
) -> Option<PetitionRole> {
    let raw = raw?;
    let role = match raw.get_ref().as_str() {
        "agent" => PetitionRole::Agent,
        "resolved" => PetitionRole::Resolved,
        other => {
            loc.push(
                raw.span(),
                crate::tr!(
                    "msg-rules-unknown-petition-role",
                    item = code,
                    value = other
                ),
            );
            return None;
        }
    };
    if !requires_ref {
        // Without a ref a record cannot name the petition it is reconciled with.
        loc.push(
            raw.span(),
            crate::tr!("msg-rules-petition-needs-ref", item = code),
        );
    }
    Some(role)
}

fn build_meta(raw: RawMeta, loc: &mut Locator) -> Meta {
    if let Some(cycle) = &raw.cycle
        && cycle.get_ref() != "year"
    {
        loc.push(
            cycle.span(),
            crate::tr!("msg-rules-unknown-cycle", value = cycle.get_ref()),
        );
    }
    let rank_within = match raw
        .rank_within
        .as_ref()
        .map(|r| (r.get_ref().as_str(), r.span()))
    {
        None | Some(("studio", _)) => RankWithin::Studio,
        Some(("all", _)) => RankWithin::All,
        Some(("sector", _)) => RankWithin::Sector,
        Some((other, span)) => {
            loc.push(
                span,
                crate::tr!("msg-rules-unknown-rank-within", value = other),
            );
            RankWithin::Studio
        }
    };
    Meta {
        name: raw.name,
        source: raw.source,
        rank_within,
    }
}

fn build_categories(raw: &[Spanned<RawCategory>], loc: &mut Locator) -> Vec<Category> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for c in raw {
        let c = c.get_ref();
        if !seen.insert(c.id.get_ref().clone()) {
            loc.push(
                c.id.span(),
                crate::tr!("msg-rules-category-twice", category = c.id.get_ref()),
            );
        }
        out.push(Category {
            id: c.id.get_ref().clone(),
            name: c.name.clone(),
        });
    }
    if out.is_empty() {
        loc.push(0..0, crate::tr!("msg-rules-no-category"));
    }
    out
}

fn build_items(
    raw: Vec<Spanned<RawItem>>,
    categories: &[Category],
    loc: &mut Locator,
) -> Vec<Item> {
    let mut codes = BTreeSet::new();
    let mut items = Vec::new();
    for spanned in raw {
        let span = spanned.span();
        let r = spanned.into_inner();
        let code = r.code.get_ref().trim().to_owned();
        if code.is_empty() || code.contains(char::is_whitespace) {
            loc.push(
                r.code.span(),
                crate::tr!("msg-rules-code-one-word", item = &code),
            );
        }
        if !codes.insert(code.clone()) {
            loc.push(
                r.code.span(),
                crate::tr!("msg-rules-item-twice", item = &code),
            );
        }
        let category = categories
            .iter()
            .position(|c| &c.id == r.category.get_ref())
            .unwrap_or_else(|| {
                let known: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
                loc.push(
                    r.category.span(),
                    crate::tr!(
                        "msg-rules-unknown-category",
                        item = &code,
                        category = r.category.get_ref(),
                        expected = known.join(", ")
                    ),
                );
                0
            });
        let scoring = build_scoring(&code, &r, span, loc);
        let cap = r.cap.as_ref().and_then(|c| build_cap(&code, c, loc));
        let petition = build_petition_role(&code, r.petition.as_ref(), r.requires_ref, loc);
        items.push(Item {
            code,
            category,
            name: r.name.get_ref().clone(),
            aliases: r.aliases.iter().map(|a| a.get_ref().clone()).collect(),
            scoring,
            requires_ref: r.requires_ref,
            cap,
            petition,
        });
    }
    if items.is_empty() {
        loc.push(0..0, crate::tr!("msg-rules-no-item"));
    }
    items
}

fn build_scoring(code: &str, r: &RawItem, span: Range<usize>, loc: &mut Locator) -> Scoring {
    match (&r.points, &r.outcomes) {
        (Some(p), None) => Scoring::PerUnit(decimal(p, loc).unwrap_or_default()),
        (None, Some(outcomes)) => {
            let mut points = Vec::new();
            for (k, v) in outcomes.get_ref() {
                match value_decimal(v) {
                    Some(d) => points.push((k.clone(), d)),
                    None => loc.push(
                        outcomes.span(),
                        crate::tr!("msg-rules-outcome-points", item = code, outcome = k),
                    ),
                }
            }
            let mut aliases = Vec::new();
            if let Some(table) = &r.outcome_aliases {
                for (alias, target) in table.get_ref() {
                    let target = target.as_str().unwrap_or_default().to_owned();
                    if !points.iter().any(|(o, _)| *o == target) {
                        loc.push(
                            table.span(),
                            crate::tr!(
                                "msg-rules-outcome-alias-unknown",
                                item = code,
                                alias = alias,
                                outcome = &target
                            ),
                        );
                    }
                    aliases.push((alias.clone(), target));
                }
            }
            Scoring::ByOutcome { points, aliases }
        }
        (Some(p), Some(_)) => {
            loc.push(
                p.span(),
                crate::tr!("msg-rules-points-and-outcomes", item = code),
            );
            Scoring::PerUnit(Decimal::ZERO)
        }
        (None, None) => {
            loc.push(span, crate::tr!("msg-rules-no-points", item = code));
            Scoring::PerUnit(Decimal::ZERO)
        }
    }
}

fn build_cap(code: &str, c: &Spanned<RawCap>, loc: &mut Locator) -> Option<Cap> {
    let raw = c.get_ref();
    let points = decimal(&raw.points, loc)?;
    if points < Decimal::ZERO {
        loc.push(
            raw.points.span(),
            crate::tr!("msg-rules-cap-negative", item = code),
        );
    }
    let Some(per) = Per::parse(raw.per.get_ref()) else {
        loc.push(
            raw.per.span(),
            crate::tr!(
                "msg-rules-unknown-cap-period",
                item = code,
                per = raw.per.get_ref()
            ),
        );
        return None;
    };
    Some(Cap {
        points,
        per,
        per_label: raw.per.get_ref().clone(),
    })
}

/// Numbers in rules stay within a million either way, so sums of points never overflow.
const LIMIT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

fn decimal(n: &Spanned<Num>, loc: &mut Locator) -> Option<Decimal> {
    let d = n.get_ref().decimal();
    if d.is_none() {
        loc.push(n.span(), crate::tr!("msg-rules-bad-number", limit = LIMIT));
    }
    d
}

fn value_decimal(v: &toml::Value) -> Option<Decimal> {
    Num::of(v)?.decimal()
}

/// Every code, full name and alias, each naming one item only.
fn build_lookup(items: &[Item], loc: &mut Locator) -> HashMap<String, usize> {
    let mut lookup: HashMap<String, usize> = HashMap::new();
    let mut clashes = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let names = std::iter::once(&item.code)
            .chain(std::iter::once(&item.name))
            .chain(item.aliases.iter());
        for n in names {
            let key = n.trim().to_lowercase();
            match lookup.get(&key) {
                Some(&j) if j != i => {
                    clashes.push((n.clone(), items[j].code.clone(), item.code.clone()))
                }
                _ => {
                    lookup.insert(key, i);
                }
            }
        }
    }
    for (name, a, b) in clashes {
        let span = find_span(loc.text, &name);
        loc.push(
            span,
            crate::tr!("msg-rules-alias-twice", alias = &name, a = &a, b = &b),
        );
    }
    lookup
}

/// The span of the last quoted occurrence of `needle`, to point at a duplicated alias.
fn find_span(text: &str, needle: &str) -> Range<usize> {
    let quoted = format!("\"{needle}\"");
    text.rfind(&quoted).map_or(0..0, |i| i..i + quoted.len())
}

fn build_obligations(
    raw: &[Spanned<RawObligation>],
    items: &[Item],
    loc: &mut Locator,
) -> Vec<Obligation> {
    let mut out = Vec::new();
    for o in raw {
        let o = o.get_ref();
        let Some(item) = items.iter().position(|i| &i.code == o.item.get_ref()) else {
            loc.push(
                o.item.span(),
                crate::tr!("msg-rules-obligation-unknown-item", item = o.item.get_ref()),
            );
            continue;
        };
        // The period names are the caps'; an obligation is counted by month or by cycle.
        let per = match Per::parse(o.per.get_ref()) {
            Some(per @ (Per::Month | Per::Year)) => per,
            Some(Per::Quarter) | None => {
                loc.push(
                    o.per.span(),
                    crate::tr!(
                        "msg-rules-unknown-obligation-period",
                        value = o.per.get_ref()
                    ),
                );
                continue;
            }
        };
        let at_least = *o.at_least.get_ref();
        if at_least < 1 {
            loc.push(o.at_least.span(), crate::tr!("msg-rules-at-least"));
            continue;
        }
        out.push(Obligation {
            item,
            at_least: at_least as u64,
            per,
        });
    }
    out
}

/// SPEC §4: without `reply_within`, a department replies within 15 calendar days. Also what
/// a rule in error is read as, so that one mistake is reported once.
const DEFAULT_REPLY_WITHIN: ReplyWithin = ReplyWithin::CalendarDays(15);

/// SPEC §10: a petition is forwarded within 5 days unless the rules say otherwise.
const DEFAULT_FORWARD_WITHIN_DAYS: u32 = 5;

fn build_petitions(raw: RawPetitions, loc: &mut Locator) -> PetitionRules {
    let reply_within = match (raw.reply_within_days, raw.reply_within) {
        (Some(_), Some(w)) => {
            loc.push(w.span(), crate::tr!("msg-rules-reply-within-both"));
            DEFAULT_REPLY_WITHIN
        }
        (Some(d), None) => match u32::try_from(*d.get_ref()) {
            Ok(n) if n > 0 => ReplyWithin::CalendarDays(n),
            _ => {
                loc.push(d.span(), crate::tr!("msg-rules-reply-within-days"));
                DEFAULT_REPLY_WITHIN
            }
        },
        (None, Some(w)) => parse_reply_within(w.get_ref()).unwrap_or_else(|| {
            loc.push(
                w.span(),
                crate::tr!("msg-rules-reply-within", value = w.get_ref()),
            );
            DEFAULT_REPLY_WITHIN
        }),
        (None, None) => DEFAULT_REPLY_WITHIN,
    };
    let forward_within_days = match raw.forward_within_days {
        None => DEFAULT_FORWARD_WITHIN_DAYS,
        Some(d) => u32::try_from(*d.get_ref()).unwrap_or_else(|_| {
            loc.push(d.span(), crate::tr!("msg-rules-forward-within"));
            DEFAULT_FORWARD_WITHIN_DAYS
        }),
    };
    PetitionRules {
        reply_within,
        forward_within_days,
        standards: raw.standards.map(|s| build_standards(s, loc)),
    }
}

/// `standards = { on_time_rate = 0.9, satisfaction_rate = 0.85, min_items = 3 }`.
fn build_standards(raw: Spanned<RawStandards>, loc: &mut Locator) -> Standards {
    let span = raw.span();
    let s = raw.into_inner();
    let mut rate = |r: &Option<Spanned<Num>>, name: &str| {
        let r = r.as_ref()?;
        let d = r
            .get_ref()
            .decimal()
            .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE);
        if d.is_none() {
            loc.push(r.span(), crate::tr!("msg-rules-share", name = name));
        }
        d
    };
    let on_time_rate = rate(&s.on_time_rate, "on_time_rate");
    let satisfaction_rate = rate(&s.satisfaction_rate, "satisfaction_rate");
    if s.on_time_rate.is_none() && s.satisfaction_rate.is_none() {
        loc.push(span, crate::tr!("msg-rules-standards-empty"));
    }
    let min_items = match &s.min_items {
        None => 1,
        Some(m) => u32::try_from(*m.get_ref())
            .ok()
            .filter(|m| *m > 0)
            .unwrap_or_else(|| {
                loc.push(m.span(), crate::tr!("msg-rules-min-items"));
                1
            }),
    };
    Standards {
        on_time_rate,
        satisfaction_rate,
        min_items,
    }
}

/// `15 days`, `15 calendar days`, `15 working days` (also `工作日`/`自然日` forms).
pub fn parse_reply_within(text: &str) -> Option<ReplyWithin> {
    let t = text.trim();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().ok().filter(|n| *n > 0)?;
    let unit = t[digits.len()..].trim().to_lowercase();
    match unit.as_str() {
        "working days" | "working day" | "workdays" | "个工作日" | "工作日" => {
            Some(ReplyWithin::WorkingDays(n))
        }
        "days" | "day" | "calendar days" | "天" | "日" | "自然日" => {
            Some(ReplyWithin::CalendarDays(n))
        }
        _ => None,
    }
}

fn build_calendar(raw: RawCalendar, loc: &mut Locator) -> Calendar {
    let mut dates = |list: &[Spanned<DateCell>]| {
        let mut set = BTreeSet::new();
        for d in list {
            let text = match d.get_ref() {
                DateCell::Toml(dt) => dt.to_string(),
                DateCell::Text(s) => s.clone(),
            };
            match parse_date(&text) {
                Some(date) => {
                    set.insert(date);
                }
                None => loc.push(d.span(), crate::tr!("msg-rules-not-a-date", text = text)),
            }
        }
        set
    };
    let holidays = dates(&raw.holidays);
    let workdays = dates(&raw.workdays);
    Calendar { holidays, workdays }
}

fn build_review(raw: Spanned<RawReview>, loc: &mut Locator) -> Review {
    let r = raw.into_inner();
    let pw = decimal(&r.points_weight, loc).unwrap_or_default();
    let ew = decimal(&r.evaluation_weight, loc).unwrap_or_default();
    if pw + ew != Decimal::ONE {
        loc.push(
            r.points_weight.span(),
            crate::tr!("msg-rules-weights", found = (pw + ew).normalize()),
        );
    }
    let groups = build_groups(&r.groups, loc);
    let group_aliases = build_group_aliases(r.group_aliases.as_ref(), &groups, loc);
    let grades = build_grades(&r.grades, loc);
    if let Some(cap) = &r.unmet_obligation_caps_grade
        && !grades.iter().any(|g| &g.name == cap.get_ref())
    {
        loc.push(
            cap.span(),
            crate::tr!("msg-rules-unknown-cap-grade", grade = cap.get_ref()),
        );
    }
    Review {
        points_weight: pw,
        evaluation_weight: ew,
        groups,
        group_aliases,
        grades,
        unmet_obligation_caps_grade: r.unmet_obligation_caps_grade.map(Spanned::into_inner),
    }
}

fn build_groups(raw: &Spanned<toml::Table>, loc: &mut Locator) -> Vec<(String, Decimal)> {
    let mut groups = Vec::new();
    for (k, v) in raw.get_ref() {
        match value_decimal(v) {
            Some(w) if w >= Decimal::ZERO => groups.push((k.clone(), w)),
            _ => loc.push(raw.span(), crate::tr!("msg-rules-group-weight", group = k)),
        }
    }
    let sum: Decimal = groups.iter().map(|(_, w)| *w).sum();
    if groups.is_empty() {
        loc.push(raw.span(), crate::tr!("msg-rules-no-groups"));
    } else if sum != Decimal::ONE {
        loc.push(
            raw.span(),
            crate::tr!("msg-rules-group-weights", found = sum.normalize()),
        );
    }
    groups
}

fn build_group_aliases(
    raw: Option<&Spanned<toml::Table>>,
    groups: &[(String, Decimal)],
    loc: &mut Locator,
) -> Vec<(String, String)> {
    let Some(table) = raw else { return Vec::new() };
    let mut out = Vec::new();
    for (alias, target) in table.get_ref() {
        let target = target.as_str().unwrap_or_default().to_owned();
        if !groups.iter().any(|(g, _)| *g == target) {
            loc.push(
                table.span(),
                crate::tr!(
                    "msg-rules-group-alias-unknown",
                    alias = alias,
                    group = &target
                ),
            );
        }
        out.push((alias.clone(), target));
    }
    out
}

fn build_grades(raw: &Spanned<Vec<RawGrade>>, loc: &mut Locator) -> Vec<Grade> {
    let mut grades = Vec::new();
    for g in raw.get_ref() {
        match g.min.decimal() {
            Some(min) => grades.push(Grade {
                min,
                name: g.name.clone(),
            }),
            None => loc.push(
                raw.span(),
                crate::tr!("msg-rules-grade-min", grade = &g.name),
            ),
        }
    }
    if grades.is_empty() {
        loc.push(raw.span(), crate::tr!("msg-rules-no-grades"));
    }
    if grades.windows(2).any(|w| w[0].min <= w[1].min) {
        loc.push(raw.span(), crate::tr!("msg-rules-grades-order"));
    }
    grades
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_are_valid_and_complete() {
        let r = parse_rules("default", DEFAULT_RULES).expect("default rules parse");
        assert_eq!(r.items.len(), 14);
        assert_eq!(r.categories.len(), 4);
        assert_eq!(r.item_for("值班接访"), r.item_by_code("duty"));
        assert_eq!(r.item_for("DUTY"), r.item_by_code("duty"));
        let cosign = &r.items[r.item_by_code("motion_cosign").expect("exists")];
        assert_eq!(
            cosign.cap.as_ref().map(|c| c.points),
            Some(Decimal::from(9))
        );
        let resolved = &r.items[r.item_by_code("petition_resolved").expect("exists")];
        assert_eq!(resolved.outcome_for("非常满意"), Some("very_satisfied"));
        assert_eq!(
            resolved.unit_points(Some("dissatisfied")),
            Some(Decimal::ZERO)
        );
        assert_eq!(r.review.groups.len(), 3);
        assert_eq!(r.review.groups[1].0, "residents");
        assert_eq!(r.obligations.len(), 2);
        assert_eq!(r.review.points_weight.to_string(), "0.4");
    }

    fn err(text: &str) -> String {
        parse_rules("r.toml", text)
            .expect_err("invalid")
            .to_string()
    }

    #[test]
    fn unknown_key_is_located() {
        let bad = DEFAULT_RULES.replacen("points = 5\n", "pionts = 5\n", 1);
        let e = err(&bad);
        assert!(e.starts_with("r.toml:"), "{e}");
        assert!(e.contains("unknown field `pionts`"), "{e}");
    }

    #[test]
    fn obligation_periods_are_the_caps_month_and_cycle() {
        let cycle = DEFAULT_RULES.replacen(
            "at_least = 1\nper = \"month\"",
            "at_least = 1\nper = \"cycle\"",
            1,
        );
        let r = parse_rules("r.toml", &cycle).expect("cycle is a year");
        assert_eq!(r.obligations[0].per, Per::Year);
        // A cap may be per quarter; an obligation is counted by month or by cycle only.
        let quarter = DEFAULT_RULES.replacen(
            "at_least = 1\nper = \"month\"",
            "at_least = 1\nper = \"quarter\"",
            1,
        );
        let e = err(&quarter);
        assert!(e.contains("unknown obligation period \"quarter\""), "{e}");
    }

    #[test]
    fn every_number_has_the_same_limit() {
        let big = DEFAULT_RULES.replacen("{ min = 75,", "{ min = 2000000,", 1);
        assert!(err(&big).contains("grade"), "{}", err(&big));
        let outcome = DEFAULT_RULES.replacen("very_satisfied = 6", "very_satisfied = 2000000", 1);
        assert!(
            err(&outcome).contains("very_satisfied"),
            "{}",
            err(&outcome)
        );
    }

    #[test]
    fn unknown_category_and_alias_clash() {
        let bad = DEFAULT_RULES
            .replacen("category = \"supervision\"", "category = \"oversight\"", 1)
            .replacen("aliases = [\"提议\"]", "aliases = [\"值班接访\"]", 1);
        let e = err(&bad);
        assert!(e.contains("category \"oversight\" does not exist"), "{e}");
        assert!(e.contains("alias \"值班接访\" is used by two items"), "{e}");
    }

    #[test]
    fn weights_and_grades() {
        let bad = DEFAULT_RULES
            .replace("evaluation_weight = 0.6", "evaluation_weight = 0.5")
            .replace(
                "{ min = 75, name = \"称职\" }",
                "{ min = 95, name = \"称职\" }",
            )
            .replace("organisation = 0.2 }", "organisation = 0.3 }")
            .replace("\"满意\" = \"satisfied\"", "\"满意\" = \"happy\"");
        let e = err(&bad);
        assert!(e.contains("must be 1, found 0.9"), "{e}");
        assert!(e.contains("highest min down"), "{e}");
        assert!(e.contains("sum to 1, found 1.1"), "{e}");
        assert!(e.contains("unknown outcome \"happy\""), "{e}");
    }

    #[test]
    fn petition_markers_and_publishing() {
        let r = parse_rules("default", DEFAULT_RULES).expect("default rules parse");
        let role = |code: &str| r.items[r.item_by_code(code).expect("exists")].petition;
        assert_eq!(role("petition_agent"), Some(PetitionRole::Agent));
        assert_eq!(role("petition_resolved"), Some(PetitionRole::Resolved));
        assert_eq!(role("motion_lead"), None);
        assert_eq!(r.publishing.late_records, LateRecords::Warn);
        let refuse = DEFAULT_RULES.replace("late_records = \"warn\"", "late_records = \"refuse\"");
        let r = parse_rules("r.toml", &refuse).expect("parses");
        assert_eq!(r.publishing.late_records, LateRecords::Refuse);
        let bad = DEFAULT_RULES
            .replace("late_records = \"warn\"", "late_records = \"never\"")
            .replacen("petition = \"agent\"", "petition = \"lead\"", 1);
        let e = err(&bad);
        assert!(e.contains("unknown late_records \"never\""), "{e}");
        assert!(e.contains("unknown petition \"lead\""), "{e}");
        let no_ref = DEFAULT_RULES.replacen(
            "points = 5\nrequires_ref = true\npetition",
            "points = 5\npetition",
            1,
        );
        assert!(err(&no_ref).contains("needs requires_ref = true"));
    }

    #[test]
    fn forward_within_and_standards() {
        let r = parse_rules("default", DEFAULT_RULES).expect("default rules parse");
        assert_eq!(r.petitions.forward_within_days, 5);
        assert_eq!(r.petitions.standards, None);
        let with = DEFAULT_RULES.replace(
            "reply_within_days = 15",
            "reply_within_days = 15\nforward_within_days = 3\nstandards = { on_time_rate = 0.9, satisfaction_rate = 0.85, min_items = 3 }",
        );
        let r = parse_rules("r.toml", &with).expect("parses");
        assert_eq!(r.petitions.forward_within_days, 3);
        let s = r.petitions.standards.expect("standards");
        assert_eq!(s.on_time_rate, Decimal::from_str("0.9").ok());
        assert_eq!(s.satisfaction_rate, Decimal::from_str("0.85").ok());
        assert_eq!(s.min_items, 3);
        let bad = DEFAULT_RULES.replace(
            "reply_within_days = 15",
            "reply_within_days = 15\nstandards = { on_time_rate = 90, min_items = 0 }",
        );
        let e = err(&bad);
        assert!(
            e.contains("on_time_rate must be a share from 0 to 1"),
            "{e}"
        );
        assert!(
            e.contains("min_items must be a positive whole number"),
            "{e}"
        );
        let typo = DEFAULT_RULES.replace(
            "reply_within_days = 15",
            "reply_within_days = 15\nstandards = { on_time = 0.9 }",
        );
        assert!(err(&typo).contains("on_time"), "{}", err(&typo));
    }

    #[test]
    fn reply_within_forms() {
        assert_eq!(
            parse_reply_within("15 working days"),
            Some(ReplyWithin::WorkingDays(15))
        );
        assert_eq!(
            parse_reply_within("10 days"),
            Some(ReplyWithin::CalendarDays(10))
        );
        assert_eq!(
            parse_reply_within("15个工作日"),
            Some(ReplyWithin::WorkingDays(15))
        );
        assert_eq!(parse_reply_within("soon"), None);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n值班x", 7), (2, 2));
    }
}
