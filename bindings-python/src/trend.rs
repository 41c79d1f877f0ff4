//! `trend`: a metric by calendar bucket.

use std::sync::Arc;

use pyo3::prelude::*;
use storelytics::trend::{TrendOptions, trend};

use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

/// The trend as JSON (the Python layer builds `storelytics.Trend` from it).
#[pyfunction]
#[pyo3(signature = (sales, metric=None, granularity=None, period=None, store=None, moving_average=None))]
fn trend_json(
    py: Python<'_>,
    sales: &PySales,
    metric: Option<&str>,
    granularity: Option<&str>,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    moving_average: Option<usize>,
) -> PyResult<String> {
    let options = guard(|| {
        let d = TrendOptions::default();
        Ok(TrendOptions {
            metric: metric.map(convert::parse).transpose()?.unwrap_or(d.metric),
            granularity: granularity.map(convert::parse).transpose()?.unwrap_or(d.granularity),
            period: convert::period("period", period)?,
            store: convert::opt_id("store", store.as_ref())?,
            moving_average: moving_average.unwrap_or(d.moving_average),
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let result = run(py, move || trend(&sales, &options))?;
    convert::json(&result)
}

/// The core defaults of `TrendOptions` that `trend` exposes.
#[pyfunction]
fn trend_defaults_json() -> PyResult<String> {
    let d = TrendOptions::default();
    convert::json(&serde_json::json!({
        "metric": d.metric,
        "granularity": d.granularity,
        "moving_average": d.moving_average,
    }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(trend_json, m)?)?;
    m.add_function(wrap_pyfunction!(trend_defaults_json, m)?)
}
