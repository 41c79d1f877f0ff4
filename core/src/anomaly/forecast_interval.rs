//! Forecast-interval anomalies: each tested bucket is compared with the prediction interval of
//! a one-step-ahead forecast made from the buckets before it.
//!
//! The built-in model is additive Holt-Winters without trend (ETS(A,N,A) in error-correction
//! form: `level += α·e`, `season[p] += γ·e`), made robust as in Gelper, Fried & Croux (2010):
//! the error that updates the state is clipped at ±2 noise standard deviations, and the noise
//! scale is an exponentially weighted mean of clipped absolute errors. `α` and `γ` are chosen
//! from a small grid by the mean absolute one-step error. The initial level, seasonal profile
//! and noise scale come from the robust decomposition of the series (so the first buckets are
//! tested too, and an outlier at the start does not corrupt the start values).
//!
//! A caller's [`Forecaster`](crate::forecast::Forecaster) can replace the built-in model: it
//! is refitted every `refit_every` buckets on the history so far (on the model scale, see
//! [`MetricScale`](super::MetricScale)), in which values already flagged are replaced by the
//! nearest interval bound; set `scale: MetricScale::Additive` to give it the metric's own
//! values. The first two seasons (4 buckets without seasonality) are its
//! training warm-up and are not tested.

use statrs::distribution::{ContinuousCDF, Normal};

use super::Candidate;
use super::decompose::decompose;
use super::options::{AnomalyOptions, Thresholds};
use super::prepare::Prepared;
use super::report::AnomalyKind;
use super::robust::{MEAN_ABS_TO_SD, median, robust_sd};
use crate::error::Result;
use crate::forecast::Forecaster;

const ALPHAS: [f64; 3] = [0.1, 0.2, 0.4];
const GAMMAS: [f64; 3] = [0.05, 0.15, 0.3];
/// Huber clip of the state-updating error, in noise standard deviations.
const CLIP: f64 = 2.0;
/// Weight of the newest absolute error in the noise scale.
const SCALE_WEIGHT: f64 = 0.05;

/// Runs the detector with the built-in model or the caller's forecaster.
pub(crate) fn forecast_interval(
    p: &Prepared,
    options: &AnomalyOptions,
    th: &Thresholds,
    notes: &mut Vec<String>,
) -> Result<Vec<Candidate>> {
    match &options.forecaster {
        Some(model) => with_forecaster(p, model.as_ref(), options.refit_every.unwrap_or(p.season.max(1)), th),
        None => Ok(holt_winters(p, th, notes)),
    }
}

/// Start values of the model.
struct Start {
    level: f64,
    season: Vec<f64>,
    sd: f64,
}

fn start_values(p: &Prepared, notes: &mut Vec<String>) -> Start {
    let n = p.filled.len();
    let parts = decompose(&p.filled, p.season, notes);
    let m = if parts.seasonal.iter().any(|s| *s != 0.0) { p.season.max(1) } else { 1 };
    let season: Vec<f64> =
        (0..m).map(|k| if m == 1 { 0.0 } else { parts.seasonal.get(k).copied().unwrap_or(0.0) }).collect();
    let head = (4 * m).max(28).min(n);
    let residuals: Vec<f64> =
        (0..head).filter(|&i| p.is_open(i)).map(|i| p.filled[i] - parts.seasonal[i] - parts.trend[i]).collect();
    let center = median(&residuals).unwrap_or(0.0);
    Start { level: parts.trend.first().copied().unwrap_or(0.0), season, sd: robust_sd(&residuals, center) }
}

fn holt_winters(p: &Prepared, th: &Thresholds, notes: &mut Vec<String>) -> Vec<Candidate> {
    let start = start_values(p, notes);
    let mut best: Option<(f64, Vec<Candidate>)> = None;
    for alpha in ALPHAS {
        for gamma in GAMMAS {
            let (loss, found) = run_holt_winters(p, &start, alpha, gamma, th.z);
            if best.as_ref().is_none_or(|(b, _)| loss < *b) {
                best = Some((loss, found));
            }
        }
    }
    best.map(|(_, c)| c).unwrap_or_default()
}

