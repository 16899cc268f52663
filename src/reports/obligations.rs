//! Obligations (duties the rules set): owed and done per delegate, for `annual` (the whole
//! year) and `obligations` (the cycle so far).

use crate::domain::Delegate;
use crate::domain::period::{month_end, month_start};
use crate::domain::rules::{Obligation, Per, Rules};
use crate::scoring::DelegateYear;
use chrono::NaiveDate;

/// One obligation's standing for one delegate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub done: u32,
    pub required: u32,
    /// Zero-based months owed and not done (per-month obligations).
    pub missed_months: Vec<usize>,
    /// A per-year obligation not done yet while the cycle still runs.
    pub open: bool,
    /// Months still to come in the term this cycle (per-month obligations).
    pub months_left: u32,
}

impl Standing {
    pub fn met(&self) -> bool {
        self.done >= self.required
    }
    /// Periods owed and missed; a per-year obligation still open is not behind yet.
    pub fn behind(&self) -> u32 {
        if self.open {
            0
        } else {
            self.required.saturating_sub(self.done)
        }
    }

    pub fn text(&self) -> String {
        format!("{}/{}", self.done, self.required)
    }
}

/// The column name of an obligation: `duty_month`, `inspection_year`.
pub fn column_name(rules: &Rules, o: &Obligation) -> String {
    format!("{}_{}", rules.items[o.item].code, o.per.name())
}

/// The heading of an obligation's column: the item's name and its period.
pub fn column_header(rules: &Rules, o: &Obligation) -> String {
    crate::tr!(
        "col-obligation",
        item = rules.items[o.item].short_name(),
        per = o.per.label()
    )
}

/// A month is owed when it lies wholly inside the delegate's term.
pub fn owed(d: &Delegate, year: i32, month0: usize) -> bool {
    let m = month0 as u32 + 1;
    d.joined.is_none_or(|j| j <= month_start(year, m))
        && d.left.is_none_or(|l| l >= month_end(year, m))
}

/// Standing as of `as_of` in cycle `year`: months count once wholly elapsed (their last day
/// on or before `as_of`); a per-year obligation is owed by anyone in office in the cycle, and
/// counts as missed only once the cycle has ended.
pub fn standing(
    o: &Obligation,
    d: &Delegate,
    scored: &DelegateYear,
    year: i32,
    as_of: NaiveDate,
) -> Standing {
    match o.per {
        Per::Month | Per::Quarter => {
            let mut s = Standing {
                done: 0,
                required: 0,
                missed_months: Vec::new(),
                open: false,
                months_left: 0,
            };
            for m in 0..12 {
                if !owed(d, year, m) {
                    continue;
                }
                if month_end(year, m as u32 + 1) > as_of {
                    s.months_left += 1;
                    continue;
                }
                s.required += 1;
                if scored.units_in_month(o.item, m) >= o.at_least {
                    s.done += 1;
                } else {
                    s.missed_months.push(m);
                }
            }
            s
        }
        Per::Year => {
            let done = scored.item(o.item, 0..=11).units >= o.at_least;
            let cycle_over = as_of >= month_end(year, 12);
            Standing {
                done: u32::from(done),
                required: 1,
                missed_months: Vec::new(),
                open: !done && !cycle_over,
                months_left: 0,
            }
        }
    }
}
