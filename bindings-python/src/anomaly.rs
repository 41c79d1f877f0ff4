//! `anomaly`: anomalies of a metric series built from sales.

use std::sync::Arc;

use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use storelytics::anomaly::{AnomalyOptions, ClosedDays, detect};
use storelytics::forecast::TimeSeries;

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};
use crate::sales::PySales;

/// An enum option by its lower-case serde name (`"seasonal_esd"`, `"spikes"`, ...).
fn name<T: DeserializeOwned>(parameter: &str, text: &str, allowed: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|_| invalid_parameter(parameter, format!("`{text}` is not one of {allowed}")))
}

/// `anomaly::detect` on `TimeSeries::from_sales`, as JSON (the `AnomalyReport`).
#[pyfunction]
#[pyo3(signature = (
    sales, metric="net_revenue", granularity="day", period=None, store=None, product=None,
    season_length=None, keep_partial_buckets=false, detector="seasonal_esd", sensitivity=0.5,
    direction="both", max_anomalies=0.1, alpha=None, detect_weekly_closed=true, closed_dates=None,
    scale="auto", window=None
))]
#[allow(clippy::too_many_arguments)]
fn detect_json(
    py: Python<'_>,
    sales: &PySales,
    metric: &str,
    granularity: &str,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    product: Option<Bound<'_, PyAny>>,
    season_length: Option<usize>,
    keep_partial_buckets: bool,
    detector: &str,
    sensitivity: f64,
    direction: &str,
    max_anomalies: f64,
    alpha: Option<f64>,
    detect_weekly_closed: bool,
    closed_dates: Option<Vec<String>>,
    scale: &str,
    window: Option<usize>,
) -> PyResult<String> {
    let (series_options, options) = guard(|| {
        let series = convert::series_options(
            metric,
            granularity,
            period,
            store.as_ref(),
            product.as_ref(),
            season_length,
            keep_partial_buckets,
        )?;
        let dates = closed_dates
            .unwrap_or_default()
            .iter()
            .map(|d| convert::iso_date("closed_dates", d))
            .collect::<PyResult<Vec<_>>>()?;
        let options = AnomalyOptions {
            detector: name(
                "detector",
                detector,
                "seasonal_esd, forecast_interval, level_shift, rolling_z_score, rolling_iqr",
            )?,
            sensitivity,
            direction: name("direction", direction, "spikes, drops, both")?,
            max_anomalies,
            alpha,
            closed_days: ClosedDays { detect_weekly: detect_weekly_closed, dates },
            scale: name("scale", scale, "auto, additive, multiplicative")?,
            window,
            ..Default::default()
        };
        Ok((series, options))
    })?;
    let sales = Arc::clone(&sales.inner);
    let report = run(py, move || {
        let series = TimeSeries::from_sales(&sales, &series_options)?;
        detect(&series, &options)
    })?;
    convert::json(&report)
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(detect_json, m)?)
}
