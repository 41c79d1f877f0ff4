//! Demand forecasts of the top products (`forecast::demand`): daily net units per product and
//! the automatic model choice on each.

use std::sync::Arc;

use pyo3::prelude::*;
use storelytics::forecast::demand::{DemandOptions, product_daily_units, top_product_demand};

use super::auto_options;
use crate::convert;
use crate::errors::{guard, run};
use crate::sales::PySales;

/// `DemandOptions` without its automatic-choice part; `None` takes the core default.
fn demand_options(
    top_n: Option<usize>,
    horizon: Option<usize>,
    period: Option<(String, String)>,
    store: Option<&Bound<'_, PyAny>>,
) -> PyResult<DemandOptions> {
    let d = DemandOptions::default();
    Ok(DemandOptions {
        top_n: top_n.unwrap_or(d.top_n),
        horizon: horizon.unwrap_or(d.horizon),
        period: convert::period("period", period)?,
        store: convert::opt_id("store", store)?,
        ..d
    })
}

/// `forecast::demand::product_daily_units` as JSON (a list of `ProductDemand`).
#[pyfunction]
#[pyo3(signature = (sales, top_n=None, period=None, store=None))]
fn product_daily_units_json(
    py: Python<'_>,
    sales: &PySales,
    top_n: Option<usize>,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
) -> PyResult<String> {
    let options = guard(|| demand_options(top_n, None, period, store.as_ref()))?;
    let sales = Arc::clone(&sales.inner);
    let demand = run(py, move || product_daily_units(&sales, &options))?;
    convert::json(&demand)
}

/// `forecast::demand::top_product_demand` as JSON (a list of `ProductDemandForecast`).
/// Arguments left `None` take `DemandOptions::default()` (with `AutoOptions::default()`).
#[pyfunction]
#[pyo3(signature = (
    sales, top_n=None, horizon=None, period=None, store=None, thoroughness=None, include_arima=None,
    route_intermittent=None, n_windows=None, step=None, levels=None
))]
#[allow(clippy::too_many_arguments)]
fn top_product_demand_json(
    py: Python<'_>,
    sales: &PySales,
    top_n: Option<usize>,
    horizon: Option<usize>,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    thoroughness: Option<&str>,
    include_arima: Option<bool>,
    route_intermittent: Option<bool>,
    n_windows: Option<usize>,
    step: Option<usize>,
    levels: Option<Vec<f64>>,
) -> PyResult<String> {
    let options = guard(|| {
        Ok(DemandOptions {
            auto: auto_options(thoroughness, include_arima, route_intermittent, n_windows, step, levels)?,
            ..demand_options(top_n, horizon, period, store.as_ref())?
        })
    })?;
    let sales = Arc::clone(&sales.inner);
    let forecasts = run(py, move || top_product_demand(&sales, &options))?;
    convert::json(&forecasts)
}

/// The defaults of `DemandOptions` apart from `auto` (the `auto` section of the forecast defaults).
pub(super) fn defaults() -> serde_json::Value {
    let d = DemandOptions::default();
    serde_json::json!({ "top_n": d.top_n, "horizon": d.horizon, "period": null, "store": null })
}

/// Registers this module's functions.
pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(product_daily_units_json, m)?)?;
    m.add_function(wrap_pyfunction!(top_product_demand_json, m)?)
}
