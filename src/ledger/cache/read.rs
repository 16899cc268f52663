//! Reading the cache: a report's figures from the sums (and the rows of a month its period
//! covers in part), or from every row in ledger order when an item must be scored event by
//! event; one delegate's picks for `explain`.

use super::{CHUNK, Cache, PICK, ROW, VOIDED, date_of, le_u16, le_u32, le_u64, mix, pick_term};
use crate::domain::period::{Month, month_index};
use crate::ledger::scan::{Anomaly, At, Keys};
use crate::scoring::{Engine, Event};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::io::Read;

/// What a row's item and outcome indices come to under the rules.
#[derive(Clone, Copy)]
struct Unit {
    item: usize,
    points: Decimal,
    /// Where the item's units are summed ([`Counts`]); `None` for one scored in order.
    slot: Option<usize>,
}

/// Rows and cycle looked up against rules and roster once, for every row.
struct Lookup {
    /// Date and month by day of the year.
    dates: Vec<(NaiveDate, usize)>,
    until: NaiveDate,
    delegates: Vec<Option<usize>>,
    /// By item and outcome index (`outcomes` wide).
    units: Vec<Option<Unit>>,
    outcomes: usize,
    /// Item and points per unit of each slot.
    slots: Vec<(usize, Decimal)>,
    roster: usize,
    /// For [`Lookup::cell`]: the month of each day scored (else `NO_CELL`), each delegate's
    /// roster index and each item and outcome's slot (else `u32::MAX`).
    months: Vec<u8>,
    roster_of: Vec<u32>,
    slot_of: Vec<u32>,
}

const NO_CELL: u8 = u8::MAX;

impl Lookup {
    fn new(cache: &Cache, engine: &Engine) -> Lookup {
        let keys = Keys::new(engine.rules(), engine.roster());
        let (year, until) = engine.window();
        let dates = (0..=366)
            .map(|d| date_of(year, d).map_or((NaiveDate::MAX, 0), |d| (d, month_index(d))))
            .collect();
        let delegates: Vec<Option<usize>> = cache
            .delegates
            .iter()
            .map(|d| keys.delegates.get(d).copied())
            .collect();
        let rules = engine.rules();
        let mut slots: Vec<(usize, Decimal)> = Vec::new();
        let mut units = Vec::with_capacity(cache.items.len() * cache.outcomes.len());
        for code in &cache.items {
            let item = keys.items.get(code).copied();
            for outcome in &cache.outcomes {
                units.push(item.and_then(|item| {
                    let points = keys.unit(item, outcome)?;
                    let slot = summable(&rules.items[item]).then(|| {
                        slots
                            .iter()
                            .position(|s| *s == (item, points))
                            .unwrap_or_else(|| {
                                slots.push((item, points));
                                slots.len() - 1
                            })
                    });
                    Some(Unit { item, points, slot })
                }));
            }
        }
        let months = (0..=366u16)
            .map(|d| match date_of(year, d) {
                Some(date) if date <= until => month_index(date) as u8,
                _ => NO_CELL,
            })
            .collect();
        let wide = |i: Option<usize>| i.and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX);
        let roster_of = delegates.iter().map(|d| wide(*d)).collect();
        let slot_of = units
            .iter()
            .map(|u: &Option<Unit>| wide(u.and_then(|u| u.slot)))
            .collect();
        Lookup {
            months,
            roster_of,
            slot_of,
            dates,
            until,
            delegates,
            units,
            outcomes: cache.outcomes.len(),
            slots,
            roster: engine.roster().delegates.len(),
        }
    }

    /// The cell of [`Counts`] a plain row (counted, of a known delegate, a summable item and
    /// a whole count) adds its units to, with them; `None` for any other row, which
    /// [`Lookup::row`] then scores or refuses. The most rows, in a few table lookups.
    #[inline]
    fn cell(&self, r: &[u8]) -> Option<(usize, usize, usize, u64)> {
        let month = *self.months.get(usize::from(le_u16(r)))?;
        let delegate = *self.roster_of.get(usize::from(le_u16(&r[4..])))?;
        let slot = *self
            .slot_of
            .get(usize::from(r[6]) * self.outcomes + usize::from(r[7]))?;
        let count = le_u16(&r[2..]);
        if month == NO_CELL || delegate == u32::MAX || slot == u32::MAX || count == 0 {
            return None;
        }
        Some((
            usize::from(month),
            delegate as usize,
            slot as usize,
            u64::from(count),
        ))
    }

    /// One cached row scored: `None` for a row that earns nothing in this cycle, else its
    /// delegate, unit, date, month and count.
    #[allow(clippy::type_complexity)]
    fn row(&self, r: &[u8]) -> Result<Option<(usize, Unit, NaiveDate, usize, u64)>, Anomaly> {
        let day = le_u16(r);
        let (date, month) = *self.dates.get(usize::from(day & !VOIDED)).ok_or(Anomaly)?;
        if day & VOIDED != 0 || date > self.until {
            return Ok(None);
        }
        let delegate = self
            .delegates
            .get(usize::from(le_u16(&r[4..])))
            .copied()
            .flatten()
            .ok_or(Anomaly)?;
        let unit = self.unit(r[6], r[7]).ok_or(Anomaly)?;
        let count = le_u16(&r[2..]);
        if count == 0 {
            return Err(Anomaly);
        }
        Ok(Some((delegate, unit, date, month, u64::from(count))))
    }

    fn unit(&self, item: u8, outcome: u8) -> Option<Unit> {
        let at = usize::from(item) * self.outcomes + usize::from(outcome);
        self.units.get(at).copied().flatten()
    }

    /// A sum of a month scored whole, as its rows would be: its delegate's roster index and
    /// its unit, or the anomaly one of its rows is.
    fn sum(&self, s: &Sum) -> Result<(usize, Unit), Anomaly> {
        let delegate = self
            .delegates
            .get(usize::from(s.delegate))
            .copied()
            .flatten()
            .ok_or(Anomaly)?;
        let unit = self.unit(s.item, s.outcome).ok_or(Anomaly)?;
        if s.not_whole {
            return Err(Anomaly);
        }
        Ok((delegate, unit))
    }
}

