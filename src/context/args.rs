//! Values typed on the command line, checked once at the edge: periods, dates and the
//! delegate a command names. Each is a usage error (exit 2) in the run's language, or a
//! data error naming the roster for a delegate it does not hold.

use super::{Book, Ctx, LedgerInfo};
use crate::domain::period::{Period, Progress};
use crate::error::Error;
use chrono::NaiveDate;

/// Which periods a command takes on its command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    Quarter,
    Year,
    Either,
}

/// The period a command runs for, checked once for every command: the one typed (a
/// quarter like 2025Q3 or a year like 2025, as `takes` says), else `default`; and that it
/// has begun.
pub fn period_arg(
    text: Option<&str>,
    takes: Takes,
    today: NaiveDate,
    default: Period,
) -> Result<Period, Error> {
    let period = match text {
        Some(text) => parse_period_arg(text, takes)?,
        None => default,
    };
    period_begun(period, today)?;
    Ok(period)
}

/// A period typed on the command line, in the form `takes` says.
pub fn parse_period_arg(text: &str, takes: Takes) -> Result<Period, Error> {
    match (Period::parse(text), takes) {
        (Some(q @ Period::Quarter { .. }), Takes::Quarter | Takes::Either) => Ok(q),
        (Some(y @ Period::Year(_)), Takes::Year | Takes::Either) => Ok(y),
        _ => Err(Error::usage(match takes {
            Takes::Quarter => crate::tr!("msg-bad-quarter", period = text),
            Takes::Year => crate::tr!("msg-bad-year-arg", year = text),
            Takes::Either => crate::tr!("msg-bad-period", period = text),
        })),
    }
}

/// Refuses a period that has not begun on `today` (exit 2): there is nothing to report yet,
/// and a typo (2062 for 2026) should not print a table of zeros.
pub fn period_begun(period: Period, today: NaiveDate) -> Result<(), Error> {
    if period.progress(today) == Progress::NotBegun {
        return Err(Error::usage(crate::tr!(
            "msg-period-not-begun",
            period = period.to_string(),
            today = today,
            first = period.first_day()
        )));
    }
    Ok(())
}

/// What a title adds for a period still in progress on `today`: how far the data goes.
pub fn in_progress(period: Period, today: NaiveDate, ledger: &LedgerInfo) -> Option<String> {
    (period.progress(today) == Progress::InProgress).then(|| match ledger.newest {
        Some(d) => crate::tr!("note-in-progress", newest = crate::i18n::date(d)),
        None => crate::tr!("note-in-progress-empty"),
    })
}

/// A date given on the command line (`--as-of`), exit 2 when malformed.
pub fn date_arg(flag: &str, value: &str) -> Result<NaiveDate, Error> {
    crate::input::date::parse_date(value)
        .ok_or_else(|| Error::usage(crate::tr!("msg-bad-date-arg", flag = flag, value = value)))
}

impl Ctx {
    /// The delegate a command names (an id, or a name only one delegate has); exit 65
    /// otherwise, naming the roster.
    pub fn delegate_arg(&self, book: &Book, text: &str) -> Result<usize, Error> {
        use crate::domain::Lookup;
        book.roster.find(text).map_err(|e| {
            let why = match e {
                Lookup::AmbiguousName => crate::tr!("msg-lookup-ambiguous"),
                Lookup::Unknown => crate::tr!("msg-lookup-unknown"),
            };
            Error::data(crate::tr!(
                "msg-lookup-failed",
                path = self.show(&book.ws.delegates),
                why = why,
                delegate = text
            ))
        })
    }
}
