//! Forecasting: the series of a metric built from sales, the automatic model choice, every
//! model by name ([`model`]) and rolling-origin backtests.

mod demand;
mod model;

use std::sync::Arc;

use chrono::NaiveDate;
use pyo3::prelude::*;
use serde::Serialize;
use storelytics::forecast::TimeSeries;
use storelytics::forecast::auto::{AutoChoice, AutoOptions, Thoroughness, auto_forecast};
use storelytics::forecast::backtest::BacktestOptions;
use storelytics::forecast::conformal::ConformalOptions;
use storelytics::forecast::spec::ModelSpec;

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};
use crate::sales::PySales;

/// A series built from sales, with its bucket start dates and those of the next buckets.
#[derive(Serialize)]
struct Series {
    label: String,
    granularity: &'static str,
    season_length: usize,
    dates: Vec<NaiveDate>,
    values: Vec<f64>,
}

impl Series {
    fn of(series: &TimeSeries) -> Series {
        Series {
            label: series.label().to_string(),
            granularity: series.granularity().as_str(),
            season_length: series.season_length(),
            dates: (0..series.len()).map(|i| series.bucket_start(i)).collect(),
            values: series.values().to_vec(),
        }
    }
}

/// The automatic choice with the series and the start date of each forecast bucket.
#[derive(Serialize)]
struct Answer {
    series: Series,
    dates: Vec<NaiveDate>,
    choice: AutoChoice,
}

/// A series from sales and the start dates of the `horizon` buckets after it.
#[derive(Serialize)]
struct SeriesAnswer {
    series: Series,
    future_dates: Vec<NaiveDate>,
}

fn thoroughness(text: &str) -> PyResult<Thoroughness> {
    match text {
        "fast" => Ok(Thoroughness::Fast),
        "thorough" => Ok(Thoroughness::Thorough),
        other => Err(invalid_parameter("thoroughness", format!("`{other}` is not one of fast, thorough"))),
    }
}

/// `AutoOptions` from the Python arguments; an argument left `None` takes the core default.
fn auto_options(
    thoroughness: Option<&str>,
    include_arima: Option<bool>,
    route_intermittent: Option<bool>,
    n_windows: Option<usize>,
    step: Option<usize>,
    levels: Option<Vec<f64>>,
) -> PyResult<AutoOptions> {
    let d = AutoOptions::default();
    Ok(AutoOptions {
        thoroughness: thoroughness.map(self::thoroughness).transpose()?.unwrap_or(d.thoroughness),
        include_arima: include_arima.unwrap_or(d.include_arima),
        route_intermittent: route_intermittent.unwrap_or(d.route_intermittent),
        n_windows: n_windows.unwrap_or(d.n_windows),
        step: step.or(d.step),
        levels: levels.unwrap_or(d.levels),
        ..d
    })
}

/// `TimeSeries::from_sales` as JSON, with the start dates of the next `horizon` buckets.
#[pyfunction]
#[pyo3(signature = (
    sales, horizon=0, metric=None, granularity=None, period=None, store=None, product=None,
    season_length=None, keep_partial_buckets=None
))]
#[allow(clippy::too_many_arguments)]
fn series_json(
    py: Python<'_>,
    sales: &PySales,
    horizon: usize,
    metric: Option<&str>,
    granularity: Option<&str>,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    product: Option<Bound<'_, PyAny>>,
    season_length: Option<usize>,
    keep_partial_buckets: Option<bool>,
) -> PyResult<String> {
    let options = guard(|| {
        convert::series_options(
            metric,
            granularity,
            period,
            store.as_ref(),
            product.as_ref(),
            season_length,
            keep_partial_buckets,
        )
    })?;
    let sales = Arc::clone(&sales.inner);
    let answer = run(py, move || {
        let series = TimeSeries::from_sales(&sales, &options)?;
        let n = series.len();
        let future_dates = (n..n + horizon).map(|i| series.bucket_start(i)).collect();
        Ok(SeriesAnswer { series: Series::of(&series), future_dates })
    })?;
    convert::json(&answer)
}

