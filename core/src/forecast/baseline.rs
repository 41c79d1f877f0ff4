//! Benchmark models: naive, seasonal naive, random walk with drift and the historic mean.
//!
//! Point forecasts and normal prediction intervals follow Hyndman & Athanasopoulos,
//! *Forecasting: Principles and Practice* (3rd ed.), §5.5. The residual standard deviation
//! `σ` is the root mean square of the one-step in-sample residuals over the residuals that
//! exist (as statsforecast computes it), and the `h`-step standard deviations are
//!
//! | model | `σ_h` |
//! |---|---|
//! | [`Naive`] | `σ √h` |
//! | [`SeasonalNaive`] | `σ √(⌊(h−1)/m⌋ + 1)` |
//! | [`RandomWalkWithDrift`] | `σ √(h (1 + h/(T−1)))` |
//! | [`HistoricMean`] | `σ √(1 + 1/T)` |

use super::input::check_inputs;
use super::intervals::{analytic_forecast, ensure_finite};
use super::stats::{mean, residual_sigma};
use super::{Forecast, Forecaster};
use crate::error::{Error, Result};

/// Error for a model whose intervals need more observations than given.
fn too_short_for_intervals(model: &str, needed: usize, got: usize) -> Error {
    Error::insufficient_data(
        format!("{model} prediction intervals"),
        format!("needs at least {needed} observations, got {got} (request no levels for a point forecast only)"),
    )
}

/// Naive forecast: every future value equals the last observation.
///
/// ```
/// use storelytics::forecast::{Forecaster, baseline::Naive};
/// let f = Naive.fit_predict(&[3.0, 5.0, 4.0], 1, 2, &[95.0]).unwrap();
/// assert_eq!(f.mean, vec![4.0, 4.0]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Naive;

impl Forecaster for Naive {
    fn name(&self) -> String {
        "Naive".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        check_inputs("Naive", y, season_length, horizon, levels)?;
        naive(y, horizon, levels, Vec::new())
    }
}

fn naive(y: &[f64], horizon: usize, levels: &[f64], notes: Vec<String>) -> Result<Forecast> {
    let n = y.len();
    let last = y[n - 1];
    let residuals: Vec<f64> = y.windows(2).map(|w| w[1] - w[0]).collect();
    let mut fitted = vec![f64::NAN];
    fitted.extend_from_slice(&y[..n - 1]);
    let sigma_h: Vec<f64> = if levels.is_empty() {
        Vec::new()
    } else {
        let sigma = residual_sigma(&residuals, n - 1).ok_or_else(|| too_short_for_intervals("Naive", 2, n))?;
        (1..=horizon).map(|h| sigma * (h as f64).sqrt()).collect()
    };
    ensure_finite("Naive", analytic_forecast("Naive", vec![last; horizon], &sigma_h, levels, Some(fitted), notes))
}

/// Seasonal naive forecast: each future value equals the observation one season earlier.
///
/// Fallback: a series not longer than one season is forecast by [`Naive`] (noted in
/// [`Forecast::notes`]).
///
/// ```
/// use storelytics::forecast::{Forecaster, baseline::SeasonalNaive};
/// let y = [1.0, 2.0, 3.0, 1.5, 2.5, 3.5];
/// let f = SeasonalNaive.fit_predict(&y, 3, 4, &[]).unwrap();
/// assert_eq!(f.mean, vec![1.5, 2.5, 3.5, 1.5]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SeasonalNaive;

impl Forecaster for SeasonalNaive {
    fn name(&self) -> String {
        "SeasonalNaive".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        check_inputs("SeasonalNaive", y, season_length, horizon, levels)?;
        let (n, m) = (y.len(), season_length);
        if m == 1 || n <= m {
            let notes = if m > 1 {
                vec![format!("series of {n} observations is not longer than one season ({m}): naive forecast used")]
            } else {
                Vec::new()
            };
            let mut f = naive(y, horizon, levels, notes)?;
            f.model = "SeasonalNaive".into();
            return Ok(f);
        }
        let mean_fc: Vec<f64> = (0..horizon).map(|h| y[n - m + h % m]).collect();
        let residuals: Vec<f64> = (m..n).map(|t| y[t] - y[t - m]).collect();
        let mut fitted = vec![f64::NAN; m];
        fitted.extend_from_slice(&y[..n - m]);
        let sigma_h: Vec<f64> = if levels.is_empty() {
            Vec::new()
        } else {
            let sigma = residual_sigma(&residuals, n - m).unwrap_or(0.0);
            (1..=horizon).map(|h| sigma * (((h - 1) / m + 1) as f64).sqrt()).collect()
        };
        let f = analytic_forecast("SeasonalNaive", mean_fc, &sigma_h, levels, Some(fitted), Vec::new());
        ensure_finite("SeasonalNaive", f)
    }
}

/// Random walk with drift: the last observation plus `h` times the average change.
///
/// ```
/// use storelytics::forecast::{Forecaster, baseline::RandomWalkWithDrift};
/// let f = RandomWalkWithDrift.fit_predict(&[1.0, 2.0, 4.0], 1, 2, &[]).unwrap();
/// assert_eq!(f.mean, vec![5.5, 7.0]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomWalkWithDrift;

