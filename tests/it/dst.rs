//! Daylight saving: the 23- and 25-hour days are one day bucket each.

use chrono::{Duration, NaiveDate, TimeZone};
use storelytics::trend::{TrendOptions, trend};
use storelytics::{Granularity, Metric, SalesBuilder};

#[test]
fn dst_days_are_single_buckets() {
    // One line every hour (UTC) from 2024-03-30 to 2024-04-01 and around 2024-10-27, Berlin.
    let mut ts = Vec::new();
    for (y, m, d) in [(2024, 3, 30), (2024, 10, 26)] {
        let start =
            chrono::Utc.from_utc_datetime(&NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap());
        for h in 0..72 {
            ts.push(start + Duration::hours(h));
        }
    }
    let n = ts.len();
    let sales = SalesBuilder::new()
        .order_id((0..n as i64).collect::<Vec<_>>())
        .timestamp(ts)
        .product_id(vec![1i64; n])
        .quantity(vec![1.0; n])
        .unit_price(vec![1.0; n])
        .default_time_zone("Europe/Berlin")
        .build()
        .unwrap();
    let t = trend(
        &sales,
        &TrendOptions {
            metric: Metric::Orders,
            granularity: Granularity::Day,
            moving_average: 0,
            ..Default::default()
        },
    )
    .unwrap();
    let by_day = |y, m, d| {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        t.points.iter().filter(|p| p.start == date).map(|p| p.value.unwrap()).collect::<Vec<_>>()
    };
    // Local days: 23 hours on 31 March, 25 hours on 27 October; each is one bucket.
    assert_eq!(by_day(2024, 3, 31), vec![23.0]);
    assert_eq!(by_day(2024, 10, 27), vec![25.0]);
    assert_eq!(by_day(2024, 3, 30), vec![23.0]); // starts at 01:00 local (00:00 UTC)
    assert_eq!(t.points.iter().filter(|p| p.start == NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()).count(), 1);
}
