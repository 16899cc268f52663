//! The scoring engine: ledger records + rules + adjustments → points per delegate, item and
//! month, with every cap cut. Pure and streaming: it sees each record once, in ledger order,
//! and keeps a fixed-size tally per delegate, so memory grows with delegates, not records.
//! `quarter`, `annual`, `explain` and `obligations` all read the same figures from here.

pub mod run;

use crate::domain::period::month_index;
use crate::domain::rules::Rules;
use crate::domain::validate::{Finding, validate};
use crate::domain::{Adjustment, Record, Roster};
use crate::error::Problem;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::ops::RangeInclusive;

/// Points and units of one item in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub points: Decimal,
    pub units: u64,
}

/// One item's months for one delegate, and where its cap stands.
#[derive(Debug, Clone)]
struct ItemMonths {
    item: usize,
    months: [Tally; 12],
    cap_slot: usize,
    cap_used: Decimal,
}

/// A delegate's year: items (sparse) and adjustments by month; once scored, the records'
/// points by month and by category and month, which every report sums again and again.
#[derive(Debug, Clone, Default)]
pub struct DelegateYear {
    items: Vec<ItemMonths>,
    pub adjustments: [Decimal; 12],
    by_month: [Decimal; 12],
    by_category: Vec<[Decimal; 12]>,
}

/// Months as zero-based indices, inclusive: `0..=2` is the first quarter.
pub type Months = RangeInclusive<usize>;

impl DelegateYear {
    /// The item's months, made when missing (a delegate holds only the items they did).
    fn entry(&mut self, item: usize) -> &mut ItemMonths {
        let at = match self.items.iter().position(|e| e.item == item) {
            Some(i) => i,
            None => {
                self.items.push(ItemMonths {
                    item,
                    months: [Tally::default(); 12],
                    cap_slot: usize::MAX,
                    cap_used: Decimal::ZERO,
                });
                self.items.len() - 1
            }
        };
        &mut self.items[at]
    }

    pub fn item(&self, item: usize, months: Months) -> Tally {
        self.items
            .iter()
            .filter(|e| e.item == item)
            .flat_map(|e| e.months[months.clone()].iter())
            .fold(Tally::default(), |acc, t| Tally {
                points: add(acc.points, t.points),
                units: acc.units + t.units,
            })
    }

    pub fn units_in_month(&self, item: usize, month0: usize) -> u64 {
        self.items
            .iter()
            .filter(|e| e.item == item)
            .map(|e| e.months[month0].units)
            .sum()
    }

    pub fn category(&self, category: usize, months: Months) -> Decimal {
        self.by_category
            .get(category)
            .map_or(Decimal::ZERO, |m| sum(&m[months]))
    }

    pub fn adjustments(&self, months: Months) -> Decimal {
        sum(&self.adjustments[months])
    }

    /// Points from records (after caps) and adjustments.
    pub fn total(&self, months: Months) -> Decimal {
        add(
            sum(&self.by_month[months.clone()]),
            self.adjustments(months),
        )
    }

    /// Sums the records' points by month and by category and month, once scoring is done.
    fn settle(&mut self, rules: &Rules) {
        self.by_category = vec![[Decimal::ZERO; 12]; rules.categories.len()];
        for e in &self.items {
            let category = &mut self.by_category[rules.items[e.item].category];
            for (m, t) in e.months.iter().enumerate() {
                // A zero adds nothing a report shows (figures are printed normalised).
                if t.points.is_zero() {
                    continue;
                }
                self.by_month[m] = add(self.by_month[m], t.points);
                category[m] = add(category[m], t.points);
            }
        }
    }
}

fn sum(points: &[Decimal]) -> Decimal {
    points.iter().fold(Decimal::ZERO, |acc, &p| add(acc, p))
}

/// Where a cap cut a record's points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapCut {
    pub cap: Decimal,
    pub per: String,
    pub before: Decimal,
    pub after: Decimal,
}

impl CapCut {
    /// The cut said in words (`cap-cut`, `cap-reached`): in English for csv and json, in the
    /// run's language for people.
    pub fn said(&self, id: &str) -> crate::output::Value {
        use crate::output::number;
        crate::output::Value::phrase(id, |lang| {
            vec![
                ("cap", number(self.cap).into()),
                ("per", crate::i18n::term(lang, &self.per).into()),
                ("before", number(self.before).into()),
                ("after", number(self.after).into()),
            ]
        })
    }
}

/// What the engine made of one record: the rule it matched and the points it earned.
#[derive(Debug, Clone)]
pub struct Scored<'a> {
    pub record: &'a Record,
    pub item: usize,
    pub unit_points: Decimal,
    pub points: Decimal,
    pub cut: Option<CapCut>,
}

