//! Options of [`detect`](super::detect): the detector, the one `sensitivity` knob and how
//! closed days are recognised.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forecast::Forecaster;

/// Which detector [`detect`](super::detect) runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// Seasonal hybrid ESD (S-H-ESD, Hochenbaum et al. 2017): a robust STL decomposition
    /// removes the seasonal and trend components; the remainder is scored with median / MAD
    /// and tested with the generalized ESD test (Rosner 1983). The default.
    #[default]
    SeasonalEsd,
    /// The actual value falls outside the prediction interval of a rolling one-step-ahead
    /// forecast (a robust additive Holt-Winters model, or a caller-supplied
    /// [`Forecaster`] through [`AnomalyOptions::forecaster`]).
    ForecastInterval,
    /// Change points of the mean (level shifts) of the seasonally adjusted series, found with
    /// PELT (Killick et al. 2012) and confirmed by the local shift size.
    LevelShift,
    /// Baseline: z-score against the mean and standard deviation of a trailing window.
    RollingZScore,
    /// Baseline: Tukey fences on the quartiles of a trailing window.
    RollingIqr,
}

impl Detector {
    /// All detectors, the default first.
    pub const ALL: [Detector; 5] = [
        Detector::SeasonalEsd,
        Detector::ForecastInterval,
        Detector::LevelShift,
        Detector::RollingZScore,
        Detector::RollingIqr,
    ];

    /// Stable snake_case name, e.g. `"seasonal_esd"`.
    pub fn name(self) -> &'static str {
        match self {
            Detector::SeasonalEsd => "seasonal_esd",
            Detector::ForecastInterval => "forecast_interval",
            Detector::LevelShift => "level_shift",
            Detector::RollingZScore => "rolling_z_score",
            Detector::RollingIqr => "rolling_iqr",
        }
    }
}

impl fmt::Display for Detector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which deviations count as anomalies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Only values above the expected value.
    Spikes,
    /// Only values below the expected value.
    Drops,
    /// Both (the default).
    #[default]
    Both,
}

/// On which scale the detectors compare values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricScale {
    /// Multiplicative when every tested value is at least zero and their median is positive
    /// (revenue, orders, units: noise and seasonal swings grow with the level), otherwise
    /// additive. The default.
    #[default]
    Auto,
    /// Compare differences: `value - expected`.
    Additive,
    /// Compare ratios: the detectors work on `ln(value + c)` with `c` a tenth of the median
    /// tested value, so a day with zero sales stays finite (and far below normal). Needs
    /// non-negative values.
    Multiplicative,
}

/// Which buckets are closed by design (zero sales because the store does not open).
///
/// Closed buckets are neither tested nor reported; the models see them as gaps, filled like
/// missing buckets. The count is reported in [`AnomalySummary::closed`](super::AnomalySummary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedDays {
    /// Recognise a weekly (seasonal) closing pattern: a position in the seasonal cycle (e.g. a
    /// weekday) whose observed values are zero in at least 80 % of at least three cycles, while
    /// some other position is mostly non-zero. Zero values at such positions are closed.
    /// Default `true`.
    pub detect_weekly: bool,
    /// Buckets the caller marks closed (holidays, refits). A bucket is closed when its start
    /// date is listed, whatever its value. Default empty.
    pub dates: Vec<NaiveDate>,
}

impl Default for ClosedDays {
    fn default() -> Self {
        ClosedDays { detect_weekly: true, dates: Vec::new() }
    }
}

/// Options of [`detect`](super::detect).
///
/// `sensitivity` (0 to 1, default 0.5) is the one knob that maps to each detector's
/// threshold; higher finds more anomalies:
///
/// | sensitivity | ESD `alpha` | z threshold (forecast interval, rolling z; level shift × 0.75) | IQR fence `k` |
/// |---|---|---|---|
/// | 0.0 | 0.001 | 4.0 | 2.47 |
/// | 0.25 | 0.007 | 3.5 | 2.09 |
/// | 0.5 | 0.05 | 3.0 | 1.72 |
/// | 0.75 | 0.12 | 2.5 | 1.35 |
/// | 1.0 | 0.3 | 2.0 | 0.98 |
///
/// The IQR fence is `k = (z - 0.674) / 1.349`, so that for normal noise it flags about as often
/// as a z-score of `z`. The level-shift penalty is `(10 - 8 · sensitivity) · ln n` in units of
/// the noise variance, and a shift must be at least `0.75 · z` noise standard deviations.
#[derive(Clone)]
pub struct AnomalyOptions {
    /// The detector. Default [`Detector::SeasonalEsd`].
    pub detector: Detector,
    /// 0 (only the clearest anomalies) to 1 (many). Default 0.5.
    pub sensitivity: f64,
    /// Spikes, drops or both. Default both.
    pub direction: Direction,
    /// Largest share of the tested buckets that may be anomalous (the ESD test's upper bound on
    /// the number of outliers; also a cap for the other detectors, which keep the highest
    /// scores). Default 0.1.
    pub max_anomalies: f64,
    /// Significance level of the ESD test; `None` (default) derives it from `sensitivity`.
    pub alpha: Option<f64>,
    /// Closed-day handling. Default: recognise weekly closing, no caller dates.
    pub closed_days: ClosedDays,
    /// Additive or multiplicative comparison. Default [`MetricScale::Auto`].
    pub scale: MetricScale,
    /// Trailing window length of the rolling baselines, in buckets; `None` (default) uses four
    /// seasons (28 for daily data with a weekly season), at least 8.
    pub window: Option<usize>,
    /// A forecasting model for [`Detector::ForecastInterval`] instead of the built-in robust
    /// Holt-Winters. It is refitted every `refit_every` buckets on the history so far. Default `None`.
    pub forecaster: Option<Arc<dyn Forecaster>>,
    /// How often the caller's `forecaster` is refitted (buckets); `None` (default) = one season.
    pub refit_every: Option<usize>,
}

