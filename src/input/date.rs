//! The four date forms of SPEC §3, and nothing else: a guess at `03/01/2025` is refused.

use chrono::NaiveDate;

/// What a date cell must look like, for error messages, in the run's language.
pub fn expected() -> String {
    crate::tr!("date-expected")
}

/// Parses `2025-03-01`, `2025/3/1`, `2025.3.1` or `2025年3月1日` (month and day with one or two
/// digits, the year with four).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let s = text.trim();
    let (y, m, d) = if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        (y, m, d)
    } else {
        let sep = ['-', '/', '.'].into_iter().find(|c| s.contains(*c))?;
        let mut parts = s.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn the_four_forms() {
        assert_eq!(parse_date("2025-03-01"), ymd(2025, 3, 1));
        assert_eq!(parse_date("2025/3/1"), ymd(2025, 3, 1));
        assert_eq!(parse_date("2025.3.1"), ymd(2025, 3, 1));
        assert_eq!(parse_date("2025年3月1日"), ymd(2025, 3, 1));
        assert_eq!(parse_date(" 2025/12/31 "), ymd(2025, 12, 31));
    }

    #[test]
    fn ambiguous_and_impossible_dates_are_refused() {
        for bad in [
            "03/01/2025",
            "1/3/2025",
            "2025-02-30",
            "25-3-1",
            "2025-3",
            "2025-03-01T00:00",
            "2025-03-01-1",
            "",
            "2025年3月1",
            "二〇二五年三月一日",
            "2025/+3/1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
