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
/// `None` arguments take `GeneratorConfig::default()`.
#[pyfunction]
#[pyo3(signature = (
    seed=None, stores=None, start=None, days=None, lines=None, customers=None, products=None,
    categories=None, guest_share=None, return_rate=None, anomalies_per_store=None, yearly_growth=None,
    taste_share=None,
))]
#[allow(clippy::too_many_arguments)]
fn generate_native(
    py: Python<'_>,
    seed: Option<u64>,
    stores: Option<usize>,
    start: Option<&str>,
    days: Option<u32>,
    lines: Option<usize>,
    customers: Option<usize>,
    products: Option<usize>,
    categories: Option<usize>,
    guest_share: Option<f64>,
    return_rate: Option<f64>,
    anomalies_per_store: Option<usize>,
    yearly_growth: Option<f64>,
    taste_share: Option<f64>,
) -> PyResult<(PySales, String)> {
    let config = guard(|| {
        let d = GeneratorConfig::default();
        Ok(GeneratorConfig {
            seed: seed.unwrap_or(d.seed),
            stores: stores.unwrap_or(d.stores),
            start: start.map(|s| convert::iso_date("start", s)).transpose()?.unwrap_or(d.start),
            days: days.unwrap_or(d.days),
            lines: lines.unwrap_or(d.lines),
            customers: customers.unwrap_or(d.customers),
            products: products.unwrap_or(d.products),
            categories: categories.unwrap_or(d.categories),
            guest_share: guest_share.unwrap_or(d.guest_share),
            return_rate: return_rate.unwrap_or(d.return_rate),
            anomalies_per_store: anomalies_per_store.unwrap_or(d.anomalies_per_store),
            yearly_growth: yearly_growth.unwrap_or(d.yearly_growth),
            taste_share: taste_share.unwrap_or(d.taste_share),
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

/// `GeneratorConfig::default()` as JSON (every field; `start` as an ISO date).
#[pyfunction]
fn generator_defaults_json() -> PyResult<String> {
    let GeneratorConfig {
        seed,
        stores,
        start,
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
    } = GeneratorConfig::default();
    convert::json(&serde_json::json!({
        "seed": seed, "stores": stores, "start": start, "days": days, "lines": lines, "customers": customers,
        "products": products, "categories": categories, "guest_share": guest_share, "return_rate": return_rate,
        "anomalies_per_store": anomalies_per_store, "yearly_growth": yearly_growth, "taste_share": taste_share,
    }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(generate_native, m)?)?;
    m.add_function(wrap_pyfunction!(generator_defaults_json, m)?)
}
