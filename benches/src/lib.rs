//! Shared set-up for the criterion benches in `benches/`.
//!
//! Under `cargo bench` the benches run at full size; under `cargo test --benches` (test mode,
//! as CI runs them) they run once on small inputs so they stay quick.

pub mod recs_data;

/// Whether the bench binary runs as a real benchmark (`cargo bench`) rather than in test mode.
pub fn full_size() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `full` when benchmarking for real, `small` in test mode.
pub fn size(full: usize, small: usize) -> usize {
    if full_size() { full } else { small }
}

use polars::prelude::*;
use storelytics::Sales;
use storelytics::sales::GUEST;

/// The line items of `sales` as a polars `DataFrame` of integer codes (what a polars user
/// would query): `store`, `day` (store-local day number), `ts`, `order`, `product`,
/// `customer` (null for guests), `quantity` (thousandths), `amount`, `cost` (minor units).
pub fn to_code_frame(sales: &Sales) -> PolarsResult<DataFrame> {
    let mut store = vec![0u32; sales.len()];
    for (s, st) in sales.stores().iter().enumerate() {
        store[st.rows.clone()].iter_mut().for_each(|x| *x = s as u32);
    }
    let customer: Vec<Option<u32>> =
        sales.customer_codes().iter().map(|&c| if c == GUEST { None } else { Some(c) }).collect();
    DataFrame::new_infer_height(vec![
        Column::new("store".into(), store),
        Column::new("day".into(), sales.days()),
        Column::new("ts".into(), sales.ts_micros()),
        Column::new("order".into(), sales.order_codes()),
        Column::new("product".into(), sales.product_codes()),
        Column::new("customer".into(), customer),
        Column::new("quantity".into(), sales.quantities_milli()),
        Column::new("amount".into(), sales.amounts()),
        Column::new("cost".into(), sales.costs().unwrap_or(&[])),
    ])
}

/// The line items with the caller's ids (strings / integers) and a UTC datetime, as a file
/// of a user would have them: the input of the Parquet ingestion bench.
pub fn to_contract_frame(sales: &Sales) -> PolarsResult<DataFrame> {
    let mut store = Vec::with_capacity(sales.len());
    for st in sales.stores() {
        store.extend(std::iter::repeat_n(st.id.to_string(), st.rows.len()));
    }
    let ids = |d: &storelytics::Dictionary, codes: &[u32]| -> Vec<Option<String>> {
        let all: Vec<String> = d.ids().iter().map(|i| i.to_string()).collect();
        codes.iter().map(|&c| all.get(c as usize).cloned()).collect()
    };
    let order: Vec<i64> = sales
        .order_codes()
        .iter()
        .map(|&c| match sales.orders().id(c) {
            storelytics::Id::Int(i) => i,
            storelytics::Id::Str(_) => c as i64,
        })
        .collect();
    let ts = Column::new("ts".into(), sales.ts_micros()).cast(&DataType::Datetime(TimeUnit::Microseconds, None))?;
    let scale = 10f64.powi(sales.money_scale() as i32);
    let quantity: Vec<f64> = sales.quantities_milli().iter().map(|&q| q as f64 / 1000.0).collect();
    let price: Vec<f64> = sales
        .amounts()
        .iter()
        .zip(sales.quantities_milli())
        .map(|(&a, &q)| if q == 0 { 0.0 } else { (a as f64 / scale) / (q as f64 / 1000.0) })
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new("store_id".into(), store),
        Column::new("order_id".into(), order),
        ts,
        Column::new("product_id".into(), ids(sales.products(), sales.product_codes())),
        Column::new("customer_id".into(), ids(sales.customers(), sales.customer_codes())),
        Column::new("quantity".into(), quantity),
        Column::new("unit_price".into(), price),
    ])
}