/// Whether an item's events may be summed by month before scoring: an uncapped item's
/// points are their sum, and a capped item whose points are never negative earns in a month
/// `min(points of the month, room left by the months before)` whether its events come one
/// by one or summed (a cap's period is made of whole months). An item that can take points
/// away is scored event by event, in ledger order.
fn summable(item: &crate::domain::rules::Item) -> bool {
    use crate::domain::rules::Scoring;
    item.cap.is_none()
        || match &item.scoring {
            Scoring::PerUnit(p) => !p.is_sign_negative(),
            Scoring::ByOutcome { points, .. } => points.iter().all(|(_, p)| !p.is_sign_negative()),
        }
}

/// One stored sum: the units of a delegate's counted rows of an item and outcome in a month.
struct Sum {
    delegate: u16,
    item: u8,
    month: u8,
    outcome: u8,
    /// One of the rows has no whole count (an anomaly wherever it is scored).
    not_whole: bool,
    units: u64,
}

impl Cache {
    fn sums(&self) -> impl Iterator<Item = Sum> + '_ {
        self.meta[self.sums_from..]
            .chunks_exact(super::SUM as usize)
            .map(|s| Sum {
                delegate: le_u16(s),
                item: s[2],
                month: s[3],
                outcome: s[4],
                not_whole: s[5] != 0,
                units: le_u64(&s[8..]),
            })
    }
}

/// The months a report's last day covers: `whole` months from January in full, then the
/// month `part` up to a day inside it.
struct Span {
    whole: usize,
    part: Option<usize>,
}

impl Span {
    fn of(year: i32, until: NaiveDate) -> Span {
        let month = |i| Month::new(year, i);
        let whole = (0..12)
            .take_while(|&i| month(i).last_day() <= until)
            .count();
        let part = (whole < 12 && month(whole).first_day() <= until).then_some(whole);
        Span { whole, part }
    }
}

/// Units summed by month, delegate and slot (item and points per unit), scored at the end
/// in month order (see [`summable`]; decimal arithmetic is exact): one addition per row
/// instead of the engine's.
struct Counts {
    units: Vec<u64>,
    slots: usize,
    roster: usize,
}

