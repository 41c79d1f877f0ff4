//! The Theta method: simple exponential smoothing with drift on seasonally adjusted data.
//!
//! [`Theta`] fits one of the four state-space variants of Fiorucci et al. (2016) — the
//! standard Theta model (STM, θ = 2, equivalent to Assimakopoulos & Nikolopoulos 2000), the
//! optimised Theta model (OTM, θ fitted) and their dynamic versions (DSTM, DOTM) whose trend
//! line is updated at every observation. [`AutoTheta`] fits several and keeps the one with
//! the smallest in-sample mean squared error.
//!
//! Seasonality: when `season_length ≥ 4`, the series covers two seasons and its lag-`m`
//! autocorrelation is significant at 90%, the series is seasonally adjusted by classical
//! decomposition (multiplicative for positive data, else additive) before fitting, and the
//! last season's indices are applied to the forecasts.
//!
//! Intervals are analytic: normal with `σ_h = σ √(1 + α²(h − 1))` (the SES-with-drift error
//! variance of the state-space form; exact for STM/OTM, a close approximation for the
//! dynamic variants), scaled by the seasonal index.

mod seasonal;
mod state;

use serde::{Deserialize, Serialize};

use super::input::check_inputs;
use super::intervals::{ensure_finite, normal_intervals};
use super::{Forecast, Forecaster, IntervalMethod};
use crate::decompose::SeasonalMode;
use crate::error::{Error, Result};

/// The four Theta models of Fiorucci et al. (2016).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThetaVariant {
    /// STM: θ = 2, trend line from the whole sample (the classic Theta method).
    #[default]
    Standard,
    /// OTM: θ fitted.
    Optimized,
    /// DSTM: θ = 2, trend line updated at every observation.
    Dynamic,
    /// DOTM: θ fitted, trend line updated at every observation.
    DynamicOptimized,
}

impl ThetaVariant {
    /// All four variants.
    pub const ALL: [ThetaVariant; 4] =
        [ThetaVariant::Standard, ThetaVariant::Optimized, ThetaVariant::Dynamic, ThetaVariant::DynamicOptimized];

    /// Short code: STM, OTM, DSTM or DOTM.
    pub fn code(self) -> &'static str {
        match self {
            ThetaVariant::Standard => "STM",
            ThetaVariant::Optimized => "OTM",
            ThetaVariant::Dynamic => "DSTM",
            ThetaVariant::DynamicOptimized => "DOTM",
        }
    }
}

/// One Theta model.
///
/// ```
/// use storelytics::forecast::{Forecaster, theta::Theta};
/// let y: Vec<f64> = (0..48).map(|t| 100.0 + t as f64 + [5.0, -5.0, 10.0, -10.0][t % 4]).collect();
/// let f = Theta::default().fit_predict(&y, 4, 8, &[95.0]).unwrap();
/// assert_eq!(f.mean.len(), 8);
/// assert!(f.mean[4] > 150.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Theta {
    /// Which model (default the standard Theta method).
    pub variant: ThetaVariant,
}

/// Theta with automatic choice among variants by in-sample mean squared error.
///
/// ```
/// use storelytics::forecast::{Forecaster, theta::AutoTheta};
/// let y: Vec<f64> = (0..30).map(|t| 20.0 + 0.5 * t as f64 + (t % 3) as f64).collect();
/// let f = AutoTheta::default().fit_predict(&y, 1, 5, &[]).unwrap();
/// assert!(f.model.starts_with("AutoTheta"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoTheta {
    /// Variants to try (default all four).
    pub variants: Vec<ThetaVariant>,
}

impl Default for AutoTheta {
    fn default() -> Self {
        AutoTheta { variants: ThetaVariant::ALL.to_vec() }
    }
}

impl Forecaster for Theta {
    fn name(&self) -> String {
        "Theta".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        fit_predict_theta("Theta", &[self.variant], y, season_length, horizon, levels)
    }
}

impl Forecaster for AutoTheta {
    fn name(&self) -> String {
        "AutoTheta".into()
    }

    fn fit_predict(&self, y: &[f64], season_length: usize, horizon: usize, levels: &[f64]) -> Result<Forecast> {
        if self.variants.is_empty() {
            return Err(Error::invalid_parameter("variants", "needs at least one Theta variant"));
        }
        fit_predict_theta("AutoTheta", &self.variants, y, season_length, horizon, levels)
    }
}

