//! Reply deadlines: calendar days, or working days (Monday–Friday, minus holidays, plus
//! the make-up working days of 调休).

use super::rules::{Calendar, ReplyWithin};
use chrono::{Datelike, Days, NaiveDate, Weekday};

pub fn is_working_day(day: NaiveDate, calendar: &Calendar) -> bool {
    if calendar.workdays.contains(&day) {
        return true;
    }
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    !weekend && !calendar.holidays.contains(&day)
}

/// The reply deadline of an item forwarded on `forwarded`.
pub fn due_date(forwarded: NaiveDate, within: &ReplyWithin, calendar: &Calendar) -> NaiveDate {
    match within {
        ReplyWithin::CalendarDays(n) => forwarded
            .checked_add_days(Days::new(u64::from(*n)))
            .unwrap_or(NaiveDate::MAX),
        ReplyWithin::WorkingDays(n) => {
            let mut day = forwarded;
            let mut left = *n;
            while left > 0 {
                day = match day.succ_opt() {
                    Some(d) => d,
                    None => return NaiveDate::MAX,
                };
                if is_working_day(day, calendar) {
                    left -= 1;
                }
            }
            day
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).expect("valid date")
    }

    #[test]
    fn calendar_days() {
        assert_eq!(
            due_date(
                d(3, 1),
                &ReplyWithin::CalendarDays(15),
                &Calendar::default()
            ),
            d(3, 16)
        );
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_and_count_makeup_days() {
        let mut cal = Calendar::default();
        // 2025 National Day: Oct 1–8 off, Sat Oct 11 a make-up working day.
        for day in 1..=8 {
            cal.holidays.insert(d(10, day));
        }
        cal.workdays.insert(d(10, 11));
        // Forwarded Tue Sep 30: working days Oct 9 (Thu), 10 (Fri), 11 (Sat, make-up), 13 (Mon).
        assert_eq!(
            due_date(d(9, 30), &ReplyWithin::WorkingDays(3), &cal),
            d(10, 11)
        );
        assert_eq!(
            due_date(d(9, 30), &ReplyWithin::WorkingDays(4), &cal),
            d(10, 13)
        );
        // Without a calendar: Fri Mar 7 + 1 working day = Mon Mar 10.
        assert_eq!(
            due_date(d(3, 7), &ReplyWithin::WorkingDays(1), &Calendar::default()),
            d(3, 10)
        );
    }
}
