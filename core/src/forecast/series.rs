//! Regularly spaced series of one metric, built directly or from a sales trend.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{Granularity, Period};
use crate::domain::Metric;
use crate::error::{Error, Result};
use crate::ids::Id;
use crate::kpi::resolve_period;
use crate::sales::Sales;
use crate::trend::{Trend, TrendOptions, trend};

/// Options of [`TimeSeries::from_sales`]; the names follow [`TrendOptions`].
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesOptions {
    /// The metric (default net revenue).
    pub metric: Metric,
    /// Bucket size (default day).
    pub granularity: Granularity,
    /// Dates covered; default the whole table's date range (so the series of different stores
    /// and products line up).
    pub period: Option<Period>,
    /// One store, or all stores together (default).
    pub store: Option<Id>,
    /// One product, or all products together (default).
    pub product: Option<Id>,
    /// Buckets per seasonal cycle; `None` (default) = [`default_season_length`] of the
    /// granularity.
    pub season_length: Option<usize>,
    /// Keep a first or last bucket that the period cuts short (e.g. a week that starts before
    /// the period). Default `false`: such buckets are dropped, because a partial bucket looks
    /// like a drop in demand to a forecasting model.
    pub keep_partial_buckets: bool,
}

impl Default for SeriesOptions {
    fn default() -> Self {
        SeriesOptions {
            metric: Metric::NetRevenue,
            granularity: Granularity::Day,
            period: None,
            store: None,
            product: None,
            season_length: None,
            keep_partial_buckets: false,
        }
    }
}