/// A record reduced to what scoring needs: indices into roster and rules, and points per
/// unit already chosen by outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub date: NaiveDate,
    pub delegate: usize,
    pub item: usize,
    pub unit: Decimal,
    pub count: u64,
}

impl Event {
    /// Points before any cap; `None` past what a decimal holds.
    fn points(&self) -> Option<Decimal> {
        Event::points_of(self.unit, self.count)
    }

    fn points_of(unit: Decimal, count: u64) -> Option<Decimal> {
        // Most records count one unit: no multiplication.
        if count == 1 {
            return Some(unit);
        }
        // The mantissa times a whole count keeps the unit's scale, as the general product.
        unit.mantissa()
            .checked_mul(i128::from(count))
            .and_then(|m| Decimal::try_from_i128_with_scale(m, unit.scale()).ok())
            .or_else(|| unit.checked_mul(Decimal::from(count)))
    }
}

/// `a + b` exactly, as `Decimal::checked_add` gives it, without its general path when both
/// have the same sign and scale and fit in 64 bits (nearly always: every figure comes from
/// one point table): their magnitudes are added as integers. Summing points is most of a
/// report's work once the ledger is read from its cache.
#[inline]
fn checked_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let (x, y) = (a.serialize(), b.serialize());
    // Flags (sign and scale), then the 96-bit magnitude: lo, mid, hi.
    let low = |r: &[u8; 16]| u64::from_le_bytes([r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]]);
    if x[..4] == y[..4]
        && x[12..] == [0; 4]
        && y[12..] == [0; 4]
        && let Some(m) = low(&x).checked_add(low(&y))
    {
        let mut r = x;
        r[4..12].copy_from_slice(&m.to_le_bytes());
        return Some(Decimal::deserialize(r));
    }
    a.checked_add(b)
}

/// `a + b` as `Decimal`'s `+` gives it (see [`checked_add`]).
#[inline]
fn add(a: Decimal, b: Decimal) -> Decimal {
    checked_add(a, b).unwrap_or_else(|| a + b)
}

/// Adds `raw` points (of `count` units) in `month` to an item's months, cut by its cap:
/// the points kept and the cut.
fn add_capped(
    entry: &mut ItemMonths,
    cap: Option<&crate::domain::rules::Cap>,
    month: usize,
    raw: Decimal,
    count: u64,
) -> Option<(Decimal, Option<CapCut>)> {
    let (points, cut) = match cap {
        None => (raw, None),
        Some(cap) => {
            let slot = cap.per.slot(month);
            if entry.cap_slot != slot {
                entry.cap_slot = slot;
                entry.cap_used = Decimal::ZERO;
            }
            let room = (cap.points - entry.cap_used).max(Decimal::ZERO);
            let points = raw.min(room);
            entry.cap_used = checked_add(entry.cap_used, points)?;
            let cut = (points != raw).then(|| CapCut {
                cap: cap.points,
                per: cap.per_label.clone(),
                before: raw,
                after: points,
            });
            (points, cut)
        }
    };
    let tally = entry.months.get_mut(month)?;
    tally.points = checked_add(tally.points, points)?;
    tally.units = tally.units.checked_add(count)?;
    Some((points, cut))
}

/// A later stretch of the ledger scored apart (see [`Engine::tail`]).
#[derive(Debug, Clone)]
pub struct Tail {
    capped: Vec<bool>,
    scores: Vec<DelegateYear>,
    in_order: Vec<Event>,
}

impl Tail {
    /// Adds one event of the stretch, in ledger order.
    pub fn add(&mut self, ev: &Event) -> Option<()> {
        if self.capped[ev.item] {
            self.in_order.push(*ev);
            return Some(());
        }
        let raw = ev.points()?;
        let tally = &mut self.scores[ev.delegate].entry(ev.item).months[month_index(ev.date)];
        tally.points = tally.points.checked_add(raw)?;
        tally.units = tally.units.checked_add(ev.count)?;
        Some(())
    }
}

/// The ledger is not in date order: the caller sorts and starts again.
#[derive(Debug)]
pub enum Refused {
    OutOfOrder { line: u64 },
    Bad(Problem),
}

/// A year's scores for every delegate of the roster (same indices).
#[derive(Debug, Clone)]
pub struct Scores {
    pub year: i32,
    pub delegates: Vec<DelegateYear>,
}

