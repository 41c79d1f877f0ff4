//! Time series from sales: the values equal the trend's buckets, per store and per product.

use storelytics::forecast::{SeriesOptions, TimeSeries};
use storelytics::generator::{GeneratorConfig, generate};
use storelytics::trend::{TrendOptions, trend};
use storelytics::{Granularity, Metric};

#[test]
fn store_series_equal_the_trend_buckets() {
    let sales = generate(&GeneratorConfig { lines: 20_000, days: 200, ..Default::default() }).unwrap().sales;
    for store in sales.stores() {
        for (metric, granularity) in [
            (Metric::NetRevenue, Granularity::Day),
            (Metric::Orders, Granularity::Week),
            (Metric::Units, Granularity::Month),
        ] {
            let options = SeriesOptions { metric, granularity, store: Some(store.id.clone()), ..Default::default() };
            let series = TimeSeries::from_sales(&sales, &options).unwrap();
            let t = trend(
                &sales,
                &TrendOptions {
                    metric,
                    granularity,
                    store: Some(store.id.clone()),
                    moving_average: 0,
                    ..Default::default()
                },
            )
            .unwrap();
            // The trend's whole buckets (a clipped first or last bucket is left out of the series).
            let whole: Vec<_> = t
                .points
                .iter()
                .filter(|p| {
                    let start = granularity.bucket_start(p.start);
                    start == p.start && granularity.advance(start, 1).pred_opt() == Some(p.end)
                })
                .collect();
            let expected: Vec<f64> = whole.iter().map(|p| p.value.unwrap_or(f64::NAN)).collect();
            assert_eq!(series.values(), &expected[..], "{} {metric:?} {granularity:?}", store.id);
            assert_eq!(series.start(), whole[0].start);
            assert_eq!(series.bucket_start(series.len() - 1), whole[whole.len() - 1].start);
        }
    }
}

#[test]
fn product_series_equal_a_direct_daily_sum() {
    let sales = generate(&GeneratorConfig { lines: 20_000, days: 120, ..Default::default() }).unwrap().sales;
    let range = sales.date_range().unwrap();
    let first = range.start_day();
    let days = range.len_days() as usize;
    for code in [0u32, 3, 17] {
        let id = sales.products().id(code);
        let store = &sales.stores()[1];
        let options = SeriesOptions { product: Some(id.clone()), store: Some(store.id.clone()), ..Default::default() };
        let series = TimeSeries::from_sales(&sales, &options).unwrap();
        // Net revenue in cents per store-local day, summed from the line columns.
        let mut cents = vec![0i64; days];
        for i in store.rows.clone() {
            if sales.product_codes()[i] == code {
                cents[(sales.days()[i] - first) as usize] += sales.amounts()[i];
            }
        }
        let expected: Vec<f64> = cents.iter().map(|&c| c as f64 / 100.0).collect();
        assert_eq!(series.len(), days);
        for (t, (got, want)) in series.values().iter().zip(&expected).enumerate() {
            assert!((got - want).abs() < 1e-9, "product {id} day {t}: {got} vs {want}");
        }
        assert!(expected.iter().any(|&v| v != 0.0), "product {id} should sell in store {}", store.id);
    }
}
