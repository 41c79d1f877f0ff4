//! `trend`: a metric by calendar bucket.

use std::sync::Arc;

use pyo3::prelude::*;
use storelytics::trend::{TrendOptions, trend};

use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

/// The trend as JSON (the Python layer builds `storelytics.Trend` from it).
#[pyfunction]
#[pyo3(signature = (sales, metric="net_revenue", granularity="day", period=None, store=None, moving_average=7))]
fn trend_json(
    py: Python<'_>,
    sales: &PySales,
    metric: &str,
    granularity: &str,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    moving_average: usize,
) -> PyResult<String> {
    let options = guard(|| {
        Ok(TrendOptions {
            metric: convert::parse(metric)?,
            granularity: convert::parse(granularity)?,
            period: convert::period("period", period)?,
            store: convert::opt_id("store", store.as_ref())?,
            moving_average,
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let result = run(py, move || trend(&sales, &options))?;
    convert::json(&result)
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(trend_json, m)?)
}
