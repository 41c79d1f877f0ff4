//! `customers`: RFM scores and segments, k-means clusters and lifetime value.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3_polars::PyDataFrame;
use serde::Serialize;
use storelytics::customers::{
    ClusterOptions, ClusterProfile, CustomerRfm, LifetimeOptions, LifetimeTable, RfmOptions, SegmentMap, SegmentRule,
    SegmentSummary, StoreRfm, TimeUnit, ValueOptions, cluster_customers, lifetime_value, rfm,
};
use storelytics::polars::prelude::{Column, DataFrame, PolarsResult};
use storelytics::sales::io;

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};
use crate::frames;
use crate::sales::PySales;

/// What the RFM table holds besides its rows, with the segment summary.
#[derive(Serialize)]
struct RfmFacts {
    stores: Vec<StoreRfm>,
    segments: SegmentMap,
    bins: u8,
    money_scale: u32,
    notes: Vec<String>,
    summary: Vec<SegmentSummary>,
}

/// The RFM rows as a polars frame, columns as in `CustomerRfm`.
fn rfm_frame(rows: &[CustomerRfm]) -> PolarsResult<DataFrame> {
    let segments: Vec<&str> = rows.iter().map(|r| r.segment.name()).collect();
    DataFrame::new_infer_height(vec![
        io::id_column("store", rows.iter().map(|r| Some(r.store.clone())).collect()),
        io::id_column("customer", rows.iter().map(|r| Some(r.customer.clone())).collect()),
        frames::int_column("recency_days", rows.iter().map(|r| r.recency_days)),
        frames::int_column("frequency", rows.iter().map(|r| r.frequency)),
        frames::int_column("monetary_minor", rows.iter().map(|r| r.monetary_minor)),
        frames::float_column("monetary", rows.iter().map(|r| r.monetary)),
        frames::date_column("first_purchase", rows.iter().map(|r| r.first_purchase))?,
        frames::date_column("last_purchase", rows.iter().map(|r| r.last_purchase))?,
        frames::int_column("tenure_days", rows.iter().map(|r| r.tenure_days)),
        frames::float_column("average_order_value", rows.iter().map(|r| r.average_order_value)),
        frames::int_column("recency_score", rows.iter().map(|r| r.recency_score)),
        frames::int_column("frequency_score", rows.iter().map(|r| r.frequency_score)),
        frames::int_column("monetary_score", rows.iter().map(|r| r.monetary_score)),
        Column::new("segment".into(), segments),
    ])
}

/// An optional ISO date argument.
fn as_of(text: Option<String>) -> PyResult<Option<chrono::NaiveDate>> {
    text.as_deref().map(|d| convert::iso_date("as_of", d)).transpose()
}

/// `customers::rfm`: the rows as a polars frame (built here, so a large table does not travel
/// as JSON) and the rest of the `RfmTable` with `RfmTable::segment_summary` as JSON.
/// `segments` is the JSON of a list of `SegmentRule`s (`{"segment", "recency", "frequency",
/// "monetary"}`, inclusive score ranges), in priority order. Defaults: `RfmOptions::default()`.
#[pyfunction]
#[pyo3(signature = (sales, as_of=None, bins=None, segments=None))]
fn rfm_frames(
    py: Python<'_>,
    sales: &PySales,
    as_of: Option<String>,
    bins: Option<u8>,
    segments: Option<String>,
) -> PyResult<(PyDataFrame, String)> {
    let options = guard(|| {
        let d = RfmOptions::default();
        let segments = match segments {
            Some(text) => SegmentMap {
                rules: serde_json::from_str::<Vec<SegmentRule>>(&text)
                    .map_err(|e| invalid_parameter("segments", format!("not a list of segment rules: {e}")))?,
            },
            None => d.segments,
        };
        Ok(RfmOptions { as_of: self::as_of(as_of)?, bins: bins.unwrap_or(d.bins), segments })
    })?;
    let sales = Arc::clone(&sales.inner);
    let (frame, facts) = run(py, move || {
        let table = rfm(&sales, &options)?;
        let summary = table.segment_summary();
        let frame = rfm_frame(&table.rows).map_err(frames::frame_error)?;
        let facts = RfmFacts {
            stores: table.stores,
            segments: table.segments,
            bins: table.bins,
            money_scale: table.money_scale,
            notes: table.notes,
            summary,
        };
        Ok((frame, facts))
    })?;
    Ok((PyDataFrame(frame), convert::json(&facts)?))
}