/// Minimum observations for a Theta fit.
const MIN_OBSERVATIONS: usize = 4;

fn fit_predict_theta(
    name: &str,
    variants: &[ThetaVariant],
    y: &[f64],
    season_length: usize,
    horizon: usize,
    levels: &[f64],
) -> Result<Forecast> {
    check_inputs(name, y, season_length, horizon, levels)?;
    let n = y.len();
    if n < MIN_OBSERVATIONS {
        return Err(Error::insufficient_data(name, format!("needs at least {MIN_OBSERVATIONS} observations, got {n}")));
    }
    let mut notes = Vec::new();
    if season_length >= 4 && n < 2 * season_length {
        notes.push(format!("series shorter than two seasons ({}): no seasonal adjustment", 2 * season_length));
    }
    let decomposition =
        if seasonal::is_seasonal(y, season_length) { seasonal::adjust(y, season_length, true) } else { None };
    let adjusted: Vec<f64> = match &decomposition {
        Some(d) => match d.mode {
            SeasonalMode::Multiplicative => y.iter().zip(&d.seasonal).map(|(v, s)| v / s).collect(),
            SeasonalMode::Additive => y.iter().zip(&d.seasonal).map(|(v, s)| v - s).collect(),
        },
        None => y.to_vec(),
    };
    let best = variants
        .iter()
        .map(|&v| state::fit(&adjusted, v))
        .filter(|f| f.mse.is_finite())
        .min_by(|a, b| a.mse.total_cmp(&b.mse))
        .ok_or_else(|| Error::Numerical { analysis: name.into(), problem: "no Theta model could be fitted".into() })?;
    let mut mean = best.forecast(horizon);
    let mut intervals = normal_intervals(&mean, &best.sigma_h(horizon), levels);
    let mut model = format!("{name}({}", best.variant.code());
    if let Some(d) = &decomposition {
        let index = |h: usize| d.index_at(n + h);
        let apply = |v: &mut f64, h: usize| match d.mode {
            SeasonalMode::Multiplicative => *v *= index(h),
            SeasonalMode::Additive => *v += index(h),
        };
        for (h, v) in mean.iter_mut().enumerate() {
            apply(v, h);
        }
        for interval in &mut intervals {
            for (h, (lo, hi)) in interval.lower.iter_mut().zip(interval.upper.iter_mut()).enumerate() {
                apply(lo, h);
                apply(hi, h);
            }
        }
        let mode = if d.mode == SeasonalMode::Multiplicative { "multiplicative" } else { "additive" };
        model.push_str(&format!(", {mode} seasonal {season_length}"));
    }
    model.push_str(&format!(", alpha={:.3}, theta={:.3})", best.params.alpha, best.params.theta));
    let interval_method = if levels.is_empty() { IntervalMethod::None } else { IntervalMethod::Analytic };
    let forecast = Forecast { model, mean, intervals, interval_method, fitted: None, notes };
    ensure_finite(name, forecast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_series_gets_seasonal_forecast() {
        let pattern = [1.3, 0.7, 1.0, 0.9, 1.1, 0.8, 1.2];
        let y: Vec<f64> = (0..84).map(|t| (200.0 + t as f64) * pattern[t % 7]).collect();
        let f = Theta::default().fit_predict(&y, 7, 7, &[95.0]).unwrap();
        assert!(f.model.contains("multiplicative"), "{}", f.model);
        // Peak and trough days keep their order.
        assert!(f.mean[0] > f.mean[1] * 1.5, "{:?}", f.mean);
        let i = f.interval(95.0).unwrap();
        assert!(i.lower[0] < f.mean[0] && f.mean[0] < i.upper[0]);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(Theta::default().fit_predict(&[1.0, 2.0, 3.0], 1, 2, &[]).unwrap_err().kind(), "insufficient_data");
        let f = AutoTheta::default().fit_predict(&[0.0; 20], 7, 3, &[95.0]).unwrap();
        assert!(f.mean.iter().all(|v| v.abs() < 1e-6));
        let f = Theta::default().fit_predict(&[3.0, 1.0, 4.0, 1.0, 5.0, 9.0], 7, 3, &[]).unwrap();
        assert!(!f.notes.is_empty());
        assert!(AutoTheta { variants: vec![] }.fit_predict(&[1.0; 10], 1, 1, &[]).is_err());
    }
}
