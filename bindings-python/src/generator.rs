//! `generate`: the seeded synthetic sales generator.

use pyo3::prelude::*;
use serde::Serialize;
use storelytics::Product;
use storelytics::generator::{AnomalyLabel, GeneratorConfig, generate};

use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

/// What the generator put into the data, as JSON.
#[derive(Serialize)]
struct Labels<'a> {
    products: &'a [Product],
    anomalies: &'a [AnomalyLabel],
    closed_days: &'a [chrono::NaiveDate],
}

/// Generates a dataset; returns the table and the JSON of products, anomalies and closed days.
#[pyfunction]
#[pyo3(signature = (
    seed=42, stores=3, start="2023-01-01", days=730, lines=100_000, customers=0, products=0,
    categories=12, guest_share=0.15, return_rate=0.03, anomalies_per_store=8, yearly_growth=0.1,
    taste_share=0.8,
))]
#[allow(clippy::too_many_arguments)]
fn generate_native(
    py: Python<'_>,
    seed: u64,
    stores: usize,
    start: &str,
    days: u32,
    lines: usize,
    customers: usize,
    products: usize,
    categories: usize,
    guest_share: f64,
    return_rate: f64,
    anomalies_per_store: usize,
    yearly_growth: f64,
    taste_share: f64,
) -> PyResult<(PySales, String)> {
    let config = guard(|| {
        Ok(GeneratorConfig {
            seed,
            stores,
            start: convert::iso_date("start", start)?,
            days,
            lines,
            customers,
            products,
            categories,
            guest_share,
            return_rate,
            anomalies_per_store,
            yearly_growth,
            taste_share,
        })
    })?;
    let data = run(py, move || generate(&config))?;
    let labels = convert::json(&Labels {
        products: &data.products,
        anomalies: &data.anomalies,
        closed_days: &data.closed_days,
    })?;
    Ok((PySales::new(data.sales), labels))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(generate_native, m)?)
}