impl Default for AnomalyOptions {
    fn default() -> Self {
        AnomalyOptions {
            detector: Detector::SeasonalEsd,
            sensitivity: 0.5,
            direction: Direction::Both,
            max_anomalies: 0.1,
            alpha: None,
            closed_days: ClosedDays::default(),
            scale: MetricScale::Auto,
            window: None,
            forecaster: None,
            refit_every: None,
        }
    }
}

impl fmt::Debug for AnomalyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnomalyOptions")
            .field("detector", &self.detector)
            .field("sensitivity", &self.sensitivity)
            .field("direction", &self.direction)
            .field("max_anomalies", &self.max_anomalies)
            .field("alpha", &self.alpha)
            .field("closed_days", &self.closed_days)
            .field("scale", &self.scale)
            .field("window", &self.window)
            .field("forecaster", &self.forecaster.as_ref().map(|m| m.name()))
            .field("refit_every", &self.refit_every)
            .finish()
    }
}

/// Thresholds derived from the options, shared by the detectors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    pub(crate) alpha: f64,
    pub(crate) z: f64,
    pub(crate) iqr_k: f64,
    pub(crate) penalty_per_log_n: f64,
    pub(crate) min_shift: f64,
}

impl AnomalyOptions {
    /// Checks the options and derives the detectors' thresholds.
    pub(crate) fn validate(&self) -> Result<Thresholds> {
        let s = self.sensitivity;
        if !(0.0..=1.0).contains(&s) {
            return Err(Error::invalid_parameter("sensitivity", format!("{s} must be between 0 and 1")));
        }
        let m = self.max_anomalies;
        if !(m > 0.0 && m <= 0.5) {
            return Err(Error::invalid_parameter(
                "max_anomalies",
                format!("{m} must be a share greater than 0 and at most 0.5"),
            ));
        }
        let alpha = match self.alpha {
            Some(a) if a > 0.0 && a < 1.0 => a,
            Some(a) => {
                return Err(Error::invalid_parameter("alpha", format!("{a} must be strictly between 0 and 1")));
            }
            None => alpha_of(s),
        };
        if matches!(self.window, Some(w) if w < 3) {
            return Err(Error::invalid_parameter("window", "must be at least 3 buckets"));
        }
        if matches!(self.refit_every, Some(0)) {
            return Err(Error::invalid_parameter("refit_every", "must be at least 1"));
        }
        let z = 4.0 - 2.0 * s;
        Ok(Thresholds { alpha, z, iqr_k: (z - 0.674) / 1.349, penalty_per_log_n: 10.0 - 8.0 * s, min_shift: 0.75 * z })
    }
}

/// ESD significance level: log-linear from 0.001 (sensitivity 0) to 0.05 (0.5) to 0.3 (1).
fn alpha_of(s: f64) -> f64 {
    let (lo, hi, t) = if s <= 0.5 { (0.001f64, 0.05f64, s / 0.5) } else { (0.05f64, 0.3f64, (s - 0.5) / 0.5) };
    (lo.ln() + t * (hi.ln() - lo.ln())).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitivity_maps_to_documented_thresholds() {
        let t = |s: f64| AnomalyOptions { sensitivity: s, ..Default::default() }.validate().unwrap();
        assert!((t(0.0).alpha - 0.001).abs() < 1e-12);
        assert!((t(0.5).alpha - 0.05).abs() < 1e-12);
        assert!((t(1.0).alpha - 0.3).abs() < 1e-12);
        assert!((t(0.25).alpha - 0.00707).abs() < 1e-4);
        assert!((t(0.75).alpha - 0.1225).abs() < 1e-3);
        assert_eq!(t(0.5).z, 3.0);
        assert!((t(0.5).iqr_k - 1.7242).abs() < 1e-3);
        assert!(t(0.2).z > t(0.8).z);
    }

    #[test]
    fn bad_options_are_errors() {
        for o in [
            AnomalyOptions { sensitivity: 1.5, ..Default::default() },
            AnomalyOptions { sensitivity: f64::NAN, ..Default::default() },
            AnomalyOptions { max_anomalies: 0.0, ..Default::default() },
            AnomalyOptions { max_anomalies: f64::NAN, ..Default::default() },
            AnomalyOptions { alpha: Some(1.0), ..Default::default() },
            AnomalyOptions { window: Some(1), ..Default::default() },
            AnomalyOptions { refit_every: Some(0), ..Default::default() },
        ] {
            assert_eq!(o.validate().unwrap_err().kind(), "invalid_parameter", "{o:?}");
        }
    }
}
