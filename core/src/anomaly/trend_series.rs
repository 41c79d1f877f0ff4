//! Series from [`Trend`]s: the metric of one store (or all stores) by calendar bucket.

use crate::calendar::Granularity;
use crate::error::{Error, Result};
use crate::forecast::TimeSeries;
use crate::trend::Trend;

/// Buckets per seasonal cycle used for a trend's granularity: a week of days, a year of weeks,
/// months or quarters; none for years.
pub fn season_length(granularity: Granularity) -> usize {
    match granularity {
        Granularity::Day => 7,
        Granularity::Week => 52,
        Granularity::Month => 12,
        Granularity::Quarter => 4,
        Granularity::Year => 1,
    }
}

/// The values of `trend` as a [`TimeSeries`] labelled `"<store> <metric>"` (or
/// `"all stores <metric>"`), with the season length of its granularity. Undefined values
/// (ratios of empty buckets) become missing (NaN).
pub fn series_from_trend(trend: &Trend) -> Result<TimeSeries> {
    let first = trend
        .points
        .first()
        .ok_or_else(|| Error::insufficient_data("anomaly detection", "the trend has no buckets"))?;
    let g = trend.granularity;
    let store = trend.store.as_ref().map(|s| s.to_string()).unwrap_or_else(|| "all stores".into());
    let label = format!("{store} {}", trend.metric);
    TimeSeries::new(label, g.bucket_start(first.start), g, trend.values(), season_length(g))
}
