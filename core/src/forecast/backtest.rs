//! Rolling-origin backtests: refit at several forecast origins and score the forecasts
//! against what happened.
//!
//! Window `w` (0 = latest) trains on `y[..n − horizon − w·step]` and forecasts the next
//! `horizon` observations. Scores pool all windows:
//! - **MASE**: mean absolute error divided by the in-sample mean absolute seasonal-naive error
//!   of each window's training part (lag `season_length`, lag 1 when the training part is not
//!   longer than a season), averaged over windows. When that scale is zero (a constant training
//!   part) the mean absolute value of the training part is used, and 1 when that is zero too.
//! - **sMAPE** in percent (0–200): `200 · |y − ŷ| / (|y| + |ŷ|)`, terms with `y = ŷ = 0` count 0.
//! - **RMSE**: root mean squared error.
//! - **coverage** per requested level: share of actual values inside the interval.

use serde::Serialize;

use super::{Forecaster, validate_horizon, validate_levels};
use crate::error::{Error, Result};

/// Rolling-origin settings.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestOptions {
    /// Steps forecast at each origin (default 7).
    pub horizon: usize,
    /// Observations between consecutive origins (default 7).
    pub step: usize,
    /// Number of origins (default 3).
    pub n_windows: usize,
    /// Interval levels whose coverage is scored (default `[80, 95]`).
    pub levels: Vec<f64>,
}

impl Default for BacktestOptions {
    fn default() -> Self {
        BacktestOptions { horizon: 7, step: 7, n_windows: 3, levels: vec![80.0, 95.0] }
    }
}

/// Observed share of actual values inside the intervals at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Nominal level in percent.
    pub level: f64,
    /// Observed coverage as a fraction (0–1).
    pub coverage: f64,
}

/// Accuracy of one model on one series over all windows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestScores {
    /// Mean absolute scaled error (see the module docs).
    pub mase: f64,
    /// Symmetric mean absolute percentage error, percent (0–200).
    pub smape: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Interval coverage per requested level (empty when the model gave no intervals).
    pub coverage: Vec<Coverage>,
}

/// Forecasts of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestWindow {
    /// Index of the first forecast observation (= length of the training part).
    pub origin: usize,
    /// Point forecasts.
    pub forecast: Vec<f64>,
    /// What happened.
    pub actual: Vec<f64>,
}

/// Backtest of one model on one series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelBacktest {
    /// The model's name.
    pub model: String,
    /// Scores, or `None` when the model failed in some window.
    pub scores: Option<BacktestScores>,
    /// Why the model failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The windows, oldest first.
    pub windows: Vec<BacktestWindow>,
}

/// Training lengths (origins) of the windows, oldest first.
pub(crate) fn origins(n: usize, options: &BacktestOptions) -> Result<Vec<usize>> {
    validate_horizon(options.horizon)?;
    validate_levels(&options.levels)?;
    if options.step == 0 {
        return Err(Error::invalid_parameter("step", "must be at least 1"));
    }
    if options.n_windows == 0 {
        return Err(Error::invalid_parameter("n_windows", "must be at least 1"));
    }
    let needed = options.horizon + (options.n_windows - 1) * options.step + 1;
    if n < needed {
        return Err(Error::insufficient_data(
            "backtest",
            format!(
                "{} windows of {} steps, {} apart, need at least {needed} observations, got {n}",
                options.n_windows, options.horizon, options.step
            ),
        ));
    }
    Ok((0..options.n_windows).rev().map(|w| n - options.horizon - w * options.step).collect())
}

/// Mean absolute seasonal-naive error of `train` with the fallbacks of the module docs.
pub(crate) fn mase_scale(train: &[f64], season_length: usize) -> f64 {
    let lag = if train.len() > season_length { season_length.max(1) } else { 1 };
    let diffs: Vec<f64> = train.windows(lag + 1).map(|w| (w[lag] - w[0]).abs()).collect();
    let scale = if diffs.is_empty() { 0.0 } else { diffs.iter().sum::<f64>() / diffs.len() as f64 };
    if scale > 0.0 && scale.is_finite() {
        return scale;
    }
    let level = train.iter().map(|v| v.abs()).sum::<f64>() / train.len().max(1) as f64;
    if level > 0.0 && level.is_finite() { level } else { 1.0 }
}

