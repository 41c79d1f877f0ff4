//! Intermittent demand: product series with many zero days.
//!
//! [`Croston`], [`CrostonOptimized`] and [`Sba`] smooth the non-zero demand sizes and the
//! intervals between them separately (Croston 1972; Syntetos & Boylan 2005 bias correction);
//! [`Tsb`] smooths the demand probability every period instead of the interval (Teunter,
//! Syntetos & Babai 2011), so its forecast decays when demand stops. [`classify`] tells an
//! intermittent series from a smooth one (Syntetos–Boylan–Croston categories).
//!
//! None of these models has an analytic error distribution: when interval levels are
//! requested, the intervals are conformal (from rolling-origin backtest errors) and
//! [`Forecast::interval_method`](super::Forecast::interval_method) says so. Negative values
//! (net returns) are treated as zero demand, with a note.

mod classify;
mod croston;
mod tsb;

pub use classify::{ADI_CUTOFF, CV2_CUTOFF, DemandClass, DemandProfile, classify, is_intermittent};
pub use croston::{Croston, CrostonOptimized, Sba};
pub use tsb::Tsb;

use super::conformal::{ConformalOptions, conformal_intervals};
use super::input::check_inputs;
use super::intervals::{ensure_finite, point_forecast};
use super::{Forecast, IntervalMethod};
use crate::error::Result;

/// Demand with negative values replaced by zero, and the note saying so (if any).
pub(crate) fn clean_demand(y: &[f64]) -> (Vec<f64>, Option<String>) {
    let negatives = y.iter().filter(|v| **v < 0.0).count();
    let cleaned = y.iter().map(|v| v.max(0.0)).collect();
    let note = (negatives > 0).then(|| format!("{negatives} negative values (net returns) treated as zero demand"));
    (cleaned, note)
}

/// The non-zero demand sizes.
pub(crate) fn demand_sizes(y: &[f64]) -> Vec<f64> {
    y.iter().copied().filter(|v| *v > 0.0).collect()
}

/// Periods between consecutive demands; the first counts from the start of the series.
pub(crate) fn demand_intervals(y: &[f64]) -> Vec<f64> {
    let mut last = 0usize;
    let mut out = Vec::new();
    for (i, v) in y.iter().enumerate() {
        if *v > 0.0 {
            out.push((i + 1 - last) as f64);
            last = i + 1;
        }
    }
    out
}

/// Shared `fit_predict` of the intermittent models: validation, cleaning, a flat point forecast
/// from `level_of` and conformal intervals when levels are requested.
pub(crate) fn fit_predict_flat(
    model: &str,
    level_of: &dyn Fn(&[f64]) -> f64,
    y: &[f64],
    season_length: usize,
    horizon: usize,
    levels: &[f64],
) -> Result<Forecast> {
    check_inputs(model, y, season_length, horizon, levels)?;
    let (clean, note) = clean_demand(y);
    let mut notes: Vec<String> = note.into_iter().collect();
    if clean.iter().all(|v| *v == 0.0) {
        notes.push("no demand in the history: forecast is zero".into());
    }
    let value = level_of(&clean);
    let mut forecast = point_forecast(model, vec![value; horizon], None, notes);
    if !levels.is_empty() {
        let point = |train: &[f64]| -> Result<Vec<f64>> { Ok(vec![level_of(train); horizon]) };
        forecast.intervals =
            conformal_intervals(&point, &clean, season_length, &forecast.mean, levels, ConformalOptions::default())?;
        forecast.interval_method = IntervalMethod::Conformal;
    }
    ensure_finite(model, forecast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_count_from_series_start() {
        let y = [0.0, 3.0, 0.0, 0.0, 2.0, 1.0];
        assert_eq!(demand_sizes(&y), vec![3.0, 2.0, 1.0]);
        assert_eq!(demand_intervals(&y), vec![2.0, 3.0, 1.0]);
    }
}