/// The automatic choice (`forecast::auto::auto_forecast`) on `TimeSeries::from_sales`, as JSON.
/// Arguments left `None` take the core defaults (`SeriesOptions`, `AutoOptions`).
#[pyfunction]
#[pyo3(signature = (
    sales, horizon, metric=None, granularity=None, period=None, store=None, product=None,
    season_length=None, keep_partial_buckets=None, thoroughness=None, include_arima=None,
    route_intermittent=None, n_windows=None, step=None, levels=None
))]
#[allow(clippy::too_many_arguments)]
fn forecast_json(
    py: Python<'_>,
    sales: &PySales,
    horizon: usize,
    metric: Option<&str>,
    granularity: Option<&str>,
    period: Option<(String, String)>,
    store: Option<Bound<'_, PyAny>>,
    product: Option<Bound<'_, PyAny>>,
    season_length: Option<usize>,
    keep_partial_buckets: Option<bool>,
    thoroughness: Option<&str>,
    include_arima: Option<bool>,
    route_intermittent: Option<bool>,
    n_windows: Option<usize>,
    step: Option<usize>,
    levels: Option<Vec<f64>>,
) -> PyResult<String> {
    let (series_options, auto_options) = guard(|| {
        let series = convert::series_options(
            metric,
            granularity,
            period,
            store.as_ref(),
            product.as_ref(),
            season_length,
            keep_partial_buckets,
        )?;
        let auto = auto_options(thoroughness, include_arima, route_intermittent, n_windows, step, levels)?;
        Ok((series, auto))
    })?;
    let sales = Arc::clone(&sales.inner);
    let answer = run(py, move || {
        let series = TimeSeries::from_sales(&sales, &series_options)?;
        let choice = auto_forecast(series.values(), series.season_length(), horizon, &auto_options)?;
        let n = series.len();
        let dates = (n..n + choice.forecast.mean.len()).map(|i| series.bucket_start(i)).collect();
        Ok(Answer { series: Series::of(&series), dates, choice })
    })?;
    convert::json(&answer)
}

/// The core defaults of the forecasting options the Python layer exposes: the series
/// (`SeriesOptions`), the automatic choice (`AutoOptions`), backtests (`BacktestOptions`),
/// conformal intervals (`ConformalOptions`), product demand (`DemandOptions` without its
/// `auto` part) and every model (`ModelSpec`, by name).
#[pyfunction]
fn forecast_defaults_json() -> PyResult<String> {
    let auto = AutoOptions::default();
    let backtest = BacktestOptions::default();
    let conformal = ConformalOptions::default();
    let thoroughness = match auto.thoroughness {
        Thoroughness::Fast => "fast",
        Thoroughness::Thorough => "thorough",
    };
    let models: serde_json::Map<String, serde_json::Value> = ModelSpec::all()
        .iter()
        .map(|m| {
            Ok((m.key().to_string(), serde_json::to_value(m).map_err(|e| invalid_parameter("model", e.to_string()))?))
        })
        .collect::<PyResult<_>>()?;
    convert::json(&serde_json::json!({
        "series": convert::series_defaults(),
        "auto": {
            "thoroughness": thoroughness,
            "include_arima": auto.include_arima,
            "route_intermittent": auto.route_intermittent,
            "n_windows": auto.n_windows,
            "step": auto.step,
            "levels": auto.levels,
        },
        "backtest": {
            "horizon": backtest.horizon,
            "step": backtest.step,
            "n_windows": backtest.n_windows,
            "levels": backtest.levels,
        },
        "conformal": { "n_windows": conformal.n_windows, "step": conformal.step },
        "demand": demand::defaults(),
        "models": models,
    }))
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(series_json, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_json, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_defaults_json, m)?)?;
    demand::register(m)?;
    model::register(m)
}