impl Counts {
    fn new(look: &Lookup) -> Counts {
        Counts {
            units: vec![0; look.roster * look.slots.len() * 12],
            slots: look.slots.len(),
            roster: look.roster,
        }
    }

    fn add(&mut self, delegate: usize, slot: usize, month: usize, count: u64) -> Option<()> {
        // Month first: the ledger is in date order, so the cells in use stay few and close.
        let at = (month * self.roster + delegate) * self.slots + slot;
        let n = self.units.get_mut(at)?;
        *n = n.checked_add(count)?;
        Some(())
    }

    /// Adds a later stretch's sums.
    fn absorb(&mut self, later: Counts) -> Option<()> {
        for (mine, theirs) in self.units.iter_mut().zip(later.units) {
            *mine = mine.checked_add(theirs)?;
        }
        Some(())
    }

    /// Scores the sums into `engine`, month by month (the order caps are met in).
    fn score(self, look: &Lookup, engine: &mut Engine) -> Result<(), Anomaly> {
        let year = engine.window().0;
        for (at, &count) in self.units.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let (rest, slot) = (at / self.slots, at % self.slots);
            let (month, delegate) = (rest / self.roster, rest % self.roster);
            let (item, unit) = look.slots[slot];
            let month1 = u32::try_from(month + 1).map_err(|_| Anomaly)?;
            engine
                .apply(&Event {
                    date: NaiveDate::from_ymd_opt(year, month1, 1).ok_or(Anomaly)?,
                    delegate,
                    item,
                    unit,
                    count,
                })
                .ok_or(Anomaly)?;
        }
        Ok(())
    }
}

/// Scores one event in ledger order; `None` when its points overflow.
type Apply<'a> = &'a mut dyn FnMut(&Event) -> Option<()>;

