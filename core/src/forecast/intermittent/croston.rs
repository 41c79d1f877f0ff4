//! Croston's method and its variants.

use super::{demand_intervals, demand_sizes, fit_predict_flat};
use crate::error::Result;
use crate::forecast::ses::{optimal_alpha, ses};
use crate::forecast::{Forecast, Forecaster};

/// Smoothing used by the classic method for sizes and intervals.
const CLASSIC_ALPHA: f64 = 0.1;

/// Croston's forecast: smoothed size over smoothed interval. `alpha` picks the smoothing of
/// each part; `None` = choose in `[0.1, 0.3]` by in-sample squared error.
fn croston_level(y: &[f64], alpha: Option<f64>) -> f64 {
    let sizes = demand_sizes(y);
    if sizes.is_empty() {
        return 0.0;
    }
    let intervals = demand_intervals(y);
    let a_size = alpha.unwrap_or_else(|| optimal_alpha(&sizes, 0.1, 0.3));
    let a_int = alpha.unwrap_or_else(|| optimal_alpha(&intervals, 0.1, 0.3));
    let size = ses(&sizes, a_size).0;
    let interval = ses(&intervals, a_int).0;
    if interval != 0.0 { size / interval } else { size }
}

/// Croston's classic method with smoothing 0.1 for demand sizes and intervals.
///
/// ```
/// use storelytics::forecast::{Forecaster, intermittent::Croston};
/// let y = [0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 2.0, 0.0, 3.0, 0.0];
/// let f = Croston.fit_predict(&y, 1, 3, &[]).unwrap();
/// assert!(f.mean[0] > 0.5 && f.mean[0] < 1.5);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Croston;

impl Forecaster for Croston {
    fn name(&self) -> String {
        "Croston".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        let level = |x: &[f64]| croston_level(x, Some(CLASSIC_ALPHA));
        fit_predict_flat("Croston", &level, y, season_length, horizon, levels)
    }
}

/// Croston's method with each smoothing parameter chosen in `[0.1, 0.3]` by in-sample
/// squared one-step error.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrostonOptimized;

impl Forecaster for CrostonOptimized {
    fn name(&self) -> String {
        "CrostonOptimized".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        let level = |x: &[f64]| croston_level(x, None);
        fit_predict_flat("CrostonOptimized", &level, y, season_length, horizon, levels)
    }
}

/// Syntetos–Boylan approximation: the classic Croston forecast times `1 − α/2` (= 0.95),
/// which removes Croston's upward bias.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sba;

impl Forecaster for Sba {
    fn name(&self) -> String {
        "SBA".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        let level = |x: &[f64]| (1.0 - CLASSIC_ALPHA / 2.0) * croston_level(x, Some(CLASSIC_ALPHA));
        fit_predict_flat("SBA", &level, y, season_length, horizon, levels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::IntervalMethod;

    #[test]
    fn classic_croston_by_hand() {
        // sizes 4, 2 -> ses forecast 0.1*2 + 0.9*4 = 3.8; intervals 3, 4 -> 0.1*4 + 0.9*3 = 3.1
        let y = [0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 2.0];
        let f = Croston.fit_predict(&y, 1, 2, &[]).unwrap();
        assert!((f.mean[0] - 3.8 / 3.1).abs() < 1e-12);
        let s = Sba.fit_predict(&y, 1, 1, &[]).unwrap();
        assert!((s.mean[0] - 0.95 * 3.8 / 3.1).abs() < 1e-12);
    }

    #[test]
    fn zeros_negatives_and_intervals() {
        let f = CrostonOptimized.fit_predict(&[0.0; 10], 1, 3, &[]).unwrap();
        assert_eq!(f.mean, vec![0.0; 3]);
        assert!(!f.notes.is_empty());
        let f = Croston.fit_predict(&[0.0, -2.0, 3.0], 1, 1, &[]).unwrap();
        assert!(f.notes[0].contains("negative"));
        let y: Vec<f64> = (0..60).map(|i| if i % 3 == 0 { 2.0 + (i % 5) as f64 } else { 0.0 }).collect();
        let f = Croston.fit_predict(&y, 1, 4, &[80.0, 95.0]).unwrap();
        assert_eq!(f.interval_method, IntervalMethod::Conformal);
        assert!(f.interval(95.0).unwrap().upper[0] >= f.interval(80.0).unwrap().upper[0]);
    }
}
