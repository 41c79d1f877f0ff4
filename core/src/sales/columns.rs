//! Typed input columns of [`super::SalesBuilder`] and their conversion to interned codes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::calendar::day_number;
use crate::error::{Error, Result, Rows};
use crate::ids::Interner;

/// An id column: integers or strings, possibly with nulls.
#[derive(Debug, Clone, PartialEq)]
pub enum IdColumn {
    /// Integer ids.
    Int(Vec<Option<i64>>),
    /// String ids.
    Str(Vec<Option<String>>),
}

impl IdColumn {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            IdColumn::Int(v) => v.len(),
            IdColumn::Str(v) => v.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Vec<i64>> for IdColumn {
    fn from(v: Vec<i64>) -> Self {
        IdColumn::Int(v.into_iter().map(Some).collect())
    }
}
impl From<Vec<Option<i64>>> for IdColumn {
    fn from(v: Vec<Option<i64>>) -> Self {
        IdColumn::Int(v)
    }
}
impl From<Vec<String>> for IdColumn {
    fn from(v: Vec<String>) -> Self {
        IdColumn::Str(v.into_iter().map(Some).collect())
    }
}
impl From<Vec<Option<String>>> for IdColumn {
    fn from(v: Vec<Option<String>>) -> Self {
        IdColumn::Str(v)
    }
}
impl From<Vec<&str>> for IdColumn {
    fn from(v: Vec<&str>) -> Self {
        IdColumn::Str(v.into_iter().map(|s| Some(s.to_string())).collect())
    }
}
impl From<Vec<Option<&str>>> for IdColumn {
    fn from(v: Vec<Option<&str>>) -> Self {
        IdColumn::Str(v.into_iter().map(|s| s.map(str::to_string)).collect())
    }
}

/// A numeric column, possibly with nulls.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberColumn(pub Vec<Option<f64>>);

impl From<Vec<f64>> for NumberColumn {
    fn from(v: Vec<f64>) -> Self {
        NumberColumn(v.into_iter().map(Some).collect())
    }
}
impl From<Vec<Option<f64>>> for NumberColumn {
    fn from(v: Vec<Option<f64>>) -> Self {
        NumberColumn(v)
    }
}
impl From<Vec<i64>> for NumberColumn {
    fn from(v: Vec<i64>) -> Self {
        NumberColumn(v.into_iter().map(|x| Some(x as f64)).collect())
    }
}

/// A timestamp column: UTC instants, local dates, or text to parse.
///
/// Text accepts RFC 3339 (`2024-03-01T10:00:00Z`, `2024-03-01T11:00:00+01:00`), naive
/// `YYYY-MM-DD HH:MM:SS[.fff]` or `YYYY-MM-DDTHH:MM:SS[.fff]` (read as UTC, per the data
/// contract) and plain dates `YYYY-MM-DD` (a local date of the line's store).
#[derive(Debug, Clone, PartialEq)]
pub enum TimestampColumn {
    /// Microseconds since the Unix epoch, UTC.
    Micros(Vec<Option<i64>>),
    /// UTC date-times.
    DateTimes(Vec<Option<DateTime<Utc>>>),
    /// Local calendar dates of the line's store.
    Dates(Vec<Option<NaiveDate>>),
    /// Text, parsed as described above.
    Text(Vec<Option<String>>),
}

impl TimestampColumn {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            TimestampColumn::Micros(v) => v.len(),
            TimestampColumn::DateTimes(v) => v.len(),
            TimestampColumn::Dates(v) => v.len(),
            TimestampColumn::Text(v) => v.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Vec<&str>> for TimestampColumn {
    fn from(v: Vec<&str>) -> Self {
        TimestampColumn::Text(v.into_iter().map(|s| Some(s.to_string())).collect())
    }
}
impl From<Vec<String>> for TimestampColumn {
    fn from(v: Vec<String>) -> Self {
        TimestampColumn::Text(v.into_iter().map(Some).collect())
    }
}
impl From<Vec<DateTime<Utc>>> for TimestampColumn {
    fn from(v: Vec<DateTime<Utc>>) -> Self {
        TimestampColumn::DateTimes(v.into_iter().map(Some).collect())
    }
}
impl From<Vec<NaiveDate>> for TimestampColumn {
    fn from(v: Vec<NaiveDate>) -> Self {
        TimestampColumn::Dates(v.into_iter().map(Some).collect())
    }
}

/// Codes of an interned id column; nulls get `null_code`.
pub(crate) struct Interned {
    pub(crate) codes: Vec<u32>,
    pub(crate) interner: Interner,
}

/// A raw timestamp: a UTC instant, or a local date resolved once the store's zone is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RawTs {
    Instant(i64),
    LocalDay(i32),
}

/// A timestamp column after parsing: all UTC instants (µs), or a mix with local dates.
pub(crate) enum RawTimes {
    /// Made by the polars readers from a datetime column.
    #[cfg_attr(not(feature = "polars"), allow(dead_code))]
    Instants(Vec<i64>),
    Mixed(Vec<RawTs>),
}

impl RawTimes {
    pub(crate) fn len(&self) -> usize {
        match self {
            RawTimes::Instants(v) => v.len(),
            RawTimes::Mixed(v) => v.len(),
        }
    }
}

/// Interns an id column. Nulls are an error when `required`, else they get `null_code`.
pub(crate) fn intern_ids(col: &IdColumn, name: &str, required: bool, null_code: u32) -> Result<Interned> {
    if required {
        let nulls = match col {
            IdColumn::Int(v) => Rows::collect(v.iter().enumerate().filter(|(_, x)| x.is_none()).map(|(i, _)| i)),
            IdColumn::Str(v) => Rows::collect(v.iter().enumerate().filter(|(_, x)| x.is_none()).map(|(i, _)| i)),
        };
        if nulls.count > 0 {
            return Err(Error::NullValue { column: name.to_string(), rows: nulls });
        }
    }
    let mut interner = Interner::default();
    let mut codes = Vec::with_capacity(col.len());
    match col {
        IdColumn::Int(v) => intern_runs(v.iter().copied(), null_code, |x| interner.intern_int(x), &mut codes),
        IdColumn::Str(v) => {
            intern_runs(v.iter().map(Option::as_deref), null_code, |x| interner.intern_str(x), &mut codes)
        }
    }
    Ok(Interned { codes, interner })
}

/// Appends the code of each value to `codes` (`null_code` for a null). A value equal to the
/// previous line's reuses its code without a lookup: the lines of an order, a customer's lines
/// and a store's lines usually come in runs.
pub(crate) fn intern_runs<T: PartialEq + Copy>(
    values: impl Iterator<Item = Option<T>>,
    null_code: u32,
    mut intern: impl FnMut(T) -> u32,
    codes: &mut Vec<u32>,
) {
    let mut last: Option<(T, u32)> = None;
    for v in values {
        let code = match (v, last) {
            (None, _) => null_code,
            (Some(v), Some((prev, code))) if prev == v => code,
            (Some(v), _) => {
                let code = intern(v);
                last = Some((v, code));
                code
            }
        };
        codes.push(code);
    }
}

/// The values of a numeric column; nulls are an error when `required` (else `NaN`).
pub(crate) fn numbers(col: &NumberColumn, name: &str, required: bool) -> Result<Vec<f64>> {
    if required {
        let nulls = Rows::collect(col.0.iter().enumerate().filter(|(_, v)| v.is_none()).map(|(i, _)| i));
        if nulls.count > 0 {
            return Err(Error::NullValue { column: name.to_string(), rows: nulls });
        }
    }
    finite_or_null(col.0.iter().copied(), name)
}

/// The values with nulls as NaN; a NaN or infinite input value is an error (NaN in the
/// result therefore always means "no value").
pub(crate) fn finite_or_null(values: impl Iterator<Item = Option<f64>>, name: &str) -> Result<Vec<f64>> {
    let mut bad = Vec::new();
    let out = values
        .enumerate()
        .map(|(i, v)| match v {
            Some(x) if !x.is_finite() => {
                bad.push(i);
                f64::NAN
            }
            Some(x) => x,
            None => f64::NAN,
        })
        .collect();
    if !bad.is_empty() {
        return Err(Error::InvalidValue {
            column: name.to_string(),
            problem: "a NaN or infinite value".into(),
            rows: Rows::collect(bad),
        });
    }
    Ok(out)
}

/// Parses one timestamp text; see [`TimestampColumn`].
pub(crate) fn parse_timestamp(s: &str) -> Option<RawTs> {
    let s = s.trim();
    if s.len() == 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| RawTs::LocalDay(day_number(d)));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(RawTs::Instant(dt.timestamp_micros()));
    }
    for fmt in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(RawTs::Instant(dt.timestamp_micros()));
        }
    }
    for fmt in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(RawTs::Instant(dt.and_utc().timestamp_micros()));
        }
    }
    None
}