/// Rows `[from, to)` of the cache: summable items' units summed into `counts`, other items'
/// events handed to `capped` in ledger order (either skipped when `None`); gives the
/// checksum terms' sum.
fn read_rows(
    cache: &Cache,
    look: &Lookup,
    (from, to): (u64, u64),
    mut counts: Option<&mut Counts>,
    mut capped: Option<Apply>,
) -> Result<u64, Anomaly> {
    let mut sum = 0u64;
    each_row(cache, (from, to), |r, index| {
        sum = sum.wrapping_add(mix(le_u64(r), index));
        if let Some(counts) = counts.as_deref_mut()
            && let Some((month, delegate, slot, count)) = look.cell(r)
        {
            return counts.add(delegate, slot, month, count).ok_or(Anomaly);
        }
        let Some((delegate, unit, date, month, count)) = look.row(r)? else {
            return Ok(());
        };
        match (unit.slot, &mut counts, &mut capped) {
            (Some(slot), Some(counts), _) => {
                counts.add(delegate, slot, month, count).ok_or(Anomaly)?;
            }
            (None, _, Some(apply)) => {
                let ev = Event {
                    date,
                    delegate,
                    item: unit.item,
                    unit: unit.points,
                    count,
                };
                apply(&ev).ok_or(Anomaly)?;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(sum)
}

/// Calls `each` on rows `[from, to)` with their indices, a chunk of rows read at a time.
fn each_row(
    cache: &Cache,
    (from, to): (u64, u64),
    mut each: impl FnMut(&[u8], u64) -> Result<(), Anomaly>,
) -> Result<(), Anomaly> {
    let mut reader = At::new(
        &cache.file,
        cache.rows_at + from * ROW,
        cache.rows_at + to * ROW,
    );
    let mut buf = vec![0u8; CHUNK * ROW as usize];
    let mut index = from;
    while index < to {
        let n = usize::try_from((to - index) * ROW).map_or(buf.len(), |w| w.min(buf.len()));
        reader.read_exact(&mut buf[..n]).map_err(|_| Anomaly)?;
        for r in buf[..n].chunks_exact(ROW as usize) {
            each(r, index)?;
            index += 1;
        }
    }
    Ok(())
}

/// Scores a clean cache into `engine`: from its sums when every item met is summable (see
/// [`summable`]), else from its rows in ledger order, on two cores for a large cache (from
/// `split_rows` rows up). On an anomaly the engine holds part of the ledger: the caller
/// starts a new one.
pub fn score(cache: &Cache, engine: &mut Engine, split_rows: u64) -> Result<(), Anomaly> {
    if !cache.clean || cache.year != engine.window().0 {
        return Err(Anomaly);
    }
    let look = Lookup::new(cache, engine);
    let span = Span::of(cache.year, look.until);
    if !summed_will_do(cache, &look, &span)? {
        return score_rows(cache, &look, engine, split_rows);
    }
    score_sums(cache, &look, engine, span.whole)?;
    if let Some(month) = span.part {
        let mut counts = Counts::new(&look);
        let rows = month_rows(cache, month)?;
        let sum = read_rows(cache, &look, rows, Some(&mut counts), None)?;
        checked(cache, sum, cache.months.check[month])?;
        counts.score(&look, engine)?;
    }
    Ok(())
}

/// Whether the span can be scored from sums: its whole months' sums are all clean for the
/// rules and roster (else the anomaly), and no item met up to its end is scored in order.
fn summed_will_do(cache: &Cache, look: &Lookup, span: &Span) -> Result<bool, Anomaly> {
    let mut will = true;
    for s in cache.sums() {
        let month = usize::from(s.month);
        if month < span.whole {
            let (_, unit) = look.sum(&s)?;
            will &= unit.slot.is_some();
        } else if Some(month) == span.part
            && let Some(unit) = look.unit(s.item, s.outcome)
        {
            will &= unit.slot.is_some();
        }
    }
    Ok(will)
}

/// Scores the sums of the first `whole` months: a delegate's item at a time, month by month,
/// within a month by slot (as [`Counts::score`] meets them).
fn score_sums(
    cache: &Cache,
    look: &Lookup,
    engine: &mut Engine,
    whole: usize,
) -> Result<(), Anomaly> {
    let mut parts: Vec<(usize, Decimal, u64)> = Vec::new();
    let mut month_slots: Vec<(usize, u64)> = Vec::new();
    let mut group: Option<(u16, u8)> = None;
    let mut month = usize::MAX;
    let flush_month = |parts: &mut Vec<_>, slots: &mut Vec<(usize, u64)>, month| {
        slots.sort_unstable_by_key(|s| s.0);
        for &(slot, units) in slots.iter() {
            parts.push((month, look.slots[slot].1, units));
        }
        slots.clear();
    };
    let mut owner = (0usize, 0usize);
    for s in cache.sums().filter(|s| usize::from(s.month) < whole) {
        if group != Some((s.delegate, s.item)) {
            flush_month(&mut parts, &mut month_slots, month);
            if group.is_some() {
                engine
                    .apply_summed(owner.0, owner.1, &parts)
                    .ok_or(Anomaly)?;
            }
            parts.clear();
            group = Some((s.delegate, s.item));
            month = usize::from(s.month);
        }
        let (delegate, unit) = look.sum(&s)?;
        owner = (delegate, unit.item);
        if usize::from(s.month) != month {
            flush_month(&mut parts, &mut month_slots, month);
            month = usize::from(s.month);
        }
        let slot = unit.slot.ok_or(Anomaly)?;
        match month_slots.iter_mut().find(|m| m.0 == slot) {
            Some(m) => m.1 = m.1.checked_add(s.units).ok_or(Anomaly)?,
            None => month_slots.push((slot, s.units)),
        }
    }
    flush_month(&mut parts, &mut month_slots, month);
    if group.is_some() {
        engine
            .apply_summed(owner.0, owner.1, &parts)
            .ok_or(Anomaly)?;
    }
    Ok(())
}

/// The rows of month `month`: `[from, to)`.
fn month_rows(cache: &Cache, month: usize) -> Result<(u64, u64), Anomaly> {
    let (from, to) = (cache.months.first[month], cache.months.first[month + 1]);
    (from <= to && to <= cache.rows)
        .then_some((from, to))
        .ok_or(Anomaly)
}

/// Whether a checksum read matches the one stored; a cache that fails it is removed.
fn checked(cache: &Cache, sum: u64, stored: u64) -> Result<(), Anomaly> {
    if sum != stored {
        cache.drop_damaged();
        return Err(Anomaly);
    }
    Ok(())
}

/// Scores every row in ledger order (an item that can take points away has a cap), on two
/// cores from `split_rows` rows up.
fn score_rows(
    cache: &Cache,
    look: &Lookup,
    engine: &mut Engine,
    split_rows: u64,
) -> Result<(), Anomaly> {
    let n = cache.rows;
    let mut counts = Counts::new(look);
    let sum = if n < split_rows.max(2) {
        let mut apply = |ev: &Event| engine.apply(ev).map(|_| ());
        read_rows(cache, look, (0, n), Some(&mut counts), Some(&mut apply))?
    } else {
        // The later half's units are summed on another core; its events scored in order
        // are read again after the first half's.
        let mid = n / 2;
        let (first, second) = std::thread::scope(|s| {
            let later = s.spawn(move || {
                let mut counts = Counts::new(look);
                read_rows(cache, look, (mid, n), Some(&mut counts), None).map(|sum| (sum, counts))
            });
            let mut apply = |ev: &Event| engine.apply(ev).map(|_| ());
            let first = read_rows(cache, look, (0, mid), Some(&mut counts), Some(&mut apply));
            (first, later.join().unwrap_or(Err(Anomaly)))
        });
        let (later, later_counts) = second?;
        let sum = first?.wrapping_add(later);
        let mut apply = |ev: &Event| engine.apply(ev).map(|_| ());
        read_rows(cache, look, (mid, n), None, Some(&mut apply))?;
        counts.absorb(later_counts).ok_or(Anomaly)?;
        sum
    };
    checked(cache, sum, cache.check)?;
    counts.score(look, engine)
}

/// Where one row of a delegate sits in the CSV.
#[derive(Debug, Clone, Copy)]
pub struct RowAt {
    pub offset: u64,
    pub line: u64,
    pub date: NaiveDate,
}

/// The rows of delegate `id` (as written in the ledger), in ledger order, from a clean cache
/// whose every row `engine` would score without an anomaly (what the fast path proves of the
/// file before a report reads one delegate's records): proved by the sums of the months the
/// run covers whole and the rows of one it covers in part; the rows found by the delegate's
/// picks.
pub fn rows_of(cache: &Cache, engine: &Engine, id: &str) -> Result<Vec<RowAt>, Anomaly> {
    if !cache.clean || cache.year != engine.window().0 {
        return Err(Anomaly);
    }
    let look = Lookup::new(cache, engine);
    let span = Span::of(cache.year, look.until);
    for s in cache.sums().filter(|s| usize::from(s.month) < span.whole) {
        look.sum(&s)?;
    }
    if let Some(month) = span.part {
        let mut sum = 0u64;
        each_row(cache, month_rows(cache, month)?, |r, index| {
            sum = sum.wrapping_add(mix(le_u64(r), index));
            if look.cell(r).is_none() {
                look.row(r)?;
            }
            Ok(())
        })?;
        checked(cache, sum, cache.months.check[month])?;
    }
    let Some(d) = cache.delegates.iter().position(|d| d == id.as_bytes()) else {
        return Ok(Vec::new());
    };
    let (from, to, check) = cache.picks_of(d).ok_or(Anomaly)?;
    let at = cache.picks_at() + from * PICK;
    let mut bytes = vec![0u8; usize::try_from((to - from) * PICK).map_err(|_| Anomaly)?];
    At::new(&cache.file, at, at + bytes.len() as u64)
        .read_exact(&mut bytes)
        .map_err(|_| Anomaly)?;
    let picks = bytes.chunks_exact(PICK as usize);
    let sum = (0u64..)
        .zip(picks.clone())
        .fold(0u64, |s, (i, p)| s.wrapping_add(pick_term(p, i)));
    checked(cache, sum, check)?;
    picks
        .map(|p| {
            Ok(RowAt {
                offset: le_u64(p),
                line: u64::from(le_u32(&p[8..])),
                date: date_of(cache.year, le_u16(&p[12..]) & !VOIDED).ok_or(Anomaly)?,
            })
        })
        .collect()
}