/// Backtests one model on one series.
///
/// ```
/// use storelytics::forecast::{backtest::{BacktestOptions, backtest}, baseline::SeasonalNaive};
/// let y: Vec<f64> = (0..60).map(|t| [5.0, 3.0, 4.0, 6.0, 8.0, 9.0, 2.0][t % 7]).collect();
/// let b = backtest(&SeasonalNaive, &y, 7, &BacktestOptions::default()).unwrap();
/// assert_eq!(b.scores.unwrap().mase, 0.0);
/// ```
pub fn backtest(
    model: &dyn Forecaster,
    y: &[f64],
    season_length: usize,
    options: &BacktestOptions,
) -> Result<ModelBacktest> {
    super::input::check_values("backtest", y)?;
    let origins = origins(y.len(), options)?;
    let mut windows = Vec::with_capacity(origins.len());
    let (mut abs_scaled, mut smape_sum, mut sq_sum, mut count) = (0.0, 0.0, 0.0, 0usize);
    let mut inside = vec![0usize; options.levels.len()];
    let mut interval_count = 0usize;
    for &origin in &origins {
        let train = &y[..origin];
        let actual = &y[origin..origin + options.horizon];
        let forecast = match model.fit_predict(train, season_length, options.horizon, &options.levels) {
            Ok(f) => f,
            Err(e) => {
                return Ok(ModelBacktest {
                    model: model.name(),
                    scores: None,
                    error: Some(format!("window with origin {origin}: {e}")),
                    windows,
                });
            }
        };
        let scale = mase_scale(train, season_length);
        if forecast.intervals.len() == options.levels.len() && !options.levels.is_empty() {
            interval_count += 1;
        }
        let mut window_abs = 0.0;
        for (h, (a, f)) in actual.iter().zip(&forecast.mean).enumerate() {
            let e = a - f;
            window_abs += e.abs();
            sq_sum += e * e;
            let denom = a.abs() + f.abs();
            if denom > 0.0 {
                smape_sum += 200.0 * e.abs() / denom;
            }
            count += 1;
            if forecast.intervals.len() == options.levels.len() {
                for (k, interval) in forecast.intervals.iter().enumerate() {
                    if let (Some(lo), Some(hi)) = (interval.lower.get(h), interval.upper.get(h))
                        && *lo <= *a
                        && *a <= *hi
                    {
                        inside[k] += 1;
                    }
                }
            }
        }
        abs_scaled += window_abs / options.horizon as f64 / scale;
        windows.push(BacktestWindow { origin, forecast: forecast.mean, actual: actual.to_vec() });
    }
    let interval_points = interval_count * options.horizon;
    let coverage = if interval_points > 0 {
        options
            .levels
            .iter()
            .zip(&inside)
            .map(|(&level, &k)| Coverage { level, coverage: k as f64 / interval_points as f64 })
            .collect()
    } else {
        Vec::new()
    };
    let scores = BacktestScores {
        mase: abs_scaled / origins.len() as f64,
        smape: smape_sum / count as f64,
        rmse: (sq_sum / count as f64).sqrt(),
        coverage,
    };
    Ok(ModelBacktest { model: model.name(), scores: Some(scores), error: None, windows })
}

/// Backtests several models on one series; a model that fails is reported, not fatal.
pub fn backtest_models(
    models: &[&dyn Forecaster],
    y: &[f64],
    season_length: usize,
    options: &BacktestOptions,
) -> Result<Vec<ModelBacktest>> {
    super::input::check_values("backtest", y)?;
    origins(y.len(), options)?;
    models.iter().map(|m| backtest(*m, y, season_length, options)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::baseline::{HistoricMean, Naive};

    #[test]
    fn scores_by_hand() {
        // Naive on 1..=10 with horizon 2, one window: train 1..=8, forecast 8, 8; actual 9, 10.
        let y: Vec<f64> = (1..=10).map(f64::from).collect();
        let opts = BacktestOptions { horizon: 2, step: 1, n_windows: 1, levels: vec![] };
        let s = backtest(&Naive, &y, 1, &opts).unwrap().scores.unwrap();
        assert!((s.mase - 1.5).abs() < 1e-12); // mean |e| = 1.5, scale 1
        assert!((s.rmse - 2.5_f64.sqrt()).abs() < 1e-12);
        assert!((s.smape - (200.0 / 17.0 + 400.0 / 18.0) / 2.0).abs() < 1e-9);
        assert!(s.coverage.is_empty());
    }

    #[test]
    fn windows_and_coverage() {
        let y: Vec<f64> = (0..50).map(|t| ((t * 7919) % 13) as f64).collect();
        let opts = BacktestOptions { horizon: 3, step: 2, n_windows: 4, levels: vec![50.0, 99.0] };
        let b = backtest(&HistoricMean, &y, 1, &opts).unwrap();
        assert_eq!(b.windows.iter().map(|w| w.origin).collect::<Vec<_>>(), vec![41, 43, 45, 47]);
        let s = b.scores.unwrap();
        assert!(s.coverage[1].coverage >= s.coverage[0].coverage);
    }

    #[test]
    fn too_short_and_failing_models() {
        let opts = BacktestOptions { horizon: 3, step: 1, n_windows: 3, levels: vec![] };
        assert_eq!(backtest(&Naive, &[1.0; 5], 1, &opts).unwrap_err().kind(), "insufficient_data");
        let opts = BacktestOptions { horizon: 1, step: 1, n_windows: 1, levels: vec![95.0] };
        let b = backtest(&Naive, &[1.0, 2.0], 1, &opts).unwrap();
        assert!(b.scores.is_none() && b.error.is_some());
        assert_eq!(mase_scale(&[0.0, 0.0], 1), 1.0);
        assert_eq!(mase_scale(&[2.0, 2.0], 1), 2.0);
    }
}