pub struct Engine<'r> {
    rules: &'r Rules,
    roster: &'r Roster,
    year: i32,
    until: NaiveDate,
    last_date: Option<NaiveDate>,
    scores: Vec<DelegateYear>,
}

impl<'r> Engine<'r> {
    /// Scores the cycle `year` from its first day up to `until` (inclusive).
    pub fn new(rules: &'r Rules, roster: &'r Roster, year: i32, until: NaiveDate) -> Self {
        Engine {
            rules,
            roster,
            year,
            until,
            last_date: None,
            scores: vec![DelegateYear::default(); roster.delegates.len()],
        }
    }

    /// Adds one ledger record; `file` names the ledger file for problems. A record is held
    /// to [`validate`] as `check` holds it; the engine stops at the first finding that leaves
    /// nothing to score, and scores a delegate out of office or a missing ref as written.
    pub fn add(
        &mut self,
        file: &str,
        rec: &Record,
        observe: &mut dyn FnMut(&Scored),
    ) -> Result<(), Refused> {
        if self.last_date.is_some_and(|d| rec.date < d) {
            return Err(Refused::OutOfOrder {
                line: rec.ledger_line,
            });
        }
        self.last_date = Some(rec.date);
        let checked = validate(rec.into(), self.year, self.rules, self.roster);
        let bad = |f: &Finding| Refused::Bad(f.problem(file, rec.ledger_line));
        // A date outside the cycle stops the run wherever it falls; the other findings only
        // where the run scores.
        if let Some(f @ Finding::NotInYear { .. }) = checked.findings.first() {
            return Err(bad(f));
        }
        if rec.date > self.until {
            return Ok(());
        }
        let scorable = checked.scorable();
        if rec.void.is_some() {
            // Voided: earns nothing, uses no cap, counts for no obligation; shown as it was.
            if let Ok((_, item, unit_points)) = scorable {
                observe(&Scored {
                    record: rec,
                    item,
                    unit_points,
                    points: Decimal::ZERO,
                    cut: None,
                });
            }
            return Ok(());
        }
        let (delegate, item, unit) = scorable.map_err(bad)?;
        let event = Event {
            date: rec.date,
            delegate,
            item,
            unit,
            count: rec.count,
        };
        let (points, cut) = self.apply(&event).ok_or_else(|| {
            Refused::Bad(
                Problem::new(file, "points × count is too large")
                    .line(rec.ledger_line)
                    .column("count")
                    .value(rec.count.to_string()),
            )
        })?;
        observe(&Scored {
            record: rec,
            item,
            unit_points: unit,
            points,
            cut,
        });
        Ok(())
    }

    /// Scores one event in ledger order: its points after the item's cap, and the cut.
    /// `None` when points × count cannot be represented (input limits keep it from happening).
    pub fn apply(&mut self, ev: &Event) -> Option<(Decimal, Option<CapCut>)> {
        let raw = ev.points()?;
        let cap = self.rules.items[ev.item].cap.as_ref();
        let entry = self.scores[ev.delegate].entry(ev.item);
        add_capped(entry, cap, month_index(ev.date), raw, ev.count)
    }

    /// Scores one delegate's units of one item summed by month and points per unit, given in
    /// month order: the figures [`Engine::apply`] gives those units one by one in ledger
    /// order, when the item's points are never negative (a cap cuts a month's sum where it
    /// would cut its events, since a cap's period is made of whole months). Each part is
    /// (month index, points per unit, units). `None` as for [`Engine::apply`].
    pub fn apply_summed(
        &mut self,
        delegate: usize,
        item: usize,
        parts: &[(usize, Decimal, u64)],
    ) -> Option<()> {
        let cap = self.rules.items[item].cap.as_ref();
        let entry = self.scores.get_mut(delegate)?.entry(item);
        for &(month, unit, count) in parts {
            let raw = Event::points_of(unit, count)?;
            add_capped(entry, cap, month, raw, count)?;
        }
        Some(())
    }

    /// Scores the uncapped events of a later stretch of the ledger into `tail`, keeping the
    /// capped ones in order for [`Engine::merge`]: the stretch can be read on another core.
    pub fn tail(&self) -> Tail {
        Tail {
            capped: self.rules.items.iter().map(|i| i.cap.is_some()).collect(),
            scores: vec![DelegateYear::default(); self.scores.len()],
            in_order: Vec::new(),
        }
    }

