//! Every forecasting model by name (`forecast::spec::ModelSpec`) on a plain series: one
//! forecast with the fitted parameters, or rolling-origin backtests of several models.

use pyo3::prelude::*;
use storelytics::forecast::auto::AutoOptions;
use storelytics::forecast::backtest::BacktestOptions;
use storelytics::forecast::conformal::ConformalOptions;
use storelytics::forecast::spec::{Intervals, ModelSpec, backtest_models, forecast_model};

use crate::convert;
use crate::errors::{guard, invalid_parameter, run};

/// A model spec from its JSON (`{"name": "auto_ets", ...}`), built by the Python layer.
fn spec(text: &str) -> PyResult<ModelSpec> {
    serde_json::from_str(text).map_err(|e| invalid_parameter("model", format!("not a model specification: {e}")))
}

/// Where the intervals come from: `"model"` or `"conformal"` with its windows; `None` arguments
/// take the core defaults (`Intervals::default()`, `ConformalOptions::default()`).
fn intervals(kind: Option<&str>, n_windows: Option<usize>, step: Option<usize>) -> PyResult<Intervals> {
    let d = ConformalOptions::default();
    let conformal = Intervals::Conformal(ConformalOptions {
        n_windows: n_windows.unwrap_or(d.n_windows),
        step: step.unwrap_or(d.step),
    });
    match kind {
        None => Ok(Intervals::default()),
        Some("model") => Ok(Intervals::Model),
        Some("conformal") => Ok(conformal),
        Some(other) => Err(invalid_parameter("intervals", format!("`{other}` is not one of model, conformal"))),
    }
}

/// `forecast::spec::forecast_model` as JSON (`ModelForecast`: the forecast and the parameters).
#[pyfunction]
#[pyo3(signature = (
    values, season_length, model, horizon, levels=None, intervals=None, conformal_windows=None,
    conformal_step=None
))]
#[allow(clippy::too_many_arguments)]
fn forecast_model_json(
    py: Python<'_>,
    values: Vec<f64>,
    season_length: usize,
    model: &str,
    horizon: usize,
    levels: Option<Vec<f64>>,
    intervals: Option<&str>,
    conformal_windows: Option<usize>,
    conformal_step: Option<usize>,
) -> PyResult<String> {
    let (spec, intervals) =
        guard(|| Ok((self::spec(model)?, self::intervals(intervals, conformal_windows, conformal_step)?)))?;
    let levels = levels.unwrap_or_else(|| AutoOptions::default().levels);
    let answer = run(py, move || forecast_model(&spec, &values, season_length, horizon, &levels, intervals))?;
    convert::json(&answer)
}

/// `forecast::spec::backtest_models` as JSON (one `ModelBacktest` per model, in order).
/// `models` is a JSON array of model specs; `None` arguments take `BacktestOptions::default()`.
#[pyfunction]
#[pyo3(signature = (
    values, season_length, models, horizon=None, step=None, n_windows=None, levels=None,
    intervals=None, conformal_windows=None, conformal_step=None
))]
#[allow(clippy::too_many_arguments)]
fn backtest_json(
    py: Python<'_>,
    values: Vec<f64>,
    season_length: usize,
    models: &str,
    horizon: Option<usize>,
    step: Option<usize>,
    n_windows: Option<usize>,
    levels: Option<Vec<f64>>,
    intervals: Option<&str>,
    conformal_windows: Option<usize>,
    conformal_step: Option<usize>,
) -> PyResult<String> {
    let (specs, options, intervals) = guard(|| {
        let specs: Vec<ModelSpec> = serde_json::from_str(models)
            .map_err(|e| invalid_parameter("models", format!("not a list of model specifications: {e}")))?;
        let d = BacktestOptions::default();
        let options = BacktestOptions {
            horizon: horizon.unwrap_or(d.horizon),
            step: step.unwrap_or(d.step),
            n_windows: n_windows.unwrap_or(d.n_windows),
            levels: levels.unwrap_or(d.levels),
        };
        Ok((specs, options, self::intervals(intervals, conformal_windows, conformal_step)?))
    })?;
    let answer = run(py, move || backtest_models(&specs, &values, season_length, &options, intervals))?;
    convert::json(&answer)
}

/// Registers this module's functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(forecast_model_json, m)?)?;
    m.add_function(wrap_pyfunction!(backtest_json, m)?)
}
