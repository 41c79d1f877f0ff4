//! Bad input gives an error that names the column and rows; the messages are pinned here.

use insta::assert_snapshot;
use storelytics::kpi::{KpiOptions, kpi_report};
use storelytics::{Error, Period, SalesBuilder};

fn base() -> SalesBuilder {
    SalesBuilder::new()
        .order_id(vec!["o1", "o2", "o3"])
        .timestamp(vec!["2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", "2024-03-02T09:00:00Z"])
        .product_id(vec!["a", "b", "a"])
        .quantity(vec![1.0, 2.0, 1.0])
        .unit_price(vec![1.5, 2.0, 1.5])
}

fn err(b: SalesBuilder) -> Error {
    b.build().expect_err("input must be rejected")
}

#[test]
fn missing_column() {
    let e = err(SalesBuilder::new().order_id(vec!["o1"]).timestamp(vec!["2024-03-01"]).quantity(vec![1.0]));
    assert_snapshot!(e.to_string(), @"missing required column `product_id`");
    let e = err(SalesBuilder::new()
        .order_id(vec!["o1"])
        .timestamp(vec!["2024-03-01"])
        .product_id(vec!["a"])
        .quantity(vec![1.0]));
    assert_snapshot!(e.to_string(), @"missing required column `unit_price` (or `amount` with line revenue)");
    assert_eq!(e.kind(), "schema");
}

#[test]
fn null_in_required_column() {
    let e = err(base().product_id(vec![Some("a"), None, None]));
    assert_snapshot!(e.to_string(), @"column `product_id` is required but is null in rows 1, 2");
}

#[test]
fn nan_or_infinite_price() {
    let e = err(base().unit_price(vec![1.0, f64::NAN, f64::INFINITY]));
    assert_snapshot!(e.to_string(), @"column `unit_price` has a NaN or infinite value in rows 1, 2");
    // A NaN price without another source of price is a missing value.
    assert!(matches!(e, Error::InvalidValue { .. } | Error::NullValue { .. }));
    let e = err(base().quantity(vec![1.0, f64::NEG_INFINITY, 1.0]));
    assert_snapshot!(e.to_string(), @"column `quantity` has a NaN or infinite value in row 1");
}

#[test]
fn negative_price() {
    let e = err(base().unit_price(vec![1.0, -2.0, 1.0]));
    assert_snapshot!(e.to_string(), @"column `unit_price` has a negative price in row 1");
}

#[test]
fn unparseable_timestamp() {
    let e = err(base().timestamp(vec!["2024-03-01", "yesterday", "2024-13-01"]));
    assert_snapshot!(e.to_string(), @"column `ts` has an unparseable timestamp (expected RFC 3339, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`) in rows 1, 2");
}

#[test]
fn length_mismatch_and_bad_zone() {
    let e = err(base().quantity(vec![1.0]));
    assert_snapshot!(e.to_string(), @"column `quantity` has 1 rows but `order_id` has 3");
    let e = err(base().default_time_zone("Mars/Olympus"));
    assert_snapshot!(e.to_string(), @"store `(default)` has unknown time zone `Mars/Olympus` (expected an IANA name such as `Europe/Berlin`)");
}

#[test]
fn inconsistent_order() {
    let e = err(base().order_id(vec!["o1", "o1", "o3"]).customer_id(vec![Some("c1"), Some("c2"), None]));
    assert_snapshot!(e.to_string(), @"order `o1` is inconsistent: its lines have different customers (rows 0, 1)");
    let e = err(base().order_id(vec!["o1", "o1", "o3"]));
    assert_snapshot!(e.to_string(), @"order `o1` is inconsistent: its sale lines have different timestamps (rows 0, 1)");
}

#[test]
fn too_precise_quantity() {
    let e = err(base().quantity(vec![1.0, 0.0001, 1.0]));
    assert_snapshot!(e.to_string(), @"column `quantity` has more than three decimal places in row 1");
}

#[test]
fn empty_table_gives_zero_counts_and_no_ratios() {
    let sales = SalesBuilder::new()
        .order_id(Vec::<i64>::new())
        .timestamp(Vec::<&str>::new())
        .product_id(Vec::<i64>::new())
        .quantity(Vec::<f64>::new())
        .unit_price(Vec::<f64>::new())
        .build()
        .expect("an empty table is valid");
    assert!(sales.is_empty());
    let period = Period::month(2024, 3).unwrap();
    let r = kpi_report(&sales, &KpiOptions { period: Some(period), ..Default::default() }).unwrap();
    let k = &r.overall.current;
    assert_eq!((k.orders, k.unique_customers, k.gross_revenue.minor(), k.units), (0, 0, 0, 0.0));
    assert_eq!((k.avg_order_value, k.items_per_order, k.repeat_rate, k.return_rate), (None, None, None, None));
    // Without an explicit period there is no date range to default to.
    let e = kpi_report(&sales, &KpiOptions::default()).unwrap_err();
    assert_snapshot!(e.to_string(), @"insufficient data for the default period: the table has no lines; pass an explicit period");
}