/// The clusters apart from the per-customer assignments.
#[derive(Serialize)]
struct ClusterFacts {
    k: usize,
    profiles: Vec<ClusterProfile>,
    silhouettes: Vec<(usize, f64)>,
    notes: Vec<String>,
}

/// One row per customer: its cluster, the RFM values and the standardised features.
fn assignment_frame(rows: &[CustomerRfm], labels: &[usize], features: &[[f64; 3]]) -> PolarsResult<DataFrame> {
    let feature = |name: &str, i: usize| frames::float_column(name, features.iter().map(|f| f[i]));
    DataFrame::new_infer_height(vec![
        io::id_column("store", rows.iter().map(|r| Some(r.store.clone())).collect()),
        io::id_column("customer", rows.iter().map(|r| Some(r.customer.clone())).collect()),
        frames::int_column("cluster", labels.iter().map(|&l| l as i64)),
        frames::int_column("recency_days", rows.iter().map(|r| r.recency_days)),
        frames::int_column("frequency", rows.iter().map(|r| r.frequency)),
        frames::float_column("monetary", rows.iter().map(|r| r.monetary)),
        frames::int_column("monetary_minor", rows.iter().map(|r| r.monetary_minor)),
        feature("recency_feature", 0),
        feature("frequency_feature", 1),
        feature("monetary_feature", 2),
    ])
}

/// `customers::cluster_customers` on the RFM table of `sales` (one store's customers with
/// `store`): the assignments as a polars frame, the rest as JSON. `None` arguments take `ClusterOptions::default()`.
#[pyfunction]
#[pyo3(signature = (
    sales, k=None, k_range=None, seed=None, runs=None, max_iterations=None, tolerance=None,
    silhouette_sample=None, as_of=None, store=None
))]
#[allow(clippy::too_many_arguments)]
fn cluster_customers_frames(
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
) -> PyResult<(PyDataFrame, String)> {
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
    let (frame, facts) = run(py, move || {
        let table = match &store {
            Some(id) => rfm(&sales.for_store(id)?, &rfm_options)?,
            None => rfm(&sales, &rfm_options)?,
        };
        let clusters = cluster_customers(&table, &options)?;
        let frame = assignment_frame(&table.rows, &clusters.labels, &clusters.features).map_err(frames::frame_error)?;
        let facts = ClusterFacts {
            k: clusters.k,
            profiles: clusters.profiles,
            silhouettes: clusters.silhouettes,
            notes: clusters.notes,
        };
        Ok((frame, facts))
    })?;
    Ok((PyDataFrame(frame), convert::json(&facts)?))
}

/// A time unit by its lower-case name.
pub(crate) fn time_unit(name: &str) -> PyResult<TimeUnit> {
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
/// segment map), `segments` (the rules of the default `SegmentMap`), `clusters`
/// (`ClusterOptions`) and `lifetime` (`ValueOptions`).
#[pyfunction]
fn customers_defaults_json() -> PyResult<String> {
    let r = RfmOptions::default();
    convert::json(&serde_json::json!({
        "rfm": {"as_of": r.as_of, "bins": r.bins},
        "segments": r.segments.rules,
        "clusters": ClusterOptions::default(),
        "lifetime": ValueOptions::default(),
    }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rfm_frames, m)?)?;
    m.add_function(wrap_pyfunction!(cluster_customers_frames, m)?)?;
    m.add_function(wrap_pyfunction!(lifetime_value_json, m)?)?;
    m.add_function(wrap_pyfunction!(customers_defaults_json, m)?)
}
