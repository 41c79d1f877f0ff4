//! `anomaly`: anomalies of a metric series built from sales.

use std::sync::Arc;

use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use storelytics::anomaly::{AnomalyOptions, detect};
use storelytics::forecast::TimeSeries;

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};
use crate::sales::PySales;

/// An enum option by its lower-case serde name (`"seasonal_esd"`, `"spikes"`, ...).
fn name<T: DeserializeOwned>(parameter: &str, text: &str, allowed: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|_| invalid_parameter(parameter, format!("`{text}` is not one of {allowed}")))
}

/// `anomaly::detect` on `TimeSeries::from_sales`, as JSON (the `AnomalyReport`). Arguments left
/// `None` take the core defaults (`SeriesOptions`, `AnomalyOptions`).
#[pyfunction]
#[pyo3(signature = (
    sales, metric=None, granularity=None, period=None, store=None, product=None,
    season_length=None, keep_partial_buckets=None, detector=None, sensitivity=None,
    direction=None, max_anomalies=None, alpha=None, detect_weekly_closed=None, closed_dates=None,
    scale=None, window=None
))]
#[allow(clippy::too_many_arguments)]
fn detect_json(
    py: Python<'_>,
    sales: &PySales,
    metric: Option<&str>,
    granularity: Option<&str>,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    product: Option<Bound<'_, PyAny>>,
    season_length: Option<usize>,
    keep_partial_buckets: Option<bool>,
    detector: Option<&str>,
    sensitivity: Option<f64>,
    direction: Option<&str>,
    max_anomalies: Option<f64>,
    alpha: Option<f64>,
    detect_weekly_closed: Option<bool>,
    closed_dates: Option<Vec<String>>,
    scale: Option<&str>,
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
        let d = AnomalyOptions::default();
        let mut closed_days = d.closed_days.clone();
        if let Some(weekly) = detect_weekly_closed {
            closed_days.detect_weekly = weekly;
        }
        if let Some(dates) = closed_dates {
            closed_days.dates =
                dates.iter().map(|d| convert::iso_date("closed_dates", d)).collect::<PyResult<Vec<_>>>()?;
        }
        let options = AnomalyOptions {
            detector: detector
                .map(|t| {
                    name("detector", t, "seasonal_esd, forecast_interval, level_shift, rolling_z_score, rolling_iqr")
                })
                .transpose()?
                .unwrap_or(d.detector),
            sensitivity: sensitivity.unwrap_or(d.sensitivity),
            direction: direction
                .map(|t| name("direction", t, "spikes, drops, both"))
                .transpose()?
                .unwrap_or(d.direction),
            max_anomalies: max_anomalies.unwrap_or(d.max_anomalies),
            alpha: alpha.or(d.alpha),
            closed_days,
            scale: scale.map(|t| name("scale", t, "auto, additive, multiplicative")).transpose()?.unwrap_or(d.scale),
            window: window.or(d.window),
            ..d
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

/// The core defaults of the options `detect_anomalies` exposes (`SeriesOptions`,
/// `AnomalyOptions`).
#[pyfunction]
fn anomaly_defaults_json() -> PyResult<String> {
    let d = AnomalyOptions::default();
    convert::json(&serde_json::json!({
        "series": convert::series_defaults(),
        "detector": d.detector,
        "sensitivity": d.sensitivity,
        "direction": d.direction,
        "max_anomalies": d.max_anomalies,
        "alpha": d.alpha,
        "detect_weekly_closed": d.closed_days.detect_weekly,
        "closed_dates": d.closed_days.dates,
        "scale": d.scale,
        "window": d.window,
    }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(detect_json, m)?)?;
    m.add_function(wrap_pyfunction!(anomaly_defaults_json, m)?)
}