    /// Adds a later stretch scored into `tail`: its uncapped tallies, then its capped events
    /// in ledger order, so every cap is met exactly where one pass would meet it.
    pub fn merge(&mut self, tail: Tail) -> Option<()> {
        for (mine, theirs) in self.scores.iter_mut().zip(tail.scores) {
            for e in theirs.items {
                let entry = mine.entry(e.item);
                for (m, t) in entry.months.iter_mut().zip(e.months) {
                    m.points = m.points.checked_add(t.points)?;
                    m.units = m.units.checked_add(t.units)?;
                }
            }
        }
        for ev in &tail.in_order {
            self.apply(ev)?;
        }
        Some(())
    }

    /// The cycle's year and the last day scored, for readers that filter events themselves.
    pub fn window(&self) -> (i32, NaiveDate) {
        (self.year, self.until)
    }

    pub fn rules(&self) -> &'r Rules {
        self.rules
    }

    pub fn roster(&self) -> &'r Roster {
        self.roster
    }

    /// Adds the review-team corrections of the cycle up to `until`.
    pub fn add_adjustments(&mut self, adjustments: &[Adjustment]) {
        for a in adjustments {
            if a.date.year() != self.year || a.date > self.until {
                continue;
            }
            if let Some(d) = self.roster.index_of_id(&a.delegate) {
                self.scores[d].adjustments[month_index(a.date)] += a.points;
            }
        }
    }

    pub fn finish(mut self) -> Scores {
        for d in &mut self.scores {
            d.settle(self.rules);
        }
        Scores {
            year: self.year,
            delegates: self.scores,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Delegate;
    use crate::input::rules::{DEFAULT_RULES, parse_rules};

    fn record(date: &str, activity: &str, line: u64) -> Record {
        Record {
            id: None,
            date: date.parse().expect("iso date"),
            delegate: "D1".into(),
            activity: activity.into(),
            count: 1,
            outcome: None,
            reference: None,
            note: None,
            extra: Vec::new(),
            source: "t.csv".into(),
            source_line: line,
            ledger_line: line,
            key: String::new(),
            void: None,
        }
    }

    fn roster() -> Roster {
        Roster::new(vec![Delegate {
            id: "D1".into(),
            name: "x".into(),
            studio: "S".into(),
            sector: None,
            joined: None,
            left: None,
        }])
    }

    fn run(rules: &Rules, records: &[Record]) -> (Scores, Vec<Option<CapCut>>) {
        let roster = roster();
        let until = "2025-12-31".parse().expect("date");
        let mut engine = Engine::new(rules, &roster, 2025, until);
        let mut cuts = Vec::new();
        for r in records {
            engine
                .add("ledger", r, &mut |s| cuts.push(s.cut.clone()))
                .expect("scores");
        }
        (engine.finish(), cuts)
    }

    #[test]
    fn cycle_cap_cuts_the_record_that_crosses_it() {
        let rules = parse_rules("d", DEFAULT_RULES).expect("rules");
        let recs: Vec<Record> = ["2025-01-05", "2025-02-05", "2025-04-05", "2025-05-05"]
            .iter()
            .enumerate()
            .map(|(i, d)| record(d, "motion_cosign", i as u64 + 2))
            .collect();
        let (scores, cuts) = run(&rules, &recs);
        let d = &scores.delegates[0];
        assert_eq!(d.total(0..=2), Decimal::from(6));
        assert_eq!(d.total(3..=5), Decimal::from(3));
        assert_eq!(cuts[3].as_ref().map(|c| c.after), Some(Decimal::ZERO));
    }

    #[test]
    fn monthly_cap_starts_again_each_month() {
        let text = DEFAULT_RULES.replace(
            "cap = { points = 9, per = \"cycle\" }",
            "cap = { points = 3, per = \"month\" }",
        );
        let rules = parse_rules("d", &text).expect("rules");
        let recs = vec![
            record("2025-01-05", "motion_cosign", 2),
            record("2025-01-06", "motion_cosign", 3),
            record("2025-02-01", "motion_cosign", 4),
        ];
        let (scores, _) = run(&rules, &recs);
        let d = &scores.delegates[0];
        assert_eq!(d.total(0..=0), Decimal::from(3));
        assert_eq!(d.total(1..=1), Decimal::from(3));
    }

    #[test]
    fn out_of_order_is_refused_for_the_caller_to_sort() {
        let rules = parse_rules("d", DEFAULT_RULES).expect("rules");
        let roster = roster();
        let mut engine = Engine::new(&rules, &roster, 2025, "2025-12-31".parse().expect("date"));
        engine
            .add("l", &record("2025-03-01", "duty", 2), &mut |_| {})
            .expect("first");
        let r = engine.add("l", &record("2025-02-01", "duty", 3), &mut |_| {});
        assert!(matches!(r, Err(Refused::OutOfOrder { line: 3 })));
    }
}
