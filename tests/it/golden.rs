//! The shared golden files in `tests/golden/`: storelytics' results must equal them exactly.

use std::collections::BTreeMap;
use std::path::PathBuf;

use storelytics::kpi::{KpiOptions, kpi_report};
use storelytics::rank::{Entity, RankOptions, rank};
use storelytics::trend::{TrendOptions, trend};
use storelytics::{Comparison, Granularity, Id, Metric, Period, Sales, SalesBuilder};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden")
}

/// Reads the golden CSV (plain comma-separated, no quoting) through the typed builder.
pub(crate) fn golden_sales() -> Sales {
    let text = std::fs::read_to_string(dir().join("sales_small.csv")).unwrap();
    let mut rows = text.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let mut cols: BTreeMap<&str, Vec<String>> = header.iter().map(|h| (*h, Vec::new())).collect();
    for row in rows.filter(|r| !r.is_empty()) {
        for (h, v) in header.iter().zip(row.split(',')) {
            cols.get_mut(h).unwrap().push(v.to_string());
        }
    }
    let opt = |v: &Vec<String>| v.iter().map(|s| (!s.is_empty()).then(|| s.clone())).collect::<Vec<_>>();
    let num = |v: &Vec<String>| v.iter().map(|s| s.parse::<f64>().unwrap()).collect::<Vec<_>>();
    let zones: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(dir().join("stores.json")).unwrap()).unwrap();
    let mut b = SalesBuilder::new()
        .order_id(cols["order_id"].iter().map(|s| s.parse::<i64>().unwrap()).collect::<Vec<_>>())
        .timestamp(cols["ts"].clone())
        .product_id(cols["product_id"].clone())
        .quantity(num(&cols["quantity"]))
        .unit_price(num(&cols["unit_price"]))
        .unit_cost(num(&cols["unit_cost"]))
        .customer_id(opt(&cols["customer_id"]))
        .store_id(cols["store_id"].clone())
        .category(opt(&cols["category"]));
    for (store, zone) in zones {
        b = b.store_time_zone(store, zone);
    }
    b.build().unwrap()
}

fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

fn march() -> Period {
    Period::month(2024, 3).unwrap()
}

pub(crate) fn check(name: &str, value: serde_json::Value) {
    let path = dir().join(name);
    if std::env::var_os("STORELYTICS_BLESS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap() + "\n").unwrap();
        return;
    }
    // Compared as text: the files are what every runtime must print, number formatting included.
    let text = serde_json::to_string_pretty(&value).unwrap();
    let want = std::fs::read_to_string(&path).unwrap();
    if text.trim_end() != want.trim_end() {
        let got = std::env::temp_dir().join(format!("storelytics-golden-{name}"));
        std::fs::write(&got, &text).unwrap();
        panic!("{name} differs from the golden file; the result is in {}", got.display());
    }
}

#[test]
fn golden_kpis_trends_and_rankings() {
    let sales = golden_sales();
    check(
        "kpi_march.json",
        to_json(
            &kpi_report(&sales, &KpiOptions { period: Some(march()), comparison: Comparison::PreviousPeriod }).unwrap(),
        ),
    );
    check(
        "trend_daily_net_revenue.json",
        to_json(&trend(&sales, &TrendOptions { moving_average: 3, ..Default::default() }).unwrap()),
    );
    check(
        "trend_weekly_orders_newyork.json",
        to_json(
            &trend(
                &sales,
                &TrendOptions {
                    metric: Metric::Orders,
                    granularity: Granularity::Week,
                    store: Some(Id::Str("newyork".into())),
                    moving_average: 0,
                    ..Default::default()
                },
            )
            .unwrap(),
        ),
    );
    check(
        "rank_products.json",
        to_json(&rank(&sales, &RankOptions { n: 5, period: Some(march()), ..Default::default() }).unwrap()),
    );
    check(
        "rank_customers.json",
        to_json(
            &rank(
                &sales,
                &RankOptions {
                    entity: Entity::Customer,
                    metric: Metric::Orders,
                    n: 3,
                    period: Some(march()),
                    ..Default::default()
                },
            )
            .unwrap(),
        ),
    );
}