/// Converts a timestamp column to raw timestamps, reporting nulls and unparseable text.
pub(crate) fn timestamps(col: &TimestampColumn, name: &str) -> Result<Vec<RawTs>> {
    let mut nulls = Vec::new();
    let mut bad = Vec::new();
    let mut out = Vec::with_capacity(col.len());
    let mut push = |i: usize, v: Option<RawTs>, is_null: bool| {
        if is_null {
            nulls.push(i);
        } else if v.is_none() {
            bad.push(i);
        }
        out.push(v.unwrap_or(RawTs::Instant(0)));
    };
    match col {
        TimestampColumn::Micros(v) => {
            v.iter().enumerate().for_each(|(i, x)| push(i, x.map(RawTs::Instant), x.is_none()))
        }
        TimestampColumn::DateTimes(v) => v
            .iter()
            .enumerate()
            .for_each(|(i, x)| push(i, x.map(|d| RawTs::Instant(d.timestamp_micros())), x.is_none())),
        TimestampColumn::Dates(v) => {
            v.iter().enumerate().for_each(|(i, x)| push(i, x.map(|d| RawTs::LocalDay(day_number(d))), x.is_none()))
        }
        TimestampColumn::Text(v) => {
            v.iter().enumerate().for_each(|(i, x)| push(i, x.as_deref().and_then(parse_timestamp), x.is_none()))
        }
    }
    if !nulls.is_empty() {
        return Err(Error::NullValue { column: name.to_string(), rows: Rows::collect(nulls) });
    }
    if !bad.is_empty() {
        return Err(Error::InvalidValue {
            column: name.to_string(),
            problem: "an unparseable timestamp (expected RFC 3339, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`)".into(),
            rows: Rows::collect(bad),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_timestamp_forms() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:01Z"), Some(RawTs::Instant(1_000_000)));
        assert_eq!(parse_timestamp("1970-01-01 01:00:00+01:00"), Some(RawTs::Instant(0)));
        assert_eq!(parse_timestamp("1970-01-01 00:00:00.5"), Some(RawTs::Instant(500_000)));
        assert_eq!(parse_timestamp("1970-01-02"), Some(RawTs::LocalDay(1)));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2024-02-30"), None);
    }
}
