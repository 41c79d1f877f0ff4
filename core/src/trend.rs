//! A metric over time: calendar buckets in each store's time zone, with growth, moving average
//! and cumulative to-date values.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{Granularity, Period, date_of, day_number};
use crate::domain::Metric;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kpi::resolve_period;
use crate::metrics::{ByBucket, Needs, Scope, Totals};

use crate::sales::Sales;

/// Options of [`trend`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrendOptions {
    /// The metric (default net revenue).
    pub metric: Metric,
    /// Bucket size (default day).
    pub granularity: Granularity,
    /// Dates covered; default the data's date range. The first and last bucket are clipped to
    /// the period when it does not start or end on a bucket boundary.
    pub period: Option<Period>,
    /// One store, or all stores together (default).
    pub store: Option<Id>,
    /// Trailing moving-average window in buckets; 0 turns it off. Default 7.
    pub moving_average: usize,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            metric: Metric::NetRevenue,
            granularity: Granularity::Day,
            period: None,
            store: None,
            moving_average: 7,
        }
    }
}

/// One bucket of a [`Trend`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// First date of the bucket (clipped to the period).
    pub start: NaiveDate,
    /// Last date of the bucket (clipped to the period).
    pub end: NaiveDate,
    /// Display label, e.g. `2024-W07`.
    pub label: String,
    /// The metric in this bucket; zero for buckets without sales, `None` for undefined ratios.
    pub value: Option<f64>,
    /// Growth vs. the previous bucket, %.
    pub growth_pct: Option<f64>,
    /// The metric in the same bucket one year earlier.
    pub last_year: Option<f64>,
    /// Growth vs. the same bucket last year, %.
    pub yoy_growth_pct: Option<f64>,
    /// Mean of the values of this and the previous `window − 1` buckets (needs a full window
    /// of defined values).
    pub moving_average: Option<f64>,
    /// The metric from the period start through the end of this bucket.
    pub cumulative: Option<f64>,
}

/// A metric by calendar bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The metric.
    pub metric: Metric,
    /// The bucket size.
    pub granularity: Granularity,
    /// The period covered.
    pub period: Period,
    /// The store, or `None` for all stores together.
    pub store: Option<Id>,
    /// One point per bucket, oldest first, including buckets without sales.
    pub points: Vec<TrendPoint>,
}

impl Trend {
    /// The values, with `None` as NaN (for forecasting and plotting).
    pub fn values(&self) -> Vec<f64> {
        self.points.iter().map(|p| p.value.unwrap_or(f64::NAN)).collect()
    }
}

fn growth(cur: Option<f64>, prev: Option<f64>) -> Option<f64> {
    match (cur, prev) {
        (Some(c), Some(p)) if p != 0.0 => Some(100.0 * (c - p) / p.abs()),
        _ => None,
    }
}

/// Buckets covering `[first, last]` (day numbers): starts (clipped), ends, and the bucket of
/// each day.
fn buckets(g: Granularity, first: i32, last: i32) -> (Vec<i32>, Vec<i32>, Vec<u32>) {
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    let mut of_day = Vec::with_capacity((last - first + 1).max(0) as usize);
    let mut b = g.bucket_start(date_of(first));
    while day_number(b) <= last {
        let next = g.advance(b, 1);
        let s = day_number(b).max(first);
        let e = (day_number(next) - 1).min(last);
        let idx = starts.len() as u32;
        starts.push(s);
        ends.push(e);
        for _ in s..=e {
            of_day.push(idx);
        }
        if next <= b {
            break;
        }
        b = next;
    }
    (starts, ends, of_day)
}

