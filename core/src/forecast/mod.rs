//! Forecasting: time series built from sales trends and the models that extend them.
//!
//! Every model produces a [`Forecast`]: point forecasts, prediction intervals at the requested
//! levels and a note of how the intervals were obtained. Models work on plain `&[f64]`
//! observations through the [`Forecaster`] trait, so the automatic model choice and the
//! backtests can treat them alike.
//!
//! - [`baseline`]: naive, seasonal naive, random walk with drift, historic mean.
//! - [`ses`]: simple exponential smoothing.
//! - [`theta`]: standard, optimised and dynamic Theta models and `AutoTheta`.
//! - [`mstl`]: several seasonalities (e.g. weekly and yearly) by MSTL decomposition.
//! - [`intermittent`]: Croston, optimised Croston, SBA and TSB for sporadic product demand.
//! - [`conformal`]: intervals from backtest errors for any model.
//! - [`spec`]: every model by name with its options ([`spec::ModelSpec`]), as bindings choose
//!   them, and its forecast with the fitted parameters.
//! - [`backtest`]: rolling-origin evaluation with MASE, sMAPE, RMSE and interval coverage.
//! - [`auto`]: per-series model choice by cross-validation, for many series at once.
//! - [`demand`]: daily demand forecasts for the top products of a [`Sales`](crate::Sales) table.
//!
//! ```
//! use storelytics::forecast::auto::{AutoOptions, auto_forecast};
//! let weekly_pattern = [120.0, 80.0, 85.0, 90.0, 100.0, 150.0, 95.0];
//! let daily_sales: Vec<f64> = (0..120).map(|d| weekly_pattern[d % 7] + d as f64 * 0.2).collect();
//! let choice = auto_forecast(&daily_sales, 7, 14, &AutoOptions::default()).unwrap();
//! println!("{} chosen; 95% interval for tomorrow: {:?}", choice.chosen, choice.forecast.interval(95.0));
//! assert_eq!(choice.forecast.mean.len(), 14);
//! ```

pub mod arima;
pub mod auto;
pub mod backtest;
pub mod baseline;
pub mod conformal;
mod criterion;
pub mod demand;
pub mod ets;
pub(crate) mod input;
pub mod intermittent;
mod intervals;
pub mod mstl;
mod series;
pub mod ses;
pub mod spec;
mod stats;
pub mod theta;

pub use criterion::InformationCriterion;
pub use series::{SeriesOptions, TimeSeries, default_season_length};

use serde::Serialize;

use crate::error::{Error, Result};

/// How the prediction intervals of a [`Forecast`] were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// From the model's own forecast-error distribution (e.g. ARIMA, ETS state space).
    Analytic,
    /// From the empirical distribution of backtest errors (split conformal).
    Conformal,
    /// No intervals were requested.
    None,
}

/// A prediction interval at one coverage level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictionInterval {
    /// Nominal coverage in percent, e.g. `95.0`.
    pub level: f64,
    /// Lower bound per horizon step.
    pub lower: Vec<f64>,
    /// Upper bound per horizon step.
    pub upper: Vec<f64>,
}

/// Point forecasts and intervals for the `horizon` steps after the last observation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Human-readable model description, e.g. `ARIMA(1,1,1)(0,1,1)[7]`.
    pub model: String,
    /// Point forecast (mean) per horizon step.
    pub mean: Vec<f64>,
    /// One interval per requested level, in the order requested.
    pub intervals: Vec<PredictionInterval>,
    /// How `intervals` were obtained.
    pub interval_method: IntervalMethod,
    /// In-sample one-step-ahead fitted values, when the model has them.
    pub fitted: Option<Vec<f64>>,
    /// Documented fallbacks the model had to use (e.g. "series shorter than two seasons:
    /// seasonal component dropped"). Empty when none were needed.
    pub notes: Vec<String>,
}

impl Forecast {
    /// The interval at `level` percent, if it was requested.
    pub fn interval(&self, level: f64) -> Option<&PredictionInterval> {
        self.intervals.iter().find(|i| (i.level - level).abs() < 1e-9)
    }
}

/// Checks interval levels: each strictly between 0 and 100, percent.
pub fn validate_levels(levels: &[f64]) -> Result<()> {
    for &l in levels {
        if !(l > 0.0 && l < 100.0) {
            return Err(Error::invalid_parameter(
                "levels",
                format!("interval level {l} must be a percentage strictly between 0 and 100"),
            ));
        }
    }
    Ok(())
}

/// Checks a forecast horizon: at least one step.
pub fn validate_horizon(horizon: usize) -> Result<()> {
    if horizon == 0 {
        return Err(Error::invalid_parameter("horizon", "must be at least 1"));
    }
    Ok(())
}

/// A forecasting model that can be fitted to a series and extended `horizon` steps.
///
/// Implementations never panic: bad input is an [`Error`], and any fallback the model used is
/// listed in [`Forecast::notes`].
pub trait Forecaster: Send + Sync {
    /// Short model name, e.g. `"AutoARIMA"`, `"AutoETS"`, `"SeasonalNaive"`.
    fn name(&self) -> String;

    /// Fits the model to `y` (regularly spaced, no NaN) with the given season length
    /// (1 = non-seasonal) and forecasts `horizon` steps with intervals at `levels` percent.
    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast>;
}
