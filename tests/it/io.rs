//! CSV, Parquet and DataFrame ingestion through polars, with a column mapping.
#![cfg(feature = "polars")]

use insta::assert_snapshot;
use storelytics::kpi::{KpiOptions, kpi_report};
use storelytics::polars::prelude::*;
use storelytics::sales::io::{ReadOptions, from_dataframe, read_csv, read_parquet};
use storelytics::{Comparison, Period};

use crate::golden::golden_sales;

fn options() -> ReadOptions {
    let mut o = ReadOptions::default();
    for (store, zone) in [("berlin", "Europe/Berlin"), ("newyork", "America/New_York")] {
        o.time_zones.per_store.push((store.into(), zone.into()));
    }
    o
}

fn march_json(sales: &storelytics::Sales) -> serde_json::Value {
    let opts = KpiOptions { period: Some(Period::month(2024, 3).unwrap()), comparison: Comparison::PreviousPeriod };
    serde_json::to_value(kpi_report(sales, &opts).unwrap()).unwrap()
}

#[test]
fn csv_with_renamed_columns_gives_the_same_kpis_as_the_builder() {
    let dir = std::env::temp_dir().join(format!("storelytics-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let golden = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/golden/sales_small.csv")).unwrap();
    let renamed = golden.replacen("order_id,ts,", "InvoiceNo,InvoiceDate,", 1);
    let path = dir.join("renamed.csv");
    std::fs::write(&path, renamed).unwrap();
    let mut o = options();
    o.mapping.order_id = "InvoiceNo".into();
    o.mapping.ts = "InvoiceDate".into();
    let sales = read_csv(&path, &o).unwrap();
    assert_eq!(march_json(&sales), march_json(&golden_sales()));

    // The same through Parquet, with a real datetime column.
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.clone()))
        .unwrap()
        .finish()
        .unwrap();
    let micros: Vec<i64> = df
        .column("InvoiceDate")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| chrono::DateTime::parse_from_rfc3339(v.unwrap()).unwrap().timestamp_micros())
        .collect();
    let ts = Column::new("InvoiceDate".into(), micros).cast(&DataType::Datetime(TimeUnit::Microseconds, None));
    df.with_column(ts.unwrap()).unwrap();
    let pq = dir.join("sales.parquet");
    ParquetWriter::new(std::fs::File::create(&pq).unwrap()).finish(&mut df).unwrap();
    let sales = read_parquet(&pq, &o).unwrap();
    assert_eq!(march_json(&sales), march_json(&golden_sales()));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn wrong_type_missing_column_and_nulls_name_the_column() {
    let df = df!(
        "order_id" => [1i64, 2],
        "ts" => ["2024-03-01", "2024-03-02"],
        "product_id" => ["a", "b"],
        "quantity" => ["one", "two"],
        "unit_price" => [1.0, 2.0],
    )
    .unwrap();
    let e = from_dataframe(&df, &ReadOptions::default()).unwrap_err();
    assert_snapshot!(e.to_string(), @"column `quantity` has type str, expected a number");

    let mut o = ReadOptions::default();
    o.mapping.product_id = "sku".into();
    let e = from_dataframe(&df, &o).unwrap_err();
    assert_snapshot!(e.to_string(), @"missing required column `sku`");

    let df = df!(
        "order_id" => [Some(1i64), None, Some(3)],
        "ts" => ["2024-03-01", "2024-03-02", "2024-03-02"],
        "product_id" => ["a", "b", "c"],
        "quantity" => [1.0, 1.0, 1.0],
        "unit_price" => [1.0, f64::NAN, -1.0],
    )
    .unwrap();
    let e = from_dataframe(&df, &ReadOptions::default()).unwrap_err();
    assert_snapshot!(e.to_string(), @"column `order_id` is required but is null in row 1");
}

#[test]
fn dataframe_ingestion_checks_the_money_scale() {
    let df = df!(
        "order_id" => [1i64],
        "ts" => ["2024-03-01"],
        "product_id" => ["a"],
        "quantity" => [1.0],
        "unit_price" => [2.5],
    )
    .unwrap();
    let o = ReadOptions { money_scale: Some(40), ..ReadOptions::default() };
    let err = from_dataframe(&df, &o).unwrap_err();
    assert_eq!(err.kind(), "invalid_parameter");
    assert!(err.to_string().contains("`money_scale`"), "{err}");
}
