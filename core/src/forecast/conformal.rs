//! Conformal prediction intervals from rolling-origin backtest errors.
//!
//! For each of `n_windows` forecast origins (the last `horizon` observations, then `step`
//! observations earlier each time) the model is refitted on the data before the origin and
//! its absolute errors are recorded per horizon step. The interval at level `L` for step `h`
//! is the point forecast ± the `⌈(W+1)·L/100⌉`-th smallest of the `W` absolute errors at step
//! `h` (split conformal; the largest error when `W` is too small for the level).

use super::input::check_inputs;
use super::{Forecast, Forecaster, IntervalMethod, PredictionInterval};
use crate::error::{Error, Result};

/// How many backtest windows the conformal intervals use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConformalOptions {
    /// Number of forecast origins (default 20). Fewer are used when the series is short,
    /// but at least 2.
    pub n_windows: usize,
    /// Observations between consecutive origins (default 1).
    pub step: usize,
}

impl Default for ConformalOptions {
    fn default() -> Self {
        ConformalOptions { n_windows: 20, step: 1 }
    }
}

/// Shortest training part a backtest window may have.
pub(crate) fn min_train(season_length: usize) -> usize {
    (2 * season_length).clamp(3, 30).max(season_length + 1)
}

/// Absolute errors per window (outer) and horizon step (inner) of the point forecasts of
/// `point`, refitted at each origin. Windows whose fit fails are skipped.
fn window_errors(
    point: &dyn Fn(&[f64]) -> Result<Vec<f64>>,
    y: &[f64],
    season_length: usize,
    horizon: usize,
    options: ConformalOptions,
) -> Vec<Vec<f64>> {
    let n = y.len();
    let step = options.step.max(1);
    let mut errors = Vec::new();
    for w in 0..options.n_windows.max(2) {
        let Some(origin) = n.checked_sub(horizon + w * step) else { break };
        if origin < min_train(season_length) {
            break;
        }
        if let Ok(fc) = point(&y[..origin]) {
            let e: Vec<f64> = fc.iter().zip(&y[origin..origin + horizon]).map(|(f, a)| (a - f).abs()).collect();
            if e.len() == horizon && e.iter().all(|v| v.is_finite()) {
                errors.push(e);
            }
        }
    }
    errors
}

/// Conformal intervals around `mean` from the backtest errors of `point`.
pub(crate) fn conformal_intervals(
    point: &dyn Fn(&[f64]) -> Result<Vec<f64>>,
    y: &[f64],
    season_length: usize,
    mean: &[f64],
    levels: &[f64],
    options: ConformalOptions,
) -> Result<Vec<PredictionInterval>> {
    let horizon = mean.len();
    let errors = window_errors(point, y, season_length, horizon, options);
    if errors.len() < 2 {
        return Err(Error::insufficient_data(
            "conformal prediction intervals",
            format!(
                "needs at least {} observations for two backtest windows of {horizon} steps, got {}",
                min_train(season_length) + horizon + options.step.max(1),
                y.len()
            ),
        ));
    }
    let w = errors.len();
    let mut intervals = Vec::with_capacity(levels.len());
    for &level in levels {
        let rank = (((w + 1) as f64) * level / 100.0).ceil() as usize;
        let k = rank.clamp(1, w) - 1;
        let mut lower = Vec::with_capacity(horizon);
        let mut upper = Vec::with_capacity(horizon);
        for h in 0..horizon {
            let mut col: Vec<f64> = errors.iter().map(|e| e[h]).collect();
            col.sort_by(f64::total_cmp);
            lower.push(mean[h] - col[k]);
            upper.push(mean[h] + col[k]);
        }
        intervals.push(PredictionInterval { level, lower, upper });
    }
    Ok(intervals)
}

/// Wraps any model and replaces its intervals by conformal intervals from rolling-origin
/// backtest errors.
///
/// ```
/// use storelytics::forecast::{Forecaster, IntervalMethod, baseline::Naive, conformal::Conformal};
/// let y: Vec<f64> = (0..40).map(|i| (i % 5) as f64).collect();
/// let f = Conformal::new(Naive).fit_predict(&y, 1, 3, &[90.0]).unwrap();
/// assert_eq!(f.interval_method, IntervalMethod::Conformal);
/// ```
#[derive(Debug, Clone)]
pub struct Conformal<F> {
    /// The model whose point forecasts are used.
    pub model: F,
    /// Backtest windows.
    pub options: ConformalOptions,
}

impl<F: Forecaster> Conformal<F> {
    /// Conformal intervals for `model` with default windows.
    pub fn new(model: F) -> Self {
        Conformal { model, options: ConformalOptions::default() }
    }
}

impl<F: Forecaster> Forecaster for Conformal<F> {
    fn name(&self) -> String {
        self.model.name()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        check_inputs(&self.model.name(), y, season_length, horizon, levels)?;
        let mut forecast = self.model.fit_predict(y, season_length, horizon, &[])?;
        if levels.is_empty() {
            return Ok(forecast);
        }
        let point = |train: &[f64]| self.model.fit_predict(train, season_length, horizon, &[]).map(|f| f.mean);
        forecast.intervals = conformal_intervals(&point, y, season_length, &forecast.mean, levels, self.options)?;
        forecast.interval_method = IntervalMethod::Conformal;
        Ok(forecast)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::baseline::HistoricMean;

    #[test]
    fn conformal_width_is_an_order_statistic_of_backtest_errors() {
        // Mean of a 0/10 alternating series: errors are about 5 at every origin.
        let y: Vec<f64> = (0..30).map(|i| if i % 2 == 0 { 0.0 } else { 10.0 }).collect();
        let f = Conformal::new(HistoricMean).fit_predict(&y, 1, 2, &[80.0]).unwrap();
        let i = f.interval(80.0).unwrap();
        let half = i.upper[0] - f.mean[0];
        assert!(half > 4.0 && half < 6.0, "{half}");
        assert!((f.mean[0] - i.lower[0] - half).abs() < 1e-12);
    }

    #[test]
    fn too_short_series_gives_typed_error() {
        let e = Conformal::new(HistoricMean).fit_predict(&[1.0, 2.0, 3.0], 1, 2, &[95.0]).unwrap_err();
        assert_eq!(e.kind(), "insufficient_data");
    }
}
