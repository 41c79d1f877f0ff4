//! Regularly spaced series of one metric.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::Granularity;
use crate::error::{Error, Result};

/// A regularly spaced series: one value per calendar bucket, starting at `start`.
///
/// ```
/// use chrono::NaiveDate;
/// use storelytics::{calendar::Granularity, forecast::TimeSeries};
/// let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
/// let ts = TimeSeries::new("demo", start, Granularity::Day, vec![1.0, 2.0, 3.0], 7).unwrap();
/// assert_eq!(ts.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeSeries {
    label: String,
    start: NaiveDate,
    granularity: Granularity,
    values: Vec<f64>,
    season_length: usize,
}

impl TimeSeries {
    /// A series of `values` with the first bucket starting at `start`.
    ///
    /// `season_length` is the number of buckets per seasonal cycle (7 for daily data with a
    /// weekly pattern, 12 for monthly data, 1 for none). NaN marks a missing value; infinite
    /// values are an error.
    pub fn new(
        label: impl Into<String>,
        start: NaiveDate,
        granularity: Granularity,
        values: Vec<f64>,
        season_length: usize,
    ) -> Result<Self> {
        if season_length == 0 {
            return Err(Error::invalid_parameter("season_length", "must be at least 1"));
        }
        if let Some(i) = values.iter().position(|v| v.is_infinite()) {
            return Err(Error::invalid_parameter("values", format!("value at index {i} is infinite")));
        }
        Ok(TimeSeries { label: label.into(), start, granularity, values, season_length })
    }

    /// Label of the series (e.g. the store id and metric).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// First bucket's start date.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Bucket size.
    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// The observations; NaN marks a missing value.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Buckets per seasonal cycle.
    pub fn season_length(&self) -> usize {
        self.season_length
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the series has no observations.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Start date of bucket `i` (0 = first observation; `i >= len` are future buckets).
    pub fn bucket_start(&self, i: usize) -> NaiveDate {
        self.granularity.advance(self.start, i as i64)
    }
}
