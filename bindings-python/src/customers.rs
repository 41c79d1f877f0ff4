//! `customers`: RFM scores and segments, k-means clusters and lifetime value.

use std::sync::Arc;

use pyo3::prelude::*;
use serde::Serialize;
use storelytics::Id;
use storelytics::customers::{
    ClusterOptions, ClusterProfile, CustomerRfm, LifetimeOptions, LifetimeTable, RfmOptions, RfmTable, SegmentSummary,
    TimeUnit, ValueOptions, cluster_customers, lifetime_value, rfm,
};

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};
use crate::sales::PySales;

/// The RFM table with its segment summary.
#[derive(Serialize)]
struct Answer {
    table: RfmTable,
    summary: Vec<SegmentSummary>,
}

/// An optional ISO date argument.
fn as_of(text: Option<String>) -> PyResult<Option<chrono::NaiveDate>> {
    text.as_deref().map(|d| convert::iso_date("as_of", d)).transpose()
}

/// `customers::rfm` with `RfmTable::segment_summary`, as JSON. Defaults: `RfmOptions::default()`.
#[pyfunction]
#[pyo3(signature = (sales, as_of=None, bins=None))]
fn rfm_json(py: Python<'_>, sales: &PySales, as_of: Option<String>, bins: Option<u8>) -> PyResult<String> {
    let options = guard(|| {
        let d = RfmOptions::default();
        Ok(RfmOptions { as_of: self::as_of(as_of)?, bins: bins.unwrap_or(d.bins), ..d })
    })?;
    let sales = Arc::clone(&sales.inner);
    let answer = run(py, move || {
        let table = rfm(&sales, &options)?;
        let summary = table.segment_summary();
        Ok(Answer { table, summary })
    })?;
    convert::json(&answer)
}

/// One customer's cluster with the RFM values it was computed from.
#[derive(Serialize)]
struct Assignment {
    store: Id,
    customer: Id,
    cluster: usize,
    recency_days: i32,
    frequency: u32,
    monetary: f64,
    monetary_minor: i64,
    features: [f64; 3],
}

/// The clusters of every customer.
#[derive(Serialize)]
struct Clusters {
    k: usize,
    assignments: Vec<Assignment>,
    profiles: Vec<ClusterProfile>,
    silhouettes: Vec<(usize, f64)>,
    notes: Vec<String>,
}

/// `customers::cluster_customers` on the RFM table of `sales` (one store's customers with
/// `store`), as JSON. `None` arguments take `ClusterOptions::default()`.
#[pyfunction]
#[pyo3(signature = (
    sales, k=None, k_range=None, seed=None, runs=None, max_iterations=None, tolerance=None,
    silhouette_sample=None, as_of=None, store=None
))]
#[allow(clippy::too_many_arguments)]
fn cluster_customers_json(
    py: Python<'_>,
    sales: &PySales,
    k: Option<usize>,
    k_range: Option<(usize, usize)>,
    seed: Option<u64>,
    runs: Option<usize>,
    max_iterations: Option<u64>,
    tolerance: Option<f64>,
    silhouette_sample: Option<usize>,
    as_of: Option<String>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (options, rfm_options, store) = guard(|| {
        let d = ClusterOptions::default();
        let options = ClusterOptions {
            k,
            k_range: k_range.unwrap_or(d.k_range),
            seed: seed.unwrap_or(d.seed),
            runs: runs.unwrap_or(d.runs),
            max_iterations: max_iterations.unwrap_or(d.max_iterations),
            tolerance: tolerance.unwrap_or(d.tolerance),
            silhouette_sample: silhouette_sample.unwrap_or(d.silhouette_sample),
        };
        let rfm_options = RfmOptions { as_of: self::as_of(as_of)?, ..Default::default() };
        Ok((options, rfm_options, convert::opt_id("store", store.as_ref())?))
    })?;
    let sales = Arc::clone(&sales.inner);
    let answer = run(py, move || {
        let table = match &store {
            Some(id) => rfm(&sales.for_store(id)?, &rfm_options)?,
            None => rfm(&sales, &rfm_options)?,
        };
        let clusters = cluster_customers(&table, &options)?;
        let assignments = table
            .rows
            .into_iter()
            .zip(clusters.labels)
            .zip(clusters.features)
            .map(|((row, cluster), features): ((CustomerRfm, usize), [f64; 3])| Assignment {
                store: row.store,
                customer: row.customer,
                cluster,
                recency_days: row.recency_days,
                frequency: row.frequency,
                monetary: row.monetary,
                monetary_minor: row.monetary_minor,
                features,
            })
            .collect();
        Ok(Clusters {
            k: clusters.k,
            assignments,
            profiles: clusters.profiles,
            silhouettes: clusters.silhouettes,
            notes: clusters.notes,
        })
    })?;
    convert::json(&answer)
}

/// A time unit by its lower-case name.
fn time_unit(name: &str) -> PyResult<TimeUnit> {
    match name {
        "days" => Ok(TimeUnit::Days),
        "weeks" => Ok(TimeUnit::Weeks),
        other => Err(invalid_parameter("time_unit", format!("`{other}` is not one of days, weeks"))),
    }
}

/// `customers::lifetime_value`, as JSON (the `LifetimeTable`). `None` arguments take
/// `LifetimeOptions::default()`.
#[pyfunction]
#[pyo3(signature = (sales, as_of=None, horizon_months=None, monthly_discount_rate=None, time_unit=None))]
fn lifetime_value_json(
    py: Python<'_>,
    sales: &PySales,
    as_of: Option<String>,
    horizon_months: Option<u32>,
    monthly_discount_rate: Option<f64>,
    time_unit: Option<String>,
) -> PyResult<String> {
    let options = guard(|| {
        let d = ValueOptions::default();
        Ok(LifetimeOptions {
            as_of: self::as_of(as_of)?,
            value: ValueOptions {
                horizon_months: horizon_months.unwrap_or(d.horizon_months),
                monthly_discount_rate: monthly_discount_rate.unwrap_or(d.monthly_discount_rate),
                time_unit: time_unit.as_deref().map(self::time_unit).transpose()?.unwrap_or(d.time_unit),
            },
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let table: LifetimeTable = run(py, move || lifetime_value(&sales, &options))?;
    convert::json(&table)
}

/// The core defaults of the options this module exposes: `rfm` (`RfmOptions` without the
/// segment map), `clusters` (`ClusterOptions`) and `lifetime` (`ValueOptions`).
#[pyfunction]
fn customers_defaults_json() -> PyResult<String> {
    let r = RfmOptions::default();
    convert::json(&serde_json::json!({
        "rfm": {"as_of": r.as_of, "bins": r.bins},
        "clusters": ClusterOptions::default(),
        "lifetime": ValueOptions::default(),
    }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rfm_json, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_customers_json, m)?)?;
    m.add_function(wrap_pyfunction!(lifetime_value_json, m)?)?;
    m.add_function(wrap_pyfunction!(customers_defaults_json, m)?)
}
