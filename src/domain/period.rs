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

    /// First month (1–12) of the period.
    pub fn first_month(self) -> u32 {
        match self {
            Period::Quarter { q, .. } => 3 * q - 2,
            Period::Year(_) => 1,
        }
    }

    /// Last month (1–12) of the period.
    pub fn last_month(self) -> u32 {
        match self {
            Period::Quarter { q, .. } => 3 * q,
            Period::Year(_) => 12,
        }
    }

    /// The period's months, zero-based within the cycle (Q3: 6..=8).
    pub fn months(self) -> std::ops::RangeInclusive<usize> {
        (self.first_month() as usize - 1)..=(self.last_month() as usize - 1)
    }

    /// The months from the cycle's start to the period's end, zero-based (Q3: 0..=8).
    pub fn to_end(self) -> std::ops::RangeInclusive<usize> {
        0..=(self.last_month() as usize - 1)
    }

    pub fn first_day(self) -> NaiveDate {
        month_start(self.year(), self.first_month())
    }

    pub fn last_day(self) -> NaiveDate {
        month_end(self.year(), self.last_month())
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
        let q = (today.month() - 1) / 3 + 1;
        if q == 1 {
            Period::Quarter {
                year: today.year() - 1,
                q: 4,
            }
        } else {
            Period::Quarter {
                year: today.year(),
                q: q - 1,
            }
        }
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

pub fn month_start(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("months are 1-12 and years in range")
}

pub fn month_end(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        month_start(year + 1, 1)
    } else {
        month_start(year, month + 1)
    };
    next.pred_opt()
        .expect("the day before the first of a month exists")
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
        assert_eq!(month_end(2024, 2), d(2024, 2, 29));
        assert_eq!(month_end(2025, 12), d(2025, 12, 31));
    }
}
