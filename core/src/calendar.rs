//! Calendar arithmetic: day numbers, periods and bucket granularities.
//!
//! Dates are local calendar dates of a store (see [`crate::sales::Sales`]); a *day number* is
//! the count of days since 1970-01-01, which makes bucketing a matter of integer arithmetic.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

/// Days since 1970-01-01.
pub fn day_number(date: NaiveDate) -> i32 {
    (date - EPOCH).num_days() as i32
}

/// The date of a day number (inverse of [`day_number`]). Day numbers outside chrono's range
/// saturate to its minimum / maximum date.
pub fn date_of(day: i32) -> NaiveDate {
    EPOCH.checked_add_signed(Duration::days(day as i64)).unwrap_or(if day < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// Size of a time bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// One calendar day.
    Day,
    /// One ISO week, Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
    /// One calendar quarter.
    Quarter,
    /// One calendar year.
    Year,
}

impl Granularity {
    /// All granularities, finest first.
    pub const ALL: [Granularity; 5] =
        [Granularity::Day, Granularity::Week, Granularity::Month, Granularity::Quarter, Granularity::Year];

    /// First day of the bucket that contains `date`.
    pub fn bucket_start(self, date: NaiveDate) -> NaiveDate {
        match self {
            Granularity::Day => date,
            Granularity::Week => date - Duration::days(date.weekday().num_days_from_monday() as i64),
            Granularity::Month => date.with_day(1).unwrap_or(date),
            Granularity::Quarter => {
                let m = (date.month0() / 3) * 3 + 1;
                NaiveDate::from_ymd_opt(date.year(), m, 1).unwrap_or(date)
            }
            Granularity::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date),
        }
    }

    /// Start of the bucket `n` buckets after the one starting at `start` (negative: before).
    /// `start` should be a bucket start.
    pub fn advance(self, start: NaiveDate, n: i64) -> NaiveDate {
        let months = |k: i64| -> NaiveDate {
            let r = if k >= 0 {
                start.checked_add_months(Months::new(k as u32))
            } else {
                start.checked_sub_months(Months::new((-k) as u32))
            };
            r.unwrap_or(if k >= 0 { NaiveDate::MAX } else { NaiveDate::MIN })
        };
        match self {
            Granularity::Day => start.checked_add_signed(Duration::days(n)).unwrap_or(NaiveDate::MAX),
            Granularity::Week => start.checked_add_signed(Duration::days(7 * n)).unwrap_or(NaiveDate::MAX),
            Granularity::Month => months(n),
            Granularity::Quarter => months(3 * n),
            Granularity::Year => months(12 * n),
        }
    }

    /// Start of the same bucket one year earlier: the same date, ISO week number, month,
    /// quarter or the previous year. `None` when that bucket does not exist (ISO week 53 in a
    /// 52-week year).
    pub fn same_bucket_last_year(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Granularity::Week => {
                let iso = start.iso_week();
                NaiveDate::from_isoywd_opt(iso.year() - 1, iso.week(), chrono::Weekday::Mon)
            }
            Granularity::Day => shift_years(start, -1),
            _ => Some(self.advance(start, -(self.buckets_per_year() as i64))),
        }
    }

    /// Nominal buckets per year (365 days, 52 weeks, 12 months, 4 quarters, 1 year); the usual
    /// yearly season length.
    pub fn buckets_per_year(self) -> usize {
        match self {
            Granularity::Day => 365,
            Granularity::Week => 52,
            Granularity::Month => 12,
            Granularity::Quarter => 4,
            Granularity::Year => 1,
        }
    }

    /// Display label of the bucket starting at `start`: `2024-03-05`, `2024-W10`, `2024-03`,
    /// `2024-Q1`, `2024`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Granularity::Day => start.format("%Y-%m-%d").to_string(),
            Granularity::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Granularity::Month => start.format("%Y-%m").to_string(),
            Granularity::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Granularity::Year => start.year().to_string(),
        }
    }

    /// The lower-case name used in options and JSON (`day`, `week`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Year => "year",
        }
    }
}

impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Granularity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Granularity::ALL.into_iter().find(|g| g.as_str().eq_ignore_ascii_case(s)).ok_or_else(|| {
            Error::invalid_parameter("granularity", format!("`{s}` is not one of day, week, month, quarter, year"))
        })
    }
}

/// `date` shifted by whole years; 29 February becomes 28 February in a non-leap year.
pub fn shift_years(date: NaiveDate, years: i32) -> Option<NaiveDate> {
    let y = date.year() + years;
    NaiveDate::from_ymd_opt(y, date.month(), date.day()).or_else(|| NaiveDate::from_ymd_opt(y, date.month(), 28))
}

/// An inclusive range of local calendar dates.
///
/// ```
/// use storelytics::calendar::Period;
/// let march = Period::month(2024, 3).unwrap();
/// assert_eq!(march.len_days(), 31);
/// assert_eq!(march.previous().to_string(), "2024-01-30..=2024-02-29");
/// assert_eq!(march.same_period_last_year().to_string(), "2023-03-01..=2023-03-31");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