/// One pass of robust Holt-Winters; returns the mean absolute clipped one-step error and the
/// anomalies.
fn run_holt_winters(p: &Prepared, start: &Start, alpha: f64, gamma: f64, z: f64) -> (f64, Vec<Candidate>) {
    let mut level = start.level;
    let mut season = start.season.clone();
    let m = season.len().max(1);
    let floor = p.min_scale;
    let mut sd = start.sd.max(floor);
    let mut mean_abs = sd / MEAN_ABS_TO_SD;
    let (mut loss, mut tested) = (0.0, 0usize);
    let mut found = Vec::new();
    for t in 0..p.filled.len() {
        let k = t % m;
        let forecast = level + season.get(k).copied().unwrap_or(0.0);
        let mut error = 0.0;
        if p.is_open(t) {
            let actual = p.values[t];
            error = actual - forecast;
            if error.abs() > z * sd {
                found.push(Candidate {
                    index: t,
                    kind: AnomalyKind::Point,
                    actual,
                    expected: forecast,
                    lower: forecast - z * sd,
                    upper: forecast + z * sd,
                    score: error.abs() / sd,
                    threshold: z,
                });
            }
            let clipped_abs = error.abs().min(3.0 * sd);
            mean_abs = (1.0 - SCALE_WEIGHT) * mean_abs + SCALE_WEIGHT * clipped_abs;
            loss += clipped_abs;
            tested += 1;
        }
        let e = error.max(-CLIP * sd).min(CLIP * sd);
        level += alpha * e;
        if let Some(s) = season.get_mut(k) {
            *s += gamma * e;
        }
        sd = (MEAN_ABS_TO_SD * mean_abs).max(floor);
    }
    (loss / tested.max(1) as f64, found)
}

/// Two-sided coverage (percent) of ±z standard normal deviations.
fn level_of(z: f64) -> f64 {
    let normal = Normal::standard();
    100.0 * (2.0 * normal.cdf(z) - 1.0)
}

fn with_forecaster(p: &Prepared, model: &dyn Forecaster, every: usize, th: &Thresholds) -> Result<Vec<Candidate>> {
    let n = p.filled.len();
    let warm = if p.season >= 2 && n >= 3 * p.season { 2 * p.season } else { 4 };
    let level = level_of(th.z);
    let mut history = p.filled.clone();
    let mut found = Vec::new();
    let mut t0 = warm;
    while t0 < n {
        let h = every.min(n - t0);
        let fc = model.fit_predict(history.get(..t0).unwrap_or(&[]), p.season.max(1), h, &[level])?;
        let interval = fc.intervals.first();
        for j in 0..h {
            let t = t0 + j;
            let (Some(&mean), Some(&lower), Some(&upper)) =
                (fc.mean.get(j), interval.and_then(|i| i.lower.get(j)), interval.and_then(|i| i.upper.get(j)))
            else {
                continue;
            };
            if !p.is_open(t) {
                continue;
            }
            let actual = p.values[t];
            if actual > upper || actual < lower {
                let sd = (upper - lower) / (2.0 * th.z);
                let score = if sd > 0.0 { (actual - mean).abs() / sd } else { f64::MAX };
                found.push(Candidate {
                    index: t,
                    kind: AnomalyKind::Point,
                    actual,
                    expected: mean,
                    lower,
                    upper,
                    score,
                    threshold: th.z,
                });
                if let Some(h) = history.get_mut(t) {
                    *h = actual.max(lower).min(upper);
                }
            }
        }
        t0 += h;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_sigma_is_99_73_percent() {
        assert!((level_of(3.0) - 99.73).abs() < 0.01);
    }
}