impl Forecaster for RandomWalkWithDrift {
    fn name(&self) -> String {
        "RandomWalkWithDrift".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        check_inputs("RandomWalkWithDrift", y, season_length, horizon, levels)?;
        let n = y.len();
        if n < 2 {
            let notes = vec!["a single observation has no drift: naive forecast used".to_string()];
            let mut f = naive(y, horizon, levels, notes)?;
            f.model = "RandomWalkWithDrift".into();
            return Ok(f);
        }
        let last = y[n - 1];
        let slope = (last - y[0]) / (n - 1) as f64;
        let mean_fc: Vec<f64> = (1..=horizon).map(|h| last + slope * h as f64).collect();
        let residuals: Vec<f64> = y.windows(2).map(|w| w[1] - w[0] - slope).collect();
        let mut fitted = vec![f64::NAN];
        fitted.extend(y[..n - 1].iter().map(|v| v + slope));
        let sigma_h: Vec<f64> = if levels.is_empty() {
            Vec::new()
        } else {
            let sigma = residual_sigma(&residuals, n - 1).unwrap_or(0.0);
            let t1 = (n - 1) as f64;
            (1..=horizon).map(|h| sigma * (h as f64 * (1.0 + h as f64 / t1)).sqrt()).collect()
        };
        let f = analytic_forecast("RandomWalkWithDrift", mean_fc, &sigma_h, levels, Some(fitted), Vec::new());
        ensure_finite("RandomWalkWithDrift", f)
    }
}

/// Historic mean (average method): every future value equals the mean of the observations.
///
/// ```
/// use storelytics::forecast::{Forecaster, baseline::HistoricMean};
/// let f = HistoricMean.fit_predict(&[1.0, 2.0, 6.0], 1, 1, &[]).unwrap();
/// assert_eq!(f.mean, vec![3.0]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HistoricMean;

impl Forecaster for HistoricMean {
    fn name(&self) -> String {
        "HistoricMean".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        check_inputs("HistoricMean", y, season_length, horizon, levels)?;
        let n = y.len();
        // Mean of scaled values so sums of huge observations do not overflow.
        let scale = y.iter().fold(0.0_f64, |a, v| a.max(v.abs())).max(f64::MIN_POSITIVE);
        let avg = scale * mean(&y.iter().map(|v| v / scale).collect::<Vec<_>>());
        let residuals: Vec<f64> = y.iter().map(|v| v - avg).collect();
        let sigma_h: Vec<f64> = if levels.is_empty() {
            Vec::new()
        } else {
            let sigma =
                residual_sigma(&residuals, n - 1).ok_or_else(|| too_short_for_intervals("HistoricMean", 2, n))?;
            vec![sigma * (1.0 + 1.0 / n as f64).sqrt(); horizon]
        };
        let f = analytic_forecast("HistoricMean", vec![avg; horizon], &sigma_h, levels, Some(vec![avg; n]), Vec::new());
        ensure_finite("HistoricMean", f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_interval_widens_with_square_root_of_horizon() {
        let y = [1.0, 3.0, 2.0, 4.0];
        let f = Naive.fit_predict(&y, 1, 4, &[95.0]).unwrap();
        // residuals 2, -1, 2 -> sigma = sqrt(9/3)
        let sigma = 3.0_f64.sqrt();
        let i = f.interval(95.0).unwrap();
        assert!((i.upper[3] - 4.0 - 1.959963984540054 * sigma * 2.0).abs() < 1e-9);
    }

    #[test]
    fn seasonal_naive_steps_sigma_per_season() {
        let y = [1.0, 2.0, 3.0, 2.0, 3.0, 4.0];
        let f = SeasonalNaive.fit_predict(&y, 3, 6, &[80.0]).unwrap();
        let i = f.interval(80.0).unwrap();
        let w1 = i.upper[0] - f.mean[0];
        let w4 = i.upper[3] - f.mean[3];
        assert!((w4 / w1 - 2.0_f64.sqrt()).abs() < 1e-12);
        assert!((i.upper[2] - f.mean[2] - w1).abs() < 1e-12);
    }

    #[test]
    fn short_and_single_point_series_fall_back_or_error() {
        let f = SeasonalNaive.fit_predict(&[1.0, 2.0], 7, 3, &[]).unwrap();
        assert_eq!(f.mean, vec![2.0; 3]);
        assert_eq!(f.notes.len(), 1);
        assert_eq!(Naive.fit_predict(&[5.0], 1, 2, &[90.0]).unwrap_err().kind(), "insufficient_data");
        assert_eq!(Naive.fit_predict(&[5.0], 1, 2, &[]).unwrap().mean, vec![5.0, 5.0]);
        let d = RandomWalkWithDrift.fit_predict(&[5.0], 1, 2, &[]).unwrap();
        assert_eq!(d.mean, vec![5.0, 5.0]);
        assert!(!d.notes.is_empty());
    }

    #[test]
    fn huge_values_stay_finite() {
        let y = [1e300, -1e300, 1e300, 5e299];
        for m in [&Naive as &dyn Forecaster, &SeasonalNaive, &RandomWalkWithDrift, &HistoricMean] {
            match m.fit_predict(&y, 2, 3, &[95.0]) {
                Ok(f) => assert!(f.mean.iter().all(|v| v.is_finite())),
                Err(e) => assert_eq!(e.kind(), "numerical"),
            }
        }
    }
}