/// The usual season length of a granularity: 7 for days (weekly pattern), 52 for weeks,
/// 12 for months, 4 for quarters and 1 (none) for years.
pub fn default_season_length(granularity: Granularity) -> usize {
    match granularity {
        Granularity::Day => 7,
        Granularity::Week => 52,
        Granularity::Month => 12,
        Granularity::Quarter => 4,
        Granularity::Year => 1,
    }
}

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

    /// The values of a [`Trend`], one per bucket, with `season_length` buckets per cycle.
    ///
    /// Buckets without sales are zero (as in the trend); undefined ratios (e.g. the average
    /// order value of a day without orders) are NaN, i.e. missing. The series starts at the
    /// calendar start of the trend's first bucket, so [`TimeSeries::bucket_start`] gives
    /// calendar buckets even when the trend's first bucket is clipped by its period.
    pub fn from_trend(trend: &Trend, season_length: usize) -> Result<Self> {
        let g = trend.granularity;
        let start = g.bucket_start(trend.points.first().map_or(trend.period.start(), |p| p.start));
        let mut label = trend.metric.as_str().to_string();
        if let Some(store) = &trend.store {
            label.push_str(&format!(" store {store}"));
        }
        TimeSeries::new(label, start, g, trend.values(), season_length)
    }

    /// One metric of `sales` by calendar bucket, for all stores, one store or one product
    /// (or a product in a store): the values of [`trend`](crate::trend::trend) over the same
    /// lines, in one call.
    ///
    /// Buckets without sales are zero; undefined ratios are NaN (missing). Partial first and
    /// last buckets are dropped unless [`SeriesOptions::keep_partial_buckets`] is set.
    ///
    /// Errors: [`Error::UnknownId`] for an unknown store or product;
    /// [`Error::InsufficientData`] when the table is empty and no period is given, or when
    /// dropping partial buckets leaves none.
    ///
    /// ```
    /// use storelytics::forecast::{SeriesOptions, TimeSeries};
    /// use storelytics::{Granularity, Id, Metric, SalesBuilder};
    /// let sales = SalesBuilder::new()
    ///     .order_id(vec![1i64, 2, 3])
    ///     .timestamp(vec!["2024-03-01", "2024-03-01", "2024-03-03"])
    ///     .product_id(vec!["tea", "milk", "tea"])
    ///     .quantity(vec![1.0, 2.0, 3.0])
    ///     .unit_price(vec![4.0, 1.0, 4.0])
    ///     .build()?;
    /// // Daily net revenue of all products: the empty 2 March is a zero.
    /// let revenue = TimeSeries::from_sales(&sales, &SeriesOptions::default())?;
    /// assert_eq!(revenue.values(), &[6.0, 0.0, 12.0]);
    /// assert_eq!(revenue.season_length(), 7);
    /// // Daily units of one product.
    /// let tea = SeriesOptions { metric: Metric::Units, product: Some(Id::from("tea")), ..Default::default() };
    /// assert_eq!(TimeSeries::from_sales(&sales, &tea)?.values(), &[1.0, 0.0, 3.0]);
    /// # Ok::<(), storelytics::Error>(())
    /// ```
    pub fn from_sales(sales: &Sales, options: &SeriesOptions) -> Result<Self> {
        // The period comes from the whole table so that scoped series line up.
        let period = resolve_period(sales, options.period)?;
        let product_lines;
        let lines = match &options.product {
            Some(id) => {
                product_lines = sales.for_product(id)?;
                &product_lines
            }
            None => sales,
        };
        let mut t = trend(
            lines,
            &TrendOptions {
                metric: options.metric,
                granularity: options.granularity,
                period: Some(period),
                store: options.store.clone(),
                moving_average: 0,
            },
        )?;
        if !options.keep_partial_buckets {
            let g = t.granularity;
            let whole = |p: &crate::trend::TrendPoint| {
                let start = g.bucket_start(p.start);
                start == p.start && g.advance(start, 1).pred_opt() == Some(p.end)
            };
            if t.points.last().is_some_and(|p| !whole(p)) {
                t.points.pop();
            }
            if t.points.first().is_some_and(|p| !whole(p)) {
                t.points.remove(0);
            }
            if t.points.is_empty() {
                return Err(Error::insufficient_data(
                    "time series",
                    format!("the period {period} holds no whole {} bucket", g.as_str()),
                ));
            }
        }
        let season_length = options.season_length.unwrap_or_else(|| default_season_length(options.granularity));
        let mut series = TimeSeries::from_trend(&t, season_length)?;
        if let Some(product) = &options.product {
            series.label.push_str(&format!(" product {product}"));
        }
        Ok(series)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sales::SalesBuilder;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    /// Two stores, two products, 1 March (a Friday) to 20 March 2024.
    fn sales() -> Sales {
        SalesBuilder::new()
            .order_id(vec![1i64, 1, 2, 3, 4, 5, 6])
            .timestamp(vec![
                "2024-03-01",
                "2024-03-01",
                "2024-03-04",
                "2024-03-05",
                "2024-03-12",
                "2024-03-18",
                "2024-03-20",
            ])
            .product_id(vec!["a", "b", "a", "b", "a", "a", "b"])
            .quantity(vec![1.0, 2.0, 3.0, 1.0, -1.0, 2.0, 5.0])
            .unit_price(vec![10.0, 1.0, 10.0, 1.0, 10.0, 10.0, 1.0])
            .store_id(vec!["x", "x", "y", "x", "y", "x", "y"])
            .build()
            .unwrap()
    }

    #[test]
    fn daily_series_per_store_and_product() {
        let s = sales();
        let all = TimeSeries::from_sales(&s, &SeriesOptions::default()).unwrap();
        assert_eq!(all.len(), 20);
        assert_eq!(all.start(), d(3, 1));
        assert_eq!(all.values()[0], 12.0);
        assert_eq!(all.values()[11], -10.0); // a return on 12 March
        let store_y = SeriesOptions { store: Some(Id::from("y")), ..Default::default() };
        let y = TimeSeries::from_sales(&s, &store_y).unwrap();
        assert_eq!(y.len(), 20, "the whole table's range, not the store's");
        assert_eq!((y.values()[0], y.values()[3], y.values()[19]), (0.0, 30.0, 5.0));
        let units_b = SeriesOptions { metric: Metric::Units, product: Some(Id::from("b")), ..Default::default() };
        let b = TimeSeries::from_sales(&s, &units_b).unwrap();
        let expected: Vec<f64> = (1..=20)
            .map(|day| match day {
                1 => 2.0,
                5 => 1.0,
                20 => 5.0,
                _ => 0.0,
            })
            .collect();
        assert_eq!(b.values(), &expected[..]);
        assert!(b.label().contains("product b"), "{}", b.label());
        let a_in_x = SeriesOptions { product: Some(Id::from("a")), ..store_y.clone() };
        let a = TimeSeries::from_sales(&s, &SeriesOptions { store: Some(Id::from("x")), ..a_in_x }).unwrap();
        assert_eq!(a.values().iter().sum::<f64>(), 30.0);
    }

    #[test]
    fn weekly_series_drop_partial_weeks_unless_asked() {
        let s = sales();
        let weekly = SeriesOptions { granularity: Granularity::Week, ..Default::default() };
        // 1 March is a Friday, 20 March a Wednesday: whole weeks start 4 and 11 March.
        let w = TimeSeries::from_sales(&s, &weekly).unwrap();
        assert_eq!(w.start(), d(3, 4));
        assert_eq!(w.values(), &[31.0, -10.0]);
        assert_eq!(w.season_length(), 52);
        assert_eq!(w.bucket_start(1), d(3, 11));
        let kept = TimeSeries::from_sales(&s, &SeriesOptions { keep_partial_buckets: true, ..weekly.clone() }).unwrap();
        assert_eq!(kept.start(), d(2, 26), "calendar start of the clipped first week");
        assert_eq!(kept.values(), &[12.0, 31.0, -10.0, 25.0]);
        let short = SeriesOptions { period: Some(Period::new(d(3, 5), d(3, 8)).unwrap()), ..weekly };
        assert!(matches!(TimeSeries::from_sales(&s, &short), Err(Error::InsufficientData { .. })));
    }

    #[test]
    fn errors_and_undefined_ratios() {
        let s = sales();
        let unknown = SeriesOptions { product: Some(Id::from("zz")), ..Default::default() };
        assert!(matches!(TimeSeries::from_sales(&s, &unknown), Err(Error::UnknownId { .. })));
        let no_store = SeriesOptions { store: Some(Id::from("zz")), ..Default::default() };
        assert!(matches!(TimeSeries::from_sales(&s, &no_store), Err(Error::UnknownId { .. })));
        let zero_season = SeriesOptions { season_length: Some(0), ..Default::default() };
        assert!(TimeSeries::from_sales(&s, &zero_season).is_err());
        let aov =
            TimeSeries::from_sales(&s, &SeriesOptions { metric: Metric::AvgOrderValue, ..Default::default() }).unwrap();
        assert!(aov.values()[1].is_nan(), "no orders on 2 March: undefined, missing");
        let empty = s.filter_period(&Period::day(d(1, 1)));
        assert!(matches!(
            TimeSeries::from_sales(&empty, &SeriesOptions::default()),
            Err(Error::InsufficientData { .. })
        ));
    }
}
