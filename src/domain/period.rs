//! Periods (a month, a quarter, a year) and the only date arithmetic the program does.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A quarter or a whole year: what `quarter`, `annual` and `explain` take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Quarter { year: i32, q: u32 },
    Year(i32),
}

impl Period {
    /// Parses `2025Q3` (or `2025q3`) and `2025`.
    pub fn parse(text: &str) -> Option<Period> {
        let s = text.trim();
        if let Some((y, q)) = s.split_once(['Q', 'q']) {
            let year = parse_year(y)?;
            let q: u32 = match q {
                "1" => 1,
                "2" => 2,
                "3" => 3,
                "4" => 4,
                _ => return None,
            };
            return Some(Period::Quarter { year, q });
        }
        parse_year(s).map(Period::Year)
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Quarter { year, .. } | Period::Year(year) => year,
        }
    }

    /// The period's months, zero-based within the cycle (Q3: 6..=8).
    pub fn months(self) -> std::ops::RangeInclusive<usize> {
        match self {
            Period::Quarter { q, .. } => (3 * q as usize - 3)..=(3 * q as usize - 1),
            Period::Year(_) => 0..=11,
        }
    }

    /// The months from the cycle's start to the period's end, zero-based (Q3: 0..=8).
    pub fn to_end(self) -> std::ops::RangeInclusive<usize> {
        0..=*self.months().end()
    }

    pub fn first_day(self) -> NaiveDate {
        Month::new(self.year(), *self.months().start()).first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        Month::new(self.year(), *self.months().end()).last_day()
    }

    /// The quarter `date` falls in.
    pub fn quarter_of(date: NaiveDate) -> Period {
        Period::Quarter {
            year: date.year(),
            q: date.month0() / 3 + 1,
        }
    }

    /// The quarter before this one in the same year, if any.
    pub fn previous_quarter(self) -> Option<Period> {
        match self {
            Period::Quarter { year, q } if q > 1 => Some(Period::Quarter { year, q: q - 1 }),
            _ => None,
        }
    }

    /// Where the period stands on `today`: not begun, in progress, or over.
    pub fn progress(self, today: NaiveDate) -> Progress {
        if today < self.first_day() {
            Progress::NotBegun
        } else if today <= self.last_day() {
            Progress::InProgress
        } else {
            Progress::Over
        }
    }

    /// The last quarter wholly over by `today`.
    pub fn last_complete_quarter(today: NaiveDate) -> Period {
        let current = Period::quarter_of(today);
        current.previous_quarter().unwrap_or(Period::Quarter {
            year: today.year() - 1,
            q: 4,
        })
    }
}

/// Where a period stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    NotBegun,
    InProgress,
    Over,
}

fn parse_year(s: &str) -> Option<i32> {
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok().filter(|y| (1900..=2999).contains(y))
    } else {
        None
    }
}

impl Period {
    /// The period as its reader writes it: `2025Q3`, or `2025年第三季度`.
    pub fn human(self) -> String {
        match self {
            Period::Quarter { year, q } => {
                crate::tr!("period-quarter", year = year.to_string(), q = q)
            }
            Period::Year(year) => crate::tr!("period-year", year = year.to_string()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Quarter { year, q } => write!(f, "{year}Q{q}"),
            Period::Year(year) => write!(f, "{year}"),
        }
    }
}

/// A month of a cycle: its year and its place in the year, 0 for January, as the engine
/// indexes its tallies. The one month type: no report counts months from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub index: usize,
}

impl Month {
    pub fn new(year: i32, index: usize) -> Month {
        debug_assert!(index < 12, "a month index is 0-11");
        Month { year, index }
    }

    pub fn of(date: NaiveDate) -> Month {
        Month::new(date.year(), month_index(date))
    }

    /// The month's number as a calendar writes it, 1–12.
    pub fn number(self) -> u32 {
        self.index as u32 + 1
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.number(), 1)
            .expect("months are 0-11 and years in range")
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.index == 11 {
            Month::new(self.year + 1, 0)
        } else {
            Month::new(self.year, self.index + 1)
        };
        next.first_day()
            .pred_opt()
            .expect("the day before the first of a month exists")
    }
}

impl fmt::Display for Month {
    /// `2025-03`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.number())
    }
}

/// Zero-based month index within its year.
pub fn month_index(date: NaiveDate) -> usize {
    date.month0() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn quarters_know_their_days() {
        let p = Period::parse("2025Q3").expect("parses");
        assert_eq!(p.first_day(), d(2025, 7, 1));
        assert_eq!(p.last_day(), d(2025, 9, 30));
        assert_eq!(
            Period::parse("2024q1").map(|p| p.last_day()),
            Some(d(2024, 3, 31))
        );
        assert_eq!(
            Period::parse("2025").map(|p| p.last_day()),
            Some(d(2025, 12, 31))
        );
        assert_eq!(p.previous_quarter(), Period::parse("2025Q2"));
        assert_eq!(
            Period::parse("2025Q1").and_then(|p| p.previous_quarter()),
            None
        );
    }

    #[test]
    fn bad_periods_are_refused() {
        for bad in [
            "2025Q5", "2025Q0", "25Q1", "2025-Q1", "Q1", "", "2025Q12", "20251",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn last_complete_quarter() {
        let q = |s| Period::parse(s).expect("valid");
        assert_eq!(Period::last_complete_quarter(d(2026, 11, 23)), q("2026Q3"));
        assert_eq!(Period::last_complete_quarter(d(2026, 2, 1)), q("2025Q4"));
        assert_eq!(Period::last_complete_quarter(d(2026, 4, 1)), q("2026Q1"));
    }

    #[test]
    fn progress_on_a_day() {
        let q = Period::parse("2026Q1").expect("valid");
        assert_eq!(q.progress(d(2025, 12, 31)), Progress::NotBegun);
        assert_eq!(q.progress(d(2026, 1, 1)), Progress::InProgress);
        assert_eq!(q.progress(d(2026, 3, 31)), Progress::InProgress);
        assert_eq!(q.progress(d(2026, 4, 1)), Progress::Over);
        assert_eq!(
            Period::Year(2026).progress(d(2026, 12, 31)),
            Progress::InProgress
        );
    }

    #[test]
    fn month_ends() {
        assert_eq!(Month::new(2024, 1).last_day(), d(2024, 2, 29));
        assert_eq!(Month::new(2025, 11).last_day(), d(2025, 12, 31));
        assert_eq!(Month::of(d(2025, 3, 9)).to_string(), "2025-03");
        assert_eq!(Period::quarter_of(d(2025, 9, 30)).to_string(), "2025Q3");
        assert_eq!(Period::quarter_of(d(2025, 10, 1)).to_string(), "2025Q4");
    }
}