impl Period {
    /// The dates `start..=end`; an error if `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self> {
        if end < start {
            return Err(Error::invalid_parameter("period", format!("end {end} is before start {start}")));
        }
        Ok(Period { start, end })
    }

    /// One day.
    pub fn day(date: NaiveDate) -> Self {
        Period { start: date, end: date }
    }

    /// The `n` days that end with `end` (inclusive); an error if `n` is 0.
    pub fn last_days(end: NaiveDate, n: u32) -> Result<Self> {
        if n == 0 {
            return Err(Error::invalid_parameter("days", "must be at least 1"));
        }
        Period::new(end - Duration::days(n as i64 - 1), end)
    }

    /// A calendar month.
    pub fn month(year: i32, month: u32) -> Result<Self> {
        let start = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| Error::invalid_parameter("month", format!("{year}-{month} is not a valid month")))?;
        let end = Granularity::Month.advance(start, 1) - Duration::days(1);
        Ok(Period { start, end })
    }

    /// A calendar year.
    pub fn year(year: i32) -> Result<Self> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1)
            .ok_or_else(|| Error::invalid_parameter("year", format!("{year} is out of range")))?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(start);
        Ok(Period { start, end })
    }

    /// First date (inclusive).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last date (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// First day number.
    pub fn start_day(&self) -> i32 {
        day_number(self.start)
    }

    /// Last day number (inclusive).
    pub fn end_day(&self) -> i32 {
        day_number(self.end)
    }

    /// Number of days.
    pub fn len_days(&self) -> u32 {
        (self.end_day() - self.start_day() + 1) as u32
    }

    /// Whether `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The period of equal length that ends the day before this one starts.
    pub fn previous(&self) -> Period {
        let n = self.len_days() as i64;
        Period { start: self.start - Duration::days(n), end: self.start - Duration::days(1) }
    }

    /// The same dates one year earlier (29 February maps to 28 February).
    pub fn same_period_last_year(&self) -> Period {
        let start = shift_years(self.start, -1).unwrap_or(self.start);
        let end = shift_years(self.end, -1).unwrap_or(self.end).max(start);
        Period { start, end }
    }

    /// The comparison period chosen by `comparison`, if any.
    pub fn compared(&self, comparison: Comparison) -> Option<Period> {
        match comparison {
            Comparison::PreviousPeriod => Some(self.previous()),
            Comparison::SamePeriodLastYear => Some(self.same_period_last_year()),
            Comparison::None => None,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

/// Which period a result is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// The period of equal length right before (the default).
    #[default]
    PreviousPeriod,
    /// The same dates one year earlier.
    SamePeriodLastYear,
    /// No comparison.
    None,
}

impl FromStr for Comparison {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "previous_period" | "previous" => Ok(Comparison::PreviousPeriod),
            "same_period_last_year" | "last_year" | "yoy" => Ok(Comparison::SamePeriodLastYear),
            "none" => Ok(Comparison::None),
            _ => Err(Error::invalid_parameter(
                "comparison",
                format!("`{s}` is not one of previous_period, same_period_last_year, none"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn day_numbers_round_trip() {
        for date in [d(1970, 1, 1), d(2024, 2, 29), d(1969, 12, 31), d(2100, 3, 1)] {
            assert_eq!(date_of(day_number(date)), date);
        }
        assert_eq!(day_number(d(1970, 1, 2)), 1);
    }

    #[test]
    fn bucket_starts_and_labels() {
        let date = d(2024, 12, 31); // a Tuesday in ISO week 2025-W01
        assert_eq!(Granularity::Week.bucket_start(date), d(2024, 12, 30));
        assert_eq!(Granularity::Week.label(d(2024, 12, 30)), "2025-W01");
        assert_eq!(Granularity::Quarter.bucket_start(date), d(2024, 10, 1));
        assert_eq!(Granularity::Quarter.label(d(2024, 10, 1)), "2024-Q4");
        assert_eq!(Granularity::Month.advance(d(2024, 1, 1), 13), d(2025, 2, 1));
        assert_eq!(Granularity::Year.same_bucket_last_year(d(2024, 1, 1)), Some(d(2023, 1, 1)));
        assert_eq!(Granularity::Week.same_bucket_last_year(d(2021, 1, 4)), Some(d(2019, 12, 30)));
        // 2020 has an ISO week 53, 2019 does not.
        assert_eq!(Granularity::Week.same_bucket_last_year(d(2020, 12, 28)), None);
    }

    #[test]
    fn periods() {
        let p = Period::new(d(2024, 3, 1), d(2024, 3, 10)).unwrap();
        assert_eq!(p.previous(), Period::new(d(2024, 2, 20), d(2024, 2, 29)).unwrap());
        assert!(Period::new(d(2024, 3, 2), d(2024, 3, 1)).is_err());
        let leap = Period::day(d(2024, 2, 29));
        assert_eq!(leap.same_period_last_year(), Period::day(d(2023, 2, 28)));
    }
}