/// A metric by calendar bucket, in each store's time zone.
///
/// ```
/// use storelytics::{trend::{trend, TrendOptions}, Granularity, Metric, SalesBuilder};
/// let sales = SalesBuilder::new()
///     .order_id(vec![1i64, 2])
///     .timestamp(vec!["2024-03-01", "2024-03-03"])
///     .product_id(vec!["a", "a"])
///     .quantity(vec![1.0, 2.0])
///     .unit_price(vec![10.0, 10.0])
///     .build()?;
/// let t = trend(&sales, &TrendOptions { metric: Metric::Units, moving_average: 0, ..Default::default() })?;
/// let units: Vec<_> = t.points.iter().map(|p| p.value).collect();
/// assert_eq!(units, vec![Some(1.0), Some(0.0), Some(2.0)]); // the empty day is present with zero
/// assert_eq!(t.points[2].cumulative, Some(3.0));
/// # Ok::<(), storelytics::Error>(())
/// ```
pub fn trend(sales: &Sales, options: &TrendOptions) -> Result<Trend> {
    let period = resolve_period(sales, options.period)?;
    let g = options.granularity;
    let mut scope = match &options.store {
        Some(id) => Scope::store(sales, sales.store_index(id)?),
        None => Scope::all(sales),
    };
    let (first, last) = (period.start_day(), period.end_day());
    if last - first > 366 * 200 {
        return Err(Error::invalid_parameter("period", "spans more than 200 years"));
    }
    // Buckets of the period and of the year before it, for year-over-year values.
    let ly_first =
        g.same_bucket_last_year(g.bucket_start(period.start())).map(day_number).unwrap_or(first - 371).min(first - 364);
    // Buckets of the year before the period and of the period itself, split at the period
    // start so that a bucket straddling it is clipped on both sides.
    let (mut all_starts, mut all_ends, mut of_day) = buckets(g, ly_first, first - 1);
    let first_bucket = all_starts.len();
    let (c_starts, c_ends, c_of_day) = buckets(g, first, last);
    all_starts.extend(c_starts);
    all_ends.extend(c_ends);
    of_day.extend(c_of_day.into_iter().map(|b| b + first_bucket as u32));
    let n = all_starts.len();
    let bucket_index: std::collections::HashMap<NaiveDate, usize> =
        all_starts.iter().enumerate().rev().map(|(i, &s)| (g.bucket_start(date_of(s)), i)).collect();
    let metric = options.metric;
    let needs_customers = matches!(
        metric,
        Metric::UniqueCustomers | Metric::NewCustomers | Metric::ReturningCustomers | Metric::RepeatRate
    );
    let grouping =
        ByBucket { days: sales.days(), first_day: ly_first, bucket_of_day: of_day, starts: all_starts.clone() };
    // The year before is aggregated separately so that to-date counts start at the period.
    let before =
        scope.aggregate(ly_first, first - 1, n, &grouping, Needs { customers: needs_customers, to_date: false });
    let current =
        scope.aggregate(first, last, n, &grouping, Needs { customers: needs_customers, to_date: needs_customers });
    let scale = sales.money_scale();
    let value_at = |i: usize| -> Option<f64> {
        let t = if i < first_bucket { &before[i] } else { &current[i] };
        t.value(metric, scale)
    };

    let mut points = Vec::with_capacity(n - first_bucket);
    let mut cum = Totals::default();
    let mut cum_unique = 0u64;
    let mut cum_repeat = 0u64;
    for i in first_bucket..n {
        let value = value_at(i);
        let start = date_of(all_starts[i]);
        let calendar_start = g.bucket_start(start);
        // The previous bucket, unless it is the other part of a bucket split at the period start.
        let prev =
            (i > 0 && g.bucket_start(date_of(all_starts[i - 1])) != calendar_start).then(|| value_at(i - 1)).flatten();
        let last_year =
            g.same_bucket_last_year(calendar_start).and_then(|d| bucket_index.get(&d).copied()).and_then(value_at);
        let moving_average = if options.moving_average > 0 && i + 1 >= first_bucket + options.moving_average {
            let w: Option<Vec<f64>> = (i + 1 - options.moving_average..=i).map(value_at).collect();
            w.map(|w| w.iter().sum::<f64>() / w.len() as f64)
        } else {
            None
        };
        let t = &current[i];
        cum.merge(t);
        cum_unique += t.first_seen;
        cum_repeat += t.second_order_seen;
        let mut to_date = cum;
        to_date.customers = cum_unique;
        to_date.repeat_customers = cum_repeat;
        points.push(TrendPoint {
            start,
            end: date_of(all_ends[i]),
            label: g.label(calendar_start),
            value,
            growth_pct: growth(value, prev),
            last_year,
            yoy_growth_pct: growth(value, last_year),
            moving_average,
            cumulative: to_date.value(metric, scale),
        });
    }
    Ok(Trend { metric, granularity: g, period, store: options.store.clone(), points })
}
